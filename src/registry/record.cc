#include "registry/record.h"

#include <cctype>

#include "core/cpr.h"
#include "registry/field_value_internal.h"

namespace dfdg::registry {
namespace {

using Json = nlohmann::json;
using catalog::FieldDecl;
using catalog::FieldType;
using catalog::RecordAction;

constexpr size_t kMaxCommentBytes = 2000;

bool AllDigits(const std::string& text, size_t size) {
  if (text.size() != size) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

class RecordParser {
 public:
  RecordParser(const catalog::Catalog& catalog, catalog::RecordCommandRef ref, Date registered,
               catalog::Channel channel, std::vector<Violation>* violations)
      : type_(*ref.type),
        action_(ref.action),
        registered_(registered),
        channel_(channel),
        fields_(catalog, *ref.type, registered, channel, violations) {}

  std::shared_ptr<const RecordRequest> Run(const Json& object) {
    auto request = std::make_shared<RecordRequest>();
    request->type = &type_;
    request->action = action_;
    request->values.resize(type_.fields.size());
    static const char* const kCommon[] = {"command", "id", "cpr", "registered_at", "channel", "actor"};
    const std::string& command = type_.commands[static_cast<int>(action_)];
    bool has_fields = action_ != RecordAction::kDelete;
    bool has_id = action_ != RecordAction::kCreate;
    for (auto it = object.begin(); it != object.end(); ++it) {
      const std::string& key = it.key();
      bool common = false;
      for (const char* c : kCommon) common = common || key == c;
      if (common || key == "comment" || (has_id && key == type_.id_field)) continue;
      int index = has_fields ? type_.FieldIndex(key) : -1;
      if (index < 0) {
        Invalid(key, nullptr, "ikke et felt i " + command, "not a field of " + command);
        continue;
      }
      const FieldDecl& decl = type_.fields[index];
      if (!decl.validity.Contains(registered_)) {
        Invalid(key, &decl, "ikke et felt i " + command + " pr. " + FormatDate(registered_),
                "not a field of " + command + " on " + FormatDate(registered_));
        continue;
      }
      if (!decl.AllowedFor(channel_)) {
        Invalid(key, &decl, std::string("må ikke angives af kanalen ") + catalog::ChannelKey(channel_),
                std::string("may not be given by channel ") + catalog::ChannelKey(channel_));
        continue;
      }
      FieldValue& slot = request->values[index];
      if (it.value().is_null()) {
        if (action_ == RecordAction::kCreate) continue;  // same as absent
        if (decl.required || !decl.required_for.empty()) {
          Invalid(key, &decl, "kan ikke fjernes (obligatorisk felt)", "cannot be cleared (a required field)");
        } else {
          slot.state = FieldValue::State::kCleared;
        }
        continue;
      }
      if (auto value = Value(decl, it.value(), key)) {
        slot.state = FieldValue::State::kSet;
        slot.value = std::move(*value);
      }
    }
    if (action_ == RecordAction::kCreate) {
      for (size_t i = 0; i < type_.fields.size(); ++i) {
        const FieldDecl& decl = type_.fields[i];
        bool given = object.contains(decl.key) && !object[decl.key].is_null();
        if (!given && decl.validity.Contains(registered_) && decl.RequiredFor(channel_)) {
          Invalid(decl.key, &decl, "mangler", "missing");
        }
      }
    }
    if (has_id) {
      const Json* id = object.contains(type_.id_field) ? &object[type_.id_field] : nullptr;
      if (id && id->is_number_integer() && id->get<int64_t>() > 0) {
        request->entity_id = id->get<int64_t>();
      } else {
        Invalid(type_.id_field, nullptr, id && !id->is_null() ? "forventede et positivt heltal" : "mangler",
                id && !id->is_null() ? "expected a positive integer" : "missing");
      }
    }
    if (object.contains("comment") && !object["comment"].is_null()) {
      const Json& comment = object["comment"];
      if (!comment.is_string()) {
        Invalid("comment", nullptr, "forventede tekst", "expected text");
      } else if (comment.get_ref<const std::string&>().size() > kMaxCommentBytes) {
        Invalid("comment", nullptr, "længere end 2000 tegn", "longer than 2000 characters");
      } else {
        request->comment = comment.get<std::string>();
      }
    }
    return request;
  }

 private:
  void Invalid(const std::string& field, const FieldDecl* decl, const std::string& da, const std::string& en) {
    fields_.Invalid(field, decl, da, en);
  }
  std::optional<Json> Value(const FieldDecl& decl, const Json& v, const std::string& path) {
    return fields_.Value(decl, v, path);
  }

  const catalog::RecordType& type_;
  RecordAction action_;
  Date registered_;
  catalog::Channel channel_;
  FieldValueParser fields_;
};

}  // namespace

std::shared_ptr<const RecordRequest> ParseRecordRequest(const catalog::Catalog& catalog, catalog::RecordCommandRef ref,
                                                        const Json& object, Date registered, catalog::Channel channel,
                                                        std::vector<Violation>* violations) {
  return RecordParser(catalog, ref, registered, channel, violations).Run(object);
}

const nlohmann::json& RecordFields(const Fact& fact) {
  static const Json kEmpty = Json::object();
  if (!fact.extra.is_object()) return kEmpty;
  auto it = fact.extra.find("fields");
  return it == fact.extra.end() ? kEmpty : *it;
}

std::string RecordActionOf(const Fact& fact) {
  if (fact.extra.is_object()) {
    auto it = fact.extra.find("action");
    if (it != fact.extra.end() && it->is_string()) return it->get<std::string>();
  }
  return "create";
}

namespace {

// `fields` in declaration order, CPR values masked (also inside list items). The declarations' keys are unique
// (catalog/record_checks.cc), so each is appended without looking for it among those before.
nlohmann::ordered_json OutputObject(const std::vector<FieldDecl>& decls, const Json& fields,
                                    const std::vector<std::string>* only) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  auto& object = out.get_ref<nlohmann::ordered_json::object_t&>();
  for (const FieldDecl& decl : decls) {
    auto it = fields.find(decl.key);
    if (it == fields.end()) continue;
    if (only && std::find(only->begin(), only->end(), decl.key) == only->end()) continue;
    if (decl.type == FieldType::kCpr && it->is_string()) {
      object.emplace_back(decl.key, it->get<std::string>().substr(0, 6) + "-****");
    } else if (decl.type == FieldType::kList && it->is_array()) {
      nlohmann::ordered_json items = nlohmann::ordered_json::array();
      for (const Json& item : *it) items.push_back(OutputObject(decl.items, item, nullptr));
      object.emplace_back(decl.key, std::move(items));
    } else {
      object.emplace_back(decl.key, *it);
    }
  }
  return out;
}

}  // namespace

nlohmann::ordered_json FieldsForOutput(const catalog::RecordType& type, const nlohmann::json& fields,
                                       const std::vector<std::string>* only) {
  return OutputObject(type.fields, fields, only);
}

void AppendJsonString(std::string* out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : text) {
    switch (ch) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default: {
        auto c = static_cast<unsigned char>(ch);
        if (c < 0x20) {
          *out += "\\u00";
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(ch);
        }
      }
    }
  }
  out->push_back('"');
}

namespace {

// OutputObject(decls, fields, only).dump(), written straight to `*out`.
void AppendOutputObject(std::string* out, const std::vector<FieldDecl>& decls, const Json& fields,
                        const std::vector<std::string>* only) {
  out->push_back('{');
  bool first = true;
  for (const FieldDecl& decl : decls) {
    auto it = fields.find(decl.key);
    if (it == fields.end()) continue;
    if (only && std::find(only->begin(), only->end(), decl.key) == only->end()) continue;
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(out, decl.key);
    out->push_back(':');
    if (decl.type == FieldType::kCpr && it->is_string()) {
      AppendJsonString(out, it->get_ref<const std::string&>().substr(0, 6) + "-****");
    } else if (decl.type == FieldType::kList && it->is_array()) {
      out->push_back('[');
      for (size_t i = 0; i < it->size(); ++i) {
        if (i) out->push_back(',');
        AppendOutputObject(out, decl.items, (*it)[i], nullptr);
      }
      out->push_back(']');
    } else if (it->is_string()) {
      AppendJsonString(out, it->get_ref<const std::string&>());
    } else {
      *out += it->dump();
    }
  }
  out->push_back('}');
}

}  // namespace

void AppendFieldsForOutput(std::string* out, const catalog::RecordType& type, const nlohmann::json& fields,
                           const std::vector<std::string>* only) {
  AppendOutputObject(out, type.fields, fields, only);
}

bool IsValidCvr(const std::string& text) {
  if (!AllDigits(text, 8) || text[0] == '0') return false;
  static constexpr int kWeights[8] = {2, 7, 6, 5, 4, 3, 2, 1};
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) sum += (text[i] - '0') * kWeights[i];
  return sum % 11 == 0;
}

}  // namespace dfdg::registry
