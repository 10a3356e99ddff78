// The kinds of connected system are data (catalog/access.yaml `system_kinds`, docs/api.md "Access rules"): a copy
// of access.yaml with a changed kind changes what the configuration check and the channel give.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/access.h"
#include "api/config.h"

namespace dfdg::api {
namespace {
namespace fs = std::filesystem;

class SystemKindsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dfdg-system-kinds-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ifstream in(std::string(DFDG_SOURCE_DIR) + "/catalog/access.yaml");
    std::stringstream text;
    text << in.rdbuf();
    access_ = text.str();
    Write();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write() { std::ofstream(dir_ / "access.yaml") << access_; }
  // Replaces the one occurrence of `from` in the copy of access.yaml.
  void Replace(const std::string& from, const std::string& to) {
    size_t at = access_.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    ASSERT_EQ(access_.find(from, at + 1), std::string::npos) << "not unique: " << from;
    access_.replace(at, from.size(), to);
    Write();
  }
  std::string Path() const { return (dir_ / "access.yaml").string(); }

  Result<ServeConfig> Config(const std::string& systems) {
    std::ofstream(dir_ / "serve.yaml") << "systems:\n" << systems;
    auto kinds = SystemKinds::Load(Path());
    if (!kinds.ok()) return kinds.status();
    return LoadServeConfig((dir_ / "serve.yaml").string(), *kinds);
  }

  fs::path dir_;
  std::string access_;
};

TEST_F(SystemKindsTest, UnknownKindIsRefusedNamingTheDataKinds) {
  auto config = Config("  - {id: x, kind: bank, certificate_cn: x, controller: X}\n");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("unknown kind 'bank'"), std::string::npos) << config.status().message();
  EXPECT_NE(config.status().message().find("jobcenter, other_actor, akasse"), std::string::npos)
      << config.status().message();
  // A kind added to the data is known, and named in the list.
  Replace("system_kinds:\n", "system_kinds:\n  - {key: bank, name_da: Bank, name_en: Bank, channel: dfdg, requires: [],"
                             " source: \"test\"}\n");
  EXPECT_TRUE(Config("  - {id: x, kind: bank, certificate_cn: x, controller: X}\n").ok());
  auto other = Config("  - {id: y, kind: broker, certificate_cn: y, controller: Y}\n");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("(known: bank, jobcenter"), std::string::npos) << other.status().message();
}

TEST_F(SystemKindsTest, KindsMissingWhatTheyRequireAreRefused) {
  auto jc = Config("  - {id: jc, kind: jobcenter, certificate_cn: jc, controller: K}\n");
  ASSERT_FALSE(jc.ok());
  EXPECT_NE(jc.status().message().find("needs a municipality code"), std::string::npos) << jc.status().message();
  auto ksd = Config("  - {id: ksd, kind: ksd, certificate_cn: ksd, controller: K}\n");
  ASSERT_FALSE(ksd.ok());
  EXPECT_NE(ksd.status().message().find("needs a municipality code"), std::string::npos);
  auto ak = Config("  - {id: ak, kind: akasse, certificate_cn: ak, controller: A}\n");
  ASSERT_FALSE(ak.ok());
  EXPECT_NE(ak.status().message().find("needs an akasse"), std::string::npos) << ak.status().message();
  EXPECT_TRUE(Config("  - {id: ak, kind: akasse, certificate_cn: ak, controller: A, akasse: \"10\"}\n").ok());
  EXPECT_TRUE(Config("  - {id: jn, kind: jobnet, certificate_cn: jn, controller: S}\n").ok());
  // The requirement is the data's: jobnet requiring a municipality refuses a Jobnet without one.
  size_t at = access_.find("key: jobnet");
  size_t req = access_.find("requires: []", at);
  ASSERT_NE(req, std::string::npos);
  access_.replace(req, std::string("requires: []").size(), "requires: [municipality]");
  Write();
  auto jn = Config("  - {id: jn, kind: jobnet, certificate_cn: jn, controller: S}\n");
  ASSERT_FALSE(jn.ok());
  EXPECT_NE(jn.status().message().find("kind jobnet needs a municipality code"), std::string::npos);
}

TEST_F(SystemKindsTest, TheChannelIsTheData) {
  auto rules = AccessRules::Load(Path());
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  EXPECT_EQ(rules->KindChannel("ksd"), catalog::Channel::kKsd);
  EXPECT_EQ(rules->KindChannel("other_actor"), catalog::Channel::kJobcenter);
  EXPECT_EQ(rules->KindChannel("jobnet"), catalog::Channel::kCitizen);
  size_t at = access_.find("key: ksd");
  ASSERT_NE(at, std::string::npos);
  size_t channel = access_.find("channel: ksd", at);
  ASSERT_NE(channel, std::string::npos);
  access_.replace(channel, std::string("channel: ksd").size(), "channel: dfdg");
  Write();
  auto changed = AccessRules::Load(Path());
  ASSERT_TRUE(changed.ok()) << changed.status().message();
  EXPECT_EQ(changed->KindChannel("ksd"), catalog::Channel::kDfdg);
  EXPECT_EQ(changed->KindChannel("jobnet"), catalog::Channel::kCitizen);
}

TEST_F(SystemKindsTest, RulesAndPagesNamingAnUnknownKindAreRefusedAtLoad) {
  Replace("  - kind: ksd\n", "  - kind: kds\n");
  auto rules = AccessRules::Load(Path());
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(rules.status().message().find("a rule names the unknown kind 'kds'"), std::string::npos)
      << rules.status().message();
  EXPECT_NE(rules.status().message().find("system_kinds: jobcenter,"), std::string::npos);
  Replace("  - kind: kds\n", "  - kind: ksd\n");
  ASSERT_TRUE(AccessRules::Load(Path()).ok());
  Replace("kinds: [jobnet]", "kinds: [jobnett]");
  auto pages = AccessRules::Load(Path());
  ASSERT_FALSE(pages.ok());
  EXPECT_NE(pages.status().message().find("page 'minside' names the unknown kind 'jobnett'"), std::string::npos)
      << pages.status().message();
}

TEST_F(SystemKindsTest, ACvrTheKindRequiresIsCheckedOnEveryCall) {
  auto rules = AccessRules::Load(Path());
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  ConnectedSystem actor;
  actor.id = "aa";
  actor.kind = "other_actor";
  actor.municipality = 101;
  PersonRelationFacts person;
  person.municipality = 101;
  Date today = *ParseDate("2025-09-15");
  EXPECT_FALSE(rules->Check(actor, "Status", false, person, false, "", today).allowed);
  actor.cvr = "12345678";
  EXPECT_TRUE(rules->Check(actor, "Status", false, person, false, "", today).allowed);
  actor.kind = "bank";  // no such kind: refused whatever the rules
  EXPECT_FALSE(rules->Check(actor, "Status", false, person, false, "", today).allowed);
}

}  // namespace
}  // namespace dfdg::api
