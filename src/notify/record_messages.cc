#include "notify/record_messages.h"

#include "registry/record.h"
#include "notify/rule_message.h"

namespace dfdg::notify {

void RecordPeriodMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                          const registry::PersonView& before, const registry::Command& command,
                          const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out) {
  using Json = nlohmann::ordered_json;
  for (const registry::Fact* f : RuleRecords(rule, facts)) {
    if (f->deleted) continue;
    const catalog::RecordType* type = catalog.FindRecordType(f->text);
    if (!type) continue;
    const registry::Fact* stored = before.Entity(f->entity_id);
    std::string change;
    if (!stored) {
      change = "oprettet";
    } else if (!stored->end && f->end) {
      change = "lukket";
    } else {
      continue;
    }
    Json payload{
        {"change", change}, {"record_type", f->text}, {"entity_id", f->entity_id}, {"start", FormatDate(f->start)}};
    if (f->end) payload["end"] = FormatDate(*f->end);
    const nlohmann::json& fields = registry::RecordFields(*f);
    for (const catalog::FieldDecl& field : type->fields) {
      if (field.type != catalog::FieldType::kCode || !fields.contains(field.key) || !fields[field.key].is_string())
        continue;
      std::string code = fields[field.key].get<std::string>();
      payload[field.key] = code;
      const std::string* name = catalog.FindRecordCode(*type, field.code_list, code, command.registered);
      if (name) payload[field.key + "_name"] = *name;
    }
    out->push_back(RuleMessage(catalog, rule, command, rule.recipient_id, payload));
  }
}

}  // namespace dfdg::notify
