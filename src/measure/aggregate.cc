#include "measure/aggregate.h"

#include <algorithm>
#include <map>

namespace dfdg::measure {

Date AddMonthsFirst(Date month_first, int n) { return AddDuration(month_first, Duration{n, Duration::Unit::kMonths}); }

TilsynAverage SkaerpetTilsyn(const Aggregates& a, int month, int geo) {
  double sum = 0;
  int empty = 0;
  for (int k = month - 11; k <= month; ++k) {
    const Cell& c = a.At(k, geo, 0, kTwelvePlus);
    uint32_t m2 = c.Measure2();
    if (m2 == 0) {
      ++empty;
    } else {
      sum += static_cast<double>(c.Measure3()) / m2;
    }
  }
  return TilsynAverage{sum / 12, empty};
}

const char* GroupDimKey(int dim) {
  if (dim == 0) return "alle";
  if (dim <= kGroupCount) return GroupKey(static_cast<Group>(dim - 1));
  static const char* kRates[] = {"kontanthjaelp_hoejeste_sats", "kontanthjaelp_grundsats",
                                 "kontanthjaelp_mindstesats_uden_for_program"};
  return kRates[dim - kGroupCount - 1];
}

std::string IntervalDimName(int dim) {
  if (dim <= 12) return IntervalNameDa(dim);
  if (dim == 13) return "Under 12 måneder";
  if (dim <= 17) return YearBucketNameDa(dim - 13);
  return "I alt";
}

uint32_t Cell::Measure2() const {
  uint32_t n = 0;
  for (auto v : by_interviews) n += v;
  return n;
}

uint32_t Cell::Measure3() const { return by_interviews[0] + by_interviews[1] + by_interviews[2] + by_interviews[3]; }

Aggregates::Aggregates(const MethodRules& rules, Date first_month, int months)
    : first_month_(first_month), months_(months) {
  geos_.push_back({"land", 0, "Hele landet"});
  std::map<int, std::string> regions;
  for (const auto& m : rules.municipalities) regions[m.region_code] = m.region;
  std::map<int, int> region_index;
  for (const auto& [code, name] : regions) {
    region_index[code] = static_cast<int>(geos_.size());
    geos_.push_back({"region", code, name});
  }
  muni_geo_.assign(1000, -1);
  region_geo_.assign(1000, -1);
  auto munis = rules.municipalities;
  std::sort(munis.begin(), munis.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
  for (const auto& m : munis) {
    if (m.code < 0 || m.code >= 1000) continue;
    muni_geo_[m.code] = static_cast<int>(geos_.size());
    region_geo_[m.code] = region_index[m.region_code];
    geos_.push_back({"kommune", m.code, m.name});
  }
  muni_geo_[0] = static_cast<int>(geos_.size());
  geos_.push_back({"kommune", 0, "Ukendt kommune"});
  cells_.resize(static_cast<size_t>(months_) * geos_.size() * kGroupDims * kIntervalDims);
}

int Aggregates::MonthIndex(Date month_first) const {
  std::chrono::year_month_day a{first_month_};
  std::chrono::year_month_day b{month_first};
  if (b.day() != std::chrono::day{1}) return -1;
  int i = (static_cast<int>(b.year()) - static_cast<int>(a.year())) * 12 +
          (static_cast<int>(static_cast<unsigned>(b.month())) - static_cast<int>(static_cast<unsigned>(a.month())));
  return i >= 0 && i < months_ ? i : -1;
}

int Aggregates::GeoOfMunicipality(int code) const {
  if (code <= 0 || code >= 1000 || muni_geo_[code] < 0) return muni_geo_[0];
  return muni_geo_[code];
}

void Aggregates::Add(const PersonMonth& m) {
  if (m.outcome != Outcome::kMeasured && m.outcome != Outcome::kExempt) return;
  int month = MonthIndex(m.month_first);
  if (month < 0) return;
  int geo_muni = GeoOfMunicipality(m.municipality);
  int geo_region = m.municipality > 0 && m.municipality < 1000 ? region_geo_[m.municipality] : -1;
  int geos[3] = {0, geo_region, geo_muni};
  int groups[3] = {0, 1 + static_cast<int>(m.group), -1};
  if (m.group == Group::kKontanthjaelp && m.rate != KhRate::kNone) {
    groups[2] = kGroupCount + static_cast<int>(m.rate);  // kHoejeste = 1
  }
  int intervals[3] = {m.duration.interval, m.duration.interval < kTwelvePlus ? 13 : 13 + m.duration.year_bucket, 18};
  int bucket = std::min(m.counted, 5);
  for (int geo : geos) {
    if (geo < 0) continue;
    for (int group : groups) {
      if (group < 0) continue;
      for (int interval : intervals) {
        Cell& cell = cells_[Index(month, geo, group, interval)];
        if (m.outcome == Outcome::kExempt) {
          ++cell.exempt;
        } else {
          ++cell.by_interviews[bucket];
        }
      }
    }
  }
}

void Aggregates::Merge(const Aggregates& other) {
  for (size_t i = 0; i < cells_.size() && i < other.cells_.size(); ++i) {
    for (int k = 0; k < 6; ++k) cells_[i].by_interviews[k] += other.cells_[i].by_interviews[k];
    cells_[i].exempt += other.cells_[i].exempt;
  }
}

}  // namespace dfdg::measure
