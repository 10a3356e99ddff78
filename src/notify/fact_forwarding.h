// Facts passed on to the person's a-kasse as they are registered (catalog/automation.yaml notifications with
// event `fact_forwarded`, docs/automation.md M3-M7): seed 000 § 17 stk. 9 (registration as job seeker), § 20
// stk. 5 (summons), § 21 stk. 2 (self-booking deadlines), § 24 stk. 2 (the a-kasse choice), § 27 stk. 4-5 (held
// interviews, cv not adequate). One mechanism; which facts go is the rule's `forward` data. Only adds messages.
#pragma once

#include <vector>

#include "automation/rules.h"
#include "registry/command.h"
#include "registry/person.h"
#include "store/store.h"

namespace dfdg::notify {

// For the latest version of each entity of the rule's fact kind among `facts` whose change (oprettet: a new
// entity; slettet: a deleted version; aflyst: now cancelled; afsluttet: an open period given an end; aendret:
// any other version) and filters match, one message to the a-kasse the person is a member of on the judged day.
// Contact group, registration category and membership are those before the command (as for every message,
// notifications.h): a deadline annulled on the return to KG 1 was not a KG 1 deadline. No membership: no message.
// With `codes`, only facts whose code is listed. With a `lookup` (recipient kommune, § 133 stk. 3) the recipients
// are the lookups stored before the command that name the entity (one message per municipality; none: no
// message) instead of the a-kasse. Payload: {change, fact_kind,
// entity_id, start, end, <fields>, <field>_name, by_rule (a version DFDG wrote)}. REQUIRES: rule.forward is set.
void FactForwardMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                         const registry::PersonView& before, const registry::Command& command,
                         const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out);

}  // namespace dfdg::notify
