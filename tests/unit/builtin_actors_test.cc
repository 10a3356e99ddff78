// Who may send a built-in command and for which persons comes from its area's declaration
// (catalog/records/builtin/*.yaml `actors`, `reserved_reasons`, `scope`, the commands' `channels`): a copy of the
// catalogue with one declaration changed changes what the registry refuses, and an unknown channel is refused
// at load with the area file and line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "registry/command.h"
#include "registry/fact.h"
#include "registry/person.h"
#include "registry/validator.h"
#include "catalog_copy.h"

namespace dfdg {
namespace {
namespace fs = std::filesystem;
using catalog::Channel;
using registry::Command;
using registry::CommandType;

class BuiltinActorsTest : public ::testing::Test {
 protected:
  std::shared_ptr<const catalog::Catalog> Load() {
    auto loaded = catalog::Catalog::Load(dir_.string());
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return loaded.ok() ? *loaded : nullptr;
  }

  // Replaces the one occurrence of `from` in `file` (relative to the copy) by `to`; fails when it is not there.
  void Replace(const std::string& file, const std::string& from, const std::string& to) {
    ASSERT_TRUE(copy_.Replace(file, from, to));
  }

  // The violations Validate finds for `command` on a person in contact group `group` since 2025-01-01.
  static std::vector<registry::Violation> Check(const catalog::Catalog& catalog, const Command& command, int group) {
    registry::PersonHistory history;
    history.cpr = "0101901234";
    registry::Fact fact;
    fact.seq = 1;
    fact.entity_id = 1;
    fact.kind = registry::FactKind::kContactGroup;
    fact.recorded_on = *ParseDate("2025-01-01");
    fact.start = fact.recorded_on;
    fact.code = group;
    history.facts.push_back(fact);
    history.next_entity_id = 2;
    registry::PersonView person(history, std::nullopt);
    return registry::Validate(catalog, person, command);
  }

  static bool Has(const std::vector<registry::Violation>& violations, int code) {
    return std::any_of(violations.begin(), violations.end(), [&](const auto& v) { return v.code() == code; });
  }

  static Command Absence(Channel channel, int reason) {
    Command c = Base(CommandType::kRegisterAbsence, channel);
    c.reason = reason;
    c.start = c.registered;
    return c;
  }

  static Command Base(CommandType type, Channel channel) {
    Command c;
    c.type = type;
    c.channel = channel;
    c.cpr = *Cpr::Parse("0101901234");
    c.registered = *ParseDate("2025-08-01");
    return c;
  }

  testing_util::CatalogCopy copy_{"builtin_actors"};
  const fs::path& dir_ = copy_.dir();
};

// The absence area's actors say which reasons a channel may create (2016 citizen, 2017 other channels) and its
// reserved reasons who alone may create and end them (2015); each violation cites the declaring line.
TEST_F(BuiltinActorsTest, AbsenceReasonsPerChannelComeFromTheArea) {
  auto real = Load();
  ASSERT_TRUE(real);
  auto citizen = Check(*real, Absence(Channel::kCitizen, 12), 2);
  ASSERT_TRUE(Has(citizen, 2016));
  for (const auto& v : citizen) {
    if (v.code() == 2016) {
      EXPECT_EQ(v.CatalogRef().rfind("catalog/records/builtin/absence.yaml:", 0), 0u) << v.CatalogRef();
    }
  }
  EXPECT_TRUE(Has(Check(*real, Absence(Channel::kKsd, 10), 2), 2017));
  EXPECT_FALSE(Has(Check(*real, Absence(Channel::kKsd, 11), 2), 2017));
  EXPECT_TRUE(Has(Check(*real, Absence(Channel::kJobcenter, 75), 1), 2015));
  EXPECT_FALSE(Has(Check(*real, Absence(Channel::kAkasse, 75), 1), 2015));

  Replace("records/builtin/absence.yaml", "may: [create, read], reasons: [10, 11]", "may: [create, read]");
  Replace("records/builtin/absence.yaml", "reasons: [11], source", "reasons: [10, 11], source");
  Replace("records/builtin/absence.yaml", "channels: [akasse, dfdg]", "channels: [akasse, dfdg, jobcenter]");
  auto changed = Load();
  ASSERT_TRUE(changed);
  EXPECT_FALSE(Has(Check(*changed, Absence(Channel::kCitizen, 12), 2), 2016));
  EXPECT_FALSE(Has(Check(*changed, Absence(Channel::kKsd, 10), 2), 2017));
  EXPECT_FALSE(Has(Check(*changed, Absence(Channel::kJobcenter, 75), 1), 2015));
}

// Persons in scope (4001) come from the area's named scope entries, an actor's own entry first; a command's
// `channels` limit who may send it (4009).
TEST_F(BuiltinActorsTest, ScopeAndCommandChannelsComeFromTheArea) {
  Command summons = Base(CommandType::kCreateSummons, Channel::kJobcenter);
  summons.date = *ParseDate("2025-08-10");
  Command akasse_interview = Base(CommandType::kRegisterInterview, Channel::kAkasse);
  akasse_interview.date = *ParseDate("2025-07-30");
  akasse_interview.interview_type = "raadighedssamtale";
  Command booking = Base(CommandType::kBookMeeting, Channel::kJobcenter);
  booking.date = *ParseDate("2025-08-10");

  auto real = Load();
  ASSERT_TRUE(real);
  EXPECT_FALSE(Has(Check(*real, summons, 2), 4001));
  EXPECT_TRUE(Has(Check(*real, summons, 3), 4001));           // § 19 does not list group 3
  EXPECT_TRUE(Has(Check(*real, akasse_interview, 2), 4001));  // § 91: the a-kasse's interviews are for group 1
  EXPECT_FALSE(Has(Check(*real, akasse_interview, 1), 4001));
  EXPECT_TRUE(Has(Check(*real, booking, 2), 4009));

  Replace("records/builtin/summons.yaml", "contact_groups: [1, 2, 4,", "contact_groups: [1, 2, 3, 4,");
  Replace("records/builtin/interview.yaml", "        contact_groups: [1]\n", "        contact_groups: [1, 2]\n");
  Replace("records/builtin/summons.yaml", "  - name: book_meeting\n    action: create\n    channels: [citizen]\n",
          "  - name: book_meeting\n    action: create\n    channels: [citizen, jobcenter]\n");
  auto changed = Load();
  ASSERT_TRUE(changed);
  EXPECT_FALSE(Has(Check(*changed, summons, 3), 4001));
  EXPECT_FALSE(Has(Check(*changed, akasse_interview, 2), 4001));
  EXPECT_FALSE(Has(Check(*changed, booking, 2), 4009));
}

// An unknown channel in an area's actors, reserved reasons or a command's channels is refused with file:line.
TEST_F(BuiltinActorsTest, AnUnknownChannelIsRefusedWithFileAndLine) {
  Replace("records/builtin/followup.yaml", "- {channel: ksd,", "- {channel: kommune,");
  auto loaded = catalog::Catalog::Load(dir_.string());
  ASSERT_FALSE(loaded.ok());
  std::string message = loaded.status().message();
  EXPECT_NE(message.find("catalog/records/builtin/followup.yaml:"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown channel 'kommune'"), std::string::npos) << message;
}

// A channel a command names must be one of the area's actors.
TEST_F(BuiltinActorsTest, ACommandChannelThatIsNoActorIsRefused) {
  Replace("records/builtin/summons.yaml", "  - name: book_meeting\n    action: create\n    channels: [citizen]\n",
          "  - name: book_meeting\n    action: create\n    channels: [ksd]\n");
  auto loaded = catalog::Catalog::Load(dir_.string());
  ASSERT_FALSE(loaded.ok());
  std::string message = loaded.status().message();
  EXPECT_NE(message.find("catalog/records/builtin/summons.yaml:"), std::string::npos) << message;
  EXPECT_NE(message.find("command 'book_meeting' names channel ksd, which is no actor"), std::string::npos) << message;
}

// The registry itself refuses a built-in command whose channel is no actor of its area, or whose actor may not
// do the command's action (5002, citing the area file) — `dfdg apply` as well as the service.
TEST_F(BuiltinActorsTest, TheRegistryRefusesAChannelTheAreaDoesNotAllow) {
  auto real = Load();
  ASSERT_TRUE(real);
  Command followup = Base(CommandType::kRegisterFollowUp, Channel::kAkasse);  // the a-kasse is no actor
  followup.date = followup.registered;
  auto refused = Check(*real, followup, 24);
  ASSERT_TRUE(Has(refused, 5002));
  for (const auto& v : refused) {
    if (v.code() != 5002) continue;
    EXPECT_EQ(v.CatalogRef().rfind("catalog/records/builtin/followup.yaml:", 0), 0u) << v.CatalogRef();
    EXPECT_NE(v.MessageEn().find("akasse"), std::string::npos) << v.MessageEn();
  }
  EXPECT_FALSE(Has(Check(*real, Base(CommandType::kRegisterFollowUp, Channel::kKsd), 24), 5002));
  // The citizen may create an absence but not change one: end_absence is a change.
  EXPECT_FALSE(Has(Check(*real, Absence(Channel::kCitizen, 11), 2), 5002));
  Command end = Base(CommandType::kEndAbsence, Channel::kCitizen);
  end.end = end.registered;
  EXPECT_TRUE(Has(Check(*real, end, 2), 5002));
  EXPECT_FALSE(Has(Check(*real, Base(CommandType::kEndAbsence, Channel::kJobcenter), 2), 5002));

  Replace("records/builtin/followup.yaml", "  - {channel: ksd, may: [create, correct, read],",
          "  - {channel: akasse, may: [create], source: [\"000:256\"]}\n  - {channel: ksd, may: [create, correct, read],");
  Replace("records/builtin/absence.yaml", "{channel: citizen, may: [create, read],", "{channel: citizen, may: [create, change, read],");
  auto changed = Load();
  ASSERT_TRUE(changed);
  EXPECT_FALSE(Has(Check(*changed, followup, 24), 5002));
  EXPECT_FALSE(Has(Check(*changed, end, 2), 5002));
}

}  // namespace
}  // namespace dfdg
