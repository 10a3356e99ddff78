// Seed 004 worked example (004:680-700): kontanthjælp 2019-01-01 to 2020-12-31 with interviews on 2019-06-19,
// 2020-01-10, 2020-03-12 and 2020-06-02, measured for December 2020 and May 2020.
#include <gtest/gtest.h>

#include "measure_test_util.h"

namespace dfdg::measure {
namespace {

class MeasureWorkedExampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = testing_util::OnePerson("0101901234");
    testing_util::AddPayment(&data_, Benefit::kKontanthjaelp, "2019-01-01", "2020-12-31");
    for (const char* d : {"2019-06-19", "2020-01-10", "2020-03-12", "2020-06-02"}) {
      testing_util::AddInterview(&data_, d);
    }
    data_.Finish();
  }
  InputData data_;
};

TEST_F(MeasureWorkedExampleTest, December2020) {
  PersonMonth m = testing_util::Evaluate(data_, "2020-12-01", true);
  EXPECT_EQ(m.outcome, Outcome::kMeasured);
  EXPECT_EQ(m.group, Group::kKontanthjaelp);
  EXPECT_EQ(m.spell_start, testing_util::D("2019-01-01"));
  EXPECT_EQ(m.duration.interval, kTwelvePlus);
  EXPECT_EQ(m.duration.year_bucket, 1);
  // "Måleperioden er de seneste 12 måneder, som ikke er berørt af død periode, dvs. tilbage til og med den
  // 1. september 2019."
  EXPECT_EQ(m.window_start, testing_util::D("2019-09-01"));
  // Three interviews in the window; 10 January and 2 June count, 12 March does not.
  ASSERT_EQ(m.counted, 2);
  EXPECT_EQ(m.counted_dates[0], testing_util::D("2020-01-10"));
  EXPECT_EQ(m.counted_dates[1], testing_util::D("2020-06-02"));
  int in_window = 0;
  for (const auto& n : m.interviews) {
    if (n.interview.date >= m.window_start) ++in_window;
    if (n.interview.date == testing_util::D("2020-03-12")) {
      EXPECT_FALSE(n.counted);
      EXPECT_NE(n.reason.find("tæller aldrig"), std::string::npos);
    }
  }
  EXPECT_EQ(in_window, 3);
}

TEST_F(MeasureWorkedExampleTest, May2020) {
  PersonMonth m = testing_util::Evaluate(data_, "2020-05-01", true);
  EXPECT_EQ(m.outcome, Outcome::kMeasured);
  EXPECT_EQ(m.duration.interval, kTwelvePlus);
  // "måleperioden vil være 1. marts 2019 - 29. februar 2020"
  EXPECT_EQ(m.window_start, testing_util::D("2019-03-01"));
  ASSERT_EQ(m.counted, 2);
  EXPECT_EQ(m.counted_dates[0], testing_util::D("2019-06-19"));
  EXPECT_EQ(m.counted_dates[1], testing_util::D("2020-01-10"));
}

TEST_F(MeasureWorkedExampleTest, June2020CountsSecondJune) {
  PersonMonth m = testing_util::Evaluate(data_, "2020-06-01", false);
  // "samtalen den 2. juni 2020 vil først tælle med, når målingen opgøres for juni 2020"
  EXPECT_NE(std::find(m.counted_dates.begin(), m.counted_dates.end(), testing_util::D("2020-06-02")),
            m.counted_dates.end());
}

TEST_F(MeasureWorkedExampleTest, DurationPausesInCovidDeadPeriod) {
  // 2019-01-01..2020-02-29 = 424 counted days (29 Feb not counted); March-June 2020 add nothing.
  PersonMonth feb = testing_util::Evaluate(data_, "2020-02-01", false);
  PersonMonth jun = testing_util::Evaluate(data_, "2020-06-01", false);
  EXPECT_EQ(feb.duration_days, 424);
  EXPECT_EQ(jun.duration_days, 424);
}

}  // namespace
}  // namespace dfdg::measure
