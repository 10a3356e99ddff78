// The service configuration (`dfdg serve --config FILE`): listener, TLS files, limits and the connected
// systems (tilslutningsaftaler, seed 000 § 6). Format: docs/api.md "Configuration".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/system_kinds.h"
#include "core/status.h"

namespace dfdg::api {

// One connected system. `kind` is a key of catalog/access.yaml `system_kinds` (jobcenter, other_actor, akasse, jobnet,
// ksd, agency, udb, admin).
struct ConnectedSystem {
  std::string id;  // stable name, used in audit rows and logs
  std::string kind;
  std::string certificate_cn;  // the client certificate's subject CN (verified against the CA)
  std::string controller;      // the data controller (dataansvarlig) it acts for
  int municipality = 0;        // jobcenter, other_actor, ksd: the municipality code
  std::string akasse;          // akasse: the a-kasse number
  std::string cvr;             // other_actor: its CVR number (§ 6 stk. 4)
  // other_actor: the municipalities it may act for besides `municipality`, each with its data controller. With
  // more than one in all, each call names the municipality and the CVR in headers (docs/api.md "Other actors").
  std::vector<std::pair<int, std::string>> acts_for;
  // akasse: the deep link to the page of its self-service where a member orders an immediate computation of the
  // counters (straksopgørelse); the a-kasse tells the agency the link and its changes (§ 86 stk. 2). "" = none.
  std::string immediate_computation_link{};
};

// One per core (std::thread::hardware_concurrency), at least 1 and at most 8.
int DefaultValidationThreads();

struct Limits {
  size_t max_body_bytes = 4 << 20;   // larger bodies: 413
  size_t max_in_flight = 512;        // more concurrent requests: 503 + Retry-After
  int request_timeout_seconds = 10;  // read timeout and the longest wait for a commit
  int threads = 16;                  // HTTP worker threads
  size_t max_batch_lines = 10000;    // POST /v1/batch
  // Threads that access-check and validate a commit group's commands, different persons in parallel, the
  // writer thread included (docs/decisions/0023-parallel-validation.md): 1 = the writer alone. Default: one per
  // core, at most 8.
  int validation_threads = DefaultValidationThreads();
  // The commit (fsync) of one group runs while the next group is validated (docs/decisions/0027-pipelined-commit.md;
  // SQLite only: it reads through a second connection). Off by default: on the 2-core benchmark machine it made
  // the groups smaller and measured slower (docs/performance.md "Pipelined commit").
  bool pipelined_commit = false;
};

struct ServeConfig {
  std::string host = "127.0.0.1";
  int port = 8443;
  std::string tls_cert, tls_key, client_ca;  // paths, relative to the config file's folder
  Limits limits;
  std::vector<ConnectedSystem> systems;
};

// Loads and checks a YAML configuration; each system with CheckSystem against `kinds` (catalog/access.yaml
// `system_kinds`). InvalidArgument names the offending entry.
Result<ServeConfig> LoadServeConfig(const std::string& path, const SystemKinds& kinds);

// Checks one system against the kinds: its kind is known (else InvalidArgument naming the known kinds) and it
// carries the municipality code (101-999) and the a-kasse number its kind requires. A CVR its kind requires is
// not checked here but on every call (AccessRules::Check, § 6 stk. 4). `where` prefixes the message.
Status CheckSystem(const ConnectedSystem& system, const SystemKinds& kinds, const std::string& where);

// A configuration for `--sandbox` without a file: one system of most kinds (docs/api.md "Sandbox"); checked against
// the kinds when the server is created (ApiServer::Create).
ServeConfig SandboxConfig();

}  // namespace dfdg::api
