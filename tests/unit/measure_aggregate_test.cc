// Measures 1-5 by month × geography × group × interval, the skærpet-tilsyn average, and a whole run through
// the engine and writers with the fixture in tests/data/measure/example.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "measure/engine.h"
#include "measure/output.h"
#include "measure_test_util.h"

namespace dfdg::measure {
namespace {

using testing_util::D;

PersonMonth Month(const char* month, Outcome outcome, Group group, int interval, int counted, int municipality) {
  PersonMonth m;
  m.month_first = D(month);
  m.outcome = outcome;
  m.group = group;
  m.duration.interval = interval;
  m.duration.year_bucket = interval == kTwelvePlus ? 1 : 0;
  m.counted = counted;
  m.municipality = municipality;
  return m;
}

int GeoIndex(const Aggregates& a, const std::string& level, int code) {
  for (size_t i = 0; i < a.geos().size(); ++i) {
    if (a.geos()[i].level == level && a.geos()[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

TEST(MeasureAggregateTest, MeasuresOneToFive) {
  Aggregates a(testing_util::Rules(), D("2023-01-01"), 12);
  a.Add(Month("2023-01-01", Outcome::kMeasured, Group::kKontanthjaelp, kTwelvePlus, 2, 101));
  a.Add(Month("2023-01-01", Outcome::kMeasured, Group::kKontanthjaelp, kTwelvePlus, 6, 101));
  a.Add(Month("2023-01-01", Outcome::kMeasured, Group::kSygedagpenge, 3, 0, 851));
  a.Add(Month("2023-01-01", Outcome::kExempt, Group::kKontanthjaelp, kTwelvePlus, 0, 101));
  a.Add(Month("2023-01-01", Outcome::kOtherBenefit, Group::kKontanthjaelp, 0, 0, 101));  // ignored
  EXPECT_EQ(a.geos().size(), 1u + 5u + 98u + 1u);
  int kbh = GeoIndex(a, "kommune", 101);
  const Cell& c = a.At(0, kbh, 1 + static_cast<int>(Group::kKontanthjaelp), kTwelvePlus);
  EXPECT_EQ(c.by_interviews[2], 1u);
  EXPECT_EQ(c.by_interviews[5], 1u);
  EXPECT_EQ(c.Measure2(), 2u);
  EXPECT_EQ(c.Measure3(), 1u);
  EXPECT_EQ(c.exempt, 1u);
  const Cell& country = a.At(0, 0, 0, 18);  // all groups, "I alt"
  EXPECT_EQ(country.Measure2(), 3u);
  EXPECT_EQ(country.Measure3(), 2u);
  EXPECT_EQ(country.exempt, 1u);
  int hovedstaden = GeoIndex(a, "region", 1084);
  EXPECT_EQ(a.At(0, hovedstaden, 0, 18).Measure2(), 2u);
  EXPECT_EQ(a.At(0, 0, 0, 13).Measure2(), 1u);  // under 12 måneder
  EXPECT_EQ(a.At(0, 0, 0, 14).Measure2(), 2u);  // 1 – 2 år
}

class MeasureRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    out_ = std::filesystem::temp_directory_path() / ("dfdg_measure_out_" + std::to_string(std::random_device{}()));
  }
  void TearDown() override { std::filesystem::remove_all(out_); }
  std::string Read(const std::string& name) {
    std::ifstream in(out_ / name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::filesystem::path out_;
};

TEST_F(MeasureRunTest, ExampleFixtureEndToEnd) {
  auto input = ReadInput(std::string(DFDG_SOURCE_DIR) + "/tests/data/measure/example");
  ASSERT_TRUE(input.ok()) << input.status().message();
  ASSERT_TRUE(input->problems.empty());
  RunOptions options;
  options.first_month = D("2020-01-01");
  options.months = 12;
  options.detail = true;
  RunResult one = measure::Run(*input, testing_util::Rules(), options);
  options.threads = 1;
  RunResult single = measure::Run(*input, testing_util::Rules(), options);
  EXPECT_EQ(one.person_months, single.person_months);
  // December 2020, København, kontanthjælp, 12+ months: one person with 2 interviews -> measure 4 = 1.
  const Aggregates& a = *one.aggregates;
  const Cell& dec = a.At(11, GeoIndex(a, "kommune", 101), 1 + static_cast<int>(Group::kKontanthjaelp), kTwelvePlus);
  EXPECT_EQ(dec.by_interviews[2], 1u);
  ASSERT_TRUE(WriteMeasures(out_.string(), a, Format::kCsv, "test").ok());
  ASSERT_TRUE(WriteSkaerpetTilsyn(out_.string(), a, Format::kJson).ok());
  ASSERT_TRUE(WriteDetail(out_.string(), *input, one.detail, Format::kCsv).ok());
  std::string measures = Read("maalinger.csv");
  EXPECT_NE(measures.find("2020-12,kommune,101,København,kontanthjaelp,12 måneder og derover,0,0,1,0,0,0,1,1,1.0000,0"),
            std::string::npos);
  EXPECT_NE(Read("skaerpet_tilsyn.json").find("\"m4_gennemsnit_12_maaneder\": 1.0"), std::string::npos);
  std::string detail = Read("detaljer.csv");
  EXPECT_NE(detail.find("2020-12,0101901234,maalt"), std::string::npos);
  EXPECT_NE(detail.find("tæller aldrig (COVID-19)"), std::string::npos);
}

}  // namespace
}  // namespace dfdg::measure
