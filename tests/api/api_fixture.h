// A real `dfdg serve` on loopback for the API tests: certificates made by the openssl tool into a temporary
// folder (a CA, the server, one client per connected system, and a client from a second, untrusted CA), a
// fresh store, the clock fixed to 2025-09-15. One server per test suite.
//
// One test list, two backends: the store is a fresh SQLite file, or with DFDG_API_BACKEND=postgresql a fresh
// schema on the PostgreSQL test cluster (ctest fixture pg_cluster; the tests named pg.*), see test_db.h.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "api/server.h"
#include "catalog/catalog.h"
#include "store/open_store.h"
#include "test_db.h"

namespace dfdg::api::testing {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Persons of the fixture (synthetic CPR numbers).
inline const std::string kPersonA = "0101901234";  // municipality 101, a-kasse 10
inline const std::string kPersonB = "1502851111";  // municipality 147
inline const std::string kPersonUnknown = "0202020202";

class ApiServerTest : public ::testing::Test {
 public:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  // A client with the named system's certificate ("" = no client certificate, "rogue" = untrusted CA).
  static std::unique_ptr<httplib::SSLClient> Client(const std::string& system);
  static httplib::Headers Headers(const std::string& cpr, const std::string& request_id = "");
  // POST /v1/batch as `system`; the result lines.
  static std::vector<Json> Batch(const std::string& system, const std::vector<Json>& commands);
  // POST /v1/batch as `system`, requiring one result line per command and every line accepted (a fatal test
  // failure naming the first that is not; wrap the call in ASSERT_NO_FATAL_FAILURE to stop the test there).
  static void BatchAccepted(const std::string& system, const std::vector<Json>& commands);
  // The a-kasse's report of a membership (register_akasse_intake): `akasse` takes the person in from `start` by
  // `event` (intake | transfer), in insurance category `category` and branch `branch`.
  static Json AkasseIntake(const std::string& cpr, const std::string& akasse, const std::string& start,
                           const std::string& event = "intake", const std::string& category = "fuldtid",
                           const std::string& branch = "1");
  // "sqlite" or "postgresql" (DFDG_API_BACKEND).
  static std::string Backend();
  // Checks the audit chain in the store at db->location() over a connection of its own: the row count, or
  // the Corruption naming the first bad row.
  static Result<int64_t> VerifyAudit();

  static inline fs::path dir;
  static inline int port = 0;
  static inline std::unique_ptr<testdb::TestDb> db;
  static inline std::unique_ptr<ApiServer> server;
  static inline std::unique_ptr<store::Store> store;
  static inline std::unique_ptr<Clock> clock;
  static inline std::thread thread;
};

}  // namespace dfdg::api::testing
