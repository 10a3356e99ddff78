// Limits and readiness on a plain-HTTP server (loopback): more requests in flight than allowed → 503 with
// Retry-After; after Shutdown() the listener is closed.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <thread>

#include "api/server.h"
#include "store/open_store.h"
#include "test_db.h"

namespace dfdg::api {
namespace {

namespace fs = std::filesystem;

TEST(ApiLimits, FullServerAnswers503WithRetryAfterAndShutdownClosesTheListener) {
  fs::path dir = fs::temp_directory_path() / ("dfdg-api-limits-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto catalog = catalog::Catalog::Load(std::string(DFDG_SOURCE_DIR) + "/catalog");
  ASSERT_TRUE(catalog.ok());
  const char* backend = std::getenv("DFDG_API_BACKEND");
  std::string kind = backend && std::string(backend) == "postgresql" ? "postgresql" : "sqlite";
  if (kind == "postgresql" && testdb::TestPostgresUrl().empty()) GTEST_SKIP() << "no PostgreSQL test cluster";
  testdb::TestDb db(kind);
  ASSERT_TRUE(db.error().empty()) << db.error();
  auto store = store::OpenStore(db.location());
  ASSERT_TRUE(store.ok()) << store.status().message();
  FixedClock clock(*ParseDate("2025-09-15"));
  ServeOptions options;
  options.config = SandboxConfig();
  options.config.port = 0;
  options.config.limits.max_in_flight = 0;  // every request finds the server full
  options.plain_http = true;
  options.openapi_path = std::string(DFDG_SOURCE_DIR) + "/docs/openapi.json";
  options.access_rules_path = std::string(DFDG_SOURCE_DIR) + "/catalog/access.yaml";
  options.log_requests = false;
  auto server = ApiServer::Create(
      std::move(options), std::shared_ptr<const catalog::Catalog>(std::move(catalog).value()), store->get(), &clock);
  ASSERT_TRUE(server.ok()) << server.status().message();
  std::unique_ptr<ApiServer> api = std::move(server).value();
  auto port = api->Bind();
  ASSERT_TRUE(port.ok());
  std::thread run([&] { api->Run(); });
  httplib::Client client("127.0.0.1", *port);
  auto res =
      client.Get("/v1/status", {{"x-dev-system", "sandbox-agency"}, {"x-civilRegistrationIdentifier", "0101901234"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(res->get_header_value("Retry-After"), "1");
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json");
  api->Shutdown();
  run.join();
  EXPECT_FALSE(client.Get("/readyz"));  // the listener is closed after shutdown
  api.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dfdg::api
