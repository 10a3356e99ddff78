// Internal to src/registry: checking one declared field's JSON value (catalog/records/, record_model.h
// FieldDecl) — shared by the parser of declared record types (record.cc) and of built-in commands
// (builtin_command.cc), so both report the same codes and texts.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "registry/violation.h"

namespace dfdg::registry {

class FieldValueParser {
 public:
  // `type` owns the fields (its code lists are searched first); `at`/`sources` are cited by violations that
  // concern no single field. REQUIRES: every argument outlives the parser.
  FieldValueParser(const catalog::Catalog& catalog, const catalog::RecordType& type, Date registered,
                   catalog::Channel channel, std::vector<Violation>* violations)
      : catalog_(catalog), type_(type), registered_(registered), channel_(channel), violations_(violations) {}

  // The checked value of `decl` in its stored JSON form (dates as "YYYY-MM-DD", CPR as 10 digits), or nullopt
  // after appending the violation (1003, 1004, 1005, 1011, 1012, 3030 or 4003) for `path`.
  std::optional<nlohmann::json> Value(const catalog::FieldDecl& decl, const nlohmann::json& v, const std::string& path);
  // A date field's value as a Date, or nullopt after appending violation 1005.
  std::optional<Date> DateValue(const catalog::FieldDecl& decl, const nlohmann::json& v, const std::string& path);

  // Violation 1003 for `field` (citing `decl`, or the type when nullptr), with Danish and English detail.
  void Invalid(const std::string& field, const catalog::FieldDecl* decl, const std::string& da, const std::string& en);
  // Violation `code` citing `decl` (or `at`/`sources`, or the type when those are nullptr).
  void Add(int code, Fields fields, const catalog::FieldDecl* decl, const catalog::FileRef* at = nullptr,
           const std::vector<catalog::SourceRef>* sources = nullptr);

 private:
  std::optional<nlohmann::json> List(const catalog::FieldDecl& decl, const nlohmann::json& v, const std::string& path);

  const catalog::Catalog& catalog_;
  const catalog::RecordType& type_;
  Date registered_;
  catalog::Channel channel_;
  std::vector<Violation>* violations_;
};

// "HH:MM" or "HH:MM:SS" with a valid clock time.
bool IsClockTime(std::string_view t);

}  // namespace dfdg::registry
