#include "registry/builtin_command.h"

#include <unordered_map>

#include "registry/fact.h"
#include "registry/field_value_internal.h"

namespace dfdg::registry {
namespace {

using Json = nlohmann::json;
using catalog::CommandSlot;
using catalog::FieldDecl;
using catalog::FieldType;

bool IsCommonField(std::string_view key) {
  return key == "command" || key == "cpr" || key == "id" || key == "registered_at" || key == "channel" ||
         key == "actor";
}

void FillDate(CommandSlot slot, const std::string& key, Date date, Command* c) {
  switch (slot) {
    case CommandSlot::kStart:
      c->start = date;
      break;
    case CommandSlot::kEnd:
      c->end = date;
      break;
    case CommandSlot::kEventDate:
      c->event_date = date;
      break;
    case CommandSlot::kDate:
      c->date = date;
      break;
    case CommandSlot::kDates:
      c->dates[key] = date;
      break;
    default:  // the loader admits only date slots for date fields (record_checks.cc)
      break;
  }
}

// Puts the checked value `v` (stored JSON form) of field `decl` into the member its slot names.
void Fill(const FieldDecl& decl, Json&& v, Command* c) {
  switch (decl.slot) {
    case CommandSlot::kContactGroup:
      c->contact_group = v.get<int>();
      break;
    case CommandSlot::kReason:
      c->reason = v.get<int>();
      break;
    case CommandSlot::kRegistrationCategory:
      c->registration_category = v.get<int>();
      break;
    case CommandSlot::kMunicipality:
      c->municipality = v.get<int>();
      break;
    case CommandSlot::kLedighedsgrad:
      c->ledighedsgrad = v.get<int>();
      break;
    case CommandSlot::kVisitation:
      c->visitation = std::move(v.get_ref<std::string&>());
      break;
    case CommandSlot::kAkasse:
      c->akasse = std::move(v.get_ref<std::string&>());
      break;
    case CommandSlot::kMarking:
      c->marking = std::move(v.get_ref<std::string&>());
      break;
    case CommandSlot::kInterviewType:
      c->interview_type = std::move(v.get_ref<std::string&>());
      break;
    case CommandSlot::kDeregistrationReason:
      c->deregistration_reason = std::move(v.get_ref<std::string&>());
      break;
    case CommandSlot::kComment:
      c->comment = std::move(v.get_ref<std::string&>());
      break;
    case CommandSlot::kTexts:
      c->texts[decl.key] = std::move(v.get_ref<std::string&>());
      break;
    case CommandSlot::kAbsenceId:
      c->absence_id = v.get<int64_t>();
      break;
    case CommandSlot::kTargetId:
      c->target_id = v.get<int64_t>();
      break;
    case CommandSlot::kMindreIntensiv:
      c->mindre_intensiv = v.get<bool>();
      break;
    case CommandSlot::kFlags:
      c->flags[decl.key] = v.get<bool>();
      break;
    case CommandSlot::kJobTitles:
      for (const Json& item : v) {
        auto code = item.find("code");
        auto alias = item.find("alias");
        c->job_titles.push_back(JobTitle{code != item.end() && code->is_string() ? code->get<std::string>() : "",
                                         alias != item.end() && alias->is_string() ? alias->get<std::string>() : ""});
      }
      break;
    case CommandSlot::kParticipants:
      c->participants = std::move(v);
      break;
    case CommandSlot::kStart:
    case CommandSlot::kEnd:
    case CommandSlot::kEventDate:
    case CommandSlot::kDate:
    case CommandSlot::kDates:
    case CommandSlot::kNone:
      break;
  }
}

// The built-in commands and the planner's CommandType of each (the public names of docs/commands.md).
const std::unordered_map<std::string_view, CommandType>& TypesByName() {
  static const auto* types = [] {
    auto* map = new std::unordered_map<std::string_view, CommandType>();
    for (int t = 0; t < static_cast<int>(CommandType::kRecord); ++t) {
      auto type = static_cast<CommandType>(t);
      (*map)[CommandName(type)] = type;
    }
    return map;
  }();
  return *types;
}

}  // namespace

std::optional<CommandType> BuiltinCommandType(std::string_view name) {
  auto it = TypesByName().find(name);
  return it == TypesByName().end() ? std::nullopt : std::optional<CommandType>(it->second);
}

void ParseBuiltinFields(const catalog::Catalog& catalog, catalog::BuiltinCommandRef ref, const Json& object,
                        Date registered, catalog::Channel channel, Command* command,
                        std::vector<Violation>* violations) {
  const catalog::RecordType& area = *ref.area;
  const catalog::BuiltinCommand& declared = *ref.command;
  FieldValueParser parser(catalog, area, registered, channel, violations);
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    if (IsCommonField(key)) continue;
    const FieldDecl* decl = nullptr;
    for (int index : declared.fields) {
      if (area.fields[static_cast<size_t>(index)].key == key) {
        decl = &area.fields[static_cast<size_t>(index)];
        break;
      }
    }
    if (!decl) {
      parser.Add(1003,
                 {{"field", key},
                  {"detail", "not a field of " + declared.name},
                  {"detail_da", "ikke et felt i " + declared.name}},
                 nullptr, &declared.defined_at, &declared.sources);
      continue;
    }
    if (!decl->validity.Contains(registered)) {
      std::string on = FormatDate(registered);
      parser.Invalid(key, decl, std::string("ikke et felt i ").append(declared.name).append(" pr. ").append(on),
                     std::string("not a field of ").append(declared.name).append(" on ").append(on));
      continue;
    }
    if (!decl->AllowedFor(channel)) {
      parser.Invalid(key, decl, std::string("må ikke angives af kanalen ") + catalog::ChannelKey(channel),
                     std::string("may not be given by channel ") + catalog::ChannelKey(channel));
      continue;
    }
    const Json& value = it.value();
    if (value.is_null()) continue;  // the same as absent
    if (decl->type == FieldType::kDate) {
      if (auto date = parser.DateValue(*decl, value, key)) FillDate(decl->slot, decl->key, *date, command);
    } else if (auto checked = parser.Value(*decl, value, key)) {
      Fill(*decl, std::move(*checked), command);
    }
  }
  for (size_t i = 0; i < declared.required_count; ++i) {
    const FieldDecl& decl = area.fields[static_cast<size_t>(declared.fields[i])];
    auto found = object.find(decl.key);
    if ((found == object.end() || found->is_null()) && decl.validity.Contains(registered)) {
      parser.Invalid(decl.key, &decl, "mangler", "missing");
    }
  }
}

std::vector<std::string> CheckBuiltinDeclarations(const catalog::Catalog& catalog) {
  std::vector<std::string> errors;
  auto at = [](const catalog::FileRef& ref) { return ref.file + ":" + std::to_string(ref.line) + ": "; };
  for (const catalog::RecordType& area : catalog.model().builtin_areas) {
    if (!ParseFactKind(area.stored_as) || area.stored_as == FactKindKey(FactKind::kRecord)) {
      errors.push_back(at(area.defined_at) + "area '" + area.key + "': stored_as '" + area.stored_as +
                       "' is no built-in stored kind (docs/storage.md)");
    }
    for (const catalog::BuiltinCommand& command : area.builtin_commands) {
      if (!BuiltinCommandType(command.name)) {
        errors.push_back(at(command.defined_at) + "command '" + command.name + "' is no built-in command");
      }
    }
  }
  for (int t = 0; t < static_cast<int>(CommandType::kRecord); ++t) {
    const char* name = CommandName(static_cast<CommandType>(t));
    if (!catalog.FindBuiltinCommand(name).command) {
      errors.push_back(std::string("catalog/records/builtin: built-in command '") + name + "' is not declared");
    }
  }
  return errors;
}

}  // namespace dfdg::registry
