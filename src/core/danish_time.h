// Danish local time (Europe/Copenhagen) for the few rules that speak of a time of day (§ 89 stk. 4: a summons is
// shown "indtil 2 timer efter planlagt samtaletidspunkt"). Every other rule of the registry is a civil-day rule.
//
// Denmark keeps Central European Time (UTC+1) and, from the last Sunday of March 01:00 UTC to the last Sunday of
// October 01:00 UTC, Central European Summer Time (UTC+2) — the EU rule (directive 2000/84/EC), computed here
// rather than read from the system's time-zone database, so the result does not depend on the machine.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "core/date.h"

namespace dfdg {

using Instant = std::chrono::sys_seconds;  // a moment in UTC

// A wall-clock time in Denmark: the civil day and the minutes since its midnight (0-1439).
struct DanishTime {
  Date day;
  int minute = 0;
  bool operator==(const DanishTime&) const = default;
};

// Parses exactly "HH:MM" (00:00-23:59) into minutes since midnight.
Result<int> ParseTimeOfDay(std::string_view text);

// The offset of Danish time from UTC at `at`: 2 hours in summer time, else 1 hour.
std::chrono::seconds DanishUtcOffset(Instant at);

// The Danish wall-clock time at `at`.
DanishTime ToDanishTime(Instant at);

// The moment the Danish wall clock shows `minute` on `day`. A time that occurs twice (the last Sunday of October,
// 02:00-02:59) is its first occurrence (summer time); a time that does not occur (the last Sunday of March,
// 02:00-02:59) is read in winter time (02:30 is 01:30 UTC, which the clock shows as 03:30).
// REQUIRES: 0 <= minute < 1440.
Instant FromDanishTime(Date day, int minute);

// Parses "YYYY-MM-DDTHH:MM[:SS]Z" (a UTC instant) or "YYYY-MM-DDTHH:MM[:SS]" (Danish local time, as
// FromDanishTime reads it).
Result<Instant> ParseInstant(std::string_view text);

}  // namespace dfdg
