// Triggered actions: the facts DFDG adds by itself to an accepted command (catalog/automation.yaml `triggers`,
// docs/automation.md). They are appended with the command's own facts, so they commit in the same
// transaction, and recorded as the registry's own facts: channel `dfdg`, actor = the rule key, and
// `extra.dfdg = {rule, action, source, ...}` naming the rule and the seed line.
#pragma once

#include <vector>

#include "automation/rules.h"
#include "registry/command.h"
#include "registry/person.h"

namespace dfdg::automation {

// The facts the triggers add to `command`, whose own planned facts are `planned`, on a person whose state
// before the command is `before`. Each is a new version of an existing entity (an absence of the person or one
// in `planned`); none takes a new entity id. REQUIRES: the command was validated and planned.
std::vector<registry::Fact> TriggeredFacts(const catalog::Catalog& catalog, const Rules& rules,
                                           const registry::PersonView& before, const registry::Command& command,
                                           const std::vector<registry::Fact>& planned);

// The latest version of each entity of `kind` among `facts` (a command may write two versions of one entity),
// in first-appearance order. The pointers point into `facts`.
std::vector<const registry::Fact*> LatestVersions(const std::vector<registry::Fact>& facts, registry::FactKind kind);

// True when `absence` (a version) has been inactivated by DFDG on or before `date`.
bool InactiveOn(const registry::Fact& absence, Date date);

}  // namespace dfdg::automation
