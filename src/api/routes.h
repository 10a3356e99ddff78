// The API's resources and routes (docs/api.md). The route table drives both the HTTP router and the test that
// compares it with the OpenAPI document (docs/openapi.json), so a route cannot exist in one and not the other.
#pragma once

#include <string>
#include <vector>

namespace dfdg::api {

// A personal-data resource mapped onto registry commands (docs/commands.md). Empty command = not offered.
struct ResourceSpec {
  std::string name;       // URL segment and access-rule resource, e.g. "Fravaer"
  std::string fact_kind;  // registry fact kind listed by GET (registry/fact.h FactKindKey)
  std::string create;     // POST /v1/{name}
  std::string update;     // PUT /v1/{name}/{id}
  std::string id_field;   // the command field naming the entity
  std::string correct;    // DELETE /v1/{name}/{id}/{kommentar} (berigtigelse / aflysning / annullering)
  bool correct_takes_comment = true;
};

const std::vector<ResourceSpec>& Resources();

struct Route {
  std::string method;  // GET, POST, PUT, DELETE
  std::string path;    // OpenAPI form, e.g. /v1/Fravaer/{id}
};

// Every served route.
std::vector<Route> ApiRoutes();

// The OpenAPI path as a router regex: {x} -> ([^/]+).
std::string PathRegex(const std::string& path);

}  // namespace dfdg::api
