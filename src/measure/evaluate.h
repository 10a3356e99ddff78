// One person in one month: in the population or why not, benefit group, spell, duration and interval,
// exemption share, counted and not-counted interviews (seed 004, "Opgørelsesmetode", 004:380-1010).
//
// Contract: EvaluateMonth is a pure function of the person's input, their spells (BuildSpells) and the rules.
// With `explain` it also fills the per-interview notes with Danish reasons (the detail/action list); without,
// it only counts (the fast path for national runs). Choices where the seed is silent are listed in
// docs/measurement.md.
#pragma once

#include <string>
#include <vector>

#include "measure/input.h"
#include "measure/method.h"
#include "measure/spells.h"

namespace dfdg::measure {

enum class Outcome : uint8_t {
  kNoBenefit,       // no payment in the month (not reported)
  kOtherBenefit,    // only benefits outside the measurement
  kAge,             // under 16 or at pension age on the last benefit day
  kDeadWholeMonth,  // barsel / opfølgning uden kontakt on every spell day of the month (004:388)
  kExempt,          // measure 5
  kMeasured,        // measures 1-4
};
const char* OutcomeKey(Outcome outcome);

struct InterviewNote {
  Interview interview;
  bool counted = false;
  std::string reason;  // Danish: why (not) counted
};

struct PersonMonth {
  uint32_t person = 0;
  Date month_first;
  Outcome outcome = Outcome::kNoBenefit;
  std::string why;  // Danish explanation of the outcome
  Group group = Group::kKontanthjaelp;
  KhRate rate = KhRate::kNone;
  bool hours_based = false;
  bool part_time = false;
  Date spell_start;
  Date spell_end;     // last paid day of the spell in the month
  Date window_start;  // first day interviews and exemption are counted from
  int64_t duration_days = 0;
  int64_t duration_centihours = 0;
  DurationClass duration;
  int64_t window_days = 0;
  int64_t exempt_days = 0;
  int exempt_permille = 0;
  int threshold_percent = 50;
  int64_t mii_days = 0;
  bool sdp13 = false;
  int municipality = 0;  // 0 = unknown
  int counted = 0;
  std::vector<Date> counted_dates;
  std::vector<InterviewNote> interviews;  // explain only
};

PersonMonth EvaluateMonth(const PersonView& person, const PersonSpells& spells, const MethodRules& rules,
                          Date month_first, bool explain);

// The first day of the month of `day`, and month arithmetic on first days.
Date MonthFirst(Date day);
Date MonthLast(Date month_first);

}  // namespace dfdg::measure
