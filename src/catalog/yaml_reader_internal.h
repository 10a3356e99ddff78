// Internal to src/catalog: typed, error-collecting accessors over yaml-cpp nodes. Every error is recorded as
// "<file>:<line>: <message>" and reading continues, so one run reports all problems of a catalogue.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "catalog/model.h"

namespace dfdg::catalog {

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }
  const std::vector<std::string>& errors() const { return errors_; }

  // Records an error at the node's line (1-based in the message).
  void Error(const YAML::Node& node, const std::string& message);
  // Records an error for the whole file.
  void FileError(const std::string& message);

  // 1-based line of the node.
  int Line(const YAML::Node& node) const;
  FileRef Where(const YAML::Node& node) const { return FileRef{file_, Line(node)}; }

  // Requires `node` to be a map and every key to be one of `allowed` (unknown keys are reported, and reading
  // goes on). Returns false only when `node` is not a map.
  bool ExpectMap(const YAML::Node& node, std::initializer_list<const char*> allowed, const char* what);
  // Requires `node[key]` to be a sequence (missing -> error unless optional) and returns it.
  std::optional<YAML::Node> Sequence(const YAML::Node& node, const char* key, bool required);

  std::string String(const YAML::Node& node, const char* key, bool required);
  std::optional<int> Int(const YAML::Node& node, const char* key, bool required);
  bool Bool(const YAML::Node& node, const char* key, bool default_value);
  std::optional<Date> OptionalDate(const YAML::Node& node, const char* key);
  // Missing or null -> nullopt; malformed -> error and nullopt.
  std::optional<Duration> OptionalDuration(const YAML::Node& node, const char* key);
  std::vector<int> IntList(const YAML::Node& node, const char* key, bool required);
  std::vector<std::string> StringList(const YAML::Node& node, const char* key, bool required);
  // `source:` as a string "NNN:LINE" or a list of them. Required unless `required` is false.
  std::vector<SourceRef> Sources(const YAML::Node& node, bool required);
  Validity ReadValidity(const YAML::Node& node);
  // The node as JSON (scalars become int, bool, null or string). With `skip`, those map keys are left out.
  nlohmann::ordered_json ToJson(const YAML::Node& node, std::initializer_list<const char*> skip = {});

 private:
  std::optional<int> ParseIntScalar(const YAML::Node& value);
  std::optional<SourceRef> ParseSource(const YAML::Node& value);

  std::string file_;
  std::vector<std::string> errors_;
};

// The channels named by the list `key` of `node` (optional); an unknown name is an error at its line.
std::vector<Channel> ReadChannelList(YamlReader& r, const YAML::Node& node, const char* key);

}  // namespace dfdg::catalog
