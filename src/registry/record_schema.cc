#include "registry/record_schema.h"

#include <algorithm>
#include <map>

#include "registry/record_schema_internal.h"

namespace dfdg::registry {
namespace {

using Json = nlohmann::ordered_json;
using catalog::FieldDecl;
using catalog::FieldType;
using catalog::RecordAction;
using catalog::RecordType;
using record_doc::At;
using record_doc::Refs;

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

}  // namespace dfdg::registry
