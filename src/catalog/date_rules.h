// The mechanism behind a reason's date rules: given a DateRule (the parameters, from the catalogue) and the
// dates of one registration, which limits are broken. Person-independent except for the last held interview,
// which the caller supplies.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/model.h"

namespace dfdg::catalog {

enum class DateViolation {
  kStartTooEarly,             // start < registration date - backdate
  kStartBeforeLastInterview,  // start < last held interview (not_before_last_interview)
  kStartTooLate,              // start > registration date + max_future_start
  kEndMissing,                // no end although end_date_required
  kEndBeforeStart,            // end < start
  kTooLong,                   // end > start + max_duration - 1 day
  kCommentMissing,            // comment_required and no comment
  kEndTooEarly,               // a new or moved end < registration date - end_backdate
};

// Stable key ("start_too_early", ...) for a violation.
const char* DateViolationKey(DateViolation violation);

struct DatedRegistration {
  Date registered;  // the registration date ("today" of the registration)
  Date start;
  std::optional<Date> end;             // inclusive last day; nullopt = open
  std::optional<Date> last_interview;  // last held job/CV/follow-up interview, if any
  bool has_comment = false;
  std::optional<Date> birth_date;  // for until_age rules
  bool end_changed = true;         // the end is set or moved by this registration (end_backdate applies)
};

// Earliest allowed start date under `rule`, or nullopt when unlimited / not stated.
std::optional<Date> EarliestStart(const DateRule& rule, const DatedRegistration& registration);
// Earliest allowed end date for a new or moved end (end_backdate), or nullopt when not limited.
std::optional<Date> EarliestEnd(const DateRule& rule, Date registered);
// Latest allowed start date, or nullopt when not limited.
std::optional<Date> LatestStart(const DateRule& rule, Date registered);
// Latest allowed end date (inclusive) for `start`, or nullopt when not limited: start + max_duration - 1 day,
// and with until_age the day before that birthday (the earlier of the two).
std::optional<Date> LatestEnd(const DateRule& rule, Date start, std::optional<Date> birth_date = std::nullopt);

// Every limit of `rule` that `registration` breaks, in a fixed order; empty when it complies.
std::vector<DateViolation> CheckDateRule(const DateRule& rule, const DatedRegistration& registration);

}  // namespace dfdg::catalog
