// A rejection reason: a stable numeric code, Danish and English text, and where the rule comes from.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "catalog/catalog.h"

namespace dfdg::registry {

struct Violation {
  int code = 0;
  std::string key;
  std::string message_da;
  std::string message_en;
  std::string catalog;  // "catalog/absences/008-barsel.yaml:12" when a specific catalogue entry decided
  std::string source;   // "001_ac98bd5917396cba.txt:1356": the seed text of the rule

  nlohmann::ordered_json ToJson() const;
};

// Builds violations from catalog/violations.yaml, filling the {name} placeholders from `fields`.
// `at` / `sources` name the deciding catalogue entry; when absent the code's own source is cited.
Violation MakeViolation(const catalog::Catalog& catalog, int code, const std::map<std::string, std::string>& fields,
                        const catalog::FileRef* at = nullptr, const std::vector<catalog::SourceRef>* sources = nullptr);

}  // namespace dfdg::registry
