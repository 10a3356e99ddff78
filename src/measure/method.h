// The rules of the measurement "Jobsamtaler til alle ydelsesmodtagere i jobcentrene" (seed 004, v1.75) as
// data: benefit groups, Skema 1 duration intervals, the exemption tables, thresholds, dead periods and the
// interview regimes.
//
// Contract: BuildRules reads the seed-004 parameters from the catalogue (Model::measure_exemptions,
// Model::measure_rules, Model::municipalities) and refuses (InvalidArgument) a catalogue that lacks one it
// needs, including Skema 2 (interview_trials), the COVID interview windows and the interview regime dates
// (interview_regimes) and Skema 1 (skema1: the duration-interval and year-bucket bounds, which
// ClassifyDays/ClassifyHours/YearCentihours read from MethodRules).
// All dates here are inclusive first/last days unless named `*_to` (exclusive, as in the catalogue).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/date.h"
#include "measure/input.h"

namespace dfdg::measure {

// The benefit groups (ydelsesgrupper) of the measurement, in output order.
enum class Group : uint8_t {
  kADagpenge,
  kSygedagpenge,
  kKontanthjaelp,
  kUddannelseshjaelp,
  kOvergangsydelse,
  kRevalidering,
  kRessourceforloeb,
  kJobafklaring,
  kLedighedsydelse,
};
constexpr int kGroupCount = 9;
const char* GroupKey(Group group);     // catalogue key, e.g. "kontanthjaelp"
const char* GroupNameDa(Group group);  // "kontanthjælp"

// Skema 1: the duration interval of a spell. 0..11 = "under 1 måned" .. "11 måneder", 12 = "12 måneder og
// derover". Year bucket for 12+: 1 = "1 – 2 år", 2 = "3 – 5 år", 3 = "6 – 9 år", 4 = "10 + år"; 0 = under 12.
constexpr int kTwelvePlus = 12;
struct DurationClass {
  int interval = 0;
  int year_bucket = 0;
};
// Skema 1 bounds of one unit (catalogue measure_rules.skema1): lower bounds of the intervals 0..12 and of the
// year buckets 1..4, each strictly increasing (BuildRules checks).
struct Skema1Bounds {
  std::array<int64_t, 13> interval_from{};
  std::array<int64_t, 4> year_bucket_from{};
};
struct Skema1 {
  Skema1Bounds days;                  // counted days, all groups except a-dagpenge
  Skema1Bounds full_time_centihours;  // a-dagpenge hours × 100, fuldtidsforsikrede
  Skema1Bounds part_time_centihours;  // a-dagpenge hours × 100, deltidsforsikrede
};
struct MethodRules;
// Counted days (Feb 29 never counted, so a year is 365 days; 004:518).
DurationClass ClassifyDays(const MethodRules& rules, int64_t days);
// Counted a-dagpenge hours × 100, full- or part-time insured.
DurationClass ClassifyHours(const MethodRules& rules, int64_t centihours, bool part_time);
// A year of a-dagpenge duration (×100): the lower bound of "12 måneder og derover" (1923.96 / 1560 hours).
int64_t YearCentihours(const MethodRules& rules, bool part_time);
const char* IntervalNameDa(int interval);  // 0..12
const char* YearBucketNameDa(int bucket);  // 1..4

// Which interviews count: the regime dates and windows of 004:728-941.
struct TrialMunicipalities {  // Skema 2 (004:871)
  std::vector<int> municipalities;
  Date from;
  Date last;           // inclusive
  bool video = false;  // videokonference/videomøde / digitalt fremmøde allowed
  bool telefon = false;
};

struct ThresholdRule {
  int min_percent = 50;
  int first_month = 1;  // 1-based month of the spell (Skema 1 interval + 1)
  int last_month = 0;   // 0 = open
  Validity validity;    // judged against the first day of the measured month
};

struct ExemptionEntry {
  int reason = 0;
  Validity validity;       // judged against the exempt day
  std::string visitation;  // empty = every category
};

struct MethodRules {
  std::string catalog_version;
  Skema1 skema1;  // duration intervals and year buckets (004:447-514)
  // Exemption tables by catalogue group key index (Group) - the table a spell's days are judged by.
  std::array<std::vector<ExemptionEntry>, kGroupCount> exemptions;
  Date kh_subgroups_from;  // 2025-07-01: kontanthjælp rates choose the table (hoejeste/grundsats/mindstesats)
  std::vector<ThresholdRule> thresholds;
  int mii_min_days = 5;
  std::vector<int> mii_reasons;
  Validity mii_validity;
  int mii_last_month = 6;
  std::vector<int> dead_reasons;                    // barsel, opfølgning uden kontakt
  std::vector<std::pair<Date, Date>> dead_periods;  // COVID, inclusive
  int sdp13_reason = 11;
  Date sdp13_registered_from;
  int sdp13_last_month = 6;
  std::vector<TrialMunicipalities> trials;
  std::vector<std::pair<Date, Date>> reopening_any_form;  // 004:926, inclusive
  std::pair<Date, Date> covid_never_count;                // 12 March - 26 May 2020 (004:668)
  Date regime_2022;  // 2022-01-01: after 6 months, video/telefon count (004:801)
  int regime_2022_from_interval = 6;                      // "after the 6th month": Skema 1 interval >= 6
  Date regime_2023;      // 2023-03-22: first interview in person, later ones any form (004:778)
  Date prepayment_from;  // spells started from 2024-01-01: interviews up to 3 months before (004:740)
  int prepayment_months = 3;
  std::array<bool, kGroupCount> prepayment_groups{};  // by Group: a-dagpenge, kontanthjælp, uddannelseshj., SHO
  Date conversion_date;  // 2025-07-01: SHO/uddannelseshjælp -> kontanthjælp, KG 12 -> 2 restarts (004:595)
  std::vector<catalog::Municipality> municipalities;

  // True when absence `reason` on `day` counts as exemption for a spell of `group` (kontanthjælp: `rate`
  // picks the table from 2025-07-01) for a person in visitation category `visitation` (may be empty).
  bool CountsAsExemption(Group group, KhRate rate, Date month_first, const std::string& visitation, int reason,
                         Date day) const;
  // The exemption table for a spell of `group` measured in the month starting `month_first`.
  const std::vector<ExemptionEntry>& Table(Group group, KhRate rate, Date month_first) const;
  bool IsDeadReason(int reason) const;
  bool IsMiiReason(int reason) const;
  // The threshold (percent) for a spell in its `spell_month` (1-based) measured in the month starting
  // `month_first`; with MII when the MII rule applies then.
  int ThresholdPercent(Date month_first, int spell_month) const;
  bool MiiApplies(Date month_first, int spell_month) const;
  // Video/telephone allowed by Skema 2 for an interview in `municipality` on `day`.
  bool TrialAllows(int municipality, Date day, InterviewForm form) const;
  const catalog::Municipality* FindMunicipality(int code) const;
};

Result<MethodRules> BuildRules(const catalog::Catalog& catalog);

}  // namespace dfdg::measure
