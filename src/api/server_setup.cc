// Connected systems (client certificate, § 6 headers), the routes' installation, and the server's start and stop.
#include "api/server_impl.h"

namespace dfdg::api {

// § 6 stk. 3–4: every call by an other actor names the municipality it acts for (x-municipalityCode) and its
// CVR (x-cvrNumber), both checked against its entry (docs/decisions/0024-other-actor-headers.md). The system as
// it acts in this call, or a reply: 400 `missing_municipality` when a header is missing (whatever the person),
// the refusal when a header does not match the entry.
std::variant<const ConnectedSystem*, Reply> ApiServer::Impl::ActingFor(const ConnectedSystem& system,
                                                                       const httplib::Request& req) {
  std::string code = req.get_header_value("x-municipalityCode"), cvr = req.get_header_value("x-cvrNumber");
  if (code.empty() || cvr.empty()) {
    return Problem(400, "missing_municipality",
                   "En anden aktør skal angive kommunen og sit CVR-nummer i headerne x-municipalityCode og "
                   "x-cvrNumber (§ 6, stk. 4)",
                   "An other actor must name the municipality and its CVR number in the headers "
                   "x-municipalityCode and x-cvrNumber (§ 6(4)).");
  }
  if (cvr != system.cvr || code.size() != 3 || code.find_first_not_of("0123456789") != std::string::npos) {
    return Refused();
  }
  auto it = acting.find({system.id, std::stoi(code)});
  if (it == acting.end()) return Refused();
  return &it->second;
}

void ApiServer::Impl::Log(const Json& line) {
  if (!options.log_requests) return;
  std::lock_guard lock(log_mu);
  std::cerr << line.dump() << "\n";
}

const ConnectedSystem* ApiServer::Impl::Authenticate(const httplib::Request& req) {
  std::string cn;
  if (options.plain_http) {
    cn = req.get_header_value("x-dev-system");
    if (cn.empty()) cn = DevSystemCookie(req.get_header_value("Cookie"));  // the pages (docs/pages.md)
    auto it = by_id.find(cn);
    return it == by_id.end() ? nullptr : it->second;
  }
  // The listener asks for a client certificate but does not demand one (public statistics need none); a
  // certificate that is presented must verify against the CA, or the handshake fails.
  if (!req.ssl || SSL_get_verify_result(req.ssl) != X509_V_OK) return nullptr;
  X509* cert = SSL_get1_peer_certificate(req.ssl);
  if (!cert) return nullptr;
  char buffer[256] = {};
  int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buffer, sizeof buffer);
  X509_free(cert);
  if (n <= 0) return nullptr;
  auto it = by_cn.find(std::string(buffer, n));
  return it == by_cn.end() ? nullptr : it->second;
}

bool ApiServer::Impl::Suspended(const ConnectedSystem& s) {
  std::lock_guard lock(suspended_mu);
  return suspended.count(s.id) > 0;
}

void ApiServer::Impl::Install() {
  http->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    // A CPR in the URL (path or query) is refused before routing: it must never reach a URL log (§ 6 stk. 3).
    if (LooksLikeCpr(req.path) || LooksLikeCpr(req.target)) {
      Reply r = Problem(400, "cpr_in_url", "CPR-nummer hører til i headeren x-civilRegistrationIdentifier",
                        "A CPR number belongs in the header x-civilRegistrationIdentifier, not the URL.");
      res.status = 400;
      res.set_content(r.body.dump(), "application/problem+json");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    Reply r = res.status == 413 ? Problem(413, "too_large", "Forespørgslen er for stor", "Request body too large.")
                                : Problem(res.status, "error", "Fejl", "Error.");
    res.set_content(r.body.dump(), "application/problem+json");
  });
  for (const Route& route : ApiRoutes()) {
    auto handler = [this, route](const httplib::Request& req, httplib::Response& res) {
      auto t0 = std::chrono::steady_clock::now();
      Reply reply;
      size_t now = ++in_flight;
      if ((draining && route.path != "/healthz") || now > options.config.limits.max_in_flight) {
        reply = Unavailable();
      } else {
        try {
          reply = Dispatch(route, req);
        } catch (const std::exception& e) {
          reply = Problem(500, "internal", "Intern fejl", "Internal error.");
        }
      }
      --in_flight;
      res.status = reply.status;
      if (!reply.etag.empty()) {
        res.set_header("ETag", reply.etag);
        res.set_header("Cache-Control", "no-cache");
        res.set_header("Vary", "Accept-Encoding");
      }
      if (!reply.encoding.empty() && reply.status != 304) res.set_header("Content-Encoding", reply.encoding);
      if (reply.status == 304) {
        // Not modified: no body (the client keeps its copy).
      } else if (reply.content == "text") {
        res.set_content(reply.body.get<std::string>(), "text/plain; version=0.0.4");
      } else if (reply.content == "jsonl") {
        res.set_content(reply.body.get<std::string>(), "application/x-ndjson");
      } else if (reply.content.find('/') != std::string::npos) {
        res.set_content(reply.body.get<std::string>(), reply.content);
      } else {
        if (!reply.retry_after.empty()) res.set_header("Retry-After", reply.retry_after);
        res.set_content(reply.body.dump(), reply.problem ? "application/problem+json" : "application/json");
      }
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      {
        std::lock_guard lock(metrics_mu);
        requests[{route.method + " " + route.path, reply.status}]++;
        size_t b = 0;
        while (b < std::size(kBuckets) && seconds > kBuckets[b]) ++b;
        latency[b]++;
        latency_sum += seconds;
      }
      if (options.log_requests) {
        std::string masked;
        if (auto cpr = Cpr::Parse(req.get_header_value("x-civilRegistrationIdentifier")); cpr.ok())
          masked = cpr->Masked();
        Log({{"ts", UtcNow()},
             {"level", "info"},
             {"method", route.method},
             {"route", route.path},
             {"status", reply.status},
             {"ms", seconds * 1000},
             {"cpr", masked},
             {"request_id", req.get_header_value("x-requestId").substr(0, 46)}});
      }
    };
    std::string pattern = PathRegex(route.path);
    if (route.method == "GET") http->Get(pattern, handler);
    if (route.method == "POST") http->Post(pattern, handler);
    if (route.method == "PUT") http->Put(pattern, handler);
    if (route.method == "DELETE") http->Delete(pattern, handler);
  }
}

ApiServer::ApiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ApiServer::~ApiServer() {
  if (impl_->writer) impl_->writer->Stop();
}

Result<std::unique_ptr<ApiServer>> ApiServer::Create(ServeOptions options,
                                                     const std::shared_ptr<const catalog::Catalog>& catalog,
                                                     store::Store* store, const Clock* clock) {
  auto impl = std::make_unique<Impl>();
  auto rules = AccessRules::Load(options.access_rules_path);
  if (!rules.ok()) return rules.status();
  impl->rules = std::move(rules).value();
  // The configuration's systems (a file's, checked when it was loaded, or the sandbox's) against the kinds of
  // access.yaml `system_kinds`.
  for (const ConnectedSystem& system : options.config.systems) {
    std::string where = "config: system '" + system.id + "': ";
    if (Status checked = CheckSystem(system, impl->rules.kinds(), where); !checked.ok()) return checked;
  }
  impl->rules.UseDeclarations(catalog);  // which kind may read or write which built-in area (docs/api.md)
  std::ifstream openapi(options.openapi_path);
  if (!openapi) return Status::NotFound("cannot read the OpenAPI document " + options.openapi_path);
  std::stringstream buffer;
  buffer << openapi.rdbuf();
  impl->openapi = buffer.str();
  impl->katalog = catalog::ExportJson(*catalog, std::nullopt).dump();
  impl->openapi_gz = Gzip(impl->openapi);
  impl->katalog_gz = Gzip(impl->katalog);
  impl->openapi_etag = std::string(1, '"').append(Fnv64Hex(impl->openapi)).append(1, '"');
  impl->katalog_etag = std::string(1, '"').append(Fnv64Hex(impl->katalog)).append(1, '"');
  if (options.statistics_yaml.empty()) {  // default: beside access.yaml in the catalogue directory
    std::string dir = options.access_rules_path.substr(0, options.access_rules_path.find_last_of('/') + 1);
    options.statistics_yaml = dir + "statistics.yaml";
  }
  auto stats = StatsApi::Create(options.stats_db, options.statistics_yaml, options.access_rules_path, options.web_dir);
  if (!stats.ok()) return stats.status();
  impl->stats = std::move(stats).value();
  impl->options = std::move(options);
  for (const auto& s : impl->options.config.systems) {
    impl->by_cn[s.certificate_cn] = &s;
    impl->by_id[s.id] = &s;
    if (s.kind != "other_actor") continue;
    std::vector<std::pair<int, std::string>> municipalities = s.acts_for;
    municipalities.emplace_back(s.municipality, s.controller);
    for (const auto& [code, controller] : municipalities) {
      ConnectedSystem as = s;
      as.municipality = code;
      as.controller = controller;
      impl->acting.emplace(std::make_pair(s.id, code), std::move(as));
    }
  }
  impl->catalog = catalog;
  impl->store = store;
  impl->clock = clock;
  impl->registry = std::make_unique<registry::Registry>(catalog, store, clock);
  impl->registry->SetAutomation(impl->options.automation);
  // The writer thread validates too: the pool has the other validation threads (docs/decisions/0023).
  impl->registry->SetValidationThreads(impl->options.config.limits.validation_threads - 1);
  // limits.pipelined_commit: the commit of one group overlaps the validation of the next (docs/decisions/0027):
  // SQLite (a reader connection); PostgreSQL commits on the writer thread.
  if (impl->options.config.limits.pipelined_commit) {
    if (auto enabled = impl->registry->EnablePipeline(); !enabled.ok()) return enabled.status();
  }
  impl->writer = std::make_unique<Writer>(impl->registry.get(), store, &impl->rules, clock);
  const ServeConfig& config = impl->options.config;
  // Reads on the HTTP threads, each against a reader connection of its own (docs/decisions/0050): at most one
  // reader per HTTP thread, opened as needed; none for a store without readers (PostgreSQL, --read-db).
  auto readers = Readers::Open(catalog, store, clock, static_cast<size_t>(std::max(1, config.limits.threads)));
  if (!readers.ok()) return readers.status();
  impl->readers = std::move(readers).value();
  if (impl->options.plain_http) {
    impl->http = std::make_unique<httplib::Server>();
  } else {
    std::string cert = config.tls_cert, key = config.tls_key, ca = config.client_ca;
    auto server = std::make_unique<httplib::SSLServer>([cert, key, ca](SSL_CTX& ctx) {
      SSL_CTX_set_min_proto_version(&ctx, TLS1_3_VERSION);
      if (SSL_CTX_use_certificate_chain_file(&ctx, cert.c_str()) != 1) return false;
      if (SSL_CTX_use_PrivateKey_file(&ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) return false;
      if (SSL_CTX_load_verify_locations(&ctx, ca.c_str(), nullptr) != 1) return false;
      // Request a client certificate, verify it when given, but let a client without one finish the handshake:
      // every route except the public statistics then answers 401 (access.yaml public_reads; docs/api.md).
      SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
      return true;
    });
    if (!server->is_valid())
      return Status::InvalidArgument("TLS setup failed: check tls.cert, tls.key and tls.client_ca");
    impl->http = std::move(server);
  }
  impl->http->set_payload_max_length(config.limits.max_body_bytes);
  impl->http->set_read_timeout(config.limits.request_timeout_seconds, 0);
  impl->http->set_write_timeout(config.limits.request_timeout_seconds, 0);
  impl->http->set_keep_alive_max_count(100000);
  impl->http->set_keep_alive_timeout(30);
  impl->http->set_tcp_nodelay(true);
  int threads = config.limits.threads;
  impl->http->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  impl->Install();
  return std::unique_ptr<ApiServer>(new ApiServer(std::move(impl)));
}

Result<int> ApiServer::Bind() {
  const ServeConfig& config = impl_->options.config;
  int port = config.port == 0 ? impl_->http->bind_to_any_port(config.host)
                              : (impl_->http->bind_to_port(config.host, config.port) ? config.port : -1);
  if (port < 0) return Status::IOError("cannot listen on " + config.host + ":" + std::to_string(config.port));
  impl_->Log({{"ts", UtcNow()},
              {"level", "info"},
              {"msg", "listening"},
              {"host", config.host},
              {"port", port},
              {"tls", !impl_->options.plain_http}});
  return port;
}

void ApiServer::Run() {
  impl_->http->listen_after_bind();
  impl_->writer->Stop();
  // The audit chain's head as this process last saw it (a removed tail shows against this copy).
  auto head = impl_->store->AuditHead();
  impl_->Log({{"ts", UtcNow()},
              {"level", "info"},
              {"msg", "stopped"},
              {"audit_seq", head.ok() ? head->seq : -1},
              {"audit_head", head.ok() ? head->hash : head.status().message()}});
}

void ApiServer::Shutdown() {
  impl_->draining = true;
  impl_->http->stop();
}

}  // namespace dfdg::api
