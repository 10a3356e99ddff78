#include "registry/record.h"

#include <cctype>

#include "core/cpr.h"

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

// "HH:MM" or "HH:MM:SS" with a valid clock time.
bool IsClockTime(std::string_view t) {
  if (t.size() != 5 && t.size() != 8) return false;
  auto two = [&](size_t at, int limit) {
    return std::isdigit(static_cast<unsigned char>(t[at])) && std::isdigit(static_cast<unsigned char>(t[at + 1])) &&
           (t[at] - '0') * 10 + (t[at + 1] - '0') < limit;
  };
  if (t[2] != ':' || !two(0, 24) || !two(3, 60)) return false;
  return t.size() == 5 || (t[5] == ':' && two(6, 60));
}

class RecordParser {
 public:
  RecordParser(const catalog::Catalog& catalog, catalog::RecordCommandRef ref, Date registered,
               catalog::Channel channel, std::vector<Violation>* violations)
      : catalog_(catalog),
        type_(*ref.type),
        action_(ref.action),
        registered_(registered),
        channel_(channel),
        violations_(violations) {}

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
  void Add(int code, Fields fields, const FieldDecl* decl) {
    violations_->push_back(MakeViolation(catalog_, code, std::move(fields),
                                         decl ? &decl->defined_at : &type_.defined_at,
                                         decl ? &decl->sources : &type_.sources));
  }

  void Invalid(const std::string& field, const FieldDecl* decl, const std::string& da, const std::string& en) {
    Add(1003, {{"field", field}, {"detail", en}, {"detail_da", da}}, decl);
  }

  void WrongType(const std::string& path, const FieldDecl& decl, const char* da, const char* en) {
    Invalid(path, &decl, da, en);
  }

  // The checked value of `decl` in its stored form, or nullopt after recording the violation.
  std::optional<Json> Value(const FieldDecl& decl, const Json& v, const std::string& path) {
    switch (decl.type) {
      case FieldType::kDate: {
        if (!v.is_string()) {
          Add(1005, {{"field", path}, {"detail", "expected YYYY-MM-DD"}, {"detail_da", "forventede ÅÅÅÅ-MM-DD"}},
              &decl);
          return std::nullopt;
        }
        auto date = ParseDate(v.get_ref<const std::string&>());
        if (!date.ok()) {
          Add(1005, {{"field", path}, {"detail", date.status().message()}, {"detail_da", date.status().message_da()}},
              &decl);
          return std::nullopt;
        }
        return Json(FormatDate(*date));
      }
      case FieldType::kDateTime: {
        const std::string* text = v.is_string() ? &v.get_ref<const std::string&>() : nullptr;
        bool ok = text && text->size() > 11 && (*text)[10] == 'T' && ParseDate(text->substr(0, 10)).ok() &&
                  IsClockTime(std::string_view(*text).substr(11));
        if (!ok) {
          Add(1005,
              {{"field", path},
               {"detail", "expected YYYY-MM-DDTHH:MM[:SS]"},
               {"detail_da", "forventede ÅÅÅÅ-MM-DDTTT:MM[:SS]"}},
              &decl);
          return std::nullopt;
        }
        return v;
      }
      case FieldType::kInt:
      case FieldType::kDecimal: {
        bool is_int = decl.type == FieldType::kInt;
        if (is_int ? !v.is_number_integer() : !v.is_number()) {
          WrongType(path, decl, is_int ? "forventede et heltal" : "forventede et tal",
                    is_int ? "expected an integer" : "expected a number");
          return std::nullopt;
        }
        double number = v.get<double>();
        if ((decl.min && number < *decl.min) || (decl.max && number > *decl.max)) {
          auto bound = [&](const std::optional<double>& b) {
            if (!b) return std::string("…");
            Json j = is_int ? Json(static_cast<int64_t>(*b)) : Json(*b);
            return j.dump();
          };
          std::string range = bound(decl.min) + "-" + bound(decl.max);
          Invalid(path, &decl, "skal være " + range, "must be " + range);
          return std::nullopt;
        }
        return v;
      }
      case FieldType::kText: {
        if (!v.is_string()) {
          WrongType(path, decl, "forventede tekst", "expected text");
          return std::nullopt;
        }
        if (v.get_ref<const std::string&>().size() > static_cast<size_t>(decl.max_length)) {
          std::string n = std::to_string(decl.max_length);
          Invalid(path, &decl, "længere end " + n + " tegn", "longer than " + n + " characters");
          return std::nullopt;
        }
        return v;
      }
      case FieldType::kBool:
        if (!v.is_boolean()) {
          WrongType(path, decl, "forventede true eller false", "expected true or false");
          return std::nullopt;
        }
        return v;
      case FieldType::kCvr:
        if (!v.is_string() || !IsValidCvr(v.get<std::string>())) {
          Add(1011, {{"field", path}, {"detail", v.is_string() ? v.get<std::string>() : v.dump()}}, &decl);
          return std::nullopt;
        }
        return v;
      case FieldType::kPNumber:
        if (!v.is_string() || !AllDigits(v.get<std::string>(), 10)) {
          Add(1012, {{"field", path}, {"detail", v.is_string() ? v.get<std::string>() : v.dump()}}, &decl);
          return std::nullopt;
        }
        return v;
      case FieldType::kCpr: {
        if (!v.is_string()) {
          WrongType(path, decl, "forventede tekst", "expected text");
          return std::nullopt;
        }
        auto cpr = Cpr::Parse(v.get_ref<const std::string&>());
        if (!cpr.ok()) {
          Add(1004,
              {{"detail", path + ": " + cpr.status().message()},
               {"detail_da", path + ": " + cpr.status().message_da()}},
              &decl);
          return std::nullopt;
        }
        return Json(cpr->digits());
      }
      case FieldType::kCode:
        if (!v.is_string() || !catalog_.FindRecordCode(type_, decl.code_list, v.get<std::string>(), registered_)) {
          Add(4003, {{"field", path}, {"detail", v.is_string() ? v.get<std::string>() : v.dump()}}, &decl);
          return std::nullopt;
        }
        return v;
      case FieldType::kMunicipality:
        if (!v.is_number_integer()) {
          WrongType(path, decl, "forventede en kommunekode (heltal)", "expected a municipality code (integer)");
          return std::nullopt;
        }
        if (!catalog_.FindMunicipality(static_cast<int>(v.get<int64_t>()))) {
          Add(3030, {{"detail", v.dump()}}, &decl);
          return std::nullopt;
        }
        return v;
      case FieldType::kList:
        return List(decl, v, path);
    }
    return std::nullopt;
  }

  std::optional<Json> List(const FieldDecl& decl, const Json& v, const std::string& path) {
    if (!v.is_array() || v.size() > static_cast<size_t>(decl.max_items)) {
      std::string n = std::to_string(decl.max_items);
      Invalid(path, &decl, "forventede en liste med højst " + n + " elementer",
              "expected a list of at most " + n + " items");
      return std::nullopt;
    }
    Json out = Json::array();
    bool ok = true;
    for (size_t i = 0; i < v.size(); ++i) {
      std::string at = path + "[" + std::to_string(i) + "]";
      const Json& item = v[i];
      if (!item.is_object()) {
        Invalid(at, &decl, "forventede et objekt", "expected an object");
        ok = false;
        continue;
      }
      Json stored = Json::object();
      for (auto it = item.begin(); it != item.end(); ++it) {
        auto sub =
            std::find_if(decl.items.begin(), decl.items.end(), [&](const FieldDecl& f) { return f.key == it.key(); });
        if (sub == decl.items.end()) {
          Invalid(at + "." + it.key(), &decl, "ikke et felt i " + decl.key, "not a field of " + decl.key);
          ok = false;
        } else if (!it.value().is_null()) {
          auto value = Value(*sub, it.value(), at + "." + it.key());
          if (value) stored[it.key()] = std::move(*value);
          ok = ok && value.has_value();
        }
      }
      for (const FieldDecl& sub : decl.items) {
        if (sub.RequiredFor(channel_) && (!item.contains(sub.key) || item[sub.key].is_null())) {
          Invalid(at + "." + sub.key, &sub, "mangler", "missing");
          ok = false;
        }
      }
      out.push_back(std::move(stored));
    }
    if (!ok) return std::nullopt;
    return out;
  }

  const catalog::Catalog& catalog_;
  const catalog::RecordType& type_;
  RecordAction action_;
  Date registered_;
  catalog::Channel channel_;
  std::vector<Violation>* violations_;
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

// `fields` in declaration order, CPR values masked (also inside list items).
nlohmann::ordered_json OutputObject(const std::vector<FieldDecl>& decls, const Json& fields,
                                    const std::vector<std::string>* only) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const FieldDecl& decl : decls) {
    auto it = fields.find(decl.key);
    if (it == fields.end()) continue;
    if (only && std::find(only->begin(), only->end(), decl.key) == only->end()) continue;
    if (decl.type == FieldType::kCpr && it->is_string()) {
      out[decl.key] = it->get<std::string>().substr(0, 6) + "-****";
    } else if (decl.type == FieldType::kList && it->is_array()) {
      nlohmann::ordered_json items = nlohmann::ordered_json::array();
      for (const Json& item : *it) items.push_back(OutputObject(decl.items, item, nullptr));
      out[decl.key] = std::move(items);
    } else {
      out[decl.key] = *it;
    }
  }
  return out;
}

}  // namespace

nlohmann::ordered_json FieldsForOutput(const catalog::RecordType& type, const nlohmann::json& fields,
                                       const std::vector<std::string>* only) {
  return OutputObject(type.fields, fields, only);
}

bool IsValidCvr(const std::string& text) {
  if (!AllDigits(text, 8) || text[0] == '0') return false;
  static constexpr int kWeights[8] = {2, 7, 6, 5, 4, 3, 2, 1};
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) sum += (text[i] - '0') * kWeights[i];
  return sum % 11 == 0;
}

}  // namespace dfdg::registry
