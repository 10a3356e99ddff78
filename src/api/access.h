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

// A page of `dfdg serve` for people (the person timeline, the citizen's page; docs/pages.md): which kinds of
// connected system may open it (catalog/access.yaml `pages`). A page holds no personal data itself; what it shows
// comes from /v1 reads under the rules above.
struct PageRule {
  std::string page;                // URL segment, e.g. "tidslinje"
  std::vector<std::string> kinds;  // connected-system kinds that may open it
  std::string source;
};

class AccessRules {
 public:
  static Result<AccessRules> Load(const std::string& path);

  // REQUIRES: system is not admin-only traffic. `creating_akasse` is true for a set_akasse write (an a-kasse may
  // register a new member).
  AccessDecision Check(const ConnectedSystem& system, const std::string& resource, bool write,
                       const PersonRelationFacts& person, bool creating_akasse) const;

  const std::vector<AccessRule>& rules() const { return rules_; }

  // The page's rule, or nullptr when access.yaml names no such page (the page is then not served).
  const PageRule* Page(const std::string& page) const;
  // True when a system of `kind` may open `page`.
  bool PageAllowed(const std::string& kind, const std::string& page) const;

 private:
  std::vector<AccessRule> rules_;
  std::vector<PageRule> pages_;
};

}  // namespace dfdg::api
