// The tables of a measurement run (measure::Aggregates) as stored results (stats/results_store.h): the same
// rows as maalinger.csv and skaerpet_tilsyn.csv (docs/measurement.md), and the region → municipality hierarchy
// from the catalogue's municipalities (catalog/municipalities.yaml via MethodRules).
#pragma once

#include <string>

#include "measure/aggregate.h"
#include "measure/method.h"
#include "stats/results_store.h"

namespace dfdg::stats {

// The measurement's name and version (seed 004), stored with every run.
extern const char kMethodVersion[];

// Writes the run to `path` (docs/statistics.md). `inputs_json` describes the run's inputs.
Status StoreMeasurement(const std::string& path, const measure::Aggregates& aggregates,
                        const measure::MethodRules& rules, const std::string& inputs_json, int64_t* run_id);

}  // namespace dfdg::stats
