#include "api/access.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "api/routes.h"

namespace dfdg::api {

catalog::Channel AccessRules::KindChannel(const std::string& kind) const {
  const SystemKind* known = kinds_.Find(kind);
  return known ? known->channel : catalog::Channel::kJobcenter;
}

Result<AccessRules> AccessRules::Load(const std::string& path) {
  AccessRules out;
  auto kinds = SystemKinds::Load(path);
  if (!kinds.ok()) return kinds.status();
  out.kinds_ = std::move(kinds).value();
  auto unknown = [&](const std::string& kind, const std::string& where) {
    return Status::InvalidArgument(path + ": " + where + " names the unknown kind '" + kind +
                                   "' (system_kinds: " + out.kinds_.KnownList() + ")");
  };
  try {
    YAML::Node root = YAML::LoadFile(path);
    for (const auto& r : root["rules"]) {
      AccessRule rule;
      rule.kind = r["kind"].as<std::string>();
      if (!out.kinds_.Find(rule.kind)) return unknown(rule.kind, "a rule");
      rule.resources = r["resources"].as<std::vector<std::string>>();
      for (const auto& op : r["operations"].as<std::vector<std::string>>()) {
        if (op == "read") {
          rule.read = true;
        } else if (op == "write") {
          rule.write = true;
        } else {
          return Status::InvalidArgument(path + ": unknown operation '" + op + "'");
        }
      }
      rule.relation = r["relation"].as<std::string>();
      if (rule.relation != "own_municipality" && rule.relation != "takes_over" && rule.relation != "member" &&
          rule.relation != "self" && rule.relation != "any" && rule.relation != "project_owner") {
        return Status::InvalidArgument(path + ": unknown relation '" + rule.relation + "'");
      }
      rule.source = r["source"].as<std::string>();
      out.rules_.push_back(std::move(rule));
    }
    for (const auto& p : root["pages"]) {
      PageRule page{p["page"].as<std::string>(), p["kinds"].as<std::vector<std::string>>(),
                    p["source"].as<std::string>()};
      if (page.page.empty() || page.kinds.empty())
        return Status::InvalidArgument(path + ": a page needs page and kinds");
      for (const std::string& kind : page.kinds) {
        if (!out.kinds_.Find(kind)) return unknown(kind, "page '" + page.page + "'");
      }
      out.pages_.push_back(std::move(page));
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(path + ": " + e.what());
  }
  return out;
}

void AccessRules::UseDeclarations(std::shared_ptr<const catalog::Catalog> catalog) { catalog_ = std::move(catalog); }

const catalog::RecordType* AccessRules::AreaOf(const std::string& resource) const {
  if (!catalog_) return nullptr;
  std::string name = resource.substr(0, resource.find('.'));
  if (name == kProjectResource) {  // the own person-group projects' area (catalog/records/builtin/project.yaml)
    for (const catalog::RecordType& area : catalog_->model().builtin_areas) {
      if (area.key == "project") return &area;
    }
    return nullptr;
  }
  for (const ResourceSpec& spec : Resources()) {
    if (spec.name != name) continue;
    for (const catalog::RecordType& area : catalog_->model().builtin_areas) {
      if (area.key == spec.fact_kind) return &area;
    }
  }
  return nullptr;
}

AccessDecision AccessRules::Check(const ConnectedSystem& system, const std::string& resource, bool write,
                                  const PersonRelationFacts& person, bool creating_akasse, const std::string& command,
                                  Date date, int named_municipality) const {
  const SystemKind* kind = kinds_.Find(system.kind);
  if (!kind) return {false, "unknown kind " + system.kind, ""};
  if (kind->needs_cvr && system.cvr.empty()) return {false, system.kind + " without CVR (§ 6 stk. 4)", ""};
  // The declarations: which channel may do what with which area.
  const catalog::RecordType* area = nullptr;
  catalog::RecordAction action = catalog::RecordAction::kRead;
  bool record_command = false;  // a command of a declared record type (catalog/records/*.yaml)
  if (catalog_ && write) {
    catalog::BuiltinCommandRef ref = catalog_->FindBuiltinCommand(command);
    if (ref.area) {
      area = ref.area;
      action = ref.command->action;
    } else if (catalog::RecordCommandRef rec = catalog_->FindRecordCommand(command); rec.type) {
      area = rec.type;
      action = rec.action;
      record_command = true;
    }
  } else if (catalog_) {
    area = AreaOf(resource);
  }
  if (area) {
    catalog::Channel channel = kind->channel;
    const catalog::ActorRule* actor = area->ActorOn(channel, date);
    if (!actor || !actor->May(action)) {
      return {false,
              std::string("not declared: ") + catalog::ChannelKey(channel) + " may not " +
                  catalog::RecordActionKey(action) + " " + area->key + " (" + area->defined_at.file + ")",
              ""};
    }
  }
  bool area_resource = AreaOf(resource) != nullptr;  // a batch ("*") is covered by "*" rules only
  // A project names no person: only the project_owner rules judge a project line or a project read (a read
  // also a rule of relation any: the agency), and they judge nothing else.
  bool project_command = (write && area && area->key == "project") || (!write && resource == kProjectResource);
  std::string last_reason = "no rule for " + system.kind + " " + resource + (write ? " write" : " read");
  for (const AccessRule& rule : rules_) {
    if (rule.kind != system.kind || (write ? !rule.write : !rule.read)) continue;
    auto names = [&](const char* name) {
      return std::find(rule.resources.begin(), rule.resources.end(), name) != rule.resources.end();
    };
    if (!names(resource.c_str()) && !names("*") && !(area_resource && names("areas")) &&
        !(record_command && names("records")))
      continue;
    if ((rule.relation == "project_owner") != project_command && !(project_command && !write && rule.relation == "any"))
      continue;
    bool related = false;
    if (rule.relation == "any") {
      related = true;
    } else if (rule.relation == "self") {
      related = person.self;
    } else if (rule.relation == "own_municipality") {
      related = person.municipality == system.municipality || (write && person.municipality == 0);
    } else if (rule.relation == "takes_over") {
      // § 16 stk. 5: the municipality of residence moves the person's myndighedstilknytning to itself.
      related = write && command == "set_municipality" && system.municipality != 0 &&
                named_municipality == system.municipality;
    } else if (rule.relation == "project_owner") {
      // § 135 stk. 4-5: a job centre or an a-kasse creates, closes and corrects its own projects only.
      std::string self = system.kind == "akasse" ? "akasse/" + system.akasse
                                                 : "jobcenter/" + std::to_string(system.municipality);
      related = !person.project_owner.empty() && person.project_owner == self &&
                (system.kind != "akasse" || !system.akasse.empty()) && (system.kind == "akasse" || system.municipality != 0);
    } else if (rule.relation == "member") {
      // A new membership: set_akasse for a person without one; the a-kasse's intake report also for a member of
      // another a-kasse (§ 61 stk. 1: a transfer, which ends the old membership).
      related = (!system.akasse.empty() && person.akasse == system.akasse) ||
                (write && creating_akasse && (person.akasse.empty() || command == "register_akasse_intake"));
    }
    if (related) return {true, "", rule.source};
    last_reason = "relation " + rule.relation;
  }
  return {false, last_reason, ""};
}

const PageRule* AccessRules::Page(const std::string& page) const {
  for (const PageRule& p : pages_) {
    if (p.page == page) return &p;
  }
  return nullptr;
}

bool AccessRules::PageAllowed(const std::string& kind, const std::string& page) const {
  const PageRule* p = Page(page);
  return p && std::find(p->kinds.begin(), p->kinds.end(), kind) != p->kinds.end();
}

}  // namespace dfdg::api
