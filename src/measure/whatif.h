// What-if: the measurement under the catalogue with changes (`dfdg measure --whatif CHANGES.yaml`), the
// difference per month × geography × benefit group × interval, and the persons whose result changes with the
// change that made the difference. Format of CHANGES.yaml and of the output: docs/measurement-whatif.md.
//
// Contract: LoadWhatIf refuses (InvalidArgument "file:line: message", Danish) a file that does not parse, has an
// unknown key, names a benefit group, absence reason or measure_rules key the catalogue does not have, adds a
// reason the table already has, or gives rules BuildRules refuses. An empty file is zero changes. RunWhatIf
// evaluates every person-month under both rule sets in one pass; the base tables equal those of Run.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "measure/aggregate.h"
#include "measure/engine.h"
#include "measure/evaluate.h"
#include "measure/method.h"

namespace dfdg::measure {

struct WhatIfChange {
  std::string where;  // "CHANGES.yaml:12"
  std::string what;   // Danish, e.g. "fraværsårsag 40 tæller som fritagelse for kontanthjaelp"
};

struct WhatIf {
  std::vector<WhatIfChange> changes;
  MethodRules rules;                // the catalogue with every change
  std::vector<MethodRules> single;  // the catalogue with change i only (to name the change behind a difference)
};

Result<WhatIf> LoadWhatIf(const std::string& path, const catalog::Catalog& catalog);

struct ChangedPersonMonth {
  PersonMonth before;
  PersonMonth after;
  std::vector<int> changes;  // indexes into WhatIf::changes whose change alone changes the result; empty = only
                             // the changes together do
};

struct WhatIfResult {
  std::unique_ptr<Aggregates> base;
  std::unique_ptr<Aggregates> whatif;
  std::vector<ChangedPersonMonth> changed;  // sorted by month, CPR
  size_t person_months = 0;
};

// True when the two evaluations of one person-month differ in what the tables count (outcome, group, rate,
// interval, year bucket, counted interviews, municipality).
bool ResultDiffers(const PersonMonth& a, const PersonMonth& b);

WhatIfResult RunWhatIf(const InputData& input, const MethodRules& base, const WhatIf& whatif,
                       const RunOptions& options);

// Writes whatif_forskel.csv (every measure value that differs between the two maalinger tables) and
// whatif_personer.csv (the changed person-months) into `dir`. `base_table` and `whatif_table` are the
// maalinger.csv texts of the two runs. Errors: IOError naming the file.
Status WriteWhatIf(const std::string& dir, const InputData& input, const WhatIf& whatif, const WhatIfResult& result,
                   const std::string& base_table, const std::string& whatif_table);

}  // namespace dfdg::measure
