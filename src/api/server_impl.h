// Internal to src/api: the server's state and request handling, shared by server.cc (requests and routing),
// server_setup.cc (authentication, routes, start and stop), server_metrics.cc and replies.cc.
#pragma once

#include <httplib.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <variant>

#include "api/pages.h"
#include "api/readers.h"
#include "api/routes.h"
#include "api/server.h"
#include "api/static_asset.h"
#include "api/stats_routes.h"
#include "api/writer.h"
#include "catalog/export.h"
#include "core/cpr.h"
#include "delivery/gauges.h"
#include "registry/project_report.h"
#include "registry/registry.h"
#include "registry/stage_times.h"
#include "store/sqlite/wal_stats.h"

namespace dfdg::api {

using Json = nlohmann::ordered_json;

struct Reply {
  Reply() = default;
  Reply(int s, Json b, bool p = false, std::string ra = "", std::string c = "")
      : status(s), body(std::move(b)), problem(p), retry_after(std::move(ra)), content(std::move(c)) {}
  int status = 200;
  Json body;
  bool problem = false;
  std::string retry_after;
  std::string content;   // "text" (metrics), "jsonl" (batch), a MIME type (body is the raw text), else JSON
  std::string etag;      // ETag + Cache-Control: no-cache (the client revalidates); 304 answers have no body
  std::string encoding;  // Content-Encoding of a precompressed body
};

// A problem+json reply (RFC 9457 shape): `key` becomes the type urn, the title is Danish, the detail English.
Reply Problem(int status, const std::string& key, const std::string& title_da, const std::string& detail_en,
              Json violations = nullptr);
// The one answer for every refusal: the same whether or not the person exists.
Reply Refused();
// True when `text` holds something shaped like a CPR number: DDMMYY, an optional '-', then 4 digits, with no
// digit right before or after (day 0-3x, month 0-1x, as a cheap pre-check).
bool LooksLikeCpr(std::string_view text);
// The value of the cookie dfdg_dev_system (plain HTTP development only: the pages' stand-in for a client
// certificate), or "".
std::string DevSystemCookie(const std::string& header);
// The JSON of one stored fact version (GET resources).
Json FactJson(const registry::Fact& f);

struct ApiServer::Impl {
  ServeOptions options;
  std::shared_ptr<const catalog::Catalog> catalog;
  store::Store* store;
  const Clock* clock;
  std::unique_ptr<registry::Registry> registry;
  AccessRules rules;
  std::unique_ptr<Writer> writer;
  // The reads' reader connections (api/readers.h), at most one per HTTP thread; nullptr when the store has none
  // (the reads then run on the writer thread). Declared before `http`, which stops first.
  std::unique_ptr<Readers> readers;
  std::unique_ptr<httplib::Server> http;
  std::unique_ptr<StatsApi> stats;
  std::string openapi;
  std::string katalog;
  // Both fixed documents gzip-compressed once at start, and their ETags (api/static_asset.h).
  std::string openapi_gz, katalog_gz, openapi_etag, katalog_etag;
  std::atomic<size_t> in_flight{0};
  std::atomic<bool> draining{false};
  std::mutex suspended_mu;
  std::set<std::string> suspended;
  std::map<std::string, const ConnectedSystem*> by_cn, by_id;
  // Each other actor as it acts for each municipality of its entry (municipality and data controller set):
  // (system id, municipality code) -> the system as it calls for that municipality.
  std::map<std::pair<std::string, int>, ConnectedSystem> acting;
  // Metrics (server_metrics.cc).
  std::mutex metrics_mu;
  std::map<std::pair<std::string, int>, uint64_t> requests;  // (route, status)
  static constexpr double kBuckets[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5};
  uint64_t latency[12] = {};
  double latency_sum = 0;
  std::map<int, uint64_t> rejections;
  std::mutex log_mu;

  // --- server_setup.cc ---
  // One JSON log line on stderr when options.log_requests.
  void Log(const Json& line);
  // The connected system of the request: its client certificate's CN (or, on plain HTTP, the x-dev-system header
  // or the pages' cookie); nullptr when unknown.
  const ConnectedSystem* Authenticate(const httplib::Request& req);
  // True while an administrator has suspended the system (§ 8).
  bool Suspended(const ConnectedSystem& s);
  // § 6 stk. 3–4: every call by an other actor names the municipality it acts for (x-municipalityCode) and its
  // CVR (x-cvrNumber), both checked against its entry (docs/decisions/0024-other-actor-headers.md). The system as
  // it acts in this call, or a reply: 400 `missing_municipality` when a header is missing (whatever the person),
  // the refusal when a header does not match the entry.
  std::variant<const ConnectedSystem*, Reply> ActingFor(const ConnectedSystem& system, const httplib::Request& req);
  // Registers every route of api/routes.h with its handler (metrics, logging, the in-flight limit).
  void Install();

  // --- server.cc ---
  // The answer to one routed request.
  Reply Dispatch(const Route& route, const httplib::Request& req);
  // A fixed document: 304 when If-None-Match names its ETag, else the gzip form when the client accepts it.
  Reply Fixed(const httplib::Request& req, const std::string& body, const std::string& gz, const std::string& etag);
  // Submits a job and waits for its durable outcome (nullopt after the request timeout).
  std::optional<JobOutcome> Run(Job job);
  // A read job: answered here on a reader (AnswerRead) when there are readers, then submitted for its audit row
  // (Run); the outcome after that row's commit is durable. nullopt when no reader could be had, the read failed
  // (a bug: nothing audited) or after the request timeout.
  std::optional<JobOutcome> RunRead(Job job);
  // 503 with Retry-After: 1.
  Reply Unavailable();
  // One registry result as an HTTP reply.
  Reply CommandReply(const Json& result);
  // A command of `resource` for the CPR of the x-civilRegistrationIdentifier header, through the writer.
  Reply Write(const httplib::Request& req, const ConnectedSystem& system, const std::string& resource,
              const std::string& command, const Json& fields, const std::string& operation);
  // A read of `resource` for the CPR of the header after the access check (RunRead); with `refuses_itself`, the
  // read's own 403 is a refusal (Job::refuses_itself).
  Reply Read(const httplib::Request& req, const ConnectedSystem& system, const std::string& resource,
             const std::string& operation, ReadFn read, bool refuses_itself = false);
  // § 86: each immediate-computation notice of a citizen's view (`notices`) gets the deep link its a-kasse told
  // the agency (the a-kasse system's `immediate_computation_link`); null when none is configured.
  void AddImmediateComputationLinks(Json* view) const;
  // Facts of one kind (and entity) from the store, for GET list / item / history.
  // `known`: only versions recorded on or before that day (?kendt_pr=), as the registry knew them then;
  // `corrected`: lists also entities whose last version is a correction (?berigtigede=med), marked deleted.
  ReadFn Facts(const std::string& kind, int64_t entity, bool history, std::optional<Date> known, bool corrected);
  // GET /v1/Projekter[/{id}[/historik]] (docs/api.md): the run-time projects the system may read (relation
  // project_owner per project, or any), `?kendt_pr=` and, for the list, `?dato=`; one project 404 when none, 403
  // when the system may not read it. Audited under the subject "projekter" (list) or "projekter/<id>".
  Reply Projects(const Route& route, const httplib::Request& req, const ConnectedSystem& system);
  // Statistics routes: readable without a connected system when catalog/access.yaml says so (public_reads).
  Reply Statistics(const Route& route, const httplib::Request& req);

  // --- server_metrics.cc ---
  // The Prometheus text of GET /metrics.
  std::string Metrics();
};

}  // namespace dfdg::api
