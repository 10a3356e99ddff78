#include "notify/akasse_messages.h"

#include <algorithm>
#include <string>

#include "automation/triggers.h"
#include "notify/rule_message.h"
#include "registry/akasse_rules.h"
#include "registry/record.h"

namespace dfdg::notify {

using Json = nlohmann::ordered_json;
using registry::Fact;
using registry::FactKind;

namespace {

const char* ActionCode(catalog::RecordAction action) {
  switch (action) {
    case catalog::RecordAction::kCreate:
      return "oprettet";
    case catalog::RecordAction::kChange:
      return "aendret";
    case catalog::RecordAction::kDelete:
      return "slettet";
    case catalog::RecordAction::kCorrect:
      return "berigtiget";
    case catalog::RecordAction::kRead:
      break;
  }
  return "";
}

Json DateOrNull(const std::optional<Date>& date) { return date ? Json(FormatDate(*date)) : Json(nullptr); }

}  // namespace

void BuiltinRegistrationMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                                 const registry::PersonView& before, const registry::Command& command,
                                 const std::vector<Fact>& facts, std::vector<store::OutboxMessage>* out) {
  const std::string name = registry::CommandName(command.type);
  if (std::find(rule.commands.begin(), rule.commands.end(), name) == rule.commands.end()) return;
  if (!rule.channels.empty() &&
      std::find(rule.channels.begin(), rule.channels.end(), command.channel) == rule.channels.end())
    return;
  const catalog::BuiltinCommandRef ref = catalog.FindBuiltinCommand(name);
  if (!ref.area || !ref.command) return;
  const std::optional<FactKind> kind = registry::ParseFactKind(ref.area->stored_as);
  if (!kind) return;
  const Date day = command.registered;
  std::string recipient_kind, recipient;
  if (rule.recipient == "jobcenter") {
    // The job centre of the person's municipality (myndighedstilknytning) on the day.
    const Fact* municipality = before.On(FactKind::kMunicipality, day);
    if (!municipality) return;
    recipient_kind = "jobcenter";
    recipient = std::to_string(municipality->code);
  } else if (rule.recipient == "myndighed") {
    recipient_kind = "myndighed";
    recipient = rule.recipient_id;
  } else {
    return;
  }
  const bool creating = ref.command->action == catalog::RecordAction::kCreate;
  for (const Fact* f : automation::LatestVersions(facts, *kind)) {
    if (f->channel != command.channel) continue;  // DFDG's own facts (triggers) are not the a-kasse's registration
    if ((before.Entity(f->entity_id) != nullptr) == creating) continue;
    Json payload{{"command", name},
                 {"action", ActionCode(ref.command->action)},
                 {"area", ref.area->key},
                 {"entity_id", f->entity_id},
                 {"start", FormatDate(f->start)},
                 {"end", DateOrNull(f->end)}};
    if (!f->text.empty()) payload["text"] = f->text;
    if (f->code != 0) payload["code"] = f->code;
    if (f->event_date) payload["event_date"] = FormatDate(*f->event_date);
    payload["details"] = f->extra.is_object() ? Json::parse(f->extra.dump()) : Json::object();
    if (!f->comment.empty()) payload["comment"] = f->comment;
    payload["reported_by"] = command.actor;
    out->push_back(RuleMessage(catalog, rule, command, recipient_kind, recipient, day, payload));
  }
}

void CounterByOtherAkasseMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                                  const registry::PersonView& before, const registry::Command& command,
                                  const std::vector<Fact>& facts, std::vector<store::OutboxMessage>* out) {
  const Date day = command.registered;
  for (const Fact* r : automation::LatestVersions(facts, FactKind::kRecord)) {
    if (std::find(rule.record_types.begin(), rule.record_types.end(), r->text) == rule.record_types.end()) continue;
    const catalog::RecordType* type = catalog.FindRecordType(r->text);
    if (!type) continue;
    const Fact* stored = before.Entity(r->entity_id);
    // A delete mark keeps no fields of its own: the reporting a-kasse is the stored version's.
    const Fact& version = r->deleted && stored ? *stored : *r;
    const nlohmann::json& fields = registry::RecordFields(version);
    if (!fields.is_object() || !fields.contains("akasse_code") || !fields["akasse_code"].is_string()) continue;
    const std::string reporter = fields["akasse_code"].get<std::string>();
    const std::optional<std::string> member = registry::AkasseOn(before, day);
    if (!member || *member == reporter) continue;
    const char* action = !stored ? "oprettet" : (r->deleted ? "slettet" : "berigtiget");
    Json payload{{"action", action},
                 {"record_type", r->text},
                 {"entity_id", r->entity_id},
                 {"reported_by", reporter},
                 {"start", FormatDate(version.start)},
                 {"fields", registry::FieldsForOutput(*type, fields, nullptr)}};
    if (!r->comment.empty()) payload["comment"] = r->comment;
    out->push_back(RuleMessage(catalog, rule, command, *member, payload));
  }
}

void AkasseMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                    const registry::PersonView& before, const registry::Command& command,
                    const std::vector<Fact>& facts, std::vector<store::OutboxMessage>* out) {
  if (rule.event == "builtin_registered") BuiltinRegistrationMessages(catalog, rule, before, command, facts, out);
  if (rule.event == "counter_by_other_akasse") CounterByOtherAkasseMessages(catalog, rule, before, command, facts, out);
}

}  // namespace dfdg::notify
