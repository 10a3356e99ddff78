// The built-in commands' rule modules (registry/builtin_rules.h): every module a built-in area names is
// registered and every built-in module is named by an area; the registry runs exactly the modules the area's
// declaration names (a copy of the catalogue without a module name no longer applies that rule; an unknown
// name is refused with file and line).
#include "registry/builtin_rules.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "registry/command.h"
#include "registry/fact.h"
#include "registry/person.h"
#include "registry/planner.h"
#include "registry/validator.h"
#include "catalog_copy.h"

namespace dfdg {
namespace {
namespace fs = std::filesystem;
using registry::Command;
using registry::CommandType;

std::shared_ptr<const catalog::Catalog> Load(const std::string& dir) {
  auto loaded = catalog::Catalog::Load(dir);
  EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
  return loaded.ok() ? *loaded : nullptr;
}

// The codes Validate finds for `command` on a person with no history.
std::vector<int> Codes(const catalog::Catalog& catalog, const Command& command) {
  registry::PersonHistory history;
  history.cpr = "0101901234";
  registry::PersonView person(history, std::nullopt);
  std::vector<int> codes;
  for (const auto& v : registry::Validate(catalog, person, command)) codes.push_back(v.code());
  return codes;
}

Command Base(CommandType type) {
  Command c;
  c.type = type;
  c.cpr = *Cpr::Parse("0101901234");
  c.registered = *ParseDate("2025-08-01");
  return c;
}

const std::set<std::string> kBuiltinModules = {"absence_registration",
                                               "absence_change",
                                               "contact_group_set",
                                               "contact_group_end",
                                               "visitation_group",
                                               "jobseeker_registration",
                                               "jobseeker_deregistration",
                                               "municipality_known",
                                               "marking_open",
                                               "marking_project",
                                               "marking_correction",
                                               "period_order",
                                               "interview_held",
                                               "citizen_only",
                                               "summons_create",
                                               "summons_update",
                                               "summons_existing",
                                               "summons_rebook",
                                               "meeting_booking",
                                               "deadline",
                                               "deadline_existing",
                                               "akasse_choice_scope",
                                               "interview_course",
                                               "course_correction",
                                               "followup",
                                               "sickness_metadata",
                                               "cv_status",
                                               "akasse_jobseeker",
                                               "project_register"};

TEST(BuiltinRulesTest, EveryNamedModuleIsRegisteredAndEveryBuiltinModuleIsNamed) {
  auto catalog = Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
  ASSERT_TRUE(catalog);
  std::set<std::string> named;
  for (const auto& area : catalog->model().builtin_areas) {
    for (const auto& rule : area.rules) {
      const registry::RecordRuleModule* module = registry::FindRecordRule(rule.module);
      ASSERT_NE(module, nullptr) << area.key << ": " << rule.module;
      EXPECT_NE(module->check, nullptr) << rule.module;
      EXPECT_FALSE(rule.legal_ref.empty()) << rule.module;
      EXPECT_FALSE(rule.sources.empty()) << rule.module;
      named.insert(rule.module);
    }
  }
  EXPECT_EQ(named, kBuiltinModules);
  EXPECT_EQ(registry::CheckRecordDeclarations(*catalog), std::vector<std::string>{});
}

class BuiltinRulesCopyTest : public ::testing::Test {
 protected:
  testing_util::CatalogCopy copy_{"builtin_rules"};
  const fs::path& dir_ = copy_.dir();
};

// Removing `municipality_known` from municipality.yaml disables 3030; removing `contact_group_end` from
// contact_group.yaml disables 3004 (and 3003) while set_contact_group keeps its rule.
TEST_F(BuiltinRulesCopyTest, RemovingAModuleNameDisablesItsRule) {
  Command municipality = Base(CommandType::kSetMunicipality);
  municipality.municipality = 999;  // no such municipality
  municipality.start = municipality.registered;
  Command end_group = Base(CommandType::kEndContactGroup);
  end_group.event_date = *ParseDate("2025-09-01");  // in the future: 3003
  Command set_group = Base(CommandType::kSetContactGroup);
  set_group.contact_group = 98;  // no such group: 3001
  set_group.start = set_group.registered;

  auto real = Load(dir_.string());
  ASSERT_TRUE(real);
  EXPECT_EQ(Codes(*real, municipality), std::vector<int>{3030});
  EXPECT_EQ(Codes(*real, end_group), (std::vector<int>{3004, 3003}));
  EXPECT_EQ(Codes(*real, set_group), std::vector<int>{3001});

  ASSERT_TRUE(copy_.RemoveLine("records/builtin/municipality.yaml", "module: municipality_known"));
  ASSERT_TRUE(copy_.RemoveLine("records/builtin/contact_group.yaml", "module: contact_group_end"));
  auto changed = Load(dir_.string());
  ASSERT_TRUE(changed);
  EXPECT_EQ(registry::CheckRecordDeclarations(*changed), std::vector<std::string>{});
  EXPECT_EQ(Codes(*changed, municipality), std::vector<int>{});
  EXPECT_EQ(Codes(*changed, end_group), std::vector<int>{});
  EXPECT_EQ(Codes(*changed, set_group), std::vector<int>{3001});
}

// A module name the registry does not know is reported with the area file and line.
TEST_F(BuiltinRulesCopyTest, AnUnknownModuleNameIsRefusedWithFileAndLine) {
  ASSERT_TRUE(copy_.Replace("records/builtin/visitation.yaml", "module: visitation_group", "module: visitation_colour"));
  auto loaded = Load(dir_.string());
  ASSERT_TRUE(loaded);
  auto problems = registry::CheckRecordDeclarations(*loaded);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("catalog/records/builtin/visitation.yaml:"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("unknown rule module 'visitation_colour'"), std::string::npos) << problems[0];
}

// The planner stores an area's records as its declared `stored_as`: a copy declaring the municipality area
// stored as `marking` plans a marking fact for set_municipality.
TEST_F(BuiltinRulesCopyTest, ThePlannerStoresTheDeclaredKind) {
  Command municipality = Base(CommandType::kSetMunicipality);
  municipality.municipality = 101;
  municipality.start = municipality.registered;
  auto plan = [&](const catalog::Catalog& catalog) {
    registry::PersonHistory history;
    history.cpr = "0101901234";
    registry::PersonView view(history, std::nullopt);
    std::vector<registry::FactKind> kinds;
    for (const auto& fact : registry::PlanFacts(catalog, municipality, view, &history)) kinds.push_back(fact.kind);
    return kinds;
  };
  auto real = Load(dir_.string());
  ASSERT_TRUE(real);
  EXPECT_EQ(plan(*real), std::vector<registry::FactKind>{registry::FactKind::kMunicipality});
  ASSERT_TRUE(copy_.Replace("records/builtin/municipality.yaml", "stored_as: municipality", "stored_as: marking"));
  auto changed = Load(dir_.string());
  ASSERT_TRUE(changed);
  EXPECT_EQ(plan(*changed), std::vector<registry::FactKind>{registry::FactKind::kMarking});
}

}  // namespace
}  // namespace dfdg
