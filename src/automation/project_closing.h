// The daily rule `end_markings_at_project_closing` (catalog/automation.yaml, docs/automation.md D10; decisions
// 0044 and 0048): § 135 stk. 1 (000:4238-4240) attaches a marking to its project, so a marking lies within its
// project's period. The rule brings back within it every marking that runs past its project's closing.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "automation/rules.h"
#include "registry/person.h"
#include "store/store.h"

namespace dfdg::automation {

// The projects' closing days (their last day, inclusive) by project id: the run-time projects (the subject
// kProjectSubject as currently known) and the catalogue's state, joint and own projects (the marking area's
// lists `projects_state`, `projects_joint`, `own_projects`) whose every version has a `valid_to` (the day before
// the last one's). A run-time project's closing wins (3053 keeps the ids apart).
Result<std::map<std::string, Date>> ProjectClosings(const catalog::Catalog& catalog, store::Store* store);

// The commands of the rule for one person on `day`, appended to `out`: for each marking on a project of
// `closings` that ends after the closing or is open —
//   * begun after the closing: cancel_marking (no end on the closing day fits; the marking attaches to nothing);
//   * still open on `day` and naming its project: end_marking on the closing day (one per project and name);
//   * else (ended between the closing and `day`, or a catalogue marking that names no project):
//     correct_marking with end = the closing day.
// The correction and the cancellation carry a generated berigtigelseskommentar naming the rule (000:2206-2208).
void EndMarkingsAtClosing(const catalog::Catalog& catalog, const DailyRule& rule, const registry::PersonView& view,
                          const std::map<std::string, Date>& closings, Date day, std::vector<nlohmann::json>* out);

}  // namespace dfdg::automation
