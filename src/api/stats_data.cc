// GET /v3/data/{id}: the table's cells for the requested months, groups, intervals and areas, with primary and
// secondary suppression (docs/statistics.md).
#include "api/stats_impl.h"

namespace dfdg::api {

using namespace stats_detail;  // NOLINT(google-build-using-namespace): the module's own helpers

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
