// `dfdg measure --db` at scale (issue 13 item 4): the registry is read in one pass over the store
// (SqliteStore::ScanPersons, facts decoded without parsing their JSON) instead of person by person. Both paths must
// give the same input and byte-identical tables, on a synthetic population loaded into a SQLite registry with the bulk
// path (`dfdg synth --commands`, Registry::ExecuteLines).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/clock.h"
#include "measure/engine.h"
#include "measure/output.h"
#include "measure/registry_input.h"
#include "measure_test_util.h"
#include "registry/registry.h"
#include "store/sqlite/sqlite_store.h"
#include "synth/synth.h"

namespace dfdg::measure {
namespace {

namespace fs = std::filesystem;
using testing_util::D;
using testing_util::Slurp;

// A store that can only load person by person (as the PostgreSQL store): the reference path.
class PersonByPersonStore final : public store::Store {
 public:
  explicit PersonByPersonStore(store::Store* inner) : inner_(inner) {}
  Result<registry::PersonHistory> LoadPerson(const std::string& cpr) override { return inner_->LoadPerson(cpr); }
  Result<std::optional<store::CommandRecord>> FindCommand(const std::string& id) override {
    return inner_->FindCommand(id);
  }
  Result<bool> Begin() override { return inner_->Begin(); }
  Status Commit() override { return inner_->Commit(); }
  void Rollback() override { inner_->Rollback(); }
  Status Append(const std::string& cpr, int64_t expected_version, int64_t next_entity_id,
                std::vector<registry::Fact>* facts, store::CommandRecord* command) override {
    return inner_->Append(cpr, expected_version, next_entity_id, facts, command);
  }

 private:
  store::Store* inner_;
};

class RegistryScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dfdg_registry_scan_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "part");
    auto catalog = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    ASSERT_TRUE(catalog.ok()) << catalog.status().message();
    catalog_ = std::move(catalog).value();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Synthesises `persons` persons (3 years to 2025-12-31) with their registry commands, loads the commands (and
  // the lines `extra` gives for the first synthetic person) into a SQLite registry, and copies the files the
  // registry does not hold into dir_/part.
  void Populate(size_t persons, const std::function<std::vector<std::string>(const std::string&)>& extra = nullptr) {
    synth::SynthOptions options;
    options.persons = persons;
    options.years = 3;
    options.seed = 7;
    options.end = D("2025-12-31");
    options.commands = (dir_ / "registry.jsonl").string();
    auto stats = synth::WriteSynthetic((dir_ / "full").string(), options, catalog_->model().municipalities);
    ASSERT_TRUE(stats.ok()) << stats.status().message();
    ASSERT_GT(stats->commands, persons);
    CopyPart(dir_ / "full", dir_ / "part");
    auto store = store::SqliteStore::Open((dir_ / "registry.db").string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
    FixedClock clock(D("2025-12-31"));
    registry::Registry reg(catalog_, store_.get(), &clock);
    std::ifstream in(dir_ / "registry.jsonl");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    if (extra) {
      auto read = ReadInput((dir_ / "part").string());
      ASSERT_TRUE(read.ok() && !read->persons.empty());
      first_cpr_ = read->persons.front().cpr;
      for (std::string& line : extra(first_cpr_)) lines.push_back(std::move(line));
    }
    auto results = reg.ExecuteLines(lines);
    ASSERT_TRUE(results.ok()) << results.status().message();
    for (const auto& r : *results) accepted_ += r.accepted ? 1 : 0;
    if (extra) {
      for (size_t i = results->size() - 3; i < results->size(); ++i) extra_results_ += (*results)[i].json + "\n";
    }
  }

  // The files the registry does not hold: persons.csv, offers.csv and benefits.csv without its a_dagpenge rows (the
  // registry's dagpenge_payment records; no dagpenge_periods.csv: the placements).
  static void CopyPart(const fs::path& from, const fs::path& to) {
    for (const char* f : {"persons.csv", "offers.csv"}) fs::copy_file(from / f, to / f);
    std::istringstream benefits(Slurp(from / "benefits.csv"));
    std::ofstream out(to / "benefits.csv");
    for (std::string line; std::getline(benefits, line);) {
      if (line.find(",a_dagpenge,") == std::string::npos) out << line << "\n";
    }
  }

  static void ExpectSamePayments(const std::vector<Payment>& scanned, const std::vector<Payment>& reference) {
    ASSERT_EQ(scanned.size(), reference.size());
    for (size_t i = 0; i < scanned.size(); ++i) {
      const Payment& a = scanned[i];
      const Payment& b = reference[i];
      ASSERT_TRUE(a.person == b.person && a.from == b.from && a.to == b.to && a.benefit == b.benefit &&
                  a.rate == b.rate && a.part_time == b.part_time && a.wage_subsidy == b.wage_subsidy &&
                  a.centihours == b.centihours)
          << "payment row " << i;
    }
  }

  static void ExpectSameDates(const std::vector<PersonDate>& scanned, const std::vector<PersonDate>& reference,
                              const char* what) {
    ASSERT_EQ(scanned.size(), reference.size()) << what;
    for (size_t i = 0; i < scanned.size(); ++i) {
      ASSERT_TRUE(scanned[i].person == reference[i].person && scanned[i].date == reference[i].date) << what << " " << i;
    }
  }

  InputData Load(store::Store& store) {
    auto read = ReadInput((dir_ / "part").string());
    EXPECT_TRUE(read.ok()) << read.status().message();
    InputData data = std::move(read).value();
    Status st = AddRegistryFacts(store, *catalog_, &data);
    EXPECT_TRUE(st.ok()) << st.message();
    return data;
  }

  void Tables(const InputData& data, const fs::path& out) {
    RunOptions options;
    options.first_month = D("2025-01-01");
    options.months = 12;
    options.detail = true;
    RunResult result = measure::Run(data, testing_util::Rules(), options);
    ASSERT_TRUE(WriteMeasures(out.string(), *result.aggregates, Format::kCsv, "test").ok());
    ASSERT_TRUE(WriteSkaerpetTilsyn(out.string(), *result.aggregates, Format::kCsv).ok());
    ASSERT_TRUE(WriteDetail(out.string(), data, result.detail, Format::kCsv).ok());
  }

  // Row by row: the kinds the registry adds.
  static void ExpectSameRegistryRows(const InputData& scanned, const InputData& reference) {
    ASSERT_EQ(scanned.interviews.size(), reference.interviews.size());
    for (size_t i = 0; i < scanned.interviews.size(); ++i) {
      const Interview& a = scanned.interviews[i];
      const Interview& b = reference.interviews[i];
      ASSERT_TRUE(a.person == b.person && a.date == b.date && a.type == b.type && a.form == b.form &&
                  a.held_by == b.held_by && a.municipality == b.municipality)
          << "interview row " << i;
    }
    ASSERT_EQ(scanned.absences.size(), reference.absences.size());
    for (size_t i = 0; i < scanned.absences.size(); ++i) {
      const AbsencePeriod& a = scanned.absences[i];
      const AbsencePeriod& b = reference.absences[i];
      ASSERT_TRUE(a.person == b.person && a.from == b.from && a.to == b.to && a.reason == b.reason &&
                  a.registered == b.registered && a.back_within_13_weeks == b.back_within_13_weeks)
          << "absence row " << i;
    }
    ASSERT_EQ(scanned.contact_groups.size(), reference.contact_groups.size());
    for (size_t i = 0; i < scanned.contact_groups.size(); ++i) {
      const ContactGroupPeriod& a = scanned.contact_groups[i];
      const ContactGroupPeriod& b = reference.contact_groups[i];
      ASSERT_TRUE(a.person == b.person && a.from == b.from && a.to == b.to && a.contact_group == b.contact_group &&
                  a.visitation == b.visitation)
          << "contact group row " << i;
    }
    ASSERT_EQ(scanned.residence.size(), reference.residence.size());
    for (size_t i = 0; i < scanned.residence.size(); ++i) {
      const Period& a = scanned.residence[i];
      const Period& b = reference.residence[i];
      ASSERT_TRUE(a.person == b.person && a.from == b.from && a.to == b.to && a.value == b.value) << "residence " << i;
    }
    ExpectSameDates(scanned.first_contacts, reference.first_contacts, "first contact");
    ExpectSamePayments(scanned.payments, reference.payments);
    ExpectSameDates(scanned.dagpenge_first_days, reference.dagpenge_first_days, "dagpenge first day");
  }

  void ExpectSameTables(const InputData& scanned, const InputData& reference) {
    Tables(scanned, dir_ / "scan");
    Tables(reference, dir_ / "reference");
    for (const char* f : {"maalinger.csv", "skaerpet_tilsyn.csv", "detaljer.csv"}) {
      std::string a = Slurp(dir_ / "scan" / f);
      EXPECT_GT(a.size(), 200u) << f;
      EXPECT_TRUE(a == Slurp(dir_ / "reference" / f)) << f << " differs";
    }
  }

  fs::path dir_;
  std::shared_ptr<const catalog::Catalog> catalog_;
  std::unique_ptr<store::SqliteStore> store_;
  size_t accepted_ = 0;
  std::string first_cpr_;
  std::string extra_results_;  // the results of the last three lines when `extra` was given
};

TEST_F(RegistryScanTest, ScanGivesTheSameInputAndTablesAsPersonByPerson) {
  Populate(400);
  ASSERT_GT(accepted_, 2000u);
  ASSERT_TRUE(RegistryScans(*store_));
  InputData scanned = Load(*store_);
  PersonByPersonStore reference_store(store_.get());
  ASSERT_FALSE(RegistryScans(reference_store));
  InputData reference = Load(reference_store);
  // The registry really contributed rows.
  ASSERT_GT(scanned.interviews.size(), 1000u);
  ASSERT_GT(scanned.contact_groups.size(), 300u);
  ASSERT_GT(scanned.residence.size(), 300u);
  ASSERT_GT(scanned.absences.size(), 50u);
  ASSERT_GT(scanned.first_contacts.size(), 20u);
  ASSERT_GT(scanned.dagpenge_first_days.size(), 100u);
  ASSERT_GT(std::count_if(scanned.payments.begin(), scanned.payments.end(),
                          [](const Payment& p) { return p.benefit == Benefit::kADagpenge; }),
            1000);
  ExpectSameRegistryRows(scanned, reference);
  ExpectSameTables(scanned, reference);
}

// The CSV files may hold rows of the kinds the registry adds too, and the registry's storage order need not be
// that of persons.csv: the registry's rows then go into each person's slot after the person's CSV rows, and the
// input is still the person-by-person path's (a stable sort by person and date of CSV rows, then registry rows).
TEST_F(RegistryScanTest, ScanMergesWithCsvRowsInAnyPersonOrder) {
  Populate(300);
  for (const char* f :
       {"absences.csv", "interviews.csv", "contact_groups.csv", "residence.csv", "first_contacts.csv"}) {
    fs::copy_file(dir_ / "full" / f, dir_ / "part" / f);
  }
  // persons.csv backwards: input index order is the reverse of the registry's storage order.
  std::istringstream persons(Slurp(dir_ / "part" / "persons.csv"));
  std::string header;
  std::getline(persons, header);
  std::vector<std::string> lines;
  for (std::string line; std::getline(persons, line);) lines.push_back(line);
  ASSERT_GT(lines.size(), 100u);
  std::ofstream out(dir_ / "part" / "persons.csv", std::ios::trunc);
  out << header << "\n";
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) out << *it << "\n";
  out.close();
  InputData scanned = Load(*store_);
  PersonByPersonStore reference_store(store_.get());
  InputData reference = Load(reference_store);
  auto csv_only = ReadInput((dir_ / "part").string());
  ASSERT_TRUE(csv_only.ok());
  // Both sources contributed rows of the same kinds.
  ASSERT_GT(csv_only->interviews.size(), 500u);
  ASSERT_GT(scanned.interviews.size(), csv_only->interviews.size() + 500u);
  ASSERT_GT(scanned.contact_groups.size(), csv_only->contact_groups.size() + 100u);
  ExpectSameRegistryRows(scanned, reference);
  ExpectSameTables(scanned, reference);
  // Independently of the placing: the CSV rows, then the registry's rows alone (read without those CSV files),
  // stably sorted by person and date.
  fs::create_directories(dir_ / "bare");
  for (const char* f : {"persons.csv", "benefits.csv", "offers.csv"}) fs::copy_file(dir_ / "part" / f, dir_ / "bare" / f);
  auto bare_read = ReadInput((dir_ / "bare").string());
  ASSERT_TRUE(bare_read.ok());
  InputData bare_data = std::move(bare_read).value();
  InputData* bare = &bare_data;
  ASSERT_TRUE(AddRegistryFacts(reference_store, *catalog_, bare).ok());
  auto expected = [](auto csv, const auto& registry, auto key) {
    csv.insert(csv.end(), registry.begin(), registry.end());
    std::stable_sort(csv.begin(), csv.end(), [&](const auto& a, const auto& b) {
      return a.person != b.person ? a.person < b.person : key(a) < key(b);
    });
    return csv;
  };
  auto interviews = expected(csv_only->interviews, bare->interviews, [](const Interview& r) { return r.date; });
  ASSERT_EQ(interviews.size(), scanned.interviews.size());
  for (size_t i = 0; i < interviews.size(); ++i) {
    const Interview& a = scanned.interviews[i];
    const Interview& b = interviews[i];
    ASSERT_TRUE(a.person == b.person && a.date == b.date && a.type == b.type && a.form == b.form &&
                a.held_by == b.held_by && a.municipality == b.municipality)
        << "interview row " << i;
  }
  auto groups =
      expected(csv_only->contact_groups, bare->contact_groups, [](const ContactGroupPeriod& r) { return r.from; });
  ASSERT_EQ(groups.size(), scanned.contact_groups.size());
  for (size_t i = 0; i < groups.size(); ++i) {
    const ContactGroupPeriod& a = scanned.contact_groups[i];
    const ContactGroupPeriod& b = groups[i];
    ASSERT_TRUE(a.person == b.person && a.from == b.from && a.to == b.to && a.contact_group == b.contact_group &&
                a.visitation == b.visitation)
        << "contact group row " << i;
  }
}

// Issue 14 item 6: the a-kasse's registrations alone give the a-dagpenge rows the CSV files would — each month's
// payment (dagpenge_payment) the benefits row of that month, narrowed to the days in contact group 1, with its
// hours and the membership's insurance category; each ordinary placement's date a dagpenge period's first day —
// and so the same tables, when the registry holds them and the rest comes from the CSV files.
TEST_F(RegistryScanTest, RegistryGivesTheDagpengeRowsAndTablesOfTheCsvFiles) {
  Populate(400);
  auto full_read = ReadInput((dir_ / "full").string());
  ASSERT_TRUE(full_read.ok());
  InputData csv = std::move(full_read).value();
  InputData scanned = Load(*store_);
  // The a-kasse reports a month once: where the CSV files hold two a-dagpenge rows of one month (two spells in it),
  // the registry gives one row from the first to the last of their days with their hours.
  std::vector<Payment> monthly;
  size_t merged = 0;
  for (const Payment& p : csv.payments) {
    if (p.benefit != Benefit::kADagpenge) continue;
    if (!monthly.empty() && monthly.back().person == p.person &&
        std::chrono::year_month_day{monthly.back().from}.month() == std::chrono::year_month_day{p.from}.month() &&
        std::chrono::year_month_day{monthly.back().from}.year() == std::chrono::year_month_day{p.from}.year()) {
      monthly.back().to = p.to;
      monthly.back().centihours += p.centihours;
      ++merged;
      continue;
    }
    monthly.push_back(p);
    monthly.back().wage_subsidy = false;  // the payment report has no løntilskud marker (the method does not use it)
  }
  EXPECT_LT(merged, monthly.size() / 100);
  std::vector<Payment> registry;
  for (const Payment& p : scanned.payments) {
    if (p.benefit == Benefit::kADagpenge) registry.push_back(p);
  }
  ASSERT_GT(monthly.size(), 1000u);
  ExpectSamePayments(registry, monthly);
  ExpectSameDates(scanned.dagpenge_first_days, csv.dagpenge_first_days, "dagpenge first day");
  // The same tables: the CSV input with its monthly a-dagpenge rows against the CSV input whose a-dagpenge rows and
  // dagpenge periods are the registry's.
  auto with = [&](const std::vector<Payment>& dagpenge, const std::vector<PersonDate>& first_days) {
    auto read = ReadInput((dir_ / "full").string());
    EXPECT_TRUE(read.ok());
    InputData data = std::move(read).value();
    std::erase_if(data.payments, [](const Payment& p) { return p.benefit == Benefit::kADagpenge; });
    data.payments.insert(data.payments.end(), dagpenge.begin(), dagpenge.end());
    data.dagpenge_first_days = first_days;
    data.Finish();
    return data;
  };
  InputData from_csv = with(monthly, csv.dagpenge_first_days);
  InputData from_registry = with(registry, scanned.dagpenge_first_days);
  Tables(from_csv, dir_ / "csv");
  Tables(from_registry, dir_ / "registry");
  for (const char* f : {"maalinger.csv", "skaerpet_tilsyn.csv", "detaljer.csv"}) {
    std::string a = Slurp(dir_ / "registry" / f);
    EXPECT_GT(a.size(), 200u) << f;
    EXPECT_TRUE(a == Slurp(dir_ / "csv" / f)) << f << " differs";
  }
  EXPECT_NE(Slurp(dir_ / "registry" / "detaljer.csv").find(",a_dagpenge,"), std::string::npos);
}

// After a bulk load the registry's WAL is moved into the database file (`dfdg apply` calls Checkpoint): the WAL is
// then empty and the scan, which reads the memory-mapped file, gives the same input.
TEST_F(RegistryScanTest, CheckpointEmptiesTheWalAndTheScanReadsTheSame) {
  Populate(200);
  InputData before = Load(*store_);
  ASSERT_GT(fs::file_size(dir_ / "registry.db-wal"), 100000u);
  ASSERT_TRUE(store_->Checkpoint().ok());
  EXPECT_EQ(fs::file_size(dir_ / "registry.db-wal"), 0u);
  InputData after = Load(*store_);
  ASSERT_GT(after.interviews.size(), 500u);
  ExpectSameRegistryRows(after, before);
}

// The scan reads the keys of a fact's JSON without parsing it: only top-level keys count (a participant's
// form is not the interview's), and JSON with escapes is parsed in full.
TEST_F(RegistryScanTest, ScanReadsOnlyTopLevelKeysOfTheFactDetails) {
  // Registered after everything synthesised for the person (2025-12-31), a contact group first so the
  // interviews are in scope.
  Populate(20, [](const std::string& cpr) {
    return std::vector<std::string>{
        R"({"cpr":")" + cpr +
            R"(","registered_at":"2025-12-31","command":"set_contact_group","contact_group":2,)"
            R"("start":"2025-12-29"})",
        R"({"cpr":")" + cpr +
            R"(","registered_at":"2025-12-31","command":"register_interview","date":"2025-12-30",)"
            R"("type":"job","agreements":"aftalt \"form\":\"telefonisk\"","form":"personligt"})",
        R"({"cpr":")" + cpr +
            R"(","registered_at":"2025-12-31","command":"register_interview","date":"2025-12-31",)"
            R"("type":"job","participants":[{"name":"A","role":"tolk","form":"telefonisk"}],)"
            R"("form":"video"})"};
  });
  const std::string cpr = first_cpr_;
  InputData scanned = Load(*store_);
  PersonByPersonStore reference_store(store_.get());
  InputData reference = Load(reference_store);
  uint32_t index = 0;
  ASSERT_TRUE(scanned.Find(cpr, &index));
  int seen = 0;
  for (const Interview& iv : scanned.View(index).interviews) {
    if (iv.date == D("2025-12-31")) {
      EXPECT_EQ(iv.form, InterviewForm::kVideo);
      ++seen;
    }
    if (iv.date == D("2025-12-30") && iv.type == InterviewType::kJobsamtale) {
      EXPECT_EQ(iv.form, InterviewForm::kPersonligt);
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2) << "both interviews accepted and read: " << extra_results_;
  ASSERT_EQ(scanned.interviews.size(), reference.interviews.size());
  for (size_t i = 0; i < scanned.interviews.size(); ++i) {
    EXPECT_EQ(scanned.interviews[i].form, reference.interviews[i].form) << i;
  }
}

}  // namespace
}  // namespace dfdg::measure
