#include "registry/record_schema.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace dfdg::registry {
namespace {

using Json = nlohmann::ordered_json;
using catalog::FieldDecl;
using catalog::FieldType;
using catalog::RecordAction;
using catalog::RecordType;

std::string Refs(const std::vector<catalog::SourceRef>& sources) {
  std::string out;
  for (const auto& s : sources) out += (out.empty() ? "" : ", ") + s.seed + ":" + std::to_string(s.line);
  return out;
}

std::string At(const catalog::FileRef& at) { return at.file + ":" + std::to_string(at.line); }

bool InForce(const Validity& validity, std::optional<Date> date) { return !date || validity.Contains(*date); }

class SchemaBuilder {
 public:
  SchemaBuilder(const catalog::Catalog& catalog, std::optional<Date> date) : catalog_(catalog), date_(date) {}

  // The schema of one field's value (`stored`: as in outputs, CPR masked).
  Json Value(const RecordType& type, const FieldDecl& f, bool stored) const {
    Json s;
    switch (f.type) {
      case FieldType::kDate:
        s = {{"type", "string"}, {"format", "date"}};
        break;
      case FieldType::kDateTime:
        s = {{"type", "string"}, {"pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$"}};
        break;
      case FieldType::kInt:
      case FieldType::kDecimal:
        s = {{"type", f.type == FieldType::kInt ? "integer" : "number"}};
        for (auto [key, bound] : {std::pair{"minimum", f.min}, std::pair{"maximum", f.max}}) {
          if (bound) s[key] = f.type == FieldType::kInt ? Json(static_cast<int64_t>(*bound)) : Json(*bound);
        }
        break;
      case FieldType::kText:
        s = {{"type", "string"}, {"maxLength", f.max_length}};
        break;
      case FieldType::kBool:
        s = {{"type", "boolean"}};
        break;
      case FieldType::kCvr:
        s = {{"type", "string"}, {"pattern", "^[1-9][0-9]{7}$"}, {"description", "CVR number, modulus-11 checked"}};
        break;
      case FieldType::kPNumber:
        s = {{"type", "string"}, {"pattern", "^[0-9]{10}$"}};
        break;
      case FieldType::kCpr:
        s = {{"type", "string"}, {"pattern", stored ? "^[0-9]{6}-\\*{4}$" : "^[0-9]{6}-?[0-9]{4}$"}};
        break;
      case FieldType::kCode:
        s = {{"type", "string"}, {"enum", catalog_.RecordCodeKeys(type, f.code_list, date_)}};
        break;
      case FieldType::kMunicipality: {
        Json codes = Json::array();
        for (const auto& m : catalog_.model().municipalities) codes.push_back(m.code);
        s = {{"type", "integer"}, {"enum", codes}};
        break;
      }
      case FieldType::kTime:
        s = {{"type", "string"}, {"pattern", "^([01][0-9]|2[0-3]):[0-5][0-9]$"}};
        break;
      case FieldType::kId:
        s = {{"type", "integer"}, {"minimum", 1}};
        break;
      case FieldType::kList: {
        Json item = Object(type, f.items, RecordAction::kCreate, stored);
        s = {{"type", "array"}, {"maxItems", f.max_items}, {"items", item}};
        break;
      }
    }
    return s;
  }

  Json Field(const RecordType& type, const FieldDecl& f, bool nullable, bool stored) const {
    Json value = Value(type, f, stored);
    Json s = nullable ? Json{{"anyOf", Json::array({value, Json{{"type", "null"}}})}} : value;
    s["title"] = f.name_da;
    s["description"] = f.name_en;
    if (!f.channels.empty()) {
      Json channels = Json::array();
      for (auto c : f.channels) channels.push_back(catalog::ChannelKey(c));
      s["x-dfdg-channels"] = channels;
    }
    if (!date_ && f.validity.from) s["x-dfdg-valid-from"] = FormatDate(*f.validity.from);
    if (!date_ && f.validity.to) s["x-dfdg-valid-to"] = FormatDate(*f.validity.to);
    s["x-dfdg-source"] = Refs(f.sources);
    s["x-dfdg-catalog"] = At(f.defined_at);
    return s;
  }

  // An object of `fields` (a list item, or the stored fields of a record).
  Json Object(const RecordType& type, const std::vector<FieldDecl>& fields, RecordAction action, bool stored) const {
    Json properties = Json::object();
    Json required = Json::array();
    for (const FieldDecl& f : fields) {
      if (!InForce(f.validity, date_)) continue;
      properties[f.key] = Field(type, f, false, stored);
      if (f.required && action == RecordAction::kCreate) required.push_back(f.key);
    }
    return Json{
        {"type", "object"}, {"properties", properties}, {"required", required}, {"additionalProperties", false}};
  }

  Json Command(const RecordType& type, RecordAction action) const {
    const std::string& name = type.commands[static_cast<int>(action)];
    Json properties = Json::object();
    Json required = Json::array({"command", "cpr"});
    properties["command"] = {{"const", name}};
    properties["id"] = {{"type", "string"}, {"maxLength", 128}, {"description", "idempotency key"}};
    properties["cpr"] = {{"type", "string"}, {"pattern", "^[0-9]{6}-?[0-9]{4}$"}};
    properties["registered_at"] = {{"type", "string"}, {"format", "date"}, {"description", "default: today"}};
    Json channels = Json::array();
    for (const auto& actor : type.actors) {
      Json channel = catalog::ChannelKey(actor.channel);
      if (InForce(actor.validity, date_) && actor.May(action) &&
          std::find(channels.begin(), channels.end(), channel) == channels.end()) {
        channels.push_back(channel);
      }
    }
    properties["channel"] = {{"enum", channels}, {"description", "who may; default jobcenter"}};
    properties["actor"] = {{"type", "string"}, {"maxLength", 64}};
    if (action != RecordAction::kCreate) {
      properties[type.id_field] = {{"type", "integer"}, {"minimum", 1}, {"description", "entity_id of the record"}};
      required.push_back(type.id_field);
    }
    std::map<std::string, Json> required_for;
    if (action != RecordAction::kDelete) {
      for (const FieldDecl& f : type.fields) {
        if (!InForce(f.validity, date_)) continue;
        bool is_required = f.required || !f.required_for.empty();
        properties[f.key] = Field(type, f, action != RecordAction::kCreate && !is_required, false);
        if (action != RecordAction::kCreate) continue;
        if (f.required) required.push_back(f.key);
        for (auto c : f.required_for) required_for[catalog::ChannelKey(c)].push_back(f.key);
      }
    }
    properties["comment"] = {{"type", "string"}, {"maxLength", 2000}};
    bool needs_comment = action == RecordAction::kCorrect || action == RecordAction::kDelete;
    if (needs_comment) required.push_back("comment");
    Json out{{"title", name},
             {"description", type.name_en + ": " + catalog::RecordActionKey(action)},
             {"type", "object"},
             {"properties", properties},
             {"required", required},
             {"additionalProperties", false},
             {"x-dfdg-record-type", type.key},
             {"x-dfdg-action", catalog::RecordActionKey(action)},
             {"x-dfdg-source", Refs(type.sources)},
             {"x-dfdg-catalog", At(type.defined_at)}};
    if (!required_for.empty()) out["x-dfdg-required-for"] = required_for;
    return out;
  }

  // A built-in command (catalog/records/builtin/): the common fields and the fields it takes. Nulls are
  // accepted for every field (the same as absent).
  Json Builtin(const RecordType& area, const catalog::BuiltinCommand& command) const {
    Json properties = Json::object();
    // The project area's commands name no person (stored on the subject kProjectSubject, docs/decisions/0039).
    const bool person = area.stored_as != "project";
    Json required = person ? Json::array({"command", "cpr"}) : Json::array({"command"});
    properties["command"] = {{"const", command.name}};
    properties["id"] = {{"type", "string"}, {"maxLength", 128}, {"description", "idempotency key"}};
    if (person) properties["cpr"] = {{"type", "string"}, {"pattern", "^[0-9]{6}-?[0-9]{4}$"}};
    properties["registered_at"] = {{"type", "string"}, {"format", "date"}, {"description", "default: today"}};
    properties["channel"] = {{"enum", {"jobcenter", "akasse", "citizen", "ksd", "dfdg", "udb"}},
                             {"description", "default jobcenter; declared actors: x-dfdg-actors"}};
    properties["actor"] = {{"type", "string"}, {"maxLength", 64}};
    // The channels the area declares for this command's action (and the command's own `channels`, if any).
    Json actors = Json::array();
    for (const auto& actor : area.actors) {
      const auto& only = command.channels;
      Json channel = catalog::ChannelKey(actor.channel);
      if (InForce(actor.validity, date_) && actor.May(command.action) &&
          (only.empty() || std::find(only.begin(), only.end(), actor.channel) != only.end()) &&
          std::find(actors.begin(), actors.end(), channel) == actors.end()) {
        actors.push_back(channel);
      }
    }
    for (size_t i = 0; i < command.fields.size(); ++i) {
      const FieldDecl& f = area.fields[static_cast<size_t>(command.fields[i])];
      if (!InForce(f.validity, date_)) continue;
      bool is_required = i < command.required_count;
      properties[f.key] = Field(area, f, !is_required, false);
      if (is_required) required.push_back(f.key);
    }
    return Json{{"title", command.name},
                {"description", area.name_en + ": " + catalog::RecordActionKey(command.action)},
                {"type", "object"},
                {"properties", properties},
                {"required", required},
                {"additionalProperties", false},
                {"x-dfdg-builtin-area", area.key},
                {"x-dfdg-actors", actors},
                {"x-dfdg-stored-as", area.stored_as},
                {"x-dfdg-action", catalog::RecordActionKey(command.action)},
                {"x-dfdg-legal-ref", command.legal_ref},
                {"x-dfdg-source", Refs(command.sources)},
                {"x-dfdg-catalog", At(command.defined_at)}};
  }

  Json Stored(const RecordType& type) const {
    Json actions = Json::array();
    for (int a = 0; a < 4; ++a) actions.push_back(catalog::RecordActionKey(static_cast<RecordAction>(a)));
    Json properties{{"entity_id", {{"type", "integer"}}},
                    {"kind", {{"const", type.key}}},
                    {"seq", {{"type", "integer"}}},
                    {"action", {{"enum", actions}}},
                    {"deleted", {{"type", "boolean"}}},
                    {"start", {{"type", "string"}, {"format", "date"}}},
                    {"end", {{"type", Json::array({"string", "null"})}, {"format", "date"}}},
                    {"fields", Object(type, type.fields, RecordAction::kChange, true)}};
    return Json{{"title", type.key + ".record"},
                {"description", type.name_en + ": one stored version"},
                {"type", "object"},
                {"properties", properties},
                {"x-dfdg-record-type", type.key}};
  }

 private:
  const catalog::Catalog& catalog_;
  std::optional<Date> date_;
};

// A range bound as written in the declaration: integers without a fraction.
std::string Bound(const FieldDecl& f, double bound) {
  return f.type == FieldType::kInt ? std::to_string(static_cast<int64_t>(bound)) : Json(bound).dump();
}

std::string TypeText(const FieldDecl& f) {
  std::string type = catalog::FieldTypeKey(f.type);
  if (f.type == FieldType::kText) type.append(" ≤ ").append(std::to_string(f.max_length));
  if (f.type == FieldType::kCode) type.append(" (`").append(f.code_list).append("`)");
  if (f.type == FieldType::kList) {
    type.append(" ≤ ").append(std::to_string(f.max_items)).append(" of {");
    for (size_t i = 0; i < f.items.size(); ++i) {
      type.append(i ? ", " : "").append(f.items[i].key).append(f.items[i].required ? "" : "?");
    }
    type += "}";
  }
  if (f.min || f.max) {
    type.append(" ")
        .append(f.min ? Bound(f, *f.min) : std::string())
        .append("–")
        .append(f.max ? Bound(f, *f.max) : std::string());
  }
  return type;
}

// A built-in area's actors (with the reasons a channel may create), reserved reasons, commands that name their
// channels, and named scope entries (the personkreds its rule modules ask for).
void AreaActors(const RecordType& area, std::ostringstream& md) {
  md << "\n| actor | may | reasons | valid | source |\n|---|---|---|---|---|\n";
  for (const auto& actor : area.actors) {
    std::string may;
    for (auto action : actor.may) may.append(may.empty() ? "" : ", ").append(catalog::RecordActionKey(action));
    std::string reasons = "all";
    if (actor.reasons) {
      reasons.clear();
      for (int r : *actor.reasons) reasons.append(reasons.empty() ? "" : ", ").append(std::to_string(r));
    }
    md << "| " << catalog::ChannelKey(actor.channel) << " | " << may << " | " << reasons << " | "
       << actor.validity.ToString() << " | " << Refs(actor.sources) << " |\n";
  }
  for (const auto& r : area.reserved_reasons) {
    std::string reasons, channels;
    for (int id : r.reasons) reasons.append(reasons.empty() ? "" : ", ").append(std::to_string(id));
    for (auto c : r.channels) channels.append(channels.empty() ? "" : ", ").append(catalog::ChannelKey(c));
    md << "\nOnly " << channels << " may create and end reason(s) " << reasons << " (" << Refs(r.sources) << ").\n";
  }
  for (const auto& c : area.builtin_commands) {
    if (c.channels.empty()) continue;
    std::string channels;
    for (auto ch : c.channels) channels.append(channels.empty() ? "" : ", ").append(catalog::ChannelKey(ch));
    md << "\n`" << c.name << "` only from: " << channels << ".\n";
  }
  auto rows = [&](const std::string& channel, const std::vector<catalog::ScopeEntry>& entries) {
    for (const auto& s : entries) {
      std::string groups;
      for (int g : s.contact_groups) groups.append(groups.empty() ? "" : ", ").append(std::to_string(g));
      for (int g : s.registered_jobseekers_only)
        groups.append(" (").append(std::to_string(g)).append(" only registered)");
      md << "| `" << s.key << "` | " << channel << " | " << (s.all_contact_groups ? "all (§ 15)" : groups) << " | "
         << catalog::ModeKey(s.mode) << " | " << s.validity.ToString() << " | " << s.legal_ref << " | "
         << Refs(s.sources) << " |\n";
    }
  };
  bool any = !area.scope.empty();
  for (const auto& actor : area.actors) any = any || !actor.scope.empty();
  if (!any) return;
  md << "\nPersons in scope (the entry a rule module names; an actor's own entry replaces the area's):\n\n"
     << "| scope | channel | contact groups | mode | valid | § | source |\n|---|---|---|---|---|---|---|\n";
  rows("default", area.scope);
  for (const auto& actor : area.actors) rows(catalog::ChannelKey(actor.channel), actor.scope);
}

// The built-in commands (catalog/records/builtin/): per area its commands with their required and optional
// fields, and its fields with type, slot and source.
void BuiltinReference(const catalog::Catalog& catalog, std::ostringstream& md) {
  md << "\n# Built-in commands\n\n"
     << "The commands of docs/commands.md, declared in catalog/records/builtin/*.yaml and parsed from the\n"
     << "declarations (docs/catalog-format.md \"Built-in command areas\"); their rules beyond the form are the\n"
     << "registry's rule modules each area names, run in that order. Each area's commands write the stored\n"
     << "kind named (docs/storage.md).\n";
  for (const RecordType& area : catalog.model().builtin_areas) {
    md << "\n## " << area.name_da << " (`" << area.key << "`) — " << area.name_en << "\n\n";
    md << "Seed 000 chapter " << area.chapter << ", " << area.legal_ref << " (" << Refs(area.sources) << "); catalogue "
       << At(area.defined_at) << "; stored as `" << area.stored_as << "`.\n\n";
    md << "| command | action | required | optional | § | source |\n|---|---|---|---|---|---|\n";
    for (const auto& command : area.builtin_commands) {
      std::string required;
      std::string optional;
      for (size_t i = 0; i < command.fields.size(); ++i) {
        std::string& list = i < command.required_count ? required : optional;
        list.append(list.empty() ? "`" : ", `")
            .append(area.fields[static_cast<size_t>(command.fields[i])].key)
            .append("`");
      }
      md << "| `" << command.name << "` | " << catalog::RecordActionKey(command.action) << " | "
         << (required.empty() ? "—" : required) << " | " << (optional.empty() ? "—" : optional) << " | "
         << command.legal_ref << " | " << Refs(command.sources) << " |\n";
    }
    md << "\n| field | type | slot | name (da) | name (en) | source |\n|---|---|---|---|---|---|\n";
    for (const auto& f : area.fields) {
      md << "| `" << f.key << "` | " << TypeText(f) << " | `" << catalog::CommandSlotKey(f.slot) << "` | " << f.name_da
         << " | " << f.name_en << " | " << Refs(f.sources) << " |\n";
    }
    for (const auto& list : area.codelists) {
      md << "\nCode list `" << list.key << "`: " << list.name_da << " (" << Refs(list.sources) << ").\n\n"
         << "| code | name (da) | valid | source |\n|---|---|---|---|\n";
      for (const auto& code : list.codes) {
        std::string valid = (code.validity.from ? FormatDate(*code.validity.from) : std::string("…")) + " – " +
                            (code.validity.to ? FormatDate(*code.validity.to) : std::string("…"));
        md << "| `" << code.key << "` | " << code.name_da << " | " << valid << " | " << Refs(code.sources) << " |\n";
      }
    }
    AreaActors(area, md);
    if (!area.rules.empty()) {
      md << "\n| rule module | § | source |\n|---|---|---|\n";
      for (const auto& rule : area.rules) {
        md << "| `" << rule.module << "` | " << rule.legal_ref << " | " << Refs(rule.sources) << " |\n";
      }
    }
  }
}

}  // namespace

nlohmann::ordered_json RecordSchema(const catalog::Catalog& catalog, const RecordType* only, std::optional<Date> date) {
  SchemaBuilder builder(catalog, date);
  Json defs = Json::object();
  for (const RecordType& type : catalog.model().record_types) {
    if ((only && &type != only) || !InForce(type.validity, date)) continue;
    for (int a = 0; a < 4; ++a) defs[type.commands[a]] = builder.Command(type, static_cast<RecordAction>(a));
    defs[type.key + ".record"] = builder.Stored(type);
  }
  if (!only) {
    for (const RecordType& area : catalog.model().builtin_areas) {
      for (const auto& command : area.builtin_commands) defs[command.name] = builder.Builtin(area, command);
    }
  }
  Json out{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
           {"title", "dfdg record commands (generated from catalog/records/)"}};
  if (date) out["x-dfdg-date"] = FormatDate(*date);
  out["$defs"] = defs;
  return out;
}

std::string RecordReference(const catalog::Catalog& catalog) {
  std::ostringstream md;
  md << "# Records of declared types — reference\n\n"
     << "<!-- Generated by `dfdg catalog reference` from catalog/records/*.yaml: do not edit. The test\n"
     << "     record_reference fails when this file is out of date; regenerate with\n"
     << "     `build/dfdg catalog reference > docs/records.md`. -->\n\n"
     << "Command and result shapes: docs/commands.md (\"Records of declared types\"); the JSON Schema of every\n"
     << "command: docs/record-schema.json (`dfdg catalog schema`). Sources are seed:line.\n";
  for (const RecordType& t : catalog.model().record_types) {
    md << "\n## " << t.name_da << " (`" << t.key << "`) — " << t.name_en << "\n\n";
    md << "Seed 000 chapter " << t.chapter << ", " << t.legal_ref << " (" << Refs(t.sources) << "); catalogue "
       << At(t.defined_at) << ".";
    if (t.validity.from || t.validity.to) md << " In force " << t.validity.ToString() << ".";
    md << "\n\n| command | action | channels | required |\n|---|---|---|---|\n";
    for (int a = 0; a < 4; ++a) {
      auto action = static_cast<RecordAction>(a);
      std::string channels;
      for (const auto& actor : t.actors) {
        if (actor.May(action))
          channels += (channels.empty() ? "" : ", ") + std::string(catalog::ChannelKey(actor.channel));
      }
      std::string required = action == RecordAction::kCreate ? "" : "`" + t.id_field + "`";
      if (action == RecordAction::kCreate) {
        for (const auto& f : t.fields) {
          if (f.required) required += (required.empty() ? "`" : ", `") + f.key + "`";
        }
      }
      if (action == RecordAction::kCorrect || action == RecordAction::kDelete) required += ", `comment`";
      md << "| `" << t.commands[a] << "` | " << catalog::RecordActionKey(action) << " | "
         << (channels.empty() ? "—" : channels) << " | " << required << " |\n";
    }
    md << "\n| field | type | required | name (da) | name (en) | source |\n|---|---|---|---|---|---|\n";
    for (const auto& f : t.fields) {
      std::string type = catalog::FieldTypeKey(f.type);
      if (f.type == FieldType::kText) type += " ≤ " + std::to_string(f.max_length);
      if (f.type == FieldType::kCode) type += " (`" + f.code_list + "`)";
      if (f.type == FieldType::kList) type += " ≤ " + std::to_string(f.max_items);
      if (f.min || f.max) {
        type.append(" ")
            .append(f.min ? Json(*f.min).dump() : std::string())
            .append("–")
            .append(f.max ? Json(*f.max).dump() : std::string());
      }
      std::string required = f.required ? "yes" : "";
      for (auto c : f.required_for) required += (required.empty() ? "" : ", ") + std::string(catalog::ChannelKey(c));
      std::string name = f.name_da;
      if (f.validity.from || f.validity.to) name += " (" + f.validity.ToString() + ")";
      md << "| `" << f.key << "` | " << type << " | " << (required.empty() ? "no" : required) << " | " << name << " | "
         << f.name_en << " | " << Refs(f.sources) << " |\n";
    }
    if (t.period) {
      md << "\nPeriod: `" << t.period->start_field << "`–"
         << (t.period->end_field.empty() ? "" : "`" + t.period->end_field + "`") << " (end inclusive), overlap "
         << (t.period->overlap_allowed ? "allowed" : "forbidden");
      if (t.period->backdate) md << ", backdating at most " << t.period->backdate->ToString();
      if (t.period->max_future_start) md << ", start at most " << t.period->max_future_start->ToString() << " ahead";
      md << " (" << Refs(t.period->sources) << ").\n";
    }
    md << "\nScope (judged on the registration date; the first matching row gives the mode; `default` applies to "
          "actors without their own rows):\n\n"
       << "| channel | contact groups | visitation | mode | § | source |\n|---|---|---|---|---|---|\n";
    auto scope_rows = [&](const std::string& channel, const std::vector<catalog::ScopeEntry>& entries) {
      for (const auto& s : entries) {
        std::string groups;
        for (int g : s.contact_groups) groups += (groups.empty() ? "" : ", ") + std::to_string(g);
        md << "| " << channel << " | "
           << (s.any_person           ? "any person"
               : s.all_contact_groups ? "all (§ 15)"
                                      : groups)
           << " | " << s.visitation.value_or("all") << " | " << catalog::ModeKey(s.mode) << " | " << s.legal_ref
           << " | " << Refs(s.sources) << " |\n";
      }
    };
    scope_rows("default", t.scope);
    for (const auto& actor : t.actors) scope_rows(catalog::ChannelKey(actor.channel), actor.scope);
    md << "\nActors: ";
    for (size_t i = 0; i < t.actors.size(); ++i) {
      const auto& actor = t.actors[i];
      std::string may;
      for (auto action : actor.may) may += (may.empty() ? "" : ", ") + std::string(catalog::RecordActionKey(action));
      md << (i ? "; " : "") << catalog::ChannelKey(actor.channel) << " (" << may << "; " << Refs(actor.sources) << ")";
    }
    md << ".\n";
    if (!t.deadline_da.empty()) md << "\nDeadline: " << t.deadline_da << " (" << Refs(t.deadline_sources) << ").\n";
    for (const auto& f : t.forward) {
      std::string when;
      for (int g : f.contact_groups) when += (when.empty() ? "contact group " : ", ") + std::to_string(g);
      if (f.akasse_members_only) when += std::string(when.empty() ? "" : "; ") + "a-kasse members";
      for (auto c : f.from_channels) {
        when += std::string(when.empty() ? "" : "; ") + "registered by " + catalog::ChannelKey(c);
      }
      auto also = [&when](const std::string& text) { when += (when.empty() ? "" : "; ") + text; };
      if (f.age_below) also("under " + std::to_string(*f.age_below) + " years");
      if (f.born_from || f.born_to) {
        also("born " + (f.born_from ? FormatDate(*f.born_from) : std::string("…")) + " to " +
             (f.born_to ? FormatDate(*f.born_to) : std::string("…")));
      }
      if (f.period_from && f.period_to) {
        also("period overlapping " + FormatDate(*f.period_from) + " to " + FormatDate(*f.period_to));
      }
      if (!f.when_field.empty()) {
        std::string codes;
        for (const auto& code : f.when_codes) codes += (codes.empty() ? "" : ", ") + code;
        also("`" + f.when_field + "` in " + codes);
      }
      if (!f.with_type.empty()) {
        std::string with = "a current `" + f.with_type + "`";
        if (!f.with_when_field.empty()) {
          std::string codes;
          for (const auto& code : f.with_when_codes) codes += (codes.empty() ? "" : ", ") + code;
          with += " with `" + f.with_when_field + "` in " + codes;
        }
        if (!f.with_fields.empty()) {
          std::string its;
          for (const auto& key : f.with_fields) its += (its.empty() ? "`" : ", `") + key + "`";
          with += " (its " + its + " passed on)";
        }
        also(with);
      }
      if (!f.recipient_field.empty()) also("to the a-kasse in `" + f.recipient_field + "`");
      if (!f.with_recipient_field.empty()) {
        also("to the a-kasse in the `" + f.with_type + "`'s `" + f.with_recipient_field + "`");
      }
      std::string fields;
      if (f.fields_given) {
        for (const auto& key : f.fields) fields += (fields.empty() ? "`" : ", `") + key + "`";
        fields = "; fields: " + (fields.empty() ? std::string("none beyond the period") : fields);
      }
      md << "\nPassed on to " << f.target
         << (f.recipient_kind.empty() ? "" : " (recipient " + f.recipient_kind + "/" + f.recipient + ")")
         << (f.key.empty() ? "" : " as `" + f.key + "`")
         << (f.legal_ref.empty() ? "" : " (" + f.legal_ref + ")") << (when.empty() ? "" : " when " + when) << fields
         << ": " << f.text_da << " (" << Refs(f.sources) << ").\n";
    }
    if (!t.citizen_view.empty()) {
      std::string fields;
      for (const auto& key : t.citizen_view) fields += (fields.empty() ? "`" : ", `") + key + "`";
      md << "\nShown to the citizen (Jobnet): " << fields << " (" << Refs(t.citizen_view_sources) << ").\n";
    }
    if (!t.borger_dk_view.empty()) {
      std::string fields;
      for (const auto& key : t.borger_dk_view) fields += (fields.empty() ? "`" : ", `") + key + "`";
      md << "\nShown to the citizen (Borger.dk): " << fields << " (" << Refs(t.borger_dk_view_sources) << ").\n";
    }
    if (t.lookup) {
      std::string fields;
      std::string channels;
      for (const auto& key : t.lookup->fields) fields += (fields.empty() ? "`" : ", `") + key + "`";
      for (catalog::Channel c : t.lookup->channels) {
        channels.append(channels.empty() ? "" : ", ").append(catalog::ChannelKey(c));
      }
      md << "\nLooked up by " << channels << " with a purpose of `" << t.lookup->purpose_code_list
         << "` (" << t.lookup->legal_ref << "): " << fields << " of the records current on the day ("
         << Refs(t.lookup->sources) << ").\n";
    }
    for (const auto& rule : t.rules) {
      md << "\nRule module `" << rule.module << "`: " << rule.legal_ref << " (" << Refs(rule.sources) << ").\n";
    }
  }
  BuiltinReference(catalog, md);
  return md.str();
}

}  // namespace dfdg::registry
