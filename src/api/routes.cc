#include "api/routes.h"

#include "api/pages.h"
#include "api/stats_routes.h"

namespace dfdg::api {

const std::vector<ResourceSpec>& Resources() {
  static const std::vector<ResourceSpec> kResources = {
      {"Fravaer", "absence", "register_absence", "update_absence", "absence_id", "correct_absence", true},
      {"Kontaktgruppe", "contact_group", "set_contact_group", "", "", "", true},
      {"Visitation", "visitation", "set_visitation", "", "", "", true},
      {"Tilmelding", "jobseeker", "register_jobseeker", "", "", "", true},
      {"Myndighed", "municipality", "set_municipality", "", "", "", true},
      {"Akasse", "akasse", "set_akasse", "", "", "", true},
      {"Indkaldelse", "summons", "create_summons", "update_summons", "summons_id", "cancel_summons", true},
      {"Frist", "deadline", "create_deadline", "change_deadline", "deadline_id", "annul_deadline", false},
      {"Samtale", "interview", "register_interview", "", "interview_id", "correct_interview", true},
      {"Opfoelgning", "followup", "register_followup", "", "followup_id", "correct_followup", true},
      {"CvStatus", "cv_status", "set_cv_status", "", "", "", true},
      {"Akassevalg", "akasse_choice", "set_akasse_choice", "", "", "", true},
      // § 135 person-group markings: PUT = correct_marking (body with `comment`), DELETE = cancel_marking
      // (docs/decisions/0048).
      {"Markering", "marking", "add_marking", "correct_marking", "marking_id", "cancel_marking", true},
  };
  return kResources;
}

std::vector<Route> ApiRoutes() {
  std::vector<Route> routes;
  for (const ResourceSpec& r : Resources()) {
    std::string base = "/v1/" + r.name;
    routes.push_back({"GET", base});
    routes.push_back({"GET", base + "/{id}"});
    routes.push_back({"GET", base + "/{id}/historik"});
    if (!r.create.empty()) routes.push_back({"POST", base});
    if (!r.update.empty()) routes.push_back({"PUT", base + "/{id}"});
    if (!r.correct.empty()) routes.push_back({"DELETE", base + "/{id}/{kommentar}"});
  }
  routes.push_back({"POST", "/v1/Indkaldelse/{id}/kvittering"});
  routes.push_back({"POST", "/v1/Indkaldelse/{id}/ombooking"});
  routes.push_back({"POST", "/v1/Moede"});
  // The own person-group projects (§ 135 stk. 4-5; docs/decisions/0044): no person, read per project.
  routes.push_back({"GET", "/v1/Projekter"});
  routes.push_back({"GET", "/v1/Projekter/{id}"});
  routes.push_back({"GET", "/v1/Projekter/{id}/historik"});
  routes.push_back({"GET", "/v1/status"});
  routes.push_back({"GET", "/v1/Registreringer"});
  routes.push_back({"GET", "/v1/Borgervisning"});
  routes.push_back({"GET", "/v1/Opslag"});
  routes.push_back({"GET", "/v1/Maaling/forklaring"});
  routes.push_back({"POST", "/v1/batch"});
  routes.push_back({"GET", "/v1/katalog"});
  routes.push_back({"POST", "/v1/admin/systems/{id}/suspend"});
  routes.push_back({"POST", "/v1/admin/systems/{id}/reinstate"});
  routes.push_back({"GET", "/openapi.json"});
  routes.push_back({"GET", "/healthz"});
  routes.push_back({"GET", "/readyz"});
  routes.push_back({"GET", "/metrics"});
  for (Route& r : StatsRoutes()) routes.push_back(std::move(r));  // docs/statistics.md
  for (Route& r : PageRoutes()) routes.push_back(std::move(r));   // docs/pages.md
  return routes;
}

std::string PathRegex(const std::string& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      i = path.find('}', i);
      out += "([^/]+)";
    } else {
      out += path[i];
    }
  }
  return out;
}

}  // namespace dfdg::api
