// Access rules of the API as data (catalog/access.yaml): kind of system × resource × operation × relation to
// the person, each rule citing its §. Mechanism only here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/config.h"
#include "api/system_kinds.h"
#include "catalog/catalog.h"
#include "core/status.h"

namespace dfdg::api {

// The resource of the own person-group projects (GET /v1/Projekter[/{id}[/historik]], docs/api.md): read per
// project under the rules of relation project_owner (the project's owner) or any.
inline constexpr const char* kProjectResource = "Projekter";

struct AccessRule {
  std::string kind;
  // "*" = all; "areas" = every resource of a built-in command area (Resources()) that the declarations allow;
  // "records" = the commands of the declared record types (catalog/records/*.yaml, as batch lines) that the
  // declarations allow.
  std::vector<std::string> resources;
  bool read = false, write = false;
  std::string relation;  // own_municipality | takes_over | member | self | any | project_owner
  std::string source;
};

// What the registry currently knows of the person, for relation checks.
struct PersonRelationFacts {
  int municipality = 0;  // 0 = none (or unknown person)
  std::string akasse;    // empty = none
  // The person is the one the call authenticates (Jobnet: the citizen whose CPR the header carries); false for a
  // batch line naming another person. Relation `self` holds only then.
  bool self = true;
  // A project command (create_project, close_project, correct_project: no person) names its owner as
  // "<project_kind>/<owner>"; relation `project_owner` holds when that is the system itself ("jobcenter/<its
  // municipality>", "akasse/<its number>"). "" for every other command. A read of kProjectResource names the
  // owner of the project read the same way.
  std::string project_owner;
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
  // Reads the file: its `system_kinds` (SystemKinds::Load) first, then the rules and pages. A rule or page naming a
  // kind that is not in `system_kinds` is refused (InvalidArgument naming the known kinds).
  static Result<AccessRules> Load(const std::string& path);

  // The kinds of connected system (access.yaml `system_kinds`).
  const SystemKinds& kinds() const { return kinds_; }

  // The channel a connected system's commands carry, and as which its reads are judged against the built-in
  // areas' actors: the kind's `channel` in `system_kinds` (e.g. other_actor → jobcenter, § 6 stk. 4: on behalf of
  // the municipality). REQUIRES: kinds().Find(kind) (the serve configuration's systems are checked against the
  // kinds at start); an unknown kind gives jobcenter, and Check refuses every call of a system of an unknown kind.
  catalog::Channel KindChannel(const std::string& kind) const;

  // Makes Check ask the built-in command areas' declarations (catalog/records/builtin/*.yaml `actors`) first:
  // which kind of system may read or write which area is theirs, not this file's (docs/api.md "Access rules").
  void UseDeclarations(std::shared_ptr<const catalog::Catalog> catalog);

  // REQUIRES: system is not admin-only traffic. A system of a kind not in `system_kinds`, or without a CVR its
  // kind requires (§ 6 stk. 4), is refused. `creating_akasse` is true for a set_akasse write (an a-kasse may
  // register a new member). `command` is the command of a write (its name; "" for a read), `date` the day the
  // declarations are read for. With declarations (UseDeclarations): a write of a built-in command, or of a
  // declared record type's command, is refused unless the command's area or type declares the system's channel
  // (KindChannel) an actor that may the command's action on `date`; a read of a built-in area's resource unless
  // the area's actor for that channel may read.
  // Then the first rule of this file for the system's kind and the operation that covers the resource and whose
  // relation to the person holds allows it. A project command (the built-in area `project`) is judged by the
  // rules of relation `project_owner` only, and no other command by those; a read of kProjectResource (one
  // project, `person.project_owner` its owner) by those and the rules of relation `any`. `named_municipality` is the
  // municipality a set_municipality write names (0 otherwise): relation `takes_over` holds when it is the system's own
  // (§ 16 stk. 5).
  AccessDecision Check(const ConnectedSystem& system, const std::string& resource, bool write,
                       const PersonRelationFacts& person, bool creating_akasse, const std::string& command, Date date,
                       int named_municipality = 0) const;

  const std::vector<AccessRule>& rules() const { return rules_; }

  // The page's rule, or nullptr when access.yaml names no such page (the page is then not served).
  const PageRule* Page(const std::string& page) const;
  // True when a system of `kind` may open `page`.
  bool PageAllowed(const std::string& kind, const std::string& page) const;

 private:
  // The built-in area a resource reads or writes (its /v1 resource of Resources(); "Indkaldelse.kvittering" is
  // "Indkaldelse"'s), or nullptr.
  const catalog::RecordType* AreaOf(const std::string& resource) const;

  SystemKinds kinds_;
  std::vector<AccessRule> rules_;
  std::vector<PageRule> pages_;
  std::shared_ptr<const catalog::Catalog> catalog_;
};

}  // namespace dfdg::api
