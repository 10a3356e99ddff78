#include "catalog/date_rules.h"

namespace dfdg::catalog {

const char* DateViolationKey(DateViolation violation) {
  switch (violation) {
    case DateViolation::kStartTooEarly:
      return "start_too_early";
    case DateViolation::kStartBeforeLastInterview:
      return "start_before_last_interview";
    case DateViolation::kStartTooLate:
      return "start_too_late";
    case DateViolation::kEndMissing:
      return "end_missing";
    case DateViolation::kEndBeforeStart:
      return "end_before_start";
    case DateViolation::kTooLong:
      return "too_long";
    case DateViolation::kCommentMissing:
      return "comment_missing";
    case DateViolation::kEndTooEarly:
      return "end_too_early";
  }
  return "unknown";
}

std::optional<Date> EarliestStart(const DateRule& rule, const DatedRegistration& registration) {
  if (!rule.backdate || rule.backdate->unlimited) return std::nullopt;
  return SubtractDuration(registration.registered, *rule.backdate);
}

std::optional<Date> EarliestEnd(const DateRule& rule, Date registered) {
  if (!rule.end_backdate || rule.end_backdate->unlimited) return std::nullopt;
  return SubtractDuration(registered, *rule.end_backdate);
}

std::optional<Date> LatestStart(const DateRule& rule, Date registered) {
  if (!rule.max_future_start || rule.max_future_start->unlimited) return std::nullopt;
  return AddDuration(registered, *rule.max_future_start);
}

std::optional<Date> LatestEnd(const DateRule& rule, Date start, std::optional<Date> birth_date) {
  std::optional<Date> out;
  if (rule.max_duration && !rule.max_duration->unlimited) {
    // Period length at most max_duration: [start, start + duration) → last day start + duration - 1.
    out = AddDuration(start, *rule.max_duration) - std::chrono::days{1};
  }
  if (rule.until_age && birth_date) {
    Date last =
        AddDuration(*birth_date, Duration{*rule.until_age, Duration::Unit::kYears, false}) - std::chrono::days{1};
    if (!out || last < *out) out = last;
  }
  return out;
}

std::vector<DateViolation> CheckDateRule(const DateRule& rule, const DatedRegistration& registration) {
  std::vector<DateViolation> out;
  if (auto earliest = EarliestStart(rule, registration); earliest && registration.start < *earliest) {
    out.push_back(DateViolation::kStartTooEarly);
  }
  if (rule.not_before_last_interview && registration.last_interview &&
      registration.start < *registration.last_interview) {
    out.push_back(DateViolation::kStartBeforeLastInterview);
  }
  if (auto latest = LatestStart(rule, registration.registered); latest && registration.start > *latest) {
    out.push_back(DateViolation::kStartTooLate);
  }
  std::optional<Date> latest_end = LatestEnd(rule, registration.start, registration.birth_date);
  // An open end is allowed unless the end date is required; a maximum duration then caps the period
  // (docs/decisions/0003).
  if (rule.end_date_required && !registration.end) out.push_back(DateViolation::kEndMissing);
  if (registration.end && *registration.end < registration.start) out.push_back(DateViolation::kEndBeforeStart);
  if (registration.end && latest_end && *registration.end > *latest_end) out.push_back(DateViolation::kTooLong);
  if (rule.comment_required && !registration.has_comment) out.push_back(DateViolation::kCommentMissing);
  if (auto earliest_end = EarliestEnd(rule, registration.registered);
      earliest_end && registration.end && registration.end_changed && *registration.end < *earliest_end) {
    out.push_back(DateViolation::kEndTooEarly);
  }
  return out;
}

}  // namespace dfdg::catalog
