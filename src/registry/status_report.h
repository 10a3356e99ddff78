// status(cpr, date, known_at): what applies to a person on a date, and why — as JSON for programs and as
// Danish text for people.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "catalog/catalog.h"
#include "registry/person.h"

namespace dfdg::registry {

// The person's state on `date` as known on `known_at` (nullopt = everything registered), with each
// obligation the person's contact group carries marked "applies" or "lifted" and by which absence(s), citing
// the catalogue row, its § and source. Rules are those in force on `date`.
nlohmann::ordered_json BuildStatus(const catalog::Catalog& catalog, const PersonHistory& history,
                                   const std::string& masked_cpr, Date date, std::optional<Date> known_at);

// Danish text rendering of BuildStatus's JSON.
std::string StatusText(const nlohmann::ordered_json& status);

}  // namespace dfdg::registry
