#include "stats/from_measure.h"

#include <chrono>
#include <map>

namespace dfdg::stats {

const char kMethodVersion[] = "Jobsamtaler til alle ydelsesmodtagere i jobcentrene (v1.75)";

namespace {

std::string MonthText(Date month_first) { return FormatDate(month_first).substr(0, 7); }

std::string UtcNowIso() {
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto day = std::chrono::floor<std::chrono::days>(now);
  std::chrono::hh_mm_ss hms{now - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", FormatDate(Date(day)).c_str(),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace

Status StoreMeasurement(const std::string& path, const measure::Aggregates& a, const measure::MethodRules& rules,
                        const std::string& inputs_json, int64_t* run_id) {
  std::map<int, int> region_of;
  for (const auto& m : rules.municipalities) region_of[m.code] = m.region_code;
  std::vector<Area> areas;
  for (const measure::Geo& g : a.geos()) {
    int parent = 0;
    if (g.level == "kommune" && region_of.count(g.code)) parent = region_of[g.code];
    areas.push_back({g.level, g.code, g.name, parent});
  }
  std::vector<Cell> cells;
  for (int month = 0; month < a.months(); ++month) {
    std::string mt = MonthText(measure::AddMonthsFirst(a.first_month(), month));
    for (size_t geo = 0; geo < a.geos().size(); ++geo) {
      for (int group = 0; group < measure::kGroupDims; ++group) {
        for (int interval = 0; interval < measure::kIntervalDims; ++interval) {
          const measure::Cell& c = a.At(month, static_cast<int>(geo), group, interval);
          uint32_t m2 = c.Measure2();
          if (m2 == 0 && c.exempt == 0) continue;  // as maalinger.csv: only non-empty rows
          Cell out;
          out.month = mt;
          out.level = a.geos()[geo].level;
          out.code = a.geos()[geo].code;
          out.group = measure::GroupDimKey(group);
          out.interval = measure::IntervalDimName(interval);
          out.m1 = c.by_interviews;
          out.m2 = m2;
          out.m3 = c.Measure3();
          out.m5 = c.exempt;
          cells.push_back(std::move(out));
        }
      }
    }
  }
  // Skærpet tilsyn exactly as skaerpet_tilsyn.csv (measure/output.cc WriteSkaerpetTilsyn; both by
  // measure::SkaerpetTilsyn, 004:1418).
  std::vector<TilsynRow> tilsyn;
  for (int month = 11; month < a.months(); ++month) {
    std::string mt = MonthText(measure::AddMonthsFirst(a.first_month(), month));
    for (size_t geo = 0; geo < a.geos().size(); ++geo) {
      const measure::TilsynAverage t = measure::SkaerpetTilsyn(a, month, static_cast<int>(geo));
      if (t.empty_months == 12) continue;
      tilsyn.push_back({mt, a.geos()[geo].level, a.geos()[geo].code, t.average, t.empty_months});
    }
  }
  RunInfo info;
  info.created_at = UtcNowIso();
  info.method_version = kMethodVersion;
  info.catalog_version = rules.catalog_version;
  info.first_month = MonthText(a.first_month());
  info.last_month = MonthText(measure::AddMonthsFirst(a.first_month(), a.months() - 1));
  info.inputs_json = inputs_json;
  Status s = WriteRun(path, &info, areas, cells, tilsyn);
  if (s.ok() && run_id) *run_id = info.run_id;
  return s;
}

}  // namespace dfdg::stats
