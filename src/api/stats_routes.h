// The statistics API (jobindsats API v3 style) and the statistics page, served by `dfdg serve` from stored
// measurement results (stats/results_store.h; docs/statistics.md): never recomputed per request.
//
// Contract: Handle() answers one request of a route from StatsRoutes(); bad parameters answer 400
// application/problem+json naming the parameter; no stored results answer 404 `not_found` ("Der er ingen gemte
// måleresultater"). Who may read is data: catalog/access.yaml `public_reads` (resource Statistik) makes the routes
// readable without a connected system; without that entry the server requires an authenticated system of any kind.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/routes.h"
#include "core/status.h"

namespace dfdg::api {

// The statistics routes (part of ApiRoutes(), so the OpenAPI parity test covers them).
std::vector<Route> StatsRoutes();

struct StatsAnswer {
  StatsAnswer() = default;
  StatsAnswer(int s, std::string b, std::string type, std::string tag = "", std::string enc = "")
      : status(s), body(std::move(b)), content_type(std::move(type)), etag(std::move(tag)), encoding(std::move(enc)) {}
  int status = 200;
  std::string body;
  std::string content_type;  // application/json, application/problem+json, text/csv; charset=utf-8, text/html ...
  std::string etag;          // set on 200 and 304 answers (api/static_asset.h); the client revalidates
  std::string encoding;      // "gzip" when body is a precompressed file
};

// What the client sent for conditional and compressed answers.
struct StatsConditions {
  std::string if_none_match;
  bool gzip_ok = false;
};

class StatsApi {
 public:
  // `results_path`: the stored results (may be empty or missing: the routes then answer 404 not_found ("Der er ingen
  // gemte måleresultater")). `statistics_yaml`: catalog/statistics.yaml; `access_yaml`: catalog/access.yaml; `web_dir`:
  // the bundled page.
  static Result<std::unique_ptr<StatsApi>> Create(const std::string& results_path, const std::string& statistics_yaml,
                                                  const std::string& access_yaml, const std::string& web_dir);
  ~StatsApi();

  // True when catalog/access.yaml lists Statistik under public_reads.
  bool public_read() const;

  // `route_path` is the route's OpenAPI path; `path_params` its {…} values in order; `query` the parameters.
  // Every 200 answer has an ETag: the page's files their bytes', the /v3/* answers the stored run's and the
  // statistics catalogue's (an answer is a function of the run, the catalogue and the request), so a request
  // whose If-None-Match names it answers 304 without reading a cell.
  StatsAnswer Handle(const std::string& route_path, const std::vector<std::string>& path_params,
                     const std::multimap<std::string, std::string>& query,
                     const StatsConditions& conditions = {}) const;

  struct Impl;

 private:
  explicit StatsApi(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dfdg::api
