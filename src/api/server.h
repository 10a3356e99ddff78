// `dfdg serve`: the registry as an HTTP/JSON service (docs/api.md). cpp-httplib (Debian libcpp-httplib-dev)
// serves HTTP/1.1 with keep-alive over TLS 1.3 with mutual TLS (client certificates verified against the
// configured CA and mapped to connected systems by subject CN), or plain HTTP for development.
#pragma once

#include <memory>
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
  // DFDG's own actions and the outbox (docs/automation.md); nullptr = none.
  std::shared_ptr<const automation::Rules> automation;
};

class ApiServer {
 public:
  // REQUIRES: catalog, store and clock outlive the server.
  static Result<std::unique_ptr<ApiServer>> Create(ServeOptions options,
                                                   std::shared_ptr<const catalog::Catalog> catalog, store::Store* store,
                                                   const Clock* clock);
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
