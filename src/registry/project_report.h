// The run-time person-group projects as read by the service and the CLI (seed 000 chapter 38, § 135 stk. 4-5;
// docs/decisions/0039 and 0044): a list and one project with its history, from the registry subject
// kProjectSubject. Mechanism only: who may read which project is the service's access rule (catalog/access.yaml
// relation project_owner) and is judged by the caller.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/date.h"
#include "registry/person.h"

namespace dfdg::registry {

struct ProjectQuery {
  std::string project;            // "" = every project; else that project id only
  bool history = false;           // every stored version (oldest first) instead of the current one
  std::optional<Date> known_at;   // only versions recorded on or before this day (as the registry knew it then)
  std::optional<Date> exists_on;  // only projects that exist on this day (creation to closing, both inclusive)
};

// One stored project version as JSON: `project` (its id), `name`, `project_kind`, `owner`, `start` (creation),
// `end` (closing, inclusive; null while open), `entity_id`, `seq`, `recorded_on`, `channel`, `actor`, and
// `comment` for a correction.
nlohmann::ordered_json ProjectVersionJson(const Fact& fact);

// The projects of `subject` (the history of kProjectSubject; an empty history has none) that `query` selects:
// without `history` each project's current version, in id order; with `history` per project
// {"project": id, "versions": [every version, oldest first]}. A project whose versions are all after `known_at`
// is left out.
nlohmann::ordered_json ProjectsJson(const PersonHistory& subject, const ProjectQuery& query);

// The "<project_kind>/<owner>" of a project version (the access relation project_owner, docs/api.md).
std::string ProjectOwnerKey(const Fact& fact);

}  // namespace dfdg::registry
