// The in-memory form of the rule catalogue (see docs/catalog-format.md for the files it is read from).
// Plain data; the Catalog class (catalog.h) owns one immutable instance and indexes it.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "catalog/record_model.h"
#include "catalog/refs.h"
#include "core/date.h"

namespace dfdg::catalog {

struct Obligation {
  std::string key;
  std::string name_da;
  std::string name_en;
  Validity validity;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// One duty printed under several names in the tables (catalog/obligations.yaml `same_duty`): lifting any of
// `keys` lifts all of them.
struct SameDuty {
  std::vector<std::string> keys;
  std::string text_da;  // the seed's words that make them one duty
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// A general rule of the seeds (catalog/obligations.yaml `implied_exemptions`): whoever is exempt from `lifted`
// is also exempt from each of `also_lifts`.
struct ImpliedExemption {
  std::string lifted;
  std::vector<std::string> also_lifts;
  Validity validity;  // by the date the rules are asked for (as a row's validity)
  std::string text_da;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

struct ContactGroupName {
  std::string name_da;
  Validity validity;
  std::vector<SourceRef> sources;
};

struct ContactGroup {
  int id = 0;
  std::vector<ContactGroupName> names;
  std::string legal_basis;
  std::string description_da;
  Validity validity;
  std::optional<Date> new_registrations_until;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

struct VisitationCategory {
  std::string key;
  std::string name_da;
  std::vector<int> contact_groups;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// One variant of a reason's date rules. The first variant whose selectors match applies.
struct DateRule {
  std::string text_da;
  std::vector<SourceRef> sources;
  Validity validity;                               // by registration date
  std::optional<std::vector<int>> contact_groups;  // nullopt = every group
  std::optional<std::vector<Channel>> channels;    // nullopt = every channel
  std::optional<Duration> backdate;                // start >= registration date - backdate; nullopt = not stated
  bool not_before_last_interview = false;
  std::optional<Duration> max_future_start;  // start <= registration date + this
  std::optional<Duration> end_backdate;      // a new or moved end >= registration date - this ("0d": not in the past)
  std::optional<Duration> max_duration;      // end <= start + max_duration - 1 day
  std::optional<int> until_age;              // end <= the day before the person's N-th birthday
  bool end_date_required = false;
  bool comment_required = false;
  FileRef defined_at;
};

struct Note {
  std::string text_da;
  std::vector<SourceRef> sources;
};

// One contact-group × visitation row of a reason's table.
struct Row {
  std::vector<int> contact_groups;
  std::optional<std::string> visitation;  // nullopt = every category
  Mode mode = Mode::kMust;
  std::vector<std::string> exempts;  // obligation keys
  std::string legal_ref;
  std::string note_da;
  Validity validity;                    // by registration date
  std::optional<Date> start_date_from;  // the row applies only to absences starting on or after this day
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// Seed 000 Bilag 3 flags for one reason.
struct Bilag3 {
  bool jobnet = false;
  bool akasse = false;
  bool akasse_contact_course = false;
  bool akasse_may_create = false;             // any of the three "may create" columns
  bool akasse_create_contact_course = false;  // while the a-kasse runs the contact course (dagpenge)
  bool akasse_create_no_show = false;         // create, and later end, on a no-show (udeblivelse)
  bool akasse_create_always = false;          // always
  std::vector<SourceRef> sources;
};

struct Absence {
  int id = 0;
  std::string name_da;
  std::string name_en;
  std::vector<SourceRef> sources;
  Validity validity;
  std::optional<Date> new_registrations_until;
  std::optional<Date> start_date_before;
  std::vector<int> no_overlap_with;
  std::vector<DateRule> date_rules;
  std::vector<Note> notes;
  std::vector<Row> rows;
  std::optional<Bilag3> bilag3;
  FileRef defined_at;
};

// Seed 000 Bilag 1/2: the reason must/may be registered for these rows.
struct DutyRow {
  std::vector<int> contact_groups;
  std::optional<std::string> visitation;
};
struct RegistrationDuty {
  int reason = 0;
  Mode mode = Mode::kMust;
  std::vector<DutyRow> rows;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// Seed 004: reasons counting as exemption in the measurement for one benefit group.
struct MeasureReason {
  int id = 0;
  Validity validity;      // judged against the measured day (see catalog/measure_exemptions.yaml)
  bool historic = false;  // printed "(Historisk)": no longer registrable, still counted
  bool removed = false;   // taken off the table by a later version of the method
};
struct BenefitGroup {
  std::string key;
  std::string name_da;
  Validity validity;
  std::vector<SourceRef> sources;
  nlohmann::ordered_json details;  // the method's further fields (spell rules, subgroups, ...), kept as data
};
struct MeasureExemption {
  std::string benefit_group;
  std::optional<std::string> visitation;  // set: reasons that count only in this category, on top of the group's
  bool adds_to_all_categories = false;
  std::vector<MeasureReason> reasons;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// Seed 002 code lists.
struct Code {
  int code = 0;
  std::string name_da;
  std::string description_da;
  Validity validity;
  std::vector<SourceRef> sources;
  nlohmann::ordered_json details;  // further fields of the code (closing, date-field rules, ...)
};
struct CodeList {
  std::string key;
  std::string name_da;
  std::vector<Code> codes;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// How the outbox addresses a recipient kind (catalog/recipients.yaml `recipient_kinds`): the person's a-kasse
// (membership on the day), the person's job centre (municipality on the day), the recipient's own `id`, the citizen
// himself on the medium the rule names (`person`), or the system that made a lookup, named by it (`requester`).
// A record type's `forward:` target is of a kind addressed kMembership, kMunicipality or kFixed.
enum class Addressing { kMembership, kMunicipality, kFixed, kPerson, kRequester };

// The `addressed_by` word of `a` (membership | municipality | id | person | requester), and back (nullopt for
// another word).
const char* AddressingName(Addressing a);
std::optional<Addressing> ParseAddressing(const std::string& name);

// An outbox recipient kind (docs/automation.md "Delivery"): what forwarded registrations, automation rules'
// `recipient` and the serve configuration's `delivery.recipients[].kind` may name.
struct RecipientKind {
  std::string key;  // akasse | jobcenter | udb | myndighed | citizen | kommune (catalog/recipients.yaml)
  std::string name_da;
  std::string name_en;
  Addressing addressed_by = Addressing::kFixed;
  std::string legal_ref;  // optional
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// A recipient of forwarded registrations (videregivelse, catalog/recipients.yaml `recipients`): the `target` of a
// record type's `forward:` entries and the `recipient_id` of automation rules to authorities. Versions of one key
// may follow each other (validity).
struct Recipient {
  std::string key;
  std::string name_da;
  std::string name_en;
  std::string kind;  // a RecipientKind key
  std::string id;    // the outbox recipient for kinds addressed kFixed ("" read as the key)
  std::string legal_ref;
  Validity validity;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// A rejection code of the registry (catalog/violations.yaml). Messages are templates with {name} fields.
struct ViolationText {
  int code = 0;
  std::string key;
  std::string message_da;
  std::string message_en;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// A municipality (catalog/municipalities.csv, from the shared reference data).
struct Municipality {
  int code = 0;
  std::string name;
  int region_code = 0;
  std::string region;
};

// The afmelding window (§ 17 stk. 6).
struct DeregistrationRule {
  std::string text_da;
  Duration max_ahead;
  Duration max_ahead_mindre_intensiv;
  std::vector<Channel> mindre_intensiv_channels;
  Validity validity;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// One code of a contact-course code list (meeting forms, types, participant roles, ...).
struct CourseCode {
  std::string key;
  std::string name_da;
  std::optional<int> id;
  bool personal_attendance = false;  // meeting_forms
  bool standby = false;              // followup_forms
  Validity validity;
  std::vector<SourceRef> sources;
};

struct CourseCodeList {
  std::string key;
  std::vector<CourseCode> codes;
  FileRef defined_at;
};

// Obligation keys that block a registration (catalog/registry_rules.yaml).
struct BlockingRule {
  std::vector<std::string> obligations;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// § 89 stk. 4: how long after its planned start time a summons of `channels` is shown to the citizen
// (registry_rules.yaml `summons_shown_until`); minutes_after_start < 0 = no such rule (the whole day).
struct SummonsShownRule {
  std::vector<Channel> channels;
  int minutes_after_start = -1;
  std::string legal_ref;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

struct InterviewType {
  std::string key;
  std::string name_da;
  std::vector<SourceRef> sources;
};

struct Source {
  std::string id;
  std::string file;
  std::string title;
  int lines = 0;  // number of lines in the seed file; source references must fall inside
};

// Everything the catalogue files hold.
struct Model {
  std::vector<Source> sources;
  std::vector<Obligation> obligations;
  std::vector<SameDuty> same_duties;
  std::vector<ImpliedExemption> implied_exemptions;
  std::vector<ContactGroup> contact_groups;
  std::vector<VisitationCategory> visitation_categories;
  std::vector<Absence> absences;
  std::vector<RegistrationDuty> registration_duties;
  std::vector<BenefitGroup> benefit_groups;
  std::vector<MeasureExemption> measure_exemptions;
  std::vector<CodeList> codelists;
  std::vector<ViolationText> violations;
  std::vector<DeregistrationRule> deregistration_rules;
  std::vector<InterviewType> interview_types;
  BlockingRule personal_attendance_blocked_by;
  BlockingRule contact_blocked_by;
  BlockingRule deadline_blocked_by;
  BlockingRule booking_blocked_by;
  SummonsShownRule summons_shown_until;
  std::vector<CourseCodeList> course_codelists;
  std::vector<Municipality> municipalities;
  std::vector<RecipientKind> recipient_kinds;  // catalog/recipients.yaml
  std::vector<Recipient> recipients;
  std::vector<RecordType> record_types;  // catalog/records/*.yaml, in file-name order
  // The built-in commands' areas (catalog/records/builtin/*.yaml, in file-name order): the shapes of the
  // commands of docs/commands.md as data. Not record types: they keep their own stored kinds.
  std::vector<RecordType> builtin_areas;
  nlohmann::ordered_json measure_rules;  // seed 004 parameters (thresholds, dead periods), kept as data
  std::string version;                   // content hash of all files, "sha-like" hex
};

}  // namespace dfdg::catalog
