// Stored measurement results: the tables of a `dfdg measure` run in an SQLite file, so the statistics API
// (`/v3/*`, src/api/stats_routes.*) answers from them and never recomputes. Format: docs/statistics.md.
//
// Contract: WriteRun appends one run (run metadata, geography with the region → municipality hierarchy,
// every non-empty cell, the skærpet-tilsyn rows) in one transaction: a failed write leaves the file as it was.
// Readers see the latest complete run. Nothing throws; errors are Status values naming the file.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

struct sqlite3;

namespace dfdg::stats {

// One run's metadata.
struct RunInfo {
  int64_t run_id = 0;          // assigned by WriteRun
  std::string created_at;      // UTC, ISO 8601
  std::string method_version;  // e.g. "Jobsamtaler til alle ydelsesmodtagere i jobcentrene (v1.75)"
  std::string catalog_version;
  std::string first_month;  // "YYYY-MM", inclusive
  std::string last_month;   // "YYYY-MM", inclusive
  std::string inputs_json;  // the run's inputs: {"input": dir, "snapshot": file, "db": ..., "persons": n, ...}
};

// An area: the country, a region or a municipality (code 0 = "Ukendt kommune"). `parent` is the region code of
// a municipality (0 when unknown), 0 otherwise.
struct Area {
  std::string level;  // "land", "region", "kommune"
  int code = 0;
  std::string name;
  int parent = 0;
};

// One cell of measures 1-5 (docs/measurement.md): counts, not suppressed.
struct Cell {
  std::string month;  // "YYYY-MM"
  std::string level;
  int code = 0;
  std::string group;     // "alle", a benefit group key or a kontanthjælp rate key
  std::string interval;  // the Danish interval name, e.g. "I alt"
  std::array<uint32_t, 6> m1{};
  uint32_t m2 = 0, m3 = 0, m5 = 0;
};

// Skærpet tilsyn: the 12-month average of measure 4 for "12 måneder og derover" (all groups).
struct TilsynRow {
  std::string month;
  std::string level;
  int code = 0;
  std::optional<double> m4_average;
  int months_without_population = 0;
};

// Appends a run to the file at `path` (created when missing). Sets info->run_id.
Status WriteRun(const std::string& path, RunInfo* info, const std::vector<Area>& areas, const std::vector<Cell>& cells,
                const std::vector<TilsynRow>& tilsyn);

// What a data query selects; empty lists mean "all".
struct Query {
  std::vector<std::string> months;                 // "YYYY-MM"
  std::vector<std::pair<std::string, int>> areas;  // (level, code)
  std::vector<std::string> groups;
  std::vector<std::string> intervals;
};

// Read access to the latest run. Thread-safe (one connection, serialised).
class ResultsReader {
 public:
  // NotFound when the file is missing or holds no run.
  static Result<std::unique_ptr<ResultsReader>> Open(const std::string& path);
  ~ResultsReader();
  ResultsReader(const ResultsReader&) = delete;
  ResultsReader& operator=(const ResultsReader&) = delete;

  const RunInfo& run() const { return run_; }
  const std::vector<Area>& areas() const { return areas_; }
  // Months of the run, oldest first ("YYYY-MM").
  const std::vector<std::string>& months() const { return months_; }
  // Group keys and interval names present in the run, in the order of the measurement's output.
  const std::vector<std::string>& groups() const { return groups_; }
  const std::vector<std::string>& intervals() const { return intervals_; }

  // Cells of the latest run matching `q`, ordered by month, area (land, regions, municipalities by code),
  // group, interval. Cells that were empty in the run are absent.
  Result<std::vector<Cell>> Cells(const Query& q) const;
  Result<std::vector<TilsynRow>> Tilsyn(const std::vector<std::string>& months,
                                        const std::vector<std::pair<std::string, int>>& areas) const;

 private:
  explicit ResultsReader(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  RunInfo run_;
  std::vector<Area> areas_;
  std::vector<std::string> months_, groups_, intervals_;
};

}  // namespace dfdg::stats
