#include "api/access.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace dfdg::api {

Result<AccessRules> AccessRules::Load(const std::string& path) {
  AccessRules out;
  try {
    YAML::Node root = YAML::LoadFile(path);
    for (const auto& r : root["rules"]) {
      AccessRule rule;
      rule.kind = r["kind"].as<std::string>();
      rule.resources = r["resources"].as<std::vector<std::string>>();
      for (const auto& op : r["operations"].as<std::vector<std::string>>()) {
        if (op == "read") {
          rule.read = true;
        } else if (op == "write") {
          rule.write = true;
        } else {
          return Status::InvalidArgument(path + ": unknown operation '" + op + "'");
        }
      }
      rule.relation = r["relation"].as<std::string>();
      if (rule.relation != "own_municipality" && rule.relation != "member" && rule.relation != "self" &&
          rule.relation != "any") {
        return Status::InvalidArgument(path + ": unknown relation '" + rule.relation + "'");
      }
      rule.source = r["source"].as<std::string>();
      out.rules_.push_back(std::move(rule));
    }
    for (const auto& p : root["pages"]) {
      PageRule page{p["page"].as<std::string>(), p["kinds"].as<std::vector<std::string>>(),
                    p["source"].as<std::string>()};
      if (page.page.empty() || page.kinds.empty())
        return Status::InvalidArgument(path + ": a page needs page and kinds");
      out.pages_.push_back(std::move(page));
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(path + ": " + e.what());
  }
  return out;
}

AccessDecision AccessRules::Check(const ConnectedSystem& system, const std::string& resource, bool write,
                                  const PersonRelationFacts& person, bool creating_akasse) const {
  if (system.kind == "other_actor" && system.cvr.empty()) return {false, "other actor without CVR (§ 6 stk. 4)", ""};
  std::string last_reason = "no rule for " + system.kind + " " + resource + (write ? " write" : " read");
  for (const AccessRule& rule : rules_) {
    if (rule.kind != system.kind || (write ? !rule.write : !rule.read)) continue;
    if (std::find(rule.resources.begin(), rule.resources.end(), resource) == rule.resources.end() &&
        std::find(rule.resources.begin(), rule.resources.end(), "*") == rule.resources.end()) {
      continue;
    }
    bool related = false;
    if (rule.relation == "any" || rule.relation == "self") {
      related = true;
    } else if (rule.relation == "own_municipality") {
      related = person.municipality == system.municipality || (write && person.municipality == 0);
    } else if (rule.relation == "member") {
      related = (!system.akasse.empty() && person.akasse == system.akasse) ||
                (write && creating_akasse && person.akasse.empty());
    }
    if (related) return {true, "", rule.source};
    last_reason = "relation " + rule.relation;
  }
  return {false, last_reason, ""};
}

const PageRule* AccessRules::Page(const std::string& page) const {
  for (const PageRule& p : pages_) {
    if (p.page == page) return &p;
  }
  return nullptr;
}

bool AccessRules::PageAllowed(const std::string& kind, const std::string& page) const {
  const PageRule* p = Page(page);
  return p && std::find(p->kinds.begin(), p->kinds.end(), kind) != p->kinds.end();
}

}  // namespace dfdg::api
