// Tests of the real catalogue's content against the seeds: the reason ids, the rows against Bilag 1/2, the
// cited lines, and the values the issue names (each checked against the seed wording, not the catalogue).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "catalog/catalog.h"
#include "catalog/date_rules.h"

namespace dfdg::catalog {
namespace {
namespace fs = std::filesystem;

const Catalog& Real() {
  static std::shared_ptr<const Catalog> catalog = [] {
    auto loaded = Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status().ToString();
      std::abort();
    }
    return *loaded;
  }();
  return *catalog;
}

std::vector<std::string> SeedLines(const std::string& file) {
  std::vector<std::string> lines;
  std::ifstream in(fs::path(DFDG_SEEDS_DIR) / file);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

Date D(int y, unsigned m, unsigned d) { return MakeDate(y, m, d); }

// The reason ids of seed 001's tables, read from the seed itself: after each "Datoregler" heading, the first
// "(ID nn)" / "(nn)" after the table's "Årsag til fravær" header.
std::set<int> Seed001TableIds() {
  std::vector<std::string> lines = SeedLines("001_ac98bd5917396cba.txt");
  std::set<int> ids;
  std::regex id_pattern(R"(\((?:ID|Id|id)?\s*(\d+)\s*\))");
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("Datoregler") == std::string::npos) continue;
    size_t j = i;
    while (j < lines.size() && lines[j].find("Årsag til fravær") == std::string::npos) ++j;
    std::string window;
    for (size_t k = j + 1; k < std::min(lines.size(), j + 40); ++k) window += lines[k] + " ";
    std::smatch match;
    if (std::regex_search(window, match, id_pattern)) ids.insert(std::stoi(match[1]));
  }
  return ids;
}

TEST(CatalogContentTest, HoldsEveryReasonOfSeed001) {
  if (!fs::exists(DFDG_SEEDS_DIR)) GTEST_SKIP() << "seeds not found at " << DFDG_SEEDS_DIR;
  std::set<int> seed_ids = Seed001TableIds();
  EXPECT_EQ(seed_ids.size(), 55u);
  std::set<int> catalog_ids;
  for (const auto& a : Real().model().absences) catalog_ids.insert(a.id);
  for (int id : seed_ids) EXPECT_TRUE(catalog_ids.count(id)) << "reason " << id << " of seed 001 is missing";
  // Reasons beyond seed 001's tables must be explained: closed (78) or without rows (64, Bilag 3 only).
  for (int id : catalog_ids) {
    if (seed_ids.count(id)) continue;
    const Absence* a = Real().FindAbsence(id);
    EXPECT_TRUE(a->new_registrations_until.has_value() || a->rows.empty()) << "unexplained extra reason " << id;
  }
}

TEST(CatalogContentTest, EveryTableReasonHasRowsAndDateRules) {
  for (const auto& a : Real().model().absences) {
    if (a.id == 64) continue;
    EXPECT_FALSE(a.rows.empty()) << a.id;
    EXPECT_FALSE(a.date_rules.empty()) << a.id;
    EXPECT_FALSE(a.name_da.empty()) << a.id;
  }
}

// Each reason's first source line must be where its name stands in the seed (catches shifted line numbers).
TEST(CatalogContentTest, ReasonSourcesPointAtTheirNames) {
  if (!fs::exists(DFDG_SEEDS_DIR)) GTEST_SKIP();
  std::map<std::string, std::vector<std::string>> seeds;
  for (const auto& s : Real().model().sources) seeds[s.id] = SeedLines(s.file);
  for (const auto& a : Real().model().absences) {
    ASSERT_FALSE(a.sources.empty());
    const SourceRef& ref = a.sources.front();
    const auto& lines = seeds[ref.seed];
    ASSERT_LE(ref.line, static_cast<int>(lines.size()));
    // The first word of the name (at least 4 letters) appears within two lines of the cited line.
    std::string word = a.name_da.substr(0, a.name_da.find_first_of(" –-("));
    if (word.size() < 4) word = a.name_da.substr(0, 4);
    bool found = false;
    for (int l = std::max(1, ref.line - 2); l <= std::min<int>(lines.size(), ref.line + 2); ++l) {
      if (lines[l - 1].find(word) != std::string::npos) found = true;
    }
    EXPECT_TRUE(found) << "reason " << a.id << " cites " << ref.seed << ":" << ref.line << " but '" << word
                       << "' is not there";
  }
}

// Rows of seed 001's tables against seed 000 Bilag 1/2: every difference is listed in
// tests/data/bilag_row_differences.yaml and documented in docs/source-conflicts.md; modes agree.
TEST(CatalogContentTest, RowsAgreeWithBilag1And2ExceptDocumentedDifferences) {
  using Cell = std::tuple<int, int, std::string>;  // reason, group, visitation ("" = all)
  std::map<Cell, std::set<Mode>> bilag;
  for (const auto& duty : Real().model().registration_duties) {
    for (const auto& row : duty.rows) {
      for (int g : row.contact_groups) bilag[{duty.reason, g, row.visitation.value_or("")}].insert(duty.mode);
    }
  }
  std::map<Cell, Mode> tables;
  for (const auto& a : Real().model().absences) {
    for (const auto& row : a.rows) {
      for (int g : row.contact_groups) tables[{a.id, g, row.visitation.value_or("")}] = row.mode;
    }
  }
  YAML::Node known = YAML::LoadFile(std::string(DFDG_SOURCE_DIR) + "/tests/data/bilag_row_differences.yaml");
  std::ifstream conflicts_file(std::string(DFDG_SOURCE_DIR) + "/docs/source-conflicts.md");
  std::stringstream conflicts;
  conflicts << conflicts_file.rdbuf();
  std::set<Cell> allowed_only_in_tables;
  for (const auto& item : known["differences"]) {
    std::string v = item["visitation"].IsNull() ? "" : item["visitation"].as<std::string>();
    allowed_only_in_tables.insert({item["reason"].as<int>(), item["contact_group"].as<int>(), v});
    EXPECT_NE(conflicts.str().find(item["conflict"].as<std::string>()), std::string::npos)
        << "docs/source-conflicts.md lacks '" << item["conflict"].as<std::string>() << "'";
  }
  std::set<int> groups_only_in_bilag;
  for (const auto& policy : known["policy"]) {
    for (const auto& g : policy["contact_groups"]) groups_only_in_bilag.insert(g.as<int>());
    EXPECT_NE(conflicts.str().find(policy["conflict"].as<std::string>()), std::string::npos);
  }
  for (const auto& [cell, mode] : tables) {
    auto it = bilag.find(cell);
    if (it == bilag.end()) {
      EXPECT_TRUE(allowed_only_in_tables.count(cell))
          << "reason " << std::get<0>(cell) << " group " << std::get<1>(cell) << " " << std::get<2>(cell)
          << " is in seed 001 but not in Bilag 1/2, and not documented";
    } else {
      EXPECT_TRUE(it->second.count(mode))
          << "mode differs for reason " << std::get<0>(cell) << " group " << std::get<1>(cell);
      EXPECT_FALSE(allowed_only_in_tables.count(cell))
          << "listed difference no longer exists: reason " << std::get<0>(cell) << " group " << std::get<1>(cell);
    }
  }
  for (const auto& [cell, modes] : bilag) {
    if (tables.count(cell)) continue;
    EXPECT_TRUE(groups_only_in_bilag.count(std::get<1>(cell)))
        << "reason " << std::get<0>(cell) << " group " << std::get<1>(cell) << " " << std::get<2>(cell)
        << " is in Bilag 1/2 but has no seed-001 row";
  }
}

const DateRule& RuleFor(int reason, int group, Channel channel, Date date) {
  const Absence* a = Real().FindAbsence(reason);
  EXPECT_NE(a, nullptr) << reason;
  const DateRule* rule = Real().SelectDateRule(*a, group, channel, date);
  EXPECT_NE(rule, nullptr) << "reason " << reason << " group " << group << " on " << FormatDate(date);
  static DateRule empty;
  return rule ? *rule : empty;
}

// Boundary pair for the backdating limit: the day at the limit accepted, one day earlier rejected.
void ExpectBackdateBoundary(const DateRule& rule, Date registered, Date earliest) {
  DatedRegistration reg{registered, earliest, earliest + std::chrono::days{1}, std::nullopt, true, std::nullopt};
  auto at_limit = CheckDateRule(rule, reg);
  EXPECT_EQ(std::count(at_limit.begin(), at_limit.end(), DateViolation::kStartTooEarly), 0) << FormatDate(earliest);
  reg.start = earliest - std::chrono::days{1};
  auto past = CheckDateRule(rule, reg);
  EXPECT_EQ(std::count(past.begin(), past.end(), DateViolation::kStartTooEarly), 1) << FormatDate(reg.start);
}

// Boundary pair for the maximum duration: last allowed end accepted, one day later rejected.
void ExpectDurationBoundary(const DateRule& rule, Date start, Date last_end) {
  DatedRegistration reg{start, start, last_end, std::nullopt, true, std::nullopt};
  EXPECT_TRUE(CheckDateRule(rule, reg).empty()) << FormatDate(last_end);
  reg.end = last_end + std::chrono::days{1};
  EXPECT_EQ(CheckDateRule(rule, reg), std::vector<DateViolation>{DateViolation::kTooLong});
}

TEST(CatalogContentTest, BarselMaximumChangedFrom54WeeksTo16Months) {
  // 001:1356-1358: "D.d. - 8 uger, dog maks. til sidste samtale", "Max. 16 måneder", "Startdato: Max 30 dage".
  // 001:7379: changed from 54 weeks to 16 months (change log 20 December 2024).
  const DateRule& now = RuleFor(8, 2, Channel::kJobcenter, D(2025, 8, 1));
  EXPECT_TRUE(now.not_before_last_interview);
  ExpectBackdateBoundary(now, D(2025, 8, 1), D(2025, 6, 6));
  ExpectDurationBoundary(now, D(2025, 8, 1), D(2026, 11, 30));
  DatedRegistration late{D(2025, 8, 1), D(2025, 8, 31), D(2025, 9, 30), std::nullopt, true, std::nullopt};
  EXPECT_TRUE(CheckDateRule(now, late).empty());
  late.start = D(2025, 9, 1);
  EXPECT_EQ(CheckDateRule(now, late), std::vector<DateViolation>{DateViolation::kStartTooLate});
  const DateRule& before = RuleFor(8, 2, Channel::kJobcenter, D(2024, 6, 1));
  ExpectDurationBoundary(before, D(2024, 6, 1), D(2024, 6, 1) + std::chrono::days{54 * 7 - 1});
  EXPECT_EQ(Real().FindAbsence(8)->no_overlap_with, std::vector<int>{79});
  EXPECT_EQ(Real().FindAbsence(79)->no_overlap_with, std::vector<int>{8});
}

TEST(CatalogContentTest, SygemeldingBackdatingByChannelAndHistory) {
  // 001:7361: from 11 May 2023 job centres may backdate 60 days instead of 28; KSD without limit (001:5777).
  ExpectBackdateBoundary(RuleFor(11, 24, Channel::kJobcenter, D(2025, 8, 1)), D(2025, 8, 1), D(2025, 6, 2));
  ExpectBackdateBoundary(RuleFor(11, 24, Channel::kJobcenter, D(2023, 5, 10)), D(2023, 5, 10), D(2023, 4, 12));
  const DateRule& ksd = RuleFor(11, 24, Channel::kKsd, D(2025, 8, 1));
  ASSERT_TRUE(ksd.backdate.has_value());
  EXPECT_TRUE(ksd.backdate->unlimited);
  // Per-group duration variants: 3 months for KG 24, 60 days for KG 10.
  ExpectDurationBoundary(RuleFor(11, 24, Channel::kJobcenter, D(2025, 8, 1)), D(2025, 8, 1), D(2025, 10, 31));
  ExpectDurationBoundary(RuleFor(11, 10, Channel::kJobcenter, D(2025, 8, 1)), D(2025, 8, 1), D(2025, 9, 29));
}

TEST(CatalogContentTest, SimpleDateRulesFromTheTables) {
  // 16 "Ansættelse inden for 4 uger": D.d. - 7 dage, Max. 4 uger (001:1029-1031).
  const DateRule& r16 = RuleFor(16, 4, Channel::kJobcenter, D(2025, 8, 1));
  ExpectBackdateBoundary(r16, D(2025, 8, 1), D(2025, 7, 25));
  ExpectDurationBoundary(r16, D(2025, 8, 1), D(2025, 8, 28));
  // 71 "Arbejdsfordeling op til 6 uger": D.d. - 7 dage, Obligatorisk - Max. 6 uger (001:1070-1072).
  const DateRule& r71 = RuleFor(71, 1, Channel::kJobcenter, D(2025, 8, 1));
  EXPECT_TRUE(r71.end_date_required);
  ExpectDurationBoundary(r71, D(2025, 8, 1), D(2025, 9, 11));
  // 72 "Arbejdsfordeling over 6 uger": Max. 3 mdr. (001:1219).
  ExpectDurationBoundary(RuleFor(72, 1, Channel::kJobcenter, D(2025, 8, 1)), D(2025, 8, 1), D(2025, 10, 31));
  // 67: D.d. - 28 dage, Obligatorisk slutdato (001:1006-1008).
  const DateRule& r67 = RuleFor(67, 1, Channel::kJobcenter, D(2025, 8, 1));
  EXPECT_TRUE(r67.end_date_required);
  ExpectBackdateBoundary(r67, D(2025, 8, 1), D(2025, 7, 4));
}

// Every finite backdating limit, future-start limit and maximum duration in the catalogue gets its boundary
// pair checked through the mechanism (so a malformed rule cannot hide).
TEST(CatalogContentTest, EveryDateRuleHasWorkingBoundaries) {
  int checked = 0;
  for (const auto& a : Real().model().absences) {
    for (const auto& rule : a.date_rules) {
      Date registered = rule.validity.from ? *rule.validity.from : D(2025, 8, 1);
      if (rule.validity.to && registered >= *rule.validity.to) registered = *rule.validity.to - std::chrono::days{1};
      DatedRegistration base{registered, registered, std::nullopt, std::nullopt, true, std::nullopt};
      if (auto earliest = EarliestStart(rule, base)) {
        ExpectBackdateBoundary(rule, registered, *earliest);
        ++checked;
      }
      if (auto latest = LatestStart(rule, registered)) {
        DatedRegistration reg{registered, *latest, std::nullopt, std::nullopt, true, std::nullopt};
        reg.end = *latest + std::chrono::days{1};
        auto at = CheckDateRule(rule, reg);
        EXPECT_EQ(std::count(at.begin(), at.end(), DateViolation::kStartTooLate), 0) << a.id;
        reg.start = *latest + std::chrono::days{1};
        reg.end = reg.start;
        auto past = CheckDateRule(rule, reg);
        EXPECT_EQ(std::count(past.begin(), past.end(), DateViolation::kStartTooLate), 1) << a.id;
        ++checked;
      }
      if (auto last_end = LatestEnd(rule, registered)) {
        ExpectDurationBoundary(rule, registered, *last_end);
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 60);
}

TEST(CatalogContentTest, ClosedReasonsAndStartDateLimits) {
  // 001:7381-7383 and 001:2442, 001:6125, 001:6672: 59, 60, 62 not for start dates from 2025-07-01.
  for (int id : {59, 60, 62}) {
    const Absence* a = Real().FindAbsence(id);
    ASSERT_NE(a, nullptr) << id;
    ASSERT_TRUE(a->start_date_before.has_value()) << id;
    EXPECT_EQ(*a->start_date_before, D(2025, 7, 1)) << id;
  }
  // 78 and 80 are closed for new registrations.
  for (int id : {78, 80}) {
    const Absence* a = Real().FindAbsence(id);
    ASSERT_NE(a, nullptr) << id;
    ASSERT_TRUE(a->new_registrations_until.has_value()) << id;
    EXPECT_FALSE(Real().Lookup(id, 1, nullptr, D(2025, 8, 1)).reason_in_force) << id;
  }
}

TEST(CatalogContentTest, ContactGroupsValidityAndRenames) {
  std::set<int> ids;
  for (const auto& g : Real().model().contact_groups) ids.insert(g.id);
  for (int id = 1; id <= 29; ++id) {
    if (id == 9) continue;
    EXPECT_TRUE(ids.count(id)) << "contact group " << id;
  }
  auto open = [](int id, Date d) { return Real().ContactGroupOpenForNew(*Real().FindContactGroup(id), d); };
  EXPECT_FALSE(open(3, D(2016, 7, 1)));
  EXPECT_TRUE(open(3, D(2016, 6, 30)));
  EXPECT_FALSE(open(6, D(2015, 1, 5)));
  EXPECT_TRUE(open(6, D(2015, 1, 4)));
  for (int id : {26, 28, 29}) {
    EXPECT_TRUE(open(id, D(2025, 6, 30))) << id;
    EXPECT_FALSE(open(id, D(2025, 7, 1))) << id;
  }
  EXPECT_TRUE(open(2, D(2025, 7, 1)));
  const ContactGroup& kg12 = *Real().FindContactGroup(12);
  EXPECT_EQ(Real().ContactGroupName(kg12, D(2025, 7, 1)), "Uddannelsespålæg - kontanthjælpsmodtager");
  EXPECT_NE(Real().ContactGroupName(kg12, D(2025, 6, 30)), Real().ContactGroupName(kg12, D(2025, 7, 1)));
  const ContactGroup& kg27 = *Real().FindContactGroup(27);
  EXPECT_EQ(Real().ContactGroupName(kg27, D(2025, 7, 1)), "Kontanthjælpsmodtager (INL)");
  EXPECT_NE(Real().ContactGroupName(kg27, D(2025, 6, 30)), "Kontanthjælpsmodtager (INL)");
}

TEST(CatalogContentTest, The225HourRuleEndsOn2025_07_01) {
  const Obligation* o = Real().FindObligation("forlaenger_225_timer");
  ASSERT_NE(o, nullptr);
  ASSERT_TRUE(o->validity.to.has_value());
  EXPECT_EQ(*o->validity.to, D(2025, 7, 1));
  int before = 0;
  for (const auto& a : Real().model().absences) {
    for (const auto& row : a.rows) {
      if (std::find(row.exempts.begin(), row.exempts.end(), "forlaenger_225_timer") == row.exempts.end()) continue;
      // Rows that extend the 225-hour requirement end by 2025-07-01, unless the reason is closed by start date.
      if (!a.start_date_before) {
        ASSERT_TRUE(row.validity.to.has_value()) << "reason " << a.id;
        EXPECT_LE(*row.validity.to, D(2025, 7, 1)) << "reason " << a.id;
      }
      ++before;
    }
  }
  EXPECT_GT(before, 0);
}

TEST(CatalogContentTest, LookupAnswersWhatIsLifted) {
  std::string jobparat = "jobparat";
  // Barsel, KG 2 jobparat: lifts Tilmelding and Kontaktforløb (001:1373-1385).
  LookupResult r = Real().Lookup(8, 2, &jobparat, D(2025, 8, 1));
  ASSERT_TRUE(r.allowed());
  std::set<std::string> keys;
  for (const Obligation* o : r.exempts) keys.insert(o->key);
  EXPECT_TRUE(keys.count("tilmelding"));
  EXPECT_TRUE(keys.count("kontaktforloeb"));
  EXPECT_TRUE(keys.count("pligt_selvbooking"));
  ASSERT_NE(r.date_rule, nullptr);
  EXPECT_NE(r.row->legal_ref.find("§ 13, stk. 9"), std::string::npos);
  // Barsel is a marker only for KG 1.
  LookupResult kg1 = Real().Lookup(8, 1, nullptr, D(2025, 8, 1));
  ASSERT_TRUE(kg1.allowed());
  ASSERT_EQ(kg1.exempts.size(), 1u);
  EXPECT_EQ(kg1.exempts[0]->key, "administrativ_markering");
  // Ansættelse inden for 4 uger is not allowed for KG 1.
  EXPECT_FALSE(Real().Lookup(16, 1, nullptr, D(2025, 8, 1)).allowed());
  EXPECT_TRUE(Real().Lookup(16, 5, nullptr, D(2025, 8, 1)).allowed());
}

TEST(CatalogContentTest, Bilag3FlagsAreAttached) {
  int with_flags = 0;
  for (const auto& a : Real().model().absences) with_flags += a.bilag3.has_value();
  EXPECT_GE(with_flags, 40);
  const Absence* barsel = Real().FindAbsence(8);
  ASSERT_TRUE(barsel->bilag3.has_value());
  EXPECT_TRUE(barsel->bilag3->jobnet);
}

TEST(CatalogContentTest, MeasureTablesAndCodeLists) {
  EXPECT_FALSE(Real().model().measure_exemptions.empty());
  EXPECT_FALSE(Real().model().benefit_groups.empty());
  const CodeList* notifications = nullptr;
  for (const auto& list : Real().model().codelists) {
    for (const auto& code : list.codes) {
      if (code.code == 59 && list.codes.size() >= 14) notifications = &list;
    }
  }
  ASSERT_NE(notifications, nullptr);
  std::set<int> codes;
  for (const auto& c : notifications->codes) codes.insert(c.code);
  for (int c = 59; c <= 72; ++c) EXPECT_TRUE(codes.count(c)) << c;
}

}  // namespace
}  // namespace dfdg::catalog
