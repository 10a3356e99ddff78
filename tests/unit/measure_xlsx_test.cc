// `dfdg measure --format xlsx`: the workbook maalinger.xlsx written from the fixture in
// tests/data/measure/example, read back with `unzip`.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "measure/engine.h"
#include "measure/output_xlsx.h"
#include "measure_test_util.h"

namespace dfdg::measure {
namespace {

using testing_util::D;

class MeasureXlsxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    out_ = std::filesystem::temp_directory_path() / ("dfdg_measure_xlsx_" + std::to_string(std::random_device{}()));
    auto read = ReadInput(std::string(DFDG_SOURCE_DIR) + "/tests/data/measure/example");
    ASSERT_TRUE(read.ok()) << read.status().message();
    input_ = std::move(read).value();
    RunOptions options;
    options.first_month = D("2020-01-01");
    options.months = 12;
    options.detail = true;
    result_ = measure::Run(input_, testing_util::Rules(), options);
  }
  void TearDown() override { std::filesystem::remove_all(out_); }

  // Output of a shell command (here `unzip`), or "" when it fails.
  static std::string Shell(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    return pclose(pipe) == 0 ? out : "";
  }
  std::string Xlsx() const { return (out_ / "maalinger.xlsx").string(); }
  std::string Part(const std::string& name) const { return Shell("unzip -p '" + Xlsx() + "' " + name); }

  std::filesystem::path out_;
  InputData input_;
  RunResult result_;
};

TEST_F(MeasureXlsxTest, WorkbookHasOneSheetPerTable) {
  ASSERT_TRUE(WriteXlsx(out_.string(), *result_.aggregates, input_, &result_.detail, "test").ok());
  ASSERT_TRUE(std::filesystem::is_regular_file(Xlsx()));
  EXPECT_EQ(std::system(("unzip -tq '" + Xlsx() + "' >/dev/null").c_str()), 0) << "not a valid zip";
  std::string workbook = Part("xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"maalinger\""), std::string::npos) << workbook;
  EXPECT_NE(workbook.find("name=\"skaerpet_tilsyn\""), std::string::npos);
  EXPECT_NE(workbook.find("name=\"detaljer\""), std::string::npos);

  std::string measures = Part("xl/worksheets/sheet1.xml");
  ASSERT_FALSE(measures.empty());
  // Header row as in maalinger.csv, frozen.
  EXPECT_NE(measures.find("<t>maaned</t>"), std::string::npos);
  EXPECT_NE(measures.find("<t>m1_5plus</t>"), std::string::npos);
  EXPECT_NE(measures.find("ySplit=\"1\""), std::string::npos);
  // Texts as text, numbers as numbers: København's kommunekode 101 is a number cell.
  EXPECT_NE(measures.find("<t>København</t>"), std::string::npos);
  EXPECT_NE(measures.find("<t>12 måneder og derover</t>"), std::string::npos);
  EXPECT_NE(measures.find("<v>101</v>"), std::string::npos);
  EXPECT_EQ(measures.find("<t>101</t>"), std::string::npos);

  std::string tilsyn = Part("xl/worksheets/sheet2.xml");
  EXPECT_NE(tilsyn.find("<t>m4_gennemsnit_12_maaneder</t>"), std::string::npos);
  EXPECT_NE(tilsyn.find("<t>maaneder_uden_population</t>"), std::string::npos);

  std::string detail = Part("xl/worksheets/sheet3.xml");
  // The CPR number stays text with its leading zero; the reasons are there.
  EXPECT_NE(detail.find("<t>0101901234</t>"), std::string::npos);
  EXPECT_NE(detail.find("<t>ikke_talte_samtaler</t>"), std::string::npos);
  EXPECT_NE(detail.find("tæller aldrig (COVID-19)"), std::string::npos);

  // The header format is bold.
  EXPECT_NE(Part("xl/styles.xml").find("<b/>"), std::string::npos);
}

TEST_F(MeasureXlsxTest, WithoutDetailNoDetailSheet) {
  ASSERT_TRUE(WriteXlsx(out_.string(), *result_.aggregates, input_, nullptr, "test").ok());
  std::string workbook = Part("xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"skaerpet_tilsyn\""), std::string::npos);
  EXPECT_EQ(workbook.find("name=\"detaljer\""), std::string::npos);
  EXPECT_TRUE(Part("xl/worksheets/sheet3.xml").empty());
}

TEST_F(MeasureXlsxTest, UnwritableDirectoryIsAnError) {
  std::filesystem::create_directories(out_);
  std::string blocker = (out_ / "fil").string();
  std::ofstream(blocker) << "x";
  Status st = WriteXlsx(blocker, *result_.aggregates, input_, nullptr, "test");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Status::Code::kIOError);
  EXPECT_NE(st.message().find("maalinger.xlsx: kan ikke"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace dfdg::measure
