// Generated from the record declarations (catalog/records/ and catalog/records/builtin/), never copied: the
// Markdown reference of the declared types and the built-in commands (`dfdg catalog reference`, docs/records.md).
// The test record_reference fails when the checked-in copy differs from what the catalogue generates. The JSON
// Schema of the same declarations is record_schema.h.
#pragma once

#include <string>

#include "catalog/catalog.h"

namespace dfdg::registry {

// The Markdown reference of every declared type: commands, fields, scope, actors, period, deadline,
// forwarding and the citizen's view, each with its § and seed line; then every built-in command area with its
// commands, fields, code lists, actors, reserved reasons, scope entries and rule modules.
std::string RecordReference(const catalog::Catalog& catalog);

}  // namespace dfdg::registry
