#include "automation/contact_course.h"

#include <algorithm>
#include <string>

#include "registry/akasse_rules.h"
#include "registry/record.h"

namespace dfdg::automation {
namespace {

using Json = nlohmann::json;
using registry::Fact;
using registry::FactKind;

std::string FieldText(const Fact& f, const char* key) {
  const Json& fields = registry::RecordFields(f);
  auto it = fields.find(key);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A decimal field as stored (a JSON number, or its text); nullopt when absent.
std::optional<double> FieldNumber(const Fact& f, const char* key) {
  const Json& fields = registry::RecordFields(f);
  auto it = fields.find(key);
  if (it == fields.end()) return std::nullopt;
  if (it->is_number()) return it->get<double>();
  if (!it->is_string()) return std::nullopt;
  try {
    return std::stod(it->get<std::string>());
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<Date> FieldDate(const Fact& f, const char* key) {
  auto date = ParseDate(FieldText(f, key));
  return date.ok() ? std::optional<Date>(*date) : std::nullopt;
}

// The latest current report of `type` computed (begun) on or before `day`; ties: the later entity.
const Fact* Latest(const registry::PersonView& view, const std::string& type, Date day) {
  const Fact* best = nullptr;
  for (const Fact* f : view.Of(FactKind::kRecord)) {
    if (f->text != type || f->start > day) continue;
    if (!best || f->start > best->start || (f->start == best->start && f->entity_id > best->entity_id)) best = f;
  }
  return best;
}

// The member's insurance category on `day` (the latest-begun membership record covering it), or "".
std::string InsuranceCategory(const registry::PersonView& view, Date day) {
  const Fact* best = nullptr;
  for (const Fact* f : view.Of(FactKind::kRecord)) {
    if (f->text != "akasse_membership" || f->start > day) continue;
    if (!best || f->start > best->start || (f->start == best->start && f->entity_id > best->entity_id)) best = f;
  }
  return best && best->CoversDay(day) ? FieldText(*best, "insurance_category") : std::string();
}

// The first situation of § 63 stk. 2 that applies, or "".
std::string StartBasis(const ContactCourseRule& k, const registry::PersonView& view, Date registered, Date day) {
  bool any = false;
  for (const std::string& type : k.counter_types) any = any || Latest(view, type, day) != nullptr;
  if (!any) return "no_counters";  // nr. 1
  if (const Fact* expiry = Latest(view, "dagpenge_expiry", day)) {  // nr. 2 (§ 73 stk. 3)
    auto date = FieldDate(*expiry, "expiry_date");
    if (FieldText(*expiry, "expiry_kind") == "actual" && date && *date <= registered) return "right_expired";
  }
  std::optional<Date> reference_end;  // § 70 stk. 2 nr. 2: the ordinary period's reference period
  if (const Fact* reference = Latest(view, "reference_period", day)) {
    reference_end = FieldDate(*reference, "reference_period_end");
  }
  if (reference_end && registered > *reference_end) return "after_reference_period";  // nr. 3
  const std::string category = InsuranceCategory(view, day);
  auto limit = std::find_if(k.hours.begin(), k.hours.end(), [&](const auto& h) { return h.first == category; });
  const Fact* consumption = Latest(view, "dagpenge_consumption", day);
  std::optional<double> used = consumption ? FieldNumber(*consumption, "hours_used") : std::nullopt;
  if (limit == k.hours.end() || !used) return "";
  if (*used < limit->second && reference_end && registered <= *reference_end) return "below_hours";  // nr. 4
  if (*used > limit->second) {  // nr. 5 (§ 75 stk. 2 nr. 3: no wage hours missing)
    const Fact* account = Latest(view, "replacement_account", day);
    std::optional<double> missing = account ? FieldNumber(*account, "hours_missing") : std::nullopt;
    if (missing && *missing <= 0) return "right_re_earned";
  }
  return "";
}

}  // namespace

std::optional<Json> PlanContactCourseStart(const catalog::Catalog& catalog, const DailyRule& rule,
                                           const registry::PersonView& view, Date day) {
  if (!rule.contact_course) return std::nullopt;
  const ContactCourseRule& k = *rule.contact_course;
  const catalog::RecordType* type = catalog.FindRecordType(k.record_type);
  const Fact* group = view.On(FactKind::kContactGroup, day);
  const Fact* registration = view.On(FactKind::kJobseeker, day);
  if (!type || !group || !registration) return std::nullopt;
  if (std::find(k.contact_groups.begin(), k.contact_groups.end(), group->code) == k.contact_groups.end())
    return std::nullopt;
  const Date registered = registration->start;
  // "Inden for de første 3 måneders ledighed": unemployment is taken to begin with the current KG 1 period (as
  // docs/decisions/0005); a re-registration later in the period starts no new responsibility.
  if (day >= AddDuration(group->start, k.within)) return std::nullopt;
  for (const Fact* f : view.Of(FactKind::kRecord)) {
    if (f->text == k.record_type && (!f->end || *f->end >= registered)) return std::nullopt;  // registered already
  }
  std::optional<std::string> akasse = registry::AkasseOn(view, day);
  if (!akasse) return std::nullopt;
  std::string basis = StartBasis(k, view, registered, day);
  if (basis.empty()) return std::nullopt;
  return Json{{"command", type->commands[static_cast<int>(catalog::RecordAction::kCreate)]},
              {"start", FormatDate(registered)},
              {"start_basis", basis},
              {"akasse_code", *akasse}};
}

}  // namespace dfdg::automation
