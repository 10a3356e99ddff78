#include "automation/subscriptions.h"

#include <algorithm>
#include <string>

#include "core/cpr.h"
#include "registry/record.h"

namespace dfdg::automation {
namespace {

using Json = nlohmann::json;
using registry::Fact;
using registry::FactKind;

bool Has(const std::vector<int>& list, int value) { return std::find(list.begin(), list.end(), value) != list.end(); }
bool Has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The current record of `type` whose period contains `day` (the latest-starting one if several).
const Fact* RecordOn(const registry::PersonView& view, const std::string& type, Date day) {
  const Fact* best = nullptr;
  for (const Fact* f : view.Of(FactKind::kRecord)) {
    if (f->text != type || !f->CoversDay(day)) continue;
    if (!best || f->start > best->start) best = f;
  }
  return best;
}

std::string FieldText(const Fact& f, const std::string& key) {
  const nlohmann::json& fields = registry::RecordFields(f);
  return fields.contains(key) && fields[key].is_string() ? fields[key].get<std::string>() : std::string();
}

int StepNumber(const std::string& step) {
  try {
    return step.empty() ? 0 : std::stoi(step);
  } catch (...) {
    return 0;
  }
}

// The first day after `whole` whole calendar months counted from `from` (the first whole month is the one
// starting on `from` when it is the 1st, else the next one): 2025-03-10, 1 → 2025-05-01; 2025-04-01, 1 → 2025-05-01.
Date AfterWholeMonths(Date from, int whole) {
  std::chrono::year_month_day ymd{from};
  std::chrono::year_month month{ymd.year(), ymd.month()};
  if (ymd.day() != std::chrono::day{1}) month += std::chrono::months{1};
  month += std::chrono::months{whole};
  return std::chrono::sys_days{month / std::chrono::day{1}};
}

// True when the person has reached the age limit on `day`: `young_age` while in one of `young_groups`,
// else `age` (birth date from the CPR; 29 February → 28 February, core/date.h).
bool AgeReached(const SubscriptionRule& s, const registry::PersonView& view, const Fact* group, Date day) {
  auto cpr = Cpr::Parse(view.cpr());
  if (!cpr.ok()) return false;
  int limit = group && s.young_age > 0 && Has(s.young_groups, group->code) ? s.young_age : s.age;
  return AddDuration(cpr->birth_date(), Duration{limit, Duration::Unit::kYears, false}) <= day;
}

// True when the youth database's message of a completed vocational education was received on or after `since`
// and on or before `day` (the registration date of the event's current version).
bool CompletionReceived(const SubscriptionRule& s, const registry::PersonView& view, Date since, Date day) {
  if (s.completed_record_type.empty()) return false;
  for (const Fact* f : view.Of(FactKind::kRecord)) {
    if (f->text != s.completed_record_type || f->recorded_on < since || f->recorded_on > day) continue;
    const nlohmann::json& fields = registry::RecordFields(*f);
    if (FieldText(*f, s.completed_field) != s.completed_code) continue;
    if (fields.contains(s.completed_flag) && fields[s.completed_flag].is_boolean() &&
        fields[s.completed_flag].get<bool>())
      return true;
  }
  return false;
}

// True when the youth database's admission message was received (registered) from `since` up to and including
// `last` (002:925-932).
bool AdmissionReceived(const SubscriptionRule& s, const registry::PersonView& view, Date since, Date last) {
  if (s.admission_record_type.empty()) return false;
  for (const Fact* f : view.Of(FactKind::kRecord)) {
    if (f->text != s.admission_record_type || f->recorded_on < since || f->recorded_on > last) continue;
    if (FieldText(*f, s.admission_field) == s.admission_code) return true;
  }
  return false;
}

// The closure reason of the open subscription `current` on `day`, or "" when it stays open.
std::string ClosureReason(const SubscriptionRule& s, const registry::PersonView& view, const Fact& current, Date day) {
  const Fact* group = view.On(FactKind::kContactGroup, day);
  if (AgeReached(s, view, group, day)) return s.reason_age;
  if (CompletionReceived(s, view, current.start, day)) return s.reason_completed;
  const Fact* plan = RecordOn(view, s.plan_record_type, day);
  if (plan) {
    std::string type = FieldText(*plan, s.plan_field);
    bool kept = Has(s.keep_codes, type) && group && Has(s.keep_groups, group->code);
    if (type != s.plan_code && !kept) return s.reason_plan_type;
  }
  if (group) return Has(s.contact_groups, group->code) ? std::string() : s.reason_contact_group;
  // No group on the day: the latest group ended before. Closed by the job centre (generally) keeps the
  // subscription; a group of the list closed before the plan reached `before_step` closes it after
  // `closed_group_months` whole calendar months, unless the youth database's admission message was received from
  // the subscription's start up to the last of those months' days.
  const Fact* latest = nullptr;
  for (const Fact* f : view.Of(FactKind::kContactGroup)) {
    if (f->end && *f->end < day && (!latest || f->start > latest->start)) latest = f;
  }
  if (!latest || !Has(s.contact_groups, latest->code) || s.closed_group_months <= 0) return "";
  const Fact* plan_then = plan ? plan : RecordOn(view, s.plan_record_type, *latest->end);
  if (plan_then && StepNumber(FieldText(*plan_then, s.step_field)) >= StepNumber(s.before_step)) return "";
  Date closing = AfterWholeMonths(*latest->end + std::chrono::days(1), s.closed_group_months);
  if (day < closing) return "";
  if (AdmissionReceived(s, view, current.start, closing - std::chrono::days(1))) return "";
  return s.reason_contact_group_closed;
}

// § 47 stk. 1, § 28: the job centre's first request for help held from `since` to `day` (the latest), or nullptr.
const Fact* FirstContact(const SubscriptionRule& s, const registry::PersonView& view, Date since, Date day) {
  if (s.first_contact_types.empty() && s.first_contact_flag.empty()) return nullptr;
  const Fact* latest = nullptr;
  for (const Fact* f : view.Of(FactKind::kInterview)) {
    if (f->channel != catalog::Channel::kJobcenter || f->start < since || f->start > day) continue;
    bool flagged = !s.first_contact_flag.empty() && f->extra.is_object() &&
                   f->extra.value(s.first_contact_flag, false);
    if (!flagged && !Has(s.first_contact_types, f->text)) continue;
    if (!latest || f->start > latest->start) latest = f;
  }
  return latest;
}

// True when a subscription of the rule's type started on or after `since` (opened already, perhaps closed since).
bool SubscribedSince(const SubscriptionRule& s, const registry::PersonView& view, Date since) {
  for (const Fact* f : view.Of(FactKind::kRecord)) {
    if (f->text == s.record_type && f->start >= since) return true;
  }
  return false;
}

}  // namespace

std::optional<Json> ConvertOnDate(const DailyRule& rule, const registry::PersonView& view, Date day) {
  if (!rule.on || day < *rule.on) return std::nullopt;
  // Every period of a from_group with days on or after `rule.on` — open-ended, or ended on or after it, also one the
  // person has left before the run — moves into the to_group from the later of `rule.on` and its start, until its
  // registered end. The earliest first; a later one on the next day's run (one command per rule and person a day).
  const Fact* due = nullptr;
  const GroupConversion* conversion = nullptr;
  for (const Fact* group : view.Of(FactKind::kContactGroup)) {
    if (group->end && *group->end < *rule.on) continue;
    for (const GroupConversion& c : rule.conversions) {
      if (group->code != c.from_group || (due && due->start <= group->start)) continue;
      due = group;
      conversion = &c;
    }
  }
  if (!due) return std::nullopt;
  Json command{{"command", "set_contact_group"},
               {"contact_group", conversion->to_group},
               {"start", FormatDate(std::max(*rule.on, due->start))}};
  if (due->end) command["end"] = FormatDate(*due->end);
  return command;
}

std::optional<Json> PlanSubscription(const catalog::Catalog& catalog, const DailyRule& rule,
                                     const registry::PersonView& view, Date day) {
  if (!rule.subscription) return std::nullopt;
  const SubscriptionRule& s = *rule.subscription;
  const catalog::RecordType* type = catalog.FindRecordType(s.record_type);
  if (!type) return std::nullopt;
  const Fact* current = RecordOn(view, s.record_type, day);
  if (current) {
    if (current->end) return std::nullopt;  // its end is set already
    std::string reason = ClosureReason(s, view, *current, day);
    if (reason.empty()) return std::nullopt;
    Json c{{"command", type->commands[static_cast<int>(catalog::RecordAction::kChange)]},
           {type->id_field, current->entity_id},
           {"end", FormatDate(std::max(current->start, day - std::chrono::days(1)))},
           {"closure_reason", reason}};
    return c;
  }
  const Fact* group = view.On(FactKind::kContactGroup, day);
  if (!group || !Has(s.contact_groups, group->code) || AgeReached(s, view, group, day)) return std::nullopt;
  const Json open{{"command", type->commands[static_cast<int>(catalog::RecordAction::kCreate)]},
                  {"start", FormatDate(day)}};
  const Fact* plan = RecordOn(view, s.plan_record_type, day);
  const std::string plan_type = plan ? FieldText(*plan, s.plan_field) : std::string();
  if (plan && plan_type == s.plan_code) {
    // Closed on the youth database's message of a completed education: not reopened on the same plan.
    if (CompletionReceived(s, view, plan->start, day)) return std::nullopt;
    return open;
  }
  // § 47 stk. 1 without an education order: a first request for help in the current group period, unless a plan
  // of another type would close it again (reason 8) or a subscription was opened on it already.
  if (plan && !(Has(s.keep_codes, plan_type) && Has(s.keep_groups, group->code))) return std::nullopt;
  const Fact* contact = FirstContact(s, view, group->start, day);
  if (!contact || SubscribedSince(s, view, contact->start)) return std::nullopt;
  if (CompletionReceived(s, view, contact->start, day)) return std::nullopt;
  return open;
}

}  // namespace dfdg::automation
