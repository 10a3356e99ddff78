// The input snapshot (docs/measurement-snapshot.md): the tables measured from a snapshot are byte-identical to
// the CSV path (synthetic population and the seed's worked example); a stale or damaged snapshot is refused;
// bad rows travel with the snapshot.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "catalog/catalog.h"
#include "measure/engine.h"
#include "measure/output.h"
#include "measure/snapshot.h"
#include "measure_test_util.h"
#include "synth/synth.h"

namespace dfdg::measure {
namespace {

namespace fs = std::filesystem;
using testing_util::D;
using testing_util::Slurp;

void Spit(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dfdg_snapshot_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Synthesize(const fs::path& input, size_t persons) {
    auto catalog = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    ASSERT_TRUE(catalog.ok()) << catalog.status().message();
    synth::SynthOptions options;
    options.persons = persons;
    options.years = 3;
    options.seed = 7;
    options.end = D("2025-12-31");
    auto stats = synth::WriteSynthetic(input.string(), options, (*catalog)->model().municipalities);
    ASSERT_TRUE(stats.ok()) << stats.status().message();
  }

  // Imports `input` into `snap` the way `dfdg measure import` does.
  void Import(const fs::path& input, const fs::path& snap) {
    auto stamps = StampInputs(input.string(), 2);
    ASSERT_TRUE(stamps.ok()) << stamps.status().message();
    auto read = ReadInput(input.string());
    ASSERT_TRUE(read.ok()) << read.status().message();
    ASSERT_TRUE(WriteSnapshot(snap.string(), *stamps, *read).ok());
  }

  // Measures `data` and writes every table (measures, skærpet tilsyn, detail in CSV and JSON) into `out`.
  void Tables(const InputData& data, Date first, int months, const fs::path& out) {
    RunOptions options;
    options.first_month = first;
    options.months = months;
    options.detail = true;
    RunResult result = measure::Run(data, testing_util::Rules(), options);
    for (Format format : {Format::kCsv, Format::kJson}) {
      ASSERT_TRUE(WriteMeasures(out.string(), *result.aggregates, format, "test").ok());
      ASSERT_TRUE(WriteSkaerpetTilsyn(out.string(), *result.aggregates, format).ok());
      ASSERT_TRUE(WriteDetail(out.string(), data, result.detail, format).ok());
    }
  }

  // Byte-identical tables from the CSV path and from the snapshot of the same directory.
  void ExpectIdentical(const fs::path& input, Date first, int months) {
    fs::path snap = dir_ / "input.snap";
    Import(input, snap);
    auto csv = ReadInput(input.string());
    ASSERT_TRUE(csv.ok());
    SnapshotTimes times;
    auto snapped = ReadSnapshot(snap.string(), input.string(), 2, &times);
    ASSERT_TRUE(snapped.ok()) << snapped.status().message();
    EXPECT_EQ(snapped->rows_read, csv->rows_read);
    EXPECT_EQ(snapped->persons.size(), csv->persons.size());
    EXPECT_EQ(snapped->payments.size(), csv->payments.size());
    EXPECT_EQ(snapped->contact_groups.size(), csv->contact_groups.size());
    EXPECT_EQ(times.snapshot_bytes, fs::file_size(snap));
    Tables(*csv, first, months, dir_ / "from_csv");
    Tables(*snapped, first, months, dir_ / "from_snapshot");
    size_t files = 0;
    for (const auto& entry : fs::directory_iterator(dir_ / "from_csv")) {
      std::string a = Slurp(entry.path());
      std::string b = Slurp(dir_ / "from_snapshot" / entry.path().filename());
      EXPECT_FALSE(a.empty()) << entry.path();
      EXPECT_TRUE(a == b) << entry.path().filename() << " differs";
      ++files;
    }
    EXPECT_EQ(files, 6u);
  }

  fs::path dir_;
};

TEST_F(SnapshotTest, SyntheticPopulationGivesByteIdenticalTables) {
  Synthesize(dir_ / "in", 1500);
  ExpectIdentical(dir_ / "in", D("2025-07-01"), 6);
  // The population really is measured (the comparison is not between two empty tables).
  EXPECT_NE(Slurp(dir_ / "from_snapshot" / "detaljer.csv").find("\n"), std::string::npos);
  EXPECT_GT(Slurp(dir_ / "from_snapshot" / "detaljer.csv").size(), 10000u);
}

TEST_F(SnapshotTest, WorkedExampleGivesByteIdenticalTables) {
  fs::path input = dir_ / "example";
  fs::copy(std::string(DFDG_SOURCE_DIR) + "/tests/data/measure/example", input);
  ExpectIdentical(input, D("2020-01-01"), 12);
  EXPECT_NE(Slurp(dir_ / "from_snapshot" / "maalinger.csv")
                .find("2020-12,kommune,101,København,kontanthjaelp,12 måneder og derover,0,0,1,0,0,0,1,1,1.0000,0"),
            std::string::npos);
}

TEST_F(SnapshotTest, StaleSnapshotIsRefused) {
  fs::path input = dir_ / "example";
  fs::copy(std::string(DFDG_SOURCE_DIR) + "/tests/data/measure/example", input);
  fs::path snap = dir_ / "input.snap";
  Import(input, snap);
  ASSERT_TRUE(ReadSnapshot(snap.string(), input.string(), 2, nullptr).ok());

  // Same size, one digit changed: only the content hash can tell.
  std::string interviews = Slurp(input / "interviews.csv");
  std::string changed = interviews;
  size_t at = changed.find("2019-06-19");
  ASSERT_NE(at, std::string::npos);
  changed[at + 9] = '8';
  Spit(input / "interviews.csv", changed);
  auto stale = ReadSnapshot(snap.string(), input.string(), 2, nullptr);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), Status::Code::kConflict);
  EXPECT_NE(stale.status().message().find("interviews.csv"), std::string::npos);
  Spit(input / "interviews.csv", interviews);
  ASSERT_TRUE(ReadSnapshot(snap.string(), input.string(), 2, nullptr).ok());

  // An optional file added since the import.
  Spit(input / "offers.csv", "cpr,from,to\n0101901234,2020-01-01,2020-01-31\n");
  auto added = ReadSnapshot(snap.string(), input.string(), 2, nullptr);
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.status().code(), Status::Code::kConflict);
  EXPECT_NE(added.status().message().find("offers.csv"), std::string::npos);
  fs::remove(input / "offers.csv");

  // A required file removed.
  fs::rename(input / "benefits.csv", dir_ / "benefits.csv");
  EXPECT_EQ(ReadSnapshot(snap.string(), input.string(), 2, nullptr).status().code(), Status::Code::kConflict);
}

TEST_F(SnapshotTest, DamagedSnapshotIsRefused) {
  fs::path input = dir_ / "in";
  Synthesize(input, 300);
  fs::path snap = dir_ / "input.snap";
  Import(input, snap);
  const std::string good = Slurp(snap);
  ASSERT_TRUE(ReadSnapshot(snap.string(), input.string(), 2, nullptr).ok());
  // One flipped bit anywhere (header, table, stamps, records, last byte), a truncation, a longer file.
  std::vector<std::string> damaged;
  for (size_t at : {size_t{3}, size_t{9}, size_t{40}, size_t{500}, good.size() / 3, good.size() / 2, good.size() - 1}) {
    std::string bytes = good;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x10);
    damaged.push_back(bytes);
  }
  damaged.push_back(good.substr(0, good.size() - 8));
  damaged.push_back(good + std::string(8, '\0'));
  damaged.push_back("");
  for (size_t i = 0; i < damaged.size(); ++i) {
    Spit(snap, damaged[i]);
    auto read = ReadSnapshot(snap.string(), input.string(), 2, nullptr);
    ASSERT_FALSE(read.ok()) << "damage " << i;
    EXPECT_EQ(read.status().code(), Status::Code::kCorruption) << "damage " << i << ": " << read.status().message();
  }
  Spit(snap, good);
  EXPECT_TRUE(ReadSnapshot(snap.string(), input.string(), 2, nullptr).ok());
  EXPECT_EQ(ReadSnapshot((dir_ / "missing.snap").string(), input.string(), 2, nullptr).status().code(),
            Status::Code::kIOError);
}

TEST_F(SnapshotTest, BadRowsTravelWithTheSnapshot) {
  fs::path input = dir_ / "example";
  fs::copy(std::string(DFDG_SOURCE_DIR) + "/tests/data/measure/example", input);
  Spit(input / "offers.csv", "cpr,from,to\n0101901234,2020-02-30,\n0101901234,2020-03-01,2020-03-31\n");
  auto csv = ReadInput(input.string());
  ASSERT_TRUE(csv.ok());
  ASSERT_EQ(csv->problems.size(), 1u);
  fs::path snap = dir_ / "input.snap";
  Import(input, snap);
  auto snapped = ReadSnapshot(snap.string(), input.string(), 2, nullptr);
  ASSERT_TRUE(snapped.ok()) << snapped.status().message();
  ASSERT_EQ(snapped->problems.size(), 1u);
  EXPECT_EQ(snapped->problems[0].ToString(), csv->problems[0].ToString());
  EXPECT_EQ(snapped->problems[0].ToString().rfind("offers.csv:2: ", 0), 0u);
  EXPECT_EQ(snapped->offers.size(), 1u);
}

}  // namespace
}  // namespace dfdg::measure
