// The result objects of a batch's commands as JSON text (docs/commands.md), shared by the registry's serial
// batch (registry.cc) and the staged one (staged_batch.cc). Internal to the registry module.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "registry/command.h"
#include "registry/fact.h"
#include "registry/violation.h"

namespace dfdg::registry {

// {"status":"rejected","command",["id"],["cpr" masked],"violations":[...]}.
nlohmann::ordered_json Rejected(const ParsedCommand& parsed, const std::vector<Violation>& violations);

// The accepted result of `parsed` (REQUIRES: parsed.command) with the fact versions it stored, each with its
// seq as set on `facts`, and the command's seq at the end unless `seq` is 0.
std::string RenderAccepted(const catalog::Catalog& catalog, const ParsedCommand& parsed,
                           const std::string& registered_at, const std::vector<Fact>& facts, int64_t seq);

}  // namespace dfdg::registry
