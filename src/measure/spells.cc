#include "measure/spells.h"

#include <algorithm>

namespace dfdg::measure {
namespace {

using std::chrono::days;

Date FirstOfMonth(Date d) {
  std::chrono::year_month_day ymd{d};
  return std::chrono::sys_days{ymd.year() / ymd.month() / 1};
}

Date LastOfMonth(Date d) {
  std::chrono::year_month_day ymd{d};
  return std::chrono::sys_days{std::chrono::year_month_day_last{ymd.year(), std::chrono::month_day_last{ymd.month()}}};
}

// The spell family a payment belongs to (before 2025-07-01 conversion).
int Family(Benefit b) {
  switch (b) {
    case Benefit::kKontanthjaelp:
      return static_cast<int>(Group::kKontanthjaelp);
    case Benefit::kUddannelseshjaelp:
      return static_cast<int>(Group::kUddannelseshjaelp);
    case Benefit::kOvergangsydelse:
      return static_cast<int>(Group::kOvergangsydelse);
    case Benefit::kRevalidering:
    case Benefit::kForrevalidering:
      return static_cast<int>(Group::kRevalidering);
    case Benefit::kRessourceforloeb:
      return static_cast<int>(Group::kRessourceforloeb);
    case Benefit::kJobafklaring:
      return static_cast<int>(Group::kJobafklaring);
    case Benefit::kLedighedsydelse:
      return static_cast<int>(Group::kLedighedsydelse);
    default:
      return -1;
  }
}

void AddSpell(PersonSpells* out, Group group, Date start, const std::vector<DayRange>& ranges) {
  Spell s;
  s.group = group;
  s.start = start;
  s.paid_begin = static_cast<uint32_t>(out->paid.size());
  for (const auto& r : ranges) out->paid.push_back(r);
  s.paid_end = static_cast<uint32_t>(out->paid.size());
  s.last_paid = ranges.back().second;
  out->spells.push_back(std::move(s));
}

// Splits merged paid ranges into spells at every full calendar month without payment.
std::vector<std::vector<DayRange>> SplitByGap(const std::vector<DayRange>& merged) {
  std::vector<std::vector<DayRange>> spells;
  for (const auto& r : merged) {
    if (spells.empty() || FullMonthBetween(spells.back().back().second, r.first)) spells.emplace_back();
    spells.back().push_back(r);
  }
  return spells;
}

}  // namespace

bool FullMonthBetween(Date a, Date b) {
  Date first = FirstOfMonth(a + days{1});
  if (first != a + days{1}) first = LastOfMonth(a + days{1}) + days{1};
  return LastOfMonth(first) <= b - days{1};
}

std::vector<DayRange> MergeRanges(std::vector<DayRange> ranges) {
  std::sort(ranges.begin(), ranges.end());
  std::vector<DayRange> out;
  for (const auto& r : ranges) {
    if (!out.empty() && r.first <= out.back().second + days{1}) {
      out.back().second = std::max(out.back().second, r.second);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

bool InRanges(const std::vector<DayRange>& ranges, Date day) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), day, [](Date d, const DayRange& r) { return d < r.first; });
  return it != ranges.begin() && std::prev(it)->second >= day;
}

PersonSpells BuildSpells(const PersonView& person, const MethodRules& rules) {
  PersonSpells out;
  const Date conversion = rules.conversion_date;

  // Dead days.
  for (const auto& a : person.absences) {
    if (rules.IsDeadReason(a.reason)) out.personal_dead.push_back({a.from, a.to});
  }
  out.personal_dead = MergeRanges(std::move(out.personal_dead));
  out.dead = out.personal_dead;
  for (const auto& p : rules.dead_periods) out.dead.push_back(p);
  out.dead = MergeRanges(std::move(out.dead));

  // a-dagpenge: one spell per dagpengeperiode.
  {
    std::vector<Date> first_days;
    for (const auto& f : person.dagpenge_first_days) first_days.push_back(f.date);
    std::vector<std::pair<Date, std::vector<DayRange>>> periods;  // start -> ranges
    for (const auto& p : person.payments) {
      if (p.benefit != Benefit::kADagpenge) continue;
      Date from = p.from;
      while (from <= p.to) {
        // The dagpengeperiode of `from`: the latest first day <= from.
        auto it = std::upper_bound(first_days.begin(), first_days.end(), from);
        Date start = it == first_days.begin() ? from : *std::prev(it);
        Date until = it == first_days.end() ? p.to : std::min(p.to, *it - days{1});
        if (periods.empty() || periods.back().first != start) {
          bool found = false;
          for (auto& per : periods) {
            if (per.first == start) {
              per.second.push_back({from, until});
              found = true;
            }
          }
          if (!found) periods.push_back({start, {{from, until}}});
        } else {
          periods.back().second.push_back({from, until});
        }
        from = until + days{1};
      }
    }
    // Payments before any known first day: one spell from the first such payment.
    std::sort(periods.begin(), periods.end());
    for (size_t i = 0; i < periods.size(); ++i) {
      auto merged = MergeRanges(periods[i].second);
      Date start = periods[i].first;
      bool known = std::binary_search(first_days.begin(), first_days.end(), start);
      AddSpell(&out, Group::kADagpenge, known ? start : merged.front().first, merged);
    }
  }

  // sygedagpenge: merge spells that overlap by at least one day (start2 < end1).
  {
    std::vector<DayRange> rows;
    for (const auto& p : person.payments) {
      if (p.benefit == Benefit::kSygedagpenge) rows.push_back({p.from, p.to});
    }
    std::sort(rows.begin(), rows.end());
    std::vector<DayRange> merged;
    for (const auto& r : rows) {
      if (!merged.empty() && r.first < merged.back().second) {
        merged.back().second = std::max(merged.back().second, r.second);
      } else {
        merged.push_back(r);
      }
    }
    for (const auto& r : merged) AddSpell(&out, Group::kSygedagpenge, r.first, {r});
  }

  // Other groups, per family, with the 2025-07-01 conversion to kontanthjælp.
  std::array<std::vector<DayRange>, kGroupCount> family_ranges;
  for (const auto& p : person.payments) {
    int fam = Family(p.benefit);
    if (fam < 0) continue;
    bool converts = p.benefit == Benefit::kUddannelseshjaelp || p.benefit == Benefit::kOvergangsydelse;
    if (converts && p.to >= conversion) {
      if (p.from < conversion) family_ranges[fam].push_back({p.from, conversion - days{1}});
      family_ranges[static_cast<int>(Group::kKontanthjaelp)].push_back({std::max(p.from, conversion), p.to});
    } else {
      family_ranges[fam].push_back({p.from, p.to});
    }
  }
  std::array<std::vector<std::vector<DayRange>>, kGroupCount> family_spells;
  for (int fam = 0; fam < kGroupCount; ++fam) family_spells[fam] = SplitByGap(MergeRanges(family_ranges[fam]));

  auto kh = static_cast<int>(Group::kKontanthjaelp);
  auto uh = static_cast<int>(Group::kUddannelseshjaelp);
  auto oy = static_cast<int>(Group::kOvergangsydelse);
  // Start of each uddannelseshjælp / overgangsydelse spell after joining preceding overgangsydelse.
  auto joined_start = [&](const std::vector<DayRange>& spell, int fam) -> Date {
    Date start = spell.front().first;
    if (fam == oy) return start;
    for (const auto& prev : family_spells[oy]) {
      Date last = prev.back().second;
      if (last < start && start < conversion && !FullMonthBetween(last, start)) start = prev.front().first;
    }
    return start;
  };
  for (int fam = 0; fam < kGroupCount; ++fam) {
    for (const auto& spell : family_spells[fam]) {
      Date start = spell.front().first;
      if (fam == kh || fam == uh) start = joined_start(spell, fam);
      if (fam == kh && spell.front().first >= conversion) {
        // Continues an uddannelseshjælp / SHO spell running into the conversion day (004:595).
        for (int from_fam : {uh, oy}) {
          for (const auto& prev : family_spells[from_fam]) {
            Date last = prev.back().second;
            if (last == conversion - days{1} && spell.front().first == conversion) start = joined_start(prev, from_fam);
          }
        }
      }
      AddSpell(&out, static_cast<Group>(fam), start, spell);
    }
  }

  // KG 12 -> 2 restarts kontanthjælp spells from 2025-07-01 (004:569).
  for (const auto& g2 : person.contact_groups) {
    if (g2.contact_group != 2 || g2.from < conversion) continue;
    bool from12 = std::any_of(person.contact_groups.begin(), person.contact_groups.end(), [&](const auto& g12) {
      return g12.contact_group == 12 && g12.from < g2.from && g12.to >= g2.from - days{1};
    });
    if (!from12) continue;
    for (auto& s : out.spells) {
      if (s.group == Group::kKontanthjaelp && s.start < g2.from && s.last_paid >= g2.from)
        s.restarts.push_back(g2.from);
    }
  }
  for (auto& s : out.spells) std::sort(s.restarts.begin(), s.restarts.end());
  return out;
}

int64_t CountedDays(const std::vector<DayRange>& dead, Date a, Date b) {
  if (b < a) return 0;
  int64_t total = (b - a).count() + 1;
  for (const auto& d : dead) {
    if (d.second < a) continue;
    if (d.first > b) break;
    total -= (std::min(d.second, b) - std::max(d.first, a)).count() + 1;
  }
  int y0 = static_cast<int>(std::chrono::year_month_day{a}.year());
  int y1 = static_cast<int>(std::chrono::year_month_day{b}.year());
  for (int y = y0; y <= y1; ++y) {
    std::chrono::year_month_day feb29{std::chrono::year{y}, std::chrono::February, std::chrono::day{29}};
    if (!feb29.ok()) continue;
    Date day{feb29};
    if (day >= a && day <= b && !InRanges(dead, day)) --total;
  }
  return total;
}

int64_t CountedDaysIn(const std::vector<DayRange>& ranges, const std::vector<DayRange>& dead, Date a, Date b) {
  int64_t total = 0;
  for (const auto& r : ranges) {
    if (r.second < a) continue;
    if (r.first > b) break;
    total += CountedDays(dead, std::max(r.first, a), std::min(r.second, b));
  }
  return total;
}

Date LookBackStartDays(const std::vector<DayRange>& dead, Date end, int64_t count) {
  // CountedDays(s, end) is non-increasing in s: binary search the largest s with at least `count`.
  Date lo = end - days{count * 3 + 4000};  // surely enough counted days before (dead periods are bounded)
  Date hi = end;
  if (CountedDays(dead, lo, end) < count) return lo;
  while (lo < hi) {
    Date mid = lo + days{((hi - lo).count() + 1) / 2};
    if (CountedDays(dead, mid, end) >= count) {
      lo = mid;
    } else {
      hi = mid - days{1};
    }
  }
  return lo;
}

int64_t CountedHours(const PersonView& person, const std::vector<DayRange>& dead, Date a, Date b) {
  int64_t total = 0;
  for (const auto& p : person.payments) {
    if (p.benefit != Benefit::kADagpenge || p.to < a || p.from > b) continue;
    int64_t all = (p.to - p.from).count() + 1;
    Date x = std::max(p.from, a);
    Date y = std::min(p.to, b);
    int64_t n = (y - x).count() + 1;
    for (const auto& d : dead) {
      if (d.second < x) continue;
      if (d.first > y) break;
      n -= (std::min(d.second, y) - std::max(d.first, x)).count() + 1;
    }
    total += p.centihours * n / all;
  }
  return total;
}

Date LookBackStartHours(const PersonView& person, const std::vector<DayRange>& dead, Date floor, Date end,
                        int64_t centihours) {
  if (CountedHours(person, dead, floor, end) < centihours) return floor;
  Date lo = floor;
  Date hi = end;
  while (lo < hi) {
    Date mid = lo + days{((hi - lo).count() + 1) / 2};
    if (CountedHours(person, dead, mid, end) >= centihours) {
      lo = mid;
    } else {
      hi = mid - days{1};
    }
  }
  return lo;
}

}  // namespace dfdg::measure
