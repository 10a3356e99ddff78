#include "registry/forwarding.h"

#include <algorithm>
#include <set>

#include "core/cpr.h"
#include "registry/akasse_rules.h"
#include "registry/record.h"

namespace dfdg::registry {
namespace {

// The value of a code field as text (codes are strings; an int code is compared by its digits).
std::string CodeText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  return {};
}

bool FieldHolds(const Fact& version, const std::string& field, const std::vector<std::string>& codes) {
  const nlohmann::json& fields = RecordFields(version);
  if (!fields.is_object() || !fields.contains(field)) return false;
  const nlohmann::json& value = fields[field];
  auto in = [&](const nlohmann::json& v) { return std::find(codes.begin(), codes.end(), CodeText(v)) != codes.end(); };
  if (value.is_array()) return std::any_of(value.begin(), value.end(), in);
  return in(value);
}

}  // namespace

std::vector<const Fact*> WithRecordsOn(const catalog::ForwardTarget& target, const PersonView& view, Date day) {
  std::vector<const Fact*> out;
  if (target.with_type.empty()) return out;
  for (const Fact* f : view.Of(FactKind::kRecord)) {
    if (f->deleted || f->text != target.with_type || !f->CoversDay(day)) continue;
    if (!target.with_when_field.empty() && !FieldHolds(*f, target.with_when_field, target.with_when_codes)) continue;
    if (!target.with_has_field.empty()) {
      const nlohmann::json& fields = RecordFields(*f);
      if (!fields.is_object() || !fields.contains(target.with_has_field)) continue;
      const nlohmann::json& value = fields[target.with_has_field];
      if (value.is_null() || (value.is_string() && value.get<std::string>().empty())) continue;
    }
    out.push_back(f);
  }
  std::stable_sort(out.begin(), out.end(), [](const Fact* a, const Fact* b) { return a->start < b->start; });
  return out;
}

const std::string& ForwardCode(const catalog::ForwardTarget& target) {
  return target.key.empty() ? target.target : target.key;
}

std::vector<const catalog::ForwardTarget*> ApplicableForwards(const catalog::RecordType& type, const PersonView& view,
                                                              const Fact& version, Date day) {
  std::vector<const catalog::ForwardTarget*> out;
  std::set<std::string> codes;
  const Fact* group = view.On(FactKind::kContactGroup, day);
  const bool member = AkasseOn(view, day).has_value();  // set_akasse or an akasse_membership record
  auto cpr = Cpr::Parse(view.cpr());
  for (const catalog::ForwardTarget& t : type.forward) {
    if (codes.count(ForwardCode(t))) continue;
    if (!t.contact_groups.empty() && (!group || std::find(t.contact_groups.begin(), t.contact_groups.end(),
                                                          group->code) == t.contact_groups.end())) {
      continue;
    }
    if (t.akasse_members_only && !member) continue;
    if (t.after_membership && (member || !LatestAkasseBy(view, day))) continue;
    if (!t.from_channels.empty() &&
        std::find(t.from_channels.begin(), t.from_channels.end(), version.channel) == t.from_channels.end()) {
      continue;
    }
    if (t.age_below || t.born_from || t.born_to) {
      if (!cpr.ok()) continue;
      const Date born = cpr->birth_date();
      if (t.age_below && day >= AddDuration(born, Duration{*t.age_below, Duration::Unit::kYears, false})) {
        continue;
      }
      if ((t.born_from && born < *t.born_from) || (t.born_to && born > *t.born_to)) continue;
    }
    if (t.period_from && t.period_to &&
        (version.start > *t.period_to || (version.end && *version.end < *t.period_from))) {
      continue;
    }
    if (!t.when_field.empty() && !FieldHolds(version, t.when_field, t.when_codes)) continue;
    if (!t.with_type.empty() && WithRecordsOn(t, view, day).empty()) continue;
    codes.insert(ForwardCode(t));
    out.push_back(&t);
  }
  return out;
}

}  // namespace dfdg::registry
