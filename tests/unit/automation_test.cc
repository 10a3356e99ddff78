// DFDG's own actions on both backends (real SQLite file, real PostgreSQL primary): the outbox commits and rolls
// back with its transaction, and `dfdg daily` is idempotent,
// catches up missed days in order, resumes without applying anything twice, and changes nothing in a dry run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "automation/daily.h"
#include "automation/rules.h"
#include "automation_catalog.h"
#include "registry/registry.h"
#include "store/open_store.h"
#include "store_backend_test.h"

namespace dfdg {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;

using automation_test_support::Catalog;
using automation_test_support::Rules;

class AutomationTest : public testdb::StoreBackendTest {
 protected:
  void TearDown() override {
    registry_.reset();
    StoreBackendTest::TearDown();
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
  auto listed = store_->ListOutbox(0, 100);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, "7-1");
  EXPECT_LT((*listed)[0].seq, (*listed)[1].seq) << "seq follows the order written";
  if (kept[0].seq != 0) {
    EXPECT_EQ(kept[0].seq, (*listed)[0].seq) << "a seq written back is the stored one";
  }
  EXPECT_EQ((*listed)[1].payload, R"({"reason":8})");
  EXPECT_EQ((*listed)[1].state, "pending");
  auto after_first = store_->ListOutbox((*listed)[0].seq, 100);
  ASSERT_TRUE(after_first.ok());
  ASSERT_EQ(after_first->size(), 1u);
  EXPECT_EQ((*after_first)[0].id, "7-2");
  auto found = store_->FindOutbox("7-2");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->cpr, "0101901234");
  auto missing = store_->FindOutbox("9-9");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  // An id is unique: a second message with it is refused, by AppendOutbox or at the latest by Commit (store.h),
  // and nothing of the transaction is written.
  std::vector<store::OutboxMessage> duplicate = {Message("7-1")};
  ASSERT_TRUE(store_->Begin().ok());
  Status refused = store_->AppendOutbox(&duplicate);
  if (refused.ok()) refused = store_->Commit();
  EXPECT_EQ(refused.code(), Status::Code::kConflict);
  store_->Rollback();
  EXPECT_EQ(store_->ListOutbox(0, 100)->size(), 2u);

  // After the refusal the store writes messages again (SQLite's insert statement is reused, not left failed;
  // PostgreSQL's staged rows of the refused transaction are gone).
  std::vector<store::OutboxMessage> again = {Message("7-3"), Message("7-4")};
  again[1].payload = R"({"reason":9})";
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->AppendOutbox(&again).ok());
  ASSERT_TRUE(store_->Commit().ok());
  auto all = store_->ListOutbox(0, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[2].id, "7-3");
  EXPECT_LT((*all)[1].seq, (*all)[2].seq);
  EXPECT_EQ((*all)[3].id, "7-4");
  EXPECT_EQ((*all)[3].payload, R"({"reason":9})");
  EXPECT_EQ((*all)[2].payload, R"({"reason":8})");
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

// M8 and M13 on both backends (docs/automation.md; tests/scenarios/akasse-messages.yaml has the cases): in one
// batch, the a-kasse's CV status goes to the job centre of the person's municipality, the job centre's own held
// interview does not, and a counter the former a-kasse reports goes to the member's a-kasse; each message carries
// its command.
TEST_P(AutomationTest, TheAkassesRegistrationsReachTheJobCentreAndTheMembersAkasse) {
  registry::Registry& registry = Registry(MakeDate(2025, 8, 1));
  Accept({{"command", "set_contact_group"},
          {"cpr", "0101901234"},
          {"registered_at", "2025-01-01"},
          {"contact_group", 1},
          {"start", "2025-01-01"}});
  Accept({{"command", "set_municipality"},
          {"cpr", "0101901234"},
          {"registered_at", "2025-01-01"},
          {"municipality", 147},
          {"start", "2025-01-01"}});
  Accept({{"command", "set_akasse"},
          {"cpr", "0101901234"},
          {"registered_at", "2025-01-01"},
          {"akasse", "20"},
          {"start", "2025-01-01"}});
  Accept({{"command", "register_akasse_intake"},
          {"cpr", "0101901234"},
          {"channel", "akasse"},
          {"actor", "10"},
          {"registered_at", "2025-06-01"},
          {"event", "transfer"},
          {"start", "2025-06-01"},
          {"insurance_category", "fuldtid"},
          {"akasse_code", "10"},
          {"branch", "1"}});
  auto before = store_->ListOutbox(0, 100);
  ASSERT_TRUE(before.ok());
  const int64_t seen = before->empty() ? 0 : before->back().seq;
  auto results = registry.ExecuteBatch({Json{{"command", "set_cv_status"},
                                             {"cpr", "0101901234"},
                                             {"channel", "akasse"},
                                             {"actor", "10"},
                                             {"status", "fyldestgoerende"}},
                                        Json{{"command", "register_interview"},
                                             {"cpr", "0101901234"},
                                             {"date", "2025-08-01"},
                                             {"type", "jobsamtale"},
                                             {"form", "telefonisk"}},
                                        Json{{"command", "create_dagpenge_consumption"},
                                             {"cpr", "0101901234"},
                                             {"channel", "akasse"},
                                             {"actor", "20"},
                                             {"hours_used", 100},
                                             {"hours_remaining", 3748},
                                             {"consumption_month", "2025-05-31"},
                                             {"computation_date", "2025-08-01"},
                                             {"akasse_code", "20"}}});
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  for (const auto& r : *results) ASSERT_EQ(r["status"], "accepted") << r.dump();
  auto listed = store_->ListOutbox(seen, 100);
  ASSERT_TRUE(listed.ok());
  // The job centre's held job interview in KG 1 goes to the member's a-kasse (M7, § 27 stk. 5), not to the job
  // centre: only the a-kasse's own registrations do (M8).
  // The counter goes to the job centre and Danmarks Statistik (§ 82 stk. 1, record_forwarding) and, reported by
  // another a-kasse than the member's, to the member's a-kasse once (§ 82 stk. 2 / § 67 stk. 6).
  ASSERT_EQ(listed->size(), 5u);
  EXPECT_EQ((*listed)[0].type, "akasse_registrering");
  EXPECT_EQ((*listed)[0].recipient_kind, "jobcenter");
  EXPECT_EQ((*listed)[0].recipient, "147");
  EXPECT_EQ((*listed)[0].command_seq, (*results)[0]["seq"].get<int64_t>());
  EXPECT_NE((*listed)[0].payload.find("fyldestgoerende"), std::string::npos);
  EXPECT_EQ((*listed)[1].type, "samtale");
  EXPECT_EQ((*listed)[1].recipient_kind, "akasse");
  EXPECT_EQ((*listed)[1].recipient, "10");
  EXPECT_EQ((*listed)[1].command_seq, (*results)[1]["seq"].get<int64_t>());
  EXPECT_EQ((*listed)[2].type, "videregivelse");
  EXPECT_EQ((*listed)[2].recipient_kind, "jobcenter");
  EXPECT_EQ((*listed)[2].recipient, "147");
  EXPECT_NE((*listed)[2].payload.find("p82_1_jobcenter"), std::string::npos);
  EXPECT_EQ((*listed)[3].type, "videregivelse");
  EXPECT_EQ((*listed)[3].recipient_kind, "myndighed");
  EXPECT_EQ((*listed)[3].recipient, "danmarks_statistik");
  EXPECT_EQ((*listed)[4].type, "taeller_anden_akasse");
  EXPECT_EQ((*listed)[4].recipient_kind, "akasse");
  EXPECT_EQ((*listed)[4].recipient, "10");
  for (size_t i = 2; i < 5; ++i) EXPECT_EQ((*listed)[i].command_seq, (*results)[2]["seq"].get<int64_t>());
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

// Seed 002 §7.1 (002:1155): "Data slettes i DFDG 6 måneder efter kontaktrelationens slutdato". A caseworker
// record ended 2025-01-31 is deleted on 2025-07-31 (not on 07-30); one ended 2024-08-31 on 2025-02-28 (the
// month clamps); an open one never. Every version is erased; the deletion stays as DFDG's own version.
TEST_P(AutomationTest, RetentionDeletesContactPersonsAtTheLimitAndErasesEveryVersion) {
  registry::Registry& registry = Registry(MakeDate(2025, 9, 1));
  const std::string cpr = "0101901234";
  Accept({{"command", "set_contact_group"},
          {"cpr", cpr},
          {"registered_at", "2024-08-01"},
          {"contact_group", 1},
          {"start", "2024-08-01"}});
  auto caseworker = [&](const char* id, const char* name, const char* start, std::optional<const char*> end) {
    Json c{{"command", "create_caseworker"},
           {"id", id},
           {"cpr", cpr},
           {"registered_at", start},
           {"caseworker_type", "3"},
           {"name", name},
           {"email", "a@jobcenter.dk"},
           {"start", start},
           {"note_caseworker", "Personlig note"}};
    if (end) c["end"] = *end;
    auto results = registry.ExecuteBatch({c});
    EXPECT_EQ((*results)[0]["status"], "accepted") << (*results)[0].dump();
    return (*results)[0]["stored"][0]["entity_id"].get<int64_t>();
  };
  int64_t january = caseworker("cw-1", "Anna Hansen", "2025-01-02", "2025-01-31");
  Accept({{"command", "change_caseworker"},
          {"id", "cw-1b"},
          {"cpr", cpr},
          {"registered_at", "2025-01-10"},
          {"caseworker_id", january},
          {"phone", "12345678"}});
  int64_t august = caseworker("cw-2", "Bo Berg", "2024-08-01", "2024-08-31");
  int64_t open = caseworker("cw-3", "Carl Dahl", "2025-01-02", std::nullopt);
  auto current = [&](int64_t entity) {
    auto view = registry::PersonView(*store_->LoadPerson(cpr), std::nullopt);
    return view.Entity(entity) != nullptr;
  };

  // The first run starts at its date: 2025-02-27 is the day before the limit of the record ended 2024-08-31.
  auto before = Daily("2025-02-27");
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_TRUE((*before)["days"][0]["actions"].empty()) << before->dump();
  EXPECT_TRUE(current(august));
  auto at_limit = Daily("2025-02-28");
  ASSERT_TRUE(at_limit.ok()) << at_limit.status().ToString();
  ASSERT_EQ((*at_limit)["days"][0]["actions"].size(), 1u) << at_limit->dump();
  EXPECT_EQ((*at_limit)["days"][0]["actions"][0]["command"], "delete_caseworker");
  EXPECT_EQ((*at_limit)["days"][0]["actions"][0]["status"], "accepted");
  ASSERT_EQ((*at_limit)["days"][0]["erased"].size(), 1u);
  EXPECT_EQ((*at_limit)["days"][0]["erased"][0]["entity_id"], august);
  EXPECT_EQ((*at_limit)["days"][0]["erased"][0]["versions"], 2);  // the create and the deletion
  EXPECT_FALSE(current(august));

  // Up to 2025-07-30 (catching up every day): the January record stays.
  auto day_before = Daily("2025-07-30");
  ASSERT_TRUE(day_before.ok()) << day_before.status().ToString();
  for (const auto& day : (*day_before)["days"]) EXPECT_TRUE(day["actions"].empty()) << day.dump();
  EXPECT_TRUE(current(january));
  // --dry-run lists the deletion and the erasure and changes nothing.
  auto dry = Daily("2025-07-31", true);
  ASSERT_TRUE(dry.ok());
  ASSERT_EQ((*dry)["days"][0]["actions"].size(), 1u);
  EXPECT_EQ((*dry)["days"][0]["actions"][0]["rule"], "delete_contact_persons_6_months");
  ASSERT_EQ((*dry)["days"][0]["erased"].size(), 1u);
  EXPECT_TRUE(current(january));

  // A run that deleted but crashed before erasing: the next run erases what is left.
  auto planned = automation::PlanDay(*Catalog(), *Rules(), store_.get(), MakeDate(2025, 7, 31));
  ASSERT_TRUE(planned.ok());
  ASSERT_EQ(planned->size(), 1u);
  ASSERT_EQ((*registry.ExecuteBatch(*planned))[0]["status"], "accepted");
  EXPECT_FALSE(current(january));
  auto resumed = Daily("2025-07-31");
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_TRUE((*resumed)["days"][0]["actions"].empty());
  ASSERT_EQ((*resumed)["days"][0]["erased"].size(), 1u) << resumed->dump();
  EXPECT_EQ((*resumed)["days"][0]["erased"][0]["entity_id"], january);
  EXPECT_EQ((*resumed)["days"][0]["erased"][0]["versions"], 3);  // create, change, deletion

  // Nothing of the deleted records' personal data is left; the deletion is recorded as DFDG's own.
  auto history = store_->LoadPerson(cpr);
  ASSERT_TRUE(history.ok());
  int deletions = 0;
  for (const auto& f : history->facts) {
    if (f.entity_id != january && f.entity_id != august) continue;
    std::string text = f.extra.dump() + f.comment;
    EXPECT_EQ(text.find("Anna"), std::string::npos) << text;
    EXPECT_EQ(text.find("Bo Berg"), std::string::npos) << text;
    EXPECT_EQ(text.find("jobcenter.dk"), std::string::npos) << text;
    EXPECT_EQ(text.find("12345678"), std::string::npos) << text;
    EXPECT_EQ(f.extra["erased"]["rule"], "delete_contact_persons_6_months") << text;
    if (f.deleted) {
      ++deletions;
      EXPECT_EQ(f.channel, catalog::Channel::kDfdg);
      EXPECT_EQ(f.actor, "delete_contact_persons_6_months");
    }
  }
  EXPECT_EQ(deletions, 2);
  for (const char* id : {"cw-1", "cw-1b", "cw-2"}) {
    auto command = store_->FindCommand(id);
    ASSERT_TRUE(command.ok() && command->has_value()) << id;
    EXPECT_EQ((*command)->request.find("Anna"), std::string::npos);
    EXPECT_EQ((*command)->result.find("Anna"), std::string::npos);
    EXPECT_EQ((*command)->result.find("Bo Berg"), std::string::npos);
    EXPECT_NE((*command)->request.find("\"erased\":true"), std::string::npos) << (*command)->request;
  }
  // The open record and its command are untouched; a second erasure erases nothing.
  EXPECT_TRUE(current(open));
  EXPECT_NE((*store_->FindCommand("cw-3"))->request.find("Carl Dahl"), std::string::npos);
  EXPECT_EQ(*store_->EraseEntity(cpr, january, "{}"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, AutomationTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace dfdg
