// Messages on a move to another municipality (catalog/automation.yaml notifications with event
// `municipality_changed`, docs/automation.md): § 43 stk. 10 (000:1538-1546) — the new municipality receives the
// person's current »Min Plan« and the ongoing and agreed future employment measures. Only adds messages to the
// outbox; delivery is the outbox's.
#pragma once

#include <vector>

#include "automation/rules.h"
#include "registry/command.h"
#include "registry/person.h"
#include "store/store.h"

namespace dfdg::notify {

// For each new municipality period among `facts` (set_municipality) that follows a period in another
// municipality the day before, one message to the new municipality (recipient_kind `jobcenter`, recipient the
// municipality code) when the person is in one of the rule's contact groups on the move day (all when the rule
// names none). Payload: {change: "tilflytning", from_municipality, to_municipality, start, counts: {record_type: n},
// records: [{record_type, entity_id, start, end, fields}], agreements: [{legal_ref, kind, entity_id, held_on,
// channel, type, agreements}]} with every current record of the rule's `record_types` whose period contains the
// move day or starts after it (CPR fields masked), in entity order, and per `agreements` source of the rule the
// latest held interview or follow-up with agreements (§ 43 stk. 10: §§ 27, 28, 36, 92). No message when there is
// neither such a record nor such an agreement.
void MoveMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                  const registry::PersonView& before, const registry::Command& command,
                  const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out);

// Seed 002 §1.2 (002:133-237): for each move (as above) of a person with an open integration-law contract — a
// record of the rule's record type whose `field` is set, not ended before the move day — two messages of the
// rule's type: to the old municipality (code `moving_out`) and to the new one (code `moving_in`) of the person's
// contact group on the move day, or, when none is open then, of the latest contact group registered before
// ("Hvis borgerens kontaktgruppe er lukket på flyttetidspunktet, sender DFDG notifikationstype svarende til den
// seneste kontaktgrupperegistrering"). No message when that group has no code in the rule (the seeds print only
// 59-72) or the person has no contact group at all. Payload: {change: "fraflytning" | "tilflytning", code,
// code_name, contact_group, contact_group_closed, from_municipality, to_municipality, start}.
void MoveCodeMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                      const registry::PersonView& before, const registry::Command& command,
                      const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out);

}  // namespace dfdg::notify
