#include "notify/rule_message.h"

#include <algorithm>

#include "automation/triggers.h"

namespace dfdg::notify {

store::OutboxMessage RuleMessage(const catalog::Catalog& catalog, const automation::Notification& rule,
                                 const registry::Command& command, std::string recipient_kind, std::string recipient,
                                 Date day, const nlohmann::ordered_json& payload) {
  return RuleMessage(catalog, rule, command, std::move(recipient_kind), std::move(recipient), day, payload.dump());
}

store::OutboxMessage RuleMessage(const catalog::Catalog& catalog, const automation::Notification& rule,
                                 const registry::Command& command, std::string recipient_kind, std::string recipient,
                                 Date day, std::string payload_json) {
  store::OutboxMessage m;
  m.type = rule.type;
  m.recipient_kind = std::move(recipient_kind);
  m.recipient = std::move(recipient);
  m.cpr = command.cpr->digits();
  m.created_on = FormatDate(day);
  m.payload = std::move(payload_json);
  m.cause = automation::CauseJson(catalog, rule.cause);
  return m;
}

std::vector<const registry::Fact*> RuleRecords(const automation::Notification& rule,
                                               const std::vector<registry::Fact>& facts) {
  std::vector<const registry::Fact*> out;
  for (const registry::Fact* r : automation::LatestVersions(facts, registry::FactKind::kRecord)) {
    if (std::find(rule.record_types.begin(), rule.record_types.end(), r->text) != rule.record_types.end()) {
      out.push_back(r);
    }
  }
  return out;
}

}  // namespace dfdg::notify
