// Messages about a record's period (catalog/automation.yaml notifications with event `record_opened_or_closed`,
// docs/automation.md): seed 000 § 47 stk. 1 nr. 2-3 — the youth database (UDB) receives the requested start date
// when a subscription is opened and the end date when it is closed. Only adds messages to the outbox.
#pragma once

#include <vector>

#include "automation/rules.h"
#include "registry/command.h"
#include "registry/person.h"
#include "store/store.h"

namespace dfdg::notify {

// For each record version among `facts` of one of the rule's `record_types` that creates the record
// ("oprettet") or gives a stored record without an end date an end date ("lukket"), one message to the rule's
// recipient kind, recipient = the rule's recipient_id. Payload: {change, record_type, entity_id, start, end
// (closed only), and the record's code fields with their names: "<field>", "<field>_name"}.
void RecordPeriodMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                          const registry::PersonView& before, const registry::Command& command,
                          const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out);

}  // namespace dfdg::notify
