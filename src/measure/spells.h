// Benefit spells (ydelsesforløb) and dead periods of one person (seed 004, "Hvordan beregnes
// ydelsesvarighed?", 004:522-640).
//
// Contract: BuildSpells turns a person's payments into spells per benefit group, once per person; the
// evaluator then asks, month by month, which spell is paid in the month and for how long it has run.
// - a-dagpenge: a spell per dagpengeperiode; a new first day (tællerdata) starts a new spell; paid hours
//   count (incl. løntilskud). Payments before the first known first day start at the first payment.
// - sygedagpenge: each row is a sickness spell; spells overlap, and are merged, when the later one starts at
//   least one day before the earlier one ends (004:549).
// - every other group: a spell is broken by a full calendar month without payment (004:556); forrevalidering
//   is revalidering (004:607); overgangsydelse paid immediately before kontanthjælp/uddannelseshjælp starting
//   before 2025-07-01 is part of that spell (004:583); uddannelseshjælp/overgangsydelse paid from 2025-07-01
//   is kontanthjælp and a spell running into 2025-07-01 continues (004:595); a kontanthjælp spell restarts on a
//   contact-group change 12 -> 2 on or after 2025-07-01 (004:569).
// - dead days: the COVID period(s) of the catalogue and every day with a dead-period reason (barsel,
//   opfølgning uden kontakt) stop the count of duration (004:623, 004:642).
#pragma once

#include <utility>
#include <vector>

#include "measure/input.h"
#include "measure/method.h"

namespace dfdg::measure {

using DayRange = std::pair<Date, Date>;  // inclusive

struct Spell {
  Group group = Group::kKontanthjaelp;
  Date start;               // first day of the spell (after joins)
  Date last_paid;           // last paid day of the spell
  uint32_t paid_begin = 0;  // paid ranges of the spell: PersonSpells::paid[paid_begin, paid_end)
  uint32_t paid_end = 0;
  std::vector<Date> restarts;  // days on which the spell restarts (KG 12 -> 2), ascending
};

struct PersonSpells {
  std::vector<DayRange> paid;           // merged paid days per spell
  std::vector<Spell> spells;            // ordered by start
  std::vector<DayRange> dead;           // merged: COVID + personal dead periods
  std::vector<DayRange> personal_dead;  // merged: barsel / opfølgning uden kontakt only
};

// True when a whole calendar month lies strictly between day `a` and day `b` (a < b).
bool FullMonthBetween(Date a, Date b);
// Sorts and merges overlapping or adjacent ranges.
std::vector<DayRange> MergeRanges(std::vector<DayRange> ranges);

// Reads only rules.conversion_date, rules.dead_reasons (IsDeadReason) and rules.dead_periods; what-if
// (whatif.cc, SameSpellRules) reuses the spells across rule sets that agree on these — keep them in step.
PersonSpells BuildSpells(const PersonView& person, const MethodRules& rules);

// Counted days in [a, b]: days not dead and not 29 February (004:518). 0 when b < a.
int64_t CountedDays(const std::vector<DayRange>& dead, Date a, Date b);
// Days of [a, b] covered by `ranges` (merged) that are counted.
int64_t CountedDaysIn(const std::vector<DayRange>& ranges, const std::vector<DayRange>& dead, Date a, Date b);
// The latest day s <= end with CountedDays(s, end) >= days (the start of the look-back window).
Date LookBackStartDays(const std::vector<DayRange>& dead, Date end, int64_t days);
// Paid a-dagpenge hours ×100 in [a, b] outside dead days (payments spread evenly over their days).
int64_t CountedHours(const PersonView& person, const std::vector<DayRange>& dead, Date a, Date b);
// The latest day s in [floor, end] with CountedHours(s, end) >= centihours; `floor` when there is none.
Date LookBackStartHours(const PersonView& person, const std::vector<DayRange>& dead, Date floor, Date end,
                        int64_t centihours);
// True when `day` is inside one of the merged ranges.
bool InRanges(const std::vector<DayRange>& ranges, Date day);

}  // namespace dfdg::measure
