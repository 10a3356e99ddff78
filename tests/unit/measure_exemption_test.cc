// Exemption share with the catalogue tables, thresholds by date and spell month, MII and the sygedagpenge
// 13-week code (seed 004, 004:380-400, 004:977-999, version history 1.72-1.74).
#include <gtest/gtest.h>

#include "measure_test_util.h"

namespace dfdg::measure {
namespace {

using testing_util::AddAbsence;
using testing_util::AddPayment;
using testing_util::D;
using testing_util::Evaluate;

TEST(MeasureExemptionTest, FiftyPercentBefore2024) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kKontanthjaelp, "2023-01-01", "2023-04-30");
  AddAbsence(&data, 10, "2023-01-01", "2023-02-28");  // Ferie: 59 of 120 days
  data.Finish();
  PersonMonth apr = Evaluate(data, "2023-04-01", false);
  EXPECT_EQ(apr.window_days, 120);
  EXPECT_EQ(apr.exempt_days, 59);
  EXPECT_EQ(apr.outcome, Outcome::kMeasured);
  PersonMonth mar = Evaluate(data, "2023-03-01", false);  // 59 of 90 days
  EXPECT_EQ(mar.outcome, Outcome::kExempt);
}

TEST(MeasureExemptionTest, ReasonNotInTheGroupsTableDoesNotCount) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kSygedagpenge, "2023-01-01", "2023-03-31");
  AddAbsence(&data, 10, "2023-01-01", "2023-03-31");  // Ferie is not in the sygedagpenge table
  data.Finish();
  EXPECT_EQ(Evaluate(data, "2023-03-01", false).outcome, Outcome::kMeasured);
}

TEST(MeasureExemptionTest, ThirtyPercentInTheFirstSixMonthsFrom2024) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kKontanthjaelp, "2024-01-01", "2024-12-31");
  AddAbsence(&data, 10, "2024-01-01", "2024-01-31");  // 31 days
  data.Finish();
  PersonMonth mar = Evaluate(data, "2024-03-01", false);  // 31 of 90 days (34 %), month 3 of the spell
  EXPECT_EQ(mar.threshold_percent, 30);
  EXPECT_EQ(mar.outcome, Outcome::kExempt);
  PersonMonth aug = Evaluate(data, "2024-08-01", false);  // month 8: 50 % again
  EXPECT_EQ(aug.threshold_percent, 50);
  EXPECT_EQ(aug.outcome, Outcome::kMeasured);
}

TEST(MeasureExemptionTest, FiveDaysOfMindreIntensivIndsatsOnlyInTheFirstSixMonths) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kKontanthjaelp, "2024-01-01", "2024-12-31");
  AddAbsence(&data, 16, "2024-02-01", "2024-02-05");  // MII reason, not in the kontanthjælp table
  data.Finish();
  PersonMonth mar = Evaluate(data, "2024-03-01", false);
  EXPECT_EQ(mar.mii_days, 5);
  EXPECT_EQ(mar.outcome, Outcome::kExempt);
  EXPECT_EQ(Evaluate(data, "2024-08-01", false).outcome, Outcome::kMeasured);
}

TEST(MeasureExemptionTest, MiiDoesNotApplyBefore2024) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kKontanthjaelp, "2023-01-01", "2023-12-31");
  AddAbsence(&data, 16, "2023-02-01", "2023-02-10");
  data.Finish();
  EXPECT_EQ(Evaluate(data, "2023-03-01", false).outcome, Outcome::kMeasured);
}

TEST(MeasureExemptionTest, Reason65CountsForADagpengeOnlyBeforeAugust2024) {
  auto data = testing_util::OnePerson("0101901234");
  testing_util::AddFirstDay(&data, "2024-06-01");
  AddPayment(&data, Benefit::kADagpenge, "2024-06-01", "2024-06-30", 146.0);
  AddPayment(&data, Benefit::kADagpenge, "2024-07-01", "2024-07-31", 169.0);
  AddPayment(&data, Benefit::kADagpenge, "2024-08-01", "2024-08-31", 160.0);
  AddAbsence(&data, 65, "2024-06-01", "2024-08-31");
  data.Finish();
  PersonMonth jul = Evaluate(data, "2024-07-01", false);
  EXPECT_EQ(jul.exempt_days, 61);
  PersonMonth aug = Evaluate(data, "2024-08-01", false);
  EXPECT_EQ(aug.exempt_days, 61);  // August days no longer count (removed in v1.72)
}

TEST(MeasureExemptionTest, VisitationSpecificReasonsCountOnlyInThatCategory) {
  auto jobparat = testing_util::OnePerson("0101901234");
  AddPayment(&jobparat, Benefit::kKontanthjaelp, "2023-01-01", "2023-03-31");
  AddAbsence(&jobparat, 2, "2023-01-01", "2023-03-31");  // Midlertidigt arbejde: kun jobparat
  testing_util::AddContactGroup(&jobparat, 2, "2023-01-01", "2999-12-31", "jobparat");
  jobparat.Finish();
  EXPECT_EQ(Evaluate(jobparat, "2023-03-01", false).outcome, Outcome::kExempt);
  auto aktivitetsparat = testing_util::OnePerson("0101901234");
  AddPayment(&aktivitetsparat, Benefit::kKontanthjaelp, "2023-01-01", "2023-03-31");
  AddAbsence(&aktivitetsparat, 2, "2023-01-01", "2023-03-31");
  testing_util::AddContactGroup(&aktivitetsparat, 3, "2023-01-01", "2999-12-31", "aktivitetsparat");
  aktivitetsparat.Finish();
  EXPECT_EQ(Evaluate(aktivitetsparat, "2023-03-01", false).outcome, Outcome::kMeasured);
}

TEST(MeasureExemptionTest, Sygedagpenge13WeekCodeFrom2025InFirstSixMonths) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kSygedagpenge, "2025-01-10", "2025-12-31");
  AddAbsence(&data, 11, "2025-01-10", "2025-01-20", "2025-01-12", true);
  data.Finish();
  PersonMonth mar = Evaluate(data, "2025-03-01", false);
  EXPECT_TRUE(mar.sdp13);
  EXPECT_EQ(mar.outcome, Outcome::kExempt);
  EXPECT_EQ(Evaluate(data, "2025-09-01", false).outcome, Outcome::kMeasured);  // from the 7th month
}

TEST(MeasureExemptionTest, Sygedagpenge13WeekCodeRegisteredBefore2025DoesNotExempt) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kSygedagpenge, "2024-12-01", "2025-06-30");
  AddAbsence(&data, 11, "2024-12-01", "2024-12-05", "2024-12-02", true);
  data.Finish();
  EXPECT_EQ(Evaluate(data, "2025-02-01", false).outcome, Outcome::kMeasured);
}

TEST(MeasurePopulationTest, AgeSixteenToPensionAge) {
  auto data = testing_util::OnePerson("0101901234", "2023-02-15");
  data.persons[0].birth_date = D("2007-03-10");
  AddPayment(&data, Benefit::kKontanthjaelp, "2023-01-01", "2023-04-30");
  data.Finish();
  EXPECT_EQ(Evaluate(data, "2023-02-01", false).outcome, Outcome::kAge);  // 15 on 2023-02-28
  auto old = testing_util::OnePerson("0101601234", "2023-03-15");
  AddPayment(&old, Benefit::kKontanthjaelp, "2023-01-01", "2023-04-30");
  old.Finish();
  EXPECT_EQ(Evaluate(old, "2023-02-01", false).outcome, Outcome::kMeasured);
  EXPECT_EQ(Evaluate(old, "2023-04-01", false).outcome, Outcome::kAge);
}

TEST(MeasurePopulationTest, BenefitsOutsideTheMeasurementAreNotMeasured) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kNotMeasured, "2023-01-01", "2023-04-30");
  data.Finish();
  EXPECT_EQ(Evaluate(data, "2023-02-01", false).outcome, Outcome::kOtherBenefit);
}

TEST(MeasurePopulationTest, MunicipalityAtTheEndOfTheSpellInTheMonth) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kKontanthjaelp, "2023-01-01", "2023-03-20");
  testing_util::AddResidence(&data, 101, "2020-01-01", "2023-03-10");
  testing_util::AddResidence(&data, 851, "2023-03-11");
  data.Finish();
  EXPECT_EQ(Evaluate(data, "2023-02-01", false).municipality, 101);
  EXPECT_EQ(Evaluate(data, "2023-03-01", false).municipality, 851);
}

}  // namespace
}  // namespace dfdg::measure
