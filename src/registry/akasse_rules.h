// Rule modules of the a-kasse data areas (seed 000 chapters 16, 18 and 19; catalog/records/akasse_membership.yaml
// and the counter types): who may report for whom, the conditional fields of the counters, and which counters
// Jobnet shows (§ 83). Registered in record_rules.cc's table; named by the types' `rules:` entries.
#pragma once

#include <optional>
#include <string>

#include "registry/person.h"
#include "registry/record_rules.h"

namespace dfdg::registry {

// § 60 stk. 1, § 61 stk. 3-4, § 62: only the member's own a-kasse reports intake, changes, revocation and exit;
// an intake while a membership is open is refused (a transfer or a change is reported instead); the a-kasse code
// of a membership cannot change; exit date and reason come together. Citizen view (§ 61 stk. 6): only the
// membership current on the day.
extern const RecordRuleModule kAkasseMembershipModule;
// § 67 stk. 5 and 7: the reporting a-kasse (actor) is the record's a-kasse code, and the person is or has been
// its member on the computation date; a correction gives `correction_from`, and only a correction does.
extern const RecordRuleModule kAkasseCounterReportModule;
// The same check of the reporting a-kasse and membership (on the computation date, else the registration date)
// for other a-kasse data areas (§ 94 job-search requirements); `correction_from` applies only where declared.
extern const RecordRuleModule kAkasseOwnMemberModule;
// §§ 104-107 (chapter 27), §§ 114-115 (chapter 32) and § 96 (the joblog): for types without an a-kasse code field,
// the reporting a-kasse (the command's actor) is or has been the person's a-kasse on the registration date (5102);
// delete marks are not checked.
extern const RecordRuleModule kAkasseReporterMemberModule;
// § 104 stk. 3: an EEA dagpenge period's interruption gives date and reason together (5115), the date from the
// period's start to the day before its reported end (5116).
extern const RecordRuleModule kEeaInterruptionModule;
// § 69 stk. 2 nr. 4 and 6, § 70 stk. 2 nr. 2-3, § 71 stk. 2 nr. 6: fields that depend on the placement type or
// the rate type.
extern const RecordRuleModule kDagpengePlacementBasisModule;
// § 83: the counters Jobnet shows — the latest report of each counter, not for graduates' placements, by the
// placement type (stk. 2), supplementary dagpenge only for those who have had it (stk. 3), the expected expiry
// only; nothing without a placement.
extern const RecordRuleModule kJobnetCountersModule;
extern const RecordRuleModule kImmediateComputationModule;
// § 63 stk. 2-6 (akasse_course_rules.cc): DFDG registers the start bases of stk. 2, the a-kasse the basis `akasse`
// (stk. 3) (5113); the handover gives end date and end reason together (5111); the end date is the registration
// date for reasons uddannelsespaalaeg and udmeldt, the last day of the month for periode_afsluttet — the
// registration date when the latest consumption report is for an earlier month (stk. 6) (5112).
extern const RecordRuleModule kContactCourseHandoverModule;
// §§ 64-65 (akasse_course_rules.cc; register_jobseeker and deregister_jobseeker from an a-kasse naming itself as
// actor): the person is the a-kasse's member on the registration's start (deregistration: on the registration date
// or the deregistration date) (5102); a registration is for the persons of § 65 — the a-kasse actor's scope entry
// `jobseeker` (KG 1; KG 8 with registration category 3 or 5) (4001).
extern const RecordRuleModule kAkasseJobseekerModule;

// The a-kasse the person is a member of on `date`: the latest-begun current akasse_membership record whose
// period contains `date`, else the set_akasse membership (docs/decisions/0010). nullopt when none.
std::optional<std::string> AkasseOn(const PersonView& person, Date date);

// The person's latest a-kasse by `date`: the a-kasse of the latest-begun membership (akasse_membership record or
// set_akasse period) begun on or before `date`, current or ended (§ 154 stk. 5 "personens seneste
// arbejdsløshedskasse"); ties: the record. nullopt when the person has never been a member by then.
std::optional<std::string> LatestAkasseBy(const PersonView& person, Date date);

// The latest current (not delete-marked) record of `type` whose period starts on or before `date` — for a
// counter, the report computed last by then (ties: the later entity) — or nullptr.
const Fact* LatestRecordOf(const PersonView& person, const std::string& type, Date date);

// The first day of the person's dagpenge period as the a-kasse reported it: the placement date of the current
// placement report (dagpenge_placement; the latest computed on or before `known_on`, its latest correction,
// delete-marked reports left out: PersonView). nullopt when there is none; the callers then keep decision 0005's
// approximation (the start of the KG 1 period) (docs/decisions/0034).
std::optional<Date> DagpengePeriodFirstDay(const PersonView& person, Date known_on);

}  // namespace dfdg::registry
