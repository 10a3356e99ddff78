#include "api/stats_routes.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "api/static_asset.h"
#include "api/stats_xlsx.h"
#include "stats/results_store.h"
#include "stats/suppression.h"

namespace dfdg::api {

using Json = nlohmann::ordered_json;

std::vector<Route> StatsRoutes() {
  return {{"GET", "/v3/subjects"}, {"GET", "/v3/tables"},        {"GET", "/v3/table/{id}"},    {"GET", "/v3/data/{id}"},
          {"GET", "/statistik"},   {"GET", "/statistik/app.js"}, {"GET", "/statistik/app.css"}};
}

namespace {

struct Named {
  std::string id, name;
};

StatsAnswer JsonAnswer(const Json& body, int status = 200) { return {status, body.dump(), "application/json"}; }

StatsAnswer Problem(int status, const std::string& key, const std::string& title_da, const std::string& detail_en,
                    const std::string& parameter = "") {
  Json body{{"type", "urn:dfdg:problem:" + key}, {"title", title_da}, {"status", status}, {"detail", detail_en}};
  if (!parameter.empty()) body["parameter"] = parameter;
  return {status, body.dump(), "application/problem+json"};
}

StatsAnswer BadParam(const std::string& parameter, const std::string& title_da, const std::string& detail_en) {
  return Problem(400, "invalid_parameter", title_da, detail_en, parameter);
}

// "Under 1 måned" -> "under_1_maaned", "1 – 2 år" -> "1_2_aar", "I alt" -> "i_alt".
std::string Slug(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    std::string piece;
    if (std::isalnum(c)) {
      piece = std::string(1, static_cast<char>(std::tolower(c)));
    } else if (c == 0xC3 && i + 1 < text.size()) {
      unsigned char d = static_cast<unsigned char>(text[++i]);
      piece = (d == 0xA6 || d == 0x86) ? "ae" : (d == 0xB8 || d == 0x98) ? "oe" : (d == 0xA5 || d == 0x85) ? "aa" : "";
    } else if (c >= 0x80) {
      continue;  // other multi-byte characters (the dash in "1 – 2 år") separate words
    }
    if (piece.empty()) {
      if (!out.empty() && out.back() != '_') out += '_';
    } else {
      out += piece;
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

std::string PeriodId(const std::string& month) { return month.substr(0, 4) + "M" + month.substr(5, 2); }

std::string AreaId(const std::string& level, int code) {
  if (level == "land") return "land";
  return (level == "region" ? "R" : "K") + std::to_string(code);
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

// The counts of a cell that suppression covers, in this order (measure 4 is a share, handled apart).
constexpr int kCounts = 9;
constexpr int kM2 = 6, kM3 = 7;
const char* const kCountIds[kCounts] = {"m1_0", "m1_1", "m1_2", "m1_3", "m1_4", "m1_5plus", "m2", "m3", "m5"};

uint32_t CountOf(const stats::Cell& c, int k) { return k < 6 ? c.m1[k] : k == kM2 ? c.m2 : k == kM3 ? c.m3 : c.m5; }

// Hidden flags (index area × kCounts + count) of one month × group × interval over every area of the run, with
// the sums that are published (docs/statistics.md "Suppression"): per count, the country = its regions plus the
// municipalities without a region ("Ukendt kommune"), the country = all municipalities, a region = its
// municipalities; per area, m2 = m1_0 + … + m1_5plus, m3 = m1_0 + … + m1_3, m2 = m3 + m1_4 + m1_5plus.
std::vector<bool> HiddenCounts(const std::vector<stats::Area>& areas,
                               const std::map<std::pair<std::string, int>, const stats::Cell*>& slice,
                               uint32_t min_count) {
  stats::AdditiveTable t;
  t.values.assign(areas.size() * kCounts, 0);
  for (size_t i = 0; i < areas.size(); ++i) {
    auto it = slice.find({areas[i].level, areas[i].code});
    if (it == slice.end()) continue;
    for (int k = 0; k < kCounts; ++k) t.values[i * kCounts + k] = CountOf(*it->second, k);
  }
  std::vector<size_t> top, municipalities;
  std::map<int, std::vector<size_t>> by_region;
  size_t land = areas.size();
  std::map<int, size_t> region_index;
  for (size_t i = 0; i < areas.size(); ++i) {
    if (areas[i].level == "land") land = i;
    if (areas[i].level == "region") region_index[areas[i].code] = i;
  }
  for (size_t i = 0; i < areas.size(); ++i) {
    if (areas[i].level == "region") top.push_back(i);
    if (areas[i].level != "kommune") continue;
    municipalities.push_back(i);
    if (region_index.count(areas[i].parent))
      by_region[areas[i].parent].push_back(i);
    else
      top.push_back(i);
  }
  auto add = [&](size_t total, const std::vector<size_t>& parts, int k) {
    stats::AdditiveTable::Sum sum{total * kCounts + k, {}};
    for (size_t p : parts) sum.parts.push_back(p * kCounts + k);
    t.sums.push_back(std::move(sum));
  };
  for (int k = 0; k < kCounts; ++k) {
    if (land < areas.size()) {
      add(land, top, k);
      add(land, municipalities, k);
    }
    for (const auto& [code, parts] : by_region) add(region_index[code], parts, k);
  }
  for (size_t i = 0; i < areas.size(); ++i) {
    size_t b = i * kCounts;
    t.sums.push_back({b + kM2, {b, b + 1, b + 2, b + 3, b + 4, b + 5}});
    t.sums.push_back({b + kM3, {b, b + 1, b + 2, b + 3}});
    t.sums.push_back({b + kM2, {b + kM3, b + 4, b + 5}});
  }
  return stats::Suppress(t, min_count);
}

}  // namespace

struct StatsApi::Impl {
  std::string results_path, web_dir;
  std::string config_fingerprint;  // of catalog/statistics.yaml: part of every /v3 ETag
  bool public_read = false;
  Named subject;
  std::vector<Named> tables, measures, tilsyn_measures;
  std::map<std::string, std::string> group_names;
  uint32_t min_count = 5;

  std::string GroupName(const std::string& key) const {
    auto it = group_names.find(key);
    return it == group_names.end() ? key : it->second;
  }
  bool Suppressed(uint32_t count) const { return count > 0 && count < min_count; }

  StatsAnswer Answer(const stats::ResultsReader& r, const std::string& route_path,
                     const std::vector<std::string>& path_params,
                     const std::multimap<std::string, std::string>& query) const;
  StatsAnswer Subjects(const stats::ResultsReader* r) const;
  StatsAnswer Tables(const stats::ResultsReader& r) const;
  StatsAnswer Table(const stats::ResultsReader& r, const std::string& id) const;
  StatsAnswer Data(const stats::ResultsReader& r, const std::string& id,
                   const std::multimap<std::string, std::string>& query) const;
  StatsAnswer Asset(const std::string& name, const std::string& type, const StatsConditions& conditions) const;
  Json AreaHierarchy(const stats::ResultsReader& r) const;
};

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

StatsAnswer StatsApi::Impl::Data(const stats::ResultsReader& r, const std::string& id,
                                 const std::multimap<std::string, std::string>& query) const {
  bool tilsyn = id == "skaerpet_tilsyn";
  static const std::set<std::string> kKnown = {"period.M", "area", "ydelsesgruppe", "varighed", "measure", "format"};
  std::map<std::string, std::string> q;
  for (const auto& [k, v] : query) {
    if (!kKnown.count(k)) return BadParam(k, "Ukendt parameter '" + k + "'", "Unknown parameter '" + k + "'.");
    if (q.count(k)) return BadParam(k, "Parameteren '" + k + "' er angivet flere gange", "Repeated parameter.");
    q[k] = v;
  }
  std::string format = q.count("format") ? q["format"] : "json";
  if (format != "json" && format != "csv" && format != "xlsx")
    return BadParam("format", "format skal være json, csv eller xlsx", "format must be json, csv or xlsx.");
  // Periods: latest:N, a range 2025M01:2025M12, or a list 2025M01,2025M02.
  std::vector<std::string> available(r.months().begin() + (tilsyn ? std::min<size_t>(11, r.months().size()) : 0),
                                     r.months().end());
  std::vector<std::string> months;
  std::string period = q.count("period.M") ? q["period.M"] : "latest:1";
  auto to_month = [&](const std::string& p) -> std::string {
    if (p.size() != 7 || p[4] != 'M' || !std::all_of(p.begin(), p.begin() + 4, ::isdigit) || !std::isdigit(p[5]) ||
        !std::isdigit(p[6]))
      return "";
    return p.substr(0, 4) + "-" + p.substr(5, 2);
  };
  auto index_of = [&](const std::string& m) {
    return static_cast<int>(std::find(available.begin(), available.end(), m) - available.begin());
  };
  const std::string range_text =
      available.empty() ? std::string("ingen") : PeriodId(available.front()) + " – " + PeriodId(available.back());
  if (period.rfind("latest:", 0) == 0) {
    std::string n_text = period.substr(7);
    if (n_text.empty() || n_text.size() > 4 || !std::all_of(n_text.begin(), n_text.end(), ::isdigit) ||
        std::stoi(n_text) < 1)
      return BadParam("period.M", "period.M=latest:N kræver et helt tal N ≥ 1", "latest:N needs an integer N >= 1.");
    size_t n = std::min<size_t>(std::stoul(n_text), available.size());
    months.assign(available.end() - static_cast<long>(n), available.end());
  } else if (period.find(':') != std::string::npos) {
    std::string a = to_month(period.substr(0, period.find(':'))), b = to_month(period.substr(period.find(':') + 1));
    int ia = index_of(a), ib = index_of(b);
    if (a.empty() || b.empty() || ia >= static_cast<int>(available.size()) ||
        ib >= static_cast<int>(available.size()) || ia > ib)
      return BadParam("period.M", "Perioden findes ikke; tilgængelig: " + range_text,
                      "Periods are ÅÅÅÅMmm (e.g. 2025M01) within " + range_text + ", first ≤ last.");
    months.assign(available.begin() + ia, available.begin() + ib + 1);
  } else {
    for (const auto& p : Split(period)) {
      std::string m = to_month(p);
      if (m.empty() || index_of(m) >= static_cast<int>(available.size()))
        return BadParam("period.M", "Perioden " + p + " findes ikke; tilgængelig: " + range_text,
                        "Unknown period '" + p + "'; available " + range_text + ".");
      months.push_back(m);
    }
    if (months.empty()) return BadParam("period.M", "period.M er tom", "period.M is empty.");
  }
  // Areas: land, R<regionskode>, K<kommunekode>, or the lists "regioner" and "kommuner".
  std::vector<std::pair<std::string, int>> areas;
  for (const auto& a : Split(q.count("area") ? q["area"] : "land")) {
    size_t before = areas.size();
    for (const auto& known : r.areas()) {
      if (AreaId(known.level, known.code) == a || (a == "regioner" && known.level == "region") ||
          (a == "kommuner" && known.level == "kommune"))
        areas.emplace_back(known.level, known.code);
    }
    if (areas.size() == before)
      return BadParam("area", "Ukendt område '" + a + "'",
                      "Unknown area '" + a + "' (land, R<region code>, K<municipality code>, regioner, kommuner).");
  }
  if (areas.empty()) return BadParam("area", "area er tom", "area is empty.");
  {  // Canonical order (country, regions, municipalities as stored), each area once.
    std::map<std::pair<std::string, int>, size_t> ord;
    for (size_t i = 0; i < r.areas().size(); ++i) ord[{r.areas()[i].level, r.areas()[i].code}] = i;
    std::sort(areas.begin(), areas.end(), [&](const auto& a, const auto& b) { return ord[a] < ord[b]; });
    areas.erase(std::unique(areas.begin(), areas.end()), areas.end());
  }
  std::vector<std::string> groups, intervals, interval_ids;
  if (!tilsyn) {
    for (const auto& g : Split(q.count("ydelsesgruppe") ? q["ydelsesgruppe"] : "alle")) {
      if (std::find(r.groups().begin(), r.groups().end(), g) == r.groups().end() && !group_names.count(g))
        return BadParam("ydelsesgruppe", "Ukendt ydelsesgruppe '" + g + "'", "Unknown ydelsesgruppe '" + g + "'.");
      groups.push_back(g);
    }
    std::map<std::string, std::string> by_slug;
    for (const auto& v : r.intervals()) by_slug[Slug(v)] = v;
    for (const auto& v : Split(q.count("varighed") ? q["varighed"] : "i_alt")) {
      if (!by_slug.count(v))
        return BadParam("varighed", "Ukendt varighed '" + v + "'", "Unknown varighed '" + v + "' (see /v3/table).");
      intervals.push_back(by_slug[v]);
      interval_ids.push_back(v);
    }
    if (groups.empty() || intervals.empty())
      return BadParam(groups.empty() ? "ydelsesgruppe" : "varighed", "Tom parameter", "Empty parameter.");
  } else if (q.count("ydelsesgruppe") || q.count("varighed")) {
    return BadParam(q.count("ydelsesgruppe") ? "ydelsesgruppe" : "varighed",
                    "Skærpet tilsyn har hverken ydelsesgruppe eller varighed",
                    "skaerpet_tilsyn has no ydelsesgruppe or varighed dimension.");
  }
  const std::vector<Named>& all_measures = tilsyn ? tilsyn_measures : measures;
  std::vector<std::string> wanted;
  for (const auto& m : Split(q.count("measure") ? q["measure"] : "")) {
    if (std::none_of(all_measures.begin(), all_measures.end(), [&](const Named& n) { return n.id == m; }))
      return BadParam("measure", "Ukendt mål '" + m + "'", "Unknown measure '" + m + "'.");
    wanted.push_back(m);
  }
  if (wanted.empty()) {
    for (const auto& m : all_measures) wanted.push_back(m.id);
  }
  size_t cells =
      months.size() * areas.size() * std::max<size_t>(1, groups.size()) * std::max<size_t>(1, intervals.size());
  if (cells > 100000)
    return BadParam("area", "For mange celler (" + std::to_string(cells) + " > 100.000); vælg færre",
                    "Too many cells requested (limit 100000).");

  std::map<std::pair<std::string, int>, std::string> area_name;
  for (const auto& a : r.areas()) area_name[{a.level, a.code}] = a.name;
  std::vector<std::string> columns = {"period", "area", "area_name"};
  if (!tilsyn) columns.insert(columns.end(), {"ydelsesgruppe", "varighed"});
  columns.insert(columns.end(), wanted.begin(), wanted.end());
  // Rows: every requested month × area (× group × interval); cells empty in the run are zeros.
  std::vector<std::map<std::string, Json>> rows;
  if (tilsyn) {
    auto found = r.Tilsyn(months, areas);
    if (!found.ok()) return Problem(503, "store", "Måleresultaterne kan ikke læses", found.status().message());
    std::map<std::tuple<std::string, std::string, int>, stats::TilsynRow> by_key;
    for (auto& t : *found) by_key[{t.month, t.level, t.code}] = t;
    for (const auto& m : months) {
      for (const auto& a : areas) {
        std::map<std::string, Json> row{
            {"period", PeriodId(m)}, {"area", AreaId(a.first, a.second)}, {"area_name", area_name[a]}};
        auto it = by_key.find({m, a.first, a.second});
        row["m4_gennemsnit_12_maaneder"] =
            it != by_key.end() && it->second.m4_average ? Json(*it->second.m4_average) : Json();
        row["maaneder_uden_population"] = it != by_key.end() ? it->second.months_without_population : 12;
        rows.push_back(std::move(row));
      }
    }
  } else {
    // Every area of each requested month × group × interval is read, so that secondary suppression sees the
    // whole slice and hides the same cells whichever areas a request names.
    stats::Query sq{months, {}, groups, intervals};
    auto found = r.Cells(sq);
    if (!found.ok()) return Problem(503, "store", "Måleresultaterne kan ikke læses", found.status().message());
    std::map<std::tuple<std::string, std::string, std::string>,
             std::map<std::pair<std::string, int>, const stats::Cell*>>
        slices;
    for (const auto& c : *found) slices[{c.month, c.group, c.interval}][{c.level, c.code}] = &c;
    std::map<std::pair<std::string, int>, size_t> area_index;
    for (size_t i = 0; i < r.areas().size(); ++i) area_index[{r.areas()[i].level, r.areas()[i].code}] = i;
    const std::map<std::pair<std::string, int>, const stats::Cell*> empty_slice;
    const stats::Cell zero;
    for (const auto& m : months) {
      for (const auto& g : groups) {
        for (size_t v = 0; v < intervals.size(); ++v) {
          auto s = slices.find({m, g, intervals[v]});
          const auto& slice = s == slices.end() ? empty_slice : s->second;
          std::vector<bool> hidden = HiddenCounts(r.areas(), slice, min_count);
          for (const auto& a : areas) {
            auto it = slice.find(a);
            const stats::Cell& c = it == slice.end() ? zero : *it->second;
            size_t base = area_index[a] * kCounts;
            std::map<std::string, Json> row{{"period", PeriodId(m)},
                                            {"area", AreaId(a.first, a.second)},
                                            {"area_name", area_name[a]},
                                            {"ydelsesgruppe", g},
                                            {"varighed", interval_ids[v]}};
            for (int k = 0; k < kCounts; ++k) row[kCountIds[k]] = hidden[base + k] ? Json() : Json(CountOf(c, k));
            bool hide_m4 = c.m2 < min_count || hidden[base + kM2] || hidden[base + kM3] || Suppressed(c.m2 - c.m3);
            row["m4"] = c.m2 == 0 || hide_m4 ? Json() : Json(static_cast<double>(c.m3) / c.m2);
            rows.push_back(std::move(row));
          }
        }
      }
    }
    // Rows in the documented order: month × area × group × interval.
    std::vector<std::map<std::string, Json>> ordered;
    ordered.reserve(rows.size());
    size_t per_month = areas.size() * groups.size() * intervals.size();
    for (size_t mi = 0; mi < months.size(); ++mi) {
      for (size_t ai = 0; ai < areas.size(); ++ai) {
        for (size_t gv = 0; gv < groups.size() * intervals.size(); ++gv)
          ordered.push_back(std::move(rows[mi * per_month + gv * areas.size() + ai]));
      }
    }
    rows = std::move(ordered);
  }
  if (format == "xlsx") {
    auto xlsx = StatsXlsx(columns, rows);
    if (!xlsx.ok()) return Problem(503, "unavailable", "Regnearket kan ikke dannes", xlsx.status().message());
    return {200, std::move(xlsx).value(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};
  }
  if (format == "csv") {
    std::string out;
    for (size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + columns[i];
    out += "\n";
    for (const auto& row : rows) {
      for (size_t i = 0; i < columns.size(); ++i) {
        const Json& v = row.at(columns[i]);
        if (i) out += ",";
        if (v.is_null()) {
          out += "..";
        } else if (v.is_string()) {
          std::string s = v.get<std::string>();
          out += s.find_first_of(",\"") == std::string::npos ? s : "\"" + s + "\"";
        } else if (v.is_number_float()) {
          out += Number(v.get<double>());
        } else {
          out += v.dump();
        }
      }
      out += "\n";
    }
    return {200, out, "text/csv; charset=utf-8"};
  }
  Json data = Json::array();
  for (const auto& row : rows) {
    Json o = Json::object();
    for (const auto& c : columns) o[c] = row.at(c);
    data.push_back(std::move(o));
  }
  Json out{{"table", id},
           {"method_version", r.run().method_version},
           {"catalog_version", r.run().catalog_version},
           {"run_id", r.run().run_id},
           {"columns", columns},
           {"data", data}};
  if (!tilsyn) out["suppression_min_count"] = min_count;
  return JsonAnswer(out);
}

}  // namespace dfdg::api
