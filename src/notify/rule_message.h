// The common shape of every outbox message a notification rule writes (catalog/automation.yaml
// `notifications`, docs/automation.md "Outbox").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "automation/rules.h"
#include "catalog/catalog.h"
#include "core/date.h"
#include "registry/command.h"
#include "store/store.h"

namespace dfdg::notify {

// A message of `rule` about `command`'s person to (`recipient_kind`, `recipient`), created on `day`, with
// `payload`: the type and the cause (the rule's catalogue entry and seed lines) come from the rule.
// REQUIRES: command.cpr is set (an accepted command).
store::OutboxMessage RuleMessage(const catalog::Catalog& catalog, const automation::Notification& rule,
                                 const registry::Command& command, std::string recipient_kind, std::string recipient,
                                 Date day, const nlohmann::ordered_json& payload);

// The same with the payload already as JSON text (the bulk path: written straight to a string).
store::OutboxMessage RuleMessage(const catalog::Catalog& catalog, const automation::Notification& rule,
                                 const registry::Command& command, std::string recipient_kind, std::string recipient,
                                 Date day, std::string payload_json);

// The same, to the rule's own recipient kind, created on the command's registration date.
inline store::OutboxMessage RuleMessage(const catalog::Catalog& catalog, const automation::Notification& rule,
                                        const registry::Command& command, std::string recipient,
                                        const nlohmann::ordered_json& payload) {
  return RuleMessage(catalog, rule, command, rule.recipient, std::move(recipient), command.registered, payload);
}

// The latest version of each record among `facts` (automation::LatestVersions, kind record) whose record type is
// one of the rule's `record_types`, in first-appearance order. The pointers point into `facts`.
std::vector<const registry::Fact*> RuleRecords(const automation::Notification& rule,
                                               const std::vector<registry::Fact>& facts);

}  // namespace dfdg::notify
