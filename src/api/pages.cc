#include "api/pages.h"

#include <cstdio>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api/static_asset.h"

namespace dfdg::api {
namespace {

const char* const kPages[] = {"tidslinje", "minside"};

struct PageInfo {
  std::string page;   // tidslinje | minside
  std::string asset;  // "" (the HTML), "app.js", "app.css"
};

PageInfo Split(const std::string& route_path) {
  std::string rest = route_path.substr(1);
  size_t slash = rest.find('/');
  if (slash == std::string::npos) return {rest, ""};
  return {rest.substr(0, slash), rest.substr(slash + 1)};
}

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '"') {
      out += "&quot;";
    } else {
      out += c;
    }
  }
  return out;
}

// The refusal as a small Danish HTML page; with dev_login the sandbox's systems that may open the page, chosen
// by a cookie (development over plain HTTP only).
PageAnswer Refusal(int status, const std::string& text, const PageRequest& request, const PageRule* rule,
                   const std::string& page) {
  std::string html;
  html.append("<!doctype html>\n<html lang=\"da\"><head><meta charset=\"utf-8\">")
      .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
      .append("<title>Adgang kræves</title></head><body style=\"font-family:system-ui,sans-serif;max-width:40rem;")
      .append("margin:2rem auto;padding:0 1rem\"><h1>Adgang kræves</h1><p id=\"afvist\">")
      .append(Escape(text))
      .append("</p>");
  if (request.dev_login && request.systems && rule) {
    html.append("<form id=\"udvikler\"><p>Udviklingstilstand (kun <code>--plain-http</code>): vælg et ")
        .append("tilsluttet system i sandkassen.</p><label>System <select id=\"system\">");
    for (const ConnectedSystem& s : *request.systems) {
      for (const std::string& kind : rule->kinds) {
        if (s.kind == kind) html.append("<option>").append(Escape(s.id)).append("</option>");
      }
    }
    html.append("</select></label> <button type=\"submit\">Fortsæt</button></form><script>")
        .append("document.getElementById('udvikler').addEventListener('submit',function(e){e.preventDefault();")
        .append("document.cookie='dfdg_dev_system='+encodeURIComponent(document.getElementById('system').value)+")
        .append("';path=/;SameSite=Strict';location.href='/")
        .append(page)
        .append("';});</script>");
  }
  html.append("</body></html>\n");
  return {status, html, "text/html; charset=utf-8"};
}

PageAnswer Problem(int status, const std::string& title_da, const std::string& detail_en) {
  nlohmann::ordered_json body{
      {"type", status == 401 ? "urn:dfdg:problem:unauthenticated" : "urn:dfdg:problem:forbidden"},
      {"title", title_da},
      {"status", status},
      {"detail", detail_en}};
  return {status, body.dump(), "application/problem+json"};
}

// An other actor (anden aktør) sends x-municipalityCode and x-cvrNumber on every call (§ 6 stk. 4; docs/decisions/
// 0024, 0036): its page names the actor's CVR (from its configuration entry) and the municipalities it acts for, in
// <meta name="dfdg-anden-aktoer">, before </head>. The page asks the user for the municipality and sends both
// headers; the server checks them on every call as for any client. Other kinds: the page as it is.
void NameOtherActor(const ConnectedSystem& system, std::string* html, std::string* etag) {
  if (system.kind != "other_actor") return;
  nlohmann::ordered_json kommuner = nlohmann::ordered_json::array();
  auto add = [&](int code, const std::string& controller) {
    for (const auto& k : kommuner) {
      if (k["kode"] == code) return;
    }
    kommuner.push_back({{"kode", code}, {"navn", controller}});
  };
  if (system.municipality != 0) add(system.municipality, system.controller);
  for (const auto& [code, controller] : system.acts_for) add(code, controller);
  nlohmann::ordered_json actor{{"cvr", system.cvr}, {"kommuner", kommuner}};
  std::string meta = "<meta name=\"dfdg-anden-aktoer\" content=\"" + Escape(actor.dump()) + "\">\n";
  size_t head = html->find("</head>");
  if (head == std::string::npos) return;
  html->insert(head, meta);
  if (etag->size() >= 2) {  // the page now differs per actor: so does its ETag
    char tag[32];
    std::snprintf(tag, sizeof tag, "-%016zx", std::hash<std::string>{}(meta));
    etag->insert(etag->size() - 1, tag);
  }
}

}  // namespace

std::vector<Route> PageRoutes() {
  std::vector<Route> routes;
  for (const char* page : kPages) {
    std::string base = std::string("/") + page;
    routes.push_back({"GET", base});
    routes.push_back({"GET", base + "/app.js"});
    routes.push_back({"GET", base + "/app.css"});
  }
  return routes;
}

bool IsPageRoute(const std::string& route_path) {
  for (const char* page : kPages) {
    std::string base = std::string("/") + page;
    if (route_path == base || route_path.rfind(base + "/", 0) == 0) return true;
  }
  return false;
}

PageAnswer ServePage(const PageRequest& request, const AccessRules& rules, const std::string& web_dir) {
  PageInfo info = Split(request.route_path);
  const PageRule* rule = rules.Page(info.page);
  bool html = info.asset.empty();
  if (!request.system) {
    const char* da = "Siden kræver et klientcertifikat fra et tilsluttet system.";
    return html ? Refusal(401, da, request, rule, info.page)
                : Problem(401, "Ukendt system", "Unknown or missing client certificate.");
  }
  if (request.suspended) {
    const char* da = "Systemets adgang er lukket (§ 8).";
    return html ? Refusal(403, da, request, nullptr, info.page)
                : Problem(403, "Systemets adgang er lukket (§ 8)", "Access suspended (§ 8).");
  }
  if (!rule || !rules.PageAllowed(request.system->kind, info.page)) {
    std::string da = "Systemet " + request.system->id + " har ikke adgang til denne side.";
    return html ? Refusal(403, da, request, rule, info.page) : Problem(403, "Adgang nægtet", "Access denied.");
  }
  std::string file = info.page + (html ? ".html" : info.asset == "app.js" ? ".js" : ".css");
  StaticFile found = ReadStatic(web_dir + "/" + file, request.gzip_ok && info.asset == "app.js");
  if (!found.found) {
    nlohmann::ordered_json body{{"type", "urn:dfdg:problem:not_found"},
                                {"title", "Siden er ikke bygget"},
                                {"status", 404},
                                {"detail", "The page's assets are missing in " + web_dir + " (build them: make web)."}};
    return {404, body.dump(), "application/problem+json"};
  }
  std::string type = html                     ? "text/html; charset=utf-8"
                     : info.asset == "app.js" ? "application/javascript; charset=utf-8"  // not compressed per request
                                              : "text/css; charset=utf-8";
  if (html) NameOtherActor(*request.system, &found.body, &found.etag);
  if (EtagMatches(request.if_none_match, found.etag)) return {304, "", type, found.etag, found.encoding};
  return {200, std::move(found.body), type, found.etag, found.encoding};
}

}  // namespace dfdg::api
