// The built-in commands on the record model (catalog/records/builtin/, registry/builtin_command.h): every
// command type is declared, every declared field reaches a Command member, form errors keep their codes and
// texts, and the declarations drive the parser (a changed copy of the catalogue changes the behaviour).
#include "registry/builtin_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "registry/command.h"
#include "registry/fact.h"
#include "registry/record_rules.h"
#include "catalog_copy.h"

namespace dfdg {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;
using registry::CommandType;

const catalog::Catalog& RealCatalog() {
  static auto catalog = [] {
    auto loaded = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return *loaded;
  }();
  return *catalog;
}

Date Today() { return *ParseDate("2025-08-01"); }

registry::ParsedCommand Parse(const catalog::Catalog& catalog, Json object) {
  // Every command names a person except the project commands (they take no cpr, docs/decisions/0039).
  auto type = registry::BuiltinCommandType(object.value("command", ""));
  if (!type || !registry::IsProjectCommand(*type)) object["cpr"] = "0101901234";
  return registry::ParseCommand(catalog, object, Today());
}

// "code field: message_da" of every violation.
std::vector<std::string> Problems(const registry::ParsedCommand& parsed) {
  std::vector<std::string> out;
  for (const auto& v : parsed.violations) out.push_back(std::to_string(v.code()) + " " + v.MessageDa());
  return out;
}

std::string Joined(const registry::ParsedCommand& parsed) {
  std::string out;
  for (const auto& p : Problems(parsed)) out += p + "\n";
  return out;
}

TEST(BuiltinCommandTest, EveryCommandTypeIsDeclaredAndEveryDeclaredCommandIsACommandType) {
  const catalog::Catalog& catalog = RealCatalog();
  EXPECT_EQ(registry::CheckRecordDeclarations(catalog), std::vector<std::string>{});
  std::set<std::string> declared;
  for (const auto& area : catalog.model().builtin_areas) {
    EXPECT_TRUE(registry::ParseFactKind(area.stored_as).has_value()) << area.key;
    for (const auto& command : area.builtin_commands) {
      declared.insert(command.name);
      EXPECT_TRUE(registry::BuiltinCommandType(command.name).has_value()) << command.name;
    }
  }
  for (int t = 0; t < static_cast<int>(CommandType::kRecord); ++t) {
    const char* name = registry::CommandName(static_cast<CommandType>(t));
    auto ref = catalog.FindBuiltinCommand(name);
    ASSERT_NE(ref.command, nullptr) << name;
    EXPECT_EQ(registry::BuiltinCommandType(name), static_cast<CommandType>(t));
    EXPECT_TRUE(registry::IsBuiltinCommand(name));
  }
  EXPECT_EQ(declared.size(), static_cast<size_t>(CommandType::kRecord));
  EXPECT_FALSE(registry::IsBuiltinCommand("register_referral"));
}

// Every declared field of every command, given a valid value, reaches the Command: the parsed command differs
// from the one without the field (the slot mapping is complete).
TEST(BuiltinCommandTest, EveryDeclaredFieldReachesTheCommand) {
  const catalog::Catalog& catalog = RealCatalog();
  auto sample = [](const catalog::FieldDecl& f) -> Json {
    switch (f.type) {
      case catalog::FieldType::kDate:
        return "2025-07-01";
      case catalog::FieldType::kTime:
        return "09:30";
      case catalog::FieldType::kInt:
        return static_cast<int64_t>(f.max ? *f.max : 1);
      case catalog::FieldType::kId:
        return 7;
      case catalog::FieldType::kBool:
        return true;
      case catalog::FieldType::kList: {
        if (f.key == "job_titles") return Json::parse(R"([{"code":"251210","alias":"Udvikler"}])");
        // One item with every field its declaration has (participants: name, role and, for interviews, form).
        const Json values = Json::parse(R"({"name":"Hans","role":"mentor","form":"personligt"})");
        Json item = Json::object();
        for (const catalog::FieldDecl& i : f.items) item[i.key] = values.value(i.key, std::string("x"));
        return Json::array({item});
      }
      default:
        return "x";
    }
  };
  auto fingerprint = [](const registry::Command& c) {
    std::ostringstream out;
    auto opt = [&](const auto& v) {
      if (v) {
        out << *v;
      } else {
        out << "-";
      }
      out << "|";
    };
    opt(c.contact_group), opt(c.reason), opt(c.registration_category), opt(c.municipality), opt(c.ledighedsgrad);
    opt(c.visitation), opt(c.akasse), opt(c.marking), opt(c.interview_type), opt(c.deregistration_reason);
    opt(c.comment), opt(c.absence_id), opt(c.target_id);
    for (const auto& d : {c.start, c.end, c.event_date, c.date}) out << (d ? FormatDate(*d) : "-") << "|";
    out << c.mindre_intensiv << "|" << c.job_titles.size() << "|" << c.participants.dump() << "|";
    for (const auto& [k, v] : c.texts) out << k << "=" << v << ";";
    for (const auto& [k, v] : c.dates) out << k << "=" << FormatDate(v) << ";";
    for (const auto& [k, v] : c.flags) out << k << "=" << v << ";";
    return out.str();
  };
  int checked = 0;
  for (const auto& area : catalog.model().builtin_areas) {
    for (const auto& command : area.builtin_commands) {
      Json base = {{"command", command.name}};
      for (size_t i = 0; i < command.required_count; ++i) {
        const auto& f = area.fields[static_cast<size_t>(command.fields[i])];
        base[f.key] = sample(f);
      }
      auto without = Parse(catalog, base);
      ASSERT_TRUE(without.command) << command.name << "\n" << Joined(without);
      EXPECT_EQ(without.command->type, *registry::BuiltinCommandType(command.name));
      for (size_t i = 0; i < command.fields.size(); ++i) {
        const auto& f = area.fields[static_cast<size_t>(command.fields[i])];
        Json with = base;
        if (i < command.required_count) with.erase(f.key);
        if (i < command.required_count) {
          // Without a required field the command is refused (1003), with it the member is set.
          auto missing = Parse(catalog, with);
          ASSERT_FALSE(missing.command) << command.name << " " << f.key;
          EXPECT_NE(Joined(missing).find("'" + f.key + "' mangler"), std::string::npos) << Joined(missing);
          continue;
        }
        with[f.key] = sample(f);
        auto parsed = Parse(catalog, with);
        ASSERT_TRUE(parsed.command) << command.name << " " << f.key << "\n" << Joined(parsed);
        EXPECT_NE(fingerprint(*parsed.command), fingerprint(*without.command)) << command.name << " " << f.key;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 40);
}

TEST(BuiltinCommandTest, SlotsFillTheDocumentedMembers) {
  const catalog::Catalog& catalog = RealCatalog();
  auto jobseeker = Parse(catalog, Json::parse(R"({"command":"register_jobseeker","category":3,"start":"2025-07-01",
      "ledighedsgrad":100,"job_titles":[{"code":"251210","alias":"Udvikler"},{"code":"251220"}]})"));
  ASSERT_TRUE(jobseeker.command) << Joined(jobseeker);
  EXPECT_EQ(jobseeker.command->registration_category, 3);
  EXPECT_EQ(jobseeker.command->ledighedsgrad, 100);
  ASSERT_EQ(jobseeker.command->job_titles.size(), 2u);
  EXPECT_EQ(jobseeker.command->job_titles[0].alias, "Udvikler");
  EXPECT_EQ(jobseeker.command->job_titles[1].alias, "");
  auto deregister = Parse(catalog, Json::parse(R"({"command":"deregister_jobseeker","date":"2025-08-01",
      "reason":"job","mindre_intensiv":true})"));
  ASSERT_TRUE(deregister.command) << Joined(deregister);
  EXPECT_EQ(deregister.command->deregistration_reason, "job");
  EXPECT_FALSE(deregister.command->reason.has_value());
  EXPECT_TRUE(deregister.command->mindre_intensiv);
  auto summons = Parse(catalog, Json::parse(R"({"command":"create_summons","date":"2025-08-04","start_time":"09:00",
      "end_time":"09:30","form":"telefonisk","type":"jobsamtale","rebooking_possible":true,
      "rebooking_from":"2025-08-02"})"));
  ASSERT_TRUE(summons.command) << Joined(summons);
  EXPECT_EQ(*summons.command->Text("type"), "jobsamtale");
  EXPECT_FALSE(summons.command->interview_type.has_value());
  EXPECT_EQ(*summons.command->Text("start_time"), "09:00");
  EXPECT_EQ(summons.command->DateOf("rebooking_from"), ParseDate("2025-08-02").value());
  EXPECT_EQ(summons.command->Flag("rebooking_possible"), true);
  auto interview = Parse(catalog, Json::parse(R"({"command":"register_interview","date":"2025-08-01","type":"job",
      "visitation":"jobparat","participants":[{"name":"Hans","role":"tolk","form":"telefonisk"}]})"));
  ASSERT_TRUE(interview.command) << Joined(interview);
  EXPECT_EQ(interview.command->interview_type, "job");
  EXPECT_EQ(*interview.command->Text("visitation"), "jobparat");
  EXPECT_FALSE(interview.command->visitation.has_value());
  EXPECT_EQ(interview.command->participants, Json::parse(R"([{"name":"Hans","role":"tolk","form":"telefonisk"}])"));
  auto cancel = Parse(catalog, Json::parse(R"({"command":"cancel_summons","summons_id":12,"comment":"syg"})"));
  ASSERT_TRUE(cancel.command) << Joined(cancel);
  EXPECT_EQ(cancel.command->target_id, 12);
  EXPECT_EQ(cancel.command->comment, "syg");
}

// The form errors of built-in commands: codes and the Danish texts of docs/commands.md and the tests.
TEST(BuiltinCommandTest, FormErrorsKeepTheirCodesAndTexts) {
  const catalog::Catalog& catalog = RealCatalog();
  struct Case {
    const char* json;
    std::vector<std::string> problems;
  };
  const Case cases[] = {
      {R"({"command":"register_absence","reason":11})", {"1003 Feltet 'start' mangler eller er ugyldigt: mangler."}},
      {R"({"command":"register_absence","reason":"8","start":"2025-08-01"})",
       {"1003 Feltet 'reason' mangler eller er ugyldigt: forventede et heltal."}},
      {R"({"command":"set_contact_group","contact_group":100,"start":"2025-08-01"})",
       {"1003 Feltet 'contact_group' mangler eller er ugyldigt: skal være 0-99."}},
      {R"({"command":"set_contact_group","contact_group":1,"start":"2025-08-01","colour":"red"})",
       {"1003 Feltet 'colour' mangler eller er ugyldigt: ikke et felt i set_contact_group."}},
      {R"({"command":"set_contact_group","contact_group":1,"start":"2025-02-30"})", {}},
      {R"({"command":"set_akasse","akasse":5,"start":"2025-08-01"})",
       {"1003 Feltet 'akasse' mangler eller er ugyldigt: forventede tekst."}},
      {R"({"command":"create_summons","date":"2025-08-04","start_time":"25:00","end_time":"09:30","form":"x","type":"y"})",
       {"1003 Feltet 'start_time' mangler eller er ugyldigt: forventede TT:MM."}},
      {R"({"command":"end_absence","absence_id":0,"end":"2025-08-01"})",
       {"1003 Feltet 'absence_id' mangler eller er ugyldigt: forventede et positivt heltal."}},
      {R"({"command":"deregister_jobseeker","date":"2025-08-01","reason":"job","mindre_intensiv":"ja"})",
       {"1003 Feltet 'mindre_intensiv' mangler eller er ugyldigt: forventede true eller false."}},
      {R"({"command":"register_jobseeker","category":1,"start":"2025-07-01","job_titles":"x"})",
       {"1003 Feltet 'job_titles' mangler eller er ugyldigt: forventede en liste med højst 100 elementer."}},
      {R"({"command":"set_visitation","category":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})",
       {"1003 Feltet 'category' mangler eller er ugyldigt: længere end 64 tegn."}},
  };
  for (const Case& c : cases) {
    auto parsed = Parse(catalog, Json::parse(c.json));
    EXPECT_FALSE(parsed.command) << c.json;
    if (c.problems.empty()) {
      ASSERT_EQ(parsed.violations.size(), 1u) << c.json;
      EXPECT_EQ(parsed.violations[0].code(), 1005) << c.json;
      continue;
    }
    EXPECT_EQ(Problems(parsed), c.problems) << c.json;
  }
  // A form violation cites the field's declaration and its seed line.
  auto parsed = Parse(catalog, Json::parse(R"({"command":"register_absence","reason":"8","start":"2025-08-01"})"));
  ASSERT_EQ(parsed.violations.size(), 1u);
  EXPECT_EQ(parsed.violations[0].CatalogRef().rfind("catalog/records/builtin/absence.yaml:", 0), 0u)
      << parsed.violations[0].CatalogRef();
  EXPECT_EQ(parsed.violations[0].Source().rfind("000_", 0), 0u) << parsed.violations[0].Source();
}

class BuiltinCatalogCopyTest : public ::testing::Test {
 protected:
  // Replaces the one `from` by `to` in catalog file `name` (relative to the copy); fails when it is not there.
  void Edit(const std::string& name, const std::string& from, const std::string& to) {
    ASSERT_TRUE(copy_.Replace(name, from, to));
  }

  testing_util::CatalogCopy copy_{"builtin_command"};
  const fs::path& dir_ = copy_.dir();
};

// The declarations drive the parser: making `start` optional for register_absence, and narrowing the range
// of `contact_group`, changes what is accepted.
TEST_F(BuiltinCatalogCopyTest, ChangingADeclarationChangesTheBehaviour) {
  Json no_start = {{"command", "register_absence"}, {"reason", 11}};
  Json group_60 = {{"command", "set_contact_group"}, {"contact_group", 60}, {"start", "2025-08-01"}};
  EXPECT_FALSE(Parse(RealCatalog(), no_start).command);
  EXPECT_TRUE(Parse(RealCatalog(), group_60).command);
  Edit("records/builtin/absence.yaml", "required: [reason, start]\n    optional: [end, comment]",
       "required: [reason]\n    optional: [start, end, comment]");
  Edit("records/builtin/contact_group.yaml", "max: 99", "max: 50");
  auto loaded = catalog::Catalog::Load(dir_.string());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto parsed = Parse(**loaded, no_start);
  EXPECT_TRUE(parsed.command) << Joined(parsed);
  auto group = Parse(**loaded, group_60);
  EXPECT_FALSE(group.command);
  EXPECT_EQ(Problems(group),
            std::vector<std::string>{"1003 Feltet 'contact_group' mangler eller er ugyldigt: skal være 0-50."});
}

// The loader refuses a broken area with file and line (reading errors first, then the checks across fields).
TEST_F(BuiltinCatalogCopyTest, BrokenDeclarationsAreRefusedWithFileAndLine) {
  Edit("records/builtin/absence.yaml", "slot: reason", "slot: colour");
  Edit("records/builtin/deadline.yaml", "required: [deadline_id]", "required: [deadline_id, nonsense]");
  auto loaded = catalog::Catalog::Load(dir_.string());
  ASSERT_FALSE(loaded.ok());
  std::string message = loaded.status().message();
  EXPECT_NE(message.find("catalog/records/builtin/absence.yaml:"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown slot 'colour'"), std::string::npos) << message;
  EXPECT_NE(message.find("catalog/records/builtin/deadline.yaml:"), std::string::npos) << message;
  EXPECT_NE(message.find("names unknown field 'nonsense'"), std::string::npos) << message;
}

TEST_F(BuiltinCatalogCopyTest, ASlotMustFitItsFieldsType) {
  Edit("records/builtin/municipality.yaml", "slot: municipality", "slot: start");
  auto loaded = catalog::Catalog::Load(dir_.string());
  ASSERT_FALSE(loaded.ok());
  std::string message = loaded.status().message();
  EXPECT_NE(message.find("catalog/records/builtin/municipality.yaml:"), std::string::npos) << message;
  EXPECT_NE(message.find("cannot fill slot 'start'"), std::string::npos) << message;
  EXPECT_NE(message.find("fill the same slot 'start'"), std::string::npos) << message;
}

// A built-in command left undeclared is refused by the registry's check (and unknown to the parser: 1002).
TEST_F(BuiltinCatalogCopyTest, AnUndeclaredBuiltinCommandIsReported) {
  fs::remove(dir_ / "records" / "builtin" / "cv_status.yaml");
  auto loaded = catalog::Catalog::Load(dir_.string());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto problems = registry::CheckRecordDeclarations(**loaded);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("'set_cv_status' is not declared"), std::string::npos) << problems[0];
  auto parsed = Parse(**loaded, {{"command", "set_cv_status"}, {"status", "godkendt"}});
  ASSERT_EQ(parsed.violations.size(), 1u);
  EXPECT_EQ(parsed.violations[0].code(), 1002);
}

}  // namespace
}  // namespace dfdg
