// The rule module of the own person-group projects created at run time (seed 000 chapter 38, § 135 stk. 4-5;
// catalog/records/builtin/project.yaml, docs/decisions/0039). The commands' subject is kProjectSubject: the
// module's person view holds the projects, one entity per project id.
#include <algorithm>

#include "registry/builtin_rules.h"

namespace dfdg::registry {

const Fact* RunTimeProject(const PersonView& projects, const std::string& project) {
  for (const Fact* f : projects.Of(FactKind::kProject)) {
    if (f->text == project) return f;
  }
  return nullptr;
}

namespace {

// True when the area's list `list` holds `key` in force on `date`.
bool Holds(const catalog::RecordType& area, const char* list, const std::string& key, Date date) {
  for (const catalog::RecordCodeList& l : area.codelists) {
    if (l.key != list) continue;
    for (const catalog::RecordCode& code : l.codes) {
      if (code.key == key && code.validity.Contains(date)) return true;
    }
  }
  return false;
}

// True when the marking area's lists name `project` (a state or joint project, or an own project's entry in
// `own_projects`), in any version: a run-time project may not take an id the markings already resolve.
bool Listed(const catalog::Catalog& catalog, const std::string& project) {
  const catalog::RecordType* marking = catalog.FindBuiltinCommand("add_marking").area;
  if (!marking) return false;
  for (const catalog::RecordCodeList& l : marking->codelists) {
    bool whole = l.key == "projects_state" || l.key == "projects_joint";
    if (!whole && l.key != "own_projects") continue;
    for (const catalog::RecordCode& code : l.codes) {
      if (whole ? code.key == project
                : code.key.size() > project.size() && code.key.ends_with("/" + project)) {
        return true;
      }
    }
  }
  return false;
}

// The owner the command's actor names, when it names one: a job centre's municipality ("101", "CVR@101"; a
// system id names none), an a-kasse's number (any actor of the a-kasse channel). "" = names none.
std::string ActorOwner(const Command& c) {
  if (c.channel == catalog::Channel::kAkasse) return c.actor;
  std::string actor = c.actor.substr(c.actor.find('@') == std::string::npos ? 0 : c.actor.find('@') + 1);
  bool digits = !actor.empty() && actor.size() <= 4 &&
                std::all_of(actor.begin(), actor.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  return digits ? std::to_string(std::stoi(actor)) : "";
}

// The owner as compared: a municipality code without leading zeros, an a-kasse number as given.
std::string Normal(const std::string& kind, const std::string& owner) {
  bool digits = !owner.empty() && owner.size() <= 4 &&
                std::all_of(owner.begin(), owner.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  return kind == "jobcenter" && digits ? std::to_string(std::stoi(owner)) : owner;
}

void ProjectRegister(const RecordRuleContext& x, std::vector<Violation>* out) {
  const Command& c = x.command;
  if (!IsProjectCommand(c.type)) return;
  auto add = [&](int code, Fields fields) { AddViolation(out, x.catalog, c.registered, code, std::move(fields)); };
  const std::string project = *c.Text("project");
  const std::string kind = *c.Text("project_kind");
  const std::string owner = Normal(kind, *c.Text("owner"));
  const std::string channel = catalog::ChannelKey(c.channel);
  // The channel owns projects of this kind only, and an actor that names an owner is that owner.
  std::string named = ActorOwner(c);
  if (!Holds(x.area, "project_owner_channels", kind + "/" + channel, c.registered) ||
      (!named.empty() && named != owner)) {
    add(3055, {{"detail", project}, {"owner", kind + "/" + owner}, {"actor", channel + "/" + c.actor}});
  }
  if (kind == "jobcenter") {
    bool known = !owner.empty() && std::all_of(owner.begin(), owner.end(), [](char ch) {
      return ch >= '0' && ch <= '9';
    }) && owner.size() <= 4 && x.catalog.FindMunicipality(std::stoi(owner));
    if (!known) add(3030, {{"detail", owner}});
  }
  const Fact* existing = RunTimeProject(x.person, project);
  if (c.type == CommandType::kCreateProject) {
    if (existing || Listed(x.catalog, project)) add(3053, {{"detail", project}});
    return;
  }
  if (!existing) {
    add(3054, {{"detail", project}});
    return;
  }
  std::string stored_kind = existing->extra.value("project_kind", std::string());
  std::string stored_owner = existing->extra.value("owner", std::string());
  if (stored_kind != kind || stored_owner != owner) {
    add(3055, {{"detail", project}, {"owner", stored_kind + "/" + stored_owner}, {"actor", kind + "/" + owner}});
  }
  // The closing date is not before the creation date (both given to correct_project: period_order).
  Date start = c.start.value_or(existing->start);
  std::optional<Date> end = c.end ? c.end : existing->end;
  if (!(c.start && c.end) && end && *end < start) {
    add(2010, {{"start", FormatDate(start)}, {"end", FormatDate(*end)}});
  }
}

}  // namespace

const RecordRuleModule kProjectRegisterModule{"project_register", "§ 135, stk. 4-5", ProjectRegister};

}  // namespace dfdg::registry
