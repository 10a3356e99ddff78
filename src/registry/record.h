// Records of declared types (catalog/records/, docs/records.md): a request parsed by its declared type into
// typed field slots, and the stored form of a record version.
//
// Stored form: a Fact of kind kRecord whose `text` is the record type key, `start`/`end` the declared period
// (or the registration date, open, for a type without one), `comment` the command's comment, and `extra`
// {"action": "create|change|correct|delete", "fields": {key: value, ...}} with values in their JSON form
// (dates as "YYYY-MM-DD", CPR numbers as 10 digits — masked in every output).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "registry/fact.h"
#include "registry/violation.h"

namespace dfdg::registry {

// One field slot of a request: not given, cleared (JSON null on change/correct), or a checked value.
struct FieldValue {
  enum class State { kAbsent, kCleared, kSet };
  State state = State::kAbsent;
  nlohmann::json value;  // kSet: the value in its stored JSON form
};

struct RecordRequest {
  const catalog::RecordType* type = nullptr;
  catalog::RecordAction action = catalog::RecordAction::kCreate;
  int64_t entity_id = 0;           // change, correct, delete: the entity (`id_field`)
  std::vector<FieldValue> values;  // indexed like type->fields
  std::optional<std::string> comment;
};

// Parses the type-specific part of a record command: the id field, the declared fields (type, length,
// range, code list, check digits, list items), `comment`; every form violation is appended to `violations`
// (codes 1003, 1004, 1005, 1011, 1012, 3030, 4003), citing the field's catalogue entry and seed line.
// Fields are judged as in force on `registered`, for `channel`. Unknown fields are refused.
// REQUIRES: ref.type != nullptr; `object` is a JSON object.
std::shared_ptr<const RecordRequest> ParseRecordRequest(const catalog::Catalog& catalog, catalog::RecordCommandRef ref,
                                                        const nlohmann::json& object, Date registered,
                                                        catalog::Channel channel, std::vector<Violation>* violations);

// True when `fact` is a version of a record of type `type_key`.
inline bool IsRecordOf(const Fact& fact, const std::string& type_key) {
  return fact.kind == FactKind::kRecord && fact.text == type_key;
}

// The stored fields of a record version ({} when none).
const nlohmann::json& RecordFields(const Fact& fact);
// The action that wrote a record version ("create" when unknown).
std::string RecordActionOf(const Fact& fact);

// The fields for output: CPR fields masked; with `only`, just those keys.
nlohmann::ordered_json FieldsForOutput(const catalog::RecordType& type, const nlohmann::json& fields,
                                       const std::vector<std::string>* only = nullptr);

// Appends `text` to `*out` as a JSON string literal, byte for byte as nlohmann::json's dump() writes it (UTF-8
// kept; ", \, \b, \f, \n, \r, \t and the other control characters escaped). REQUIRES: `text` is valid UTF-8.
void AppendJsonString(std::string* out, std::string_view text);

// FieldsForOutput(type, fields, only).dump(), written straight to `*out`.
void AppendFieldsForOutput(std::string* out, const catalog::RecordType& type, const nlohmann::json& fields,
                           const std::vector<std::string>* only = nullptr);

// CVR number check: 8 digits, weights 2,7,6,5,4,3,2,1, sum divisible by 11.
bool IsValidCvr(const std::string& text);

}  // namespace dfdg::registry
