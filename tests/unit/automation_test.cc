// DFDG's own actions on both backends (real SQLite file, real PostgreSQL primary): the outbox commits and rolls
// back with its transaction, the catalogue rules load and refuse bad entries, and `dfdg daily` is idempotent,
// catches up missed days in order, resumes without applying anything twice, and changes nothing in a dry run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "automation/daily.h"
#include "automation/rules.h"
#include "registry/registry.h"
#include "store/open_store.h"
#include "test_db.h"

namespace dfdg {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;

std::shared_ptr<const catalog::Catalog> Catalog() {
  static auto catalog = [] {
    auto loaded = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return *loaded;
  }();
  return catalog;
}

std::shared_ptr<const automation::Rules> Rules() {
  static auto rules = [] {
    auto loaded = automation::Rules::Load(std::string(DFDG_SOURCE_DIR) + "/catalog", *Catalog());
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return *loaded;
  }();
  return rules;
}

class AutomationTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql" && testdb::TestPostgresUrl().empty()) {
      GTEST_SKIP() << "no PostgreSQL test cluster (run through ctest: fixture pg_cluster)";
    }
    db_ = std::make_unique<testdb::TestDb>(GetParam());
    ASSERT_TRUE(db_->error().empty()) << db_->error();
    auto store = store::OpenStore(db_->location());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    registry_.reset();
    store_.reset();
    db_.reset();
  }
  registry::Registry& Registry(Date today) {
    clock_ = std::make_unique<FixedClock>(today);
    registry_ = std::make_unique<registry::Registry>(Catalog(), store_.get(), clock_.get());
    registry_->SetAutomation(Rules());
    return *registry_;
  }
  void Accept(Json command) {
    auto results = registry_->ExecuteBatch({command});
    ASSERT_TRUE(results.ok()) << results.status().ToString();
    ASSERT_EQ((*results)[0]["status"], "accepted") << command.dump() << " → " << (*results)[0].dump();
  }
  // KG 12 → 2 at age 30 (002:424) for a person born 1995-08-03; start-date deregistration (001:1368) for a KG 1
  // job seeker whose Barsel (8), registered 2025-08-01, starts 2025-08-04.
  void GivenDueActions() {
    Accept({{"command", "set_contact_group"},
            {"cpr", "0308951234"},
            {"registered_at", "2025-01-02"},
            {"contact_group", 12},
            {"start", "2025-01-02"}});
    Accept({{"command", "set_contact_group"},
            {"cpr", "0101901234"},
            {"registered_at", "2025-01-02"},
            {"contact_group", 1},
            {"start", "2025-01-02"}});
    Accept({{"command", "register_jobseeker"},
            {"cpr", "0101901234"},
            {"registered_at", "2025-01-02"},
            {"category", 3},
            {"start", "2025-01-02"},
            {"ledighedsgrad", 100},
            {"job_titles", Json::array({Json{{"code", "251210"}}})}});
    Accept({{"command", "register_absence"},
            {"cpr", "0101901234"},
            {"registered_at", "2025-08-01"},
            {"reason", 8},
            {"start", "2025-08-04"},
            {"end", "2025-12-31"}});
  }
  Result<nlohmann::ordered_json> Daily(const char* date, bool dry_run = false) {
    automation::DailyOptions options{*ParseDate(date), dry_run};
    return automation::RunDaily(*Catalog(), *Rules(), store_.get(), registry_.get(), clock_->Today(), options);
  }
  int64_t Facts() {
    // The fact versions of the two test persons: what was applied.
    int64_t n = 0;
    for (const char* cpr : {"0308951234", "0101901234"})
      n += static_cast<int64_t>(store_->LoadPerson(cpr)->facts.size());
    return n;
  }
  std::unique_ptr<testdb::TestDb> db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<FixedClock> clock_;
  std::unique_ptr<registry::Registry> registry_;
};

store::OutboxMessage Message(const std::string& id) {
  store::OutboxMessage m;
  m.id = id;
  m.command_seq = 7;
  m.type = "fravaer";
  m.recipient_kind = "akasse";
  m.recipient = "10";
  m.cpr = "0101901234";
  m.created_on = "2025-08-01";
  m.payload = R"({"reason":8})";
  m.cause = R"({"rule":"absence_to_akasse"})";
  return m;
}

TEST_P(AutomationTest, OutboxCommitsAndRollsBackWithItsTransaction) {
  std::vector<store::OutboxMessage> rolled_back = {Message("7-1")};
  EXPECT_FALSE(store_->AppendOutbox(&rolled_back).ok()) << "outside a transaction";
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->AppendOutbox(&rolled_back).ok());
  store_->Rollback();
  auto none = store_->ListOutbox(0, 100);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());

  std::vector<store::OutboxMessage> kept = {Message("7-1"), Message("7-2")};
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->AppendOutbox(&kept).ok());
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_LT(kept[0].seq, kept[1].seq);
  auto listed = store_->ListOutbox(0, 100);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, "7-1");
  EXPECT_EQ((*listed)[1].payload, R"({"reason":8})");
  EXPECT_EQ((*listed)[1].state, "pending");
  auto after_first = store_->ListOutbox(kept[0].seq, 100);
  ASSERT_TRUE(after_first.ok());
  ASSERT_EQ(after_first->size(), 1u);
  EXPECT_EQ((*after_first)[0].id, "7-2");
  auto found = store_->FindOutbox("7-2");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->cpr, "0101901234");
  auto missing = store_->FindOutbox("9-9");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  // An id is unique: a second message with it is refused (and the transaction is rolled back).
  std::vector<store::OutboxMessage> duplicate = {Message("7-1")};
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(store_->AppendOutbox(&duplicate).code(), Status::Code::kConflict);
  store_->Rollback();
  EXPECT_EQ(store_->ListOutbox(0, 100)->size(), 2u);
}

TEST_P(AutomationTest, MessagesCarryTheCommandSeqAndUniqueIds) {
  registry::Registry& registry = Registry(MakeDate(2025, 8, 1));
  Accept({{"command", "set_akasse"},
          {"cpr", "0101901234"},
          {"registered_at", "2024-01-01"},
          {"akasse", "10"},
          {"start", "2024-01-01"}});
  Accept({{"command", "set_contact_group"},
          {"cpr", "0101901234"},
          {"registered_at", "2025-01-01"},
          {"contact_group", 1},
          {"start", "2025-01-01"}});
  // Two commands in one batch (one transaction): KG 1 → 13 (leaving 1 and entering 13 = two messages), then 8.
  auto results = registry.ExecuteBatch(
      {Json{{"command", "set_contact_group"}, {"cpr", "0101901234"}, {"contact_group", 13}, {"start", "2025-08-01"}},
       Json{{"command", "register_absence"},
            {"cpr", "0101901234"},
            {"reason", 8},
            {"start", "2025-08-10"},
            {"end", "2025-12-31"}}});
  ASSERT_TRUE(results.ok());
  auto listed = store_->ListOutbox(0, 100);
  ASSERT_TRUE(listed.ok());
  // The given KG 1 placement was also told (entering KG 1).
  ASSERT_EQ(listed->size(), 4u);
  std::set<std::string> ids;
  for (const auto& m : *listed) ids.insert(m.id);
  EXPECT_EQ(ids.size(), 4u);
  int64_t seq = (*results)[0]["seq"].get<int64_t>();
  EXPECT_EQ((*listed)[1].id, std::to_string(seq) + "-1");
  EXPECT_EQ((*listed)[2].id, std::to_string(seq) + "-2");
  EXPECT_EQ((*listed)[1].command_seq, seq);
  EXPECT_NE((*listed)[1].payload.find("afgang"), std::string::npos);
  EXPECT_NE((*listed)[2].payload.find("tilgang"), std::string::npos);
  EXPECT_EQ((*listed)[3].type, "fravaer");
}

TEST_P(AutomationTest, DailyCatchesUpMissedDaysInOrderAndIsIdempotent) {
  Registry(MakeDate(2025, 8, 5));
  GivenDueActions();
  auto first = Daily("2025-08-01");  // the first run ever: only its own day
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ((*first)["days"].size(), 1u);
  EXPECT_TRUE((*first)["days"][0]["actions"].empty());

  // Three missed days (08-02, 08-03, 08-04) and the day itself, in order.
  auto caught_up = Daily("2025-08-05");
  ASSERT_TRUE(caught_up.ok()) << caught_up.status().ToString();
  const auto& days = (*caught_up)["days"];
  ASSERT_EQ(days.size(), 4u) << caught_up->dump();
  std::vector<std::string> dates;
  for (const auto& d : days) dates.push_back(d["date"].get<std::string>());
  EXPECT_EQ(dates, (std::vector<std::string>{"2025-08-02", "2025-08-03", "2025-08-04", "2025-08-05"}));
  EXPECT_TRUE(days[0]["actions"].empty());
  ASSERT_EQ(days[1]["actions"].size(), 1u) << days.dump();
  EXPECT_EQ(days[1]["actions"][0]["rule"], "kg12_to_2_at_30");
  EXPECT_EQ(days[1]["actions"][0]["status"], "accepted") << days.dump();
  EXPECT_EQ(days[1]["actions"][0]["cpr"], "030895-****");
  ASSERT_EQ(days[2]["actions"].size(), 1u) << days.dump();
  EXPECT_EQ(days[2]["actions"][0]["rule"], "deregister_on_start_date");
  EXPECT_EQ(days[2]["actions"][0]["status"], "accepted") << days.dump();
  EXPECT_TRUE(days[3]["actions"].empty());

  // The registry's own facts: channel dfdg, actor = the rule key.
  auto converted = store_->LoadPerson("0308951234");
  ASSERT_TRUE(converted.ok());
  registry::PersonView view(*converted, std::nullopt);
  const registry::Fact* group = view.On(registry::FactKind::kContactGroup, MakeDate(2025, 8, 3));
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->code, 2);
  EXPECT_EQ(group->channel, catalog::Channel::kDfdg);
  EXPECT_EQ(group->actor, "kg12_to_2_at_30");
  EXPECT_EQ(view.On(registry::FactKind::kContactGroup, MakeDate(2025, 8, 2))->code, 12);
  auto deregistered = store_->LoadPerson("0101901234");
  registry::PersonView seeker(*deregistered, std::nullopt);
  EXPECT_EQ(seeker.On(registry::FactKind::kJobseeker, MakeDate(2025, 8, 4)), nullptr);
  ASSERT_NE(seeker.On(registry::FactKind::kJobseeker, MakeDate(2025, 8, 3)), nullptr);

  // A second run for the same day does nothing.
  int64_t facts_before = Facts();
  auto again = Daily("2025-08-05");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)["already_done"].get<bool>());
  EXPECT_TRUE((*again)["days"].empty());
  EXPECT_EQ(Facts(), facts_before);
  EXPECT_EQ(**store_->LastDailyRun(), "2025-08-05");
}

TEST_P(AutomationTest, DailyResumedAfterACrashAppliesNothingTwice) {
  registry::Registry& registry = Registry(MakeDate(2025, 8, 3));
  GivenDueActions();
  // A run that applied 08-03's actions and crashed before marking the day complete.
  auto planned = automation::PlanDay(*Catalog(), *Rules(), store_.get(), MakeDate(2025, 8, 3));
  ASSERT_TRUE(planned.ok());
  ASSERT_EQ(planned->size(), 1u);
  auto applied = registry.ExecuteBatch(*planned);
  ASSERT_TRUE(applied.ok());
  ASSERT_EQ((*applied)[0]["status"], "accepted");
  EXPECT_FALSE(store_->LastDailyRun()->has_value());
  int64_t facts_before = Facts();

  auto resumed = Daily("2025-08-03");
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_TRUE((*resumed)["days"][0]["actions"].empty()) << resumed->dump();  // already converted: nothing due
  EXPECT_EQ(Facts(), facts_before);
  EXPECT_EQ(**store_->LastDailyRun(), "2025-08-03");
  // Replaying the crashed batch itself is a replay by id, not a second conversion.
  auto replay = registry.ExecuteBatch(*planned);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE((*replay)[0].value("replayed", false));
  EXPECT_EQ(Facts(), facts_before);
}

TEST_P(AutomationTest, DailyDryRunChangesNothingAndFutureDatesAreRefused) {
  Registry(MakeDate(2025, 8, 4));
  GivenDueActions();
  int64_t facts_before = Facts();
  auto dry = Daily("2025-08-04", true);
  ASSERT_TRUE(dry.ok()) << dry.status().ToString();
  ASSERT_EQ((*dry)["days"].size(), 1u);
  EXPECT_EQ((*dry)["days"][0]["status"], "planned");
  ASSERT_EQ((*dry)["days"][0]["actions"].size(), 1u);
  EXPECT_EQ((*dry)["days"][0]["actions"][0]["rule"], "deregister_on_start_date");
  EXPECT_EQ(Facts(), facts_before);
  EXPECT_FALSE(store_->LastDailyRun()->has_value());

  auto future = Daily("2025-08-05");
  EXPECT_EQ(future.status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(store_->LastDailyRun()->has_value());
}

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

TEST(AutomationRules, TheRealCatalogueLoadsWithEveryRuleCited) {
  ASSERT_NE(Rules(), nullptr);
  std::set<std::string> keys;
  for (const auto& t : Rules()->triggers) keys.insert(t.cause.rule);
  EXPECT_EQ(keys, (std::set<std::string>{"r75_inactivate_on_contact_group", "r75_inactivate_registered_after_the_fact",
                                         "r75_end_on_akasse_change", "r75_annul_jobcentre_course_on_return_to_kg1"}));
  for (const auto& t : Rules()->triggers) EXPECT_FALSE(t.cause.sources.empty()) << t.cause.rule;
  for (const auto& d : Rules()->daily) EXPECT_FALSE(d.cause.sources.empty()) << d.cause.rule;
  for (const auto& n : Rules()->notifications) EXPECT_FALSE(n.cause.sources.empty()) << n.cause.rule;
}

INSTANTIATE_TEST_SUITE_P(Backends, AutomationTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace dfdg
