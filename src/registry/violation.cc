#include "registry/violation.h"

namespace dfdg::registry {
namespace {

std::string Fill(const std::string& pattern, const std::map<std::string, std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      size_t close = pattern.find('}', i);
      if (close != std::string::npos) {
        auto it = fields.find(pattern.substr(i + 1, close - i - 1));
        out += it == fields.end() ? std::string() : it->second;
        i = close;
        continue;
      }
    }
    out += pattern[i];
  }
  return out;
}

}  // namespace

nlohmann::ordered_json Violation::ToJson() const {
  nlohmann::ordered_json out{{"code", code}, {"key", key}, {"message_da", message_da}, {"message_en", message_en}};
  if (!catalog.empty()) out["catalog"] = catalog;
  out["source"] = source;
  return out;
}

Violation MakeViolation(const catalog::Catalog& catalog, int code, const std::map<std::string, std::string>& fields,
                        const catalog::FileRef* at, const std::vector<catalog::SourceRef>* sources) {
  Violation v;
  v.code = code;
  const catalog::ViolationText* text = catalog.FindViolation(code);
  if (text == nullptr) {
    // Invariant: every code the registry emits is in catalog/violations.yaml (a unit test checks this).
    v.key = "unknown";
    v.message_da = v.message_en = "code " + std::to_string(code);
    return v;
  }
  v.key = text->key;
  v.message_da = Fill(text->message_da, fields);
  v.message_en = Fill(text->message_en, fields);
  if (at) v.catalog = at->file + ":" + std::to_string(at->line);
  const auto& refs = sources && !sources->empty() ? *sources : text->sources;
  if (!refs.empty()) v.source = catalog.Cite(refs.front());
  return v;
}

}  // namespace dfdg::registry
