// LoadWhatIf: CHANGES.yaml (docs/measurement-whatif.md) applied to a copy of the catalogue model.
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <filesystem>

#include "catalog/yaml_json.h"
#include "measure/whatif.h"

namespace dfdg::measure {
namespace {

using Json = nlohmann::ordered_json;

struct Loader {
  std::string file;  // file name as shown in messages
  const catalog::Catalog& catalog;
  catalog::Model model;
  std::vector<WhatIfChange> changes;
  std::vector<std::function<void(catalog::Model*)>> apply;  // change i applied to a model

  std::string Where(const YAML::Node& node) const { return file + ":" + std::to_string(node.Mark().line + 1); }
  Status Refuse(const YAML::Node& node, const std::string& message) const {
    return Status::InvalidArgument(Where(node) + ": " + message);
  }

  Result<std::optional<Date>> OptionalDate(const YAML::Node& map, const char* key) const {
    YAML::Node v = map[key];
    if (!v || v.IsNull()) return std::optional<Date>();
    auto d = v.IsScalar() ? ParseDate(v.Scalar()) : Result<Date>(Status::InvalidArgument(""));
    if (!d.ok()) return Refuse(v, std::string(key) + ": ugyldig dato (forventet ÅÅÅÅ-MM-DD)");
    return std::optional<Date>(*d);
  }

  Status Exemptions(const YAML::Node& list) {
    if (!list.IsSequence()) return Refuse(list, "measure_exemptions skal være en liste");
    for (const auto& item : list) {
      if (!item.IsMap()) return Refuse(item, "en measure_exemptions-post skal være en tabel");
      for (const auto& kv : item) {
        std::string k = kv.first.Scalar();
        if (k != "benefit_group" && k != "visitation" && k != "reasons" && k != "name_da" && k != "source" &&
            k != "note_da") {
          return Refuse(kv.first, "ukendt felt '" + k + "' (benefit_group, visitation, reasons)");
        }
      }
      YAML::Node group_node = item["benefit_group"];
      if (!group_node || !group_node.IsScalar()) return Refuse(item, "mangler benefit_group");
      const std::string& group = group_node.Scalar();
      bool known = false;
      for (const auto& g : model.benefit_groups) known = known || g.key == group;
      if (!known) return Refuse(group_node, "ydelsesgruppen '" + group + "' findes ikke i kataloget");
      std::optional<std::string> visitation;
      if (YAML::Node v = item["visitation"]; v && !v.IsNull()) {
        visitation = v.Scalar();
        if (!catalog.FindVisitation(*visitation)) {
          return Refuse(v, "visitationskategorien '" + *visitation + "' findes ikke i kataloget");
        }
      }
      YAML::Node reasons = item["reasons"];
      if (!reasons || !reasons.IsSequence() || reasons.size() == 0) return Refuse(item, "mangler reasons (liste)");
      for (const auto& reason : reasons) {
        if (!reason.IsMap() || !reason["id"] || !reason["id"].IsScalar()) return Refuse(reason, "mangler id");
        int id = 0;
        const std::string& text = reason["id"].Scalar();
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec != std::errc() || ptr != text.data() + text.size() || !catalog.FindAbsence(id)) {
          return Refuse(reason["id"], "fraværsårsag '" + text + "' findes ikke i kataloget");
        }
        auto from = OptionalDate(reason, "valid_from");
        if (!from.ok()) return from.status();
        auto to = OptionalDate(reason, "valid_to");
        if (!to.ok()) return to.status();
        catalog::MeasureReason added{id, Validity{*from, *to}, false, false};
        if (!added.validity.IsWellFormed()) return Refuse(reason, "valid_to ligger ikke efter valid_from");
        for (const auto& table : model.measure_exemptions) {
          if (table.benefit_group != group || table.visitation != visitation) continue;
          for (const auto& r : table.reasons) {
            if (r.id == id && r.validity.Overlaps(added.validity)) {
              return Refuse(reason["id"], "fraværsårsag " + text + " tæller allerede for " + group +
                                              " i den periode (ingen ændring)");
            }
          }
        }
        changes.push_back({Where(reason["id"]),
                           "fraværsårsag " + text + " (" + catalog.FindAbsence(id)->name_da +
                               ") tæller som fritagelse for " + group +
                               (visitation ? " (visitation " + *visitation + ")" : "") +
                               (added.validity.from || added.validity.to ? " " + added.validity.ToString() : "")});
        apply.push_back([group, visitation, added](catalog::Model* m) {
          for (auto& table : m->measure_exemptions) {
            if (table.benefit_group == group && table.visitation == visitation) {
              table.reasons.push_back(added);
              return;
            }
          }
          catalog::MeasureExemption table;
          table.benefit_group = group;
          table.visitation = visitation;
          table.reasons.push_back(added);
          m->measure_exemptions.push_back(std::move(table));
        });
      }
    }
    return Status::Ok();
  }

  Status Rules(const YAML::Node& map) {
    if (!map.IsMap()) return Refuse(map, "measure_rules skal være en tabel");
    for (const auto& kv : map) {
      std::string key = kv.first.Scalar();
      if (!model.measure_rules.contains(key)) {
        return Refuse(kv.first, "measure_rules." + key + " findes ikke i kataloget");
      }
      Json value = catalog::YamlToJson(kv.second);
      if (value == model.measure_rules[key]) return Refuse(kv.first, "measure_rules." + key + " er uændret");
      changes.push_back({Where(kv.first), "measure_rules." + key + " ændret"});
      apply.push_back([key, value](catalog::Model* m) { m->measure_rules[key] = value; });
    }
    return Status::Ok();
  }
};

Result<MethodRules> Build(const catalog::Model& model) {
  auto changed = catalog::Catalog::FromModel(model);
  return BuildRules(*changed);
}

}  // namespace

Result<WhatIf> LoadWhatIf(const std::string& path, const catalog::Catalog& catalog) {
  Loader loader{std::filesystem::path(path).filename().string(), catalog, catalog.model(), {}, {}};
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Status::NotFound(path + ": filen findes ikke");
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {  // yaml-cpp reports with exceptions; they stop here
    return Status::InvalidArgument(loader.file + ":" + std::to_string(e.mark.line + 1) +
                                   ": ikke gyldig YAML: " + e.msg);
  }
  WhatIf whatif;
  if (root && !root.IsNull()) {
    if (!root.IsMap()) return loader.Refuse(root, "forventede en tabel med measure_exemptions og/eller measure_rules");
    for (const auto& kv : root) {
      std::string key = kv.first.Scalar();
      Status st = key == "measure_exemptions" ? loader.Exemptions(kv.second)
                  : key == "measure_rules"
                      ? loader.Rules(kv.second)
                      : loader.Refuse(kv.first, "ukendt nøgle '" + key + "' (measure_exemptions, measure_rules)");
      if (!st.ok()) return st;
    }
  }
  whatif.changes = loader.changes;
  catalog::Model all = catalog.model();
  for (size_t i = 0; i < loader.apply.size(); ++i) {
    catalog::Model one = catalog.model();
    loader.apply[i](&one);
    loader.apply[i](&all);
    auto rules = Build(one);
    if (!rules.ok()) {
      return Status::InvalidArgument(whatif.changes[i].where + ": giver ugyldige regler: " + rules.status().message());
    }
    whatif.single.push_back(std::move(rules).value());
  }
  auto rules = Build(all);
  if (!rules.ok())
    return Status::InvalidArgument(loader.file +
                                   ": ændringerne giver tilsammen ugyldige regler: " + rules.status().message());
  whatif.rules = std::move(rules).value();
  return whatif;
}

}  // namespace dfdg::measure
