// The daily run's start of the a-kasse's responsibility for the contact course (seed 000 § 63 stk. 1-2;
// docs/automation.md T12): DFDG registers it from the person's registration as job seeker and the counters the
// a-kasse reported (chapter 18). Returns the command's own fields; the daily run adds the common ones.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "automation/rules.h"
#include "registry/person.h"

namespace dfdg::automation {

// akasse_contact_course_start (rules.h ContactCourseRule): for a person in the rule's contact groups registered as
// job seeker on `day`, `day` before the start of the current contact-group period + `within` (the first months of
// unemployment), a member of an a-kasse on `day`, without a
// record of the rule's type ending on or after the registration's start: the create command of that type with
// start = the registration's start, `start_basis` = the first situation of stk. 2 that applies, and the a-kasse's
// code. The counters are the latest reports computed on or before `day`:
//   no_counters             no report of any of `counter_types`;
//   right_expired           an actual expiry (dagpenge_expiry, expiry_kind actual) on or before the registration;
//   after_reference_period  the registration after the ordinary reference period's end (reference_period);
//   below_hours             hours used (dagpenge_consumption) below the limit of the member's insurance category
//                           and the registration on or before the reference period's end;
//   right_re_earned         hours used above the limit and no wage hours missing (replacement_account).
// Nothing when none applies (the job centre runs the contact course) or the limit is unknown.
std::optional<nlohmann::json> PlanContactCourseStart(const catalog::Catalog& catalog, const DailyRule& rule,
                                                     const registry::PersonView& view, Date day);

}  // namespace dfdg::automation
