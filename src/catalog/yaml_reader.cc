#include <charconv>
#include <set>
#include <string_view>

#include "catalog/yaml_json.h"
#include "catalog/yaml_reader_internal.h"

namespace dfdg::catalog {

void YamlReader::Error(const YAML::Node& node, const std::string& message) {
  errors_.push_back(file_ + ":" + std::to_string(Line(node)) + ": " + message);
}

void YamlReader::FileError(const std::string& message) { errors_.push_back(file_ + ": " + message); }

int YamlReader::Line(const YAML::Node& node) const {
  YAML::Mark mark = node.Mark();
  return mark.line >= 0 ? mark.line + 1 : 0;
}

bool YamlReader::ExpectMap(const YAML::Node& node, std::initializer_list<const char*> allowed, const char* what) {
  if (!node.IsMap()) {
    Error(node, std::string(what) + " must be a mapping");
    return false;
  }
  std::set<std::string_view> names(allowed.begin(), allowed.end());
  for (const auto& item : node) {
    const std::string& key = item.first.Scalar();
    if (!names.count(key)) Error(item.first, "unknown field '" + key + "' in " + what);
  }
  return true;
}

std::optional<YAML::Node> YamlReader::Sequence(const YAML::Node& node, const char* key, bool required) {
  YAML::Node value = node[key];
  if (!value || value.IsNull()) {
    if (required) Error(node, std::string("missing list '") + key + "'");
    return std::nullopt;
  }
  if (!value.IsSequence()) {
    Error(value, std::string("'") + key + "' must be a list");
    return std::nullopt;
  }
  return value;
}

std::string YamlReader::String(const YAML::Node& node, const char* key, bool required) {
  YAML::Node value = node[key];
  if (!value || value.IsNull()) {
    if (required) Error(node, std::string("missing field '") + key + "'");
    return {};
  }
  if (!value.IsScalar()) {
    Error(value, std::string("'") + key + "' must be text");
    return {};
  }
  if (required && value.Scalar().empty()) Error(value, std::string("'") + key + "' must not be empty");
  return value.Scalar();
}

std::optional<int> YamlReader::ParseIntScalar(const YAML::Node& value) {
  if (!value.IsScalar()) {
    Error(value, "expected an integer");
    return std::nullopt;
  }
  const std::string& text = value.Scalar();
  int out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    Error(value, "expected an integer, got '" + text + "'");
    return std::nullopt;
  }
  return out;
}

std::optional<int> YamlReader::Int(const YAML::Node& node, const char* key, bool required) {
  YAML::Node value = node[key];
  if (!value || value.IsNull()) {
    if (required) Error(node, std::string("missing field '") + key + "'");
    return std::nullopt;
  }
  return ParseIntScalar(value);
}

bool YamlReader::Bool(const YAML::Node& node, const char* key, bool default_value) {
  YAML::Node value = node[key];
  if (!value || value.IsNull()) return default_value;
  if (value.IsScalar()) {
    const std::string& text = value.Scalar();
    if (text == "true") return true;
    if (text == "false") return false;
  }
  Error(value, std::string("'") + key + "' must be true or false");
  return default_value;
}

std::optional<Date> YamlReader::OptionalDate(const YAML::Node& node, const char* key) {
  YAML::Node value = node[key];
  if (!value || value.IsNull()) return std::nullopt;
  if (!value.IsScalar()) {
    Error(value, std::string("'") + key + "' must be a date YYYY-MM-DD");
    return std::nullopt;
  }
  Result<Date> date = ParseDate(value.Scalar());
  if (!date.ok()) {
    Error(value, std::string("'") + key + "': " + date.status().message());
    return std::nullopt;
  }
  return *date;
}

std::optional<Duration> YamlReader::OptionalDuration(const YAML::Node& node, const char* key) {
  YAML::Node value = node[key];
  if (!value || value.IsNull()) return std::nullopt;
  if (!value.IsScalar()) {
    Error(value, std::string("'") + key + "' must be a duration like 28d, 8w, 16m or unlimited");
    return std::nullopt;
  }
  Result<Duration> duration = ParseDuration(value.Scalar());
  if (!duration.ok()) {
    Error(value, std::string("'") + key + "': " + duration.status().message());
    return std::nullopt;
  }
  return *duration;
}

std::vector<int> YamlReader::IntList(const YAML::Node& node, const char* key, bool required) {
  std::vector<int> out;
  YAML::Node value = node[key];
  if (!value || value.IsNull()) {
    if (required) Error(node, std::string("missing list '") + key + "'");
    return out;
  }
  if (!value.IsSequence()) {
    Error(value, std::string("'") + key + "' must be a list of integers");
    return out;
  }
  for (const auto& item : value) {
    if (auto number = ParseIntScalar(item)) out.push_back(*number);
  }
  return out;
}

std::vector<std::string> YamlReader::StringList(const YAML::Node& node, const char* key, bool required) {
  std::vector<std::string> out;
  YAML::Node value = node[key];
  if (!value || value.IsNull()) {
    if (required) Error(node, std::string("missing list '") + key + "'");
    return out;
  }
  if (!value.IsSequence()) {
    Error(value, std::string("'") + key + "' must be a list");
    return out;
  }
  for (const auto& item : value) {
    if (!item.IsScalar()) {
      Error(item, std::string("items of '") + key + "' must be text");
      continue;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

std::optional<SourceRef> YamlReader::ParseSource(const YAML::Node& value) {
  if (!value.IsScalar()) {
    Error(value, "source must be \"NNN:LINE\"");
    return std::nullopt;
  }
  const std::string& text = value.Scalar();
  size_t colon = text.find(':');
  int line = 0;
  if (colon == std::string::npos || colon == 0) {
    Error(value, "source '" + text + "' must be \"NNN:LINE\"");
    return std::nullopt;
  }
  std::string_view number = std::string_view(text).substr(colon + 1);
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), line);
  if (ec != std::errc() || ptr != number.data() + number.size() || line <= 0) {
    Error(value, "source '" + text + "' must end in a positive line number");
    return std::nullopt;
  }
  return SourceRef{text.substr(0, colon), line};
}

std::vector<SourceRef> YamlReader::Sources(const YAML::Node& node, bool required) {
  std::vector<SourceRef> out;
  YAML::Node value = node["source"];
  if (!value || value.IsNull()) {
    if (required) Error(node, "missing field 'source' (every entry must cite its seed and line)");
    return out;
  }
  if (value.IsSequence()) {
    for (const auto& item : value) {
      if (auto ref = ParseSource(item)) out.push_back(*ref);
    }
  } else if (auto ref = ParseSource(value)) {
    out.push_back(*ref);
  }
  if (out.empty() && required) Error(value, "'source' must name at least one place");
  return out;
}

Validity YamlReader::ReadValidity(const YAML::Node& node) {
  Validity validity{OptionalDate(node, "valid_from"), OptionalDate(node, "valid_to")};
  if (!validity.IsWellFormed()) Error(node, "valid_from must be before valid_to (valid_to is exclusive)");
  return validity;
}

nlohmann::ordered_json YamlReader::ToJson(const YAML::Node& node, std::initializer_list<const char*> skip) {
  return YamlToJson(node, skip);
}

nlohmann::ordered_json YamlToJson(const YAML::Node& node, std::initializer_list<const char*> skip) {
  using Json = nlohmann::ordered_json;
  if (node.IsMap()) {
    std::set<std::string_view> skipped(skip.begin(), skip.end());
    Json out = Json::object();
    for (const auto& item : node) {
      const std::string& key = item.first.Scalar();
      if (!skipped.count(key)) out[key] = YamlToJson(item.second);
    }
    return out;
  }
  if (node.IsSequence()) {
    Json out = Json::array();
    for (const auto& item : node) out.push_back(YamlToJson(item));
    return out;
  }
  if (!node.IsScalar() || node.IsNull()) return nullptr;
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted: always a string
  if (text == "true") return true;
  if (text == "false") return false;
  int number = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec == std::errc() && ptr == text.data() + text.size()) return number;
  return text;
}

std::vector<Channel> ReadChannelList(YamlReader& r, const YAML::Node& node, const char* key) {
  std::vector<Channel> out;
  for (const std::string& name : r.StringList(node, key, false)) {
    if (auto channel = ParseChannel(name)) {
      out.push_back(*channel);
    } else {
      r.Error(node[key], "unknown channel '" + name + "' (jobcenter, akasse, citizen, ksd, dfdg)");
    }
  }
  return out;
}

}  // namespace dfdg::catalog
