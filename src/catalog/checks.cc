// Referential integrity and validity checks over a parsed catalogue model.
#include <map>
#include <set>

#include "catalog/checks_internal.h"
#include "catalog/loader.h"

namespace dfdg::catalog {
namespace {

class Checker {
 public:
  Checker(const Model& model, std::vector<std::string>* errors) : model_(model), errors_(errors) {}

  void Run() {
    IndexSources();
    CheckObligations();
    CheckContactGroups();
    CheckVisitation();
    CheckAbsences();
    CheckDuties();
    CheckMeasure();
    CheckCodeLists();
    CheckViolations();
    CheckRegistryRules();
    CheckContactCourse();
    CheckRecipients();
  }

 private:
  void Error(const FileRef& at, const std::string& message) { AddError(errors_, at, message); }

  void IndexSources() { seed_lines_ = SeedLines(model_); }

  void CheckRefs(const FileRef& at, const std::vector<SourceRef>& refs) {
    CheckSourceRefs(seed_lines_, at, refs, errors_);
  }

  void CheckObligations() {
    for (const auto& o : model_.obligations) {
      if (!obligations_.insert(o.key).second) Error(o.defined_at, "obligation '" + o.key + "' defined twice");
      CheckRefs(o.defined_at, o.sources);
    }
    auto known = [&](const FileRef& at, const std::string& key) {
      if (!obligations_.count(key)) Error(at, "unknown obligation '" + key + "'");
      if (key == "administrativ_markering") Error(at, "'administrativ_markering' lifts nothing and implies nothing");
    };
    for (const auto& d : model_.same_duties) {
      for (const auto& key : d.keys) known(d.defined_at, key);
      CheckRefs(d.defined_at, d.sources);
    }
    for (const auto& e : model_.implied_exemptions) {
      known(e.defined_at, e.lifted);
      for (const auto& key : e.also_lifts) {
        known(e.defined_at, key);
        if (key == e.lifted) Error(e.defined_at, "obligation '" + key + "' implies itself");
      }
      CheckRefs(e.defined_at, e.sources);
    }
  }

  void CheckContactGroups() {
    for (const auto& g : model_.contact_groups) {
      if (g.id < 1 || g.id > 99) Error(g.defined_at, "contact group id must be 1-99");
      if (!groups_.insert(g.id).second) Error(g.defined_at, "contact group " + std::to_string(g.id) + " defined twice");
      if (g.names.empty()) Error(g.defined_at, "contact group " + std::to_string(g.id) + " has no name");
      for (size_t i = 0; i < g.names.size(); ++i) {
        CheckRefs(g.defined_at, g.names[i].sources);
        for (size_t j = i + 1; j < g.names.size(); ++j) {
          if (g.names[i].validity.Overlaps(g.names[j].validity)) {
            Error(g.defined_at, "contact group " + std::to_string(g.id) + " has overlapping name versions " +
                                    g.names[i].validity.ToString() + " and " + g.names[j].validity.ToString());
          }
        }
      }
      CheckRefs(g.defined_at, g.sources);
    }
  }

  void CheckGroupList(const FileRef& at, const std::vector<int>& ids, const std::string& what) {
    if (ids.empty()) Error(at, what + " lists no contact group");
    for (int id : ids) {
      if (!groups_.count(id)) Error(at, what + " names unknown contact group " + std::to_string(id));
    }
  }

  void CheckVisitationKey(const FileRef& at, const std::optional<std::string>& key) {
    if (key && !visitation_.count(*key)) Error(at, "unknown visitation category '" + *key + "'");
  }

  void CheckVisitation() {
    for (const auto& v : model_.visitation_categories) {
      if (!visitation_.insert(v.key).second) Error(v.defined_at, "visitation category '" + v.key + "' defined twice");
      CheckGroupList(v.defined_at, v.contact_groups, "visitation category '" + v.key + "'");
      CheckRefs(v.defined_at, v.sources);
    }
  }

  void CheckAbsences() {
    for (const auto& a : model_.absences) {
      if (a.id < 1 || a.id > 127) Error(a.defined_at, "reason id must be 1-127");
      if (!reasons_.insert(a.id).second) Error(a.defined_at, "reason " + std::to_string(a.id) + " defined twice");
    }
    for (const auto& a : model_.absences) {
      std::string name = "reason " + std::to_string(a.id);
      CheckRefs(a.defined_at, a.sources);
      for (int other : a.no_overlap_with) {
        if (!reasons_.count(other))
          Error(a.defined_at, name + ": no_overlap_with names unknown reason " + std::to_string(other));
      }
      // A reason without rows cannot be registered, so it needs no date rules (e.g. one known only from Bilag 3).
      if (a.date_rules.empty() && !a.rows.empty()) Error(a.defined_at, name + " has rows but no date rules");
      for (size_t i = 0; i < a.date_rules.size(); ++i) {
        const DateRule& rule = a.date_rules[i];
        CheckRefs(rule.defined_at, rule.sources);
        if (rule.contact_groups) CheckGroupList(rule.defined_at, *rule.contact_groups, name + " date rule");
        for (size_t j = i + 1; j < a.date_rules.size(); ++j) {
          const DateRule& other = a.date_rules[j];
          if (rule.contact_groups == other.contact_groups && rule.channels == other.channels &&
              rule.validity.Overlaps(other.validity)) {
            Error(other.defined_at, name + ": date rule overlaps the validity of the rule at line " +
                                        std::to_string(rule.defined_at.line) + " for the same groups and channels");
          }
        }
      }
      CheckRows(a, name);
    }
  }

  void CheckRows(const Absence& a, const std::string& name) {
    // (group, visitation) -> rows, to find overlapping versions of the same cell.
    std::map<std::pair<int, std::string>, std::vector<const Row*>> cells;
    for (const auto& row : a.rows) {
      CheckRefs(row.defined_at, row.sources);
      CheckGroupList(row.defined_at, row.contact_groups, name + " row");
      CheckVisitationKey(row.defined_at, row.visitation);
      for (const auto& key : row.exempts) {
        if (!obligations_.count(key))
          Error(row.defined_at, name + " row names unknown obligation '" + key +
                                    "'");  // NOLINT(performance-inefficient-string-concatenation)
      }
      for (int group : row.contact_groups) {
        auto& list = cells[{group, row.visitation.value_or("")}];
        for (const Row* earlier : list) {
          if (earlier->validity.Overlaps(row.validity)) {
            Error(row.defined_at, name + ": contact group " + std::to_string(group) +
                                      (row.visitation ? " / " + *row.visitation : std::string()) +
                                      " already has a row at line " + std::to_string(earlier->defined_at.line) +
                                      " with overlapping validity");
          }
        }
        list.push_back(&row);
      }
    }
  }

  void CheckDuties() {
    std::set<std::pair<int, int>> seen;  // (reason, mode)
    for (const auto& duty : model_.registration_duties) {
      std::string name = "registration duty for reason " + std::to_string(duty.reason);
      if (!reasons_.count(duty.reason)) Error(duty.defined_at, name + ": unknown reason");
      if (!seen.insert({duty.reason, static_cast<int>(duty.mode)}).second)
        Error(duty.defined_at, name + " listed twice");
      for (const auto& row : duty.rows) {
        CheckGroupList(duty.defined_at, row.contact_groups, name);
        CheckVisitationKey(duty.defined_at, row.visitation);
      }
      CheckRefs(duty.defined_at, duty.sources);
    }
  }

  void CheckMeasure() {
    std::set<std::string> benefit_groups;
    for (const auto& g : model_.benefit_groups) benefit_groups.insert(g.key);
    for (const auto& e : model_.measure_exemptions) {
      if (!benefit_groups.empty() && !benefit_groups.count(e.benefit_group)) {
        Error(e.defined_at, "measure exemption names unknown benefit group '" + e.benefit_group + "'");
      }
      for (const auto& reason : e.reasons) {
        if (!reason.historic && !reasons_.count(reason.id)) {
          Error(e.defined_at, "measure exemption for '" + e.benefit_group + "' names unknown reason " +
                                  std::to_string(reason.id) + " (mark it historic: true if it no longer exists)");
        }
      }
      CheckRefs(e.defined_at, e.sources);
    }
  }

  void CheckCodeLists() {
    std::set<std::string> keys;
    for (const auto& list : model_.codelists) {
      if (!keys.insert(list.key).second) Error(list.defined_at, "code list '" + list.key + "' defined twice");
      std::set<int> codes;
      for (const auto& code : list.codes) {
        if (!codes.insert(code.code).second) {
          Error(list.defined_at, "code list '" + list.key + "' has code " + std::to_string(code.code) + " twice");
        }
        CheckRefs(list.defined_at, code.sources);
      }
      CheckRefs(list.defined_at, list.sources);
    }
  }

  void CheckRegistryRules() {
    for (size_t i = 0; i < model_.deregistration_rules.size(); ++i) {
      const auto& rule = model_.deregistration_rules[i];
      CheckRefs(rule.defined_at, rule.sources);
      for (size_t j = i + 1; j < model_.deregistration_rules.size(); ++j) {
        if (rule.validity.Overlaps(model_.deregistration_rules[j].validity)) {
          Error(model_.deregistration_rules[j].defined_at, "deregistration rules overlap in validity");
        }
      }
    }
  }

  // catalog/recipients.yaml: unique kinds, every recipient of a known kind and with its seed lines, versions of
  // one key that do not overlap; a recipient of a kind addressed by its id has one.
  void CheckRecipients() {
    std::set<std::string> kinds;
    for (const auto& k : model_.recipient_kinds) {
      if (!kinds.insert(k.key).second) Error(k.defined_at, "recipient kind '" + k.key + "' defined twice");
      CheckRefs(k.defined_at, k.sources);
    }
    const auto& all = model_.recipients;
    for (size_t i = 0; i < all.size(); ++i) {
      const Recipient& x = all[i];
      if (!kinds.count(x.kind)) {
        Error(x.defined_at, "recipient '" + x.key + "': unknown recipient kind '" + x.kind + "'");
      }
      CheckRefs(x.defined_at, x.sources);
      for (size_t j = i + 1; j < all.size(); ++j) {
        if (all[j].key == x.key && all[j].validity.Overlaps(x.validity)) {
          Error(all[j].defined_at, "recipient '" + x.key + "' is defined twice for overlapping validity (also line " +
                                       std::to_string(x.defined_at.line) + ")");
        }
      }
    }
  }

  void CheckContactCourse() {
    static const std::set<std::string> kListKeys = {"meeting_forms",       "meeting_types",  "participant_roles",
                                                    "participation_forms", "followup_forms", "cv_statuses",
                                                    "akasse_participation"};
    std::set<std::string> lists;
    for (const auto& list : model_.course_codelists) {
      if (!kListKeys.count(list.key)) Error(list.defined_at, "unknown contact-course code list '" + list.key + "'");
      if (!lists.insert(list.key).second) Error(list.defined_at, "code list '" + list.key + "' defined twice");
      std::set<std::string> keys;
      for (const auto& code : list.codes) {
        if (!keys.insert(code.key).second) Error(list.defined_at, "code '" + code.key + "' twice in " + list.key);
        CheckRefs(list.defined_at, code.sources);
      }
    }
    for (const BlockingRule* rule : {&model_.personal_attendance_blocked_by, &model_.contact_blocked_by,
                                     &model_.deadline_blocked_by, &model_.booking_blocked_by}) {
      for (const auto& key : rule->obligations) {
        if (!obligations_.count(key)) Error(rule->defined_at, "unknown obligation '" + key + "'");
      }
      CheckRefs(rule->defined_at, rule->sources);
    }
  }

  void CheckViolations() {
    std::set<int> codes;
    std::set<std::string> keys;
    for (const auto& v : model_.violations) {
      if (!codes.insert(v.code).second)
        Error(v.defined_at, "violation code " + std::to_string(v.code) + " defined twice");
      if (!keys.insert(v.key).second) Error(v.defined_at, "violation key '" + v.key + "' defined twice");
      CheckRefs(v.defined_at, v.sources);
    }
    if (model_.municipalities.size() != 98) {
      errors_->push_back("catalog/municipalities.csv: expected the 98 municipalities, found " +
                         std::to_string(model_.municipalities.size()));
    }
  }

  const Model& model_;
  std::vector<std::string>* errors_;
  std::map<std::string, int> seed_lines_;
  std::set<std::string> obligations_;
  std::set<int> groups_;
  std::set<std::string> visitation_;
  std::set<int> reasons_;
};

}  // namespace

std::map<std::string, int> SeedLines(const Model& model) {
  std::map<std::string, int> out;
  for (const auto& source : model.sources) out[source.id] = source.lines;
  return out;
}

void AddError(std::vector<std::string>* errors, const FileRef& at, const std::string& message) {
  errors->push_back(at.file + ":" + std::to_string(at.line) + ": " + message);
}

void CheckSourceRefs(const std::map<std::string, int>& seed_lines, const FileRef& at,
                     const std::vector<SourceRef>& refs, std::vector<std::string>* errors) {
  for (const auto& ref : refs) {
    auto it = seed_lines.find(ref.seed);
    if (it == seed_lines.end()) {
      AddError(errors, at, "source names unknown seed '" + ref.seed + "' (see catalog/sources.yaml)");
    } else if (ref.line > it->second) {
      AddError(errors, at,
               "source " + ref.seed + ":" + std::to_string(ref.line) + " is past the end of the seed (" +
                   std::to_string(it->second) + " lines)");
    }
  }
}

void CheckModel(const Model& model, std::vector<std::string>* errors) {
  Checker(model, errors).Run();
  CheckRecordTypes(model, errors);
}

}  // namespace dfdg::catalog
