// Reading the `forward` part of a notification with event `fact_forwarded` (catalog/automation.yaml,
// docs/automation.md "Facts passed on to the a-kasse"). Internal to Rules::Load.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "automation/rules.h"

namespace dfdg::automation {

// The filters and payload fields of `entry`'s `forward:` mapping, each key checked against the catalogue (stored
// kind, change names, interview/meeting types, channels, contact groups, code lists). Appends every problem as
// "catalog/automation.yaml:LINE: text" to `problems`.
FactForward ReadFactForward(const YAML::Node& entry, const catalog::Catalog& catalog,
                            std::vector<std::string>* problems);

// Problems found reading catalog/automation.yaml are appended as "catalog/automation.yaml:LINE: text".
void AddProblem(std::vector<std::string>* problems, const YAML::Node& node, const std::string& text);
// `entry[key]` as a list of scalars: empty when the key is missing, and a problem when it is not a list.
std::vector<std::string> ReadTexts(std::vector<std::string>* problems, const YAML::Node& entry, const char* key);

// True when `key` is an interview type (registry_rules.yaml) or a code of the meeting types (any version).
bool KnownMeetingKind(const catalog::Catalog& catalog, const std::string& key);

}  // namespace dfdg::automation
