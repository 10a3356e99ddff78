// Messages about the a-kasser's own registrations (catalog/automation.yaml notifications with events
// `builtin_registered` and `counter_by_other_akasse`, docs/automation.md M8 and M12): seed 000 § 64 stk. 3, § 87
// stk. 5, § 89 stk. 5, § 92 stk. 3 and § 93 stk. 3 pass the a-kasse's registrations on to the person's job centre
// (and § 64 stk. 3 to Danmarks Statistik); § 67 stk. 6 tells the member's a-kasse of counters another a-kasse
// updated. Only adds messages to the outbox.
#pragma once

#include <vector>

#include "automation/rules.h"
#include "registry/command.h"
#include "registry/person.h"
#include "store/store.h"

namespace dfdg::notify {

// When `command` is one of the rule's `commands`, sent from one of its `channels` (none named: any): one message
// per entity of the command's area (its `stored_as` kind) that the command writes on its own channel — a creating
// command: each new entity; a changing, deleting or correcting one: each entity that existed before (so the
// period a new registration closes is no message of its own). Recipient: `jobcenter` → the person's
// municipality on the registration day (none: no message); `myndighed` → the rule's recipient_id; `akasse` →
// each a-kasse, other than the member's, that the rule's `field` names in a record of its `record_types[0]`
// current on the day (§ 93 stk. 3: the placing a-kasse of a recruitment_brokering; none: no message).
// Payload: {command, action (oprettet | aendret | slettet | berigtiget, by the command's catalogue action), area,
// entity_id, start, end, text, code, event_date, details, comment, reported_by} — `text`/`code` as the area stores
// them (type, status, deregistration reason; registration category), `details` its stored details, `reported_by`
// the command's actor (the a-kasse code, § 89 nr. 7, § 92 nr. 3).
void BuiltinRegistrationMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                                 const registry::PersonView& before, const registry::Command& command,
                                 const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out);

// For each record among `facts` (latest version per entity) of one of the rule's `record_types` whose
// `akasse_code` differs from the person's a-kasse on the registration day (registry::AkasseOn, as stored before
// the command): one message to that a-kasse. No membership on the day, or the member's own a-kasse reporting: no
// message. Payload: {action (oprettet | berigtiget | slettet), record_type, entity_id, reported_by, start, fields
// (all, CPR masked), comment}.
void CounterByOtherAkasseMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                                  const registry::PersonView& before, const registry::Command& command,
                                  const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out);

// § 82 stk. 2: for each membership the command begins — an akasse_membership record, or a membership set by the
// built-in command set_akasse (decision 0049) — whose a-kasse differs from the person's latest a-kasse by its
// start (registry::LatestAkasseBy, as stored before the command; current or ended, either way of registering):
// one message to the new a-kasse with the counters standing at the change — per type of the rule's
// `record_types`, the latest current report computed on or before the registration day (registry::LatestRecordOf).
// No earlier a-kasse, the same a-kasse, or no counters: no message; the former a-kasse gets none. Payload:
// {from_akasse, akasse, event_date, counters: [{record_type, entity_id, reported_by, start, fields (all, CPR
// masked)}]} in the order of `record_types`.
void CountersAtAkasseChangeMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                                    const registry::PersonView& before, const registry::Command& command,
                                    const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out);

// The rule's messages when its event is one of the three above; nothing for any other event.
void AkasseMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                    const registry::PersonView& before, const registry::Command& command,
                    const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out);

}  // namespace dfdg::notify
