// Exports of the catalogue: the stable JSON interface (docs/catalog.md), CSV, and Danish text for people.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "catalog/catalog.h"

namespace dfdg::catalog {

// The whole catalogue as JSON. With `date`, only what is in force on that day (rows, date rules, names);
// without, every version with its validity.
nlohmann::ordered_json ExportJson(const Catalog& catalog, std::optional<Date> date);

// One CSV line per (reason, row): reason_id, reason_name_da, contact_groups, visitation, mode, exempts,
// legal_ref, valid_from, valid_to, source. RFC 4180 quoting, header line first.
std::string ExportCsv(const Catalog& catalog, std::optional<Date> date);

// A reason, contact group, obligation or code list as Danish text. `id` is a reason id ("8"), a contact
// group ("kg12"), an obligation key or a code-list key. NotFound when nothing has that id.
Result<std::string> ShowText(const Catalog& catalog, const std::string& id, std::optional<Date> date);

// One line per reason: id, name, in force or closed on `date`.
std::string ListText(const Catalog& catalog, Date date);

}  // namespace dfdg::catalog
