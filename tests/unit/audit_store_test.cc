// The audit trail in the store, on both backends (one test list): rows are written by the transaction that
// writes the change they record, or not at all; several connections (processes) appending at once keep ONE
// chain without gaps; the chain detects a changed row.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "audit/chain.h"
#include "store/open_store.h"
#include "test_db.h"

namespace dfdg {
namespace {

class AuditStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql" && testdb::TestPostgresUrl().empty()) {
      GTEST_SKIP() << "no PostgreSQL test cluster (ctest fixture pg_cluster)";
    }
  }
};

audit::AuditEntry Row(const std::string& system, const std::string& outcome) {
  return {0, "2025-09-15T10:00:00.000Z", system, "Københavns Kommune", "0101901234", "POST /v1/Fravaer", outcome, "",
          ""};
}

// Verifies the whole stored chain; the row count or the error.
Result<int64_t> Verify(store::Store& store) {
  audit::ChainVerifier verifier;
  int64_t after = 0;
  for (;;) {  // pages of 7 rows, bounded by the table
    auto page = store.ReadAudit("", after, 7);
    if (!page.ok()) return page.status();
    if (page->empty()) return verifier.rows();
    for (const auto& e : *page) {
      if (Status s = verifier.Next(e); !s.ok()) return s;
    }
    after = page->back().seq;
  }
}

TEST_P(AuditStoreTest, RowsAreWrittenWithTheirTransactionOrNotAtAll) {
  testdb::TestDb db(GetParam());
  ASSERT_TRUE(db.error().empty()) << db.error();
  auto store = store::OpenStore(db.location());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  store::Store& s = **store;
  EXPECT_FALSE(s.AppendAudit({Row("jc-101", "read")}).ok());  // outside a transaction

  // A person's first command and its audit row, in one transaction.
  ASSERT_TRUE(s.Begin().ok());
  std::vector<registry::Fact> facts(1);
  facts[0].entity_id = 1;
  store::CommandRecord command{0, "", "0101901234", "2025-09-15", "set_contact_group", "{}", "{}"};
  ASSERT_TRUE(s.Append("0101901234", 0, 2, &facts, &command).ok());
  ASSERT_TRUE(s.AppendAudit({Row("jc-101", "accepted")}).ok());
  ASSERT_TRUE(s.Commit().ok());

  // Rolled back: neither the change nor its audit rows.
  ASSERT_TRUE(s.Begin().ok());
  facts.assign(1, registry::Fact{});
  ASSERT_TRUE(s.Append("0101901234", 1, 3, &facts, &command).ok());
  ASSERT_TRUE(s.AppendAudit({Row("jc-101", "accepted"), Row("jc-101", "accepted")}).ok());
  s.Rollback();

  // A commit that fails on the person-version check (stale expected version): no audit rows either.
  ASSERT_TRUE(s.Begin().ok());
  facts.assign(1, registry::Fact{});
  EXPECT_TRUE(s.Append("0101901234", 0, 3, &facts, &command).ok());
  ASSERT_TRUE(s.AppendAudit({Row("jc-101", "accepted")}).ok());
  Status stale = s.Commit();
  EXPECT_EQ(stale.code(), Status::Code::kConflict) << stale.ToString();

  // Reads only: the rows in a transaction of their own.
  ASSERT_TRUE(s.Begin().ok());
  ASSERT_TRUE(s.AppendAudit({Row("agency", "read"), Row("jc-147", "refused")}).ok());
  ASSERT_TRUE(s.Commit().ok());

  auto rows = s.ReadAudit("", 0, 100);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].outcome, "accepted");
  EXPECT_EQ((*rows)[1].system, "agency");
  EXPECT_EQ((*rows)[2].outcome, "refused");
  auto head = s.AuditHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 3);
  EXPECT_EQ(head->hash, (*rows)[2].hash);
  auto verified = Verify(s);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(*verified, 3);
  EXPECT_EQ(s.ReadAudit("0202020202", 0, 100)->size(), 0u);
  EXPECT_EQ(s.ReadAudit("0101901234", 0, 100)->size(), 3u);

  // A changed row breaks the chain.
  if (GetParam() == "postgresql") {
    ASSERT_EQ(db.Sql("UPDATE audit SET outcome = 'read' WHERE seq = 1"), "");
    auto again = store::OpenStore(db.location());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(Verify(**again).status().code(), Status::Code::kCorruption);
  }
}

// Four connections (as four service processes) append at once: one chain, numbered without gaps.
TEST_P(AuditStoreTest, ConcurrentWritersKeepOneChain) {
  testdb::TestDb db(GetParam());
  ASSERT_TRUE(db.error().empty()) << db.error();
  { ASSERT_TRUE(store::OpenStore(db.location()).ok()); }  // migrated once
  constexpr int kWriters = 4, kTransactions = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      auto store = store::OpenStore(db.location());
      if (!store.ok()) {
        ++failures;
        return;
      }
      for (int t = 0; t < kTransactions; ++t) {
        if (!(*store)->Begin().ok()) {
          ++failures;
          continue;
        }
        std::string system = "writer-" + std::to_string(w);
        bool ok = (*store)->AppendAudit({Row(system, "read"), Row(system, "refused")}).ok();
        if (!ok || !(*store)->Commit().ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto store = store::OpenStore(db.location());
  ASSERT_TRUE(store.ok());
  auto verified = Verify(**store);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(*verified, kWriters * kTransactions * 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace dfdg
