// The generic record path on a real SQLite file: a declared test type (added to a copy of the real
// catalogue) exercises every field type, field validity and channel limits, period rules (backdating,
// overlap), the registry's declaration checks, and a rule module registered for the type.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "registry/record.h"
#include "registry/record_rules.h"
#include "registry/registry.h"
#include "store/open_store.h"

namespace dfdg {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;

// A rule module for the test type: the start may not be a Saturday (code 5009 reused, citing the module's
// declaration in the catalogue).
void NoSaturdayStart(const registry::RecordRuleContext& context, std::vector<registry::Violation>* out) {
  auto start = ParseDate(context.fields.value("start", ""));
  if (!start.ok()) return;
  std::chrono::weekday day{*start};
  if (day == std::chrono::Saturday) {
    out->push_back(registry::MakeViolation(context.catalog, 5009,
                                           {{"start", FormatDate(*start)}, {"limit", "-"}, {"rule", "weekday"}},
                                           &context.rule.defined_at, &context.rule.sources));
  }
}
const registry::RecordRuleModule kNoSaturdayStart{"test_no_saturday_start", "§ 54", NoSaturdayStart, nullptr};
const registry::RecordRuleRegistration kRegistered(kNoSaturdayStart);

constexpr const char* kSample = R"(key: sample
name_da: "Prøve"
name_en: "Sample"
chapter: 12
legal_ref: "§ 54"
source: "000:1798"
id_field: sample_ref
period: {start: start, end: end, overlap: forbidden, backdate: 4w, max_future_start: 30d, source: "000:1798"}
scope:
  - {contact_groups: [2], visitation: jobparat, mode: must, source: "000:1798"}
actors:
  - {channel: jobcenter, may: [create, change, correct, delete, read], source: "000:1798"}
  - {channel: akasse, may: [create], source: "000:1798"}
fields:
  - {key: kind, name_da: "Type", name_en: "Kind", type: code, code_list: kinds, required: true, source: "000:1800"}
  - {key: start, name_da: "Start", name_en: "Start", type: date, required: true, source: "000:1808"}
  - {key: end, name_da: "Slut", name_en: "End", type: date, source: "000:1810"}
  - {key: hours, name_da: "Timer", name_en: "Hours", type: decimal, min: 0, max: 37.5, source: "000:1798"}
  - {key: count, name_da: "Antal", name_en: "Count", type: int, min: 1, max: 9, required_for: [akasse], source: "000:1798"}
  - {key: at, name_da: "Tidspunkt", name_en: "Time", type: datetime, source: "000:1798"}
  - {key: agreed, name_da: "Aftalt", name_en: "Agreed", type: bool, channels: [jobcenter], source: "000:1798"}
  - {key: other, name_da: "Anden person", name_en: "Other person", type: cpr, source: "000:1798"}
  - {key: later, name_da: "Senere felt", name_en: "Later field", type: text, max_length: 5, valid_from: 2026-01-01, source: "000:1798"}
  - key: contacts
    name_da: "Kontakter"
    name_en: "Contacts"
    type: list
    max_items: 2
    source: "000:1798"
    items:
      - {key: email, name_da: "E-mail", name_en: "E-mail", type: text, max_length: 20, required: true, source: "000:1804"}
      - {key: cvr, name_da: "CVR", name_en: "CVR", type: cvr, source: "000:1798"}
      - {key: person, name_da: "Person", name_en: "Person", type: cpr, source: "000:1798"}
codelists:
  - key: kinds
    name_da: "Typer"
    source: "000:1782"
    codes:
      - {key: jobformidler, name_da: "Personlig jobformidler", source: "000:1786"}
      - {key: gammel, name_da: "Gammel", valid_to: 2025-07-01, source: "000:1786"}
rules:
  - {module: test_no_saturday_start, legal_ref: "§ 54", source: "000:1808"}
)";

class RecordRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dfdg_record_registry_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy(fs::path(DFDG_SOURCE_DIR) / "catalog", dir_ / "catalog", fs::copy_options::recursive);
    std::ofstream(dir_ / "catalog" / "records" / "sample.yaml") << kSample;
    auto loaded = catalog::Catalog::Load((dir_ / "catalog").string());
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    catalog_ = *loaded;
    auto store = store::OpenStore((dir_ / "test.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    registry_ = std::make_unique<registry::Registry>(catalog_, store_.get(), &clock_);
    Exec({{"command", "set_contact_group"},
          {"cpr", kCpr},
          {"registered_at", "2025-01-01"},
          {"contact_group", 2},
          {"start", "2025-01-01"}});
    Exec({{"command", "set_visitation"}, {"cpr", kCpr}, {"registered_at", "2025-01-01"}, {"category", "jobparat"}});
  }
  void TearDown() override {
    registry_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  nlohmann::ordered_json Exec(Json command) {
    auto results = registry_->ExecuteBatch({std::move(command)});
    EXPECT_TRUE(results.ok()) << results.status().ToString();
    return results.ok() ? (*results)[0] : nlohmann::ordered_json{};
  }
  static std::set<int> Codes(const nlohmann::ordered_json& result) {
    std::set<int> codes;
    for (const auto& v : result.value("violations", nlohmann::ordered_json::array()))
      codes.insert(v["code"].get<int>());
    return codes;
  }
  // A create of the sample type starting on `start` (2025-09-01 is a Monday).
  static Json Create(const std::string& start) {
    return {{"command", "create_sample"}, {"cpr", kCpr}, {"kind", "jobformidler"}, {"start", start}};
  }

  static constexpr const char* kCpr = "0101901234";
  FixedClock clock_{MakeDate(2025, 9, 1)};
  fs::path dir_;
  std::shared_ptr<const catalog::Catalog> catalog_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<registry::Registry> registry_;
};

TEST_F(RecordRegistryTest, EveryFieldTypeIsCheckedAndStoredTyped) {
  Json c = Create("2025-09-01");
  c["hours"] = 37.5;
  c["count"] = 9;
  c["at"] = "2025-09-01T08:30";
  c["agreed"] = true;
  c["other"] = "1502851111";
  c["contacts"] =
      Json::array({{{"email", "a@b.dk"}, {"cvr", "10150817"}}, {{"email", "c@d.dk"}, {"person", "0203921234"}}});
  auto result = Exec(c);
  ASSERT_EQ(result["status"], "accepted") << result.dump();
  const auto& stored = result["stored"][0];
  EXPECT_EQ(stored["kind"], "sample");
  EXPECT_EQ(stored["action"], "create");
  EXPECT_EQ(stored["fields"]["hours"], 37.5);
  EXPECT_EQ(stored["fields"]["other"], "150285-****");  // CPR fields are masked in every output
  EXPECT_EQ(stored["fields"]["contacts"].size(), 2u);
  EXPECT_EQ(stored["fields"]["contacts"][1]["person"], "020392-****");  // also inside list items

  Json bad = Create("2025-09-01");
  bad["hours"] = 37.6;             // above max
  bad["count"] = 1.5;              // not an integer
  bad["at"] = "2025-09-01 08:30";  // no T
  bad["agreed"] = "yes";           // not a bool
  bad["other"] = "3202901234";     // no such day
  bad["later"] = "x";              // not in force until 2026
  bad["contacts"] = Json::array({{{"email", "a@b.dk"}, {"cvr", "10150818"}}, {{"mail", "x"}}});
  bad["kind"] = "gammel";  // closed 2025-07-01
  auto rejected = Exec(bad);
  ASSERT_EQ(rejected["status"], "rejected");
  EXPECT_EQ(Codes(rejected), (std::set<int>{1003, 1004, 1005, 1011, 4003}));
  // hours, count, agreed, later, contacts[1].mail, contacts[1].email (missing) → 1003; each cites its field.
  int invalid = 0;
  for (const auto& v : rejected["violations"]) {
    if (v["code"] == 1003) ++invalid;
    EXPECT_NE(v["catalog"].get<std::string>().find("catalog/records/sample.yaml:"), std::string::npos) << v.dump();
  }
  EXPECT_EQ(invalid, 6) << rejected.dump();
}

TEST_F(RecordRegistryTest, RequiredAndAllowedFieldsDependOnTheChannel) {
  Json by_akasse = Create("2025-09-01");
  by_akasse["channel"] = "akasse";
  EXPECT_EQ(Codes(Exec(by_akasse)), (std::set<int>{1003}));  // count is required for the a-kasse
  by_akasse["count"] = 2;
  by_akasse["agreed"] = false;  // only the job centre may give it
  EXPECT_EQ(Codes(Exec(by_akasse)), (std::set<int>{1003}));
  by_akasse.erase("agreed");
  EXPECT_EQ(Exec(by_akasse)["status"], "accepted");
  Json change{{"command", "change_sample"}, {"cpr", kCpr}, {"channel", "akasse"}, {"sample_ref", 3}, {"hours", 1}};
  EXPECT_EQ(Codes(Exec(change)), (std::set<int>{5002}));  // the a-kasse may only create
}

TEST_F(RecordRegistryTest, BackdatingFutureStartAndOverlapBoundaries) {
  // Registered 2025-09-01: backdate 4w → start >= 2025-08-04; max_future_start 30d → start <= 2025-10-01.
  EXPECT_EQ(Codes(Exec(Create("2025-08-03"))), (std::set<int>{5008}));
  EXPECT_EQ(Codes(Exec(Create("2025-10-02"))), (std::set<int>{5009}));
  Json first = Create("2025-08-04");
  first["end"] = "2025-08-31";
  ASSERT_EQ(Exec(first)["status"], "accepted");
  Json overlapping = Create("2025-08-25");  // Monday, overlaps the first (ends 08-31)
  EXPECT_EQ(Codes(Exec(overlapping)), (std::set<int>{5006}));
  ASSERT_EQ(Exec(Create("2025-09-01"))["status"], "accepted");  // the day after: no overlap
  EXPECT_EQ(Exec(Create("2025-10-01"))["status"], "rejected");  // overlaps the open second one
  // Moving the first one's end onto the second one's start overlaps; the entity itself never counts.
  Json move{{"command", "change_sample"}, {"cpr", kCpr}, {"sample_ref", 3}, {"end", "2025-09-01"}};
  EXPECT_EQ(Codes(Exec(move)), (std::set<int>{5006}));
  move["end"] = "2025-08-30";
  EXPECT_EQ(Exec(move)["status"], "accepted");
}

TEST_F(RecordRegistryTest, RuleModuleRunsAndCitesItsDeclaration) {
  auto saturday = Exec(Create("2025-08-30"));
  ASSERT_EQ(Codes(saturday), (std::set<int>{5009}));
  EXPECT_EQ(saturday["violations"][0]["catalog"], "catalog/records/sample.yaml:42");
  EXPECT_NE(saturday["violations"][0]["source"].get<std::string>().find(":1808"), std::string::npos);
  EXPECT_EQ(Exec(Create("2025-08-31"))["status"], "accepted");  // a Sunday
}

TEST_F(RecordRegistryTest, HistoryAndCorrectionsKeepEveryVersion) {
  ASSERT_EQ(Exec(Create("2025-09-01"))["status"], "accepted");
  Json correct{{"command", "correct_sample"}, {"cpr", kCpr}, {"sample_ref", 3}, {"hours", 2}, {"comment", "fejl"}};
  ASSERT_EQ(Exec(correct)["status"], "accepted");
  Json remove{{"command", "delete_sample"}, {"cpr", kCpr}, {"sample_ref", 3}, {"comment", "dublet"}};
  auto deleted = Exec(remove);
  ASSERT_EQ(deleted["status"], "accepted");
  EXPECT_EQ(deleted["stored"][0]["deleted"], true);
  auto history = registry_->RecordHistory(kCpr, "sample", 0, std::nullopt);
  ASSERT_TRUE(history.ok());
  const auto& versions = (*history)["entities"][0]["versions"];
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_EQ(versions[1]["action"], "correct");
  EXPECT_EQ(versions[1]["comment"], "fejl");
  EXPECT_EQ(versions[1]["fields"]["hours"], 2);
  EXPECT_TRUE((*history)["entities"][0]["current"].is_null());
  EXPECT_FALSE(registry_->RecordHistory(kCpr, "nosuch", 0, std::nullopt).ok());
  auto status = registry_->PersonStatus(kCpr, MakeDate(2025, 9, 1), std::nullopt);
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE((*status)["records"]["sample"].empty());
}

TEST_F(RecordRegistryTest, RegistryChecksTheDeclarations) {
  EXPECT_TRUE(registry::CheckRecordDeclarations(*catalog_).empty());
  auto real = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
  ASSERT_TRUE(real.ok());
  EXPECT_TRUE(registry::CheckRecordDeclarations(**real).empty());
  std::string text = kSample;
  text.replace(text.find("test_no_saturday_start"), 22, "no_such_module");
  text.replace(text.find("key: sample"), 11, "key: absence");
  std::ofstream(dir_ / "catalog" / "records" / "sample.yaml") << text << "commands: {create: register_absence}\n";
  auto loaded = catalog::Catalog::Load((dir_ / "catalog").string());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto problems = registry::CheckRecordDeclarations(**loaded);
  std::string all;
  for (const auto& p : problems) all += p + "\n";
  EXPECT_NE(all.find("sample.yaml:1: record type 'absence' reuses a built-in stored kind"), std::string::npos) << all;
  EXPECT_NE(all.find("command 'register_absence' is a built-in command"), std::string::npos) << all;
  EXPECT_NE(all.find("sample.yaml:42: record type 'absence' names unknown rule module 'no_such_module'"),
            std::string::npos)
      << all;
}

TEST(RecordCvrTest, CheckDigits) {
  EXPECT_TRUE(registry::IsValidCvr("10150817"));
  EXPECT_TRUE(registry::IsValidCvr("25313763"));
  EXPECT_FALSE(registry::IsValidCvr("10150818"));
  EXPECT_FALSE(registry::IsValidCvr("1015081"));
  EXPECT_FALSE(registry::IsValidCvr("1015081x"));
}

}  // namespace
}  // namespace dfdg
