// Validation of one well-formed command against the catalogue (as in force on the registration date) and the
// person's state as currently known. Returns EVERY violated rule; empty means the command may be applied.
#pragma once

#include <vector>

#include "catalog/catalog.h"
#include "registry/command.h"
#include "registry/person.h"
#include "registry/violation.h"

namespace dfdg::registry {

// The last day an absence counts: its end, or for an open absence whose date rule (as in force when it was
// registered) has a maximum duration, start + max - 1 day (docs/decisions/0003). nullopt = open.
std::optional<Date> EffectiveEnd(const catalog::Catalog& catalog, const PersonView& person, const Fact& absence);

// `projects`: the run-time person-group projects (the subject kProjectSubject) for add_marking with a project;
// nullptr otherwise.
std::vector<Violation> Validate(const catalog::Catalog& catalog, const PersonView& person, const Command& command,
                                const PersonView* projects = nullptr);

}  // namespace dfdg::registry
