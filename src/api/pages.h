// The pages for people served by `dfdg serve` besides /statistik (docs/pages.md): the caseworker's person
// timeline (/tidslinje) and the citizen's own page (/minside). Each page is three bundled files (web/, built by
// the CMake target dfdg_web) and holds no personal data: the page fetches it from /v1 with the same connected
// system, under the API's access rules.
//
// Contract: a page route answers only to an authenticated connected system whose kind catalog/access.yaml
// `pages` lists for that page; otherwise 401 (no system) or 403 (another kind, or suspended) as a short HTML
// page in Danish (the assets answer the same status as problem JSON). Nothing is public.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "api/access.h"
#include "api/config.h"
#include "api/routes.h"

namespace dfdg::api {

// The page routes (part of ApiRoutes(), so the OpenAPI parity test covers them).
std::vector<Route> PageRoutes();

// True for a path served by ServePage.
bool IsPageRoute(const std::string& route_path);

struct PageAnswer {
  PageAnswer() = default;
  PageAnswer(int s, std::string b, std::string type, std::string tag = "", std::string enc = "")
      : status(s), body(std::move(b)), content_type(std::move(type)), etag(std::move(tag)), encoding(std::move(enc)) {}
  int status = 200;
  std::string body;
  std::string content_type;
  std::string etag;      // the page's files: the bytes' (api/static_asset.h); 304 when If-None-Match names it
  std::string encoding;  // "gzip" when body is the precompressed script
};

struct PageRequest {
  std::string route_path;                   // from PageRoutes()
  const ConnectedSystem* system = nullptr;  // nullptr = not authenticated
  bool suspended = false;
  bool dev_login = false;  // --plain-http: the 401 page offers the sandbox's systems (cookie)
  const std::vector<ConnectedSystem>* systems = nullptr;  // for dev_login
  std::string if_none_match;                              // the request's If-None-Match
  bool gzip_ok = false;                                   // the request's Accept-Encoding lists gzip
};

// REQUIRES: IsPageRoute(request.route_path). `web_dir` holds the bundled files.
PageAnswer ServePage(const PageRequest& request, const AccessRules& rules, const std::string& web_dir);

}  // namespace dfdg::api
