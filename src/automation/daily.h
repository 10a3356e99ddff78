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

// An entity whose personal data a retention rule erases (store.h EraseEntity): deleted by the rule's delete
// command, or deleted before by the rule but not yet erased (a run interrupted between the two).
struct Erasure {
  std::string cpr;
  int64_t entity_id = 0;
  std::string rule;
  std::string record_type;
  int64_t command_index = -1;  // the planned delete command (erased only when accepted); -1 = left over
};

// The commands the daily rules produce for `day` (JSON objects of docs/commands.md), scanning every person.
// With `erasures`, also the entities the retention rules erase that day (those of the planned delete commands
// and those left over).
Result<std::vector<nlohmann::json>> PlanDay(const catalog::Catalog& catalog, const Rules& rules, store::Store* store,
                                            Date day, std::vector<Erasure>* erasures = nullptr);

// Runs (or, with dry_run, plans) every day from the one after the last completed run up to options.date.
// Returns {"days": [{"date", "actions": [{rule, cpr (masked), command, status, violations?}], "erased":
// [{rule, cpr (masked), record_type, entity_id, versions?}], "status": "done" | "planned"}], "already_done": bool}.
// Erasure runs after the day's commands committed and before the day is marked. InvalidArgument when options.date is
// after the clock's today.
Result<nlohmann::ordered_json> RunDaily(const catalog::Catalog& catalog, const Rules& rules, store::Store* store,
                                        registry::Registry* registry, Date today, const DailyOptions& options);

}  // namespace dfdg::automation
