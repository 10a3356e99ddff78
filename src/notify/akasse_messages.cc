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

// The recipients of a `builtin_registered` rule on `day`, as {kind, id}: the job centre of the person's
// municipality (myndighedstilknytning); the authority `recipient_id`; or each a-kasse other than the member's that
// `field` names in a current record of record_types[0] (§ 93 stk. 3: the a-kasse placing the member in a concrete
// recruitment). Empty: no message.
std::vector<std::pair<std::string, std::string>> Recipients(const automation::Notification& rule,
                                                            const registry::PersonView& before, Date day) {
  std::vector<std::pair<std::string, std::string>> out;
  if (rule.recipient == "jobcenter") {
    if (const Fact* municipality = before.On(FactKind::kMunicipality, day))
      out.emplace_back("jobcenter", std::to_string(municipality->code));
  } else if (rule.recipient == "myndighed") {
    out.emplace_back("myndighed", rule.recipient_id);
  } else if (rule.recipient == "akasse" && !rule.record_types.empty()) {
    const std::optional<std::string> member = registry::AkasseOn(before, day);
    for (const Fact* r : before.Of(FactKind::kRecord)) {
      if (r->deleted || r->text != rule.record_types[0] || !r->CoversDay(day)) continue;
      const nlohmann::json& fields = registry::RecordFields(*r);
      if (!fields.is_object() || !fields.contains(rule.field) || !fields[rule.field].is_string()) continue;
      std::pair<std::string, std::string> to{"akasse", fields[rule.field].get<std::string>()};
      if ((member && *member == to.second) || std::find(out.begin(), out.end(), to) != out.end()) continue;
      out.push_back(std::move(to));
    }
  }
  return out;
}

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
  const std::vector<std::pair<std::string, std::string>> recipients = Recipients(rule, before, day);
  if (recipients.empty()) return;
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
    for (const auto& [kind, id] : recipients) {
      out->push_back(RuleMessage(catalog, rule, command, kind, id, day, payload));
    }
  }
}

void CounterByOtherAkasseMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                                  const registry::PersonView& before, const registry::Command& command,
                                  const std::vector<Fact>& facts, std::vector<store::OutboxMessage>* out) {
  const Date day = command.registered;
  for (const Fact* r : RuleRecords(rule, facts)) {
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

namespace {

// The new memberships of this command: {a-kasse, start} of each akasse_membership record it begins and of each
// membership it sets by the built-in command set_akasse (both are a person's membership: AkasseOn, decision 0010).
std::vector<std::pair<std::string, Date>> NewMemberships(const registry::PersonView& before,
                                                         const std::vector<Fact>& facts) {
  std::vector<std::pair<std::string, Date>> out;
  for (const Fact* m : automation::LatestVersions(facts, FactKind::kRecord)) {
    if (m->deleted || m->text != "akasse_membership" || before.Entity(m->entity_id)) continue;
    const nlohmann::json& membership = registry::RecordFields(*m);
    if (!membership.is_object() || !membership.contains("akasse_code") || !membership["akasse_code"].is_string())
      continue;
    out.emplace_back(membership["akasse_code"].get<std::string>(), m->start);
  }
  for (const Fact* m : automation::LatestVersions(facts, FactKind::kAkasse)) {
    if (m->deleted || m->text.empty() || before.Entity(m->entity_id)) continue;
    out.emplace_back(m->text, m->start);
  }
  return out;
}

}  // namespace

void CountersAtAkasseChangeMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                                    const registry::PersonView& before, const registry::Command& command,
                                    const std::vector<Fact>& facts, std::vector<store::OutboxMessage>* out) {
  for (const auto& [to, start] : NewMemberships(before, facts)) {
    const std::optional<std::string> from = registry::LatestAkasseBy(before, start);
    if (!from || *from == to) continue;
    Json counters = Json::array();
    for (const std::string& type_key : rule.record_types) {
      const catalog::RecordType* type = catalog.FindRecordType(type_key);
      const Fact* report = type ? registry::LatestRecordOf(before, type_key, command.registered) : nullptr;
      if (!report) continue;
      const nlohmann::json& fields = registry::RecordFields(*report);
      Json item{{"record_type", type_key}, {"entity_id", report->entity_id}};
      const bool coded = fields.is_object() && fields.contains("akasse_code") && fields["akasse_code"].is_string();
      item["reported_by"] = coded ? Json(fields["akasse_code"].get<std::string>()) : Json();
      item["start"] = FormatDate(report->start);
      item["fields"] = registry::FieldsForOutput(*type, fields, nullptr);
      counters.push_back(std::move(item));
    }
    if (counters.empty()) continue;
    Json payload{{"from_akasse", *from}, {"akasse", to}, {"event_date", FormatDate(start)}};
    payload["counters"] = std::move(counters);
    out->push_back(RuleMessage(catalog, rule, command, to, payload));
  }
}

void AkasseMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                    const registry::PersonView& before, const registry::Command& command,
                    const std::vector<Fact>& facts, std::vector<store::OutboxMessage>* out) {
  if (rule.event == "builtin_registered") BuiltinRegistrationMessages(catalog, rule, before, command, facts, out);
  if (rule.event == "counter_by_other_akasse") CounterByOtherAkasseMessages(catalog, rule, before, command, facts, out);
  if (rule.event == "akasse_changed") CountersAtAkasseChangeMessages(catalog, rule, before, command, facts, out);
}

}  // namespace dfdg::notify
