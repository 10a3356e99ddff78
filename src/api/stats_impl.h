// Internal to the statistics API: its state (StatsApi::Impl) and the helpers shared by stats_routes.cc (routes,
// subjects, tables) and stats_data.cc (/v3/data with suppression).
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "api/static_asset.h"
#include "api/stats_routes.h"
#include "api/stats_xlsx.h"
#include "stats/results_store.h"
#include "stats/suppression.h"

namespace dfdg::api {

using Json = nlohmann::ordered_json;

namespace stats_detail {

struct Named {
  std::string id, name;
};

// A JSON answer (application/json) with `status`.
StatsAnswer JsonAnswer(const Json& body, int status = 200);

// A problem+json answer: `key` becomes the type urn, the title is Danish, the detail English; `parameter` names
// the query parameter at fault, when there is one.
StatsAnswer Problem(int status, const std::string& key, const std::string& title_da, const std::string& detail_en,
                    const std::string& parameter = "");

// 400 invalid_parameter naming `parameter`.
StatsAnswer BadParam(const std::string& parameter, const std::string& title_da, const std::string& detail_en);

// "Under 1 måned" -> "under_1_maaned", "1 – 2 år" -> "1_2_aar", "I alt" -> "i_alt".
std::string Slug(const std::string& text);

// "2025-03" (or a day of that month, YYYY-MM-DD) -> "2025M03".
std::string PeriodId(const std::string& month);

// "land", "R<code>" for a region, "K<code>" for a municipality.
std::string AreaId(const std::string& level, int code);

// The non-empty items of a comma-separated list.
std::vector<std::string> Split(const std::string& s);

// `v` with four decimals.
std::string Number(double v);

// The counts of a cell that suppression covers, in this order (measure 4 is a share, handled apart).
inline constexpr int kCounts = 9;
inline constexpr int kM2 = 6, kM3 = 7;
inline const char* const kCountIds[kCounts] = {"m1_0", "m1_1", "m1_2", "m1_3", "m1_4", "m1_5plus", "m2", "m3", "m5"};

// Count `k` (an index of kCountIds) of a cell.
uint32_t CountOf(const stats::Cell& c, int k);

// Hidden flags (index area × kCounts + count) of one month × group × interval over every area of the run, with
// the sums that are published (docs/statistics.md "Suppression"): per count, the country = its regions plus the
// municipalities without a region ("Ukendt kommune"), the country = all municipalities, a region = its
// municipalities; per area, m2 = m1_0 + … + m1_5plus, m3 = m1_0 + … + m1_3, m2 = m3 + m1_4 + m1_5plus.
std::vector<bool> HiddenCounts(const std::vector<stats::Area>& areas,
                               const std::map<std::pair<std::string, int>, const stats::Cell*>& slice,
                               uint32_t min_count);

}  // namespace stats_detail

struct StatsApi::Impl {
  std::string results_path, web_dir;
  std::string config_fingerprint;  // of catalog/statistics.yaml: part of every /v3 ETag
  bool public_read = false;
  stats_detail::Named subject;
  std::vector<stats_detail::Named> tables, measures, tilsyn_measures;
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

}  // namespace dfdg::api
