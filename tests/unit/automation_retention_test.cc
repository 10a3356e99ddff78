// Retention of preparation forms (seed 002 §7.2, docs/automation.md D8) on both backends (real SQLite file, real
// PostgreSQL primary): the daily run deletes a submitted form 6 months after its submission and erases every version
// of it, leaving DFDG's deletion as the audit trace; and a broken delete_records rule is refused with its line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "automation/daily.h"
#include "automation/rules.h"
#include "automation_catalog.h"
#include "registry/registry.h"
#include "store_backend_test.h"

namespace dfdg {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;

using automation_test_support::Catalog;
using automation_test_support::Rules;

class RetentionTest : public testdb::StoreBackendTest {
 protected:
  void TearDown() override {
    registry_.reset();
    StoreBackendTest::TearDown();
  }
  std::unique_ptr<FixedClock> clock_;
  std::unique_ptr<registry::Registry> registry_;
};

// Submitted 2024-08-31 → deleted on 2025-02-28 (6 months, clamped to the month's end), kept on 2025-02-27.
TEST_P(RetentionTest, ASubmittedPreparationFormIsDeletedAtTheLimitAndErased) {
  clock_ = std::make_unique<FixedClock>(MakeDate(2025, 9, 1));
  registry_ = std::make_unique<registry::Registry>(Catalog(), store_.get(), clock_.get());
  registry_->SetAutomation(Rules());
  const std::string cpr = "0103904301";
  auto run = [&](Json c) {
    auto results = registry_->ExecuteBatch({c});
    EXPECT_TRUE(results.ok());
    EXPECT_EQ((*results)[0]["status"], "accepted") << c.dump() << " → " << (*results)[0].dump();
    return (*results)[0];
  };
  run({{"command", "set_contact_group"},
       {"cpr", cpr},
       {"registered_at", "2024-01-01"},
       {"contact_group", 2},
       {"start", "2024-01-01"}});
  int64_t form = run({{"command", "create_preparation_form"},
                      {"id", "pf-1"},
                      {"cpr", cpr},
                      {"channel", "citizen"},
                      {"registered_at", "2024-08-20"},
                      {"started", "2024-08-20"}})["stored"][0]["entity_id"]
                     .get<int64_t>();
  run({{"command", "change_preparation_form"},
       {"id", "pf-2"},
       {"cpr", cpr},
       {"channel", "citizen"},
       {"registered_at", "2024-08-31"},
       {"preparation_form_id", form},
       {"submitted", "2024-08-31"}});
  auto daily = [&](const char* date) {
    automation::DailyOptions options{*ParseDate(date), false};
    return automation::RunDaily(*Catalog(), *Rules(), store_.get(), registry_.get(), clock_->Today(), options);
  };
  auto before = daily("2025-02-27");
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_TRUE((*before)["days"][0]["actions"].empty()) << before->dump();
  auto at_limit = daily("2025-02-28");
  ASSERT_TRUE(at_limit.ok()) << at_limit.status().ToString();
  ASSERT_EQ((*at_limit)["days"][0]["actions"].size(), 1u) << at_limit->dump();
  EXPECT_EQ((*at_limit)["days"][0]["actions"][0]["rule"], "delete_preparation_forms_submitted");
  EXPECT_EQ((*at_limit)["days"][0]["actions"][0]["status"], "accepted");
  ASSERT_EQ((*at_limit)["days"][0]["erased"].size(), 1u);
  EXPECT_EQ((*at_limit)["days"][0]["erased"][0]["versions"], 3);  // create, change, deletion

  auto history = store_->LoadPerson(cpr);
  ASSERT_TRUE(history.ok());
  int versions = 0, deletions = 0;
  for (const auto& f : history->facts) {
    if (f.entity_id != form) continue;
    ++versions;
    EXPECT_TRUE(f.extra["fields"].empty()) << f.extra.dump();
    EXPECT_EQ(f.extra["erased"]["rule"], "delete_preparation_forms_submitted") << f.extra.dump();
    if (f.deleted) {
      ++deletions;
      EXPECT_EQ(f.channel, catalog::Channel::kDfdg);
      EXPECT_EQ(f.actor, "delete_preparation_forms_submitted");
    }
  }
  EXPECT_EQ(versions, 3);
  EXPECT_EQ(deletions, 1);
  for (const char* id : {"pf-1", "pf-2"}) {
    auto command = store_->FindCommand(id);
    ASSERT_TRUE(command.ok() && command->has_value()) << id;
    EXPECT_NE((*command)->request.find("\"erased\":true"), std::string::npos) << (*command)->request;
    EXPECT_EQ((*command)->request.find("submitted"), std::string::npos) << (*command)->request;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, RetentionTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// A delete_records rule counting from a field that is not a date, with a condition on an unknown record type, an
// unknown code, and no source, is refused with its line.
TEST(RetentionRules, ABrokenDeleteRuleIsRefusedWithItsLine) {
  fs::path dir = fs::temp_directory_path() / ("dfdg-retention-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "automation.yaml")
      << "daily:\n"
         "  - key: d1\n"
         "    action: delete_records\n"
         "    record_types: [preparation_form]\n"
         "    from: [colour]\n"
         "    unset: [mood]\n"
         "    retention: 6m\n"
         "    keep_while:\n"
         "      - {record_type: horoscope, field: sign, codes: [leo], source: \"002:1195\"}\n"
         "      - {record_type: min_plan, field: plan_type, codes: [holiday]}\n"
         "    comment: x\n"
         "    legal_ref: x\n"
         "    source: \"002:1187\"\n";
  auto loaded = automation::Rules::Load(dir.string(), *Catalog());
  fs::remove_all(dir);
  ASSERT_FALSE(loaded.ok());
  const std::string text = loaded.status().message();
  for (const char* expected :
       {"'from' names 'colour', not a date field of 'preparation_form'", "unknown field 'mood' of 'preparation_form'",
        "unknown record type 'horoscope'", "unknown code 'holiday' of min_plan.plan_type",
        "a condition needs its 'source'", "automation.yaml:2"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

}  // namespace
}  // namespace dfdg
