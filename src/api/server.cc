#include "api/server.h"

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
#include "api/routes.h"
#include "api/static_asset.h"
#include "api/stats_routes.h"
#include "api/writer.h"
#include "catalog/export.h"
#include "core/cpr.h"
#include "delivery/gauges.h"
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

namespace {

Reply Problem(int status, const std::string& key, const std::string& title_da, const std::string& detail_en,
              Json violations = nullptr) {
  Json body{{"type", std::string("urn:dfdg:problem:").append(key)},
            {"title", title_da},
            {"status", status},
            {"detail", detail_en}};
  if (!violations.is_null()) body["violations"] = std::move(violations);
  return {status, std::move(body), true, ""};
}

// The one answer for every refusal: the same whether or not the person exists.
Reply Refused() { return Problem(403, "forbidden", "Adgang nægtet", "Access denied."); }

// True when `text` holds something shaped like a CPR number: DDMMYY, an optional '-', then 4 digits, with no
// digit right before or after (day 0-3x, month 0-1x, as a cheap pre-check).
bool LooksLikeCpr(std::string_view text) {
  auto digit = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
  for (size_t i = 0; i + 10 <= text.size(); ++i) {
    if (!digit(i) || (i > 0 && digit(i - 1))) continue;
    size_t j = i;
    while (digit(j) && j - i < 6) ++j;
    if (j - i != 6 || text[i] > '3' || text[i + 2] > '1') continue;
    if (j < text.size() && text[j] == '-') ++j;
    size_t k = j;
    while (digit(k)) ++k;
    if (k - j == 4 || (j - i == 6 && k - i == 10)) return true;
  }
  return false;
}

// The value of the cookie dfdg_dev_system (plain HTTP development only: the pages' stand-in for a client
// certificate), or "".
std::string DevSystemCookie(const std::string& header) {
  const std::string key = "dfdg_dev_system=";
  size_t at = 0;
  while ((at = header.find(key, at)) != std::string::npos) {
    if (at == 0 || header[at - 1] == ' ' || header[at - 1] == ';') {
      size_t end = header.find(';', at);
      return header.substr(at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
    }
    at += key.size();
  }
  return "";
}

// The JSON of one stored fact version (GET resources).
Json FactJson(const registry::Fact& f) {
  Json out{{"entity_id", f.entity_id},
           {"seq", f.seq},
           {"kind", registry::FactKindKey(f.kind)},
           {"recorded_on", FormatDate(f.recorded_on)},
           {"deleted", f.deleted},
           {"channel", catalog::ChannelKey(f.channel)},
           {"start", FormatDate(f.start)}};
  out["end"] = f.end ? Json(FormatDate(*f.end)) : Json(nullptr);
  if (f.event_date) out["event_date"] = FormatDate(*f.event_date);
  if (f.code) out["code"] = f.code;
  if (!f.text.empty()) out["text"] = f.text;
  if (!f.comment.empty()) out["comment"] = f.comment;
  if (!f.extra.is_null()) out["extra"] = f.extra;
  return out;
}

}  // namespace

struct ApiServer::Impl {
  ServeOptions options;
  std::shared_ptr<const catalog::Catalog> catalog;
  store::Store* store;
  const Clock* clock;
  std::unique_ptr<registry::Registry> registry;
  AccessRules rules;
  std::unique_ptr<Writer> writer;
  std::unique_ptr<httplib::Server> http;
  std::unique_ptr<StatsApi> stats;
  std::string openapi;
  std::string katalog;
  // Both fixed documents gzip-compressed once at start, and their ETags (api/static_asset.h).
  std::string openapi_gz, katalog_gz, openapi_etag, katalog_etag;

  // A fixed document: 304 when If-None-Match names its ETag, else the gzip form when the client accepts it.
  Reply Fixed(const httplib::Request& req, const std::string& body, const std::string& gz, const std::string& etag) {
    bool gzip_ok = !gz.empty() && AcceptsGzip(req.get_header_value("Accept-Encoding"));
    std::string tag = gzip_ok ? etag.substr(0, etag.size() - 1) + "-gz\"" : etag;
    Reply reply{200, Json(gzip_ok ? gz : body), false, "", "application/json; charset=utf-8"};
    if (EtagMatches(req.get_header_value("If-None-Match"), tag)) reply = Reply{304, Json(""), false, "", ""};
    reply.etag = tag;
    if (gzip_ok) reply.encoding = "gzip";
    return reply;
  }
  std::atomic<size_t> in_flight{0};
  std::atomic<bool> draining{false};
  std::mutex suspended_mu;
  std::set<std::string> suspended;
  std::map<std::string, const ConnectedSystem*> by_cn, by_id;
  // Each other actor as it acts for each municipality of its entry (municipality and data controller set):
  // (system id, municipality code) -> the system as it calls for that municipality.
  std::map<std::pair<std::string, int>, ConnectedSystem> acting;

  // § 6 stk. 3–4: every call by an other actor names the municipality it acts for (x-municipalityCode) and its
  // CVR (x-cvrNumber), both checked against its entry (docs/decisions/0024-other-actor-headers.md). The system as
  // it acts in this call, or a reply: 400 `missing_municipality` when a header is missing (whatever the person),
  // the refusal when a header does not match the entry.
  std::variant<const ConnectedSystem*, Reply> ActingFor(const ConnectedSystem& system, const httplib::Request& req) {
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
  // Metrics.
  std::mutex metrics_mu;
  std::map<std::pair<std::string, int>, uint64_t> requests;  // (route, status)
  static constexpr double kBuckets[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5};
  uint64_t latency[12] = {};
  double latency_sum = 0;
  std::map<int, uint64_t> rejections;
  std::mutex log_mu;

  void Log(const Json& line) {
    if (!options.log_requests) return;
    std::lock_guard lock(log_mu);
    std::cerr << line.dump() << "\n";
  }

  const ConnectedSystem* Authenticate(const httplib::Request& req) {
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

  bool Suspended(const ConnectedSystem& s) {
    std::lock_guard lock(suspended_mu);
    return suspended.count(s.id) > 0;
  }

  // Submits a job and waits for its durable outcome.
  std::optional<JobOutcome> Run(Job job) {
    auto ticket = writer->Submit(std::move(job));
    return writer->Wait(ticket, std::chrono::seconds(options.config.limits.request_timeout_seconds));
  }

  Reply Unavailable() {
    Reply r = Problem(503, "unavailable", "Tjenesten er midlertidigt utilgængelig", "Service temporarily unavailable.");
    r.retry_after = std::string(1, '1');  // not = "1": GCC 12 -Wrestrict false positive at -O3
    return r;
  }

  // One registry result as an HTTP reply.
  Reply CommandReply(const Json& result) {
    if (result.value("status", "") == "accepted") {
      if (result.value("replayed", false)) {
        return Problem(412, "request_repeated", "x-requestId er allerede brugt", "x-requestId was already used.");
      }
      return {201, result, false, ""};
    }
    Json violations = result.value("violations", Json::array());
    bool shape = true;
    for (const auto& v : violations) {
      int code = v.value("code", 0);
      {
        std::lock_guard lock(metrics_mu);
        rejections[code]++;
      }
      if (code == 1009)
        return Problem(412, "request_repeated", "x-requestId er allerede brugt", "x-requestId was already used.");
      if (code >= 2000) shape = false;
    }
    return Problem(shape ? 400 : 422, "rejected", "Registreringen er afvist", "The registration was rejected.",
                   violations);
  }

  Reply Write(const httplib::Request& req, const ConnectedSystem& system, const std::string& resource,
              const std::string& command, Json fields, const std::string& operation) {
    std::string request_id = req.get_header_value("x-requestId");
    if (request_id.size() > 46)
      return Problem(400, "invalid_request_id", "x-requestId er for lang", "x-requestId longer than 46.");
    if (!req.has_header("x-civilRegistrationIdentifier")) {
      return Problem(400, "missing_cpr", "Headeren x-civilRegistrationIdentifier mangler",
                     "x-civilRegistrationIdentifier missing.");
    }
    for (const char* reserved : {"command", "cpr", "channel", "actor", "id"}) {
      if (fields.contains(reserved)) {
        return Problem(400, "field_not_allowed", std::string("Feltet '") + reserved + "' sættes af tjenesten",
                       std::string("Field '") + reserved + "' is set by the service.");
      }
    }
    nlohmann::json c = nlohmann::json::parse(fields.dump());
    c["command"] = command;
    c["cpr"] = req.get_header_value("x-civilRegistrationIdentifier");
    c["channel"] = catalog::ChannelKey(KindChannel(system.kind));
    // An a-kasse reports under its a-kasse code (the record types' reporting a-kasse, docs/decisions/0010).
    c["actor"] = system.kind == "other_actor" ? system.cvr + "@" + std::to_string(system.municipality)
                 : system.kind == "akasse" && !system.akasse.empty() ? system.akasse
                                                                     : system.id;
    if (!request_id.empty()) c["id"] = system.id + ":" + request_id;
    Job job{&system, resource, true, operation, request_id, {std::move(c)}, "", nullptr};
    auto outcome = Run(std::move(job));
    if (!outcome || outcome->store_failed) return Unavailable();
    if (outcome->refused[0]) return Refused();
    return CommandReply(Json::parse(outcome->results[0]));  // parsed here, off the writer thread
  }

  Reply Read(const httplib::Request& req, const ConnectedSystem& system, const std::string& resource,
             const std::string& operation, ReadFn read) {
    auto cpr = Cpr::Parse(req.get_header_value("x-civilRegistrationIdentifier"));
    if (!cpr.ok())
      return Problem(400, "invalid_cpr", "Ugyldigt eller manglende CPR-nummer", "Invalid or missing CPR number.");
    Job job{&system, resource,      false,          operation, req.get_header_value("x-requestId"),
            {},      cpr->digits(), std::move(read)};
    auto outcome = Run(std::move(job));
    if (!outcome || outcome->store_failed) return Unavailable();
    if (outcome->read_refused) return Refused();
    if (outcome->read_status == 404) return Problem(404, "not_found", "Findes ikke", "Not found.");
    if (outcome->read_status == 400)
      return Problem(400, "invalid_argument", "Ugyldig forespørgsel", outcome->read_body.dump());
    return {outcome->read_status, std::move(outcome->read_body), false, ""};
  }

  // § 86: each immediate-computation notice of a citizen's view (`notices`) gets the deep link its a-kasse told
  // the agency (the a-kasse system's `immediate_computation_link`); null when none is configured.
  void AddImmediateComputationLinks(Json* view) const {
    for (auto& notice : (*view)["notices"]) {
      if (notice.value("notice", "") != "straksopgoerelse") continue;
      notice["link"] = nullptr;
      for (const ConnectedSystem& s : options.config.systems) {
        if (s.kind == "akasse" && s.akasse == notice.value("akasse_code", "") && !s.immediate_computation_link.empty())
          notice["link"] = s.immediate_computation_link;
      }
    }
  }

  // Facts of one kind (and entity) from the store, for GET list / item / history.
  // `known`: only versions recorded on or before that day (?kendt_pr=), as the registry knew them then;
  // `corrected`: lists also entities whose last version is a correction (?berigtigede=med), marked deleted.
  ReadFn Facts(const std::string& kind, int64_t entity, bool history, std::optional<Date> known, bool corrected) {
    return [this, kind, entity, history, known, corrected](registry::Registry&,
                                                           const std::string& cpr) -> std::pair<int, Json> {
      auto loaded = store->LoadPerson(cpr);
      if (!loaded.ok()) return {500, Json(loaded.status().message())};
      std::map<int64_t, std::vector<const registry::Fact*>> versions;
      for (const auto& f : loaded->facts) {
        if (registry::FactKindKey(f.kind) != kind || (entity && f.entity_id != entity)) continue;
        if (known && f.recorded_on > *known) continue;
        versions[f.entity_id].push_back(&f);
      }
      Json out = Json::array();
      for (auto& [id, list] : versions) {
        std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->seq < b->seq; });
        if (history) {
          for (auto* f : list) out.push_back(FactJson(*f));
        } else if (!list.back()->deleted || (corrected && !entity)) {
          out.push_back(FactJson(*list.back()));
        }
      }
      if (entity && out.empty()) return {404, nullptr};
      if (entity && !history) return {200, out[0]};
      return {200, out};
    };
  }

  // Statistics routes: readable without a connected system when catalog/access.yaml says so (public_reads).
  Reply Statistics(const Route& route, const httplib::Request& req) {
    if (!stats->public_read()) {
      const ConnectedSystem* system = Authenticate(req);
      if (!system) return Problem(401, "unauthenticated", "Ukendt system", "Unknown or missing client certificate.");
      if (Suspended(*system))
        return Problem(403, "suspended", "Systemets adgang er lukket (§ 8)", "Access suspended (§ 8).");
    }
    std::vector<std::string> params;
    for (size_t i = 1; i < req.matches.size(); ++i) params.push_back(req.matches[i].str());
    StatsAnswer a =
        stats->Handle(route.path, params, req.params,
                      {req.get_header_value("If-None-Match"), AcceptsGzip(req.get_header_value("Accept-Encoding"))});
    Reply reply{a.status, Json(std::move(a.body)), false, "", a.content_type};
    reply.etag = std::move(a.etag);
    reply.encoding = std::move(a.encoding);
    return reply;
  }

  Reply Dispatch(const Route& route, const httplib::Request& req);
  void Install();
  std::string Metrics();
};

Reply ApiServer::Impl::Dispatch(const Route& route, const httplib::Request& req) {
  const std::string& path = route.path;
  if (path == "/healthz") return {200, Json{{"status", "ok"}}, false, ""};
  if (path == "/readyz") {
    if (draining || !writer->running()) return Unavailable();
    return {200, Json{{"status", "ready"}}, false, ""};
  }
  if (path.rfind("/v3/", 0) == 0 || path.rfind("/statistik", 0) == 0) return Statistics(route, req);
  if (IsPageRoute(path)) {  // the timeline and the citizen's page (docs/pages.md)
    const ConnectedSystem* system = Authenticate(req);
    PageAnswer a =
        ServePage({path, system, system && Suspended(*system), options.plain_http, &options.config.systems,
                   req.get_header_value("If-None-Match"), AcceptsGzip(req.get_header_value("Accept-Encoding"))},
                  rules, options.web_dir);
    Reply reply{a.status, Json(std::move(a.body)), false, "", a.content_type};
    reply.etag = std::move(a.etag);
    reply.encoding = std::move(a.encoding);
    return reply;
  }
  const ConnectedSystem* system = Authenticate(req);
  if (!system) return Problem(401, "unauthenticated", "Ukendt system", "Unknown or missing client certificate.");
  if (Suspended(*system))
    return Problem(403, "suspended", "Systemets adgang er lukket (§ 8)", "Access suspended (§ 8).");
  if (system->kind == "other_actor" && system->cvr.empty()) return Refused();
  if (system->kind == "other_actor") {
    auto acting_as = ActingFor(*system, req);
    if (auto* reply = std::get_if<Reply>(&acting_as)) return std::move(*reply);
    system = std::get<const ConnectedSystem*>(acting_as);
  }
  if (path.rfind("/v1/admin/", 0) == 0) {
    if (system->kind != "admin") return Refused();
    std::string id = req.matches[1];
    if (!by_id.count(id)) return Problem(404, "not_found", "Findes ikke", "No such system.");
    std::lock_guard lock(suspended_mu);
    bool suspend = path.ends_with("/suspend");
    if (suspend)
      suspended.insert(id);
    else
      suspended.erase(id);
    Log({{"ts", UtcNow()},
         {"level", "info"},
         {"msg", suspend ? "system suspended" : "system reinstated"},
         {"system", id},
         {"by", system->id}});
    return {200, Json{{"system", id}, {"suspended", suspend}}, false, ""};
  }
  // Both documents are fixed for the process: sent as the stored text (or its gzip form made at start), not parsed
  // and dumped per request (the catalogue export is 0.4 MB; the timeline loads it for its names), with an ETag.
  // The charset parameter keeps cpp-httplib from compressing them per request (its brotli takes 1 s for the
  // catalogue; docs/performance.md "Pages").
  if (path == "/openapi.json") return Fixed(req, openapi, openapi_gz, openapi_etag);
  if (path == "/v1/katalog") return Fixed(req, katalog, katalog_gz, katalog_etag);
  if (path == "/metrics") return {200, Json(Metrics()), false, "", "text"};
  std::string operation = route.method + " " + path;
  if (path == "/v1/status") {
    // Today by the clock's moment (§ 89 stk. 4: the a-kasse's summons until 2 hours after their time); a given
    // ?dato= is a view by the day.
    Date date = clock->Today();
    std::optional<std::chrono::sys_seconds> now = clock->Now();
    std::optional<Date> known;
    if (req.has_param("dato")) {
      auto d = ParseDate(req.get_param_value("dato"));
      if (!d.ok()) return Problem(400, "invalid_date", "Ugyldig dato", "Invalid dato.");
      date = *d;
      now.reset();
    }
    if (req.has_param("kendt_pr")) {
      auto d = ParseDate(req.get_param_value("kendt_pr"));
      if (!d.ok()) return Problem(400, "invalid_date", "Ugyldig dato", "Invalid kendt_pr.");
      known = *d;
    }
    return Read(req, *system, "Status", operation, [date, known, now](registry::Registry& r, const std::string& cpr) {
      auto status = r.PersonStatus(cpr, date, known, now);
      if (!status.ok()) return std::pair<int, Json>{400, Json(status.status().message())};
      return std::pair<int, Json>{200, std::move(status).value()};
    });
  }
  // The measurement's explanation of one person-month (the timeline's "Måling"); resource Maaling in access.yaml.
  if (path == "/v1/Maaling/forklaring") {
    std::string text = req.get_param_value("maaned");
    auto first = ParseDate(text + "-01");
    if (text.size() != 7 || !first.ok())
      return Problem(400, "invalid_month", "Ugyldig måned (ÅÅÅÅ-MM)", "Invalid maaned, expected YYYY-MM.");
    Date month = *first;
    auto explain = options.explain_month;
    return Read(req, *system, "Maaling", operation, [explain, month](registry::Registry&, const std::string& cpr) {
      if (!explain) return std::pair<int, Json>{404, nullptr};
      return explain(cpr, month);
    });
  }
  // Records of declared types, every version (the timeline), and what the citizen is shown of them (Jobnet).
  if (path == "/v1/Registreringer" || path == "/v1/Borgervisning") {
    // Borgervisning: ?dato= (default today); Registreringer: ?kendt_pr= (default everything) and ?type=.
    const char* name = path == "/v1/Borgervisning" ? "dato" : "kendt_pr";
    std::optional<Date> day;
    if (req.has_param(name)) {
      auto d = ParseDate(req.get_param_value(name));
      if (!d.ok())
        return Problem(400, "invalid_date", "Ugyldig dato", std::string("Invalid ").append(name).append("."));
      day = *d;
    }
    if (path == "/v1/Borgervisning") {
      Date date = day.value_or(clock->Today());
      return Read(req, *system, "Borgervisning", operation,
                  [this, date](registry::Registry& r, const std::string& cpr) {
                    auto view = r.CitizenRecords(cpr, date);
                    if (!view.ok()) return std::pair<int, Json>{400, Json(view.status().message())};
                    Json body = std::move(view).value();
                    AddImmediateComputationLinks(&body);
                    return std::pair<int, Json>{200, std::move(body)};
                  });
    }
    std::string type = req.get_param_value("type");
    // Only the types whose `actors` let the system's channel read them today; the agency reads everything.
    std::optional<registry::RecordReader> reader;
    if (system->kind != "agency") reader = registry::RecordReader{KindChannel(system->kind), clock->Today()};
    if (const catalog::RecordType* t = catalog->FindRecordType(type); t && reader && !reader->MayRead(*t)) {
      return Refused();
    }
    return Read(req, *system, "Registreringer", operation,
                [type, day, reader](registry::Registry& r, const std::string& cpr) {
                  auto history = r.RecordHistory(cpr, type, 0, day, reader);
                  if (!history.ok()) return std::pair<int, Json>{400, Json(history.status().message())};
                  return std::pair<int, Json>{200, std::move(history).value()};
                });
  }
  if (path == "/v1/batch") {
    // JSON Lines of complete commands (docs/commands.md); channel and actor are set from the system.
    Job job{system, "*", true, operation, req.get_header_value("x-requestId"), {}, "", nullptr};
    if (system->kind == "jobnet") {
      // Jobnet acts for one citizen, named in the header: its lines may write only that person (relation self).
      auto cpr = Cpr::Parse(req.get_header_value("x-civilRegistrationIdentifier"));
      if (!cpr.ok())
        return Problem(400, "invalid_cpr", "Ugyldigt eller manglende CPR-nummer", "Invalid or missing CPR number.");
      job.cpr = cpr->digits();
    }
    std::istringstream in(req.body);
    std::string line;
    std::vector<int> parse_errors;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      if (job.commands.size() >= options.config.limits.max_batch_lines) {
        return Problem(413, "too_many_lines", "For mange linjer", "Too many lines in one batch.");
      }
      nlohmann::json c = nlohmann::json::parse(line, nullptr, false);
      if (!c.is_object()) c = nlohmann::json{{"command", nullptr}};
      c["channel"] = catalog::ChannelKey(KindChannel(system->kind));
      c["actor"] = system->kind == "other_actor" ? system->cvr + "@" + std::to_string(system->municipality)
                   : system->kind == "akasse" && !system->akasse.empty() ? system->akasse
                                                                         : system->id;
      if (c.contains("id") && c["id"].is_string()) c["id"] = system->id + ":" + c["id"].get<std::string>();
      job.commands.push_back(std::move(c));
    }
    // A batch is checked per line against the rule for the line's resource: writes under "*" rules only.
    auto outcome = Run(std::move(job));
    if (!outcome || outcome->store_failed) return Unavailable();
    std::string body;
    for (size_t i = 0; i < outcome->results.size(); ++i) {
      if (outcome->refused[i]) {
        body += Json{{"line", i + 1}, {"status", "refused"}}.dump();
      } else {
        Json r = Json::parse(outcome->results[i]);
        r["line"] = i + 1;
        body += r.dump();
      }
      body += "\n";
    }
    return {200, Json(body), false, "", "jsonl"};
  }
  // Resource routes: /v1/{Resource}[/{id}[/...]]
  std::string name = path.substr(4, path.find('/', 4) == std::string::npos ? std::string::npos : path.find('/', 4) - 4);
  if (name == "Moede") {
    Json fields = Json::parse(req.body, nullptr, false);
    if (!fields.is_object()) return Problem(400, "malformed_json", "Ugyldig JSON", "The body is not a JSON object.");
    return Write(req, *system, "Moede", "book_meeting", std::move(fields), operation);
  }
  const ResourceSpec* spec = nullptr;
  for (const auto& r : Resources()) {
    if (r.name == name) spec = &r;
  }
  if (!spec) return Problem(404, "not_found", "Findes ikke", "No such resource.");
  int64_t entity = 0;
  if (req.matches.size() > 1) {
    std::string id = req.matches[1];
    if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos) {
      return Problem(400, "invalid_id", "Ugyldigt id", "The id must be a positive integer.");
    }
    entity = std::stoll(id);
  }
  if (route.method == "GET") {
    bool history = path.ends_with("/historik");
    std::optional<Date> known;
    if (req.has_param("kendt_pr")) {
      auto d = ParseDate(req.get_param_value("kendt_pr"));
      if (!d.ok()) return Problem(400, "invalid_date", "Ugyldig dato", "Invalid kendt_pr.");
      known = *d;
    }
    bool corrected = req.get_param_value("berigtigede") == "med";
    return Read(req, *system, spec->name, operation, Facts(spec->fact_kind, entity, history, known, corrected));
  }
  Json fields = Json::object();
  if (route.method == "POST" || route.method == "PUT") {
    fields = Json::parse(req.body, nullptr, false);
    if (!fields.is_object())
      return Problem(400, "malformed_json", "Ugyldig JSON", "The body is not a JSON object (or not UTF-8).");
  }
  if (path.ends_with("/kvittering") || path.ends_with("/ombooking")) {
    fields["summons_id"] = entity;
    bool ack = path.ends_with("/kvittering");
    return Write(req, *system, ack ? "Indkaldelse.kvittering" : "Indkaldelse.ombooking",
                 ack ? "acknowledge_summons" : "rebook_summons", std::move(fields), operation);
  }
  if (route.method == "POST") return Write(req, *system, spec->name, spec->create, std::move(fields), operation);
  if (route.method == "PUT") {
    fields[spec->id_field] = entity;
    return Write(req, *system, spec->name, spec->update, std::move(fields), operation);
  }
  // DELETE /{id}/{kommentar}: the correction's reason (§ 34 stk. 4).
  fields[spec->id_field] = entity;
  if (spec->correct_takes_comment) fields["comment"] = std::string(req.matches[2]);
  return Write(req, *system, spec->name, spec->correct, std::move(fields), operation);
}

std::string ApiServer::Impl::Metrics() {
  std::ostringstream out;
  std::lock_guard lock(metrics_mu);
  out << "# TYPE dfdg_http_requests_total counter\n";
  for (const auto& [key, n] : requests) {
    out << "dfdg_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
  }
  out << "# TYPE dfdg_http_request_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < std::size(kBuckets); ++i) {
    cumulative += latency[i];
    out << "dfdg_http_request_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << cumulative << "\n";
  }
  cumulative += latency[std::size(kBuckets)];
  out << "dfdg_http_request_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n";
  out << "dfdg_http_request_seconds_sum " << latency_sum << "\ndfdg_http_request_seconds_count " << cumulative << "\n";
  const WriterStats& stats = writer->stats();
  out << "# TYPE dfdg_commits_total counter\ndfdg_commits_total " << stats.commits << "\n";
  out << "# TYPE dfdg_conflict_retries_total counter\ndfdg_conflict_retries_total " << stats.conflict_retries << "\n";
  out << "# TYPE dfdg_committed_commands_total counter\ndfdg_committed_commands_total " << stats.committed_commands
      << "\n";
  out << "# TYPE dfdg_parallel_commits_total counter\ndfdg_parallel_commits_total " << stats.parallel_commits << "\n";
  // Where the writer thread's time goes (docs/performance.md): its own steps and the registry's stages.
  const registry::StageTimes& stages = registry::ProcessStageTimes();
  const std::pair<const char*, uint64_t> seconds[] = {{"prepare", stats.prepare_ns},
                                                      {"read", stats.read_ns},
                                                      {"execute", stats.execute_ns},
                                                      {"respond", stats.respond_ns},
                                                      {"registry_parse", stages.parse_ns},
                                                      {"registry_load", stages.load_ns},
                                                      {"registry_validate", stages.validate_ns},
                                                      {"registry_write", stages.write_ns},
                                                      {"registry_audit", stages.before_commit_ns},
                                                      {"registry_commit", stages.commit_ns},
                                                      {"registry_commit_wait", stages.commit_wait_ns}};
  out << "# TYPE dfdg_writer_seconds_total counter\n";
  for (const auto& [stage, ns] : seconds) {
    out << "dfdg_writer_seconds_total{stage=\"" << stage << "\"} " << static_cast<double>(ns) / 1e9 << "\n";
  }
  const char* labels[] = {"1", "4", "16", "64", "256", "1024", "+Inf"};
  out << "# TYPE dfdg_commit_batch_size histogram\n";
  uint64_t c = 0;
  for (int i = 0; i < 7; ++i) {
    c += stats.batch_hist[i];
    out << "dfdg_commit_batch_size_bucket{le=\"" << labels[i] << "\"} " << c << "\n";
  }
  out << "# TYPE dfdg_rejections_total counter\n";
  for (const auto& [code, n] : rejections) out << "dfdg_rejections_total{code=\"" << code << "\"} " << n << "\n";
  out << "# TYPE dfdg_in_flight gauge\ndfdg_in_flight " << in_flight << "\n";
  store::WriteWalMetrics(out);  // SQLite: commit times and WAL checkpoints (docs/storage.md "WAL checkpoints")
  // The outbox, as measured by the delivery thread after its last pass (docs/delivery.md "Dead-letter alert").
  const delivery::OutboxGauges& outbox = delivery::ProcessOutboxGauges();
  if (int64_t dead = outbox.dead; dead >= 0) {
    out << "# TYPE dfdg_outbox_dead_letters gauge\ndfdg_outbox_dead_letters " << dead << "\n";
    out << "# TYPE dfdg_outbox_pending gauge\ndfdg_outbox_pending " << outbox.pending << "\n";
    out << "# TYPE dfdg_outbox_dead_letter_alert gauge\ndfdg_outbox_dead_letter_alert "
        << (dead >= outbox.alert_at ? 1 : 0) << "\n";
  }
  return out.str();
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
      if (draining && route.path != "/healthz") {
        reply = Unavailable();
      } else if (now > options.config.limits.max_in_flight) {
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
                                                     std::shared_ptr<const catalog::Catalog> catalog,
                                                     store::Store* store, const Clock* clock) {
  auto impl = std::make_unique<Impl>();
  auto rules = AccessRules::Load(options.access_rules_path);
  if (!rules.ok()) return rules.status();
  impl->rules = std::move(rules).value();
  impl->rules.UseDeclarations(catalog);  // which kind may read or write which built-in area (docs/api.md)
  std::ifstream openapi(options.openapi_path);
  if (!openapi) return Status::NotFound("cannot read the OpenAPI document " + options.openapi_path);
  std::stringstream buffer;
  buffer << openapi.rdbuf();
  impl->openapi = buffer.str();
  impl->katalog = catalog::ExportJson(*catalog, std::nullopt).dump();
  impl->openapi_gz = Gzip(impl->openapi);
  impl->katalog_gz = Gzip(impl->katalog);
  impl->openapi_etag = "\"" + Fnv64Hex(impl->openapi) + "\"";
  impl->katalog_etag = "\"" + Fnv64Hex(impl->katalog) + "\"";
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
