#include "automation/project_closing.h"

#include <set>

#include "registry/command.h"

namespace dfdg::automation {
namespace {

using Json = nlohmann::json;
using registry::Fact;
using registry::FactKind;

Json Base(const char* name, const DailyRule& rule, const std::string& cpr, Date day, int64_t entity) {
  return Json{{"command", name},
              {"id", "daily:" + FormatDate(day) + ":" + rule.cause.rule + ":" + cpr + ":" + std::to_string(entity)},
              {"cpr", cpr},
              {"registered_at", FormatDate(day)},
              {"channel", "dfdg"},
              {"actor", rule.cause.rule}};
}

// The project a marking belongs to: the one it names, else the catalogue project whose `project_markings` hold
// its name ("<project>/<marking>", any version).
std::string ProjectOf(const catalog::RecordType* area, const Fact& m) {
  if (m.extra.is_object() && m.extra.contains("project") && m.extra["project"].is_string()) {
    return m.extra["project"].get<std::string>();
  }
  if (!area) return "";
  for (const catalog::RecordCodeList& l : area->codelists) {
    if (l.key != "project_markings") continue;
    for (const catalog::RecordCode& code : l.codes) {
      size_t slash = code.key.find('/');
      if (slash != std::string::npos && code.key.substr(slash + 1) == m.text) return code.key.substr(0, slash);
    }
  }
  return "";
}

// The generated berigtigelseskommentar: the rule, the project and its closing.
std::string Comment(const DailyRule& rule, const std::string& project, Date last) {
  return "Automatisk berigtigelse (" + rule.cause.rule + "): persongruppeprojektet '" + project + "' lukker " +
         FormatDate(last);
}

}  // namespace

Result<std::map<std::string, Date>> ProjectClosings(const catalog::Catalog& catalog, store::Store* store) {
  std::map<std::string, Date> out;
  if (const catalog::RecordType* area = catalog.FindBuiltinCommand("add_marking").area) {
    std::map<std::string, std::optional<Date>> last;  // project → latest valid_to over its versions (none: open)
    std::set<std::string> open;
    for (const catalog::RecordCodeList& l : area->codelists) {
      bool own = l.key == "own_projects";
      if (!own && l.key != "projects_state" && l.key != "projects_joint") continue;
      for (const catalog::RecordCode& code : l.codes) {
        std::string project = own ? code.key.substr(code.key.rfind('/') + 1) : code.key;
        if (!code.validity.to) {
          open.insert(project);
          continue;
        }
        std::optional<Date>& to = last[project];
        if (!to || *code.validity.to > *to) to = *code.validity.to;
      }
    }
    for (const auto& [project, to] : last) {
      if (!open.count(project) && to) out[project] = *to - std::chrono::days(1);
    }
  }
  auto subject = store->LoadPerson(registry::kProjectSubject);
  if (!subject.ok()) return subject.status();
  registry::PersonView projects(*subject, std::nullopt);
  for (const Fact* p : projects.Of(FactKind::kProject)) {
    if (p->end) {
      out[p->text] = *p->end;
    } else {
      out.erase(p->text);
    }
  }
  return out;
}

void EndMarkingsAtClosing(const catalog::Catalog& catalog, const DailyRule& rule, const registry::PersonView& view,
                          const std::map<std::string, Date>& closings, Date day, std::vector<Json>* out) {
  const catalog::RecordType* area = catalog.FindBuiltinCommand("add_marking").area;
  // end_marking ends every open marking of that name on that project: one command per (project, name).
  std::set<std::pair<std::string, std::string>> planned;
  for (const Fact* m : view.Of(FactKind::kMarking)) {
    std::string project = ProjectOf(area, *m);
    auto closing = closings.find(project);
    if (closing == closings.end()) continue;
    Date last = closing->second;
    if (m->end && *m->end <= last) continue;  // within the project's period
    if (m->start > last) {
      Json c = Base("cancel_marking", rule, view.cpr(), day, m->entity_id);
      c["marking_id"] = m->entity_id;
      c["comment"] = Comment(rule, project, last);
      out->push_back(std::move(c));
      continue;
    }
    bool names = m->extra.is_object() && m->extra.contains("project");
    if (names && (!m->end || *m->end >= day)) {
      if (!planned.emplace(project, m->text).second) continue;
      Json c = Base("end_marking", rule, view.cpr(), day, m->entity_id);
      c["marking"] = m->text;
      c["project"] = project;
      c["end"] = FormatDate(last);
      out->push_back(std::move(c));
      continue;
    }
    Json c = Base("correct_marking", rule, view.cpr(), day, m->entity_id);
    c["marking_id"] = m->entity_id;
    c["end"] = FormatDate(last);
    c["comment"] = Comment(rule, project, last);
    out->push_back(std::move(c));
  }
}

}  // namespace dfdg::automation
