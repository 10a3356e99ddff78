// The automation rules of catalog/automation.yaml: a broken entry is refused with its line, and the real
// catalogue loads with every rule cited.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "automation/rules.h"
#include "registry/record.h"
#include "automation_catalog.h"

namespace dfdg {
namespace {
namespace fs = std::filesystem;
using automation_test_support::Catalog;
using automation_test_support::Rules;

TEST(AutomationRules, ABrokenRuleFileIsRefusedWithItsLine) {
  fs::path dir = fs::temp_directory_path() / ("dfdg-automation-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "automation.yaml") << "triggers:\n"
                                            "  - key: t1\n"
                                            "    event: contact_group_set\n"
                                            "    contact_groups: [77]\n"
                                            "    action: explode\n"
                                            "    reason: 75\n"
                                            "    legal_ref: x\n"
                                            "    source: \"002:999999\"\n";
  auto loaded = automation::Rules::Load(dir.string(), *Catalog());
  fs::remove_all(dir);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption);
  const std::string text = loaded.status().message();
  EXPECT_NE(text.find("unknown trigger action 'explode'"), std::string::npos) << text;
  EXPECT_NE(text.find("unknown contact group 77"), std::string::npos) << text;
  EXPECT_NE(text.find("002:999999"), std::string::npos) << text;
  EXPECT_NE(text.find("automation.yaml:2"), std::string::npos) << text;
  EXPECT_EQ(automation::Rules::Load("/nonexistent", *Catalog()).status().code(), Status::Code::kNotFound);
}

// The a-kasse's messages (M8, M13): a rule naming a command that is not built in, an unknown channel, a recipient
// the event does not build, or a counter type without an a-kasse code is refused with its line.
TEST(AutomationRules, ABrokenAkasseMessageRuleIsRefusedWithItsLine) {
  fs::path dir = fs::temp_directory_path() / ("dfdg-automation-akasse-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "automation.yaml") << "notifications:\n"
                                            "  - key: m8\n"
                                            "    type: akasse_registrering\n"
                                            "    event: builtin_registered\n"
                                            "    commands: [create_summons, summon_everybody]\n"
                                            "    channels: [akasse, telegraph]\n"
                                            "    recipient: akasse\n"
                                            "    legal_ref: x\n"
                                            "    source: \"000:2938\"\n"
                                            "  - key: m13\n"
                                            "    type: taeller_anden_akasse\n"
                                            "    event: counter_by_other_akasse\n"
                                            "    record_types: [dagpenge_consumption, referral]\n"
                                            "    recipient: akasse\n"
                                            "    legal_ref: x\n"
                                            "    source: \"000:2198\"\n";
  auto loaded = automation::Rules::Load(dir.string(), *Catalog());
  fs::remove_all(dir);
  ASSERT_FALSE(loaded.ok());
  const std::string text = loaded.status().message();
  EXPECT_NE(text.find("unknown built-in command 'summon_everybody'"), std::string::npos) << text;
  EXPECT_EQ(text.find("unknown built-in command 'create_summons'"), std::string::npos) << text;
  EXPECT_NE(text.find("unknown channel 'telegraph'"), std::string::npos) << text;
  EXPECT_NE(text.find("builtin_registered to an a-kasse names one record type"), std::string::npos) << text;
  EXPECT_NE(text.find("referral has no field 'akasse_code'"), std::string::npos) << text;
  EXPECT_EQ(text.find("dagpenge_consumption has no field"), std::string::npos) << text;
  EXPECT_NE(text.find("automation.yaml:2"), std::string::npos) << text;
  EXPECT_NE(text.find("automation.yaml:10"), std::string::npos) << text;
}

// A rule to an authority or the youth database names a recipient of catalog/recipients.yaml of that kind by its id.
TEST(AutomationRules, ARecipientIdTheCatalogueLacksIsRefused) {
  fs::path dir = fs::temp_directory_path() / ("dfdg-automation-recipient-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "automation.yaml") << "notifications:\n"
                                            "  - key: to_udk\n"
                                            "    type: kontaktgruppe_fleksjob\n"
                                            "    event: contact_group_changed\n"
                                            "    contact_groups: [7, 10]\n"
                                            "    recipient: myndighed\n"
                                            "    recipient_id: udbetaling_danmark\n"
                                            "    legal_ref: x\n"
                                            "    source: \"000:1634\"\n"
                                            "  - key: to_udk_by_another_name\n"
                                            "    type: kontaktgruppe_fleksjob\n"
                                            "    event: contact_group_changed\n"
                                            "    contact_groups: [7, 10]\n"
                                            "    recipient: myndighed\n"
                                            "    recipient_id: udk\n"
                                            "    legal_ref: x\n"
                                            "    source: \"000:1634\"\n"
                                            "  - key: to_udb_as_authority\n"
                                            "    type: kontaktgruppe_fleksjob\n"
                                            "    event: contact_group_changed\n"
                                            "    contact_groups: [7, 10]\n"
                                            "    recipient: myndighed\n"
                                            "    recipient_id: ungedatabasen\n"
                                            "    legal_ref: x\n"
                                            "    source: \"000:1634\"\n";
  auto loaded = automation::Rules::Load(dir.string(), *Catalog());
  fs::remove_all(dir);
  ASSERT_FALSE(loaded.ok());
  const std::string text = loaded.status().message();
  EXPECT_EQ(text.find("automation.yaml:2"), std::string::npos) << text;
  EXPECT_NE(text.find("automation.yaml:10: recipient_id 'udk' is no myndighed recipient of catalog/recipients.yaml"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("automation.yaml:18: recipient_id 'ungedatabasen' is no myndighed recipient"), std::string::npos)
      << text;
}

// A rule's recipient is a recipient kind of catalog/recipients.yaml or the keyword `declared`: an unknown one is
// refused with the catalogue's kinds, and a kind added to a copy of the catalogue is taken with that copy.
TEST(AutomationRules, TheRecipientKindsAreTheCataloguesOwn) {
  fs::path dir = fs::temp_directory_path() / ("dfdg-automation-kinds-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::copy(fs::path(DFDG_SOURCE_DIR) / "catalog", dir / "catalog", fs::copy_options::recursive);
  std::ifstream in(dir / "catalog" / "recipients.yaml");
  std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string anchor = "recipient_kinds:\n";
  const size_t at = yaml.find(anchor);
  ASSERT_NE(at, std::string::npos);
  yaml.insert(at + anchor.size(),
              "  - {key: bank, name_da: \"Bank\", name_en: \"Bank\", addressed_by: id, source: \"000:1606\"}\n");
  std::ofstream(dir / "catalog" / "recipients.yaml", std::ios::trunc) << yaml;
  auto with_bank = catalog::Catalog::Load((dir / "catalog").string());
  ASSERT_TRUE(with_bank.ok()) << with_bank.status().ToString();
  std::ofstream(dir / "automation.yaml") << "notifications:\n"
                                            "  - key: to_bank\n"
                                            "    type: kontaktgruppe\n"
                                            "    event: contact_group_changed\n"
                                            "    contact_groups: [7]\n"
                                            "    recipient: bank\n"
                                            "    legal_ref: x\n"
                                            "    source: \"000:1634\"\n";
  auto accepted = automation::Rules::Load(dir.string(), **with_bank);
  auto refused = automation::Rules::Load(dir.string(), *Catalog());
  fs::remove_all(dir);
  EXPECT_TRUE(accepted.ok()) << accepted.status().ToString();
  ASSERT_FALSE(refused.ok());
  const std::string text = refused.status().message();
  EXPECT_NE(text.find("automation.yaml:2: unknown recipient 'bank' ("), std::string::npos) << text;
  ASSERT_FALSE(Catalog()->model().recipient_kinds.empty());
  for (const catalog::RecipientKind& k : Catalog()->model().recipient_kinds) {
    EXPECT_NE(text.find(k.key + ", "), std::string::npos) << k.key << " missing from: " << text;
  }
  EXPECT_NE(text.find("or declared"), std::string::npos) << text;
}

TEST(AutomationRules, AFactForwardingWithUnknownKeysIsRefused) {
  fs::path dir = fs::temp_directory_path() / ("dfdg-automation-ff-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "automation.yaml") << "notifications:\n"
                                            "  - key: n1\n"
                                            "    type: x\n"
                                            "    event: fact_forwarded\n"
                                            "    recipient: akasse\n"
                                            "    forward:\n"
                                            "      fact_kind: weather\n"
                                            "      changes: [oprettet, exploded]\n"
                                            "      kinds: [tea_party]\n"
                                            "      fields: {a: somewhere}\n"
                                            "    legal_ref: x\n"
                                            "    source: \"000:822\"\n"
                                            "  - key: n2\n"
                                            "    type: x\n"
                                            "    event: fact_forwarded_somehow\n"
                                            "    recipient: akasse\n"
                                            "    legal_ref: x\n"
                                            "    source: \"000:822\"\n";
  auto loaded = automation::Rules::Load(dir.string(), *Catalog());
  fs::remove_all(dir);
  ASSERT_FALSE(loaded.ok());
  const std::string text = loaded.status().message();
  for (const char* expected :
       {"unknown fact_kind 'weather'", "unknown change 'exploded'", "unknown interview or meeting type 'tea_party'",
        "unknown field source 'somewhere'", "unknown notification event 'fact_forwarded_somehow'"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

// § 133 stk. 3: a lookup names a declared record type and its fields; recipient kommune goes with a lookup only.
TEST(AutomationRules, ALookupRuleWithUnknownPartsIsRefused) {
  fs::path dir = fs::temp_directory_path() / ("dfdg-automation-lookup-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "automation.yaml") << "notifications:\n"
                                            "  - key: l1\n"
                                            "    type: raskmelding\n"
                                            "    event: fact_forwarded\n"
                                            "    recipient: kommune\n"
                                            "    forward:\n"
                                            "      fact_kind: absence\n"
                                            "      changes: [afsluttet]\n"
                                            "      codes: [11, 999]\n"
                                            "      lookup: {record_type: sickness_lookup, id_field: absence_uuid,\n"
                                            "               recipient_field: municipality}\n"
                                            "    legal_ref: x\n"
                                            "    source: \"000:4214\"\n"
                                            "  - key: l2\n"
                                            "    type: raskmelding\n"
                                            "    event: fact_forwarded\n"
                                            "    recipient: kommune\n"
                                            "    forward: {fact_kind: absence, changes: [afsluttet]}\n"
                                            "    legal_ref: x\n"
                                            "    source: \"000:4214\"\n"
                                            "  - key: l3\n"
                                            "    type: raskmelding\n"
                                            "    event: contact_group_changed\n"
                                            "    recipient: kommune\n"
                                            "    legal_ref: x\n"
                                            "    source: \"000:4214\"\n";
  auto loaded = automation::Rules::Load(dir.string(), *Catalog());
  fs::remove_all(dir);
  ASSERT_FALSE(loaded.ok());
  const std::string text = loaded.status().message();
  for (const char* expected : {"unknown absence reason 999", "unknown field 'absence_uuid' of sickness_lookup",
                               "fact_forwarded is built for recipient akasse, and kommune with a 'lookup'",
                               "recipient 'kommune' is built for fact_forwarded"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  EXPECT_EQ(text.find("unknown absence reason 11"), std::string::npos) << text;
  EXPECT_EQ(text.find("unknown field 'municipality'"), std::string::npos) << text;
}

// convert_contact_group_at_age `also_set` (decision 0042): each key is checked when the catalogue loads — the record
// type, its field and code, and that channel dfdg may change the type.
TEST(AutomationRules, AnAlsoSetWithUnknownKeysIsRefused) {
  fs::path dir = fs::temp_directory_path() / ("dfdg-automation-also-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "automation.yaml")
      << "daily:\n"
         "  - key: d1\n"
         "    action: convert_contact_group_at_age\n"
         "    from_group: 12\n"
         "    to_group: 2\n"
         "    age: 30\n"
         "    also_set: {record_type: min_plan, field: plan_status, code: sleeping, source: \"002:428\"}\n"
         "    legal_ref: x\n"
         "    source: \"002:424\"\n"
         "  - key: d2\n"
         "    action: convert_contact_group_at_age\n"
         "    from_group: 12\n"
         "    to_group: 2\n"
         "    age: 30\n"
         "    also_set: {record_type: min_plan, field: mood, code: inaktiv}\n"
         "    legal_ref: x\n"
         "    source: \"002:424\"\n"
         "  - key: d3\n"
         "    action: convert_contact_group_at_age\n"
         "    from_group: 12\n"
         "    to_group: 2\n"
         "    age: 30\n"
         "    also_set: {record_type: min_plans, field: plan_status, code: inaktiv, source: \"002:428\"}\n"
         "    legal_ref: x\n"
         "    source: \"002:424\"\n"
         "  - key: d4\n"
         "    action: convert_contact_group_at_age\n"
         "    from_group: 12\n"
         "    to_group: 2\n"
         "    age: 30\n"
         "    also_set: {record_type: udb_education_event, field: event_type, code: gennemfoerelse, source: "
         "\"002:428\"}\n"
         "    legal_ref: x\n"
         "    source: \"002:424\"\n";
  auto loaded = automation::Rules::Load(dir.string(), *Catalog());
  fs::remove_all(dir);
  ASSERT_FALSE(loaded.ok());
  const std::string text = loaded.status().message();
  for (const char* expected : {"unknown code 'sleeping' of min_plan.plan_status", "unknown field 'mood' of min_plan",
                               "'also_set' needs its 'source'", "unknown record type 'min_plans'",
                               "record type 'udb_education_event' has no change that channel dfdg may make"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  EXPECT_EQ(text.find("min_plan' has no change"), std::string::npos) << text;
}

// The move codes' `end_field` (seed 002 §1.2, the contract's end date): a field that is not a date field of the
// contract's record type, or an end_field without move codes, is refused with its line.
TEST(AutomationRules, AMoveCodeEndFieldMustBeADateFieldOfTheContract) {
  fs::path dir = fs::temp_directory_path() / ("dfdg-automation-end-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "automation.yaml")
      << "notifications:\n"
         "  - key: t8\n"
         "    type: flyttebesked\n"
         "    event: municipality_changed\n"
         "    recipient: jobcenter\n"
         "    record_types: [min_plan]\n"
         "    field: integration_contract\n"
         "    end_field: job_goal\n"
         "    move_codes:\n"
         "      - {contact_group: 19, moving_in: 69, moving_out: 70, name_in: a, name_out: b, "
         "source: \"002:213\"}\n"
         "    legal_ref: x\n"
         "    source: \"002:143\"\n"
         "  - key: m9\n"
         "    type: flytning_plan\n"
         "    event: municipality_changed\n"
         "    recipient: jobcenter\n"
         "    record_types: [min_plan]\n"
         "    end_field: integration_contract_end\n"
         "    legal_ref: x\n"
         "    source: \"000:1540\"\n";
  auto loaded = automation::Rules::Load(dir.string(), *Catalog());
  fs::remove_all(dir);
  ASSERT_FALSE(loaded.ok());
  const std::string text = loaded.status().message();
  EXPECT_NE(text.find("'end_field' must name a date field of min_plan; got 'job_goal'"), std::string::npos) << text;
  EXPECT_NE(text.find("'end_field' belongs to move codes"), std::string::npos) << text;
  EXPECT_NE(text.find("automation.yaml:2"), std::string::npos) << text;
  EXPECT_NE(text.find("automation.yaml:13"), std::string::npos) << text;
}

TEST(AutomationRules, TheRealCatalogueLoadsWithEveryRuleCited) {
  ASSERT_NE(Rules(), nullptr);
  std::set<std::string> keys;
  for (const auto& t : Rules()->triggers) keys.insert(t.cause.rule);
  EXPECT_EQ(keys, (std::set<std::string>{"r75_inactivate_on_contact_group", "r75_inactivate_registered_after_the_fact",
                                         "r75_end_on_akasse_change", "r75_annul_jobcentre_course_on_return_to_kg1",
                                         "r11_deregister_jobseeker", "r11_deregister_on_sickness_benefit",
                                         "akasse_choice_reset_on_interview", "akasse_choice_reset_on_kg1_placement",
                                         "akasse_choice_reset_on_akasse_change"}));
  std::set<std::string> daily;
  for (const auto& d : Rules()->daily) daily.insert(d.cause.rule);
  EXPECT_EQ(daily, (std::set<std::string>{
                       "deregister_on_start_date", "kg12_to_2_at_30", "kg28_to_26_at_30", "reregister_at_recovery",
                       "delete_contact_persons_6_months", "contact_groups_closed_2025_07_01",
                       "reregister_sickness_while_sick", "udb_subscription", "akasse_contact_course_start",
                       "delete_preparation_forms_submitted", "delete_preparation_forms_unfinished",
                       "delete_preparation_forms_rehabilitation", "end_markings_at_project_closing"}));
  // The sickness table's rows cite their own lines.
  for (const auto& t : Rules()->triggers) {
    for (const auto& row : t.rows) EXPECT_FALSE(row.sources.empty()) << t.cause.rule;
  }
  for (const auto& t : Rules()->triggers) EXPECT_FALSE(t.cause.sources.empty()) << t.cause.rule;
  for (const auto& d : Rules()->daily) EXPECT_FALSE(d.cause.sources.empty()) << d.cause.rule;
  for (const auto& n : Rules()->notifications) EXPECT_FALSE(n.cause.sources.empty()) << n.cause.rule;
}

// Every outbox message carries its rule's cause as JSON, built once when the rules are read: it is the JSON of
// the rule's key, legal reference and seed lines, the same as one built from those afresh.
TEST(AutomationRules, TheCauseJsonBuiltAtLoadIsTheRulesOwn) {
  ASSERT_NE(Rules(), nullptr);
  ASSERT_FALSE(Rules()->notifications.empty());
  for (const auto& n : Rules()->notifications) {
    automation::Cause fresh = n.cause;
    fresh.json.clear();
    ASSERT_FALSE(n.cause.json.empty()) << n.cause.rule;
    EXPECT_EQ(n.cause.json, automation::CauseJson(*Catalog(), fresh)) << n.cause.rule;
    auto parsed = nlohmann::json::parse(n.cause.json);
    EXPECT_EQ(parsed["rule"], n.cause.rule);
    EXPECT_EQ(parsed["legal_ref"], n.cause.legal_ref);
    EXPECT_EQ(parsed["source"].size(), n.cause.sources.size()) << n.cause.rule;
  }
  for (const auto& t : Rules()->triggers) EXPECT_FALSE(t.cause.json.empty()) << t.cause.rule;
}

// The forwarded messages' payloads are written straight to text (notify/record_forwarding.cc); their strings must
// be the bytes nlohmann::json's dump() writes, which the stored messages had before: every control character,
// the quote and the backslash, and UTF-8 (Danish letters, the section sign) kept as it is.
TEST(AutomationRules, PayloadStringsAreWrittenAsJsonDumpsThem) {
  std::vector<std::string> texts = {"", "plain", "§ 46 stk. 1, nr. 2", "æøå ÆØÅ – \u00e9\u2028", "a\"b\\c/d\x7f"};
  std::string controls;
  for (int c = 1; c < 0x20; ++c) controls.push_back(static_cast<char>(c));
  texts.push_back(controls);
  texts.push_back(std::string("nul\0inside", 10));
  for (const std::string& text : texts) {
    std::string written;
    registry::AppendJsonString(&written, text);
    EXPECT_EQ(written, nlohmann::ordered_json(text).dump()) << text;
  }
}

// The records' fields in forwarded payloads and accepted results are written straight to text
// (registry::AppendFieldsForOutput): the same bytes as FieldsForOutput's JSON dumped, for every record type of the
// catalogue, with values of every kind (masked CPR, list items, escapes, numbers, objects) and with `only`.
nlohmann::json SampleValue(const catalog::FieldDecl& decl, int n) {
  using catalog::FieldType;
  if (decl.type == FieldType::kCpr) return "0101701234";
  if (decl.type == FieldType::kList) {
    nlohmann::json items = nlohmann::json::array();
    for (int i = 0; i < 2; ++i) {
      nlohmann::json item = nlohmann::json::object();
      for (const auto& sub : decl.items) item[sub.key] = SampleValue(sub, n + i);
      items.push_back(item);
    }
    items.push_back("not an object");
    return items;
  }
  switch (n % 5) {
    case 0:
      return "tekst \"æøå\" \\ \n\x01";
    case 1:
      return -42;
    case 2:
      return 3.25;
    case 3:
      return nlohmann::json{{"b", 1}, {"a", {true, nullptr}}};
    default:
      return true;
  }
}

TEST(AutomationRules, RecordFieldsAreWrittenAsFieldsForOutputDumpsThem) {
  int types = 0;
  for (const auto& type : Catalog()->model().record_types) {
    nlohmann::json fields = nlohmann::json::object();
    int n = 0;
    for (const auto& decl : type.fields) fields[decl.key] = SampleValue(decl, n++);
    fields["not_declared"] = 1;
    std::vector<std::string> only;
    for (size_t i = 0; i < type.fields.size(); i += 2) only.push_back(type.fields[i].key);
    const std::vector<std::string>* subsets[] = {nullptr, &only};
    for (const std::vector<std::string>* subset : subsets) {
      std::string written;
      registry::AppendFieldsForOutput(&written, type, fields, subset);
      EXPECT_EQ(written, registry::FieldsForOutput(type, fields, subset).dump()) << type.key;
    }
    ++types;
  }
  EXPECT_GT(types, 10);
}

}  // namespace
}  // namespace dfdg
