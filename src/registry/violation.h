// A rejection reason: a stable numeric code, Danish and English text, and where the rule comes from.
//
// Building a violation is cheap: it keeps the code, the placeholder values and pointers to the deciding
// catalogue entry; the texts are rendered only when asked for (ToJson, MessageDa, MessageEn), so validation
// that rejects stays fast.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"

namespace dfdg::registry {

// Placeholder values for a message template, e.g. {{"reason", "8"}, {"start", "2025-08-01"}}. A small flat
// list: violations carry a handful of values, and a map's allocations would dominate rejecting validation.
class Fields {
 public:
  Fields() { items_.reserve(6); }
  Fields(std::initializer_list<std::pair<std::string, std::string>> items) : items_(items) { items_.reserve(6); }

  std::string& operator[](std::string_view key) {
    for (auto& item : items_) {
      if (item.first == key) return item.second;
    }
    items_.emplace_back(std::string(key), std::string());
    return items_.back().second;
  }
  // Adds `key` unless present.
  void emplace(std::string_view key, std::string value) {
    if (!Find(key)) items_.emplace_back(std::string(key), std::move(value));
  }
  const std::string* Find(std::string_view key) const {
    for (const auto& item : items_) {
      if (item.first == key) return &item.second;
    }
    return nullptr;
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

class Violation {
 public:
  Violation() = default;
  Violation(const catalog::Catalog* catalog, int code, Fields fields, const catalog::FileRef* at,
            const std::vector<catalog::SourceRef>* sources)
      : catalog_(catalog), code_(code), fields_(std::move(fields)), at_(at), sources_(sources) {}

  int code() const { return code_; }
  std::string key() const;
  std::string MessageDa() const;
  std::string MessageEn() const;
  // "catalog/absences/008-barsel.yaml:12" when a specific catalogue entry decided, else "".
  std::string CatalogRef() const;
  // "001_ac98bd5917396cba.txt:1356": the seed text of the rule.
  std::string Source() const;

  nlohmann::ordered_json ToJson() const;

 private:
  const catalog::ViolationText* Text() const;

  const catalog::Catalog* catalog_ = nullptr;
  int code_ = 0;
  Fields fields_;
  const catalog::FileRef* at_ = nullptr;
  const std::vector<catalog::SourceRef>* sources_ = nullptr;
};

// A violation of `code` (catalog/violations.yaml) with placeholder values `fields`; `at` / `sources` name the
// deciding catalogue entry (when absent the code's own source is cited). REQUIRES: the catalogue outlives it.
inline Violation MakeViolation(const catalog::Catalog& catalog, int code, Fields fields,
                               const catalog::FileRef* at = nullptr,
                               const std::vector<catalog::SourceRef>* sources = nullptr) {
  return Violation(&catalog, code, std::move(fields), at, sources);
}

// Appends the violation of `code` to `out`, with the registration date as the {registered} placeholder: the
// common step of every rule check in the validators.
inline void AddViolation(std::vector<Violation>* out, const catalog::Catalog& catalog, Date registered, int code,
                         Fields fields, const catalog::FileRef* at = nullptr,
                         const std::vector<catalog::SourceRef>* sources = nullptr) {
  fields.emplace("registered", FormatDate(registered));
  out->push_back(MakeViolation(catalog, code, std::move(fields), at, sources));
}

}  // namespace dfdg::registry
