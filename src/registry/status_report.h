// status(cpr, date, known_at): what applies to a person on a date, and why — as JSON for programs and as
// Danish text for people.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "catalog/catalog.h"
#include "registry/person.h"

namespace dfdg::registry {

// The person's state on `date` as known on `known_at` (nullopt = everything registered), with each
// obligation the person's contact group carries marked "applies" or "lifted" and by which absence(s), citing
// the catalogue row, its § and source. Rules are those in force on `date`, all by the civil day, except one:
// when `now` (a UTC moment, the clock's, given only for a view of today) is set, a summons of the catalogue's
// `summons_shown_until` channels (§ 89 stk. 4: the a-kasse's) with a start time is in `upcoming_meetings` while
// `now` is at or before its date and start time in Danish local time (core/danish_time.h) plus the rule's
// minutes — also one dated the day before — with `shown_until` ("YYYY-MM-DDTHH:MM", Danish time); the output
// then carries `now` in Danish time. Without `now`, every summons dated `date` or later is shown.
nlohmann::ordered_json BuildStatus(const catalog::Catalog& catalog, const PersonHistory& history,
                                   const std::string& masked_cpr, Date date, std::optional<Date> known_at,
                                   std::optional<std::chrono::sys_seconds> now = std::nullopt);

// Danish text rendering of BuildStatus's JSON.
std::string StatusText(const nlohmann::ordered_json& status);

}  // namespace dfdg::registry
