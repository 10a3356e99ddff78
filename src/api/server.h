// `dfdg serve`: the registry as an HTTP/JSON service (docs/api.md). cpp-httplib (Debian libcpp-httplib-dev)
// serves HTTP/1.1 with keep-alive over TLS 1.3 with mutual TLS (client certificates verified against the
// configured CA and mapped to connected systems by subject CN), or plain HTTP for development.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/access.h"
#include "api/config.h"
#include "catalog/catalog.h"
#include "core/clock.h"
#include "store/store.h"

namespace dfdg::automation {
struct Rules;
}

namespace dfdg::api {

struct ServeOptions {
  ServeConfig config;
  bool plain_http = false;        // development only: the system is named by the header x-dev-system
  std::string openapi_path;       // served at /openapi.json
  std::string access_rules_path;  // catalog/access.yaml
  bool log_requests = true;       // JSON log lines on stderr
  // Statistics (/v3/*, /statistik; docs/statistics.md): stored results, names and rules, the bundled page.
  std::string stats_db;         // empty: the routes answer 404 not_found ("Der er ingen gemte måleresultater")
  std::string statistics_yaml;  // catalog/statistics.yaml
  std::string web_dir;          // index.html, app.js, app.css
  // GET /v1/Maaling/forklaring (docs/api.md): explains one person's month of the seed-004 measurement loaded at
  // start (dfdg serve --measure-input). Given the CPR digits and the month's first day, returns {200, body} or
  // {404, null} when the person is not in the input; called on the writer's thread after the access check.
  // Empty: no measurement input, the route answers 404.
  std::function<std::pair<int, nlohmann::ordered_json>(const std::string& cpr, Date month_first)> explain_month;
  // DFDG's own actions and the outbox (docs/automation.md); nullptr = none.
  std::shared_ptr<const automation::Rules> automation;
};

class ApiServer {
 public:
  // REQUIRES: catalog, store and clock outlive the server.
  static Result<std::unique_ptr<ApiServer>> Create(ServeOptions options,
                                                   const std::shared_ptr<const catalog::Catalog>& catalog,
                                                   store::Store* store, const Clock* clock);
  ~ApiServer();
  // Binds (port 0 = any free port); returns the bound port.
  Result<int> Bind();
  // Serves until Shutdown(); blocking.
  void Run();
  // Refuses new requests, lets in-flight ones finish, drains the writer. Safe from another thread.
  void Shutdown();

  struct Impl;

 private:
  explicit ApiServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dfdg::api
