// `dfdg daily`: DFDG's date-driven actions (catalog/automation.yaml `daily`, docs/automation.md).
//
// A run for date D first catches up every day after the last completed run, in order (a store without any
// run starts at D). For each day it plans the actions from the persons' state, applies them as ordinary
// commands on channel `dfdg` registered on that day (actor = the rule key), in one transaction, and then marks
// the day complete (store.h RecordDailyRun). Each action carries the idempotency id
// "daily:<day>:<rule>:<cpr>", so a run resumed after a crash between the two replays what was already
// applied instead of applying it twice; a day marked complete is never run again.
#pragma once

#include <nlohmann/json.hpp>

#include "automation/rules.h"
#include "registry/registry.h"
#include "store/store.h"

namespace dfdg::automation {

struct DailyOptions {
  Date date{};           // the last day to run
  bool dry_run = false;  // plan and report only: no command, no run marker
};

// The commands the daily rules produce for `day` (JSON objects of docs/commands.md), scanning every person.
Result<std::vector<nlohmann::json>> PlanDay(const catalog::Catalog& catalog, const Rules& rules, store::Store* store,
                                            Date day);

// Runs (or, with dry_run, plans) every day from the one after the last completed run up to options.date.
// Returns {"days": [{"date", "actions": [{rule, cpr (masked), command, status, violations?}], "status":
// "done" | "planned"}], "already_done": bool}. InvalidArgument when options.date is after the clock's today.
Result<nlohmann::ordered_json> RunDaily(const catalog::Catalog& catalog, const Rules& rules, store::Store* store,
                                        registry::Registry* registry, Date today, const DailyOptions& options);

}  // namespace dfdg::automation
