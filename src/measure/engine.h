// Runs the measurement over every person and month of a range, on worker threads.
//
// Contract: Run evaluates each person's months (spells built once per person), files them into one Aggregates
// table per thread and merges the tables; the result does not depend on the number of threads. With
// `detail`, every person-month with a benefit payment (in the population or not) is kept, sorted by month and
// CPR; this holds all rows in memory and is meant for municipal or sample extracts, not national runs.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "measure/aggregate.h"
#include "measure/evaluate.h"
#include "measure/input.h"
#include "measure/method.h"

namespace dfdg::measure {

struct RunOptions {
  Date first_month;  // first day of the first month
  int months = 1;
  bool detail = false;
  int threads = 2;
  // Called now and then from worker threads with (persons done, persons total); may be empty.
  std::function<void(size_t, size_t)> progress;
};

struct RunResult {
  std::unique_ptr<Aggregates> aggregates;
  std::vector<PersonMonth> detail;
  size_t person_months = 0;  // evaluated person-months with a benefit payment
};

RunResult Run(const InputData& input, const MethodRules& rules, const RunOptions& options);

// Explains one person in one month (always with interview notes).
PersonMonth Explain(const InputData& input, const MethodRules& rules, uint32_t person, Date month_first);

}  // namespace dfdg::measure
