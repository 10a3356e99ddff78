#include "notify/notifications.h"

#include <algorithm>

#include "automation/triggers.h"
#include "core/cpr.h"
#include "notify/akasse_messages.h"
#include "notify/citizen_messages.h"
#include "notify/fact_forwarding.h"
#include "notify/move_messages.h"
#include "notify/record_forwarding.h"
#include "notify/record_messages.h"
#include "notify/rule_message.h"
#include "registry/akasse_rules.h"

namespace dfdg::notify {
namespace {

using Json = nlohmann::ordered_json;
using registry::Fact;
using registry::FactKind;

bool Contains(const std::vector<int>& list, int value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string DateOrNull(const std::optional<Date>& date) { return date ? FormatDate(*date) : std::string(); }

// True when the a-kasse runs the contact course on `date`: KG 1 and an active (not inactivated) reason 75.
bool ContactCourseAtAkasse(const registry::PersonView& before, Date date) {
  const Fact* group = before.On(FactKind::kContactGroup, date);
  if (!group || group->code != 1) return false;
  for (const Fact* a : before.Of(FactKind::kAbsence)) {
    if (a->code == 75 && a->CoversDay(date) && !automation::InactiveOn(*a, date)) return true;
  }
  return false;
}

// The recipient of a contact-group message on `date`: the a-kasse the person is a member of (none: nullopt), or
// the rule's authority (`myndighed`, § 46 stk. 4).
std::optional<std::string> GroupRecipient(const automation::Notification& rule, const registry::PersonView& before,
                                          Date date) {
  if (rule.recipient == "myndighed") return rule.recipient_id;
  return registry::AkasseOn(before, date);
}

void ContactGroupMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                          const registry::PersonView& before, const registry::Command& command,
                          const std::vector<Fact>& facts, std::vector<store::OutboxMessage>* out) {
  // Leaving first (the old period ends the day before the new one starts), then entering.
  for (const Fact* f : automation::LatestVersions(facts, FactKind::kContactGroup)) {
    const Fact* stored = before.Entity(f->entity_id);
    if (!stored || !f->end || stored->end == f->end || !Contains(rule.contact_groups, f->code)) continue;
    auto recipient = GroupRecipient(rule, before, *f->end);
    if (!recipient) continue;
    out->push_back(RuleMessage(catalog, rule, command, *recipient,
                               Json{{"change", "afgang"}, {"contact_group", f->code}, {"end", FormatDate(*f->end)}}));
  }
  for (const Fact* f : automation::LatestVersions(facts, FactKind::kContactGroup)) {
    if (before.Entity(f->entity_id) || !Contains(rule.contact_groups, f->code)) continue;
    auto recipient = GroupRecipient(rule, before, f->start);
    if (!recipient) continue;
    out->push_back(
        RuleMessage(catalog, rule, command, *recipient,
                    Json{{"change", "tilgang"}, {"contact_group", f->code}, {"start", FormatDate(f->start)}}));
  }
  // A group registered with its end (set_contact_group with `end`): leaving it as well, after entering.
  for (const Fact* f : automation::LatestVersions(facts, FactKind::kContactGroup)) {
    if (before.Entity(f->entity_id) || !f->end || !Contains(rule.contact_groups, f->code)) continue;
    auto recipient = GroupRecipient(rule, before, *f->end);
    if (!recipient) continue;
    out->push_back(RuleMessage(catalog, rule, command, *recipient,
                               Json{{"change", "afgang"}, {"contact_group", f->code}, {"end", FormatDate(*f->end)}}));
  }
}

void AbsenceMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                     const registry::PersonView& before, const registry::Command& command,
                     const std::vector<Fact>& facts, std::vector<store::OutboxMessage>* out) {
  for (const Fact* f : automation::LatestVersions(facts, FactKind::kAbsence)) {
    if (!rule.channels.empty() &&
        std::find(rule.channels.begin(), rule.channels.end(), f->channel) == rule.channels.end())
      continue;
    const catalog::Absence* reason = catalog.FindAbsence(f->code);
    if (!reason || !reason->bilag3) continue;
    Date on = std::max(f->start, command.registered);
    bool forwarded =
        reason->bilag3->akasse || (reason->bilag3->akasse_contact_course && ContactCourseAtAkasse(before, on));
    if (!forwarded) continue;
    std::optional<std::string> akasse = registry::AkasseOn(before, command.registered);
    if (!akasse) akasse = registry::AkasseOn(before, f->start);
    if (!akasse) continue;
    std::string action;
    if (f->deleted) {
      action = "berigtiget";
    } else if (f->channel == catalog::Channel::kDfdg && f->extra.is_object() && f->extra.contains("dfdg")) {
      action = f->extra["dfdg"]["action"] == "end_absence" ? "afsluttet" : "inaktiveret";
    } else if (!before.Entity(f->entity_id)) {
      action = "oprettet";
    } else if (command.type == registry::CommandType::kEndAbsence) {
      action = "afsluttet";
    } else {
      action = "aendret";
    }
    Json payload{{"action", action},
                 {"absence_id", f->entity_id},
                 {"reason", f->code},
                 {"start", FormatDate(f->start)},
                 {"end", DateOrNull(f->end)}};
    if (f->extra.is_object() && f->extra.contains("dfdg")) {
      payload["by_rule"] = f->extra["dfdg"]["rule"];
      if (f->extra["dfdg"].contains("inactive_from")) payload["inactive_from"] = f->extra["dfdg"]["inactive_from"];
    }
    out->push_back(RuleMessage(catalog, rule, command, *akasse, payload));
  }
}

}  // namespace

std::vector<store::OutboxMessage> Messages(const catalog::Catalog& catalog, const automation::Rules& rules,
                                           const registry::PersonView& before, const registry::Command& command,
                                           const std::vector<Fact>& facts) {
  std::vector<store::OutboxMessage> out;
  if (!command.cpr) return out;
  for (const automation::Notification& rule : rules.notifications) {
    if (rule.event == "contact_group_changed") ContactGroupMessages(catalog, rule, before, command, facts, &out);
    if (rule.event == "absence_changed") AbsenceMessages(catalog, rule, before, command, facts, &out);
    if (rule.event == "municipality_changed" && rule.move_codes.empty())
      MoveMessages(catalog, rule, before, command, facts, &out);
    if (rule.event == "municipality_changed" && !rule.move_codes.empty())
      MoveCodeMessages(catalog, rule, before, command, facts, &out);
    if (rule.event == "record_field_cleared") CitizenMessages(catalog, rule, before, command, facts, &out);
    if (rule.event == "meeting_cancelled") CancelledMeetingMessages(catalog, rule, before, command, facts, &out);
    if (rule.event == "record_opened_or_closed") RecordPeriodMessages(catalog, rule, before, command, facts, &out);
    if (rule.event == "record_forwarded") RecordForwardMessages(catalog, rule, before, command, facts, &out);
    AkasseMessages(catalog, rule, before, command, facts, &out);  // builtin_registered, counter_by_other_akasse
    if (rule.event == "fact_forwarded" && rule.forward) {
      FactForwardMessages(catalog, rule, before, command, facts, &out);
    }
  }
  return out;
}

Json MessageJson(const store::OutboxMessage& m) {
  auto cpr = Cpr::Parse(m.cpr);
  Json out{{"seq", m.seq},
           {"id", m.id},
           {"command_seq", m.command_seq},
           {"type", m.type},
           {"recipient_kind", m.recipient_kind},
           {"recipient", m.recipient},
           {"cpr", cpr.ok() ? cpr->Masked() : std::string("(ugyldigt CPR)")},
           {"created_on", m.created_on},
           {"state", m.state}};
  out["payload"] = Json::parse(m.payload, nullptr, false);
  out["cause"] = Json::parse(m.cause, nullptr, false);
  return out;
}

}  // namespace dfdg::notify
