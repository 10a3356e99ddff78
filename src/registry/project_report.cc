#include "registry/project_report.h"

#include <algorithm>
#include <map>
#include <vector>

namespace dfdg::registry {

nlohmann::ordered_json ProjectVersionJson(const Fact& fact) {
  auto extra = [&](const char* key) {
    return fact.extra.is_object() ? fact.extra.value(key, std::string()) : std::string();
  };
  nlohmann::ordered_json out{{"project", fact.text},
                             {"name", extra("name")},
                             {"project_kind", extra("project_kind")},
                             {"owner", extra("owner")},
                             {"start", FormatDate(fact.start)}};
  out["end"] = fact.end ? nlohmann::ordered_json(FormatDate(*fact.end)) : nlohmann::ordered_json(nullptr);
  out["entity_id"] = fact.entity_id;
  out["seq"] = fact.seq;
  out["recorded_on"] = FormatDate(fact.recorded_on);
  out["channel"] = catalog::ChannelKey(fact.channel);
  out["actor"] = fact.actor;
  if (!fact.comment.empty()) out["comment"] = fact.comment;
  return out;
}

std::string ProjectOwnerKey(const Fact& fact) {
  if (!fact.extra.is_object()) return "";
  return fact.extra.value("project_kind", std::string()) + "/" + fact.extra.value("owner", std::string());
}

nlohmann::ordered_json ProjectsJson(const PersonHistory& subject, const ProjectQuery& query) {
  // Per project id, its versions known on `known_at`, in registration order (the history is sorted by seq).
  std::map<std::string, std::vector<const Fact*>> versions;
  for (const Fact& f : subject.facts) {
    if (f.kind != FactKind::kProject || (!query.project.empty() && f.text != query.project)) continue;
    if (query.known_at && f.recorded_on > *query.known_at) continue;
    versions[f.text].push_back(&f);
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (auto& [id, list] : versions) {
    std::sort(list.begin(), list.end(), [](const Fact* a, const Fact* b) { return a->seq < b->seq; });
    const Fact& current = *list.back();
    if (query.exists_on && !current.CoversDay(*query.exists_on)) continue;
    if (!query.history) {
      out.push_back(ProjectVersionJson(current));
      continue;
    }
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const Fact* f : list) all.push_back(ProjectVersionJson(*f));
    out.push_back({{"project", id}, {"versions", std::move(all)}});
  }
  return out;
}

}  // namespace dfdg::registry
