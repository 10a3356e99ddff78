// The SQLite store's page size (docs/decisions/0050): a new file gets 4 KiB pages; a file made with another page
// size keeps it, and the store works on it; a reader connection (Store::OpenReader) sees the writer's commits.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>

#include "store/sqlite/sqlite_store.h"

namespace dfdg {
namespace {

class SqlitePageSizeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "dfdg-page-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The page size of the file at `path`, read over a connection of its own.
  static int PageSize(const std::string& path) {
    sqlite3* db = nullptr;
    int size = -1;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &stmt, nullptr) == SQLITE_OK &&
          sqlite3_step(stmt) == SQLITE_ROW) {
        size = sqlite3_column_int(stmt, 0);
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return size;
  }

  // One committed audit row.
  static void CommitRow(store::SqliteStore& store) {
    ASSERT_TRUE(store.Begin().ok());
    ASSERT_TRUE(store
                    .AppendAudit({{0, "2025-09-15T10:00:00.000Z", "jc-101", "Københavns Kommune", "0101901234",
                                   "GET /v1/status", "read", "", ""}})
                    .ok());
    ASSERT_TRUE(store.Commit().ok());
  }

  std::string dir_;
};

TEST_F(SqlitePageSizeTest, NewFileHasFourKibPagesAndAReaderSeesCommits) {
  const std::string path = dir_ + "/new.db";
  auto store = store::SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto reader = (*store)->OpenReader();
  ASSERT_TRUE(reader.ok() && *reader);
  CommitRow(**store);
  auto head = (*reader)->AuditHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 1);  // the reader's next query sees the writer's commit
  CommitRow(**store);
  head = (*reader)->AuditHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 2);
  EXPECT_EQ(PageSize(path), 4096);
}

TEST_F(SqlitePageSizeTest, ExistingFileKeepsItsPageSize) {
  const std::string path = dir_ + "/old.db";
  {  // a file as earlier versions made it: 16 KiB pages, WAL
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; CREATE TABLE t(x);", nullptr, nullptr,
                           nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  ASSERT_EQ(PageSize(path), 16384);
  {
    auto store = store::SqliteStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().message();
    CommitRow(**store);
  }
  EXPECT_EQ(PageSize(path), 16384);
}

}  // namespace
}  // namespace dfdg
