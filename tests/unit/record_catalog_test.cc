// Declared record types (catalog/records/): the loader reads the real declarations, and refuses broken ones
// with file and line — on a copy of the real catalogue with one record-type file added.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "catalog/catalog.h"
#include "catalog_copy.h"

namespace dfdg::catalog {
namespace {
namespace fs = std::filesystem;

// A copy of the real catalogue that reports why it cannot be loaded.
class CatalogCopy : public testing_util::CatalogCopy {
 public:
  CatalogCopy() : testing_util::CatalogCopy("records") {}
  std::string Error() {
    auto loaded = Load();
    EXPECT_FALSE(loaded.ok());
    return loaded.ok() ? "" : loaded.status().message();
  }
};

// A valid declaration using every field type; tests break one line of it at a time.
constexpr const char* kValid = R"(key: sample
name_da: "Prøve"
name_en: "Sample"
chapter: 12
legal_ref: "§ 54"
source: "000:1798"
period: {start: start, end: end, overlap: forbidden, backdate: 4w, source: "000:1798"}
scope:
  - {contact_groups: [2], visitation: jobparat, mode: must, source: "000:1798"}
  - {contact_groups: all, mode: may, source: "000:1798"}
actors:
  - {channel: jobcenter, may: [create, change, correct, delete, read], source: "000:1798"}
  - {channel: citizen, may: [read], source: "000:1798"}
fields:
  - {key: kind, name_da: "Type", name_en: "Kind", type: code, code_list: kinds, required: true, source: "000:1800"}
  - {key: name, name_da: "Navn", name_en: "Name", type: text, max_length: 40, source: "000:1802"}
  - {key: start, name_da: "Start", name_en: "Start", type: date, required: true, source: "000:1808"}
  - {key: end, name_da: "Slut", name_en: "End", type: date, source: "000:1810"}
  - {key: hours, name_da: "Timer", name_en: "Hours", type: decimal, min: 0, max: 37.5, source: "000:1798"}
  - {key: count, name_da: "Antal", name_en: "Count", type: int, min: 1, max: 9, required_for: [jobcenter], source: "000:1798"}
  - key: contacts
    name_da: "Kontakter"
    name_en: "Contacts"
    type: list
    max_items: 3
    source: "000:1798"
    items:
      - {key: email, name_da: "E-mail", name_en: "E-mail", type: text, max_length: 100, required: true, source: "000:1804"}
      - {key: cvr, name_da: "CVR", name_en: "CVR", type: cvr, source: "000:1798"}
citizen_view: {fields: [kind, start, end], source: "000:1812"}
codelists:
  - key: kinds
    name_da: "Typer"
    source: "000:1782"
    codes:
      - {key: jobformidler, name_da: "Personlig jobformidler", source: "000:1786"}
      - {key: gammel, name_da: "Gammel", valid_to: 2025-07-01, source: "000:1786"}
)";

std::string With(const std::string& from, const std::string& to) {
  std::string text = kValid;
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(RecordCatalogTest, RealDeclarationsLoad) {
  auto loaded = Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const RecordType* referral = (*loaded)->FindRecordType("referral");
  ASSERT_NE(referral, nullptr);
  EXPECT_EQ(referral->chapter, 13);
  EXPECT_EQ(referral->id_field, "referral_id");
  ASSERT_TRUE(referral->period.has_value());
  EXPECT_EQ(referral->period->end_field, "end");
  RecordCommandRef command = (*loaded)->FindRecordCommand("correct_referral");
  EXPECT_EQ(command.type, referral);
  EXPECT_EQ(command.action, RecordAction::kCorrect);
  EXPECT_EQ((*loaded)->FindRecordCommand("register_absence").type, nullptr);
  ASSERT_NE((*loaded)->FindRecordType("health_limitation"), nullptr);
}

TEST(RecordCatalogTest, EveryFieldTypeAndDefaultsLoad) {
  CatalogCopy copy;
  copy.Write("records/sample.yaml", kValid);
  auto loaded = copy.Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const RecordType* t = (*loaded)->FindRecordType("sample");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->commands[0], "create_sample");
  EXPECT_EQ(t->commands[3], "delete_sample");
  EXPECT_EQ(t->id_field, "sample_id");
  EXPECT_FALSE(t->period->overlap_allowed);
  ASSERT_EQ(t->fields.size(), 7u);
  EXPECT_EQ(t->fields[4].type, FieldType::kDecimal);
  EXPECT_DOUBLE_EQ(*t->fields[4].max, 37.5);
  EXPECT_TRUE(t->fields[5].RequiredFor(Channel::kJobcenter));
  EXPECT_FALSE(t->fields[5].RequiredFor(Channel::kAkasse));
  ASSERT_EQ(t->fields[6].items.size(), 2u);
  EXPECT_EQ(t->scope[1].all_contact_groups, true);
  // Codes are effective-dated: "gammel" is valid before 2025-07-01 only.
  EXPECT_NE((*loaded)->FindRecordCode(*t, "kinds", "gammel", MakeDate(2025, 6, 30)), nullptr);
  EXPECT_EQ((*loaded)->FindRecordCode(*t, "kinds", "gammel", MakeDate(2025, 7, 1)), nullptr);
  EXPECT_EQ((*loaded)->RecordCodeKeys(*t, "kinds", MakeDate(2025, 7, 1)), std::vector<std::string>{"jobformidler"});
  EXPECT_NE((*loaded)->FindRecordCommand("change_sample").type, nullptr);
}

TEST(RecordCatalogTest, AkasseDeclarationsShareTheAkasseCodes) {
  auto loaded = Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const RecordType* membership = (*loaded)->FindRecordType("akasse_membership");
  const RecordType* consumption = (*loaded)->FindRecordType("dagpenge_consumption");
  ASSERT_NE(membership, nullptr);
  ASSERT_NE(consumption, nullptr);
  // Members need not be in a contact group (`contact_groups: any`).
  ASSERT_FALSE(membership->scope.empty());
  EXPECT_TRUE(membership->scope[0].any_person);
  // The counters name the membership type's list of a-kasse codes.
  Date day = MakeDate(2025, 9, 1);
  EXPECT_TRUE(consumption->codelists.empty());
  EXPECT_NE((*loaded)->FindRecordCode(*consumption, "akasse_codes", "10", day), nullptr);
  EXPECT_EQ((*loaded)->FindRecordCode(*consumption, "akasse_codes", "23", day), nullptr);
  EXPECT_EQ((*loaded)->RecordCodeKeys(*consumption, "akasse_codes", day).size(), 22u);
  for (const char* counter :
       {"dagpenge_placement", "reference_period", "dagpenge_rate", "dagpenge_consumption", "dagpenge_expiry",
        "employment_account", "replacement_account", "supplementary_dagpenge", "karens_counter", "karens_served",
        "period_shortening", "graduate_reduced_rate", "employment_supplement"}) {
    const RecordType* t = (*loaded)->FindRecordType(counter);
    ASSERT_NE(t, nullptr) << counter;
    EXPECT_EQ(t->chapter, 18) << counter;
    EXPECT_GE(t->FieldIndex("computation_date"), 0) << counter;
    EXPECT_GE(t->FieldIndex("correction_from"), 0) << counter;
  }
}

TEST(RecordCatalogTest, AnyPersonScopeAndSharedCodeListLoad) {
  CatalogCopy copy;
  std::string text = kValid;
  text.replace(text.find("contact_groups: all"), 19, "contact_groups: any");
  text.replace(text.find("type: text, max_length: 40"), 26, "type: code, code_list: akasse_codes");
  copy.Write("records/sample.yaml", text);
  auto loaded = copy.Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const RecordType* t = (*loaded)->FindRecordType("sample");
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->scope[1].any_person);
  EXPECT_TRUE(t->scope[1].all_contact_groups);
  EXPECT_FALSE(t->scope[0].any_person);
  EXPECT_NE((*loaded)->FindRecordCode(*t, "akasse_codes", "01", MakeDate(2025, 1, 1)), nullptr);
}

struct Broken {
  std::string from, to, message;
};

class RecordCatalogBrokenTest : public ::testing::TestWithParam<Broken> {};

TEST_P(RecordCatalogBrokenTest, IsRefusedWithFileAndLine) {
  CatalogCopy copy;
  copy.Write("records/sample.yaml", With(GetParam().from, GetParam().to));
  std::string error = copy.Error();
  EXPECT_NE(error.find(GetParam().message), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(
    Declarations, RecordCatalogBrokenTest,
    ::testing::Values(
        Broken{"type: decimal", "type: money", "catalog/records/sample.yaml:19: unknown field type 'money'"},
        Broken{"overlap: forbidden", "overlap: never", "catalog/records/sample.yaml:7: overlap must be"},
        Broken{"max_length: 40, ", "",
               "catalog/records/sample.yaml:16: record type 'sample': field 'name': a text field needs max_length"},
        Broken{"type: date, required: true", "type: date, max_length: 3, required: true",
               "sample.yaml:17: record type 'sample': field 'start': max_length is only for text"},
        Broken{"code_list: kinds", "code_list: sorts",
               "sample.yaml:15: record type 'sample': field 'kind': unknown code list 'sorts'"},
        Broken{"min: 1, max: 9", "min: 1.5, max: 9",
               "sample.yaml:20: record type 'sample': field 'count': an int field needs integer bounds"},
        Broken{"min: 0, max: 37.5", "min: 40, max: 37.5",
               "sample.yaml:19: record type 'sample': field 'hours': min is greater than max"},
        Broken{"max_items: 3", "max_items: 0",
               "sample.yaml:21: record type 'sample': field 'contacts': a list field needs max_items"},
        Broken{"key: name,", "key: actor,",
               "sample.yaml:16: record type 'sample': field 'actor' is a reserved command field"},
        Broken{"key: end, name_da", "key: name, name_da",
               "sample.yaml:18: record type 'sample': field 'name' defined twice"},
        Broken{"period: {start: start, end: end", "period: {start: start, end: slut",
               "sample.yaml:7: record type 'sample': period end names unknown field 'slut'"},
        Broken{"period: {start: start", "period: {start: name",
               "sample.yaml:7: record type 'sample': period start field 'name' is no date"},
        Broken{"contact_groups: [2], visitation: jobparat", "contact_groups: [12], visitation: jobparat",
               "sample.yaml:9: record type 'sample': visitation category 'jobparat' is not used for contact group 12"},
        Broken{"contact_groups: [2], visitation", "contact_groups: [9], visitation",
               "sample.yaml:9: record type 'sample': scope names unknown contact group 9"},
        Broken{"mode: may", "mode: perhaps", "sample.yaml:10: mode must be 'must' or 'may'"},
        Broken{"{channel: citizen, may: [read]", "{channel: jobcenter, may: [read]",
               "sample.yaml:13: record type 'sample': actor jobcenter is declared twice"},
        Broken{"may: [create, change, correct, delete, read]", "may: [change, read]",
               "sample.yaml:1: record type 'sample': no actor may create it"},
        Broken{"may: [read]", "may: [look]", "sample.yaml:13: unknown action 'look'"},
        Broken{"required_for: [jobcenter]", "required_for: [akasse]",
               "sample.yaml:20: record type 'sample': field 'count' is required for akasse, which is no actor"},
        Broken{"fields: [kind, start, end]", "fields: [kind, navn]",
               "sample.yaml:30: record type 'sample': citizen_view names unknown field 'navn'"},
        Broken{"source: \"000:1812\"", "source: \"000:99999\"",
               "sample.yaml:30: source 000:99999 is past the end of the seed"},
        Broken{"key: gammel", "key: jobformidler",
               "sample.yaml:32: record type 'sample': code 'jobformidler' of 'kinds' has overlapping versions"},
        Broken{"chapter: 12", "chapter: 12\ncolour: red", "sample.yaml:5: unknown field 'colour' in record type"},
        Broken{"key: sample", "key: referral", "record type 'referral' defined twice"},
        Broken{"  - key: kinds\n", "  - key: akasse_codes\n",
               "sample.yaml:32: code list 'akasse_codes' is also declared by catalog/records/akasse_membership.yaml"},
        Broken{"codelists:", "forward: [{target: kommune, text_da: \"Kommunen\", source: \"000:1798\"}]\ncodelists:",
               "sample.yaml:31: record type 'sample': forward target must be one of akasse, jobcenter"},
        Broken{"codelists:",
               "forward: [{target: akasse, when: {field: navn, codes: [a]}, text_da: \"A\", source: \"000:1798\"}]\n"
               "codelists:",
               "sample.yaml:31: record type 'sample': forward 'when' names unknown field 'navn'"},
        Broken{"codelists:",
               "forward: [{target: stil, fields: [kind, navn], text_da: \"S\", source: \"000:1798\"}]\ncodelists:",
               "sample.yaml:31: record type 'sample': forward names unknown field 'navn'"},
        Broken{"codelists:",
               "forward: [{target: stil, age_below: 0, text_da: \"S\", source: \"000:1798\"}]\ncodelists:",
               "sample.yaml:31: record type 'sample': age_below must be 1-150"},
        Broken{"codelists:",
               "forward: [{target: atp, period_overlaps: {from: 2010-01-01}, text_da: \"A\", source: \"000:1798\"}]\n"
               "codelists:",
               "sample.yaml:31: period_overlaps needs 'from' and 'to'"},
        Broken{"legal_ref: \"§ 54\"", "legal_ref: \"§ 54\"\ncommands: {create: register_referral}",
               "command 'register_referral' is also declared by catalog/records/referral.yaml:3"}));

}  // namespace
}  // namespace dfdg::catalog
