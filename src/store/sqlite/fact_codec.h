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

// As DecodeFacts, but leaves `extra` unparsed (null) and appends, for every decoded fact, its raw `extra` JSON
// text ("" when none) to `extras` as a view into `bytes` (for readers that need one or two keys of it, e.g.
// `measure --db`, where parsing every fact's JSON would dominate). `out` and `extras` stay parallel.
Status DecodeFactsRaw(std::string_view bytes, std::vector<registry::Fact>* out, std::vector<std::string_view>* extras);

}  // namespace dfdg::store
