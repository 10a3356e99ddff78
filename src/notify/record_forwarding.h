// Forwarding of records as outbox messages (catalog/automation.yaml notifications with event `record_forwarded`,
// docs/automation.md M10): § 46 (a-kasse, Danmarks Statistik, Børne- og Undervisningsministeriets fælles
// datagrundlag, ATP and skattemyndighederne), § 47 (ungedatabasen), § 52 stk. 5, § 55 stk. 3 and § 56 stk. 4
// (a-kasse), each as the record type declares it (`forward:`, registry/forwarding.h). Only adds messages to the
// outbox; delivery is the outbox's.
#pragma once

#include <vector>

#include "automation/rules.h"
#include "registry/command.h"
#include "registry/person.h"
#include "store/store.h"

namespace dfdg::notify {

// For each record among `facts` (the latest version per entity) of one of the rule's `record_types`, one message
// per forwarding declaration (by code) that applies — on the registration day, to the person as stored before the
// command (registry::ApplicableForwards) — to the new version or to the stored one:
//   applies to both → action "aendret"; only to the new one → "oprettet"; only to the stored one → "slettet" when
//   the new version is a deletion, else "udgaaet" (a change took the record out of the declaration, e.g. a plan
//   type no longer "uddannelsesplan").
// Recipient: `akasse` → the person's a-kasse on the day (none: no message), or with `after_membership` the latest
// a-kasse (registry::LatestAkasseBy); `jobcenter` → the municipality on the
// day (none: no message); any other target → recipient_kind `myndighed`, recipient the target key.
// Payload: {code, action, record_type, entity_id, start, end, fields, legal_ref, source} where `fields` are the
// declaration's `fields` (all when it names none; CPR values masked) of the version the message is about.
void RecordForwardMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                           const registry::PersonView& before, const registry::Command& command,
                           const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out);

}  // namespace dfdg::notify
