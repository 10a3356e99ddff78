// The built-in commands of docs/commands.md parsed by their declarations (catalog/records/builtin/*.yaml,
// docs/catalog-format.md "Built-in command areas"): one generic path from the JSON object to the typed
// members of `Command`, with no per-command parsing code. The rules beyond the form are the rule modules each
// area names (builtin_rules.h), run by validator.h.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "registry/command.h"
#include "registry/violation.h"

namespace dfdg::registry {

// The CommandType of built-in command `name` (the planner's switch), or nullopt.
std::optional<CommandType> BuiltinCommandType(std::string_view name);

// Parses the command-specific fields of built-in command `ref` into `command`: each key of `object` other than
// the common fields must be a field the declaration lists for this command (else 1003 "not a field of"), its
// value is checked by the field's declared type (1003/1005, same texts as declared record types) and put into
// the Command member the field's slot names; a required field that is absent or null gives 1003 "missing".
// Every violation found is appended to `violations`, citing the field's (or the command's) declaration.
// REQUIRES: ref.area and ref.command are set; `object` is a JSON object.
void ParseBuiltinFields(const catalog::Catalog& catalog, catalog::BuiltinCommandRef ref, const nlohmann::json& object,
                        Date registered, catalog::Channel channel, Command* command,
                        std::vector<Violation>* violations);

// Problems of the built-in declarations that only the registry can see: a declared command with no CommandType,
// a CommandType with no declaration, an area whose `stored_as` is no stored kind (FactKind). "file:line: text".
std::vector<std::string> CheckBuiltinDeclarations(const catalog::Catalog& catalog);

}  // namespace dfdg::registry
