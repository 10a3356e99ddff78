#include "notify/rule_message.h"

namespace dfdg::notify {

store::OutboxMessage RuleMessage(const catalog::Catalog& catalog, const automation::Notification& rule,
                                 const registry::Command& command, std::string recipient_kind, std::string recipient,
                                 Date day, const nlohmann::ordered_json& payload) {
  store::OutboxMessage m;
  m.type = rule.type;
  m.recipient_kind = std::move(recipient_kind);
  m.recipient = std::move(recipient);
  m.cpr = command.cpr->digits();
  m.created_on = FormatDate(day);
  m.payload = payload.dump();
  m.cause = automation::CauseJson(catalog, rule.cause);
  return m;
}

}  // namespace dfdg::notify
