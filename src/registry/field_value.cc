#include <algorithm>
#include <cctype>

#include "core/cpr.h"
#include "registry/field_value_internal.h"
#include "registry/record.h"

namespace dfdg::registry {
namespace {

using Json = nlohmann::json;
using catalog::FieldDecl;
using catalog::FieldType;

bool AllDigits(const std::string& text, size_t size) {
  if (text.size() != size) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

bool IsClockTime(std::string_view t) {
  if (t.size() != 5 && t.size() != 8) return false;
  auto two = [&](size_t at, int limit) {
    return std::isdigit(static_cast<unsigned char>(t[at])) && std::isdigit(static_cast<unsigned char>(t[at + 1])) &&
           (t[at] - '0') * 10 + (t[at + 1] - '0') < limit;
  };
  if (t[2] != ':' || !two(0, 24) || !two(3, 60)) return false;
  return t.size() == 5 || (t[5] == ':' && two(6, 60));
}

void FieldValueParser::Add(int code, Fields fields, const FieldDecl* decl, const catalog::FileRef* at,
                           const std::vector<catalog::SourceRef>* sources) {
  if (decl) {
    at = &decl->defined_at;
    sources = &decl->sources;
  }
  violations_->push_back(MakeViolation(catalog_, code, std::move(fields), at ? at : &type_.defined_at,
                                       sources ? sources : &type_.sources));
}

void FieldValueParser::Invalid(const std::string& field, const FieldDecl* decl, const std::string& da,
                               const std::string& en) {
  Add(1003, {{"field", field}, {"detail", en}, {"detail_da", da}}, decl);
}

std::optional<Date> FieldValueParser::DateValue(const FieldDecl& decl, const Json& v, const std::string& path) {
  if (!v.is_string()) {
    Add(1005, {{"field", path}, {"detail", "expected YYYY-MM-DD"}, {"detail_da", "forventede ÅÅÅÅ-MM-DD"}}, &decl);
    return std::nullopt;
  }
  auto date = ParseDate(v.get_ref<const std::string&>());
  if (!date.ok()) {
    Add(1005, {{"field", path}, {"detail", date.status().message()}, {"detail_da", date.status().message_da()}}, &decl);
    return std::nullopt;
  }
  return *date;
}

std::optional<Json> FieldValueParser::Value(const FieldDecl& decl, const Json& v, const std::string& path) {
  switch (decl.type) {
    case FieldType::kDate: {
      auto date = DateValue(decl, v, path);
      if (!date) return std::nullopt;
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
        Invalid(path, &decl, is_int ? "forventede et heltal" : "forventede et tal",
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
        Invalid(path, &decl, "forventede tekst", "expected text");
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
        Invalid(path, &decl, "forventede true eller false", "expected true or false");
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
        Invalid(path, &decl, "forventede tekst", "expected text");
        return std::nullopt;
      }
      auto cpr = Cpr::Parse(v.get_ref<const std::string&>());
      if (!cpr.ok()) {
        Add(1004,
            {{"detail", path + ": " + cpr.status().message()}, {"detail_da", path + ": " + cpr.status().message_da()}},
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
        Invalid(path, &decl, "forventede en kommunekode (heltal)", "expected a municipality code (integer)");
        return std::nullopt;
      }
      if (!catalog_.FindMunicipality(static_cast<int>(v.get<int64_t>()))) {
        Add(3030, {{"detail", v.dump()}}, &decl);
        return std::nullopt;
      }
      return v;
    case FieldType::kList:
      return List(decl, v, path);
    case FieldType::kTime:
      if (!v.is_string() || v.get_ref<const std::string&>().size() != 5 ||
          !IsClockTime(v.get_ref<const std::string&>())) {
        Invalid(path, &decl, "forventede TT:MM", "expected HH:MM");
        return std::nullopt;
      }
      return v;
    case FieldType::kId:
      if (!v.is_number_integer() || v.get<int64_t>() <= 0) {
        Invalid(path, &decl, "forventede et positivt heltal", "expected a positive integer");
        return std::nullopt;
      }
      return v;
  }
  return std::nullopt;
}

std::optional<Json> FieldValueParser::List(const FieldDecl& decl, const Json& v, const std::string& path) {
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

}  // namespace dfdg::registry
