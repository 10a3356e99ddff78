// Declared record types (catalog/records/*.yaml, docs/catalog-format.md "Record types"): the shape of a data
// area as data — who may report what about whom, which fields, periods, forwarding and the citizen's view.
// Plain data, part of Model; the Catalog indexes it (FindRecordType, FindRecordCommand).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/refs.h"
#include "core/date.h"

namespace dfdg::catalog {

// What an actor may do with a record type. kRead is an access right only (no command).
enum class RecordAction { kCreate, kChange, kCorrect, kDelete, kRead };
inline constexpr int kRecordActionCount = 5;
const char* RecordActionKey(RecordAction action);
std::optional<RecordAction> ParseRecordAction(const std::string& key);
// Danish verb phrase for messages ("oprette", "ændre", "berigtige", "slette", "læse").
const char* RecordActionDa(RecordAction action);

enum class FieldType {
  kDate,
  kDateTime,
  kInt,
  kDecimal,
  kText,
  kBool,
  kCvr,
  kPNumber,
  kCpr,
  kCode,
  kMunicipality,
  kList,
  kTime,  // a clock time "HH:MM"
  kId     // a positive integer: the entity a command refers to (absence_id, summons_id, ...)
};
const char* FieldTypeKey(FieldType type);
std::optional<FieldType> ParseFieldType(const std::string& key);

// Built-in command areas (catalog/records/builtin/*.yaml, docs/catalog-format.md "Built-in command areas"): the
// member of registry::Command that a field's checked value fills. kTexts, kDates and kFlags fill the keyed maps
// `texts`, `dates` and `flags` under the field's key.
enum class CommandSlot {
  kNone,
  kContactGroup,
  kReason,
  kRegistrationCategory,
  kMunicipality,
  kLedighedsgrad,
  kVisitation,
  kAkasse,
  kMarking,
  kInterviewType,
  kDeregistrationReason,
  kComment,
  kStart,
  kEnd,
  kEventDate,
  kDate,
  kAbsenceId,
  kMindreIntensiv,
  kJobTitles,
  kTargetId,
  kParticipants,
  kTexts,
  kDates,
  kFlags
};
const char* CommandSlotKey(CommandSlot slot);
std::optional<CommandSlot> ParseCommandSlot(const std::string& key);
// The field type a slot takes (kTexts also takes kTime).
FieldType CommandSlotType(CommandSlot slot);

// One field of a record type (or of a list item).
struct FieldDecl {
  std::string key;
  std::string name_da;
  std::string name_en;
  FieldType type = FieldType::kText;
  int max_length = 0;                 // text: at most this many bytes (required for text)
  std::optional<double> min, max;     // int and decimal: inclusive bounds
  std::string code_list;              // code: a record code list or a contact-course code list
  bool required = false;              // required on create for every actor
  std::vector<Channel> required_for;  // required on create for these channels only
  std::vector<Channel> channels;      // empty = every actor may give it; else only these
  std::vector<FieldDecl> items;       // list: the fields of one item
  int max_items = 0;                  // list: at most this many items (required for list)
  Validity validity;                  // registration date
  std::vector<SourceRef> sources;
  FileRef defined_at;
  CommandSlot slot = CommandSlot::kNone;  // built-in areas only: the Command member the value fills

  bool RequiredFor(Channel channel) const;
  bool AllowedFor(Channel channel) const;
};

// Persons in scope: a contact group (or every group of § 15) with an optional visitation category.
// In a built-in command area each entry is named (`key`): the personkreds a rule module of the area asks for
// (RecordType::ScopeFor), e.g. "summons" (§ 19) or "deadline_mandatory" (§ 21).
struct ScopeEntry {
  std::string key;  // built-in areas only
  std::vector<int> contact_groups;
  bool all_contact_groups = false;        // `contact_groups: all` (or `any`)
  bool any_person = false;                // `contact_groups: any`: also persons in no contact group
  std::optional<std::string> visitation;  // nullopt = every category
  Mode mode{};                            // must (duty) or may
  // Built-in areas only: groups in scope only while registered as job seeker, and per group the allowed
  // tilmeldekategorier (empty = any).
  std::vector<int> registered_jobseekers_only;
  std::map<int, std::vector<int>> registration_categories;
  Validity validity;  // registration date
  std::string legal_ref;
  std::vector<SourceRef> sources;
  FileRef defined_at;

  // True when a person in `contact_group` (registered as job seeker with `registration_category`, if any) is
  // covered by this entry's groups (validity and visitation are the caller's).
  bool CoversGroup(int contact_group, std::optional<int> registration_category) const;
};

// A reporting actor (channel) and what it may do; its own scope replaces the type's when given.
struct ActorRule {
  Channel channel{};
  std::vector<RecordAction> may;
  std::vector<ScopeEntry> scope;
  // Built-in areas with a `reason` field only (absences): the reasons this channel may create; nullopt = every
  // reason the area's rules allow.
  std::optional<std::vector<int>> reasons;
  Validity validity;  // registration date
  std::vector<SourceRef> sources;
  FileRef defined_at;

  bool May(RecordAction action) const;
};

// The record's valid period: which date fields hold it and the rules on it.
struct PeriodDecl {
  std::string start_field;
  std::string end_field;  // "" = the record has no end (an event on one day when end is absent)
  bool overlap_allowed = true;
  std::optional<Duration> backdate;          // start >= registration date - backdate
  std::optional<Duration> max_future_start;  // start <= registration date + this
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// Where registrations are passed on (videregivelse), and the outbox message each forwarding writes
// (catalog/automation.yaml `record_forwarded`, docs/automation.md). A target applies to a record version when
// every given condition holds on the day it is passed on (the registration date): the person's contact group,
// membership of an a-kasse, the channel that registered it, the person's age and birth date (from the CPR
// number), the record's period and one field's codes.
struct ForwardTarget {
  std::string key;     // the message's code (stable); "" = the target. Entries of one type may share a key:
                       // the first that applies writes the message
  std::string target;  // a recipient key of catalog/recipients.yaml (akasse, jobcenter, aub, stil, ...)
  std::string legal_ref;
  std::vector<int> contact_groups;     // empty = every contact group
  bool akasse_members_only = false;    // only for persons with an a-kasse membership on the day
  // Only after the membership has ended: no a-kasse membership on the day, and an earlier one; target akasse is then
  // the a-kasse of the latest membership begun before the day (§ 154 stk. 5, seed 002 §6.1: "seneste a-kasse").
  bool after_membership = false;
  std::vector<Channel> from_channels;  // empty = whoever registered it
  std::optional<int> age_below;        // the person is younger than this many years on the day
  std::optional<Date> born_from;       // birth date on or after (inclusive)
  std::optional<Date> born_to;         // birth date on or before (inclusive)
  std::optional<Date> period_from;     // the record's period overlaps [period_from, period_to] (inclusive)
  std::optional<Date> period_to;
  std::string when_field;  // the record's field `when_field` holds one of `when_codes`
  std::vector<std::string> when_codes;
  bool fields_given = false;  // `fields:` present: only these fields are passed on ([] = none)
  std::vector<std::string> fields;
  // `with_record`: the person has a current record of `with_type` on the day (its period covers the day), whose
  // field `with_when_field` holds one of `with_when_codes` when given; `with_fields` of that record are passed
  // on as well (§ 47 stk. 2: the education plan's support needs with an admission event).
  std::string with_type;
  std::string with_when_field;
  std::vector<std::string> with_when_codes;
  std::string with_has_field;  // `with_record.has`: the record's field `with_has_field` is given (not empty)
  std::vector<std::string> with_fields;
  // The recipient when it is not the target's own (its kind and id in catalog/recipients.yaml): a recipient kind
  // of that file and the outbox recipient id.
  std::string recipient_kind;
  std::string recipient;
  // The a-kasse (target akasse) named by a field instead of the membership: `recipient_field` of the forwarded
  // record, or `with_record.recipient_field` of the latest current record asked for (§ 56 stk. 4, 2nd sentence:
  // the a-kasse that places the member in a concrete recruitment).
  std::string recipient_field;
  std::string with_recipient_field;
  std::string text_da;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

struct RecordCode {
  std::string key;
  std::string name_da;
  std::string name_en;  // optional: "" when the list gives none
  Validity validity;
  std::vector<SourceRef> sources;
};
struct RecordCodeList {
  std::string key;
  std::string name_da;
  std::vector<RecordCode> codes;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// A purpose-bound lookup of a person's current records by a system of `channels` that need not stand in any
// relation to the person (§ 61 stk. 5: an a-kasse asks for a prospective member's current membership): the asker
// states a purpose, a code of the type's list `purpose_code_list`; the answer holds `fields` of the records whose
// period contains the day. The lookup and its purpose are audited by the service (docs/api.md "Opslag").
struct RecordLookup {
  std::vector<Channel> channels;
  std::string purpose_code_list;
  std::vector<std::string> fields;
  std::string legal_ref;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// A rule beyond the declaration: a named module of the registry (src/registry/record_rules.h).
struct RecordRuleRef {
  std::string module;
  std::string legal_ref;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// Built-in areas with a `reason` field only: reasons that only `channels` may create and end (seed 001:239,
// "Kontaktforløb er hos a-kassen" only by the a-kasse).
struct ReservedReasons {
  std::vector<int> reasons;
  std::vector<Channel> channels;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

// A built-in command (docs/commands.md) of a built-in command area: its name, the area's fields it takes and
// which of them are required. Parsed generically (registry/builtin_command.h); the rules beyond the form are
// the registry's modules its area names (`rules`, registry/builtin_rules.h).
struct BuiltinCommand {
  std::string name;
  RecordAction action = RecordAction::kCreate;  // what it does to the area's entities
  std::vector<int> fields;                      // indices into the area's fields: required ones first
  size_t required_count = 0;                    // fields[0, required_count) are required
  std::vector<Channel> channels;                // empty = every actor whose `may` has the action; else only these
  std::string legal_ref;
  std::vector<SourceRef> sources;
  FileRef defined_at;
};

struct RecordType {
  std::string key;  // also the stored kind
  std::string name_da;
  std::string name_en;
  int chapter = 0;  // seed 000 chapter
  std::string legal_ref;
  std::vector<SourceRef> sources;
  Validity validity;                         // registration date: create and change; corrections stay possible
  std::string id_field;                      // the entity reference of change/correct/delete ("<key>_id")
  std::string commands[kRecordActionCount];  // command name per action ("" for read)
  std::optional<PeriodDecl> period;
  std::vector<ScopeEntry> scope;
  std::vector<ActorRule> actors;
  std::vector<FieldDecl> fields;
  std::string deadline_da;  // the reporting deadline as the source states it
  std::vector<SourceRef> deadline_sources;
  FileRef deadline_at;
  std::vector<ForwardTarget> forward;
  std::vector<std::string> citizen_view;  // fields shown to the citizen (Jobnet); empty = not shown
  std::vector<SourceRef> citizen_view_sources;
  FileRef citizen_view_at;
  // Fields shown to the citizen on Borger.dk (§ 61 stk. 6, 2nd sentence), with the same rule modules' filter as
  // the Jobnet view; empty = not shown there.
  std::vector<std::string> borger_dk_view;
  std::vector<SourceRef> borger_dk_view_sources;
  FileRef borger_dk_view_at;
  std::optional<RecordLookup> lookup;  // nullopt: the type has no purpose-bound lookup
  std::vector<RecordCodeList> codelists;
  std::vector<RecordRuleRef> rules;
  FileRef defined_at;
  // Built-in command areas only (Model::builtin_areas): the stored kind of docs/storage.md its commands write
  // (a registry FactKind key), and its commands.
  std::string stored_as;
  std::vector<BuiltinCommand> builtin_commands;
  std::vector<ReservedReasons> reserved_reasons;

  // Index of field `key` in `fields`, or -1.
  int FieldIndex(const std::string& key) const;
  // The actor rule for `channel` in force on `date`, or nullptr.
  const ActorRule* ActorOn(Channel channel, Date date) const;
  // Built-in areas: the scope entry named `key` in force on `date` for `channel` — the channel's actor's own
  // entries named `key` when it declares any (in force on `date` or not), else the area's — or nullptr.
  const ScopeEntry* ScopeFor(const std::string& key, Channel channel, Date date) const;
};

}  // namespace dfdg::catalog
