// Skema 1 intervals, spells per benefit group and dead periods (seed 004, 004:447-640).
#include <gtest/gtest.h>

#include "measure_test_util.h"

namespace dfdg::measure {
namespace {

using testing_util::AddPayment;
using testing_util::D;
using testing_util::Evaluate;
using testing_util::Rules;

TEST(MeasureSkema1Test, DayBoundaries) {
  EXPECT_EQ(ClassifyDays(Rules(), 0).interval, 0);
  EXPECT_EQ(ClassifyDays(Rules(), 30).interval, 0);
  EXPECT_EQ(ClassifyDays(Rules(), 31).interval, 1);
  EXPECT_EQ(ClassifyDays(Rules(), 182).interval, 5);
  EXPECT_EQ(ClassifyDays(Rules(), 183).interval, 6);
  EXPECT_EQ(ClassifyDays(Rules(), 364).interval, 11);
  EXPECT_EQ(ClassifyDays(Rules(), 364).year_bucket, 0);
  EXPECT_EQ(ClassifyDays(Rules(), 365).interval, kTwelvePlus);
  EXPECT_EQ(ClassifyDays(Rules(), 365).year_bucket, 1);
  EXPECT_EQ(ClassifyDays(Rules(), 1094).year_bucket, 1);
  EXPECT_EQ(ClassifyDays(Rules(), 1095).year_bucket, 2);
  EXPECT_EQ(ClassifyDays(Rules(), 2189).year_bucket, 2);
  EXPECT_EQ(ClassifyDays(Rules(), 2190).year_bucket, 3);
  EXPECT_EQ(ClassifyDays(Rules(), 3649).year_bucket, 3);
  EXPECT_EQ(ClassifyDays(Rules(), 3650).year_bucket, 4);
}

TEST(MeasureSkema1Test, HourBoundaries) {
  EXPECT_EQ(ClassifyHours(Rules(), 16032, false).interval, 0);
  EXPECT_EQ(ClassifyHours(Rules(), 16033, false).interval, 1);
  EXPECT_EQ(ClassifyHours(Rules(), 192395, false).interval, 11);
  EXPECT_EQ(ClassifyHours(Rules(), 192396, false).interval, kTwelvePlus);
  EXPECT_EQ(ClassifyHours(Rules(), 577187, false).year_bucket, 1);
  EXPECT_EQ(ClassifyHours(Rules(), 577188, false).year_bucket, 2);
  EXPECT_EQ(ClassifyHours(Rules(), 1923950, false).year_bucket, 3);
  EXPECT_EQ(ClassifyHours(Rules(), 1923951, false).year_bucket, 4);
  EXPECT_EQ(ClassifyHours(Rules(), 12999, true).interval, 0);
  EXPECT_EQ(ClassifyHours(Rules(), 13000, true).interval, 1);
  EXPECT_EQ(ClassifyHours(Rules(), 155999, true).interval, 11);
  EXPECT_EQ(ClassifyHours(Rules(), 156000, true).interval, kTwelvePlus);
  EXPECT_EQ(ClassifyHours(Rules(), 468000, true).year_bucket, 2);
  EXPECT_EQ(ClassifyHours(Rules(), 1560000, true).year_bucket, 4);
}

TEST(MeasureSkema1Test, YearLengthsComeFromTheCatalogue) {
  EXPECT_EQ(YearCentihours(Rules(), false), 192396);  // 1923.96 (printed 1924,96, 004:506)
  EXPECT_EQ(YearCentihours(Rules(), true), 156000);
  EXPECT_EQ(Rules().skema1.days.interval_from[kTwelvePlus], 365);
}

// Loads the catalogue, lets `edit` change measure_rules.skema1 and returns BuildRules' status.
template <typename Edit>
Status BuildWithSkema1(Edit edit) {
  auto loaded = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
  EXPECT_TRUE(loaded.ok());
  catalog::Model model = (*loaded)->model();
  edit(model.measure_rules["skema1"]);
  auto built = BuildRules(*catalog::Catalog::FromModel(std::move(model)));
  return built.ok() ? Status::Ok() : built.status();
}

TEST(MeasureSkema1Test, CatalogueWithoutCompleteIncreasingSkema1IsRefused) {
  EXPECT_TRUE(BuildWithSkema1([](nlohmann::ordered_json&) {}).ok());
  EXPECT_FALSE(BuildWithSkema1([](nlohmann::ordered_json& s) { s = nullptr; }).ok());
  EXPECT_FALSE(BuildWithSkema1([](nlohmann::ordered_json& s) { s["intervals"].erase(12); }).ok());
  EXPECT_FALSE(BuildWithSkema1([](nlohmann::ordered_json& s) { s["year_buckets"][2]["days"] = 300; }).ok());
  EXPECT_FALSE(BuildWithSkema1([](nlohmann::ordered_json& s) { s["intervals"][3].erase("part_time_centihours"); }).ok());
  EXPECT_FALSE(BuildWithSkema1([](nlohmann::ordered_json& s) { s["intervals"][0]["days"] = 1; }).ok());
}

TEST(MeasureSpellTest, FullCalendarMonthBetween) {
  EXPECT_TRUE(FullMonthBetween(D("2021-01-31"), D("2021-03-01")));
  EXPECT_TRUE(FullMonthBetween(D("2021-01-30"), D("2021-03-01")));
  EXPECT_FALSE(FullMonthBetween(D("2021-01-31"), D("2021-02-28")));
  EXPECT_TRUE(FullMonthBetween(D("2021-01-15"), D("2021-03-14")));  // all of February lies between
  EXPECT_FALSE(FullMonthBetween(D("2021-01-15"), D("2021-02-28")));
}

TEST(MeasureSpellTest, OtherBenefitsBreakOnlyOnAFullMonthWithoutPayment) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kKontanthjaelp, "2021-01-01", "2021-03-15");
  AddPayment(&data, Benefit::kKontanthjaelp, "2021-04-14", "2021-05-31");  // no full month between
  AddPayment(&data, Benefit::kKontanthjaelp, "2021-07-01", "2021-08-31");  // June without payment
  data.Finish();
  EXPECT_EQ(Evaluate(data, "2021-05-01").spell_start, D("2021-01-01"));
  EXPECT_EQ(Evaluate(data, "2021-08-01").spell_start, D("2021-07-01"));
  EXPECT_EQ(Evaluate(data, "2021-06-01").outcome, Outcome::kNoBenefit);
}

TEST(MeasureSpellTest, SygedagpengeMergeOnlyWhenOverlappingByADay) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kSygedagpenge, "2021-01-01", "2021-02-10");
  AddPayment(&data, Benefit::kSygedagpenge, "2021-02-09", "2021-03-31");  // starts before the end: merged
  AddPayment(&data, Benefit::kSygedagpenge, "2021-03-31", "2021-05-31");  // starts on the end day: new spell
  data.Finish();
  EXPECT_EQ(Evaluate(data, "2021-03-01").spell_start, D("2021-01-01"));
  EXPECT_EQ(Evaluate(data, "2021-05-01").spell_start, D("2021-03-31"));
}

TEST(MeasureSpellTest, ADagpengeCountsHoursAndANewFirstDayBreaks) {
  auto data = testing_util::OnePerson("0101901234");
  testing_util::AddFirstDay(&data, "2021-01-01");
  testing_util::AddFirstDay(&data, "2023-01-01");
  for (int y = 2021; y <= 2023; ++y) {
    for (int m = 1; m <= 12; ++m) {
      std::string from = FormatDate(MakeDate(y, m, 1));
      std::string to = FormatDate(MonthLast(MakeDate(y, m, 1)));
      AddPayment(&data, Benefit::kADagpenge, from.c_str(), to.c_str(), 160.33);
    }
  }
  data.Finish();
  PersonMonth dec22 = Evaluate(data, "2022-12-01", false);
  EXPECT_TRUE(dec22.hours_based);
  EXPECT_EQ(dec22.duration_centihours, 24 * 16033);
  EXPECT_EQ(dec22.duration.interval, kTwelvePlus);
  PersonMonth jun23 = Evaluate(data, "2023-06-01", false);
  EXPECT_EQ(jun23.spell_start, D("2023-01-01"));
  EXPECT_EQ(jun23.duration_centihours, 6 * 16033);
  EXPECT_EQ(jun23.duration.interval, 6);
}

TEST(MeasureSpellTest, ADagpengeLookBackIsTheLatest1923Point96Hours) {
  auto data = testing_util::OnePerson("0101901234");
  testing_util::AddFirstDay(&data, "2021-01-01");
  for (int y = 2021; y <= 2022; ++y) {
    for (int m = 1; m <= 12; ++m) {
      std::string from = FormatDate(MakeDate(y, m, 1));
      std::string to = FormatDate(MonthLast(MakeDate(y, m, 1)));
      AddPayment(&data, Benefit::kADagpenge, from.c_str(), to.c_str(), 160.33);
    }
  }
  testing_util::AddInterview(&data, "2021-12-20");
  testing_util::AddInterview(&data, "2022-01-03");
  data.Finish();
  PersonMonth m = Evaluate(data, "2022-12-01");
  EXPECT_EQ(m.window_start, D("2022-01-01"));
  EXPECT_EQ(m.counted, 1);
}

TEST(MeasureSpellTest, PartTimeInsuredUsePartTimeHours) {
  auto data = testing_util::OnePerson("0101901234");
  testing_util::AddFirstDay(&data, "2022-01-01");
  AddPayment(&data, Benefit::kADagpenge, "2022-01-01", "2022-01-31", 130, KhRate::kNone, true);
  data.Finish();
  PersonMonth m = Evaluate(data, "2022-01-01", false);
  EXPECT_TRUE(m.part_time);
  EXPECT_EQ(m.duration.interval, 1);  // 130 hours = 1 måned for deltidsforsikrede
}

TEST(MeasureSpellTest, OvergangsydelseBeforeKontanthjaelpJoinsBefore2025) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kOvergangsydelse, "2022-01-01", "2022-03-31");
  AddPayment(&data, Benefit::kKontanthjaelp, "2022-04-10", "2022-08-31");
  data.Finish();
  PersonMonth m = Evaluate(data, "2022-08-01", false);
  EXPECT_EQ(m.group, Group::kKontanthjaelp);
  EXPECT_EQ(m.spell_start, D("2022-01-01"));
}

TEST(MeasureSpellTest, UddannelseshjaelpContinuesAsKontanthjaelpOn20250701) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kUddannelseshjaelp, "2025-01-01", "2025-09-30");  // converted from 2025-07-01
  data.Finish();
  PersonMonth jun = Evaluate(data, "2025-06-01", false);
  EXPECT_EQ(jun.group, Group::kUddannelseshjaelp);
  PersonMonth aug = Evaluate(data, "2025-08-01", false);
  EXPECT_EQ(aug.group, Group::kKontanthjaelp);
  EXPECT_EQ(aug.rate, KhRate::kGrundsats);
  EXPECT_EQ(aug.spell_start, D("2025-01-01"));
}

TEST(MeasureSpellTest, ContactGroup12To2RestartsKontanthjaelpFrom20250701) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kKontanthjaelp, "2025-01-01", "2025-12-31", 0, KhRate::kHoejeste);
  testing_util::AddContactGroup(&data, 12, "2025-01-01", "2025-08-31");
  testing_util::AddContactGroup(&data, 2, "2025-09-01", "2999-12-31");
  data.Finish();
  EXPECT_EQ(Evaluate(data, "2025-08-01", false).spell_start, D("2025-01-01"));
  PersonMonth oct = Evaluate(data, "2025-10-01", false);
  EXPECT_EQ(oct.spell_start, D("2025-09-01"));
  EXPECT_EQ(oct.duration.interval, 1);
}

TEST(MeasureSpellTest, ForrevalideringIsPartOfRevalidering) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kForrevalidering, "2022-01-01", "2022-04-30");
  AddPayment(&data, Benefit::kRevalidering, "2022-05-01", "2022-09-30");
  data.Finish();
  PersonMonth m = Evaluate(data, "2022-09-01", false);
  EXPECT_EQ(m.group, Group::kRevalidering);
  EXPECT_EQ(m.spell_start, D("2022-01-01"));
}

TEST(MeasureDeadPeriodTest, BarselStopsDurationAndWholeMonthIsOut) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kKontanthjaelp, "2022-01-01", "2022-12-31");
  testing_util::AddAbsence(&data, 8, "2022-03-01", "2022-05-31");
  testing_util::AddInterview(&data, "2022-04-05");
  testing_util::AddInterview(&data, "2022-06-05");
  data.Finish();
  EXPECT_EQ(Evaluate(data, "2022-04-01").outcome, Outcome::kDeadWholeMonth);
  PersonMonth jun = Evaluate(data, "2022-06-01");
  EXPECT_EQ(jun.outcome, Outcome::kMeasured);
  EXPECT_EQ(jun.duration_days, 59 + 30);  // Jan-Feb + June
  EXPECT_EQ(jun.counted, 1);              // the interview during barsel does not count
}

}  // namespace
}  // namespace dfdg::measure
