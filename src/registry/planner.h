// Turns a validated command into the fact versions to append (without seq; the store assigns it).
#pragma once

#include <vector>

#include "catalog/catalog.h"
#include "registry/command.h"
#include "registry/person.h"

namespace dfdg::registry {

// REQUIRES: Validate(...) returned no violations for `command` against `view` of `history`.
// New entities take ids from history.next_entity_id (which is advanced).
std::vector<Fact> PlanFacts(const catalog::Catalog& catalog, const Command& command, const PersonView& view,
                            PersonHistory* history);

}  // namespace dfdg::registry
