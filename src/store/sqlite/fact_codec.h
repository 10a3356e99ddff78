// Compact binary encoding of fact versions, used for the per-person fact list stored in persons.facts
// (docs/storage.md, "persons.facts"). Records are self-delimiting and appendable: the encoding of a list is
// the concatenation of its records, so new facts are appended with SQL `facts || ?`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "registry/fact.h"

namespace dfdg::store {

// Appends the encoding of `fact` to `out`.
void EncodeFact(const registry::Fact& fact, std::string* out);

// Decodes every record of `bytes` and appends the facts to `out`. Corruption on a truncated or unknown record.
Status DecodeFacts(std::string_view bytes, std::vector<registry::Fact>* out);

// Reads the JSON text of a fact's `extra` into `out` exactly as nlohmann::json::parse reads it (the same values
// and number types; a repeated key keeps its last value). The form EncodeFact writes (nlohmann's dump: no
// whitespace, integers, strings without escapes, valid UTF-8) is read directly, without nlohmann's lexer; any
// other text goes to nlohmann::json::parse. False when the text is no JSON (`out` is then unspecified).
bool ParseFactExtra(std::string_view text, nlohmann::json* out);

// As DecodeFacts, but leaves `extra` unparsed (null) and appends, for every decoded fact, its raw `extra` JSON
// text ("" when none) to `extras` as a view into `bytes` (for readers that need one or two keys of it, e.g.
// `measure --db`, where parsing every fact's JSON would dominate). `out` and `extras` stay parallel.
Status DecodeFactsRaw(std::string_view bytes, std::vector<registry::Fact>* out, std::vector<std::string_view>* extras);

// One fact record as views into the encoded bytes: no allocation per fact (readers of the whole registry,
// `measure --db`). `end`/`event_date` equal kNoDay when absent; `extra` is the raw JSON text ("" when none).
struct FactRecord {
  static constexpr int32_t kNoDay = INT32_MIN;
  int64_t seq = 0;
  int64_t entity_id = 0;
  registry::FactKind kind = registry::FactKind::kAbsence;
  Date recorded_on{};
  bool deleted = false;
  catalog::Channel channel = catalog::Channel::kJobcenter;
  Date start{};
  int32_t end = kNoDay;  // day number (Date's days since the epoch)
  int32_t event_date = kNoDay;
  int code = 0;
  std::string_view actor, text, comment, extra;
};

// Decodes every record of `bytes` as DecodeFacts does (same checks, same Corruption errors, but the JSON of
// `extra` is not parsed) and appends them to `out` (not cleared). The views point into `bytes`.
Status DecodeFactRecords(std::string_view bytes, std::vector<FactRecord>* out);

}  // namespace dfdg::store
