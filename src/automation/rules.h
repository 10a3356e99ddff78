// The rules of DFDG's own actions as catalogue data (catalog/automation.yaml, docs/automation.md): triggered
// actions, date-driven (daily) actions and notifications. Loaded once; immutable afterwards.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/status.h"

namespace dfdg::automation {

// Why DFDG did something: the rule's key, its legal reference and the seed lines.
struct Cause {
  std::string rule;
  std::string legal_ref;
  std::vector<catalog::SourceRef> sources;
  // CauseJson of the above, built once when the rules are read (every outbox message carries it); "" when the
  // cause was made elsewhere (then CauseJson builds it).
  std::string json;
};

// One row of a deregistration table: the contact groups (and, when set, the visitation category) in which the
// trigger deregisters a job seeker; with wage_subsidy_exception a person in wage subsidy is not deregistered.
struct DeregisterRow {
  std::vector<int> contact_groups;
  std::string visitation;  // "" = every category
  bool wage_subsidy_exception = false;
  std::vector<catalog::SourceRef> sources;
};

// A record that counts as "in wage subsidy" (løntilskud): a current record of `record_type` whose `field` holds
// one of `codes`.
struct WageSubsidy {
  std::string record_type;
  std::string field;
  std::vector<std::string> codes;
};

// A triggered action. event: contact_group_set | absence_registered | akasse_changed | interview_registered.
// action: inactivate_absence | end_absence (of the person's absences with `reason`) | annul_jobcentre_course
// (contact_group_set back into `contact_groups` while `reason` is active: the job centre's deadlines, summons and
// booked meetings made meanwhile are annulled/cancelled) | deregister_jobseeker (absence_registered: a job
// seeker in a row of `rows` on the absence's start is deregistered from that day; contact_group_set: a job
// seeker entering `contact_groups` while `reason` covers the group's start is deregistered from that start) |
// reset_akasse_choice (§ 24 stk. 1: the person's open a-kasse choice ends; contact_group_set: a new placement in
// `contact_groups`; akasse_changed: another a-kasse than the day before; interview_registered: a held interview of
// one of `interview_types`. It applies from the registration date, or from the next day with `reset_next_day`).
struct Trigger {
  std::string event;
  std::string action;
  std::vector<int> contact_groups;  // for contact_group_set / absence_registered
  int reason = 0;
  std::vector<std::string> interview_types;  // interview_registered
  bool reset_next_day = false;               // reset_akasse_choice
  std::vector<DeregisterRow> rows;          // deregister_jobseeker on absence_registered
  std::optional<WageSubsidy> wage_subsidy;  // the rows' exception
  std::string deregistration_reason;        // deregister_jobseeker: the stored reason text
  Cause cause;
};

// One conversion of a contact group that closes on a date: its members are moved to `to_group`.
struct GroupConversion {
  int from_group = 0, to_group = 0;
  std::vector<catalog::SourceRef> sources;
};

// The subscription to education events from the youth database (UDB, seed 002 §3.5): a record of `record_type`
// (fields start, end, closure_reason) that DFDG opens for a person under the age limit in `contact_groups` with a
// current plan of record type `plan_record_type` whose `plan_field` is `plan_code`, and closes with the reason
// of the first criterion met: age (`age`, or `young_age` in `young_groups`), the youth database's message of a
// completed vocational education (`completed_*`), plan type (the current plan's type is
// another one — unless one of `keep_codes` while the person is in `keep_groups`), contact group (a group
// outside `contact_groups`), or a group of `contact_groups` closed before the plan reached `before_step` and
// `closed_group_months` whole calendar months passed since without the admission message (`admission_*`).
struct SubscriptionRule {
  std::string record_type;
  std::vector<int> contact_groups;
  int age = 0;
  std::vector<int> young_groups;
  int young_age = 0;
  std::string plan_record_type, plan_field, plan_code, step_field, before_step;
  std::vector<std::string> keep_codes;
  std::vector<int> keep_groups;
  int closed_group_months = 0;
  // The youth database's message that a vocational education was completed (002:954-960): a record of
  // `completed_record_type` whose `completed_field` is `completed_code` and whose bool `completed_flag` is true,
  // received (registered) on or after the subscription's start, closes it with `reason_completed`; such a
  // message received on or after the current plan's start keeps a new subscription from opening on that plan.
  std::string completed_record_type, completed_field, completed_code, completed_flag;
  // The youth database's admission message (002:928-934, "der ikke er modtaget besked fra UDB om optagelse"): a
  // record of `admission_record_type` whose `admission_field` is `admission_code`, received (registered) on or
  // after the subscription's start and before the closing day (the first day after the whole calendar months),
  // keeps a subscription whose group was closed before `before_step` open (docs/decisions/0037).
  std::string admission_record_type, admission_field, admission_code;
  std::string reason_age, reason_contact_group, reason_plan_type, reason_contact_group_closed, reason_completed;
  // § 47 stk. 1 "som henvender sig til kommunen om hjælp" (000:1648): the first request for help is the job
  // centre's held interview of § 28 (000:984): one of `first_contact_types`, or any type with the bool
  // `first_contact_flag` true. Held on or after the start of the current contact group, it opens a subscription
  // without an education plan (once: not again after a subscription that started on or after it).
  std::vector<std::string> first_contact_types;
  std::string first_contact_flag;
};

// The start of the a-kasse's responsibility for the contact course (seed 000 § 63 stk. 1-2): for a person in
// `contact_groups` registered as job seeker on the day, within `within` of the group period's start, who is an
// a-kasse member and has no record of `record_type` ending on or after that start, DFDG creates the record from
// the registration's start when one of the five situations of stk. 2 applies (contact_course.h). `hours` maps
// the insurance category (akasse_membership.insurance_category) to the consumption limit (410/333);
// `counter_types` are the counters of chapter 18 (no current report of any: situation 1).
struct ContactCourseRule {
  std::string record_type;
  std::vector<int> contact_groups;
  Duration within{};
  std::vector<std::pair<std::string, double>> hours;
  std::vector<std::string> counter_types;
};

// A field DFDG sets together with a daily action (convert_contact_group_at_age `also_set`, "og inaktiverer 'Min
// plan'", 002:428): each of the person's records of `record_type` whose period covers the action's day and whose
// code field `field` is not already `code` gets a new version with `field` = `code` (the type's change command,
// planned before the action in the same batch).
struct AlsoSet {
  std::string record_type, field, code;
  std::vector<catalog::SourceRef> sources;
};

// A person's state on a day that a retention rule asks about (delete_records `keep_while` / `only_while`):
// registered as job seeker on the day (`jobseeker`), or a current record of `record_type` (its period covers the
// day) whose code field `field` holds one of `codes`.
struct PersonCondition {
  bool jobseeker = false;
  std::string record_type, field;
  std::vector<std::string> codes;
  std::vector<catalog::SourceRef> sources;
};

// A date-driven action of `dfdg daily`. action: deregister_jobseeker | convert_contact_group_at_age (with
// `also_set`) |
// convert_contact_groups_on_date (`on` and later: a person whose group on the day is a `conversions` from_group
// that started before `on` is moved to its to_group from `on`) | reregister_at_recovery (`reasons`: the
// sickness absences whose end is the raskmelding) | reregister_while_sick (an absence of `reasons` that ended is
// registered again from the next day while one of `still_sick_reasons` covers the day) | delete_records (retention:
// records of `record_types` whose counted-from date + `retention` is on or before the day are deleted and their
// personal data erased; the date is the first of `from_fields` that is set, or the record's end date without
// them; a record with one of `unset_fields` set is not this rule's; none of `keep_while` may hold on the day, and
// one of `only_while` must when it is given) | udb_subscription (`subscription`) | akasse_contact_course_start
// (`contact_course`).
struct DailyRule {
  std::string action;
  std::vector<int> contact_groups;      // deregister_jobseeker: the person's group on the day
  std::vector<int> reasons;             // deregister_jobseeker: an absence with one of these starts on the day;
                                        // reregister_at_recovery: the day after one of these ends
  std::vector<int> still_sick_reasons;  // reregister_at_recovery: none of these may cover the day;
                                        // reregister_while_sick: one of these must cover the day
  std::string deregistration_reason;
  int from_group = 0, to_group = 0, age = 0;     // convert_contact_group_at_age
  std::optional<Date> last_day;                  // the rule applies up to and including this day
  std::optional<AlsoSet> also_set;               // convert_contact_group_at_age: the records changed with it
  std::vector<std::string> record_types;         // delete_records
  Duration retention{};                          // delete_records: after the record's end date
  std::string deletion_comment;                  // delete_records: the comment of the delete command
  std::vector<std::string> from_fields;          // delete_records: date fields counted from (first set)
  std::vector<std::string> unset_fields;         // delete_records: fields that must be empty
  std::vector<PersonCondition> keep_while;       // delete_records: any holding on the day keeps the record
  std::vector<PersonCondition> only_while;       // delete_records: one must hold on the day (when given)
  std::optional<Date> on;                        // convert_contact_groups_on_date: the effective date
  std::vector<GroupConversion> conversions;      // convert_contact_groups_on_date
  std::optional<SubscriptionRule> subscription;  // udb_subscription
  std::optional<ContactCourseRule> contact_course;  // akasse_contact_course_start
  Cause cause;
};

// A move-message code pair of a contact group (seed 002 §1.2 codes 59-72).
struct MoveCode {
  int contact_group = 0;
  int moving_in = 0, moving_out = 0;
  std::string name_in, name_out;
};

// Agreements passed on with a move (§ 43 stk. 10: "aftaler indberettet efter § 27, stk. 1, § 28, stk. 1, § 36,
// stk. 1, og § 92, stk. 1"): of the stored kind `kind` (interview | followup) registered through one of
// `channels`, the latest held on or before the move day whose `agreements` are given.
struct AgreementSource {
  std::string kind;
  std::vector<catalog::Channel> channels;
  std::string legal_ref;
  std::vector<catalog::SourceRef> sources;
};

// A fact passed on as it is registered (event `fact_forwarded`, notify/fact_forwarding.h): every version a command
// writes of the stored kind `fact_kind` whose change is one of `changes` (oprettet | aendret | aflyst | afsluttet |
// slettet), of one of `kinds` (the fact's type text; empty = any) with the bool `flag` in its details true (when
// set), registered through one of `channels` (empty = any), for a person in one of `contact_groups` (empty = any)
// on the judged day — the version's start (its last day for `afsluttet`), or the registration date with
// `judged_on: registered` — whose job-seeker registration category on that day is listed in
// `registration_categories` for that group (a group not listed: any). Payload fields: `fields` (name, source:
// start | end | code | text | extra.<key>), with `<name>_name` from the course code list of `code_lists`.
struct FactForward {
  std::string fact_kind;
  std::vector<std::string> changes;
  std::vector<std::string> kinds;
  std::string flag;
  std::vector<catalog::Channel> channels;
  std::vector<std::pair<int, std::vector<int>>> registration_categories;
  bool judged_on_registered = false;
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::pair<std::string, std::string>> code_lists;
  std::vector<int> codes;  // the fact's code is one of these (an absence's reason); empty = any
  // Recipient `kommune` (§ 133 stk. 2-3): the system that looked the entity up — every current record of
  // `lookup_type` registered before the command whose field `lookup_id_field` names the fact's entity, one message
  // per distinct value of its field `lookup_recipient_field` (the municipality code). No lookup: no message.
  std::string lookup_type;
  std::string lookup_id_field;
  std::string lookup_recipient_field;
};

// A message rule. event: contact_group_changed | absence_changed | municipality_changed | record_field_cleared |
// record_forwarded (a record of `record_types` passed on as its type declares, notify/record_forwarding.h) |
// record_opened_or_closed (a record of `record_types` created, or given an end date) | meeting_cancelled (a
// summons or booked meeting cancelled by a triggered rule, to the citizen's subscribed media) |
// builtin_registered (a built-in command of `commands` from one of `channels`, notify/akasse_messages.h) |
// counter_by_other_akasse (a record of `record_types` reported by an a-kasse other than the member's on the day) |
// akasse_changed (a membership begun in another a-kasse than the person's latest: the current records of
// `record_types` to the new a-kasse, notify/akasse_messages.h) |
// fact_forwarded (the facts `forward` names, to the person's a-kasse, notify/fact_forwarding.h).
// recipient: a recipient kind of catalog/recipients.yaml — akasse | jobcenter | citizen | udb | myndighed
// (contact_group_changed: the authority `recipient_id`) | kommune (fact_forwarded with a `lookup`: the municipality's
// system that looked the entity up, § 133) — or the keyword declared (record_forwarded only: the type's `forward:`
// entries name them).
struct Notification {
  std::string type;
  std::string event;
  std::vector<int> contact_groups;  // contact_group_changed: entering or leaving one of these
  std::string recipient;
  std::vector<std::string> record_types;  // municipality_changed: the record types passed to the new municipality;
                                          // record_field_cleared: the record types watched
  // record_field_cleared: a version whose `field` held items replaced by one where it holds none (or a deletion
  // or correction), while the previous version's `condition_field` held one of `condition_codes`.
  std::string field;
  std::string condition_field;
  std::vector<std::string> condition_codes;
  std::string recipient_id;  // citizen: the system that shows the message (e.g. "jobnet_beskedbakke"); udb: the
                             // receiving system; myndighed: the authority (e.g. "udbetaling_danmark")
  std::string text_da;       // the message's wording
  // municipality_changed with `move_codes`: a move message with the code of the person's contact group (or the
  // latest one when it is closed) to both job centres, for a person with an open contract: a current record of
  // record_types[0] whose `field` is set and whose date field `end_field` (when named) is empty or not before the
  // move day (seed 002 §1.2: "uden en slutdato for kontrakten eller med en fremtidig slutdato").
  std::vector<MoveCode> move_codes;
  std::string end_field;
  // municipality_changed without move codes: the agreements passed on with the plan and measures.
  std::vector<AgreementSource> agreements;
  // meeting_cancelled: the kinds of DFDG's cancellations watched (a summons version whose extra.dfdg.annulled is
  // one of these, e.g. "summons", "booked_meeting").
  std::vector<std::string> annulled;
  // recipient citizen with a subscription: one message per medium of `subscription_media` (a bool field of the
  // current record of `subscription_record_type` on the day) that is on, the medium as recipient; no current
  // record, or every medium off: no message.
  std::string subscription_record_type;
  std::vector<std::string> subscription_media;
  // builtin_registered: the built-in commands (docs/commands.md) whose entities are passed on, and the channels
  // whose commands count (empty: every channel). absence_changed: the channels whose absence versions are passed
  // on (the version's channel; empty: every channel) — the a-kasse's own registrations are not sent back to it.
  std::vector<std::string> commands;
  std::vector<catalog::Channel> channels;
  // fact_forwarded: which facts are passed on.
  std::optional<FactForward> forward;
  Cause cause;
};

struct Rules {
  std::vector<Trigger> triggers;
  std::vector<DailyRule> daily;
  std::vector<Notification> notifications;

  // Loads `<catalog_dir>/automation.yaml`, checking every key against the catalogue (contact groups, reasons,
  // seed lines). Corruption listing each problem with its line; NotFound when the file is missing.
  static Result<std::shared_ptr<const Rules>> Load(const std::string& catalog_dir, const catalog::Catalog& catalog);
};

// "r75_end_on_akasse_change 002_2b4b20d01fe5c4c4.txt:54" — the rule key and its first seed line.
std::string CauseText(const catalog::Catalog& catalog, const Cause& cause);
// {"rule", "legal_ref", "source": ["<file>:<line>", ...]} as JSON text.
std::string CauseJson(const catalog::Catalog& catalog, const Cause& cause);

}  // namespace dfdg::automation
