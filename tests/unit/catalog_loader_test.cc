// The loader's schema and integrity checks, on small catalogues written to a temporary directory, and on a
// copy of the real catalogue with one file deliberately broken.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "catalog/catalog.h"
#include "catalog/date_rules.h"

namespace dfdg::catalog {
namespace {
namespace fs = std::filesystem;

class TempCatalog {
 public:
  TempCatalog() {
    dir_ =
        fs::temp_directory_path() / ("dfdg_catalog_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "absences");
    Write("sources.yaml", "sources:\n  - {id: \"001\", file: \"001.txt\", lines: 7000, title: t}\n");
    Write("obligations.yaml",
          "obligations:\n"
          "  - {key: kontaktforloeb, name_da: \"Kontaktforløb\", source: \"001:10\"}\n"
          "  - {key: pligt_selvbooking, name_da: \"Pligt til selvbooking\", source: \"001:11\"}\n");
    Write("contact_groups.yaml",
          "contact_groups:\n"
          "  - id: 4\n    names: [{name_da: Revalidering}]\n    source: \"001:20\"\n"
          "  - id: 5\n    names: [{name_da: For-revalidering}]\n    source: \"001:21\"\n");
    Write("visitation.yaml",
          "visitation_categories:\n  - {key: jobparat, name_da: Jobparat, contact_groups: [4], source: \"001:30\"}\n");
    Write("absences/016-ansaettelse.yaml", kAbsence);
    Write("registration_duty.yaml",
          "registration_duty:\n  - reason: 16\n    mode: must\n    rows: [{contact_groups: [4, 5], visitation: null}]\n"
          "    source: \"001:40\"\n");
    Write("bilag3.yaml", "bilag3:\n  - {reason: 16, jobnet: true, akasse: false, source: \"001:50\"}\n");
    Write("measure_exemptions.yaml",
          "measure_exemptions:\n  - benefit_group: revalidering\n    reasons: [{id: 16}]\n    source: \"001:60\"\n");
    Write("codelists.yaml", "codelists: []\n");
    Write("violations.yaml",
          "violations:\n  - {code: 2001, key: unknown_reason, message_da: x, message_en: y, source: \"001:1\"}\n");
    fs::copy_file(fs::path(DFDG_SOURCE_DIR) / "catalog" / "municipalities.csv", dir_ / "municipalities.csv");
    Write("registry_rules.yaml", "channel_rules: []\nderegistration: []\ninterview_types: []\n");
    Write("contact_course.yaml", "personkreds: []\ncodelists: []\n");
    Write("recipients.yaml", "recipient_kinds: []\nrecipients: []\n");
  }
  ~TempCatalog() { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::string dir() const { return dir_.string(); }

  static constexpr const char* kAbsence =
      "id: 16\n"
      "name_da: \"Ansættelse inden for 4 uger\"\n"
      "source: \"001:1028\"\n"
      "date_rules:\n"
      "  - text_da: \"D.d. - 7 dage\"\n"
      "    source: \"001:1029\"\n"
      "    backdate: 7d\n"
      "    max_duration: 4w\n"
      "rows:\n"
      "  - contact_groups: [4, 5]\n"
      "    visitation: null\n"
      "    mode: must\n"
      "    exempts: [kontaktforloeb, pligt_selvbooking]\n"
      "    legal_ref: \"Bekendtgørelse om en aktiv beskæftigelsesindsats § 40, nr. 5\"\n"
      "    source: \"001:1040\"\n";

 private:
  fs::path dir_;
  static inline int counter_ = 0;
};

std::string LoadError(const TempCatalog& temp) {
  auto loaded = Catalog::Load(temp.dir());
  EXPECT_FALSE(loaded.ok());
  if (loaded.ok()) return "";
  EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption);
  return loaded.status().message();
}

TEST(CatalogLoaderTest, LoadsAValidCatalogue) {
  TempCatalog temp;
  auto loaded = Catalog::Load(temp.dir());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Catalog& catalog = **loaded;
  EXPECT_EQ(catalog.version().size(), 16u);
  const Absence* a = catalog.FindAbsence(16);
  ASSERT_NE(a, nullptr);
  ASSERT_TRUE(a->bilag3.has_value());
  EXPECT_TRUE(a->bilag3->jobnet);
  LookupResult r = catalog.Lookup(16, 5, nullptr, MakeDate(2025, 1, 1));
  EXPECT_TRUE(r.allowed());
  ASSERT_EQ(r.exempts.size(), 2u);
  EXPECT_EQ(r.exempts[0]->key, "kontaktforloeb");
  EXPECT_FALSE(catalog.Lookup(16, 1, nullptr, MakeDate(2025, 1, 1)).allowed());
  EXPECT_EQ(catalog.Lookup(99, 4, nullptr, MakeDate(2025, 1, 1)).absence, nullptr);
}

TEST(CatalogLoaderTest, UnknownObligationIsRefusedWithFileAndLine) {
  TempCatalog temp;
  std::string text = TempCatalog::kAbsence;
  text.replace(text.find("pligt_selvbooking]"), 18, "pligt_selvbookin]");
  temp.Write("absences/016-ansaettelse.yaml", text);
  std::string error = LoadError(temp);
  EXPECT_NE(error.find("catalog/absences/016-ansaettelse.yaml:10: reason 16 row names unknown obligation "
                       "'pligt_selvbookin'"),
            std::string::npos)
      << error;
}

TEST(CatalogLoaderTest, UnknownContactGroupIsRefused) {
  TempCatalog temp;
  std::string text = TempCatalog::kAbsence;
  text.replace(text.find("[4, 5]"), 6, "[4, 9]");
  temp.Write("absences/016-ansaettelse.yaml", text);
  EXPECT_NE(LoadError(temp).find("016-ansaettelse.yaml:10: reason 16 row names unknown contact group 9"),
            std::string::npos);
}

TEST(CatalogLoaderTest, OverlappingRowValidityIsRefused) {
  TempCatalog temp;
  std::string text = TempCatalog::kAbsence;
  text +=
      "  - contact_groups: [5]\n    mode: must\n    exempts: []\n    valid_from: 2020-01-01\n"
      "    source: \"001:1041\"\n";
  temp.Write("absences/016-ansaettelse.yaml", text);
  EXPECT_NE(LoadError(temp).find("016-ansaettelse.yaml:16: reason 16: contact group 5 already has a row at line 10"),
            std::string::npos);
}

TEST(CatalogLoaderTest, NonOverlappingVersionsAreAccepted) {
  TempCatalog temp;
  std::string text = TempCatalog::kAbsence;
  text.replace(text.find("    source: \"001:1040\"\n"), 23, "    source: \"001:1040\"\n    valid_to: 2020-01-01\n");
  text +=
      "  - contact_groups: [4, 5]\n    mode: must\n    exempts: []\n    valid_from: 2020-01-01\n"
      "    source: \"001:1041\"\n";
  temp.Write("absences/016-ansaettelse.yaml", text);
  auto loaded = Catalog::Load(temp.dir());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->Lookup(16, 4, nullptr, MakeDate(2019, 12, 31)).exempts.size(), 2u);
  EXPECT_EQ((*loaded)->Lookup(16, 4, nullptr, MakeDate(2020, 1, 1)).exempts.size(), 0u);
  EXPECT_TRUE((*loaded)->Lookup(16, 4, nullptr, MakeDate(2020, 1, 1)).allowed());
}

TEST(CatalogLoaderTest, YamlSyntaxErrorNamesFileAndLine) {
  TempCatalog temp;
  temp.Write("obligations.yaml", "obligations:\n  - {key: a, name_da: \"x\", source: \"001:1\"\n  - oops: [\n");
  std::string error = LoadError(temp);
  EXPECT_NE(error.find("catalog/obligations.yaml:"), std::string::npos) << error;
  EXPECT_NE(error.find("YAML syntax error"), std::string::npos) << error;
}

TEST(CatalogLoaderTest, MissingSourceUnknownFieldAndBadDurationAreAllReported) {
  TempCatalog temp;
  std::string text = TempCatalog::kAbsence;
  text.replace(text.find("source: \"001:1028\"\n"), 19, "colour: blue\n");
  text.replace(text.find("backdate: 7d"), 12, "backdate: 7x");
  temp.Write("absences/016-ansaettelse.yaml", text);
  std::string error = LoadError(temp);
  EXPECT_NE(error.find("016-ansaettelse.yaml:3: unknown field 'colour'"), std::string::npos) << error;
  EXPECT_NE(error.find("missing field 'source'"), std::string::npos) << error;
  EXPECT_NE(error.find("016-ansaettelse.yaml:7: 'backdate': invalid duration '7x'"), std::string::npos) << error;
}

TEST(CatalogLoaderTest, SourceLinePastTheSeedIsRefused) {
  TempCatalog temp;
  std::string text = TempCatalog::kAbsence;
  text.replace(text.find("001:1040"), 8, "001:9999");
  temp.Write("absences/016-ansaettelse.yaml", text);
  EXPECT_NE(LoadError(temp).find("source 001:9999 is past the end of the seed"), std::string::npos);
}

TEST(CatalogLoaderTest, UnknownReasonInBilag3AndDutyIsRefused) {
  TempCatalog temp;
  temp.Write("bilag3.yaml", "bilag3:\n  - {reason: 17, jobnet: true, source: \"001:50\"}\n");
  EXPECT_NE(LoadError(temp).find("catalog/bilag3.yaml:2: bilag3 names unknown reason 17"), std::string::npos);
}

TEST(CatalogLoaderTest, MissingFileIsRefused) {
  TempCatalog temp;
  fs::remove(fs::path(temp.dir()) / "contact_groups.yaml");
  EXPECT_NE(LoadError(temp).find("catalog/contact_groups.yaml: file missing"), std::string::npos);
}

TEST(CatalogLoaderTest, BrokenCopyOfTheRealCatalogueIsRefused) {
  fs::path real = fs::path(DFDG_SOURCE_DIR) / "catalog";
  fs::path copy = fs::temp_directory_path() / ("dfdg_real_copy_" + std::to_string(::getpid()));
  fs::remove_all(copy);
  fs::copy(real, copy, fs::copy_options::recursive);
  {
    std::ofstream out(copy / "obligations.yaml", std::ios::app);
    out << "  - {key: kontaktforloeb, name_da: \"Kontaktforløb igen\", source: \"001:1041\"}\n";
  }
  auto loaded = Catalog::Load(copy.string());
  fs::remove_all(copy);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("catalog/obligations.yaml:"), std::string::npos);
  EXPECT_NE(loaded.status().message().find("obligation 'kontaktforloeb' defined twice"), std::string::npos)
      << loaded.status().message();
}

// Recipients of forwarded data (catalog/recipients.yaml): every recipient cites its seed lines and is of a
// declared kind; versions of one key do not overlap.
TEST(CatalogLoaderTest, RecipientWithoutSourceIsRefused) {
  TempCatalog temp;
  temp.Write("recipients.yaml",
             "recipient_kinds:\n"
             "  - {key: myndighed, name_da: Myndighed, name_en: Authority, addressed_by: id, source: \"001:70\"}\n"
             "recipients:\n"
             "  - {key: atp, name_da: ATP, name_en: ATP, kind: myndighed, legal_ref: \"§ 46\"}\n");
  const std::string message = LoadError(temp);
  EXPECT_NE(message.find("catalog/recipients.yaml:4: missing field 'source'"), std::string::npos) << message;
}

TEST(CatalogLoaderTest, RecipientOfUnknownKindOrWithOverlappingVersionsIsRefused) {
  TempCatalog temp;
  temp.Write("recipients.yaml",
             "recipient_kinds:\n"
             "  - {key: myndighed, name_da: Myndighed, name_en: Authority, addressed_by: id, source: \"001:70\"}\n"
             "recipients:\n"
             "  - {key: dst, name_da: DST, name_en: DST, kind: statistik, legal_ref: \"§ 46\", source: \"001:71\"}\n"
             "  - {key: dst, name_da: DST, name_en: DST, kind: myndighed, legal_ref: \"§ 46\", source: \"001:72\",\n"
             "     valid_to: 2020-01-01}\n");
  const std::string message = LoadError(temp);
  EXPECT_NE(message.find("catalog/recipients.yaml:4: recipient 'dst': unknown recipient kind 'statistik'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("catalog/recipients.yaml:5: recipient 'dst' is defined twice for overlapping validity"),
            std::string::npos)
      << message;
}

TEST(CatalogLoaderTest, RecipientsAreReadWithTheirValidity) {
  TempCatalog temp;
  temp.Write("recipients.yaml",
             "recipient_kinds:\n"
             "  - {key: myndighed, name_da: Myndighed, name_en: Authority, addressed_by: id, source: \"001:70\"}\n"
             "recipients:\n"
             "  - {key: dst, name_da: DST, name_en: DST, kind: myndighed, id: dst_old, legal_ref: \"§ 46\",\n"
             "     source: \"001:71\", valid_to: 2020-01-01}\n"
             "  - {key: dst, name_da: DST, name_en: DST, kind: myndighed, legal_ref: \"§ 46\", source: \"001:72\",\n"
             "     valid_from: 2020-01-01}\n");
  auto loaded = Catalog::Load(temp.dir());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Catalog& catalog = **loaded;
  ASSERT_NE(catalog.FindRecipient("dst", MakeDate(2019, 12, 31)), nullptr);
  EXPECT_EQ(catalog.FindRecipient("dst", MakeDate(2019, 12, 31))->id, "dst_old");
  ASSERT_NE(catalog.FindRecipient("dst", MakeDate(2020, 1, 1)), nullptr);
  EXPECT_EQ(catalog.FindRecipient("dst", MakeDate(2020, 1, 1))->id, "");
  EXPECT_EQ(catalog.FindRecipient("atp", std::nullopt), nullptr);
  ASSERT_NE(catalog.FindRecipientKind("myndighed"), nullptr);
  EXPECT_EQ(catalog.FindRecipientKind("myndighed")->addressed_by, Addressing::kFixed);
}

// The real catalogue's forwarding reads the recipients: without `atp` in catalog/recipients.yaml, the forward entry
// that names it is refused at its own file and line.
TEST(CatalogLoaderTest, ForwardToARecipientTheCatalogueLacksIsRefusedWithItsLine) {
  fs::path real = fs::path(DFDG_SOURCE_DIR) / "catalog";
  {
    auto loaded = Catalog::Load(real.string());
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    const Recipient* udb = (*loaded)->FindRecipient("ungedatabase", MakeDate(2025, 1, 1));
    ASSERT_NE(udb, nullptr);
    EXPECT_EQ(udb->kind, "udb");
    EXPECT_EQ(udb->id, "ungedatabasen");
    EXPECT_FALSE(udb->sources.empty());
  }
  fs::path copy = fs::temp_directory_path() / ("dfdg_real_recipients_" + std::to_string(::getpid()));
  fs::remove_all(copy);
  fs::copy(real, copy, fs::copy_options::recursive);
  std::string text;
  {
    std::ifstream in(copy / "recipients.yaml");
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const size_t at = text.find("  - key: atp\n");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("  - key: atp\n").size(), "  - key: atp_gone\n");
  std::ofstream(copy / "recipients.yaml") << text;
  // The line of the forward entry naming target atp.
  int line = 0;
  {
    std::ifstream in(copy / "records" / "employment_measure_company.yaml");
    std::string row;
    for (int n = 1; std::getline(in, row); ++n) {
      if (row.find("target: atp") != std::string::npos) line = n;
    }
  }
  auto loaded = Catalog::Load(copy.string());
  fs::remove_all(copy);
  ASSERT_GT(line, 0);
  ASSERT_FALSE(loaded.ok());
  const std::string expected = "catalog/records/employment_measure_company.yaml:" + std::to_string(line) +
                               ": record type 'employment_measure_company': forward target must be one of akasse, ";
  EXPECT_NE(loaded.status().message().find(expected), std::string::npos) << loaded.status().message();
  EXPECT_NE(loaded.status().message().find("got 'atp'"), std::string::npos) << loaded.status().message();
}

// A forward target is addressed by membership, municipality or its id: `atp` made a recipient of kind `citizen`
// (addressed by the person) is refused at the forward entry that names it.
TEST(CatalogLoaderTest, ForwardToARecipientOfKindCitizenIsRefused) {
  fs::path copy = fs::temp_directory_path() / ("dfdg_citizen_target_" + std::to_string(::getpid()));
  fs::remove_all(copy);
  fs::copy(fs::path(DFDG_SOURCE_DIR) / "catalog", copy, fs::copy_options::recursive);
  std::string text;
  {
    std::ifstream in(copy / "recipients.yaml");
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const size_t atp = text.find("  - key: atp\n");
  const size_t kind = atp == std::string::npos ? atp : text.find("    kind: myndighed\n", atp);
  ASSERT_NE(kind, std::string::npos);
  text.replace(kind, std::string("    kind: myndighed\n").size(), "    kind: citizen\n");
  std::ofstream(copy / "recipients.yaml", std::ios::trunc) << text;
  auto loaded = Catalog::Load(copy.string());
  fs::remove_all(copy);
  ASSERT_FALSE(loaded.ok());
  const std::string message = loaded.status().message();
  EXPECT_NE(message.find("catalog/records/employment_measure_company.yaml:"), std::string::npos) << message;
  EXPECT_NE(message.find("record type 'employment_measure_company': forward target 'atp' is of recipient kind "
                         "'citizen', addressed by person; a forward target must be of a kind addressed by "
                         "membership, municipality or id"),
            std::string::npos)
      << message;
}

// Date-rule mechanism: boundary pairs (the day at the limit accepted, one past it rejected).
TEST(DateRuleTest, BackdateFutureStartAndDurationBoundaries) {
  DateRule rule;
  rule.backdate = Duration{8, Duration::Unit::kWeeks, false};
  rule.max_future_start = Duration{30, Duration::Unit::kDays, false};
  rule.max_duration = Duration{16, Duration::Unit::kMonths, false};
  rule.not_before_last_interview = true;
  Date today = MakeDate(2025, 3, 1);
  DatedRegistration reg{today, MakeDate(2025, 1, 4), MakeDate(2026, 5, 3), std::nullopt, false, std::nullopt};
  EXPECT_TRUE(CheckDateRule(rule, reg).empty());
  reg.start = MakeDate(2025, 1, 3);
  reg.end = MakeDate(2026, 5, 2);
  EXPECT_EQ(CheckDateRule(rule, reg), std::vector<DateViolation>{DateViolation::kStartTooEarly});
  reg.start = MakeDate(2025, 3, 31);
  reg.end = MakeDate(2026, 7, 30);
  EXPECT_TRUE(CheckDateRule(rule, reg).empty());
  reg.end = MakeDate(2026, 7, 31);
  EXPECT_EQ(CheckDateRule(rule, reg), std::vector<DateViolation>{DateViolation::kTooLong});
  reg.end = MakeDate(2026, 7, 30);
  reg.start = MakeDate(2025, 4, 1);
  EXPECT_EQ(CheckDateRule(rule, reg), std::vector<DateViolation>{DateViolation::kStartTooLate});
  reg.start = MakeDate(2025, 2, 10);
  reg.end = MakeDate(2025, 6, 1);
  reg.last_interview = MakeDate(2025, 2, 10);
  EXPECT_TRUE(CheckDateRule(rule, reg).empty());
  reg.last_interview = MakeDate(2025, 2, 11);
  EXPECT_EQ(CheckDateRule(rule, reg), std::vector<DateViolation>{DateViolation::kStartBeforeLastInterview});
}

TEST(DateRuleTest, EndAndCommentRequirements) {
  DateRule rule;
  rule.end_date_required = true;
  rule.comment_required = true;
  DatedRegistration reg{MakeDate(2025, 3, 1), MakeDate(2025, 3, 1), std::nullopt, std::nullopt, false, std::nullopt};
  EXPECT_EQ(CheckDateRule(rule, reg),
            (std::vector<DateViolation>{DateViolation::kEndMissing, DateViolation::kCommentMissing}));
  reg.end = MakeDate(2025, 2, 28);
  reg.has_comment = true;
  EXPECT_EQ(CheckDateRule(rule, reg), std::vector<DateViolation>{DateViolation::kEndBeforeStart});
  reg.end = MakeDate(2025, 3, 1);
  EXPECT_TRUE(CheckDateRule(rule, reg).empty());
  DateRule unlimited;
  unlimited.backdate = Duration{0, Duration::Unit::kDays, true};
  DatedRegistration old{MakeDate(2025, 3, 1), MakeDate(1990, 1, 1), std::nullopt, std::nullopt, false, std::nullopt};
  EXPECT_TRUE(CheckDateRule(unlimited, old).empty());
}

}  // namespace
}  // namespace dfdg::catalog
