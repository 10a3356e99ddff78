// Helpers of the contact-course rules (seed 000 chapters 5-9 and 20-22, seed 002 section 1), shared by the rule
// modules of course_rules.cc (builtin_rules.h), the planner and the status report. Defined in course_rules.cc.
#pragma once

#include <vector>

#include "catalog/catalog.h"
#include "registry/command.h"
#include "registry/person.h"
#include "registry/violation.h"

namespace dfdg::registry {

// The first active absence on `date` whose row (for the person's group and visitation on that date) lifts one
// of `obligations`; nullptr when none does.
const Fact* AbsenceLifting(const catalog::Catalog& catalog, const PersonView& person, Date date,
                           const std::vector<std::string>& obligations);

// Reason 75 ("Kontaktforløb er hos a-kassen") on `date`: registered, and active (inactive while the person is in
// contact group 13, 24 or 25; seed 002 line 42 ff.).
struct Reason75State {
  const Fact* absence = nullptr;  // the registration covering `date`, if any
  bool any_registered = false;    // some registration of 75 exists
  bool active = false;
};
Reason75State Reason75On(const catalog::Catalog& catalog, const PersonView& person, Date date);

// Is `type` (a meeting_types key, or a legacy interview type) a job interview — the kind that resets the
// citizen's a-kasse choice (§ 24) and that a-kasser register under reason 75 (ids 7 and 17)?
bool IsJobInterviewType(const catalog::Catalog& catalog, const std::string& type, Date date);

}  // namespace dfdg::registry
