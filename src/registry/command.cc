#include "registry/command.h"

#include <iterator>

#include "registry/builtin_command.h"

namespace dfdg::registry {
namespace {

using Json = nlohmann::json;

// The built-in commands' public names (docs/commands.md), in CommandType order. Their fields are declared in
// catalog/records/builtin/*.yaml and parsed by builtin_command.cc.
constexpr const char* kCommandNames[] = {
    "set_contact_group", "end_contact_group", "set_visitation",        "register_jobseeker",  "deregister_jobseeker",
    "set_akasse",        "set_municipality",  "add_marking",           "end_marking",         "register_absence",
    "update_absence",    "end_absence",       "correct_absence",       "register_interview",  "correct_interview",
    "create_summons",    "update_summons",    "cancel_summons",        "acknowledge_summons", "rebook_summons",
    "book_meeting",      "create_deadline",   "change_deadline",       "annul_deadline",      "set_akasse_choice",
    "register_followup", "correct_followup",  "set_sickness_metadata", "set_cv_status",       "create_project",
    "close_project",     "correct_project",   "correct_marking",       "cancel_marking"};
static_assert(std::size(kCommandNames) == static_cast<size_t>(CommandType::kRecord));

class FormChecker {
 public:
  FormChecker(const catalog::Catalog& catalog, const Json& object, ParsedCommand* out)
      : catalog_(catalog), object_(object), out_(out) {}

  // A form violation of `field`, its detail in Danish and English.
  void Invalid(const std::string& field, const std::string& detail_da, const std::string& detail_en) {
    out_->violations.push_back(
        MakeViolation(catalog_, 1003, {{"field", field}, {"detail", detail_en}, {"detail_da", detail_da}}));
  }

  std::optional<std::string> Text(const char* field, size_t max_size = 200) {
    if (!object_.contains(field) || object_[field].is_null()) return std::nullopt;
    if (!object_[field].is_string()) {
      Invalid(field, "forventede tekst", "expected text");
      return std::nullopt;
    }
    std::string value = object_[field].get<std::string>();
    if (value.size() > max_size) {
      Invalid(field, "længere end " + std::to_string(max_size) + " tegn",
              "longer than " + std::to_string(max_size) + " characters");
      return std::nullopt;
    }
    return value;
  }

  std::optional<Date> DateField(const char* field) {
    if (!object_.contains(field) || object_[field].is_null()) return std::nullopt;
    if (!object_[field].is_string()) {
      out_->violations.push_back(
          MakeViolation(catalog_, 1005,
                        {{"field", field}, {"detail", "expected YYYY-MM-DD"}, {"detail_da", "forventede ÅÅÅÅ-MM-DD"}}));
      return std::nullopt;
    }
    auto date = ParseDate(object_[field].get<std::string>());
    if (!date.ok()) {
      out_->violations.push_back(MakeViolation(
          catalog_, 1005,
          {{"field", field}, {"detail", date.status().message()}, {"detail_da", date.status().message_da()}}));
      return std::nullopt;
    }
    return *date;
  }

 private:
  const catalog::Catalog& catalog_;
  const Json& object_;
  ParsedCommand* out_;
};

}  // namespace

const char* CommandName(CommandType type) {
  auto index = static_cast<size_t>(type);
  return index < std::size(kCommandNames) ? kCommandNames[index] : "unknown";
}

bool IsBuiltinCommand(std::string_view name) { return BuiltinCommandType(name).has_value(); }

bool IsProjectCommand(CommandType type) {
  return type == CommandType::kCreateProject || type == CommandType::kCloseProject ||
         type == CommandType::kCorrectProject;
}

bool IsPersonSubject(std::string_view key) { return key != kProjectSubject; }

bool NamesProject(const Command& command) {
  if (command.type == CommandType::kCorrectMarking || command.type == CommandType::kCancelMarking) return true;
  return command.type == CommandType::kAddMarking && command.Text("project") != nullptr;
}

ParsedCommand ParseCommand(const catalog::Catalog& catalog, const Json& object, Date today, std::string_view raw) {
  ParsedCommand out;
  if (!object.is_object()) {
    out.violations.push_back(MakeViolation(
        catalog, 1001, {{"detail", "expected a JSON object"}, {"detail_da", "forventede et JSON-objekt"}}));
    return out;
  }
  FormChecker check(catalog, object, &out);
  auto name = check.Text("command", 64);
  out.name = name.value_or("");
  // A built-in command needs both its CommandType (the planner) and its declaration (the catalogue).
  std::optional<CommandType> builtin = name ? BuiltinCommandType(*name) : std::nullopt;
  const CommandType builtin_type = builtin.value_or(CommandType::kRecord);
  catalog::BuiltinCommandRef builtin_ref = builtin ? catalog.FindBuiltinCommand(*name) : catalog::BuiltinCommandRef{};
  catalog::RecordCommandRef record_ref =
      name && !builtin_ref.command ? catalog.FindRecordCommand(*name) : catalog::RecordCommandRef{};
  if (!name) {
    if (!object.contains("command")) check.Invalid("command", "mangler", "missing");
  } else if (!builtin_ref.command && !record_ref.type) {
    out.violations.push_back(MakeViolation(catalog, 1002, {{"detail", *name}}));
  }
  Command c;
  c.id = check.Text("id", 128).value_or("");
  out.id = c.id;
  // A project command names a project, not a person (kProjectSubject): it takes no cpr.
  if (IsProjectCommand(builtin_type)) {
    if (object.contains("cpr")) check.Invalid("cpr", "et projekt har intet CPR-nummer", "a project has no CPR number");
  } else if (auto cpr_text = check.Text("cpr", 32)) {
    auto cpr = Cpr::Parse(*cpr_text);
    if (cpr.ok()) {
      c.cpr = *cpr;
      out.masked_cpr = cpr->Masked();
    } else {
      out.violations.push_back(
          MakeViolation(catalog, 1004, {{"detail", cpr.status().message()}, {"detail_da", cpr.status().message_da()}}));
    }
  } else if (!object.contains("cpr")) {
    check.Invalid("cpr", "mangler", "missing");
  }
  c.registered = check.DateField("registered_at").value_or(today);
  if (c.registered > today) {
    out.violations.push_back(
        MakeViolation(catalog, 1006, {{"registered", FormatDate(c.registered)}, {"today", FormatDate(today)}}));
  }
  if (auto channel = check.Text("channel", 32)) {
    if (auto parsed = catalog::ParseChannel(*channel)) {
      c.channel = *parsed;
    } else {
      check.Invalid("channel", "skal være jobcenter, akasse, citizen, ksd eller dfdg",
                    "must be jobcenter, akasse, citizen, ksd or dfdg");
    }
  }
  c.actor = check.Text("actor", 64).value_or("");
  if (record_ref.type) {
    // A declared record type: its fields come from the catalogue (registry/record.h).
    c.type = CommandType::kRecord;
    c.record = ParseRecordRequest(catalog, record_ref, object, c.registered, c.channel, &out.violations);
    c.canonical = (raw.empty() ? object.dump() : std::string(raw)) + " @" + FormatDate(c.registered);
    if (out.violations.empty()) out.command = std::move(c);
    return out;
  }
  if (!builtin_ref.command) return out;

  // A built-in command: its fields from its declaration (catalog/records/builtin/), one generic mapping.
  c.type = builtin_type;
  ParseBuiltinFields(catalog, builtin_ref, object, c.registered, c.channel, &c, &out.violations);
  // The request as sent, plus the registration date it was applied on (so a repeat on another day with no
  // registered_at is a different request).
  c.canonical = (raw.empty() ? object.dump() : std::string(raw)) + " @" + FormatDate(c.registered);
  if (out.violations.empty()) out.command = std::move(c);
  return out;
}

ParsedCommand ParseCommandLine(const catalog::Catalog& catalog, std::string_view line, Date today) {
  if (line.size() > kMaxCommandLineBytes) {
    ParsedCommand out;
    out.violations.push_back(MakeViolation(
        catalog, 1010, {{"detail", std::to_string(line.size())}, {"limit", std::to_string(kMaxCommandLineBytes)}}));
    return out;
  }
  Json object = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) {
    ParsedCommand out;
    out.violations.push_back(MakeViolation(catalog, 1001, {{"detail", "syntax error"}, {"detail_da", "syntaksfejl"}}));
    return out;
  }
  return ParseCommand(catalog, object, today, line);
}

}  // namespace dfdg::registry
