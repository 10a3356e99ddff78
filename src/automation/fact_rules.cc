#include "automation/fact_rules.h"

#include <algorithm>

#include "registry/fact.h"

namespace dfdg::automation {
namespace {

const std::vector<std::string> kChanges = {"oprettet", "aendret", "aflyst", "afsluttet", "slettet"};
const std::vector<std::string> kSources = {"start", "end", "code", "text"};

bool Has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

class FactReader {
 public:
  FactReader(const catalog::Catalog& catalog, std::vector<std::string>* problems)
      : catalog_(catalog), problems_(problems) {}

  void Problem(const YAML::Node& node, const std::string& text) { AddProblem(problems_, node, text); }
  std::vector<std::string> Texts(const YAML::Node& entry, const char* key) {
    return ReadTexts(problems_, entry, key);
  }

  int Group(const YAML::Node& node, const std::string& text) {
    int group = 0;
    try {
      group = std::stoi(text);
    } catch (...) {
    }
    if (!catalog_.FindContactGroup(group)) Problem(node, "unknown contact group " + text);
    return group;
  }

  FactForward Read(const YAML::Node& entry) {
    FactForward f;
    const YAML::Node node = entry["forward"];
    if (!node || !node.IsMap()) {
      Problem(entry, "event fact_forwarded needs a 'forward' mapping");
      return f;
    }
    f.fact_kind = node["fact_kind"] ? node["fact_kind"].Scalar() : "";
    auto kind = registry::ParseFactKind(f.fact_kind);
    if (!kind || *kind == registry::FactKind::kRecord)
      Problem(node, "unknown fact_kind '" + f.fact_kind + "' (a stored kind other than record)");
    f.changes = Texts(node, "changes");
    if (f.changes.empty()) Problem(node, "missing 'changes'");
    for (const std::string& c : f.changes) {
      if (!Has(kChanges, c)) Problem(node, "unknown change '" + c + "'");
    }
    f.kinds = Texts(node, "kinds");
    for (const std::string& k : f.kinds) {
      if (!KnownMeetingKind(catalog_, k)) Problem(node, "unknown interview or meeting type '" + k + "'");
    }
    if (node["flag"]) f.flag = node["flag"].Scalar();
    for (const std::string& name : Texts(node, "channels")) {
      if (auto channel = catalog::ParseChannel(name)) {
        f.channels.push_back(*channel);
      } else {
        Problem(node, "unknown channel '" + name + "'");
      }
    }
    if (const YAML::Node categories = node["registration_categories"]) {
      if (!categories.IsMap()) Problem(categories, "'registration_categories' must map a group to categories");
      for (const auto& item : categories) {
        std::vector<int> list;
        for (const auto& c : item.second) {
          try {
            list.push_back(std::stoi(c.Scalar()));
          } catch (...) {
            Problem(c, "a registration category must be a number");
          }
        }
        f.registration_categories.emplace_back(Group(item.first, item.first.Scalar()), std::move(list));
      }
    }
    std::string judged = node["judged_on"] ? node["judged_on"].Scalar() : "start";
    if (judged != "start" && judged != "registered") Problem(node, "'judged_on' must be start or registered");
    f.judged_on_registered = judged == "registered";
    if (const YAML::Node fields = node["fields"]) {
      if (!fields.IsMap()) Problem(fields, "'fields' must map a payload name to a source");
      for (const auto& item : fields) {
        std::string source = item.second.Scalar();
        if (!Has(kSources, source) && source.rfind("extra.", 0) != 0)
          Problem(item.second, "unknown field source '" + source + "' (start, end, code, text, extra.<key>)");
        f.fields.emplace_back(item.first.Scalar(), source);
      }
    }
    if (const YAML::Node lists = node["code_lists"]) {
      for (const auto& item : lists) {
        std::string field = item.first.Scalar(), list = item.second.Scalar();
        bool named = std::any_of(f.fields.begin(), f.fields.end(), [&](const auto& p) { return p.first == field; });
        if (!named) Problem(item.first, "code list for '" + field + "', which is not among 'fields'");
        if (!catalog_.HasCourseCodeList(list)) Problem(item.second, "unknown code list '" + list + "'");
        f.code_lists.emplace_back(field, list);
      }
    }
    for (const std::string& c : Texts(node, "codes")) {
      try {
        f.codes.push_back(std::stoi(c));
      } catch (...) {
        Problem(node, "a code in 'codes' must be a number");
      }
    }
    if (kind && *kind == registry::FactKind::kAbsence) {
      for (int c : f.codes) {
        if (!catalog_.FindAbsence(c)) Problem(node, std::string("unknown absence reason ").append(std::to_string(c)));
      }
    }
    if (const YAML::Node lookup = node["lookup"]) {
      f.lookup_type = lookup["record_type"] ? lookup["record_type"].Scalar() : "";
      f.lookup_id_field = lookup["id_field"] ? lookup["id_field"].Scalar() : "";
      f.lookup_recipient_field = lookup["recipient_field"] ? lookup["recipient_field"].Scalar() : "";
      const catalog::RecordType* type = catalog_.FindRecordType(f.lookup_type);
      if (!type) Problem(lookup, "unknown record type '" + f.lookup_type + "'");
      for (const std::string* field : {&f.lookup_id_field, &f.lookup_recipient_field}) {
        if (type && type->FieldIndex(*field) < 0) Problem(lookup, "unknown field '" + *field + "' of " + f.lookup_type);
      }
    }
    return f;
  }

 private:
  const catalog::Catalog& catalog_;
  std::vector<std::string>* problems_;
};

}  // namespace

void AddProblem(std::vector<std::string>* problems, const YAML::Node& node, const std::string& text) {
  problems->push_back(
      std::string("catalog/automation.yaml:").append(std::to_string(node.Mark().line + 1)).append(": ").append(text));
}

std::vector<std::string> ReadTexts(std::vector<std::string>* problems, const YAML::Node& entry, const char* key) {
  std::vector<std::string> out;
  const YAML::Node node = entry[key];
  if (!node) return out;
  if (!node.IsSequence()) {
    AddProblem(problems, node, std::string("'") + key + "' must be a list");
    return out;
  }
  for (const auto& item : node) out.push_back(item.Scalar());
  return out;
}

bool KnownMeetingKind(const catalog::Catalog& catalog, const std::string& key) {
  if (catalog.FindInterviewType(key)) return true;
  for (const auto& list : catalog.model().course_codelists) {
    if (list.key != "meeting_types") continue;
    for (const auto& code : list.codes) {
      if (code.key == key) return true;
    }
  }
  return false;
}

FactForward ReadFactForward(const YAML::Node& entry, const catalog::Catalog& catalog,
                            std::vector<std::string>* problems) {
  return FactReader(catalog, problems).Read(entry);
}

}  // namespace dfdg::automation
