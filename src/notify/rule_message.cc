#include "notify/rule_message.h"

#include <algorithm>

#include "automation/triggers.h"

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

void AppendJsonString(std::string* out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : text) {
    switch (ch) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default: {
        auto c = static_cast<unsigned char>(ch);
        if (c < 0x20) {
          *out += "\\u00";
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(ch);
        }
      }
    }
  }
  out->push_back('"');
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
