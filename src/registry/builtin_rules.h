// Rule modules of the built-in commands (docs/commands.md): the checks beyond the form, one small module per
// rule group, each citing its §. A built-in command area names its modules under `rules:` in
// catalog/records/builtin/<area>.yaml (with § and seed line); Validate runs the modules of the command's area in
// declaration order, and each module acts only on the commands it states below (it does nothing for the area's
// other commands). Removing a module name from the area's file disables that rule. Registered in
// record_rules.cc's table. The codes and texts are those of docs/commands.md; the catalogue entries they cite
// are the rules' own (the area's actors, reserved reasons and scope entries, registry_rules.yaml,
// contact_course.yaml, absences). A module reads its area's declaration from RecordRuleContext::area.
#pragma once

#include <initializer_list>

#include "registry/command.h"
#include "registry/record_rules.h"

namespace dfdg::registry {

// absence_rules.cc (seed 000 chapter 8, seed 001).
// register_absence: § 34 stk. 3 — the reason exists and is open (2001-2003), the area's actors' reasons and
// reserved reasons (2014-2017), the contact-group row (2004/2005), the date rule (2006-2012, 2020) and overlap
// bans (2013).
extern const RecordRuleModule kAbsenceRegistrationModule;
// update_absence, end_absence, correct_absence: § 34 stk. 3-4 — the absence exists (2018); a correction has its
// comment (2019); a change keeps the channel and date rules of its reason.
extern const RecordRuleModule kAbsenceChangeModule;

// registration_rules.cc (seed 000 chapters 4-6).
// set_contact_group: § 16 stk. 1 — a known group open for new registrations (3001/3002), no future event date.
extern const RecordRuleModule kContactGroupSetModule;
// end_contact_group: § 16 stk. 2 — an open contact group (3004), no future event date (3003).
extern const RecordRuleModule kContactGroupEndModule;
// set_visitation: § 27 stk. 2 — a known category (3010) allowed for the person's contact group (3011).
extern const RecordRuleModule kVisitationGroupModule;
// register_jobseeker: § 17 stk. 5 — distinct job titles (3020), ledighedsgrad 0-100 (3024), an event date only
// in the groups of the area's scope entry `event_date` for the channel (3021: not KG 1, but the a-kasse's
// dagpenge recipients, § 64 stk. 1), no future event date (3003).
extern const RecordRuleModule kJobseekerRegistrationModule;
// deregister_jobseeker: § 17 stk. 6 — an open registration (3023), the date within the allowed window (3022).
extern const RecordRuleModule kJobseekerDeregistrationModule;
// set_municipality: § 16 stk. 5 — a known municipality (3030).
extern const RecordRuleModule kMunicipalityKnownModule;
// end_marking: § 20 stk. 4 — an open marking of that kind (of that project when given) (3042).
extern const RecordRuleModule kMarkingOpenModule;
extern const RecordRuleModule kMarkingCorrectionModule;  // correct_marking, cancel_marking (3057; as add_marking)
// add_marking: § 135 — the person-group project and its marking from the area's code lists (catalog/records/
// builtin/marking.yaml): a known project or an own project with its kind (3043), in force on the start (3044),
// project_kind only for own projects and one of `own_project_kinds` (3045), the channel may use projects of that
// kind (`project_users`, 3046), a marking of the project (`project_markings`, 3047), an a-kasse marks its members
// only (3048).
extern const RecordRuleModule kMarkingProjectModule;
// create_project, close_project, correct_project (project_rules.cc): § 135 stk. 4-5 — the channel creates
// projects of its kind (`project_owner_channels`) and, when the actor names one, as their owner (3055); a new id
// is not a project already (3053: created, or in the marking area's lists); a close or correction names a
// created project (3054) and its owner (3055); a known municipality as a job centre's owner (3030).
extern const RecordRuleModule kProjectRegisterModule;
// The run-time project `project` (the current version of the kProjectSubject entity with that id), or nullptr.
const Fact* RunTimeProject(const PersonView& projects, const std::string& project);
// set_akasse, add_marking, create_project, correct_project: the end is not before the start (2010).
extern const RecordRuleModule kPeriodOrderModule;
// register_interview: § 27 stk. 1 — not in the future (3040), a known interview or meeting type (3041).
extern const RecordRuleModule kInterviewHeldModule;

// course_rules.cc (seed 000 chapters 5-9 and 20-22, seed 002 section 1).
// Every command of its area that names its `channels:` is refused from any other channel (4009); in the summons
// area acknowledge_summons, rebook_summons and book_meeting: § 18 stk. 2 — the citizen only.
extern const RecordRuleModule kCitizenOnlyModule;
// create_summons: § 20 — meeting rules (4002-4005, 4010, 4011; the participants' roles of § 89 nr. 6, 4003),
// scope (4001: § 19, the a-kasse's § 88), reason 75 (4030).
extern const RecordRuleModule kSummonsCreateModule;
// update_summons: § 20 — the summons exists and is not cancelled (4006/4007), then the meeting rules.
extern const RecordRuleModule kSummonsUpdateModule;
// cancel_summons, acknowledge_summons: § 18 — the summons exists and is not cancelled (4006/4007); an a-kasse's
// cancellation gives its reason as the comment (§ 89 stk. 3, 4012).
extern const RecordRuleModule kSummonsExistingModule;
// rebook_summons: § 20 stk. 1 nr. 11-12 — an existing summons (4006/4007), within its rebooking window (4008),
// times in order (4002).
extern const RecordRuleModule kSummonsRebookModule;
// book_meeting: § 18 stk. 2 — meeting rules as for a summons, not while an absence lifts booking (4021).
extern const RecordRuleModule kMeetingBookingModule;
// create_deadline, change_deadline: § 23 — the deadline (4022-4023), scope (4001), absences (4020), reason 75.
extern const RecordRuleModule kDeadlineModule;
// annul_deadline: § 23 — the deadline exists (4023).
extern const RecordRuleModule kDeadlineExistingModule;
// set_akasse_choice: § 24 — the person is in scope (4001).
extern const RecordRuleModule kAkasseChoiceScopeModule;
// register_interview: §§ 27-28 — codes, participants, scope, reason 75 for a-kasser and job centres (4001-4044);
// § 92 stk. 1 nr. 7 — the a-kasse's availability interview carries its assessment (4045), no other type one (4046).
extern const RecordRuleModule kInterviewCourseModule;
// correct_interview, correct_followup: § 25 stk. 4, § 36 — the record exists (4040) and a comment (4041).
extern const RecordRuleModule kCourseCorrectionModule;
// register_followup: § 36 — not in the future (3040), scope, form and SDP category (3010).
extern const RecordRuleModule kFollowUpModule;
// set_sickness_metadata: § 32 stk. 2 — a sickness absence (2018/4050), the markers' contact groups (4051/4052).
extern const RecordRuleModule kSicknessMetadataModule;
// set_cv_status: § 31 (job centre), § 93 (a-kasse, own members) — scope (4001) and status code (4003).
extern const RecordRuleModule kCvStatusModule;

// True when `command` is one of `types` (a module's guard: it acts only on the commands it states).
bool CommandIs(const Command& command, std::initializer_list<CommandType> types);

}  // namespace dfdg::registry
