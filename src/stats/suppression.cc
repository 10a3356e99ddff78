#include "stats/suppression.h"

namespace dfdg::stats {

namespace {

// The term to hide next in a sum with exactly one hidden term, or values.size() when none is left.
size_t NextToHide(const AdditiveTable& t, const AdditiveTable::Sum& sum, const std::vector<bool>& hidden) {
  size_t best = t.values.size();
  for (size_t p : sum.parts) {
    if (hidden[p] || t.values[p] == 0) continue;
    if (best == t.values.size() || t.values[p] < t.values[best]) best = p;
  }
  if (best != t.values.size()) return best;
  if (!hidden[sum.total]) return sum.total;
  for (size_t p : sum.parts) {
    if (!hidden[p] && (best == t.values.size() || t.values[p] < t.values[best])) best = p;
  }
  return best;
}

}  // namespace

std::vector<bool> Suppress(const AdditiveTable& table, uint32_t min_count) {
  std::vector<bool> hidden(table.values.size());
  for (size_t i = 0; i < table.values.size(); ++i) hidden[i] = table.values[i] > 0 && table.values[i] < min_count;
  // Invariant: cells only ever become hidden, so the loop ends after at most values.size() changes.
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& sum : table.sums) {
      size_t count = hidden[sum.total] ? 1 : 0;
      for (size_t p : sum.parts) count += hidden[p] ? 1 : 0;
      if (count != 1) continue;
      size_t next = NextToHide(table, sum, hidden);
      if (next == table.values.size()) continue;  // a sum of one term: nothing else to hide
      hidden[next] = true;
      changed = true;
    }
  }
  return hidden;
}

}  // namespace dfdg::stats
