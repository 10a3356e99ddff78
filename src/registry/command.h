// Registry commands: the JSON shapes of docs/commands.md, parsed and checked for form (not yet for rules).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "core/cpr.h"
#include "registry/record.h"
#include "registry/violation.h"

namespace dfdg::registry {

enum class CommandType {
  kSetContactGroup,
  kEndContactGroup,
  kSetVisitation,
  kRegisterJobseeker,
  kDeregisterJobseeker,
  kSetAkasse,
  kSetMunicipality,
  kAddMarking,
  kEndMarking,
  kRegisterAbsence,
  kUpdateAbsence,
  kEndAbsence,
  kCorrectAbsence,
  kRegisterInterview,
  kCorrectInterview,
  kCreateSummons,
  kUpdateSummons,
  kCancelSummons,
  kAcknowledgeSummons,
  kRebookSummons,
  kBookMeeting,
  kCreateDeadline,
  kChangeDeadline,
  kAnnulDeadline,
  kSetAkasseChoice,
  kRegisterFollowUp,
  kCorrectFollowUp,
  kSetSicknessMetadata,
  kSetCvStatus,
  kCreateProject,   // § 135 stk. 4-5: a job centre's or a-kasse's own person-group project (kProjectSubject)
  kCloseProject,
  kCorrectProject,
  kCorrectMarking,  // § 135 with § 34 stk. 4's berigtigelse: a marking's new start or end, with its reason
  kCancelMarking,   // a wrong marking taken back (deletion-marked, history kept)
  kRecord,  // a command of a declared record type (Command::record)
};

const char* CommandName(CommandType type);
// True when `name` is one of the built-in commands of docs/commands.md (catalog/records/builtin/).
bool IsBuiltinCommand(std::string_view name);

// The registry subject that holds the person-group projects created at run time (docs/decisions/0039): a key of
// the store's person rows that is no CPR number (the store never parses it; the daily run and the measurement
// skip it). Its entities are the projects, one per project id.
inline constexpr const char* kProjectSubject = "projekter";
// True for the project commands (create_project, close_project, correct_project): they name no person.
bool IsProjectCommand(CommandType type);
// True when `key` (a store row's key) is a person's CPR digits, not the project subject.
bool IsPersonSubject(std::string_view key);

struct JobTitle {
  std::string code;
  std::string alias;
};

struct Command {
  CommandType type = CommandType::kRegisterAbsence;
  std::string id;  // idempotency key ("" = none)
  std::optional<Cpr> cpr;  // every command but the project commands
  Date registered{};  // registered_at, or today
  catalog::Channel channel = catalog::Channel::kJobcenter;
  std::string actor;

  std::optional<int> contact_group;
  std::optional<int> reason;
  std::optional<int> registration_category;  // tilmeldekategori
  std::optional<int> municipality;
  std::optional<int> ledighedsgrad;
  std::optional<std::string> visitation;
  std::optional<std::string> akasse;
  std::optional<std::string> marking;
  std::optional<std::string> interview_type;
  std::optional<std::string> deregistration_reason;
  std::optional<std::string> comment;
  std::optional<Date> start;
  std::optional<Date> end;
  std::optional<Date> event_date;
  std::optional<Date> date;
  std::optional<int64_t> absence_id;
  bool mindre_intensiv = false;
  std::vector<JobTitle> job_titles;

  // Contact-course commands (docs/commands.md): the entity they change (summons_id, deadline_id,
  // interview_id, followup_id), and their further fields by type.
  std::optional<int64_t> target_id;
  std::map<std::string, Date> dates;         // deadline, rebooking_from, rebooking_to, partial_recovery_from
  std::map<std::string, std::string> texts;  // start_time, end_time, form, type, place, agreements, ...
  std::map<std::string, bool> flags;         // rebooking_possible, wants_akasse, cv_not_adequate, ...
  nlohmann::json participants = nlohmann::json::array();  // [{name, role, form}]

  const std::string* Text(const std::string& key) const {
    auto it = texts.find(key);
    return it == texts.end() ? nullptr : &it->second;
  }
  std::optional<Date> DateOf(const std::string& key) const {
    auto it = dates.find(key);
    return it == dates.end() ? std::nullopt : std::optional<Date>(it->second);
  }
  std::optional<bool> Flag(const std::string& key) const {
    auto it = flags.find(key);
    return it == flags.end() ? std::nullopt : std::optional<bool>(it->second);
  }

  // The store row the command writes: the person's CPR digits, or kProjectSubject for a project command.
  // REQUIRES: a parsed command (cpr set unless IsProjectCommand(type)).
  std::string Subject() const { return cpr ? cpr->digits() : std::string(kProjectSubject); }
  // kRecord: the typed request (type, action, entity, field slots).
  std::shared_ptr<const RecordRequest> record;

  std::string canonical;  // the request JSON + " @" + registration date (idempotency comparison, audit)
};

struct ParsedCommand {
  std::optional<Command> command;     // set when the form is valid
  std::vector<Violation> violations;  // form errors (1xxx), every one found
  std::string name;                   // the "command" field as given, for results
  std::string masked_cpr;             // for results, when the CPR parsed
  std::string id;
};

// True for an add_marking that names a project, and for correct_marking and cancel_marking (whose marking may name
// one): their validation reads the run-time projects (kProjectSubject).
bool NamesProject(const Command& command);

// Parses one JSON object. `today` is the clock's day (default registered_at; later dates are refused).
// `raw`, when given, is the object's text as received (kept as the audit request instead of re-serializing).
ParsedCommand ParseCommand(const catalog::Catalog& catalog, const nlohmann::json& object, Date today,
                           std::string_view raw = {});
// The longest accepted command line (bytes), for `dfdg apply` and `POST /v1/batch` (docs/commands.md). A technical
// limit, not a rule of the data order: the largest command (50 participants, 100 job titles) is far smaller.
inline constexpr size_t kMaxCommandLineBytes = 1 << 20;

// Parses one line of JSON Lines (malformed JSON → violation 1001; longer than kMaxCommandLineBytes → 1010).
ParsedCommand ParseCommandLine(const catalog::Catalog& catalog, std::string_view line, Date today);

}  // namespace dfdg::registry
