// A GoogleTest fixture parameterised over the store backend ("sqlite" or "postgresql"): each test gets a fresh,
// empty registry database (test_db.h) opened as `store_`. PostgreSQL tests are skipped when no test cluster is
// configured (run them through ctest: fixture pg_cluster). Subclasses that add members holding the store must
// reset those in their own TearDown before calling StoreBackendTest::TearDown.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/open_store.h"
#include "test_db.h"

namespace dfdg::testdb {

class StoreBackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql" && TestPostgresUrl().empty()) {
      GTEST_SKIP() << "no PostgreSQL test cluster (run through ctest: fixture pg_cluster)";
    }
    db_ = std::make_unique<TestDb>(GetParam());
    ASSERT_TRUE(db_->error().empty()) << db_->error();
    auto store = store::OpenStore(db_->location());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  std::unique_ptr<TestDb> db_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace dfdg::testdb
