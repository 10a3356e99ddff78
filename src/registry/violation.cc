#include "registry/violation.h"

namespace dfdg::registry {
namespace {

// Replaces each {name} by its field. For Danish texts (`danish`), a field "name_da" is preferred when present,
// so a detail given in both languages is shown in the language of the message.
std::string Fill(const std::string& pattern, const Fields& fields, bool danish) {
  std::string out;
  out.reserve(pattern.size() + 32);
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      size_t close = pattern.find('}', i);
      if (close != std::string::npos) {
        std::string_view name = std::string_view(pattern).substr(i + 1, close - i - 1);
        const std::string* value = nullptr;
        if (danish) value = fields.Find(std::string(name) + "_da");
        if (!value) value = fields.Find(name);
        if (value) out += *value;
        i = close;
        continue;
      }
    }
    out += pattern[i];
  }
  return out;
}

}  // namespace

const catalog::ViolationText* Violation::Text() const { return catalog_ ? catalog_->FindViolation(code_) : nullptr; }

std::string Violation::key() const {
  const catalog::ViolationText* text = Text();
  return text ? text->key : "unknown";
}

std::string Violation::MessageDa() const {
  const catalog::ViolationText* text = Text();
  return text ? Fill(text->message_da, fields_, true) : "kode " + std::to_string(code_);
}

std::string Violation::MessageEn() const {
  const catalog::ViolationText* text = Text();
  return text ? Fill(text->message_en, fields_, false) : "code " + std::to_string(code_);
}

std::string Violation::CatalogRef() const { return at_ ? at_->file + ":" + std::to_string(at_->line) : ""; }

std::string Violation::Source() const {
  const catalog::ViolationText* text = Text();
  const std::vector<catalog::SourceRef>* refs = sources_ && !sources_->empty() ? sources_ : nullptr;
  if (!refs && text) refs = &text->sources;
  return refs && !refs->empty() && catalog_ ? catalog_->Cite(refs->front()) : "";
}

nlohmann::ordered_json Violation::ToJson() const {
  nlohmann::ordered_json out{{"code", code_}, {"key", key()}, {"message_da", MessageDa()}, {"message_en", MessageEn()}};
  std::string where = CatalogRef();
  if (!where.empty()) out["catalog"] = where;
  out["source"] = Source();
  return out;
}

}  // namespace dfdg::registry
