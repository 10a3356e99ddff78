// The statistics API's routes, configuration, subjects, tables and assets (docs/statistics.md).
#include "api/stats_impl.h"

namespace dfdg::api {

using namespace stats_detail;  // NOLINT(google-build-using-namespace): the module's own helpers

std::vector<Route> StatsRoutes() {
  return {{"GET", "/v3/subjects"}, {"GET", "/v3/tables"},        {"GET", "/v3/table/{id}"},    {"GET", "/v3/data/{id}"},
          {"GET", "/statistik"},   {"GET", "/statistik/app.js"}, {"GET", "/statistik/app.css"}};
}

StatsApi::StatsApi(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StatsApi::~StatsApi() = default;
bool StatsApi::public_read() const { return impl_->public_read; }

Result<std::unique_ptr<StatsApi>> StatsApi::Create(const std::string& results_path, const std::string& statistics_yaml,
                                                   const std::string& access_yaml, const std::string& web_dir) {
  auto impl = std::make_unique<Impl>();
  impl->results_path = results_path;
  impl->web_dir = web_dir;
  try {
    {
      std::ifstream in(statistics_yaml, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      impl->config_fingerprint = Fnv64Hex(text.str());
    }
    YAML::Node root = YAML::LoadFile(statistics_yaml);
    impl->subject = {root["subject"]["id"].as<std::string>(), root["subject"]["name"].as<std::string>()};
    for (const auto& t : root["tables"])
      impl->tables.push_back({t["id"].as<std::string>(), t["name"].as<std::string>()});
    for (const auto& m : root["measures"])
      impl->measures.push_back({m["id"].as<std::string>(), m["name"].as<std::string>()});
    for (const auto& m : root["tilsyn_measures"])
      impl->tilsyn_measures.push_back({m["id"].as<std::string>(), m["name"].as<std::string>()});
    for (const auto& g : root["groups"]) impl->group_names[g.first.as<std::string>()] = g.second.as<std::string>();
    impl->min_count = root["suppression"]["min_count"].as<uint32_t>();
    if (impl->min_count < 1) return Status::InvalidArgument(statistics_yaml + ": suppression.min_count must be >= 1");
    YAML::Node access = YAML::LoadFile(access_yaml);
    for (const auto& p : access["public_reads"]) {
      if (p["resource"].as<std::string>() == "Statistik") impl->public_read = true;
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(statistics_yaml + " / " + access_yaml + ": " + e.what());
  }
  return std::unique_ptr<StatsApi>(new StatsApi(std::move(impl)));
}

StatsAnswer StatsApi::Handle(const std::string& route_path, const std::vector<std::string>& path_params,
                             const std::multimap<std::string, std::string>& query,
                             const StatsConditions& conditions) const {
  if (route_path == "/statistik") return impl_->Asset("index.html", "text/html; charset=utf-8", conditions);
  // Not a text/ type: cpp-httplib would brotli-compress the 59 kB script on every request (0.2 s).
  if (route_path == "/statistik/app.js")
    return impl_->Asset("app.js", "application/javascript; charset=utf-8", conditions);
  if (route_path == "/statistik/app.css") return impl_->Asset("app.css", "text/css; charset=utf-8", conditions);
  auto reader = stats::ResultsReader::Open(impl_->results_path);
  if (!reader.ok()) {
    return Problem(404, "not_found", "Der er ingen gemte måleresultater",
                   "No stored measurement results (dfdg measure --store-db FILE, then dfdg serve --stats-db FILE).");
  }
  // Validator of every /v3 answer: the run (id and time) and the statistics catalogue; the request is the URL.
  const auto& run = (*reader)->run();
  // A JSON answer is gzip-compressed here (level 6) and sent with a content type cpp-httplib leaves alone: its own
  // brotli at quality 11 took 15 ms of a 3 ms answer (docs/performance.md "Pages"). Each encoding its own ETag.
  std::string etag = "\"v3-" + std::to_string(run.run_id) + "-" + Fnv64Hex(run.created_at) + "-" +
                     impl_->config_fingerprint + (conditions.gzip_ok ? "-gz" : "") + "\"";
  if (EtagMatches(conditions.if_none_match, etag)) return {304, "", "", etag};
  StatsAnswer answer = impl_->Answer(**reader, route_path, path_params, query);
  if (answer.status != 200) return answer;
  answer.etag = etag;
  if (answer.content_type == "application/json") {
    if (conditions.gzip_ok && answer.body.size() >= 1024) {
      std::string packed = Gzip(answer.body);
      if (!packed.empty()) {
        answer.body = std::move(packed);
        answer.encoding = "gzip";
      }
    }
    answer.content_type = "application/json; charset=utf-8";
  }
  return answer;
}

StatsAnswer StatsApi::Impl::Answer(const stats::ResultsReader& r, const std::string& route_path,
                                   const std::vector<std::string>& path_params,
                                   const std::multimap<std::string, std::string>& query) const {
  if (route_path == "/v3/subjects") return Subjects(&r);
  if (route_path == "/v3/tables") {
    for (const auto& [k, v] : query) {
      if (k != "subject") return BadParam(k, "Ukendt parameter", "Unknown parameter '" + k + "'.");
      if (v != subject.id) return Problem(404, "not_found", "Emnet findes ikke", "No such subject.", k);
    }
    return Tables(r);
  }
  std::string id = path_params.empty() ? "" : path_params[0];
  bool known = std::any_of(tables.begin(), tables.end(), [&](const Named& t) { return t.id == id; });
  if (!known) return Problem(404, "not_found", "Tabellen findes ikke", "No such table '" + id + "'.");
  if (route_path == "/v3/table/{id}") return Table(r, id);
  return Data(r, id, query);
}

StatsAnswer StatsApi::Impl::Asset(const std::string& name, const std::string& type,
                                  const StatsConditions& conditions) const {
  StaticFile file = ReadStatic(web_dir + "/" + name, conditions.gzip_ok && name.ends_with(".js"));
  if (!file.found) {
    return Problem(404, "not_found", "Statistiksiden er ikke bygget",
                   "The page's assets are missing in " + web_dir + " (build them: make web).");
  }
  if (EtagMatches(conditions.if_none_match, file.etag)) return {304, "", type, file.etag, file.encoding};
  return {200, std::move(file.body), type, file.etag, file.encoding};
}

StatsAnswer StatsApi::Impl::Subjects(const stats::ResultsReader*) const {
  Json tables_json = Json::array();
  for (const auto& t : tables) tables_json.push_back(t.id);
  return JsonAnswer(Json::array({{{"id", subject.id}, {"name", subject.name}, {"tables", tables_json}}}));
}

StatsAnswer StatsApi::Impl::Tables(const stats::ResultsReader& r) const {
  Json out = Json::array();
  for (const auto& t : tables) {
    out.push_back(
        {{"id", t.id},
         {"name", t.name},
         {"subject", subject.id},
         {"period_types", {"M"}},
         {"first_period",
          PeriodId(t.id == "skaerpet_tilsyn" && r.months().size() >= 12 ? r.months()[11] : r.months().front())},
         {"last_period", PeriodId(r.months().back())},
         {"updated", r.run().created_at}});
  }
  return JsonAnswer(out);
}

Json StatsApi::Impl::AreaHierarchy(const stats::ResultsReader& r) const {
  Json land = Json::object();
  std::map<int, Json> regions;
  std::vector<int> region_order;
  Json unknown = Json::array();
  for (const auto& a : r.areas()) {
    Json node{{"id", AreaId(a.level, a.code)}, {"name", a.name}, {"level", a.level}, {"code", a.code}};
    if (a.level == "land") {
      land = node;
    } else if (a.level == "region") {
      node["children"] = Json::array();
      regions[a.code] = node;
      region_order.push_back(a.code);
    }
  }
  for (const auto& a : r.areas()) {
    if (a.level != "kommune") continue;
    Json node{{"id", AreaId(a.level, a.code)}, {"name", a.name}, {"level", a.level}, {"code", a.code}};
    if (regions.count(a.parent)) {
      regions[a.parent]["children"].push_back(node);
    } else {
      unknown.push_back(node);
    }
  }
  land["children"] = Json::array();
  for (int code : region_order) land["children"].push_back(regions[code]);
  for (auto& u : unknown) land["children"].push_back(u);  // "Ukendt kommune": directly under the country
  return land;
}

StatsAnswer StatsApi::Impl::Table(const stats::ResultsReader& r, const std::string& id) const {
  bool tilsyn = id == "skaerpet_tilsyn";
  Json periods = Json::array();
  for (size_t i = tilsyn ? 11 : 0; i < r.months().size(); ++i) periods.push_back(PeriodId(r.months()[i]));
  Json measures_json = Json::array();
  for (const auto& m : tilsyn ? tilsyn_measures : measures) measures_json.push_back({{"id", m.id}, {"name", m.name}});
  Json dims = Json::array();
  dims.push_back({{"id", "area"}, {"name", "Område"}, {"default", "land"}, {"hierarchy", AreaHierarchy(r)}});
  if (!tilsyn) {
    Json groups = Json::array(), intervals = Json::array();
    for (const auto& g : r.groups()) groups.push_back({{"id", g}, {"name", GroupName(g)}});
    for (const auto& v : r.intervals()) intervals.push_back({{"id", Slug(v)}, {"name", v}});
    dims.push_back({{"id", "ydelsesgruppe"}, {"name", "Ydelsesgruppe"}, {"default", "alle"}, {"values", groups}});
    dims.push_back({{"id", "varighed"}, {"name", "Varighed"}, {"default", "i_alt"}, {"values", intervals}});
  }
  std::string name;
  for (const auto& t : tables) {
    if (t.id == id) name = t.name;
  }
  Json out{{"id", id},
           {"name", name},
           {"subject", subject.id},
           {"method_version", r.run().method_version},
           {"catalog_version", r.run().catalog_version},
           {"run",
            {{"id", r.run().run_id},
             {"created_at", r.run().created_at},
             {"first_month", r.run().first_month},
             {"last_month", r.run().last_month},
             {"inputs", Json::parse(r.run().inputs_json, nullptr, false)}}},
           {"period_types", Json::array({{{"id", "M"}, {"name", "Måned"}, {"periods", periods}}})},
           {"measures", measures_json},
           {"dimensions", dims}};
  if (!tilsyn) {
    std::string below = std::to_string(min_count), top = std::to_string(min_count - 1);
    out["suppression"] = {
        {"min_count", min_count},
        {"secondary", true},
        {"rule", "Antal fra 1 til " + top +
                     " offentliggøres ikke (\"..\" i CSV, null i JSON). Desuden skjules så mange andre antal (de "
                     "mindste først), at intet skjult antal kan regnes ud af en sum: landet, en region og dens "
                     "kommuner, mål 2 og 3 og mål 1's antal. Mål 4 offentliggøres ikke, når mål 2 er under " +
                     below + ", når mål 2 eller mål 3 er skjult, eller når mål 2 − mål 3 er fra 1 til " + top + "."},
        {"rule_en", "Counts from 1 to " + top +
                        " are not published (\"..\" in CSV, null in JSON). So many other counts are hidden as well "
                        "(the smallest first) that no hidden count can be worked out from a total: the country, a "
                        "region and its municipalities, measures 2 and 3 and the counts of measure 1. Measure 4 is "
                        "not published when measure 2 is below " +
                        below + ", when measure 2 or measure 3 is hidden, or when measure 2 − measure 3 is from 1 to " +
                        top + "."}};
  }
  return JsonAnswer(out);
}

}  // namespace dfdg::api
