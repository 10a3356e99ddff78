// Reading the `extra` keys the measurement uses (registry_extras.h).
#include "measure/registry_extras.h"

namespace dfdg::measure {

InterviewForm FormOf(std::string_view key) {
  if (key == "personligt") return InterviewForm::kPersonligt;
  if (key == "digitalt" || key == "video") return InterviewForm::kVideo;
  if (key == "telefonisk" || key == "telefon") return InterviewForm::kTelefon;
  return InterviewForm::kAndet;
}

namespace {

// Sets the field of `key`, when it is one the measurement reads.
void Take(std::string_view key, std::string_view string_value, bool bool_value, Extras* out) {
  if (key == "form") out->form = FormOf(string_value);
  if (key == "expected_back_13w") out->expected_back_13w = bool_value;
  if (key == "first_contact") out->first_contact = bool_value;
  if (key == "standby") out->standby = bool_value;
}

}  // namespace

Extras FromJson(const nlohmann::json& extra) {
  Extras out;
  if (!extra.is_object()) return out;
  for (const char* key : {"form", "expected_back_13w", "first_contact", "standby"}) {
    if (!extra.contains(key)) continue;
    const auto& v = extra[key];
    Take(key, v.is_string() ? v.get_ref<const std::string&>() : std::string_view(), v.is_boolean() && v.get<bool>(),
         &out);
  }
  return out;
}

bool ScanTopLevel(std::string_view s, Extras* out) {
  if (s.find('\\') != std::string_view::npos) return false;
  size_t i = 0;
  auto string_at = [&](std::string_view* text) {
    if (i >= s.size() || s[i] != '"') return false;
    size_t close = s.find('"', i + 1);
    if (close == std::string_view::npos) return false;
    *text = s.substr(i + 1, close - i - 1);
    i = close + 1;
    return true;
  };
  if (s.size() < 2 || s[0] != '{') return false;
  i = 1;
  if (s[i] == '}') return i + 1 == s.size();
  while (i < s.size()) {
    std::string_view key;
    if (!string_at(&key) || i >= s.size() || s[i] != ':') return false;
    ++i;
    if (i >= s.size()) return false;
    if (s[i] == '"') {
      std::string_view value;
      if (!string_at(&value)) return false;
      Take(key, value, false, out);
    } else if (s[i] == '{' || s[i] == '[') {
      int depth = 0;
      for (; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') {
          size_t close = s.find('"', i + 1);
          if (close == std::string_view::npos) return false;
          i = close;
        } else if (c == '{' || c == '[') {
          ++depth;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) break;
        }
      }
      if (i >= s.size()) return false;
      ++i;
    } else {
      size_t end = s.find_first_of(",}", i);
      if (end == std::string_view::npos) return false;
      std::string_view literal = s.substr(i, end - i);
      Take(key, {}, literal == "true", out);
      i = end;
    }
    if (i >= s.size()) return false;
    if (s[i] == '}') return i + 1 == s.size();
    if (s[i] != ',') return false;
    ++i;
  }
  return false;
}

}  // namespace dfdg::measure
