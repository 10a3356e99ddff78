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

}  // namespace dfdg::store
