// Reading the input directory (docs/measurement-input.md): good files, and bad rows reported with file and
// line, never dropped silently. Uses a real temporary directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "measure/input.h"

namespace dfdg::measure {
namespace {

namespace fs = std::filesystem;

class MeasureInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dfdg_measure_input_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    Write("persons.csv", "cpr,birth_date,pension_age_date\n0101901234,1990-01-01,2057-01-01\n0202851234,,2052-02-02\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  Result<InputData> Read() { return ReadInput(dir_.string()); }
  fs::path dir_;
};

TEST_F(MeasureInputTest, ReadsEveryKindGroupedByPerson) {
  Write("benefits.csv",
        "cpr,benefit,from,to,hours,insurance,rate,wage_subsidy,supplementary\r\n"
        "0202851234,a_dagpenge,2020-01-01,2020-01-31,160.33,part,,1,0\r\n"
        "0101901234,kontanthjaelp,2025-07-01,,,,grundsats,0,0\r\n"
        "0101901234,kontanthjaelp,2025-07-01,2025-07-31,,,,0,1\r\n");
  Write("interviews.csv",
        "cpr,date,type,form,held_by,municipality\n0101901234,2025-08-01,jobsamtale,video,akasse,101\n");
  Write("absences.csv", "cpr,reason,from,to,registered,back_within_13_weeks\n0101901234,11,2025-01-01,,2025-01-02,1\n");
  Write("residence.csv", "cpr,municipality,from,to\n\"0101901234\",101,2000-01-01,\n");
  Write("dagpenge_periods.csv", "cpr,first_day\n0202851234,2020-01-01\n");
  Write("contact_groups.csv", "cpr,contact_group,from,to,visitation\n0101901234,2,2025-01-01,,jobparat\n");
  Write("offers.csv", "cpr,from,to\n0101901234,2025-01-01,2025-02-01\n");
  Write("first_contacts.csv", "cpr,date\n0101901234,2025-06-01\n");
  auto data = Read();
  ASSERT_TRUE(data.ok()) << data.status().message();
  EXPECT_TRUE(data->problems.empty());
  ASSERT_EQ(data->persons.size(), 2u);
  EXPECT_EQ(data->persons[1].birth_date, *ParseDate("1985-02-02"));  // from the CPR number
  uint32_t index = 0;
  ASSERT_NE(data->Find("0101901234", &index), nullptr);
  PersonView v = data->View(index);
  ASSERT_EQ(v.payments.size(), 1u);  // supplerende kontanthjælp is read and not measured
  EXPECT_EQ(v.payments[0].rate, KhRate::kGrundsats);
  EXPECT_EQ(v.payments[0].to, OpenEnd());
  ASSERT_EQ(v.interviews.size(), 1u);
  EXPECT_EQ(v.interviews[0].held_by, HeldBy::kAkasse);
  EXPECT_EQ(v.interviews[0].form, InterviewForm::kVideo);
  EXPECT_TRUE(v.absences[0].back_within_13_weeks);
  EXPECT_EQ(v.residence[0].value, 101);
  EXPECT_EQ(v.contact_groups[0].visitation, "jobparat");
  EXPECT_EQ(v.offers.size(), 1u);
  EXPECT_EQ(v.first_contacts.size(), 1u);
  PersonView w = data->View(1);
  EXPECT_EQ(w.payments[0].centihours, 16033);
  EXPECT_TRUE(w.payments[0].part_time);
  EXPECT_TRUE(w.payments[0].wage_subsidy);
  EXPECT_EQ(w.dagpenge_first_days.size(), 1u);
}

TEST_F(MeasureInputTest, BadRowsAreReportedWithFileAndLine) {
  Write("benefits.csv",
        "cpr,benefit,from,to,hours\n"
        "0101901234,kontanthjaelp,2020-01-01,2020-01-31,\n"    // 2 ok
        "0101901234,kontanthjælp,2020-01-01,2020-01-31,\n"     // 3 unknown benefit
        "0101901234,kontanthjaelp,2020-02-30,2020-03-31,\n"    // 4 no such day
        "0101901234,kontanthjaelp,2020-03-01,2020-02-01,\n"    // 5 to before from
        "9999999999,kontanthjaelp,2020-01-01,2020-01-31,\n"    // 6 unknown person
        "0101901234,a_dagpenge,2020-01-01,2020-01-31,\n"       // 7 hours missing
        "0101901234,a_dagpenge,2020-01-01,2020-01-31,1.234\n"  // 8 three decimals
        "0101901234,kontanthjaelp,2020-01-01\n"                // 9 too few fields
        "\n");
  auto data = Read();
  ASSERT_TRUE(data.ok()) << data.status().message();
  ASSERT_EQ(data->problems.size(), 7u);
  std::vector<int> lines;
  for (const auto& p : data->problems) {
    EXPECT_EQ(p.file, "benefits.csv");
    lines.push_back(p.line);
  }
  EXPECT_EQ(lines, (std::vector<int>{3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(data->payments.size(), 1u);
  EXPECT_EQ(data->problems[3].message.find("0101901234"), std::string::npos);  // CPR masked
}

TEST_F(MeasureInputTest, HeaderErrorsStopTheRead) {
  Write("benefits.csv", "cpr,benefit,from,to,hourz\n");
  auto data = Read();
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.status().message().find("benefits.csv:1"), std::string::npos);
  EXPECT_NE(data.status().message().find("hourz"), std::string::npos);
}

TEST_F(MeasureInputTest, MissingRequiredFileAndDirectory) {
  auto data = Read();  // no benefits.csv
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.status().message().find("benefits.csv"), std::string::npos);
  EXPECT_FALSE(ReadInput((dir_ / "nope").string()).ok());
}

TEST_F(MeasureInputTest, DuplicatePersonAndBadCpr) {
  Write("persons.csv", "cpr,pension_age_date\n0101901234,2057-01-01\n0101901234,2057-01-01\n3213901234,2057-01-01\n");
  Write("benefits.csv", "cpr,benefit,from,to\n");
  auto data = Read();
  ASSERT_TRUE(data.ok());
  ASSERT_EQ(data->problems.size(), 2u);
  EXPECT_EQ(data->problems[0].line, 3);
  EXPECT_EQ(data->problems[1].line, 4);
}

}  // namespace
}  // namespace dfdg::measure
