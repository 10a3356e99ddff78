// Detail rows of persons outside the measurement (004:382-389; docs/measurement.md "Detail rows of persons
// outside the measurement"): fields the method never computed for them are empty, not 0 days, "Under 1 måned"
// or a window starting 1970-01-01, and the reason says that the person is outside and why.
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "measure/output.h"
#include "measure_test_util.h"

namespace dfdg::measure {
namespace {
using namespace testing_util;

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

class DetailOutsideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           std::string("dfdg_detail_outside_").append(std::to_string(std::random_device{}()));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The CSV row (header name -> value) and the JSON row of one person-month.
  std::pair<std::map<std::string, std::string>, nlohmann::json> Rows(const InputData& data, const PersonMonth& m) {
    EXPECT_TRUE(WriteDetail(dir_.string(), data, {m}, Format::kCsv).ok());
    EXPECT_TRUE(WriteDetail(dir_.string(), data, {m}, Format::kJson).ok());
    std::ifstream csv(dir_ / "detaljer.csv");
    std::string header, line;
    std::getline(csv, header);
    std::getline(csv, line);
    std::vector<std::string> names = SplitCsv(header), values = SplitCsv(line);
    EXPECT_EQ(names.size(), values.size()) << line;
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < names.size() && i < values.size(); ++i) row[names[i]] = values[i];
    std::ifstream json(dir_ / "detaljer.json");
    nlohmann::json rows = nlohmann::json::parse(json);
    return {row, rows.at(0)};
  }

  std::filesystem::path dir_;
};

const char* kNeverComputed[] = {"varighed_dage",      "varighed_timer", "varighed",
                                "maaleperiode_start", "fritaget_pct",   "samtaler_talt"};

TEST_F(DetailOutsideTest, PensionAgeShowsTheSpellButNoDurationWindowOrCount) {
  InputData data = OnePerson("0101901234", "2020-06-01");
  AddPayment(&data, Benefit::kKontanthjaelp, "2020-01-01", "2020-12-31");
  AddResidence(&data, 101, "2000-01-01");
  data.Finish();
  PersonMonth m = Evaluate(data, "2020-12-01");
  ASSERT_EQ(m.outcome, Outcome::kAge);
  auto [csv, json] = Rows(data, m);
  EXPECT_EQ(csv["udfald"], "alder");
  EXPECT_EQ(csv["begrundelse"], "uden for målingen: har nået folkepensionsalderen");
  EXPECT_EQ(csv["ydelsesgruppe"], "kontanthjaelp");
  EXPECT_EQ(csv["forloeb_start"], "2020-01-01");
  EXPECT_EQ(csv["sidste_ydelsesdag"], "2020-12-31");
  EXPECT_EQ(csv["kommune"], "101");
  for (const char* field : kNeverComputed) EXPECT_EQ(csv[field], "") << field;
  for (const char* field : {"varighed_dage", "varighed", "maaleperiode_start", "fritaget_promille", "samtaler_talt"}) {
    EXPECT_FALSE(json.contains(field)) << field << " in " << json.dump();
  }
  EXPECT_EQ(json["forloeb_start"], "2020-01-01");
  std::string explain = ExplainText(data, m, "test");
  EXPECT_EQ(explain.find("1970-01-01"), std::string::npos) << explain;
  EXPECT_EQ(explain.find("Under 1 måned"), std::string::npos) << explain;
  EXPECT_NE(explain.find("uden for målingen"), std::string::npos) << explain;
}

TEST_F(DetailOutsideTest, NoMeasuredBenefitLeavesEverythingButTheReasonEmpty) {
  InputData data = OnePerson("0101901234");
  AddPayment(&data, Benefit::kNotMeasured, "2020-01-01", "2020-12-31");
  data.Finish();
  PersonMonth m = Evaluate(data, "2020-12-01");
  ASSERT_EQ(m.outcome, Outcome::kOtherBenefit);
  auto [csv, json] = Rows(data, m);
  EXPECT_EQ(csv["begrundelse"], "uden for målingen: modtager ikke en af målingens ydelser i måneden");
  for (const char* field : {"ydelsesgruppe", "forloeb_start", "sidste_ydelsesdag", "kommune"}) {
    EXPECT_EQ(csv[field], "") << field;
  }
  for (const char* field : kNeverComputed) EXPECT_EQ(csv[field], "") << field;
  EXPECT_EQ(json.size(), 4u) << json.dump();  // maaned, cpr, udfald, begrundelse
}

TEST_F(DetailOutsideTest, BarselEveryDayOfTheMonthIsOutsideToo) {
  InputData data = OnePerson("0101901234");
  AddPayment(&data, Benefit::kKontanthjaelp, "2020-01-01", "2020-12-31");
  AddAbsence(&data, 8, "2020-11-15", "2021-03-31");
  data.Finish();
  PersonMonth m = Evaluate(data, "2020-12-01");
  ASSERT_EQ(m.outcome, Outcome::kDeadWholeMonth);
  auto [csv, json] = Rows(data, m);
  EXPECT_EQ(csv["begrundelse"].rfind("uden for målingen: ", 0), 0u) << csv["begrundelse"];
  EXPECT_EQ(csv["forloeb_start"], "2020-01-01");
  for (const char* field : kNeverComputed) EXPECT_EQ(csv[field], "") << field;
}

TEST_F(DetailOutsideTest, AMeasuredPersonKeepsEveryField) {
  InputData data = OnePerson("0101901234");
  AddPayment(&data, Benefit::kKontanthjaelp, "2020-10-01", "2020-12-31");
  AddResidence(&data, 101, "2000-01-01");
  data.Finish();
  PersonMonth m = Evaluate(data, "2020-12-01");
  ASSERT_EQ(m.outcome, Outcome::kMeasured);
  auto [csv, json] = Rows(data, m);
  EXPECT_EQ(csv["begrundelse"], "indgår i måling 1-4");
  EXPECT_EQ(csv["maaleperiode_start"], "2020-10-01");
  EXPECT_EQ(csv["samtaler_talt"], "0");
  EXPECT_FALSE(csv["varighed_dage"].empty());
  EXPECT_FALSE(csv["varighed"].empty());
  EXPECT_FALSE(csv["fritaget_pct"].empty());
  EXPECT_TRUE(json.contains("samtaler_talt"));
}

// docs/measurement.md decision 13: unpaid days of a gap shorter than a full calendar month are counted days.
TEST(SpellGapTest, AShortPaymentGapCountsInTheSpellsCalendarSpan) {
  InputData data = OnePerson("0101901234");
  AddPayment(&data, Benefit::kKontanthjaelp, "2025-01-01", "2025-01-20");
  AddPayment(&data, Benefit::kKontanthjaelp, "2025-02-10", "2025-03-31");
  data.Finish();
  PersonMonth m = Evaluate(data, "2025-03-01");
  ASSERT_EQ(m.outcome, Outcome::kMeasured);
  EXPECT_EQ(FormatDate(m.spell_start), "2025-01-01");
  EXPECT_EQ(m.duration_days, 90);  // 1 January - 31 March, the 20 unpaid days included
  EXPECT_EQ(FormatDate(m.window_start), "2025-01-01");
}

}  // namespace
}  // namespace dfdg::measure
