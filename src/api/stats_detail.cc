// The statistics API's small helpers: answers, ids, numbers and the suppression pattern (stats_impl.h).
#include "api/stats_impl.h"

namespace dfdg::api::stats_detail {

StatsAnswer JsonAnswer(const Json& body, int status) { return {status, body.dump(), "application/json"}; }

StatsAnswer Problem(int status, const std::string& key, const std::string& title_da, const std::string& detail_en,
                    const std::string& parameter) {
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
  auto separate = [&out] {
    if (!out.empty() && out.back() != '_') out += '_';
  };
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (c == 0xC3 && i + 1 < text.size()) {
      unsigned char d = static_cast<unsigned char>(text[++i]);
      const char* letters = (d == 0xA6 || d == 0x86)   ? "ae"
                            : (d == 0xB8 || d == 0x98) ? "oe"
                            : (d == 0xA5 || d == 0x85) ? "aa"
                                                       : nullptr;
      if (letters) {
        out += letters;
      } else {
        separate();
      }
    } else if (c < 0x80) {
      separate();
    }
    // other multi-byte characters (the dash in "1 – 2 år") are skipped; the spaces around them separate words
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

std::string PeriodId(const std::string& month) { return month.substr(0, 4) + "M" + month.substr(5, 2); }

std::string AreaId(const std::string& level, int code) {
  if (level == "land") return "land";
  return std::string(level == "region" ? "R" : "K").append(std::to_string(code));
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

}  // namespace dfdg::api::stats_detail
