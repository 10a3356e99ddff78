// Reading catalog/automation.yaml: the checks shared by the trigger, daily and notification parts of
// Rules::Load. Internal to src/automation (rules.cc, rules_reader.cc, rules_notifications.cc).
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "automation/fact_rules.h"
#include "automation/rules.h"

namespace dfdg::automation {

// Collects problems as "catalog/automation.yaml:LINE: text"; each reader checks what it reads against the
// catalogue and records a problem instead of failing.
class RuleReader {
 public:
  explicit RuleReader(const catalog::Catalog& catalog) : catalog_(catalog) {}

  void Problem(const YAML::Node& node, const std::string& text) { AddProblem(&problems_, node, text); }
  const std::vector<std::string>& problems() const { return problems_; }
  std::vector<std::string>* mutable_problems() { return &problems_; }

  std::string Text(const YAML::Node& entry, const char* key, bool required = true) {
    const YAML::Node node = entry[key];
    if (!node || node.IsNull()) {
      if (required) Problem(entry, std::string("missing '") + key + "'");
      return "";
    }
    if (!node.IsScalar()) {
      Problem(node, std::string("'") + key + "' must be text");
      return "";
    }
    return node.Scalar();
  }

  int Int(const YAML::Node& entry, const char* key, bool required = true) {
    std::string text = Text(entry, key, required);
    if (text.empty()) return 0;
    try {
      return std::stoi(text);
    } catch (...) {
      Problem(entry[key], std::string("'") + key + "' must be a number");
      return 0;
    }
  }

  std::vector<int> Ints(const YAML::Node& entry, const char* key) {
    std::vector<int> out;
    const YAML::Node node = entry[key];
    if (!node) return out;
    if (!node.IsSequence()) {
      Problem(node, std::string("'") + key + "' must be a list");
      return out;
    }
    for (const auto& item : node) {
      try {
        out.push_back(std::stoi(item.Scalar()));
      } catch (...) {
        Problem(item, std::string("'") + key + "' must hold numbers");
      }
    }
    return out;
  }

  void CheckGroups(const YAML::Node& entry, const std::vector<int>& groups) {
    for (int g : groups) {
      if (!catalog_.FindContactGroup(g)) Problem(entry, "unknown contact group " + std::to_string(g));
    }
  }
  void CheckReason(const YAML::Node& entry, int reason) {
    if (!catalog_.FindAbsence(reason)) Problem(entry, "unknown reason " + std::to_string(reason));
  }

  // The entry's `source` ("seed:line" or a list of them), each checked against the known seeds.
  std::vector<catalog::SourceRef> Sources(const YAML::Node& entry);

  std::vector<std::string> Texts(const YAML::Node& entry, const char* key) { return ReadTexts(&problems_, entry, key); }

  std::optional<Date> DateValue(const YAML::Node& entry, const char* key, bool required) {
    std::string text = Text(entry, key, required);
    if (text.empty()) return std::nullopt;
    auto parsed = ParseDate(text);
    if (!parsed.ok()) {
      Problem(entry[key], std::string("'") + key + "' must be YYYY-MM-DD");
      return std::nullopt;
    }
    return *parsed;
  }

  // The code `key` of the code list of `field` of record type `type` (checked when `key` is not empty).
  void CheckRecordCode(const YAML::Node& entry, const catalog::RecordType& type, const std::string& field,
                       const std::string& key);
  // The `udb_subscription` daily rule's settings (T10).
  SubscriptionRule Subscription(const YAML::Node& entry);
  // The `akasse_contact_course_start` daily rule's settings (§ 63).
  ContactCourseRule ContactCourse(const YAML::Node& entry);
  // The entry's key (unique across the file), legal reference and sources.
  Cause ReadCause(const YAML::Node& entry);

 private:
  const catalog::Catalog& catalog_;
  std::vector<std::string> problems_;
  std::vector<std::string> keys_;
};

// True when `value` is one of `allowed`.
inline bool OneOf(const std::vector<std::string>& allowed, const std::string& value) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// One entry of `notifications:`, every key checked against the catalogue.
Notification ReadNotification(RuleReader& r, const YAML::Node& entry, const catalog::Catalog& catalog);

}  // namespace dfdg::automation
