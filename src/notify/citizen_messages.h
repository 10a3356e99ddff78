// Messages to the citizen (catalog/automation.yaml notifications with recipient `citizen`, docs/automation.md):
// seed 002 §3.3 (002:818-846) — a new message in the Jobnet message box when the job centre removes the support
// needs it registered in an education plan on steps 1-3. Only adds messages to the outbox.
#pragma once

#include <vector>

#include "automation/rules.h"
#include "registry/command.h"
#include "registry/person.h"
#include "store/store.h"

namespace dfdg::notify {

// event `record_field_cleared`: for each record version among `facts` of one of the rule's `record_types` whose
// previous (stored) version held items in `field` and, when the rule has a condition, a value of
// `condition_codes` in `condition_field`, and which holds none (or deletes or corrects the record), one message
// to recipient_kind `citizen`, recipient = the rule's recipient_id. Payload: {change: "fjernet", record_type,
// entity_id, field, removed: [the items' codes], condition_field: value, text_da}.
void CitizenMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                     const registry::PersonView& before, const registry::Command& command,
                     const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out);

// event `meeting_cancelled` (seed 002:129-131, "notificeres borgeren via sms- og e-mailservice, hvis borgeren er
// tilmeldt dette"): for each summons version among `facts` that a triggered rule cancelled (extra.dfdg.annulled
// one of the rule's `annulled`), one message per medium of the rule's subscription that the person's current
// subscription record (on the command's registration date) has on: recipient_kind `citizen`, recipient the medium
// ("sms", "email"). Not subscribed, or every medium off: no message. Payload: {change: "annulleret", kind
// (summons | booked_meeting), summons_id, date (the meeting's day), medium, subscription_id}.
void CancelledMeetingMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                              const registry::PersonView& before, const registry::Command& command,
                              const std::vector<registry::Fact>& facts, std::vector<store::OutboxMessage>* out);

}  // namespace dfdg::notify
