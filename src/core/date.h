// Civil days, validity intervals and calendar durations.
//
// A Date is a civil day (std::chrono::sys_days). A Validity is a half-open interval [from, to): `from` is the
// first day that is inside, `to` the first day that is no longer inside; either end may be open.
// Month arithmetic keeps the day of month and clamps to the last day of the target month
// (2024-01-31 + 1 month = 2024-02-29; 2024-03-31 - 1 month = 2024-02-29).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace dfdg {

using Date = std::chrono::sys_days;

// Parses exactly "YYYY-MM-DD" (a valid Gregorian day, year 1800-2999).
Result<Date> ParseDate(std::string_view text);
// Formats as "YYYY-MM-DD".
std::string FormatDate(Date date);
// Builds a date from its parts. REQUIRES: the parts form a valid day.
Date MakeDate(int year, unsigned month, unsigned day);

// Half-open interval of days [from, to); nullopt ends are open.
struct Validity {
  std::optional<Date> from;
  std::optional<Date> to;

  // True when from <= date < to (open ends always pass).
  bool Contains(Date date) const;
  // True when the two intervals share at least one day.
  bool Overlaps(const Validity& other) const;
  // True when from < to (or either end is open).
  bool IsWellFormed() const;
  // "2020-01-01..2025-07-01" with ".." for open ends; `to` printed exclusive.
  std::string ToString() const;
};

// A calendar duration: n days, weeks, months or years, or unlimited.
struct Duration {
  enum class Unit { kDays, kWeeks, kMonths, kYears };
  int count = 0;
  Unit unit = Unit::kDays;
  bool unlimited = false;

  bool operator==(const Duration&) const = default;
  // "28d", "8w", "16m", "1y" or "unlimited".
  std::string ToString() const;
  // Danish display: "28 dage", "8 uger", "16 måneder", "ubegrænset".
  std::string ToDanish() const;
};

// Parses "<n>d|w|m|y" (n >= 0) or "unlimited".
Result<Duration> ParseDuration(std::string_view text);

// date + duration (months/years clamp to the end of month). REQUIRES: !duration.unlimited.
Date AddDuration(Date date, const Duration& duration);
// date - duration (months/years clamp to the end of month). REQUIRES: !duration.unlimited.
Date SubtractDuration(Date date, const Duration& duration);

}  // namespace dfdg
