#include "notify/citizen_messages.h"

#include <algorithm>

#include "automation/triggers.h"
#include "registry/record.h"
#include "notify/rule_message.h"

namespace dfdg::notify {
namespace {

using Json = nlohmann::ordered_json;

// The items of a list field (empty when absent or not a list).
nlohmann::json Items(const registry::Fact& f, const std::string& field) {
  const nlohmann::json& fields = registry::RecordFields(f);
  if (!fields.contains(field) || !fields[field].is_array()) return nlohmann::json::array();
  return fields[field];
}

// The person's current record of `type` on `day` (the latest one starting first when several), or nullptr.
const registry::Fact* CurrentRecord(const registry::PersonView& before, const std::string& type, Date day) {
  const registry::Fact* found = nullptr;
  for (const registry::Fact* r : before.Of(registry::FactKind::kRecord)) {
    if (registry::IsRecordOf(*r, type) && r->CoversDay(day)) found = r;
  }
  return found;
}

}  // namespace

void CancelledMeetingMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                              const registry::PersonView& before, const registry::Command& command,
                              const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out) {
  const registry::Fact* subscription = nullptr;
  bool looked = false;
  for (const registry::Fact* f : automation::LatestVersions(facts, registry::FactKind::kSummons)) {
    if (!f->extra.is_object() || !f->extra.contains("dfdg") || !f->extra["dfdg"].is_object()) continue;
    std::string kind = f->extra["dfdg"].value("annulled", "");
    if (std::find(rule.annulled.begin(), rule.annulled.end(), kind) == rule.annulled.end()) continue;
    if (!looked) {
      subscription = CurrentRecord(before, rule.subscription_record_type, command.registered);
      looked = true;
    }
    if (!subscription) return;  // not subscribed: no notice
    const nlohmann::json& fields = registry::RecordFields(*subscription);
    for (const std::string& medium : rule.subscription_media) {
      if (!fields.contains(medium) || !fields[medium].is_boolean() || !fields[medium].get<bool>()) continue;
      Json payload{{"change", "annulleret"},      {"kind", kind},     {"summons_id", f->entity_id},
                   {"date", FormatDate(f->start)}, {"medium", medium}, {"subscription_id", subscription->entity_id}};
      out->push_back(RuleMessage(catalog, rule, command, "citizen", medium, command.registered, payload));
    }
  }
}

void CitizenMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                     const registry::PersonView& before, const registry::Command& command,
                     const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out) {
  for (const registry::Fact* f : RuleRecords(rule, facts)) {
    const registry::Fact* stored = before.Entity(f->entity_id);
    if (!stored) continue;  // a new record removes nothing
    nlohmann::json had = Items(*stored, rule.field);
    if (had.empty()) continue;
    bool gone = f->deleted || registry::RecordActionOf(*f) == "delete" || Items(*f, rule.field).empty();
    if (!gone) continue;
    Json payload{{"change", "fjernet"}, {"record_type", f->text}, {"entity_id", f->entity_id}, {"field", rule.field}};
    Json removed = Json::array();
    for (const auto& item : had) {
      if (item.is_object() && !item.empty()) removed.push_back(Json::parse(item.begin().value().dump()));
    }
    payload["removed"] = removed;
    if (!rule.condition_field.empty()) {
      const nlohmann::json& fields = registry::RecordFields(*stored);
      std::string value = fields.contains(rule.condition_field) && fields[rule.condition_field].is_string()
                              ? fields[rule.condition_field].get<std::string>()
                              : std::string();
      if (std::find(rule.condition_codes.begin(), rule.condition_codes.end(), value) == rule.condition_codes.end())
        continue;
      payload[rule.condition_field] = value;
    }
    payload["text_da"] = rule.text_da;
    out->push_back(RuleMessage(catalog, rule, command, rule.recipient_id, payload));
  }
}

}  // namespace dfdg::notify
