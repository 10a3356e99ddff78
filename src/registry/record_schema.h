// Generated from the record declarations (catalog/records/), never copied: the JSON Schema of every record
// command and stored record (`dfdg catalog schema`, docs/record-schema.json, for the service's OpenAPI file).
// The Markdown reference of the same declarations is record_reference.h. A test fails when the checked-in copy
// differs from what the catalogue generates.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "catalog/catalog.h"

namespace dfdg::registry {

// JSON Schema (draft 2020-12) with one `$defs` entry per command of every declared type (or of `only`), named
// by the command, plus `<type>.record` for the stored record ("stored" in results, versions in history).
// With `date`, only fields and codes in force on that day; without, every version, with x-dfdg-valid-from/to.
// Extensions: x-dfdg-record-type, x-dfdg-action, x-dfdg-source (seed file:line), x-dfdg-catalog (file:line),
// x-dfdg-required-for ({channel: [fields]}), x-dfdg-channels (who may give a field).
nlohmann::ordered_json RecordSchema(const catalog::Catalog& catalog, const catalog::RecordType* only,
                                    std::optional<Date> date);

}  // namespace dfdg::registry
