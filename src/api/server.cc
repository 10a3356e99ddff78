// Request handling: the registry's writes and reads as HTTP replies, and the routing of each request
// (docs/api.md).
#include <algorithm>

#include "api/server_impl.h"
#include "registry/record_report.h"

namespace dfdg::api {

// A fixed document: 304 when If-None-Match names its ETag, else the gzip form when the client accepts it.
Reply ApiServer::Impl::Fixed(const httplib::Request& req, const std::string& body, const std::string& gz,
                             const std::string& etag) {
  bool gzip_ok = !gz.empty() && AcceptsGzip(req.get_header_value("Accept-Encoding"));
  std::string tag = gzip_ok ? etag.substr(0, etag.size() - 1) + "-gz\"" : etag;
  Reply reply{200, Json(gzip_ok ? gz : body), false, "", "application/json; charset=utf-8"};
  if (EtagMatches(req.get_header_value("If-None-Match"), tag)) reply = Reply{304, Json(""), false, "", ""};
  reply.etag = tag;
  if (gzip_ok) reply.encoding = "gzip";
  return reply;
}

// Submits a job and waits for its durable outcome.
std::optional<JobOutcome> ApiServer::Impl::Run(Job job) {
  auto ticket = writer->Submit(std::move(job));
  return writer->Wait(ticket, std::chrono::seconds(options.config.limits.request_timeout_seconds));
}

std::optional<JobOutcome> ApiServer::Impl::RunRead(Job job) {
  if (readers) {
    auto reader = readers->Acquire();
    if (!reader.ok()) return std::nullopt;
    try {
      job.answer_audit = AnswerRead(job, rules, clock->Today(), *(*reader)->registry, *(*reader)->store, &job.answer);
    } catch (const std::exception&) {
      return std::nullopt;  // a bug must not end the process (the writer answers its own failures with 503 too)
    }
  }  // the reader is back in the pool before the wait for the audit row's commit
  return Run(std::move(job));
}

Reply ApiServer::Impl::Unavailable() {
  Reply r = Problem(503, "unavailable", "Tjenesten er midlertidigt utilgængelig", "Service temporarily unavailable.");
  r.retry_after = std::string(1, '1');  // not = "1": GCC 12 -Wrestrict false positive at -O3
  return r;
}

// One registry result as an HTTP reply.
Reply ApiServer::Impl::CommandReply(const Json& result) {
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

Reply ApiServer::Impl::Write(const httplib::Request& req, const ConnectedSystem& system, const std::string& resource,
                             const std::string& command, const Json& fields, const std::string& operation) {
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
  c["channel"] = catalog::ChannelKey(rules.KindChannel(system.kind));
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

Reply ApiServer::Impl::Read(const httplib::Request& req, const ConnectedSystem& system, const std::string& resource,
                            const std::string& operation, ReadFn read, bool refuses_itself) {
  auto cpr = Cpr::Parse(req.get_header_value("x-civilRegistrationIdentifier"));
  if (!cpr.ok())
    return Problem(400, "invalid_cpr", "Ugyldigt eller manglende CPR-nummer", "Invalid or missing CPR number.");
  Job job{&system, resource, false, operation, req.get_header_value("x-requestId"), {}, cpr->digits(), std::move(read)};
  job.refuses_itself = refuses_itself;
  auto outcome = RunRead(std::move(job));
  if (!outcome || outcome->store_failed) return Unavailable();
  if (outcome->read_refused) return Refused();
  if (outcome->read_status == 404) return Problem(404, "not_found", "Findes ikke", "Not found.");
  if (outcome->read_status == 400)
    return Problem(400, "invalid_argument", "Ugyldig forespørgsel", outcome->read_body.dump());
  return {outcome->read_status, std::move(outcome->read_body), false, ""};
}

// Statistics routes: readable without a connected system when catalog/access.yaml says so (public_reads).
Reply ApiServer::Impl::Statistics(const Route& route, const httplib::Request& req) {
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
  // A system without the CVR its kind requires (system_kinds: other_actor) is refused on every call (§ 6 stk. 4).
  if (const SystemKind* kind = rules.kinds().Find(system->kind); kind && kind->needs_cvr && system->cvr.empty())
    return Refused();
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
    return Read(req, *system, "Status", operation,
                [date, known, now](registry::Registry& r, store::Store&, const std::string& cpr,
                                   const registry::PersonHistory* person) {
                  auto status = r.PersonStatus(cpr, date, known, now, person);
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
    return Read(
        req, *system, "Maaling", operation,
        [explain, month](registry::Registry&, store::Store&, const std::string& cpr, const registry::PersonHistory*) {
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
                  [this, date](registry::Registry& r, store::Store&, const std::string& cpr,
                               const registry::PersonHistory* person) {
                    auto view = r.CitizenRecords(cpr, date, person);
                    if (!view.ok()) return std::pair<int, Json>{400, Json(view.status().message())};
                    Json body = std::move(view).value();
                    AddImmediateComputationLinks(&body);
                    return std::pair<int, Json>{200, std::move(body)};
                  });
    }
    std::string type = req.get_param_value("type");
    // Only the types whose `actors` let the system's channel read them today; the agency reads everything.
    std::optional<registry::RecordReader> reader;
    if (system->kind != "agency") reader = registry::RecordReader{rules.KindChannel(system->kind), clock->Today()};
    if (const catalog::RecordType* t = catalog->FindRecordType(type); t && reader && !reader->MayRead(*t)) {
      return Refused();
    }
    return Read(req, *system, "Registreringer", operation,
                [type, day, reader](registry::Registry& r, store::Store&, const std::string& cpr,
                                    const registry::PersonHistory* person) {
                  auto history = r.RecordHistory(cpr, type, 0, day, reader, person);
                  if (!history.ok()) return std::pair<int, Json>{400, Json(history.status().message())};
                  return std::pair<int, Json>{200, std::move(history).value()};
                });
  }
  // A purpose-bound lookup (a record type's `lookup`; § 61 stk. 5: an a-kasse asks for a prospective member's
  // current membership). The purpose is part of the audit row's operation, so the audit says who looked up whom,
  // when and why. A lookup without a purpose, or with one the type's list does not hold, is refused before it is
  // made (400).
  if (path == "/v1/Opslag") {
    const std::string type_key = req.get_param_value("type");
    const std::string purpose = req.get_param_value("begrundelse");
    const catalog::RecordType* type = catalog->FindRecordType(type_key);
    if (!type || !type->lookup)
      return Problem(400, "invalid_type", "Ukendt type eller typen kan ikke slås op",
                     "Unknown type, or a type without a lookup.");
    if (purpose.empty())
      return Problem(400, "missing_purpose", "Opslaget kræver en begrundelse (begrundelse)",
                     "The lookup needs its purpose (begrundelse).");
    if (!registry::LookupPurpose(*type, purpose))
      return Problem(400, "invalid_purpose", "Ukendt begrundelse", "Unknown purpose (begrundelse).");
    Date date = clock->Today();
    if (req.has_param("dato")) {
      auto d = ParseDate(req.get_param_value("dato"));
      if (!d.ok()) return Problem(400, "invalid_date", "Ugyldig dato", "Invalid dato.");
      date = *d;
    }
    std::string audited = std::string(operation).append("?type=").append(type_key).append("&begrundelse=");
    audited.append(purpose);
    const catalog::Channel channel = rules.KindChannel(system->kind);
    const auto& channels = type->lookup->channels;
    const bool may = std::find(channels.begin(), channels.end(), channel) != channels.end();
    // A system the lookup does not name is refused after the access rules (which let e.g. a job centre read every
    // resource of its own citizens), so the refusal is audited like theirs.
    return Read(
        req, *system, "Opslag", audited,
        [type_key, purpose, date, channel, may](registry::Registry& r, store::Store&, const std::string& cpr,
                                                const registry::PersonHistory* person) {
          if (!may) return std::pair<int, Json>{403, nullptr};
          auto found = r.LookupRecords(cpr, type_key, purpose, date, channel, person);
          if (!found.ok()) return std::pair<int, Json>{400, Json(found.status().message())};
          return std::pair<int, Json>{200, std::move(found).value()};
        },
        /*refuses_itself=*/true);
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
      c["channel"] = catalog::ChannelKey(rules.KindChannel(system->kind));
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
  if (path.rfind("/v1/Projekter", 0) == 0) return Projects(route, req, *system);
  // Resource routes: /v1/{Resource}[/{id}[/...]]
  std::string name = path.substr(4, path.find('/', 4) == std::string::npos ? std::string::npos : path.find('/', 4) - 4);
  if (name == "Moede") {
    Json fields = Json::parse(req.body, nullptr, false);
    if (!fields.is_object()) return Problem(400, "malformed_json", "Ugyldig JSON", "The body is not a JSON object.");
    return Write(req, *system, "Moede", "book_meeting", fields, operation);
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
                 ack ? "acknowledge_summons" : "rebook_summons", fields, operation);
  }
  if (route.method == "POST") return Write(req, *system, spec->name, spec->create, fields, operation);
  if (route.method == "PUT") {
    fields[spec->id_field] = entity;
    return Write(req, *system, spec->name, spec->update, fields, operation);
  }
  // DELETE /{id}/{kommentar}: the correction's reason (§ 34 stk. 4).
  fields[spec->id_field] = entity;
  if (spec->correct_takes_comment) fields["comment"] = std::string(req.matches[2]);
  return Write(req, *system, spec->name, spec->correct, fields, operation);
}

}  // namespace dfdg::api
