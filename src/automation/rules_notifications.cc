// The `notifications:` part of catalog/automation.yaml: which events, recipients and settings a message rule
// may use, checked against the catalogue (docs/automation.md §§ 3-5).
#include <algorithm>

#include "automation/fact_rules.h"
#include "automation/rules_reader.h"

namespace dfdg::automation {
namespace {

const std::vector<std::string> kNotificationEvents = {
    "contact_group_changed",   "absence_changed",  "municipality_changed", "record_field_cleared",
    "record_opened_or_closed", "record_forwarded", "meeting_cancelled",    "builtin_registered",
    "counter_by_other_akasse", "akasse_changed",   "fact_forwarded"};
// A rule's `recipient` is a recipient kind of catalog/recipients.yaml (`myndighed`: an authority named by
// `recipient_id`; `kommune`: the municipality's system that looked the entity up, fact_forwarded with `lookup`,
// § 133 stk. 3) or this keyword, which is no kind: the record type's forwarding declarations name the recipients
// (record_forwarded only; docs/decisions/0053).
const char* const kDeclared = "declared";

}  // namespace

Notification ReadNotification(RuleReader& r, const YAML::Node& entry, const catalog::Catalog& catalog) {
  Notification n;
  n.cause = r.ReadCause(entry);
  n.type = r.Text(entry, "type");
  n.event = r.Text(entry, "event");
  n.recipient = r.Text(entry, "recipient");
  n.contact_groups = r.Ints(entry, "contact_groups");
  if (!OneOf(kNotificationEvents, n.event)) r.Problem(entry, "unknown notification event '" + n.event + "'");
  if (n.recipient != kDeclared && !catalog.FindRecipientKind(n.recipient)) {
    std::string known;
    for (const catalog::RecipientKind& k : catalog.model().recipient_kinds) known.append(k.key).append(", ");
    r.Problem(entry, "unknown recipient '" + n.recipient + "' (" + known + "or " + kDeclared +
                         "; catalog/recipients.yaml)");
  }
  r.CheckGroups(entry, n.contact_groups);
  if (const YAML::Node types = entry["record_types"]) {
    if (!types.IsSequence()) r.Problem(types, "'record_types' must be a list");
    for (const auto& item : types) {
      n.record_types.push_back(item.Scalar());
      if (!catalog.FindRecordType(item.Scalar())) r.Problem(item, "unknown record type '" + item.Scalar() + "'");
    }
  }
  if (const YAML::Node codes = entry["move_codes"]) {
    n.field = r.Text(entry, "field");
    for (const auto& row : codes) {
      MoveCode c{r.Int(row, "contact_group"), r.Int(row, "moving_in"), r.Int(row, "moving_out"), r.Text(row, "name_in"),
                 r.Text(row, "name_out")};
      r.CheckGroups(row, {c.contact_group});
      r.Sources(row);
      n.move_codes.push_back(std::move(c));
    }
    if (n.record_types.size() != 1) r.Problem(entry, "move codes need exactly one contract record type");
    const catalog::RecordType* type = n.record_types.empty() ? nullptr : catalog.FindRecordType(n.record_types[0]);
    if (type && type->FieldIndex(n.field) < 0) r.Problem(entry, "unknown field '" + n.field + "'");
    if (entry["end_field"]) {
      n.end_field = r.Text(entry, "end_field");
      const int index = type ? type->FieldIndex(n.end_field) : -1;
      if (type && (index < 0 || type->fields[static_cast<size_t>(index)].type != catalog::FieldType::kDate)) {
        r.Problem(entry, "'end_field' must name a date field of " + type->key + "; got '" + n.end_field + "'");
      }
    }
  } else if (entry["end_field"]) {
    r.Problem(entry, "'end_field' belongs to move codes");
  }
  if (n.event == "record_opened_or_closed") {
    n.recipient_id = r.Text(entry, "recipient_id");
    if (n.record_types.empty()) r.Problem(entry, "missing 'record_types'");
  }
  if ((n.recipient == kDeclared) != (n.event == "record_forwarded")) {
    r.Problem(entry, "recipient 'declared' is the recipient of event record_forwarded, and only of it");
  }
  if (const YAML::Node list = entry["agreements"]) {
    if (n.event != "municipality_changed" || entry["move_codes"]) {
      r.Problem(list, "'agreements' belong to the move message (municipality_changed without move_codes)");
    }
    for (const auto& row : list) {
      AgreementSource a;
      a.kind = r.Text(row, "kind");
      if (a.kind != "interview" && a.kind != "followup") r.Problem(row, "agreement kind must be interview or followup");
      for (const std::string& name : r.Texts(row, "channels")) {
        if (auto channel = catalog::ParseChannel(name)) {
          a.channels.push_back(*channel);
        } else {
          r.Problem(row, "unknown channel '" + name + "'");
        }
      }
      if (a.channels.empty()) r.Problem(row, "missing 'channels'");
      a.legal_ref = r.Text(row, "legal_ref");
      a.sources = r.Sources(row);
      n.agreements.push_back(std::move(a));
    }
  }
  if (n.event == "record_forwarded") {
    if (n.record_types.empty()) r.Problem(entry, "missing 'record_types'");
    for (const std::string& type_key : n.record_types) {
      const catalog::RecordType* type = catalog.FindRecordType(type_key);
      if (type && type->forward.empty()) r.Problem(entry, type_key + " declares no forwarding (forward:)");
    }
  }
  if (n.recipient == "myndighed") {
    n.recipient_id = r.Text(entry, "recipient_id");
    if (n.event != "contact_group_changed" && n.event != "builtin_registered")
      r.Problem(entry, "recipient 'myndighed' is built for contact_group_changed and builtin_registered");
  }
  if (n.event == "builtin_registered" || n.event == "absence_changed") {
    for (const std::string& name : r.Texts(entry, "channels")) {
      if (auto channel = catalog::ParseChannel(name)) {
        n.channels.push_back(*channel);
      } else {
        r.Problem(entry, "unknown channel '" + name + "'");
      }
    }
  } else if (entry["channels"]) {
    r.Problem(entry, "'channels' belong to events builtin_registered and absence_changed");
  }
  if (n.event == "builtin_registered") {
    n.commands = r.Texts(entry, "commands");
    if (n.commands.empty()) r.Problem(entry, "missing 'commands'");
    for (const std::string& name : n.commands) {
      if (!catalog.FindBuiltinCommand(name).command) r.Problem(entry, "unknown built-in command '" + name + "'");
    }
    if (n.recipient == "akasse") {
      // The a-kasse named by `field` of the current records of the one type in `record_types` (§ 93 stk. 3).
      n.field = r.Text(entry, "field");
      const catalog::RecordType* type =
          n.record_types.size() == 1 ? catalog.FindRecordType(n.record_types[0]) : nullptr;
      if (n.record_types.size() != 1) {
        r.Problem(entry, "builtin_registered to an a-kasse names one record type whose 'field' holds the a-kasse");
      } else if (type && type->FieldIndex(n.field) < 0) {
        r.Problem(entry, "unknown field '" + n.field + "' of " + n.record_types[0]);
      }
    } else if (n.recipient != "jobcenter" && n.recipient != "myndighed") {
      r.Problem(entry, "builtin_registered is built for recipients jobcenter, myndighed and akasse");
    }
  }
  if (n.event == "counter_by_other_akasse" || n.event == "akasse_changed") {
    if (n.record_types.empty()) r.Problem(entry, "missing 'record_types'");
    if (n.recipient != "akasse") r.Problem(entry, n.event + " is built for recipient akasse");
    for (const std::string& type_key : n.record_types) {
      const catalog::RecordType* type = catalog.FindRecordType(type_key);
      if (type && type->FieldIndex("akasse_code") < 0) r.Problem(entry, type_key + " has no field 'akasse_code'");
    }
  }
  if (n.event == "record_field_cleared") {
    n.field = r.Text(entry, "field");
    n.recipient_id = r.Text(entry, "recipient_id");
    n.text_da = r.Text(entry, "text_da");
    if (const YAML::Node cond = entry["condition"]) {
      n.condition_field = r.Text(cond, "field");
      n.condition_codes = r.Texts(cond, "codes");
    }
    for (const std::string& type_key : n.record_types) {
      const catalog::RecordType* type = catalog.FindRecordType(type_key);
      if (!type) continue;
      if (type->FieldIndex(n.field) < 0) r.Problem(entry, "unknown field '" + n.field + "' of " + type_key);
      if (!n.condition_field.empty() && type->FieldIndex(n.condition_field) < 0)
        r.Problem(entry, "unknown field '" + n.condition_field + "' of " + type_key);
    }
    if (n.record_types.empty()) r.Problem(entry, "missing 'record_types'");
  }
  if (n.event == "meeting_cancelled") {
    n.annulled = r.Texts(entry, "annulled");
    if (n.annulled.empty()) r.Problem(entry, "missing 'annulled'");
    if (n.recipient != "citizen") r.Problem(entry, "meeting_cancelled is built for recipient citizen");
  }
  if (const YAML::Node sub = entry["subscription"]) {
    n.subscription_record_type = r.Text(sub, "record_type");
    n.subscription_media = r.Texts(sub, "media");
    if (n.event != "meeting_cancelled") r.Problem(sub, "'subscription' is built for meeting_cancelled");
    const catalog::RecordType* type = catalog.FindRecordType(n.subscription_record_type);
    if (!type) r.Problem(sub, "unknown record type '" + n.subscription_record_type + "'");
    for (const std::string& medium : n.subscription_media) {
      if (type && type->FieldIndex(medium) < 0)
        r.Problem(sub, "unknown field '" + medium + "' of " + n.subscription_record_type);
    }
    if (n.subscription_media.empty()) r.Problem(sub, "missing 'media'");
  } else if (n.event == "meeting_cancelled") {
    r.Problem(entry, "meeting_cancelled needs the citizen's 'subscription'");
  }
  if (n.event == "fact_forwarded") {
    n.forward = ReadFactForward(entry, catalog, r.mutable_problems());
    const bool lookup = !n.forward->lookup_type.empty();
    if (n.recipient != (lookup ? "kommune" : "akasse"))
      r.Problem(entry, "fact_forwarded is built for recipient akasse, and kommune with a 'lookup'");
  } else if (entry["forward"]) {
    r.Problem(entry, "'forward' belongs to event fact_forwarded");
  }
  if (n.recipient == "kommune" && n.event != "fact_forwarded")
    r.Problem(entry, "recipient 'kommune' is built for fact_forwarded with a 'lookup'");
  // An authority or the youth database is a recipient of catalog/recipients.yaml, addressed by its id.
  if ((n.recipient == "myndighed" || n.recipient == "udb") && !n.recipient_id.empty()) {
    const auto& all = catalog.model().recipients;
    if (std::none_of(all.begin(), all.end(), [&](const catalog::Recipient& x) {
          return x.kind == n.recipient && (x.id.empty() ? x.key : x.id) == n.recipient_id;
        })) {
      r.Problem(entry, "recipient_id '" + n.recipient_id + "' is no " + n.recipient +
                           " recipient of catalog/recipients.yaml");
    }
  }
  return n;
}

}  // namespace dfdg::automation
