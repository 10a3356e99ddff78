// The service's access check asks the built-in areas' declarations which kind of system may read or write which
// area (catalog/records/builtin/*.yaml `actors`; docs/api.md "Access rules"): a copy of the catalogue with one
// actor changed changes what catalog/access.yaml's rules let through.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/access.h"
#include "catalog_copy.h"

namespace dfdg::api {
namespace {
namespace fs = std::filesystem;

class AccessDeclaredTest : public ::testing::Test {
 protected:
  void SetUp() override {
    akasse_.id = "ak-10";
    akasse_.kind = "akasse";
    akasse_.akasse = "10";
    jobnet_.id = "jobnet";
    jobnet_.kind = "jobnet";
    member_.akasse = "10";
    member_.municipality = 101;
  }

  AccessRules Rules() {
    auto rules = AccessRules::Load((dir_ / "access.yaml").string());
    EXPECT_TRUE(rules.ok()) << rules.status().ToString();
    auto catalog = catalog::Catalog::Load(dir_.string());
    EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
    AccessRules out = rules.ok() ? std::move(rules).value() : AccessRules();
    if (catalog.ok()) out.UseDeclarations(*catalog);
    return out;
  }

  void Replace(const std::string& file, const std::string& from, const std::string& to) {
    ASSERT_TRUE(copy_.Replace(file, from, to));
  }

  AccessDecision Read(const AccessRules& rules, const ConnectedSystem& system, const std::string& resource) {
    return rules.Check(system, resource, false, member_, false, "", day_);
  }
  AccessDecision Write(const AccessRules& rules, const ConnectedSystem& system, const std::string& resource,
                       const std::string& command) {
    return rules.Check(system, resource, true, member_, false, command, day_);
  }

  testing_util::CatalogCopy copy_{"access_declared"};
  const fs::path& dir_ = copy_.dir();
  ConnectedSystem akasse_, jobnet_;
  PersonRelationFacts member_;
  Date day_ = *ParseDate("2025-08-01");
};

TEST_F(AccessDeclaredTest, TheAreasActorsDecideWhichKindReadsAndWritesWhichArea) {
  AccessRules real = Rules();
  EXPECT_TRUE(Read(real, akasse_, "Fravaer").allowed);
  EXPECT_TRUE(Read(real, akasse_, "Status").allowed);  // no area: access.yaml alone
  AccessDecision followup = Read(real, akasse_, "Opfoelgning");
  EXPECT_FALSE(followup.allowed);
  EXPECT_NE(followup.reason.find("not declared: akasse may not read followup"), std::string::npos) << followup.reason;
  EXPECT_FALSE(Write(real, akasse_, "Opfoelgning", "register_followup").allowed);
  EXPECT_TRUE(Write(real, jobnet_, "Akassevalg", "set_akasse_choice").allowed);
  EXPECT_TRUE(Read(real, jobnet_, "Indkaldelse").allowed);
  EXPECT_FALSE(Write(real, jobnet_, "Fravaer", "register_absence").allowed);  // access.yaml: not Jobnet's writes

  // The a-kasse declared an actor of the follow-ups; the citizen no longer one of the a-kasse choice.
  Replace("records/builtin/followup.yaml", "actors:\n",
          "actors:\n  - {channel: akasse, may: [create, read], source: [\"000:1126\"]}\n");
  Replace("records/builtin/akasse_choice.yaml", "  - {channel: citizen, may: [create, read],",
          "  - {channel: citizen, may: [read],");
  AccessRules changed = Rules();
  EXPECT_TRUE(Read(changed, akasse_, "Opfoelgning").allowed);
  EXPECT_TRUE(Write(changed, akasse_, "Opfoelgning", "register_followup").allowed);
  EXPECT_FALSE(Write(changed, jobnet_, "Akassevalg", "set_akasse_choice").allowed);
  EXPECT_TRUE(Read(changed, jobnet_, "Akassevalg").allowed);
}

}  // namespace
}  // namespace dfdg::api
