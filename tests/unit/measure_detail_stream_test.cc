// Streaming `--detail` (src/measure/detail_stream.h): the detail file written while measuring is byte-identical
// to WriteDetail of the in-memory run, the tables are the same, and no chunk holds more rows than its persons.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "catalog/catalog.h"
#include "measure/detail_stream.h"
#include "measure/engine.h"
#include "measure/output.h"
#include "measure_test_util.h"
#include "synth/synth.h"

namespace dfdg::measure {
namespace {

namespace fs = std::filesystem;
using testing_util::D;
using testing_util::Slurp;

class DetailStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dfdg_detail_stream_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Compares the streamed detail and tables with the in-memory run for both formats; returns the CSV rows.
  size_t ExpectSame(const InputData& input, Date first, int months, int threads) {
    RunOptions options;
    options.first_month = first;
    options.months = months;
    options.detail = true;
    options.threads = threads;
    RunResult memory = measure::Run(input, testing_util::Rules(), options);
    size_t rows = 0;
    for (Format format : {Format::kCsv, Format::kJson}) {
      fs::path a = dir_ / "memory";
      fs::path b = dir_ / "stream";
      fs::remove_all(a);
      fs::remove_all(b);
      fs::create_directories(b);
      EXPECT_TRUE(WriteDetail(a.string(), input, memory.detail, format).ok());
      EXPECT_TRUE(WriteMeasures(a.string(), *memory.aggregates, format, "test").ok());
      StreamStats stats;
      auto streamed = RunStreamingDetail(b.string(), input, testing_util::Rules(), options, format, &stats);
      EXPECT_TRUE(streamed.ok()) << streamed.status().message();
      if (!streamed.ok()) return 0;
      EXPECT_TRUE(WriteMeasures(b.string(), *streamed->aggregates, format, "test").ok());
      EXPECT_EQ(streamed->person_months, memory.person_months);
      EXPECT_EQ(stats.rows, memory.detail.size());
      EXPECT_LE(stats.max_chunk_rows, 512u);
      size_t files = 0;
      for (const auto& entry : fs::directory_iterator(a)) {
        EXPECT_TRUE(Slurp(entry.path()) == Slurp(b / entry.path().filename())) << entry.path().filename() << " differs";
        ++files;
      }
      EXPECT_EQ(files, 2u);
      size_t in_stream = 0;
      for (const auto& entry : fs::directory_iterator(b)) in_stream += entry.path().filename().string()[0] != '.';
      EXPECT_EQ(in_stream, 2u) << "scratch files left behind";
      if (format == Format::kCsv) rows = memory.detail.size();
    }
    return rows;
  }

  fs::path dir_;
};

TEST_F(DetailStreamTest, SyntheticPopulationIsByteIdentical) {
  auto catalog = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
  ASSERT_TRUE(catalog.ok());
  synth::SynthOptions options;
  options.persons = 1500;  // three chunks of 512 persons: rows of several chunks per month
  options.years = 2;
  options.seed = 11;
  options.end = D("2025-12-31");
  ASSERT_TRUE(synth::WriteSynthetic((dir_ / "in").string(), options, (*catalog)->model().municipalities).ok());
  auto input = ReadInput((dir_ / "in").string());
  ASSERT_TRUE(input.ok());
  EXPECT_GT(ExpectSame(*input, D("2025-09-01"), 4, 2), 1000u);
  EXPECT_GT(ExpectSame(*input, D("2025-12-01"), 1, 1), 200u);
}

TEST_F(DetailStreamTest, WorkedExampleAndEmptyRange) {
  auto input = ReadInput(std::string(DFDG_SOURCE_DIR) + "/tests/data/measure/example");
  ASSERT_TRUE(input.ok());
  EXPECT_GT(ExpectSame(*input, D("2020-01-01"), 12, 2), 10u);
  // No payment in 2031: a header-only CSV and an empty JSON array, as WriteDetail writes them.
  EXPECT_EQ(ExpectSame(*input, D("2031-01-01"), 2, 2), 0u);
}

}  // namespace
}  // namespace dfdg::measure
