#include "measure/whatif.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "measure/spells.h"

namespace dfdg::measure {

bool ResultDiffers(const PersonMonth& a, const PersonMonth& b) {
  return a.outcome != b.outcome || a.group != b.group || a.rate != b.rate ||
         a.duration.interval != b.duration.interval || a.duration.year_bucket != b.duration.year_bucket ||
         a.counted != b.counted || a.municipality != b.municipality;
}

namespace {

// True when BuildSpells gives the same spells under both rule sets: it reads only these three fields
// (src/measure/spells.h), so a change elsewhere (exemption tables, thresholds, regimes) reuses the spells.
bool SameSpellRules(const MethodRules& a, const MethodRules& b) {
  return a.conversion_date == b.conversion_date && a.dead_reasons == b.dead_reasons && a.dead_periods == b.dead_periods;
}

}  // namespace

WhatIfResult RunWhatIf(const InputData& input, const MethodRules& base, const WhatIf& whatif,
                       const RunOptions& options) {
  const size_t total = input.persons.size();
  const int threads = std::max(1, options.threads);
  constexpr size_t kChunk = 512;
  std::atomic<size_t> next{0};
  std::atomic<size_t> person_months{0};
  std::vector<std::unique_ptr<Aggregates>> before, after;
  std::vector<std::vector<ChangedPersonMonth>> changed(threads);
  for (int t = 0; t < threads; ++t) {
    before.push_back(std::make_unique<Aggregates>(base, options.first_month, options.months));
    after.push_back(std::make_unique<Aggregates>(whatif.rules, options.first_month, options.months));
  }
  const Date range_last = MonthLast(AddMonthsFirst(options.first_month, options.months - 1));
  const bool same_spells = SameSpellRules(base, whatif.rules);
  std::vector<char> single_same_spells;
  for (const auto& one : whatif.single) single_same_spells.push_back(SameSpellRules(base, one));
  auto worker = [&](int t) {
    size_t local = 0;
    for (size_t begin = next.fetch_add(kChunk); begin < total; begin = next.fetch_add(kChunk)) {
      for (size_t i = begin; i < std::min(total, begin + kChunk); ++i) {
        PersonView view = input.View(static_cast<uint32_t>(i));
        bool any = std::any_of(view.payments.begin(), view.payments.end(),
                               [&](const Payment& p) { return p.from <= range_last && p.to >= options.first_month; });
        if (!any) continue;
        PersonSpells spells_before = BuildSpells(view, base);
        PersonSpells spells_after = same_spells ? PersonSpells() : BuildSpells(view, whatif.rules);
        const PersonSpells& after_spells = same_spells ? spells_before : spells_after;
        for (int m = 0; m < options.months; ++m) {
          Date month_first = AddMonthsFirst(options.first_month, m);
          PersonMonth a = EvaluateMonth(view, spells_before, base, month_first, false);
          PersonMonth b = EvaluateMonth(view, after_spells, whatif.rules, month_first, false);
          if (a.outcome != Outcome::kNoBenefit) {
            ++local;
            before[t]->Add(a);
          }
          if (b.outcome != Outcome::kNoBenefit) after[t]->Add(b);
          if (!ResultDiffers(a, b)) continue;
          // Which change alone makes the difference: evaluate under each single change (few person-months).
          ChangedPersonMonth c;
          c.before = EvaluateMonth(view, spells_before, base, month_first, true);
          c.after = EvaluateMonth(view, after_spells, whatif.rules, month_first, true);
          for (size_t k = 0; k < whatif.single.size(); ++k) {
            PersonSpells spells_one = single_same_spells[k] ? PersonSpells() : BuildSpells(view, whatif.single[k]);
            const PersonSpells& one = single_same_spells[k] ? spells_before : spells_one;
            if (ResultDiffers(a, EvaluateMonth(view, one, whatif.single[k], month_first, false))) {
              c.changes.push_back(static_cast<int>(k));
            }
          }
          changed[t].push_back(std::move(c));
        }
      }
    }
    person_months += local;
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& th : pool) th.join();
  WhatIfResult result;
  result.base = std::move(before[0]);
  result.whatif = std::move(after[0]);
  for (int t = 1; t < threads; ++t) {
    result.base->Merge(*before[t]);
    result.whatif->Merge(*after[t]);
  }
  for (auto& c : changed) {
    result.changed.insert(result.changed.end(), std::make_move_iterator(c.begin()), std::make_move_iterator(c.end()));
  }
  std::sort(result.changed.begin(), result.changed.end(), [&](const auto& x, const auto& y) {
    if (x.before.month_first != y.before.month_first) return x.before.month_first < y.before.month_first;
    return input.persons[x.before.person].cpr < input.persons[y.before.person].cpr;
  });
  result.person_months = person_months;
  return result;
}

namespace {

constexpr int kMeasureColumns = 10;  // m1_0 .. m1_5plus, m2, m3, m4, m5 (the last columns of maalinger.csv)

// maalinger.csv rows by key (the columns before the measures) -> the measure fields; and the header.
std::map<std::string, std::vector<std::string>> Rows(const std::string& table, std::vector<std::string>* header) {
  std::map<std::string, std::vector<std::string>> rows;
  std::istringstream in(table);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> values(kMeasureColumns);
    size_t end = line.size();
    for (int k = kMeasureColumns - 1; k >= 0; --k) {
      size_t comma = line.rfind(',', end - 1);
      values[k] = line.substr(comma + 1, end - comma - 1);
      end = comma;
    }
    if (first) {
      *header = values;
      first = false;
      continue;
    }
    rows[line.substr(0, end)] = values;
  }
  return rows;
}

std::string Quote(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

double Number(const std::string& text) { return text.empty() ? 0.0 : std::stod(text); }

}  // namespace

Status WriteWhatIf(const std::string& dir, const InputData& input, const WhatIf& whatif, const WhatIfResult& result,
                   const std::string& base_table, const std::string& whatif_table) {
  namespace fs = std::filesystem;
  std::vector<std::string> header;
  auto a = Rows(base_table, &header);
  auto b = Rows(whatif_table, &header);
  std::ostringstream diff;
  size_t key_end = base_table.find('\n');
  std::string key_header = base_table.substr(0, key_end);
  for (int k = 0; k < kMeasureColumns; ++k) key_header = key_header.substr(0, key_header.rfind(','));
  diff << key_header << ",maal,foer,efter,forskel\n";
  std::map<std::string, bool> keys;
  for (const auto& [key, v] : a) keys[key] = true;
  for (const auto& [key, v] : b) keys[key] = true;
  const std::vector<std::string> zeros(kMeasureColumns, "0");
  for (const auto& [key, unused] : keys) {
    const auto& x = a.count(key) ? a.at(key) : zeros;
    const auto& y = b.count(key) ? b.at(key) : zeros;
    for (int k = 0; k < kMeasureColumns; ++k) {
      if (x[k] == y[k] || (Number(x[k]) == Number(y[k]) && header[k] != "m4")) continue;
      char delta[32];
      if (header[k] == "m4") {
        std::snprintf(delta, sizeof delta, "%.4f", Number(y[k]) - Number(x[k]));
      } else {
        std::snprintf(delta, sizeof delta, "%lld", static_cast<long long>(Number(y[k]) - Number(x[k])));
      }
      diff << key << ',' << header[k] << ',' << x[k] << ',' << y[k] << ',' << delta << '\n';
    }
  }
  std::ostringstream persons;
  persons << "maaned,cpr,kommune,udfald_foer,udfald_efter,ydelsesgruppe_foer,ydelsesgruppe_efter,varighed_foer,"
             "varighed_efter,samtaler_talt_foer,samtaler_talt_efter,fritaget_promille_foer,fritaget_promille_efter,"
             "aendring\n";
  for (const auto& c : result.changed) {
    std::string rules;
    for (int k : c.changes) {
      if (!rules.empty()) rules.append("; ");
      rules.append(whatif.changes[k].where).append(" ").append(whatif.changes[k].what);
    }
    if (c.changes.empty()) rules = "kun ændringerne tilsammen";
    char month[16];
    std::chrono::year_month_day ymd{c.before.month_first};
    std::snprintf(month, sizeof month, "%04d-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()));
    persons << month << ',' << input.persons[c.before.person].cpr << ',' << c.before.municipality << ','
            << OutcomeKey(c.before.outcome) << ',' << OutcomeKey(c.after.outcome) << ',' << GroupKey(c.before.group)
            << ',' << GroupKey(c.after.group) << ',' << Quote(IntervalNameDa(c.before.duration.interval)) << ','
            << Quote(IntervalNameDa(c.after.duration.interval)) << ',' << c.before.counted << ',' << c.after.counted
            << ',' << c.before.exempt_permille << ',' << c.after.exempt_permille << ',' << Quote(rules) << '\n';
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (const auto& [name, text] : {std::pair<std::string, std::string>{"whatif_forskel.csv", diff.str()},
                                   std::pair<std::string, std::string>{"whatif_personer.csv", persons.str()}}) {
    std::string path = (fs::path(dir) / name).string();
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out) return Status::IOError(path + ": kan ikke skrives");
  }
  return Status::Ok();
}

}  // namespace dfdg::measure
