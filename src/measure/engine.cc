#include "measure/engine.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "measure/spells.h"

namespace dfdg::measure {

RunResult Run(const InputData& input, const MethodRules& rules, const RunOptions& options) {
  const size_t total = input.persons.size();
  const int threads = std::max(1, options.threads);
  constexpr size_t kChunk = 512;
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::atomic<size_t> person_months{0};
  std::vector<std::unique_ptr<Aggregates>> tables;
  std::vector<std::vector<PersonMonth>> details(threads);
  tables.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    tables.push_back(std::make_unique<Aggregates>(rules, options.first_month, options.months));
  }
  Date last_month = AddMonthsFirst(options.first_month, options.months - 1);
  Date range_last = MonthLast(last_month);

  auto worker = [&](int t) {
    size_t local_months = 0;
    while (true) {
      size_t begin = next.fetch_add(kChunk);
      if (begin >= total) break;
      size_t end = std::min(total, begin + kChunk);
      for (size_t i = begin; i < end; ++i) {
        PersonView view = input.View(static_cast<uint32_t>(i));
        // Only persons with a payment in the range can be in it.
        bool any = std::any_of(view.payments.begin(), view.payments.end(),
                               [&](const Payment& p) { return p.from <= range_last && p.to >= options.first_month; });
        if (!any) continue;
        PersonSpells spells = BuildSpells(view, rules);
        for (int m = 0; m < options.months; ++m) {
          Date month_first = AddMonthsFirst(options.first_month, m);
          PersonMonth pm = EvaluateMonth(view, spells, rules, month_first, options.detail);
          if (pm.outcome == Outcome::kNoBenefit) continue;
          ++local_months;
          tables[t]->Add(pm);
          if (options.detail) details[t].push_back(std::move(pm));
        }
      }
      size_t now = done.fetch_add(end - begin) + (end - begin);
      if (options.progress) options.progress(now, total);
    }
    person_months += local_months;
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& th : pool) th.join();

  RunResult result;
  result.aggregates = std::move(tables[0]);
  for (int t = 1; t < threads; ++t) result.aggregates->Merge(*tables[t]);
  result.person_months = person_months;
  if (options.detail) {
    for (auto& d : details) {
      result.detail.insert(result.detail.end(), std::make_move_iterator(d.begin()), std::make_move_iterator(d.end()));
    }
    std::sort(result.detail.begin(), result.detail.end(), [&](const PersonMonth& a, const PersonMonth& b) {
      if (a.month_first != b.month_first) return a.month_first < b.month_first;
      return input.persons[a.person].cpr < input.persons[b.person].cpr;
    });
  }
  return result;
}

PersonMonth Explain(const InputData& input, const MethodRules& rules, uint32_t person, Date month_first) {
  PersonView view = input.View(person);
  PersonSpells spells = BuildSpells(view, rules);
  return EvaluateMonth(view, spells, rules, month_first, true);
}

}  // namespace dfdg::measure
