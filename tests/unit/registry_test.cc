// Registry core on a real SQLite file and a real PostgreSQL primary (one test list, two backends): CPR rules,
// durability across reopen, versioned migrations, bitemporal queries (known_at), corrections that keep history,
// idempotency, and two writers on one file.
#include "registry/registry.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/cpr.h"
#include "store/open_store.h"
#include "store/sqlite/sqlite_store.h"
#include "test_db.h"

namespace dfdg {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;

std::shared_ptr<const catalog::Catalog> RealCatalog() {
  static auto catalog = [] {
    auto loaded = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return *loaded;
  }();
  return catalog;
}

// Store and registry tests run on both backends (one test list, two backends; tests/unit/test_db.h).
class StoreBackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql" && dfdg::testdb::TestPostgresUrl().empty()) {
      GTEST_SKIP() << "no PostgreSQL test cluster (run through ctest: fixture pg_cluster)";
    }
  }
};

Date D(int y, unsigned m, unsigned d) { return MakeDate(y, m, d); }

nlohmann::ordered_json Exec(registry::Registry& registry, Json command) {
  auto results = registry.ExecuteBatch({std::move(command)});
  EXPECT_TRUE(results.ok()) << results.status().ToString();
  return results.ok() ? (*results)[0] : nlohmann::ordered_json{};
}

std::set<int> Codes(const nlohmann::ordered_json& result) {
  std::set<int> codes;
  if (result.contains("violations")) {
    for (const auto& v : result["violations"]) codes.insert(v["code"].get<int>());
  }
  return codes;
}

const char* kCpr = "0101901234";

Json SetGroup(int group, const char* date) {
  return {{"command", "set_contact_group"},
          {"cpr", kCpr},
          {"registered_at", date},
          {"contact_group", group},
          {"start", date}};
}

// KG 2, jobparat, from 2025-01-02.
bool SetUpPerson(registry::Registry& registry) {
  auto group = Exec(registry, SetGroup(2, "2025-01-02"));
  auto visitation =
      Exec(registry,
           {{"command", "set_visitation"}, {"cpr", kCpr}, {"registered_at", "2025-01-02"}, {"category", "jobparat"}});
  return group["status"] == "accepted" && visitation["status"] == "accepted";
}

TEST(CprTest, ValidatesDatePartAndCentury) {
  auto cpr = Cpr::Parse("010190-1234");
  ASSERT_TRUE(cpr.ok());
  EXPECT_EQ(cpr->digits(), "0101901234");
  EXPECT_EQ(cpr->Masked(), "010190-****");
  EXPECT_EQ(cpr->birth_date(), D(1990, 1, 1));
  EXPECT_EQ(Cpr::Parse("0101054000")->birth_date(), D(2005, 1, 1));   // 7th digit 4, yy <= 36
  EXPECT_EQ(Cpr::Parse("0101504000")->birth_date(), D(1950, 1, 1));   // 7th digit 4, yy > 36
  EXPECT_EQ(Cpr::Parse("0101585000")->birth_date(), D(1858, 1, 1));   // 7th digit 5-8, yy > 57
  EXPECT_EQ(Cpr::Parse("2902009000")->birth_date(), D(2000, 2, 29));  // leap day
  EXPECT_TRUE(Cpr::Parse("0101901235").ok());                         // no modulus-11 check
  for (const char* bad :
       {"3102901234", "2902001234", "0113901234", "010190123", "01019012345", "01019O1234", "01-0190-1234", ""}) {
    auto parsed = Cpr::Parse(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    // The error never repeats the number.
    if (!parsed.ok() && std::string(bad).size() >= 6) {
      EXPECT_EQ(parsed.status().message().find(std::string(bad).substr(0, 6)), std::string::npos);
    }
  }
}

TEST_P(StoreBackendTest, AcceptedFactsAreDurableAcrossReopen) {
  dfdg::testdb::TestDb db(GetParam());
  ASSERT_TRUE(db.error().empty()) << db.error();
  FixedClock clock(D(2025, 8, 1));
  {
    auto store = store::OpenStore(db.location());
    ASSERT_TRUE(store.ok());
    registry::Registry registry(RealCatalog(), store->get(), &clock);
    EXPECT_TRUE(SetUpPerson(registry));
    EXPECT_EQ(Exec(registry, {{"command", "register_absence"},
                              {"cpr", kCpr},
                              {"reason", 16},
                              {"start", "2025-08-01"},
                              {"end", "2025-08-10"}})["status"],
              "rejected");  // reason 16 has no row for KG 2
    EXPECT_EQ(Exec(registry,
                   {{"command", "register_absence"}, {"cpr", kCpr}, {"reason", 11}, {"start", "2025-08-01"}})["status"],
              "accepted");
  }
  auto store = store::OpenStore(db.location());
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*store::CountRows(**store, "persons"), 1);
  EXPECT_EQ(*store::CountRows(**store, "commands"), 3);  // rejected commands change nothing
  registry::Registry registry(RealCatalog(), store->get(), &clock);
  auto status = registry.PersonStatus(kCpr, D(2025, 8, 2), std::nullopt);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ((*status)["contact_group"]["id"], 2);
  ASSERT_EQ((*status)["active_absences"].size(), 1u);
  EXPECT_EQ((*status)["active_absences"][0]["reason"], 11);
}

TEST_P(StoreBackendTest, MigrationsAreVersionedAndANewerSchemaIsRefused) {
  dfdg::testdb::TestDb db(GetParam());
  ASSERT_TRUE(db.error().empty()) << db.error();
  {
    auto store = store::OpenStore(db.location());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
  }
  {
    auto again = store::OpenStore(db.location());  // idempotent
    ASSERT_TRUE(again.ok()) << again.status().ToString();
  }
  if (GetParam() == "postgresql") {
    EXPECT_EQ(db.Sql("SELECT count(*) FROM schema_migrations"), "5");  // migrations 1-5 (outbox, audit, delivery, id index)
    EXPECT_EQ(db.Sql("INSERT INTO schema_migrations (version) VALUES (99)"), "");
  } else {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.location().c_str(), &raw), SQLITE_OK);
    sqlite3_exec(raw, "INSERT INTO schema_migrations VALUES (99, 'future')", nullptr, nullptr, nullptr);
    sqlite3_close(raw);
  }
  auto refused = store::OpenStore(db.location());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("newer"), std::string::npos);
}

// Two (here: eight) processes opening the same new file at once must not both run migration 1: every open
// succeeds and the schema is migrated exactly once. Separate processes (fork), as two `dfdg apply --db NEW.db`.
TEST(RegistryTest, ConcurrentFirstOpensMigrateOnce) {
  for (int round = 0; round < 10; ++round) {
    dfdg::testdb::TestDb db("sqlite");
    std::vector<pid_t> children;
    for (int i = 0; i < 8; ++i) {
      pid_t pid = fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        auto store = store::SqliteStore::Open(db.location());
        if (!store.ok()) std::fprintf(stderr, "open failed: %s\n", store.status().ToString().c_str());
        _exit(store.ok() && (*store)->schema_version() == 4 ? 0 : 1);  // migrations 1-4
      }
      children.push_back(pid);
    }
    int failures = 0;
    for (pid_t pid : children) {
      int status = 0;
      waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
    }
    EXPECT_EQ(failures, 0) << "round " << round;
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.location().c_str(), &raw), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(raw, "SELECT COUNT(*) FROM schema_migrations", -1, &stmt, nullptr);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(stmt, 0), 4);  // each of migrations 1-4 exactly once
    sqlite3_finalize(stmt);
    sqlite3_close(raw);
  }
}

TEST_P(StoreBackendTest, KnownAtAndCorrectionsKeepHistory) {
  dfdg::testdb::TestDb db(GetParam());
  ASSERT_TRUE(db.error().empty()) << db.error();
  FixedClock clock(D(2025, 9, 1));
  auto store = store::OpenStore(db.location());
  ASSERT_TRUE(store.ok());
  registry::Registry registry(RealCatalog(), store->get(), &clock);
  ASSERT_TRUE(SetUpPerson(registry));
  auto created = Exec(registry, {{"command", "register_absence"},
                                 {"cpr", kCpr},
                                 {"registered_at", "2025-08-01"},
                                 {"reason", 11},
                                 {"start", "2025-08-01"},
                                 {"end", "2025-08-20"}});
  ASSERT_EQ(created["status"], "accepted");
  int64_t id = created["stored"][0]["entity_id"];
  auto no_comment = Exec(registry, {{"command", "correct_absence"}, {"cpr", kCpr}, {"absence_id", id}});
  EXPECT_EQ(Codes(no_comment), std::set<int>{2019});
  auto corrected = Exec(registry, {{"command", "correct_absence"},
                                   {"cpr", kCpr},
                                   {"registered_at", "2025-08-15"},
                                   {"absence_id", id},
                                   {"comment", "Fejlregistrering"}});
  ASSERT_EQ(corrected["status"], "accepted");
  auto now = registry.PersonStatus(kCpr, D(2025, 8, 10), std::nullopt);
  EXPECT_TRUE((*now)["active_absences"].empty());
  auto before = registry.PersonStatus(kCpr, D(2025, 8, 10), D(2025, 8, 14));
  ASSERT_EQ((*before)["active_absences"].size(), 1u);  // as known on 14 August, before the correction
  auto unknown = registry.PersonStatus(kCpr, D(2025, 8, 10), D(2025, 7, 31));
  EXPECT_TRUE((*unknown)["active_absences"].empty());  // not yet registered
  auto again = Exec(registry, {{"command", "end_absence"}, {"cpr", kCpr}, {"absence_id", id}, {"end", "2025-08-05"}});
  EXPECT_EQ(Codes(again), std::set<int>{2018});
  EXPECT_EQ(*store::CountRows(**store, "facts"), 4);  // group, visitation, absence, tombstone: nothing erased
}

TEST_P(StoreBackendTest, ObligationsCiteTheRowThatLiftsThem) {
  dfdg::testdb::TestDb db(GetParam());
  ASSERT_TRUE(db.error().empty()) << db.error();
  FixedClock clock(D(2025, 8, 1));
  auto store = store::OpenStore(db.location());
  registry::Registry registry(RealCatalog(), store->get(), &clock);
  ASSERT_EQ(Exec(registry, SetGroup(2, "2025-01-02"))["status"], "accepted");
  ASSERT_EQ(Exec(registry, {{"command", "set_visitation"},
                            {"cpr", kCpr},
                            {"registered_at", "2025-01-02"},
                            {"category", "jobparat"}})["status"],
            "accepted");
  ASSERT_EQ(Exec(registry, {{"command", "register_absence"},
                            {"cpr", kCpr},
                            {"reason", 8},
                            {"start", "2025-08-01"},
                            {"end", "2026-01-31"}})["status"],
            "accepted");
  auto status = registry.PersonStatus(kCpr, D(2025, 9, 1), std::nullopt);
  ASSERT_TRUE(status.ok());
  std::map<std::string, nlohmann::ordered_json> by_key;
  for (const auto& o : (*status)["obligations"]) by_key[o["key"]] = o;
  ASSERT_TRUE(by_key.count("tilmelding"));
  EXPECT_EQ(by_key["tilmelding"]["state"], "lifted");
  EXPECT_EQ(by_key["tilmelding"]["lifted_by"][0]["reason"], 8);
  EXPECT_NE(by_key["tilmelding"]["lifted_by"][0]["legal_ref"].get<std::string>().find("§ 13, stk. 9"),
            std::string::npos);
  EXPECT_NE(by_key["tilmelding"]["lifted_by"][0]["source"].get<std::string>().find("001_"), std::string::npos);
  // After the absence ends, the duty applies again.
  auto later = registry.PersonStatus(kCpr, D(2026, 2, 1), std::nullopt);
  for (const auto& o : (*later)["obligations"]) {
    if (o["key"] == "tilmelding") {
      EXPECT_EQ(o["state"], "applies");
    }
  }
}

TEST_P(StoreBackendTest, TwoWritersCannotBothPassAnOverlapBan) {
  dfdg::testdb::TestDb db(GetParam());
  ASSERT_TRUE(db.error().empty()) << db.error();
  FixedClock clock(D(2025, 8, 1));
  auto store_a = store::OpenStore(db.location());
  auto store_b = store::OpenStore(db.location());
  ASSERT_TRUE(store_a.ok() && store_b.ok());
  registry::Registry a(RealCatalog(), store_a->get(), &clock);
  registry::Registry b(RealCatalog(), store_b->get(), &clock);
  ASSERT_TRUE(SetUpPerson(a));
  // Both writers have the person cached; B registers Barsel, then A tries the overlapping Sorgorlov.
  EXPECT_EQ(b.PersonStatus(kCpr, D(2025, 8, 1), std::nullopt).ok(), true);
  ASSERT_EQ(Exec(b, {{"command", "register_absence"},
                     {"cpr", kCpr},
                     {"reason", 8},
                     {"start", "2025-08-01"},
                     {"end", "2025-12-31"}})["status"],
            "accepted");
  auto second = Exec(
      a,
      {{"command", "register_absence"}, {"cpr", kCpr}, {"reason", 79}, {"start", "2025-08-01"}, {"end", "2025-10-31"}});
  EXPECT_EQ(Codes(second), std::set<int>{2013});
}

TEST_P(StoreBackendTest, IdempotentRepeatAndConflictingReuse) {
  dfdg::testdb::TestDb db(GetParam());
  ASSERT_TRUE(db.error().empty()) << db.error();
  FixedClock clock(D(2025, 8, 1));
  auto store = store::OpenStore(db.location());
  registry::Registry registry(RealCatalog(), store->get(), &clock);
  Json command = SetGroup(2, "2025-01-02");
  command["id"] = "req-1";
  auto first = Exec(registry, command);
  auto second = Exec(registry, command);
  EXPECT_EQ(first["status"], "accepted");
  EXPECT_EQ(second["status"], "accepted");
  EXPECT_EQ(second["replayed"], true);
  EXPECT_EQ(second["seq"], first["seq"]);
  EXPECT_EQ(*store::CountRows(**store, "commands"), 1);
  command["contact_group"] = 1;
  EXPECT_EQ(Codes(Exec(registry, command)), std::set<int>{1009});
}

TEST_P(StoreBackendTest, BadInputChangesNothing) {
  dfdg::testdb::TestDb db(GetParam());
  ASSERT_TRUE(db.error().empty()) << db.error();
  FixedClock clock(D(2025, 8, 1));
  auto store = store::OpenStore(db.location());
  registry::Registry registry(RealCatalog(), store->get(), &clock);
  auto results = registry.ExecuteLines(
      {"{not json", "[]", std::string(5000, 'x'), R"({"command":"register_absence","cpr":"0101901234","reason":"8"})",
       R"({"command":"set_contact_group","cpr":"0101901234","contact_group":2,"start":"2025-02-30"})"});
  ASSERT_TRUE(results.ok());
  auto codes = [&](size_t i) { return Codes(nlohmann::ordered_json::parse((*results)[i].json)); };
  for (size_t i = 0; i < results->size(); ++i) EXPECT_FALSE((*results)[i].accepted) << i;
  EXPECT_EQ(codes(0), std::set<int>{1001});
  EXPECT_EQ(codes(1), std::set<int>{1001});
  EXPECT_EQ(codes(2), std::set<int>{1001});
  EXPECT_EQ(codes(3), (std::set<int>{1003}));
  EXPECT_EQ(codes(4), std::set<int>{1005});
  EXPECT_EQ(*store::CountRows(**store, "commands"), 0);
  EXPECT_EQ(*store::CountRows(**store, "facts"), 0);
}

// An over-long line (5 MB) gets its own code, and the lines after it still go on.
TEST(RegistryTest, OverLongLineIsRejectedWithItsOwnCodeAndTheRestGoesOn) {
  dfdg::testdb::TestDb db("sqlite");
  FixedClock clock(D(2025, 8, 1));
  auto store = store::SqliteStore::Open(db.location());
  registry::Registry registry(RealCatalog(), store->get(), &clock);
  std::string huge =
      R"({"command":"set_contact_group","cpr":"0101901234","contact_group":2,"start":"2025-07-01","comment":")" +
      std::string(5 * 1024 * 1024, 'x') + R"("})";
  std::string at_limit(registry::kMaxCommandLineBytes, ' ');  // the limit itself: not 1010 (blank JSON → 1001)
  std::string over_limit(registry::kMaxCommandLineBytes + 1, ' ');
  auto results = registry.ExecuteLines(
      {huge, at_limit, over_limit,
       R"({"command":"set_contact_group","cpr":"0101901234","contact_group":2,"start":"2025-07-01"})"});
  ASSERT_TRUE(results.ok());
  auto codes = [&](size_t i) { return Codes(nlohmann::ordered_json::parse((*results)[i].json)); };
  EXPECT_EQ(codes(0), std::set<int>{1010});
  EXPECT_EQ(codes(1), std::set<int>{1001});
  EXPECT_EQ(codes(2), std::set<int>{1010});
  EXPECT_TRUE((*results)[3].accepted) << (*results)[3].json;
  auto first = nlohmann::json::parse((*results)[0].json);
  EXPECT_NE(first["violations"][0]["message_da"].get<std::string>().find("1048576"), std::string::npos);
}

// Danish texts are Danish throughout and English texts English, details included: every form and rule
// violation produced here is checked for words of the other language.
TEST(RegistryTest, MessagesAreInOneLanguage) {
  dfdg::testdb::TestDb db("sqlite");
  FixedClock clock(D(2025, 8, 1));
  auto store = store::SqliteStore::Open(db.location());
  registry::Registry registry(RealCatalog(), store->get(), &clock);
  auto results = registry.ExecuteLines({
      "{not json",
      "[]",
      R"({"command":"set_contact_group","cpr":"3102901234","contact_group":2,"start":"2025-07-01"})",
      R"({"command":"set_contact_group","cpr":"12","contact_group":2,"start":"2025-07-01"})",
      R"({"command":"set_contact_group","cpr":"0101901234","contact_group":"x","start":"2025-02-30"})",
      R"({"command":"set_contact_group","cpr":"0101901234","contact_group":999,"start":"01-07-2025"})",
      R"({"command":"set_contact_group","cpr":"0101901234","contact_group":2,"start":5,"bogus":1})",
      R"({"command":"register_absence","cpr":"0101901234","reason":8,"start":"2025-07-01","channel":"x"})",
      R"({"command":"register_absence","reason":8,"start":"2025-07-01","comment":7})",
      R"({"command":"register_absence","cpr":"0101901234","reason":8,"start":"2025-07-01","absence_id":-1,"mindre_intensiv":3})",
      R"({"command":"register_jobseeker","cpr":"0101901234","start":"2025-07-01","job_titles":"x"})",
      R"({"command":"create_summons","cpr":"0101901234","date":"2025-08-02","start_time":"25:99"})",
      R"({"command":"nonsense","cpr":"0101901234"})",
      std::string(registry::kMaxCommandLineBytes + 1, ' '),
  });
  ASSERT_TRUE(results.ok());
  const std::vector<std::string> english_words = {" the ",      "expected", "missing",  "must ",    "not a ", "invalid",
                                                  "characters", "syntax",   "field of", "real day", "digits"};
  const std::vector<std::string> danish_words = {"æ",    "ø",       "å",          "Æ",     "Ø",       "Å",    " er ",
                                                 "ikke", "mangler", "forventede", "skal ", "ugyldig", "felt "};
  int checked = 0;
  for (const auto& r : *results) {
    auto result = nlohmann::json::parse(r.json);
    for (const auto& v : result["violations"]) {
      std::string da = v["message_da"].get<std::string>();
      std::string en = v["message_en"].get<std::string>();
      for (const auto& w : english_words) EXPECT_EQ(da.find(w), std::string::npos) << "da: " << da;
      for (const auto& w : danish_words) EXPECT_EQ(en.find(w), std::string::npos) << "en: " << en;
      ++checked;
    }
  }
  EXPECT_GE(checked, 20);
}

TEST(RegistryTest, EveryViolationCodeUsedIsInTheCatalogue) {
  // Every code the registry's sources emit (Add(NNNN, ...) / MakeViolation(..., NNNN, ...)) must exist in
  // catalog/violations.yaml with both languages.
  std::set<int> codes;
  for (const auto& v : RealCatalog()->model().violations) {
    codes.insert(v.code);
    EXPECT_FALSE(v.message_da.empty());
    EXPECT_FALSE(v.message_en.empty());
  }
  std::regex emitted(R"((?:Add\(|MakeViolation\([^,]+, )(\d{4}))");
  std::set<int> used;
  for (const auto& entry : fs::directory_iterator(fs::path(DFDG_SOURCE_DIR) / "src" / "registry")) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::string body = text.str();
    for (std::sregex_iterator it(body.begin(), body.end(), emitted), end; it != end; ++it) {
      used.insert(std::stoi((*it)[1]));
    }
  }
  EXPECT_GT(used.size(), 40u);
  for (int code : used) EXPECT_TRUE(codes.count(code)) << "code " << code << " is emitted but not in the catalogue";
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreBackendTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace dfdg
