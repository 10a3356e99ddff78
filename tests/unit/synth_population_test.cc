// The synthetic population: deterministic, readable by the measurement input reader without problems, valid
// CPR numbers, every municipality usable.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/cpr.h"
#include "measure/engine.h"
#include "measure/input.h"
#include "measure_test_util.h"
#include "synth/synth.h"

namespace dfdg::synth {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class MeasureSynthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("dfdg_synth_" + std::to_string(std::random_device{}()));
  }
  void TearDown() override { fs::remove_all(base_); }
  fs::path base_;
};

TEST_F(MeasureSynthTest, DeterministicAndReadable) {
  const auto& munis = measure::testing_util::Rules().municipalities;
  SynthOptions o{300, 3, 42, *ParseDate("2025-12-31"), ""};
  auto a = WriteSynthetic((base_ / "a").string(), o, munis);
  auto b = WriteSynthetic((base_ / "b").string(), o, munis);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok());
  for (const char* f : {"persons.csv", "benefits.csv", "interviews.csv", "absences.csv", "residence.csv"}) {
    EXPECT_EQ(Slurp(base_ / "a" / f), Slurp(base_ / "b" / f)) << f;
  }
  o.seed = 43;
  ASSERT_TRUE(WriteSynthetic((base_ / "c").string(), o, munis).ok());
  EXPECT_NE(Slurp(base_ / "a" / "benefits.csv"), Slurp(base_ / "c" / "benefits.csv"));

  auto input = measure::ReadInput((base_ / "a").string());
  ASSERT_TRUE(input.ok()) << input.status().message();
  for (const auto& p : input->problems) ADD_FAILURE() << p.ToString();
  EXPECT_EQ(input->persons.size(), 300u);
  for (const auto& p : input->persons) EXPECT_TRUE(Cpr::Parse(p.cpr).ok()) << p.cpr;
  EXPECT_GT(input->payments.size(), 300u);
  EXPECT_GT(input->interviews.size(), 300u);

  measure::RunOptions run;
  run.first_month = *ParseDate("2025-01-01");
  run.months = 12;
  auto result = measure::Run(*input, measure::testing_util::Rules(), run);
  EXPECT_GT(result.person_months, 300u);
  const auto& country = result.aggregates->At(11, 0, 0, 18);
  EXPECT_GT(country.Measure2() + country.exempt, 0u);
}

TEST_F(MeasureSynthTest, RefusesBadOptions) {
  SynthOptions o{10, 0, 1, *ParseDate("2025-12-31"), ""};
  EXPECT_FALSE(WriteSynthetic((base_ / "x").string(), o, measure::testing_util::Rules().municipalities).ok());
  o.years = 2;
  EXPECT_FALSE(WriteSynthetic((base_ / "x").string(), o, {}).ok());
}

}  // namespace
}  // namespace dfdg::synth
