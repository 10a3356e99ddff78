// Which messages an accepted change produces (catalog/automation.yaml `notifications`, docs/automation.md), and
// how an outbox message is shown. The messages are written by the registry in the same transaction as the
// change (store.h AppendOutbox); ids, seq and command_seq are assigned there.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "automation/rules.h"
#include "registry/command.h"
#include "registry/person.h"
#include "store/store.h"

namespace dfdg::notify {

// The messages caused by `command`, whose facts (its own and the triggered ones, in append order) are `facts`,
// on a person whose state before the command is `before`. Without a recipient (no a-kasse membership on the
// day) a rule produces no message. Fields filled: type, recipient_kind, recipient, cpr, created_on, payload,
// cause.
std::vector<store::OutboxMessage> Messages(const catalog::Catalog& catalog, const automation::Rules& rules,
                                           const registry::PersonView& before, const registry::Command& command,
                                           const std::vector<registry::Fact>& facts);

// The message as JSON for people and programs (docs/automation.md "Outbox"): CPR masked, payload and cause
// as objects.
nlohmann::ordered_json MessageJson(const store::OutboxMessage& message);

}  // namespace dfdg::notify
