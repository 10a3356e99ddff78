// WAL checkpoints of the SQLite store (docs/storage.md "WAL checkpoints"), on a real file: with the background
// checkpointer the commits run no checkpoint, its thread does, the WAL goes back to 0 bytes when no commit
// comes, and every committed row is there after reopening; past the WAL bound a commit checkpoints itself, so
// the WAL stays bounded when the checkpointer does not keep up.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/wal_stats.h"

namespace dfdg {
namespace {

class SqliteCheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "dfdg-ckpt-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = dir_ + "/c.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // `n` commits of one audit row each.
  static void CommitRows(store::SqliteStore& store, int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(store.Begin().ok());
      ASSERT_TRUE(store
                      .AppendAudit({{0, "2025-09-15T10:00:00.000Z", "jc-101", "Københavns Kommune", "0101901234",
                                     "POST /v1/Fravaer", "accepted " + std::to_string(i), "", ""}})
                      .ok());
      ASSERT_TRUE(store.Commit().ok());
    }
  }

  int64_t RowsAfterReopen() {
    auto reopened = store::SqliteStore::Open(path_);
    EXPECT_TRUE(reopened.ok());
    if (!reopened.ok()) return -1;
    int64_t rows = 0, after = 0;
    for (;;) {
      auto page = (*reopened)->ReadAudit("", after, 1000);
      EXPECT_TRUE(page.ok());
      if (!page.ok() || page->empty()) return rows;
      rows += static_cast<int64_t>(page->size());
      after = page->back().seq;
    }
  }

  uintmax_t WalBytes() const {
    std::error_code error;
    uintmax_t size = std::filesystem::file_size(path_ + "-wal", error);
    return error ? 0 : size;
  }

  std::string dir_, path_;
};

TEST_F(SqliteCheckpointTest, TheCheckpointerCheckpointsBesideTheCommitsAndTruncatesWhenIdle) {
  store::WalStats& stats = store::ProcessWalStats();
  {
    auto store = store::SqliteStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store::CheckpointPolicy policy;
    policy.passive_pages = 16;
    policy.max_pages = 1000000;
    policy.idle = std::chrono::milliseconds(200);
    ASSERT_TRUE((*store)->StartCheckpointer(policy).ok());
    uint64_t in_commit = stats.inline_checkpoints, background = stats.background_checkpoints;
    CommitRows(**store, 300);
    for (int i = 0; i < 100 && stats.background_checkpoints == background; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_GT(stats.background_checkpoints, background) << "the checkpointer ran no checkpoint";
    EXPECT_EQ(stats.inline_checkpoints, in_commit) << "a commit checkpointed although the checkpointer runs";
    EXPECT_GT(WalBytes(), 0u);
    // No commit for `idle`: the WAL back to 0 bytes (TRUNCATE).
    for (int i = 0; i < 100 && WalBytes() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(WalBytes(), 0u) << "the idle WAL was not truncated";
    CommitRows(**store, 5);  // committing after the truncation
  }                          // the checkpointer stops before the store closes
  EXPECT_EQ(RowsAfterReopen(), 305);
}

TEST_F(SqliteCheckpointTest, PastTheBoundTheCommitCheckpointsItself) {
  store::WalStats& stats = store::ProcessWalStats();
  {
    auto store = store::SqliteStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store::CheckpointPolicy policy;
    policy.passive_pages = 1000000;  // the thread never catches up
    policy.max_pages = 8;
    policy.idle = std::chrono::hours(1);
    ASSERT_TRUE((*store)->StartCheckpointer(policy).ok());
    uint64_t in_commit = stats.inline_checkpoints;
    uint64_t most = 0;
    for (int i = 0; i < 200; ++i) {
      CommitRows(**store, 1);
      most = std::max<uint64_t>(most, stats.wal_frames);
    }
    EXPECT_GT(stats.inline_checkpoints, in_commit) << "no commit checkpointed past the bound";
    EXPECT_LT(most, 64u) << "the WAL grew past its bound";
  }
  EXPECT_EQ(RowsAfterReopen(), 200);
}

}  // namespace
}  // namespace dfdg
