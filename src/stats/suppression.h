// Small-count suppression (diskretionering) of published statistics: primary and secondary (docs/statistics.md
// "Suppression"). Pure functions over counts; the statistics API (src/api/stats_routes.cc) builds the table and
// its sums from the stored results and applies the result, the same way for every request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace dfdg::stats {

// A table of counts and the published sums that hold between them: `total` = Σ `parts` (indices into `values`).
struct AdditiveTable {
  std::vector<uint32_t> values;
  struct Sum {
    size_t total;
    std::vector<size_t> parts;
  };
  std::vector<Sum> sums;
};

// Which cells of `table` are not published, true = hidden.
// Primary: a count from 1 to min_count - 1 (0 is published).
// Secondary: while some sum has exactly one hidden term (the total or one part) — which could then be recovered
// by subtraction — one more term of that sum is hidden: the smallest non-zero published part (the first in index
// order on a tie), else the total when it is published, else the smallest published part. Repeated until no sum
// has exactly one hidden term; deterministic for the same table. REQUIRES: every index in `sums` < values.size().
// Guarantee: no single sum reveals a hidden cell. Not guaranteed: a combination of several sums (the heuristic
// the published statistics use; docs/statistics.md).
std::vector<bool> Suppress(const AdditiveTable& table, uint32_t min_count);

}  // namespace dfdg::stats
