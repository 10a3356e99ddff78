// The person reads that are not a registry function (the resources' lists, items and histories; the run-time
// projects) and the deep links of a citizen's view (docs/api.md).
#include <algorithm>
#include <map>

#include "api/server_impl.h"
#include "registry/record_report.h"

namespace dfdg::api {

// § 86: each immediate-computation notice of a citizen's view (`notices`) gets the deep link its a-kasse told
// the agency (the a-kasse system's `immediate_computation_link`); null when none is configured.
void ApiServer::Impl::AddImmediateComputationLinks(Json* view) const {
  for (auto& notice : (*view)["notices"]) {
    if (notice.value("notice", "") != "straksopgoerelse") continue;
    notice["link"] = nullptr;
    for (const ConnectedSystem& s : options.config.systems) {
      if (s.kind == "akasse" && s.akasse == notice.value("akasse_code", "") && !s.immediate_computation_link.empty())
        notice["link"] = s.immediate_computation_link;
    }
  }
}

// Facts of one kind (and entity) from the store, for GET list / item / history.
// `known`: only versions recorded on or before that day (?kendt_pr=), as the registry knew them then;
// `corrected`: lists also entities whose last version is a correction (?berigtigede=med), marked deleted.
ReadFn ApiServer::Impl::Facts(const std::string& kind, int64_t entity, bool history, std::optional<Date> known,
                              bool corrected) {
  return [kind, entity, history, known, corrected](registry::Registry&, store::Store& store, const std::string& cpr,
                                                   const registry::PersonHistory* person) -> std::pair<int, Json> {
    std::optional<registry::PersonHistory> own;
    if (!person || person->cpr != cpr) {
      auto read = store.LoadPerson(cpr);
      if (!read.ok()) return {500, Json(read.status().message())};
      person = &own.emplace(std::move(read).value());
    }
    const registry::PersonHistory* loaded = person;
    std::map<int64_t, std::vector<const registry::Fact*>> versions;
    for (const auto& f : loaded->facts) {
      if (registry::FactKindKey(f.kind) != kind || (entity && f.entity_id != entity)) continue;
      if (known && f.recorded_on > *known) continue;
      versions[f.entity_id].push_back(&f);
    }
    Json out = Json::array();
    for (auto& [id, list] : versions) {
      std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->seq < b->seq; });
      if (history) {
        for (auto* f : list) out.push_back(FactJson(*f));
      } else if (!list.back()->deleted || (corrected && !entity)) {
        out.push_back(FactJson(*list.back()));
      }
    }
    if (entity && out.empty()) return {404, nullptr};
    if (entity && !history) return {200, out[0]};
    return {200, out};
  };
}

Reply ApiServer::Impl::Projects(const Route& route, const httplib::Request& req, const ConnectedSystem& system) {
  registry::ProjectQuery query;
  if (req.matches.size() > 1) query.project = req.matches[1];
  query.history = route.path.ends_with("/historik");
  for (const char* name : {"kendt_pr", "dato"}) {
    if (!req.has_param(name)) continue;
    if (!query.project.empty() && std::string_view(name) == "dato")
      return Problem(400, "invalid_argument", "dato gælder kun listen", "dato applies to the list only.");
    auto d = ParseDate(req.get_param_value(name));
    if (!d.ok()) return Problem(400, "invalid_date", "Ugyldig dato", std::string("Invalid ").append(name).append("."));
    (std::string_view(name) == "dato" ? query.exists_on : query.known_at) = *d;
  }
  Date today = clock->Today();
  const AccessRules* access = &rules;
  const ConnectedSystem* who = &system;
  ReadFn read = [query, today, access, who](registry::Registry&, store::Store& from, const std::string&,
                                            const registry::PersonHistory*) -> std::pair<int, Json> {
    auto subject = from.LoadPerson(registry::kProjectSubject);
    if (!subject.ok()) return {500, Json(subject.status().message())};
    // Per project: may the system read it (its owner as the relation project_owner, docs/api.md)?
    auto may_read = [&](const Json& version) {
      PersonRelationFacts owner;
      owner.project_owner = version.value("project_kind", "") + "/" + version.value("owner", "");
      return access->Check(*who, kProjectResource, false, owner, false, "", today).allowed;
    };
    // A system that could not read even a project of its own reads none (jobnet, KSD, an other actor): refused.
    Json own{{"project_kind", who->kind == "akasse" ? "akasse" : "jobcenter"},
             {"owner", who->kind == "akasse" ? who->akasse : std::to_string(who->municipality)}};
    if (!may_read(own)) return {403, nullptr};
    Json found = registry::ProjectsJson(*subject, query);
    Json out = Json::array();
    bool refused = false;
    for (Json& p : found) {
      const Json& current = query.history ? p["versions"].back() : p;
      if (may_read(current)) {
        out.push_back(std::move(p));
      } else {
        refused = true;
      }
    }
    if (query.project.empty()) return {200, std::move(out)};
    if (out.empty()) return {refused ? 403 : 404, nullptr};
    return {200, query.history ? std::move(out[0]["versions"]) : std::move(out[0])};
  };
  std::string subject = registry::kProjectSubject;
  if (!query.project.empty()) subject.append("/").append(query.project);
  Job job{&system, kProjectResource, false, route.method + " " + route.path, req.get_header_value("x-requestId"), {},
          subject, std::move(read)};
  job.checks_itself = true;  // per project, in `read`
  auto outcome = RunRead(std::move(job));
  if (!outcome || outcome->store_failed) return Unavailable();
  if (outcome->read_refused) return Refused();
  if (outcome->read_status == 404) return Problem(404, "not_found", "Findes ikke", "Not found.");
  return {outcome->read_status, std::move(outcome->read_body), false, ""};
}

}  // namespace dfdg::api
