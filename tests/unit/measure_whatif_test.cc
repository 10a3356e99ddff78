// What-if (src/measure/whatif.h, docs/measurement-whatif.md): CHANGES files that do not load or refer to nothing
// real are refused with file:line; no changes give no difference; adding an exemption reason moves exactly the
// persons who have it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "catalog/catalog.h"
#include "measure/engine.h"
#include "measure/output.h"
#include "measure/whatif.h"
#include "measure_test_util.h"
#include "synth/synth.h"

namespace dfdg::measure {
namespace {

namespace fs = std::filesystem;
using namespace testing_util;

const catalog::Catalog& TheCatalog() {
  static const std::shared_ptr<const catalog::Catalog> catalog = [] {
    auto loaded = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    EXPECT_TRUE(loaded.ok());
    return *loaded;
  }();
  return *catalog;
}

class WhatIfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dfdg_whatif_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result<WhatIf> Load(const std::string& text) {
    fs::path path = dir_ / "CHANGES.yaml";
    std::ofstream(path) << text;
    return LoadWhatIf(path.string(), TheCatalog());
  }
  std::string Refusal(const std::string& text) {
    auto loaded = Load(text);
    EXPECT_FALSE(loaded.ok()) << text;
    return loaded.ok() ? std::string() : loaded.status().message();
  }
  // maalinger.csv of `table`.
  std::string Table(const Aggregates& table, const std::string& name) {
    EXPECT_TRUE(WriteMeasures((dir_ / name).string(), table, Format::kCsv, "v").ok());
    return Slurp(dir_ / name / "maalinger.csv");
  }
  InputData Synthetic() {
    synth::SynthOptions options;
    options.persons = 1500;
    options.years = 3;
    options.seed = 5;
    options.end = D("2025-12-31");
    EXPECT_TRUE(synth::WriteSynthetic((dir_ / "in").string(), options, TheCatalog().model().municipalities).ok());
    auto input = ReadInput((dir_ / "in").string());
    EXPECT_TRUE(input.ok());
    return std::move(input).value();
  }

  fs::path dir_;
};

TEST_F(WhatIfTest, RefusedWithFileAndLine) {
  EXPECT_EQ(Refusal("measure_exemptions:\n  - benefit_group: kontanthjaelp\n    reasons:\n      - {id: 999}\n")
                .rfind("CHANGES.yaml:4: fraværsårsag '999' findes ikke", 0),
            0u);
  EXPECT_EQ(Refusal("measure_exemptions:\n  - benefit_group: kontanthjaelpp\n    reasons: [{id: 11}]\n")
                .rfind("CHANGES.yaml:2: ydelsesgruppen 'kontanthjaelpp' findes ikke", 0),
            0u);
  EXPECT_EQ(Refusal("# rules\nmeasure_rules:\n  skema_1: {}\n").rfind("CHANGES.yaml:3: measure_rules.skema_1", 0), 0u);
  EXPECT_EQ(Refusal("measure_exemption: []\n").rfind("CHANGES.yaml:1: ukendt nøgle", 0), 0u);
  EXPECT_EQ(Refusal("measure_exemptions: [\n").rfind("CHANGES.yaml:2: ikke gyldig YAML", 0), 0u);
  // Sygemelding (3) already counts for kontanthjælp: the change would change nothing.
  EXPECT_NE(Refusal("measure_exemptions:\n  - benefit_group: kontanthjaelp\n    reasons: [{id: 3}]\n")
                .find("CHANGES.yaml:3: fraværsårsag 3 tæller allerede"),
            std::string::npos);
  // A value that gives rules BuildRules refuses: named at its key.
  EXPECT_EQ(Refusal("measure_rules:\n  skema1: {intervals: []}\n").rfind("CHANGES.yaml:2: giver ugyldige regler", 0),
            0u);
  auto missing = LoadWhatIf((dir_ / "nope.yaml").string(), TheCatalog());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
}

TEST_F(WhatIfTest, EmptyChangesGiveZeroDifference) {
  InputData input = Synthetic();
  auto whatif = Load("# no changes\n");
  ASSERT_TRUE(whatif.ok()) << whatif.status().message();
  EXPECT_TRUE(whatif->changes.empty());
  RunOptions options;
  options.first_month = D("2024-07-01");
  options.months = 12;
  WhatIfResult result = RunWhatIf(input, Rules(), *whatif, options);
  EXPECT_GT(result.person_months, 1000u);
  EXPECT_TRUE(result.changed.empty());
  std::string before = Table(*result.base, "a");
  EXPECT_EQ(before, Table(*result.whatif, "b"));
  // The base tables are those of a normal run.
  EXPECT_EQ(before, Table(*measure::Run(input, Rules(), options).aggregates, "c"));
  ASSERT_TRUE(WriteWhatIf((dir_ / "out").string(), input, *whatif, result, before, before).ok());
  EXPECT_EQ(Slurp(dir_ / "out" / "whatif_forskel.csv"),
            "maaned,geo_niveau,geo_kode,geo_navn,ydelsesgruppe,varighed,maal,foer,efter,forskel\n");
  const std::string persons = Slurp(dir_ / "out" / "whatif_personer.csv");
  EXPECT_EQ(std::count(persons.begin(), persons.end(), '\n'), 1);
}

// Sygdom – Sygemelding (reason 11) is not an exemption for kontanthjælp in the catalogue; counting it moves the
// kontanthjælp recipients with enough sickness days, and nobody else.
constexpr char kAddSickness[] =
    "measure_exemptions:\n  - benefit_group: kontanthjaelp\n    reasons:\n      - {id: 11}\n";

TEST_F(WhatIfTest, AddedExemptionReasonMovesExactlyThePersonsWhoHaveIt) {
  auto whatif = Load(kAddSickness);
  ASSERT_TRUE(whatif.ok()) << whatif.status().message();
  ASSERT_EQ(whatif->changes.size(), 1u);
  EXPECT_EQ(whatif->changes[0].where, "CHANGES.yaml:4");
  RunOptions options;
  options.first_month = D("2023-05-01");
  options.months = 1;
  // Same kontanthjælp spell, with and without 80 days of sickness in the window.
  InputData sick = OnePerson("0101901234");
  AddPayment(&sick, Benefit::kKontanthjaelp, "2023-01-01", "2023-12-31");
  AddAbsence(&sick, 11, "2023-02-01", "2023-04-21");
  sick.Finish();
  InputData well = OnePerson("0101901234");
  AddPayment(&well, Benefit::kKontanthjaelp, "2023-01-01", "2023-12-31");
  well.Finish();
  WhatIfResult moved = RunWhatIf(sick, Rules(), *whatif, options);
  ASSERT_EQ(moved.changed.size(), 1u);
  EXPECT_EQ(moved.changed[0].before.outcome, Outcome::kMeasured);
  EXPECT_EQ(moved.changed[0].after.outcome, Outcome::kExempt);
  EXPECT_EQ(moved.changed[0].changes, std::vector<int>{0});
  EXPECT_TRUE(RunWhatIf(well, Rules(), *whatif, options).changed.empty());

  // A population: every moved person-month is a kontanthjælp recipient with reason 11 in the window who goes
  // from measured to exempt; the tables move by exactly those persons.
  InputData input = Synthetic();
  options.first_month = D("2024-01-01");
  options.months = 18;
  WhatIfResult result = RunWhatIf(input, Rules(), *whatif, options);
  ASSERT_FALSE(result.changed.empty());
  size_t national_m5_delta = 0;
  for (const auto& c : result.changed) {
    EXPECT_EQ(c.before.outcome, Outcome::kMeasured);
    EXPECT_EQ(c.after.outcome, Outcome::kExempt);
    EXPECT_EQ(c.before.group, Group::kKontanthjaelp);
    EXPECT_EQ(c.changes, std::vector<int>{0});
    PersonView view = input.View(c.before.person);
    bool has_it = std::any_of(view.absences.begin(), view.absences.end(), [&](const AbsencePeriod& a) {
      return a.reason == 11 && a.from <= c.before.spell_end && a.to >= c.before.window_start;
    });
    EXPECT_TRUE(has_it) << input.persons[c.before.person].cpr;
    if (c.before.month_first == D("2024-06-01")) ++national_m5_delta;
  }
  // Persons with reason 11 in other groups (a-dagpenge: already an exemption) never move: checked above by group.
  ASSERT_TRUE(
      WriteWhatIf((dir_ / "out").string(), input, *whatif, result, Table(*result.base, "a"), Table(*result.whatif, "b"))
          .ok());
  std::string diff = Slurp(dir_ / "out" / "whatif_forskel.csv");
  std::string national = "2024-06,land,0,Hele landet,alle,I alt,m5,";
  size_t at = diff.find(national);
  if (national_m5_delta == 0) {
    EXPECT_EQ(at, std::string::npos);
  } else {
    ASSERT_NE(at, std::string::npos) << diff.substr(0, 400);
    std::string line = diff.substr(at, diff.find('\n', at) - at);
    EXPECT_EQ(line.substr(line.rfind(',') + 1), std::to_string(national_m5_delta)) << line;
  }
  const std::string persons = Slurp(dir_ / "out" / "whatif_personer.csv");
  EXPECT_EQ(std::count(persons.begin(), persons.end(), '\n'), static_cast<long>(result.changed.size()) + 1);
}

}  // namespace
}  // namespace dfdg::measure

namespace dfdg::measure {
namespace {

// A rule the spells depend on (the COVID dead period, 2020-03-01..2020-06-30): without it, the spell counts
// those days and a person's duration grows; the change is named.
TEST_F(WhatIfTest, ChangedDeadPeriodLengthensTheSpell) {
  auto whatif = Load("measure_rules:\n  dead_periods: []\n");
  ASSERT_TRUE(whatif.ok()) << whatif.status().message();
  ASSERT_EQ(whatif->changes.size(), 1u);
  EXPECT_EQ(whatif->changes[0].where, "CHANGES.yaml:2");
  InputData data = OnePerson("0101901234");
  AddPayment(&data, Benefit::kKontanthjaelp, "2020-01-01", "2020-12-31");
  data.Finish();
  RunOptions options;
  options.first_month = D("2020-08-01");
  options.months = 1;
  WhatIfResult result = RunWhatIf(data, Rules(), *whatif, options);
  ASSERT_EQ(result.changed.size(), 1u);
  EXPECT_LT(result.changed[0].before.duration_days, result.changed[0].after.duration_days);
  EXPECT_LT(result.changed[0].before.duration.interval, result.changed[0].after.duration.interval);
  EXPECT_EQ(result.changed[0].changes, std::vector<int>{0});
}

}  // namespace
}  // namespace dfdg::measure
