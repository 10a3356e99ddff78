// Which interviews count, per regime (seed 004, 004:724-965): before 2022, 2022 to 2023-03-21, from
// 2023-03-22, from 2024 (up to three months before payment), Skema 2, COVID reopening, one per day, a-kasse,
// a-dagpenge interviews without payment.
#include <gtest/gtest.h>

#include "measure_test_util.h"

namespace dfdg::measure {
namespace {

using testing_util::AddInterview;
using testing_util::AddPayment;
using testing_util::D;
using testing_util::Evaluate;
using F = InterviewForm;
using T = InterviewType;

InputData Kontanthjaelp(const char* from, const char* to) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kKontanthjaelp, from, to);
  testing_util::AddResidence(&data, 147, "2000-01-01");  // Frederiksberg: no trial
  return data;
}

const InterviewNote* Note(const PersonMonth& m, const char* date) {
  for (const auto& n : m.interviews) {
    if (n.interview.date == D(date)) return &n;
  }
  return nullptr;
}

TEST(MeasureInterviewTest, Before2022OnlyPersonalAttendanceUnlessActiveOffer) {
  auto data = Kontanthjaelp("2019-01-01", "2019-12-31");
  AddInterview(&data, "2019-02-01", F::kPersonligt);
  AddInterview(&data, "2019-03-01", F::kTelefon);
  AddInterview(&data, "2019-04-01", F::kVideo);
  testing_util::AddOffer(&data, "2019-03-25", "2019-04-10");
  data.Finish();
  PersonMonth m = Evaluate(data, "2019-06-01");
  EXPECT_EQ(m.counted, 2);
  EXPECT_FALSE(Note(m, "2019-03-01")->counted);
  EXPECT_TRUE(Note(m, "2019-04-01")->counted);  // during an active offer every form counts
}

TEST(MeasureInterviewTest, CovidReopeningAnyForm) {
  auto data = Kontanthjaelp("2020-01-01", "2021-12-31");
  AddInterview(&data, "2020-03-05", F::kPersonligt);  // 1-11 March counts
  AddInterview(&data, "2020-04-01", F::kPersonligt);  // 12 March - 26 May never
  AddInterview(&data, "2020-06-15", F::kTelefon);     // reopening
  AddInterview(&data, "2021-08-31", F::kVideo);       // last reopening day
  AddInterview(&data, "2021-09-01", F::kTelefon);     // rules from before COVID again
  data.Finish();
  PersonMonth dec20 = Evaluate(data, "2020-12-01");
  EXPECT_TRUE(Note(dec20, "2020-03-05")->counted);
  EXPECT_FALSE(Note(dec20, "2020-04-01")->counted);
  EXPECT_TRUE(Note(dec20, "2020-06-15")->counted);
  EXPECT_EQ(dec20.counted, 2);
  PersonMonth m = Evaluate(data, "2021-10-01");
  EXPECT_TRUE(Note(m, "2021-08-31")->counted);
  EXPECT_FALSE(Note(m, "2021-09-01")->counted);
}

TEST(MeasureInterviewTest, From2022AfterSixMonthsTelephoneCounts) {
  auto data = Kontanthjaelp("2022-02-01", "2022-12-31");
  AddInterview(&data, "2022-03-15", F::kTelefon);  // month 2 of the spell: personal attendance required
  AddInterview(&data, "2022-09-15", F::kTelefon);  // after 6 months
  data.Finish();
  PersonMonth m = Evaluate(data, "2022-10-01");
  EXPECT_FALSE(Note(m, "2022-03-15")->counted);
  EXPECT_TRUE(Note(m, "2022-09-15")->counted);
}

TEST(MeasureInterviewTest, From20230322FirstInPersonThenAnyForm) {
  auto data = Kontanthjaelp("2023-04-01", "2023-12-31");
  AddInterview(&data, "2023-04-10", F::kTelefon);  // first: must be in person
  AddInterview(&data, "2023-05-10", F::kTelefon);  // later ones count, even though the first did not
  AddInterview(&data, "2023-06-10", F::kVideo);
  data.Finish();
  PersonMonth m = Evaluate(data, "2023-07-01");
  EXPECT_FALSE(Note(m, "2023-04-10")->counted);
  EXPECT_NE(Note(m, "2023-04-10")->reason.find("personligt fremmøde"), std::string::npos);
  EXPECT_EQ(m.counted, 2);
}

TEST(MeasureInterviewTest, TrialMunicipalityFirstByVideoButNotForAkasse) {
  auto data = testing_util::OnePerson("0101901234");
  testing_util::AddFirstDay(&data, "2023-04-01");
  AddPayment(&data, Benefit::kADagpenge, "2023-04-01", "2023-06-30", 481.0);
  testing_util::AddResidence(&data, 851, "2000-01-01");  // Aalborg: Nordjyske frikommuner until 2023-12-31
  data.Finish();
  auto jobcenter = data;
  AddInterview(&jobcenter, "2023-04-05", F::kVideo, T::kJobsamtale, HeldBy::kJobcenter, 851);
  jobcenter.Finish();
  EXPECT_EQ(Evaluate(jobcenter, "2023-06-01").counted, 1);
  auto akasse = data;
  AddInterview(&akasse, "2023-04-05", F::kVideo, T::kJobsamtale, HeldBy::kAkasse, 851);
  akasse.Finish();
  EXPECT_EQ(Evaluate(akasse, "2023-06-01").counted, 0);
}

TEST(MeasureInterviewTest, SkemaTwoBefore2022Kobenhavn) {
  auto data = Kontanthjaelp("2019-01-01", "2019-12-31");
  AddInterview(&data, "2019-05-01", F::kTelefon, T::kJobsamtale, HeldBy::kJobcenter, 101);  // København
  AddInterview(&data, "2019-06-01", F::kTelefon, T::kJobsamtale, HeldBy::kJobcenter, 269);  // Solrød: video only
  AddInterview(&data, "2019-07-01", F::kVideo, T::kJobsamtale, HeldBy::kJobcenter, 269);
  data.Finish();
  PersonMonth m = Evaluate(data, "2019-08-01");
  EXPECT_TRUE(Note(m, "2019-05-01")->counted);
  EXPECT_FALSE(Note(m, "2019-06-01")->counted);
  EXPECT_TRUE(Note(m, "2019-07-01")->counted);
}

TEST(MeasureInterviewTest, OnePerDayAndOnlyJobInterviews) {
  auto data = Kontanthjaelp("2023-01-01", "2023-12-31");
  AddInterview(&data, "2023-02-01", F::kPersonligt);
  AddInterview(&data, "2023-02-01", F::kPersonligt);
  AddInterview(&data, "2023-03-01", F::kPersonligt, T::kAndet);
  AddInterview(&data, "2023-04-01", F::kPersonligt, T::kJobsamtale, HeldBy::kAkasse);
  data.Finish();
  PersonMonth m = Evaluate(data, "2023-05-01");
  EXPECT_EQ(m.counted, 1);
  EXPECT_EQ(m.interviews.size(), 4u);
}

TEST(MeasureInterviewTest, InterviewsDuringAbsencesCount) {
  auto data = Kontanthjaelp("2023-01-01", "2023-12-31");
  testing_util::AddAbsence(&data, 10, "2023-02-01", "2023-02-10");
  AddInterview(&data, "2023-02-05", F::kPersonligt);
  data.Finish();
  EXPECT_EQ(Evaluate(data, "2023-05-01").counted, 1);
}

TEST(MeasureInterviewTest, SygeopfoelgningCountsInAnyForm) {
  auto data = testing_util::OnePerson("0101901234");
  AddPayment(&data, Benefit::kSygedagpenge, "2021-01-01", "2021-06-30");
  AddInterview(&data, "2021-02-01", F::kTelefon, T::kSygeopfoelgning);
  data.Finish();
  EXPECT_EQ(Evaluate(data, "2021-03-01").counted, 1);
}

TEST(MeasureInterviewTest, From2024InterviewsUpToThreeMonthsBeforePayment) {
  auto data = Kontanthjaelp("2024-03-01", "2024-12-31");
  testing_util::AddFirstContact(&data, "2024-01-15");
  AddInterview(&data, "2024-01-10", F::kPersonligt);  // before the first contact
  AddInterview(&data, "2024-02-01", F::kPersonligt);  // after contact, before payment: counts
  data.Finish();
  PersonMonth m = Evaluate(data, "2024-04-01");
  EXPECT_EQ(m.window_start, D("2024-01-15"));
  EXPECT_EQ(m.counted, 1);
  auto before2024 = Kontanthjaelp("2023-03-01", "2023-12-31");
  testing_util::AddFirstContact(&before2024, "2023-01-15");
  AddInterview(&before2024, "2023-02-01", F::kPersonligt);
  before2024.Finish();
  EXPECT_EQ(Evaluate(before2024, "2023-04-01").counted, 0);
}

TEST(MeasureInterviewTest, ADagpengeInterviewWithoutPaymentCountsUnlessOtherBenefitPaid) {
  auto data = testing_util::OnePerson("0101901234");
  testing_util::AddFirstDay(&data, "2023-01-01");
  AddPayment(&data, Benefit::kADagpenge, "2023-01-01", "2023-01-31", 160.33);
  AddPayment(&data, Benefit::kADagpenge, "2023-03-01", "2023-03-31", 160.33);
  AddPayment(&data, Benefit::kNotMeasured, "2023-02-15", "2023-02-28");
  AddInterview(&data, "2023-02-05", F::kPersonligt);  // no payment at all that day: counts
  AddInterview(&data, "2023-02-20", F::kPersonligt);  // another benefit paid: does not
  data.Finish();
  PersonMonth m = Evaluate(data, "2023-03-01");
  EXPECT_TRUE(Note(m, "2023-02-05")->counted);
  EXPECT_FALSE(Note(m, "2023-02-20")->counted);
}

}  // namespace
}  // namespace dfdg::measure
