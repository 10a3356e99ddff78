// PostgreSQL-only behaviour of the store, on the real test cluster (primary + synchronous streaming replica,
// scripts/pg-cluster.sh): migrations started by several processes at once, the person-version check under
// concurrent writers on separate connections, and the durability settings.
#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "registry/registry.h"
#include "store/open_store.h"
#include "store/postgres/routed_store.h"
#include "test_db.h"

namespace dfdg {
namespace {
using Json = nlohmann::json;
using testdb::RunSql;
using testdb::TestDb;
using testdb::TestPostgresUrl;

std::shared_ptr<const catalog::Catalog> Catalog() {
  static auto catalog = [] {
    auto loaded = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return *loaded;
  }();
  return catalog;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (TestPostgresUrl().empty()) GTEST_SKIP() << "no PostgreSQL test cluster (ctest fixture pg_cluster)";
  }
};

std::string Status(registry::Registry& registry, const Json& command) {
  auto results = registry.ExecuteBatch({command});
  if (!results.ok()) return "error: " + results.status().ToString();
  return (*results)[0]["status"];
}

// A batch that conflicts twice with other writers is reported as an error and changes nothing; a client
// retries it (bounded). Only Conflict errors are expected.
std::string RetriedStatus(registry::Registry& registry, const Json& command) {
  std::string status = Status(registry, command);
  for (int retry = 0; retry < 50 && status.find("error") == 0; ++retry) {
    EXPECT_NE(status.find("onflict"), std::string::npos) << status;
    status = Status(registry, command);
  }
  return status;
}

TEST_F(PostgresStoreTest, MigrationsStartedAtOnceRunOnce) {
  TestDb db("postgresql");
  ASSERT_TRUE(db.error().empty()) << db.error();
  std::atomic<int> opened{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto store = store::PostgresStore::Open(db.location());
      EXPECT_TRUE(store.ok()) << store.status().ToString();
      if (store.ok() && (*store)->schema_version() == 5) ++opened;  // migrations 1-5
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(opened.load(), 4);
  EXPECT_EQ(db.Sql("SELECT count(*) FROM schema_migrations"), "5");
  EXPECT_EQ(db.Sql("SELECT n FROM write_clock"), "0");
}

TEST_F(PostgresStoreTest, ConcurrentWritersOnOnePersonLoseNoUpdate) {
  TestDb db("postgresql");
  ASSERT_TRUE(db.error().empty()) << db.error();
  FixedClock clock(MakeDate(2025, 8, 1));
  constexpr int kPerWriter = 25;
  std::atomic<int> accepted{0};
  auto writer = [&](int w) {
    auto store = store::OpenStore(db.location());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    registry::Registry registry(Catalog(), store->get(), &clock);
    for (int i = 0; i < kPerWriter; ++i) {
      Json c = {{"command", "set_contact_group"},
                {"id", std::string("w").append(std::to_string(w)).append("-").append(std::to_string(i))},
                {"cpr", "0101901234"},
                {"registered_at", "2025-01-02"},
                {"contact_group", 1 + (i % 2)},
                {"start", "2025-01-02"}};
      if (RetriedStatus(registry, c) == "accepted") ++accepted;
    }
  };
  std::thread a(writer, 0), b(writer, 1);
  a.join();
  b.join();
  EXPECT_EQ(accepted.load(), 2 * kPerWriter);
  // Every accepted command moved the version by one and its facts are in both the person row and `facts`.
  EXPECT_EQ(db.Sql("SELECT version FROM persons"), std::to_string(2 * kPerWriter));
  EXPECT_EQ(db.Sql("SELECT count(*) FROM commands"), std::to_string(2 * kPerWriter));
  auto store = store::OpenStore(db.location());
  ASSERT_TRUE(store.ok());
  auto history = (*store)->LoadPerson("0101901234");
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(std::to_string(history->facts.size()), db.Sql("SELECT count(*) FROM facts"));
}

TEST_F(PostgresStoreTest, TwoConnectionsCannotBothPassAnOverlapBanAtOnce) {
  TestDb db("postgresql");
  ASSERT_TRUE(db.error().empty()) << db.error();
  FixedClock clock(MakeDate(2025, 8, 1));
  constexpr int kPersons = 8;
  auto cpr = [](int p) { return "010190" + std::to_string(10000 + p).substr(1); };
  {
    auto store = store::OpenStore(db.location());
    ASSERT_TRUE(store.ok());
    registry::Registry setup(Catalog(), store->get(), &clock);
    for (int p = 0; p < kPersons; ++p) {
      ASSERT_EQ(Status(setup, {{"command", "set_contact_group"},
                               {"cpr", cpr(p)},
                               {"registered_at", "2025-01-02"},
                               {"contact_group", 2},
                               {"start", "2025-01-02"}}),
                "accepted");
      ASSERT_EQ(Status(setup, {{"command", "set_visitation"},
                               {"cpr", cpr(p)},
                               {"registered_at", "2025-01-02"},
                               {"category", "jobparat"}}),
                "accepted");
    }
  }
  // Barsel (8) and Sorgorlov (79) may not overlap: per person exactly one of the two writers may win.
  std::atomic<int> accepted{0};
  auto writer = [&](int reason) {
    auto store = store::OpenStore(db.location());
    ASSERT_TRUE(store.ok());
    registry::Registry registry(Catalog(), store->get(), &clock);
    for (int p = 0; p < kPersons; ++p) registry.PersonStatus(cpr(p), MakeDate(2025, 8, 1), std::nullopt);
    for (int p = 0; p < kPersons; ++p) {
      Json c = {{"command", "register_absence"},
                {"cpr", cpr(p)},
                {"reason", reason},
                {"start", "2025-08-01"},
                {"end", "2025-10-31"}};
      if (RetriedStatus(registry, c) == "accepted") ++accepted;
    }
  };
  std::thread a(writer, 8), b(writer, 79);
  a.join();
  b.join();
  EXPECT_EQ(accepted.load(), kPersons);
  EXPECT_EQ(db.Sql("SELECT count(*) FROM commands WHERE command = 'register_absence'"), std::to_string(kPersons));
}

TEST_F(PostgresStoreTest, AcknowledgedCommitIsOnTheSynchronousReplica) {
  std::string primary = TestPostgresUrl(), replica = TestPostgresUrl("REPLICA_URL");
  ASSERT_FALSE(replica.empty());
  EXPECT_EQ(RunSql(primary, "SHOW synchronous_commit"), "on");
  EXPECT_EQ(RunSql(primary, "SHOW synchronous_standby_names"), "FIRST 1 (replica1)");
  EXPECT_EQ(RunSql(primary, "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'replica1'"), "sync");
  EXPECT_EQ(RunSql(replica, "SELECT pg_is_in_recovery()"), "t");
  TestDb db("postgresql");
  ASSERT_TRUE(db.error().empty()) << db.error();
  FixedClock clock(MakeDate(2025, 8, 1));
  auto store = store::OpenStore(db.location());
  ASSERT_TRUE(store.ok());
  registry::Registry registry(Catalog(), store->get(), &clock);
  ASSERT_EQ(Status(registry, {{"command", "set_contact_group"},
                              {"cpr", "0101901234"},
                              {"registered_at", "2025-01-02"},
                              {"contact_group", 2},
                              {"start", "2025-01-02"}}),
            "accepted");
  // The commit returned, so the replica has flushed it (synchronous_commit=on); replay follows within a
  // bounded wait, then the replica shows the person.
  std::string on_replica;
  for (int i = 0; i < 100 && on_replica != "1"; ++i) {
    on_replica = RunSql(replica + "?options=-csearch_path%3D" + db.location().substr(db.location().find("%3D") + 3),
                        "SELECT version FROM persons WHERE cpr = '0101901234'");
    if (on_replica != "1") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(on_replica, "1");
}

TEST_F(PostgresStoreTest, ReadsRoutedToTheReplicaSeeTheCallersOwnWrites) {
  std::string replica = TestPostgresUrl("REPLICA_URL");
  ASSERT_FALSE(replica.empty());
  TestDb db("postgresql");
  ASSERT_TRUE(db.error().empty()) << db.error();
  std::string replica_location = replica + db.location().substr(db.location().find('?'));
  auto opened = store::OpenStore(db.location(), replica_location);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto* routed = dynamic_cast<store::RoutedStore*>(opened->get());
  ASSERT_NE(routed, nullptr);
  FixedClock clock(MakeDate(2025, 8, 1));
  registry::Registry registry(Catalog(), routed, &clock);
  auto group_on = [&](int group) {
    auto status = registry.PersonStatus("0101901234", MakeDate(2025, 8, 1), std::nullopt);
    return status.ok() && (*status)["contact_group"]["id"] == group;
  };
  ASSERT_EQ(Status(registry, {{"command", "set_contact_group"},
                              {"cpr", "0101901234"},
                              {"registered_at", "2025-01-02"},
                              {"contact_group", 2},
                              {"start", "2025-01-02"}}),
            "accepted");
  int64_t replica_before = routed->replica_reads();
  EXPECT_TRUE(group_on(2));
  EXPECT_EQ(routed->replica_reads(), replica_before + 1);  // a replica that has caught up serves the read
  // A lagging replica: replay paused (resumed at scope exit, also on failure).
  ASSERT_EQ(RunSql(replica, "SELECT pg_wal_replay_pause()"), "");
  struct Resume {
    std::string url;
    ~Resume() { RunSql(url, "SELECT pg_wal_replay_resume()"); }
  } resume{replica};
  ASSERT_EQ(Status(registry, {{"command", "set_contact_group"},
                              {"cpr", "0101901234"},
                              {"registered_at", "2025-02-03"},
                              {"contact_group", 1},
                              {"start", "2025-02-03"}}),
            "accepted");
  int64_t primary_before = routed->primary_reads();
  EXPECT_TRUE(group_on(1));  // never the older state: after the bounded wait the primary answers
  EXPECT_EQ(routed->primary_reads(), primary_before + 1);
  EXPECT_EQ(RunSql(replica_location, "SELECT version FROM persons"), "1");  // the replica really lags
}

// Two connections, both in an open transaction: the same idempotency id for two persons, and the same new person
// twice. The second commit of each pair is a Conflict and writes nothing (the partial unique index of migration 5
// and the COPY of new persons into `persons`); a command without an id is stored with a NULL id.
TEST_F(PostgresStoreTest, SecondUseOfAnIdOrNewPersonInConcurrentTransactionsIsAConflict) {
  TestDb db("postgresql");
  ASSERT_TRUE(db.error().empty()) << db.error();
  auto a = store::PostgresStore::Open(db.location());
  auto b = store::PostgresStore::Open(db.location());
  ASSERT_TRUE(a.ok() && b.ok());
  auto append = [](store::PostgresStore& store, const std::string& cpr, const std::string& id) {
    std::vector<registry::Fact> facts;
    store::CommandRecord record{0, id, cpr, "2025-08-01", "set_municipality", "{\"id\":\"" + id + "\"}", "{}"};
    EXPECT_TRUE(store.Begin().ok());
    dfdg::Status s = store.Append(cpr, 0, 1, &facts, &record);
    EXPECT_TRUE(s.ok()) << s.ToString();
  };
  append(**a, "0101700001", "same-id");
  append(**b, "0202700002", "same-id");
  EXPECT_TRUE((*a)->Commit().ok());
  dfdg::Status second = (*b)->Commit();
  EXPECT_EQ(second.code(), dfdg::Status::Code::kConflict) << second.ToString();

  append(**a, "0303700003", "");
  append(**b, "0303700003", "");
  EXPECT_TRUE((*a)->Commit().ok());
  second = (*b)->Commit();
  EXPECT_EQ(second.code(), dfdg::Status::Code::kConflict) << second.ToString();
  EXPECT_EQ(db.Sql("SELECT count(*) FROM commands"), "2");
  EXPECT_EQ(db.Sql("SELECT count(*) FROM commands WHERE id IS NULL AND cpr = '0303700003'"), "1");
  EXPECT_EQ(db.Sql("SELECT string_agg(cpr, ',' ORDER BY cpr) FROM persons"), "0101700001,0303700003");
}

TEST_F(PostgresStoreTest, UnreachableServerIsAClearError) {
  auto store = store::OpenStore("postgresql://dfdg@127.0.0.1:1/dfdg?connect_timeout=2");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("cannot connect to PostgreSQL"), std::string::npos);
}

}  // namespace
}  // namespace dfdg
