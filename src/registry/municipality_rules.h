// Rule modules of the municipalities' plans and efforts (seed 000 chapters 10-11; catalog/records/min_plan.yaml,
// employment_measure_*.yaml, municipal_job_search_requirement.yaml, availability_assessment.yaml,
// sanction_decision.yaml): the rules a declaration cannot say. Parameters that are lists of persons live in the
// types' catalogue files (code lists read by the module), never here. Registered in record_rules.cc's table.
#pragma once

#include "registry/record_rules.h"

namespace dfdg::registry {

// § 40 stk. 2 and § 43 stk. 11: no plan description for the persons of code list `min_plan_no_description`
// (judged on the registration date), a description for everyone else unless the citizen has a holistic plan or
// the person and plan type are in `min_plan_description_optional` (seed 002 §3.1); § 41: the education-plan
// fields only on plan type `uddannelsesplan`, which needs its step; § 42 stk. 2: no education plan from the
// day the person turns 30 (plan_date); the job goal on every other plan type; seed 002 §3.1 and § 42: a plan that
// becomes a job plan (created as one or changed to one) for a person whose contact group on the plan date is named
// in code list `min_plan_job_plan_youth` only for the "<group>/<visitation>" the list holds on the plan date (the
// youth's job-plan trial from its first day, not for the åbenlyst uddannelsesparate); 5212; § 38 stk. 7: the
// integration-law contract's end date only with the contract (5203).
extern const RecordRuleModule kMinPlanModule;
// § 43 stk. 1 nr. 8-9: a status (annulleret/afbrudt) comes with its reason and comment, and they only with it;
// § 43 stk. 2 nr. 7: the hourly subsidy rate only for wage subsidy, adult apprentices, job rotation and the
// activity types of seed 002 §3.7; § 43 stk. 6: an owned aid or a first loan has its price, a loan its end;
// § 45 stk. 3: a flex job's or job-rotation temp's event date (the agreement) is not after the start; stk. 4: an
// adult apprentice's event date is the start of the education; stk. 5: a change or correction given
// `known_on` is registered on that day or the day after (known_on itself not after the registration date).
extern const RecordRuleModule kEmploymentMeasureModule;
// § 44 nr. 4: at least one of job titles, geographic area, other requirements.
extern const RecordRuleModule kJobSearchRequirementContentModule;
// No check: marks a type whose `must` scope means the person must have a current record on the day; status
// (record_scope) reports `missing: true` for such a person without one (§ 39 stk. 2 job-search requirements).
extern const RecordRuleModule kRequiredWhileInScopeModule;
// Seed 002 §5.1: result 96 has date field 1 (quarantine start) and 2 (expiry, three months after the start);
// the date fields only with 96.
extern const RecordRuleModule kAvailabilityAssessmentModule;
// § 50 nr. 7: a sanction has its period (first day required, last day not before it); "ingen_sanktion" has none.
extern const RecordRuleModule kSanctionDecisionModule;
// § 47 stk. 4 (citizen-view filter): the youth database's education events are shown on Jobnet to the persons
// of the type's code list `udb_events_shown_to` on the day ("<contact group>", or "<contact
// group>/<plan type>" with a current »Min Plan« of that type: dagpenge recipients with an education order).
extern const RecordRuleModule kUdbEventsOnJobnetModule;

}  // namespace dfdg::registry
