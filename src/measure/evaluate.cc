#include "measure/evaluate.h"

#include <algorithm>

namespace dfdg::measure {
namespace {

using std::chrono::days;

int Priority(Group g) {
  // Tie-break when two spells end on the same day in the month (docs/measurement.md).
  static const int kRank[kGroupCount] = {1, 2, 6, 7, 8, 0, 5, 4, 3};
  return kRank[static_cast<int>(g)];
}

bool PaysFamily(const Payment& p, Group g) {
  switch (g) {
    case Group::kADagpenge:
      return p.benefit == Benefit::kADagpenge;
    case Group::kSygedagpenge:
      return p.benefit == Benefit::kSygedagpenge;
    case Group::kKontanthjaelp:
      return p.benefit == Benefit::kKontanthjaelp || p.benefit == Benefit::kUddannelseshjaelp ||
             p.benefit == Benefit::kOvergangsydelse;
    case Group::kUddannelseshjaelp:
      return p.benefit == Benefit::kUddannelseshjaelp;
    case Group::kOvergangsydelse:
      return p.benefit == Benefit::kOvergangsydelse;
    case Group::kRevalidering:
      return p.benefit == Benefit::kRevalidering || p.benefit == Benefit::kForrevalidering;
    case Group::kRessourceforloeb:
      return p.benefit == Benefit::kRessourceforloeb;
    case Group::kJobafklaring:
      return p.benefit == Benefit::kJobafklaring;
    case Group::kLedighedsydelse:
      return p.benefit == Benefit::kLedighedsydelse;
  }
  return false;
}

std::string Percent(int permille) { return std::to_string(permille / 10) + "," + std::to_string(permille % 10) + " %"; }

int ResidenceOn(const PersonView& person, Date day) {
  int municipality = 0;
  for (const auto& r : person.residence) {
    if (r.from <= day && r.to >= day) municipality = r.value;
  }
  return municipality;
}

bool InOffer(const PersonView& person, Date day) {
  return std::any_of(person.offers.begin(), person.offers.end(),
                     [&](const Period& p) { return p.from <= day && p.to >= day; });
}

struct Context {
  const PersonView& person;
  const PersonSpells& spells;
  const MethodRules& rules;
  PersonMonth& out;
};

DurationClass DurationAt(const Context& c, Date day) {
  if (c.out.hours_based) {
    return ClassifyHours(c.rules, CountedHours(c.person, c.spells.dead, c.out.spell_start, day), c.out.part_time);
  }
  return ClassifyDays(c.rules, CountedDays(c.spells.dead, c.out.spell_start, day));
}

// Empty when the interview counts; otherwise the Danish reason it does not.
std::string Judge(const Context& c, const Interview& iv, bool is_first) {
  const auto& r = c.rules;
  const auto& out = c.out;
  if (iv.date < out.window_start) return "før måleperioden (tæller kun de seneste 12 måneder af forløbet)";
  if (iv.date > out.spell_end) return "efter sidste ydelsesdag i måneden (tæller tidligst i næste måling)";
  if (iv.date >= r.covid_never_count.first && iv.date <= r.covid_never_count.second) {
    return "afholdt 12. marts – 26. maj 2020: tæller aldrig (COVID-19)";
  }
  if (InRanges(c.spells.personal_dead, iv.date)) return "afholdt i død periode (barsel / opfølgning uden kontakt)";
  if (out.group == Group::kSygedagpenge) {
    if (iv.type == InterviewType::kAndet) return "ikke en sygeopfølgnings- eller jobsamtale";
    return "";  // every sygeopfølgningssamtale counts, whatever the form (004:730)
  }
  if (iv.type != InterviewType::kJobsamtale && iv.type != InterviewType::kFaellesJobsamtale) {
    return "ikke en jobsamtale";
  }
  bool akasse = iv.held_by == HeldBy::kAkasse;
  if (akasse && out.group != Group::kADagpenge) return "a-kassens jobsamtaler tæller kun for a-dagpengemodtagere";
  if (out.group == Group::kADagpenge && iv.date >= out.spell_start) {
    bool paid = false;
    bool other = false;
    for (const auto& p : c.person.payments) {
      if (p.from > iv.date || p.to < iv.date) continue;
      (p.benefit == Benefit::kADagpenge ? paid : other) = true;
    }
    if (!paid && other) return "uden udbetaling af a-dagpenge, og anden forsørgelsesydelse udbetalt på dagen";
  }
  if (iv.form == InterviewForm::kPersonligt) return "";
  std::string form = InterviewFormKey(iv.form);
  if (iv.form == InterviewForm::kAndet) return "kontaktformen 'andet' tæller ikke";
  int municipality = iv.municipality != 0 ? iv.municipality : ResidenceOn(c.person, iv.date);
  bool trial = !akasse && r.TrialAllows(municipality, iv.date, iv.form);
  if (iv.date >= r.regime_2023) {
    if (!is_first || trial) return "";
    return "første jobsamtale i forløbet skal holdes ved personligt fremmøde (fra 22. marts 2023), var " + form;
  }
  for (const auto& p : r.reopening_any_form) {
    if (iv.date >= p.first && iv.date <= p.second) return "";
  }
  if (iv.date >= r.regime_2022 && DurationAt(c, iv.date).interval >= r.regime_2022_from_interval) return "";
  if (InOffer(c.person, iv.date)) return "";
  if (trial) return "";
  return "kontaktformen " + form + " tæller kun ved personligt fremmøde (før 22. marts 2023)";
}

void CountInterviews(const Context& c, bool explain) {
  auto& out = c.out;
  const auto& r = c.rules;
  Date course_from = out.spell_start;
  // From 2024: interviews up to three months before the first payment (004:740).
  bool prepay_group = r.prepayment_groups[static_cast<int>(out.group)];
  if (prepay_group && out.duration.interval < kTwelvePlus && out.spell_start >= r.prepayment_from) {
    Date limit = SubtractDuration(out.spell_start, Duration{r.prepayment_months, Duration::Unit::kMonths});
    for (const auto& contact : c.person.first_contacts) {
      if (contact.date < limit || contact.date >= out.spell_start) continue;
      bool earlier_dagpenge =
          out.group == Group::kADagpenge &&
          std::any_of(c.person.payments.begin(), c.person.payments.end(), [&](const Payment& p) {
            return p.benefit == Benefit::kADagpenge && p.to >= contact.date && p.from < out.spell_start;
          });
      if (earlier_dagpenge) continue;
      course_from = contact.date;
      out.window_start = contact.date;
      break;
    }
  }
  Date month_last = MonthLast(out.month_first);
  bool first_seen = false;
  for (const auto& iv : c.person.interviews) {
    if (iv.date < std::min(course_from, out.window_start)) continue;
    if (iv.date > month_last) break;
    bool job = iv.type == InterviewType::kJobsamtale || iv.type == InterviewType::kFaellesJobsamtale;
    bool is_first = job && !first_seen && iv.date >= course_from;
    if (is_first) first_seen = true;
    if (!explain && (iv.date < out.window_start || iv.date > out.spell_end)) continue;
    std::string reason = Judge(c, iv, is_first);
    bool counted = reason.empty();
    if (counted) {
      if (!out.counted_dates.empty() && out.counted_dates.back() == iv.date) {
        counted = false;
        reason = "højst én samtale pr. dag tæller";
      } else {
        out.counted_dates.push_back(iv.date);
        reason = "tæller";
      }
    }
    if (explain) out.interviews.push_back({iv, counted, std::move(reason)});
  }
  out.counted = static_cast<int>(out.counted_dates.size());
}

}  // namespace

const char* OutcomeKey(Outcome outcome) {
  switch (outcome) {
    case Outcome::kNoBenefit:
      return "ingen_ydelse";
    case Outcome::kOtherBenefit:
      return "anden_ydelse";
    case Outcome::kAge:
      return "alder";
    case Outcome::kDeadWholeMonth:
      return "doed_periode_hele_maaneden";
    case Outcome::kExempt:
      return "fritaget";
    case Outcome::kMeasured:
      return "maalt";
  }
  return "";
}

Date MonthFirst(Date day) {
  std::chrono::year_month_day ymd{day};
  return std::chrono::sys_days{ymd.year() / ymd.month() / 1};
}

Date MonthLast(Date month_first) {
  std::chrono::year_month_day ymd{month_first};
  return std::chrono::sys_days{std::chrono::year_month_day_last{ymd.year(), std::chrono::month_day_last{ymd.month()}}};
}

PersonMonth EvaluateMonth(const PersonView& person, const PersonSpells& spells, const MethodRules& rules,
                          Date month_first, bool explain) {
  PersonMonth out;
  out.person = person.index;
  out.month_first = month_first;
  Date month_last = MonthLast(month_first);

  // The main benefit: the spell paid latest in the month (004:380).
  const Spell* best = nullptr;
  Date end{};
  for (const auto& s : spells.spells) {
    if (s.last_paid < month_first) continue;
    for (uint32_t i = s.paid_begin; i < s.paid_end; ++i) {
      const auto& r = spells.paid[i];
      if (r.first > month_last || r.second < month_first) continue;
      Date e = std::min(r.second, month_last);
      if (!best || e > end || (e == end && Priority(s.group) < Priority(best->group))) {
        best = &s;
        end = e;
      }
    }
  }
  if (!best) {
    bool other = std::any_of(person.payments.begin(), person.payments.end(),
                             [&](const Payment& p) { return p.from <= month_last && p.to >= month_first; });
    out.outcome = other ? Outcome::kOtherBenefit : Outcome::kNoBenefit;
    out.why = other ? "modtager ikke en af målingens ydelser i måneden" : "ingen ydelse i måneden";
    return out;
  }
  out.group = best->group;
  out.spell_end = end;
  out.spell_start = best->start;
  for (Date restart : best->restarts) {
    if (restart <= end) out.spell_start = restart;
  }
  for (const auto& p : person.payments) {
    if (p.from > end) break;
    if (!PaysFamily(p, best->group)) continue;
    out.part_time = p.part_time;
    out.rate = p.benefit == Benefit::kUddannelseshjaelp && p.to >= rules.conversion_date ? KhRate::kGrundsats
               : p.benefit == Benefit::kOvergangsydelse && p.to >= rules.conversion_date ? KhRate::kMindstesats
                                                                                         : p.rate;
  }
  if (best->group != Group::kKontanthjaelp || month_first < rules.kh_subgroups_from) out.rate = KhRate::kNone;
  out.municipality = ResidenceOn(person, end);

  Date age16 = AddDuration(person.person->birth_date, Duration{16, Duration::Unit::kYears});
  if (end < age16 || end >= person.person->pension_age_date) {
    out.outcome = Outcome::kAge;
    out.why = end < age16 ? "under 16 år på sidste ydelsesdag i måneden" : "har nået folkepensionsalderen";
    return out;
  }
  Date from_in_month = std::max(out.spell_start, month_first);
  {
    auto it = std::upper_bound(spells.personal_dead.begin(), spells.personal_dead.end(), from_in_month,
                               [](Date d, const DayRange& r) { return d < r.first; });
    if (it != spells.personal_dead.begin() && std::prev(it)->second >= end) {
      out.outcome = Outcome::kDeadWholeMonth;
      out.why = "fritaget med barsel / opfølgning uden kontakt alle forløbets dage i måneden";
      return out;
    }
  }

  // Duration (Skema 1) and the measurement window (the spell, at most its latest 12 months).
  out.hours_based = best->group == Group::kADagpenge;
  out.duration_days = CountedDays(spells.dead, out.spell_start, end);
  if (out.hours_based) {
    out.duration_centihours = CountedHours(person, spells.dead, out.spell_start, end);
    out.duration = ClassifyHours(rules, out.duration_centihours, out.part_time);
    out.window_start = out.duration.interval == kTwelvePlus ? LookBackStartHours(person, spells.dead, out.spell_start,
                                                                                 end, YearCentihours(rules, out.part_time))
                                                            : out.spell_start;
  } else {
    out.duration = ClassifyDays(rules, out.duration_days);
    // A year of counted days: the lower bound of "12 måneder og derover" (365, 004:506, 004:518).
    out.window_start = out.duration.interval == kTwelvePlus
                           ? LookBackStartDays(spells.dead, end, rules.skema1.days.interval_from[kTwelvePlus])
                           : out.spell_start;
  }
  out.window_start = std::max(out.window_start, out.spell_start);

  // Exemption share (004:977-999).
  std::string visitation;
  for (const auto& g : person.contact_groups) {
    if (g.from <= end && g.to >= end) visitation = g.visitation;
  }
  const auto& table = rules.Table(out.group, out.rate, month_first);
  std::vector<DayRange> exempt;
  std::vector<DayRange> mii;
  for (const auto& a : person.absences) {
    if (a.to < out.window_start || a.from > end) continue;
    Date from = std::max(a.from, out.window_start);
    Date to = std::min(a.to, end);
    for (const auto& e : table) {
      if (e.reason != a.reason || (!e.visitation.empty() && e.visitation != visitation)) continue;
      Date f = e.validity.from ? std::max(from, *e.validity.from) : from;
      Date t = e.validity.to ? std::min(to, *e.validity.to - days{1}) : to;
      if (f <= t) exempt.push_back({f, t});
    }
    if (rules.IsMiiReason(a.reason)) mii.push_back({from, to});
  }
  out.window_days = CountedDays(spells.dead, out.window_start, end);
  out.exempt_days = CountedDaysIn(MergeRanges(std::move(exempt)), spells.dead, out.window_start, end);
  out.exempt_permille = out.window_days > 0 ? static_cast<int>(out.exempt_days * 1000 / out.window_days) : 0;
  int spell_month = out.duration.interval + 1;
  out.threshold_percent = rules.ThresholdPercent(month_first, spell_month);
  bool exempt_share = out.window_days > 0 && out.exempt_days * 100 >= out.threshold_percent * out.window_days;
  bool exempt_mii = false;
  if (rules.MiiApplies(month_first, spell_month)) {
    out.mii_days = CountedDaysIn(MergeRanges(std::move(mii)), spells.dead, out.window_start, end);
    exempt_mii = out.mii_days >= rules.mii_min_days;
  }
  if (out.group == Group::kSygedagpenge && spell_month <= rules.sdp13_last_month) {
    out.sdp13 = std::any_of(person.absences.begin(), person.absences.end(), [&](const AbsencePeriod& a) {
      return a.reason == rules.sdp13_reason && a.back_within_13_weeks && a.registered >= rules.sdp13_registered_from &&
             a.from <= end && a.to >= out.spell_start;
    });
  }
  Context c{person, spells, rules, out};
  if (exempt_share || exempt_mii || out.sdp13) {
    out.outcome = Outcome::kExempt;
    if (out.sdp13) {
      out.why = "fritaget: sygedagpenge med \"kan vende tilbage inden for 13 uger\" i de første 6 måneder";
    } else if (exempt_share) {
      out.why = "fritaget: " + Percent(out.exempt_permille) + " af måleperioden (grænse " +
                std::to_string(out.threshold_percent) + " %)";
    } else {
      out.why = "fritaget: " + std::to_string(out.mii_days) + " dage med mindre intensiv indsats i de første 6 måneder";
    }
    if (explain) CountInterviews(c, true);
    return out;
  }
  out.outcome = Outcome::kMeasured;
  out.why = "indgår i måling 1-4";
  CountInterviews(c, explain);
  return out;
}

}  // namespace dfdg::measure
