// Measures 1-5 by month × geography (municipality, region, whole country) × benefit group × duration interval,
// and the skærpet-tilsyn table (004:300-340, 004:1410-1425).
//
// Contract: Aggregates is a dense table of counters; Add() files one PersonMonth into every cell it belongs to
// (its municipality, region and the country; its group, its kontanthjælp rate from 2025-07 and "alle"; its
// monthly interval, "under 12 måneder" or its year bucket, and "i alt"). Merge() adds another table of the same
// shape (one table per worker thread). Measure 4 = measure 3 / measure 2; it is undefined (empty) when
// measure 2 is 0.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "measure/evaluate.h"
#include "measure/method.h"

namespace dfdg::measure {

struct Geo {
  std::string level;  // "land", "region", "kommune"
  int code = 0;       // 0 for the country and for an unknown municipality
  std::string name;
};

constexpr int kGroupDims = 1 + kGroupCount + 3;  // alle, the groups, kontanthjælp rates from 2025-07-01
constexpr int kIntervalDims = 19;                // 0..12 monthly, 13 under 12, 14..17 years, 18 i alt
const char* GroupDimKey(int dim);
std::string IntervalDimName(int dim);

struct Cell {
  std::array<uint32_t, 6> by_interviews{};  // measure 1: 0, 1, 2, 3, 4, 5+ interviews
  uint32_t exempt = 0;                      // measure 5
  uint32_t Measure2() const;
  uint32_t Measure3() const;
};

class Aggregates {
 public:
  Aggregates(const MethodRules& rules, Date first_month, int months);

  void Add(const PersonMonth& month);
  void Merge(const Aggregates& other);

  int months() const { return months_; }
  Date first_month() const { return first_month_; }
  const std::vector<Geo>& geos() const { return geos_; }
  const Cell& At(int month, int geo, int group_dim, int interval_dim) const {
    return cells_[Index(month, geo, group_dim, interval_dim)];
  }
  // The month index (0-based) of a month's first day, or -1.
  int MonthIndex(Date month_first) const;

 private:
  size_t Index(int month, int geo, int group, int interval) const {
    return ((static_cast<size_t>(month) * geos_.size() + geo) * kGroupDims + group) * kIntervalDims + interval;
  }
  int GeoOfMunicipality(int code) const;

  Date first_month_;
  int months_;
  std::vector<Geo> geos_;
  std::vector<int> muni_geo_;    // kommunekode (0..999) -> geo index
  std::vector<int> region_geo_;  // kommunekode -> region geo index
  std::vector<Cell> cells_;
};

// Month first day + n months.
Date AddMonthsFirst(Date month_first, int n);

// Skærpet tilsyn (004:1410-1425) of geography `geo` in month index `month` (REQUIRES: 11 <= month < months()): the
// sum of measure 4 of "alle", interval 12+, over the twelve months ending with `month`, divided by 12 (a month
// whose measure 2 is 0 adds nothing), and how many of those months had measure 2 = 0 (12: no population at all).
struct TilsynAverage {
  double average = 0;
  int empty_months = 0;
};
TilsynAverage SkaerpetTilsyn(const Aggregates& a, int month, int geo);

}  // namespace dfdg::measure
