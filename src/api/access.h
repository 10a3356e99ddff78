// Access rules of the API as data (catalog/access.yaml): kind of system × resource × operation × relation to
// the person, each rule citing its §. Mechanism only here.
#pragma once

#include <string>
#include <vector>

#include "api/config.h"
#include "core/status.h"

namespace dfdg::api {

struct AccessRule {
  std::string kind;
  std::vector<std::string> resources;  // "*" = all
  bool read = false, write = false;
  std::string relation;  // own_municipality | member | self | any
  std::string source;
};

// What the registry currently knows of the person, for relation checks.
struct PersonRelationFacts {
  int municipality = 0;  // 0 = none (or unknown person)
  std::string akasse;    // empty = none
};

// The answer of an access check: allowed, or the reason (for the log and the audit, never sent to the client
// beyond the generic refusal, so a refusal does not reveal whether the person exists).
struct AccessDecision {
  bool allowed = false;
  std::string reason;  // e.g. "no rule", "relation own_municipality"
  std::string source;  // the rule's § when allowed
};

class AccessRules {
 public:
  static Result<AccessRules> Load(const std::string& path);

  // REQUIRES: system is not admin-only traffic. `creating_akasse` is true for a set_akasse write (an a-kasse may
  // register a new member).
  AccessDecision Check(const ConnectedSystem& system, const std::string& resource, bool write,
                       const PersonRelationFacts& person, bool creating_akasse) const;

  const std::vector<AccessRule>& rules() const { return rules_; }

 private:
  std::vector<AccessRule> rules_;
};

}  // namespace dfdg::api
