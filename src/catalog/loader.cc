#include "catalog/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "catalog/loader_internal.h"
#include "catalog/record_loader_internal.h"
#include "catalog/yaml_reader_internal.h"

namespace dfdg::catalog {
namespace fs = std::filesystem;

namespace {

std::optional<std::string> OptionalText(YamlReader& r, const YAML::Node& node, const char* key) {
  YAML::Node value = node[key];
  if (!value || value.IsNull()) return std::nullopt;
  return r.String(node, key, false);
}

Mode ReadMode(YamlReader& r, const YAML::Node& node) {
  std::string mode = r.String(node, "mode", true);
  if (mode == "may") return Mode::kMay;
  if (mode != "must" && !mode.empty()) r.Error(node["mode"], "mode must be 'must' or 'may', got '" + mode + "'");
  return Mode::kMust;
}

void ReadSources(YamlReader& r, const YAML::Node& root, Model* model) {
  if (auto list = r.Sequence(root, "sources", true)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item, {"id", "file", "title", "lines"}, "source")) continue;
      model->sources.push_back(Source{r.String(item, "id", true), r.String(item, "file", true),
                                      r.String(item, "title", false), r.Int(item, "lines", true).value_or(0)});
    }
  }
}

void ReadObligations(YamlReader& r, const YAML::Node& root, Model* model) {
  r.ExpectMap(root, {"obligations", "same_duty", "implied_exemptions"}, "obligations file");
  if (auto list = r.Sequence(root, "obligations", true)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item, {"key", "name_da", "name_en", "source", "valid_from", "valid_to"}, "obligation")) continue;
      Obligation o;
      o.key = r.String(item, "key", true);
      o.name_da = r.String(item, "name_da", true);
      o.name_en = r.String(item, "name_en", false);
      o.validity = r.ReadValidity(item);
      o.sources = r.Sources(item, true);
      o.defined_at = r.Where(item);
      model->obligations.push_back(std::move(o));
    }
  }
  if (auto list = r.Sequence(root, "same_duty", false)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item, {"keys", "text_da", "source"}, "same_duty entry")) continue;
      SameDuty d;
      d.keys = r.StringList(item, "keys", true);
      if (d.keys.size() < 2) r.Error(item, "same_duty needs at least two obligation keys");
      d.text_da = r.String(item, "text_da", true);
      d.sources = r.Sources(item, true);
      d.defined_at = r.Where(item);
      model->same_duties.push_back(std::move(d));
    }
  }
  if (auto list = r.Sequence(root, "implied_exemptions", false)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item, {"lifted", "also_lifts", "text_da", "source", "valid_from", "valid_to"},
                       "implied_exemptions entry")) {
        continue;
      }
      ImpliedExemption e;
      e.lifted = r.String(item, "lifted", true);
      e.also_lifts = r.StringList(item, "also_lifts", true);
      e.validity = r.ReadValidity(item);
      if (e.also_lifts.empty()) r.Error(item, "implied_exemptions entry lifts nothing further");
      e.text_da = r.String(item, "text_da", true);
      e.sources = r.Sources(item, true);
      e.defined_at = r.Where(item);
      model->implied_exemptions.push_back(std::move(e));
    }
  }
}

void ReadContactGroups(YamlReader& r, const YAML::Node& root, Model* model) {
  if (auto list = r.Sequence(root, "contact_groups", true)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item,
                       {"id", "names", "legal_basis", "description_da", "valid_from", "valid_to",
                        "new_registrations_until", "source", "notes"},
                       "contact group")) {
        continue;
      }
      ContactGroup g;
      g.id = r.Int(item, "id", true).value_or(0);
      if (auto names = r.Sequence(item, "names", true)) {
        for (const auto& name : *names) {
          if (!r.ExpectMap(name, {"name_da", "valid_from", "valid_to", "source"}, "contact group name")) continue;
          g.names.push_back(
              ContactGroupName{r.String(name, "name_da", true), r.ReadValidity(name), r.Sources(name, false)});
        }
      }
      g.legal_basis = r.String(item, "legal_basis", false);
      g.description_da = r.String(item, "description_da", false);
      g.validity = r.ReadValidity(item);
      g.new_registrations_until = r.OptionalDate(item, "new_registrations_until");
      g.sources = r.Sources(item, true);
      g.defined_at = r.Where(item);
      model->contact_groups.push_back(std::move(g));
    }
  }
}

void ReadVisitation(YamlReader& r, const YAML::Node& root, Model* model) {
  if (auto list = r.Sequence(root, "visitation_categories", true)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item, {"key", "name_da", "name_en", "contact_groups", "source", "description_da"},
                       "visitation category")) {
        continue;
      }
      model->visitation_categories.push_back(
          VisitationCategory{r.String(item, "key", true), r.String(item, "name_da", true),
                             r.IntList(item, "contact_groups", true), r.Sources(item, true), r.Where(item)});
    }
  }
}

std::optional<std::vector<int>> OptionalIntList(YamlReader& r, const YAML::Node& node, const char* key) {
  YAML::Node value = node[key];
  if (!value || value.IsNull()) return std::nullopt;
  return r.IntList(node, key, true);
}

DateRule ReadDateRule(YamlReader& r, const YAML::Node& item) {
  DateRule rule;
  r.ExpectMap(item,
              {"text_da", "source", "valid_from", "valid_to", "contact_groups", "channels", "backdate",
               "not_before_last_interview", "max_future_start", "max_duration", "end_backdate", "until_age",
               "end_date_required", "comment_required", "note_da"},
              "date rule");
  rule.text_da = r.String(item, "text_da", true);
  rule.sources = r.Sources(item, true);
  rule.validity = r.ReadValidity(item);
  rule.contact_groups = OptionalIntList(r, item, "contact_groups");
  if (item["channels"] && !item["channels"].IsNull()) {
    std::vector<Channel> channels;
    for (const std::string& key : r.StringList(item, "channels", true)) {
      if (auto channel = ParseChannel(key)) {
        channels.push_back(*channel);
      } else {
        r.Error(item["channels"], "unknown channel '" + key + "' (jobcenter, akasse, citizen, ksd, dfdg)");
      }
    }
    rule.channels = channels;
  }
  rule.backdate = r.OptionalDuration(item, "backdate");
  rule.not_before_last_interview = r.Bool(item, "not_before_last_interview", false);
  rule.max_future_start = r.OptionalDuration(item, "max_future_start");
  rule.max_duration = r.OptionalDuration(item, "max_duration");
  rule.end_backdate = r.OptionalDuration(item, "end_backdate");
  rule.until_age = r.Int(item, "until_age", false);
  rule.end_date_required = r.Bool(item, "end_date_required", false);
  rule.comment_required = r.Bool(item, "comment_required", false);
  rule.defined_at = r.Where(item);
  return rule;
}

Row ReadRow(YamlReader& r, const YAML::Node& item) {
  Row row;
  r.ExpectMap(item,
              {"contact_groups", "visitation", "mode", "exempts", "legal_ref", "note_da", "source", "valid_from",
               "valid_to", "start_date_from"},
              "row");
  row.contact_groups = r.IntList(item, "contact_groups", true);
  row.visitation = OptionalText(r, item, "visitation");
  row.mode = ReadMode(r, item);
  if (!item["exempts"]) r.Error(item, "missing list 'exempts' (use [] when the table prints '-')");
  row.exempts = r.StringList(item, "exempts", false);
  row.legal_ref = r.String(item, "legal_ref", false);
  row.note_da = r.String(item, "note_da", false);
  row.validity = r.ReadValidity(item);
  row.start_date_from = r.OptionalDate(item, "start_date_from");
  row.sources = r.Sources(item, true);
  row.defined_at = r.Where(item);
  return row;
}

void ReadAbsence(YamlReader& r, const YAML::Node& root, Model* model) {
  if (!r.ExpectMap(root,
                   {"id", "name_da", "name_en", "source", "valid_from", "valid_to", "new_registrations_until",
                    "start_date_before", "no_overlap_with", "date_rules", "notes", "rows"},
                   "absence")) {
    return;
  }
  Absence a;
  a.id = r.Int(root, "id", true).value_or(0);
  a.name_da = r.String(root, "name_da", true);
  a.name_en = r.String(root, "name_en", false);
  a.sources = r.Sources(root, true);
  a.validity = r.ReadValidity(root);
  a.new_registrations_until = r.OptionalDate(root, "new_registrations_until");
  a.start_date_before = r.OptionalDate(root, "start_date_before");
  a.no_overlap_with = r.IntList(root, "no_overlap_with", false);
  if (auto rules = r.Sequence(root, "date_rules", true)) {
    for (const auto& item : *rules) a.date_rules.push_back(ReadDateRule(r, item));
  }
  if (auto notes = r.Sequence(root, "notes", false)) {
    for (const auto& item : *notes) {
      if (!r.ExpectMap(item, {"text_da", "source"}, "note")) continue;
      a.notes.push_back(Note{r.String(item, "text_da", true), r.Sources(item, true)});
    }
  }
  if (auto rows = r.Sequence(root, "rows", false)) {
    for (const auto& item : *rows) a.rows.push_back(ReadRow(r, item));
  }
  a.defined_at = r.Where(root);
  model->absences.push_back(std::move(a));
}

void ReadRegistrationDuty(YamlReader& r, const YAML::Node& root, Model* model) {
  if (auto list = r.Sequence(root, "registration_duty", true)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item, {"reason", "name_da", "mode", "rows", "source", "note_da"}, "registration duty")) {
        continue;
      }
      RegistrationDuty duty;
      duty.reason = r.Int(item, "reason", true).value_or(0);
      duty.mode = ReadMode(r, item);
      if (auto rows = r.Sequence(item, "rows", true)) {
        for (const auto& row : *rows) {
          if (!r.ExpectMap(row, {"contact_groups", "visitation", "source"}, "registration duty row")) continue;
          duty.rows.push_back(DutyRow{r.IntList(row, "contact_groups", true), OptionalText(r, row, "visitation")});
        }
      }
      duty.sources = r.Sources(item, true);
      duty.defined_at = r.Where(item);
      model->registration_duties.push_back(std::move(duty));
    }
  }
}

void ReadBilag3(YamlReader& r, const YAML::Node& root, Model* model) {
  if (auto list = r.Sequence(root, "bilag3", true)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(
              item,
              {"reason", "name_da", "jobnet", "akasse", "akasse_contact_course", "akasse_may_create",
               "akasse_create_contact_course", "akasse_create_no_show", "akasse_create_always", "source", "note_da"},
              "bilag3 entry")) {
        continue;
      }
      int reason = r.Int(item, "reason", true).value_or(0);
      Bilag3 flags;
      flags.jobnet = r.Bool(item, "jobnet", false);
      flags.akasse = r.Bool(item, "akasse", false);
      flags.akasse_contact_course = r.Bool(item, "akasse_contact_course", false);
      flags.akasse_may_create = r.Bool(item, "akasse_may_create", false);
      flags.akasse_create_contact_course = r.Bool(item, "akasse_create_contact_course", false);
      flags.akasse_create_no_show = r.Bool(item, "akasse_create_no_show", false);
      flags.akasse_create_always = r.Bool(item, "akasse_create_always", false);
      flags.sources = r.Sources(item, true);
      auto it = std::find_if(model->absences.begin(), model->absences.end(),
                             [&](const Absence& a) { return a.id == reason; });
      if (it == model->absences.end()) {
        r.Error(item, "bilag3 names unknown reason " + std::to_string(reason));
      } else if (it->bilag3) {
        r.Error(item, "bilag3 lists reason " + std::to_string(reason) + " twice");
      } else {
        it->bilag3 = flags;
      }
    }
  }
}

void ReadMeasureExemptions(YamlReader& r, const YAML::Node& root, Model* model) {
  if (auto list = r.Sequence(root, "benefit_groups", false)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item,
                       {"key",
                        "name_da",
                        "name_en",
                        "source",
                        "valid_from",
                        "valid_to",
                        "note_da",
                        "aliases_da",
                        "continues_spells_of",
                        "converted_to",
                        "description_da",
                        "duration_unit",
                        "exemptions_from",
                        "new_spell_on_contact_group_change",
                        "parent",
                        "precedes_spells_of",
                        "spell_notes",
                        "subgroups",
                        "subgroups_from",
                        "table_name_da"},
                       "benefit group")) {
        continue;
      }
      model->benefit_groups.push_back(
          BenefitGroup{r.String(item, "key", true), r.String(item, "name_da", true), r.ReadValidity(item),
                       r.Sources(item, true), r.ToJson(item, {"key", "name_da", "valid_from", "valid_to", "source"})});
    }
  }
  if (auto list = r.Sequence(root, "measure_exemptions", true)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item,
                       {"benefit_group", "name_da", "reasons", "source", "note_da", "visitation",
                        "adds_to_all_categories", "table_note_da"},
                       "measure exemption")) {
        continue;
      }
      MeasureExemption e;
      e.benefit_group = r.String(item, "benefit_group", true);
      e.visitation = OptionalText(r, item, "visitation");
      e.adds_to_all_categories = r.Bool(item, "adds_to_all_categories", false);
      if (auto reasons = r.Sequence(item, "reasons", true)) {
        for (const auto& reason : *reasons) {
          if (!r.ExpectMap(
                  reason,
                  {"id", "name_da", "valid_from", "valid_to", "historic", "removed", "source", "note_da", "note"},
                  "measure reason")) {
            continue;
          }
          e.reasons.push_back(MeasureReason{r.Int(reason, "id", true).value_or(0), r.ReadValidity(reason),
                                            r.Bool(reason, "historic", false), r.Bool(reason, "removed", false)});
        }
      }
      e.sources = r.Sources(item, true);
      e.defined_at = r.Where(item);
      model->measure_exemptions.push_back(std::move(e));
    }
  }
  YAML::Node rules = root["measure_rules"];
  if (rules && !rules.IsNull()) {
    r.ExpectMap(rules,
                {"covid_interview_windows", "dead_period_reasons", "dead_periods", "exemption_threshold",
                 "interview_regimes", "interview_trials", "mindre_intensiv_indsats", "skema1", "sygedagpenge_13_weeks"},
                "measure_rules");
    model->measure_rules = r.ToJson(rules);
  }
}

// municipalities.csv: header "kommunekode,kommune,regionskode,region", then one line per municipality.
void ReadMunicipalities(const std::string& display, const std::string& text, Model* model,
                        std::vector<std::string>* errors) {
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_no == 1) {
      if (line != "kommunekode,kommune,regionskode,region") errors->push_back(display + ":1: unexpected header");
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
    Municipality m;
    try {
      if (fields.size() != 4) throw std::invalid_argument("fields");
      m.code = std::stoi(fields[0]);
      m.name = fields[1];
      m.region_code = std::stoi(fields[2]);
      m.region = fields[3];
    } catch (const std::exception&) {
      errors->push_back(display + ":" + std::to_string(line_no) + ": expected kommunekode,kommune,regionskode,region");
      continue;
    }
    model->municipalities.push_back(std::move(m));
  }
}

// FNV-1a 64 over the bytes; used as the catalogue version.
void HashBytes(const std::string& bytes, uint64_t* hash) {
  for (unsigned char c : bytes) {
    *hash ^= c;
    *hash *= 1099511628211ULL;
  }
}

using ReadFn = void (*)(YamlReader&, const YAML::Node&, Model*);

}  // namespace

Result<Model> LoadModel(const std::string& dir) {
  Model model;
  std::vector<std::string> errors;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::IOError("catalogue directory '" + dir + "' not found");

  // Fixed files first (their order matters: absences before bilag3), then one file per reason.
  std::vector<std::pair<std::string, ReadFn>> files = {{"sources.yaml", ReadSources},
                                                       {"obligations.yaml", ReadObligations},
                                                       {"contact_groups.yaml", ReadContactGroups},
                                                       {"visitation.yaml", ReadVisitation}};
  std::vector<std::string> absence_files;
  for (const auto& entry : fs::directory_iterator(fs::path(dir) / "absences", ec)) {
    if (entry.path().extension() == ".yaml") absence_files.push_back(entry.path().filename().string());
  }
  std::sort(absence_files.begin(), absence_files.end());
  for (const auto& name : absence_files) files.emplace_back("absences/" + name, ReadAbsence);
  files.emplace_back("registration_duty.yaml", ReadRegistrationDuty);
  files.emplace_back("bilag3.yaml", ReadBilag3);
  files.emplace_back("measure_exemptions.yaml", ReadMeasureExemptions);
  files.emplace_back("codelists.yaml", ReadCodeLists);
  files.emplace_back("violations.yaml", ReadViolations);
  files.emplace_back("registry_rules.yaml", ReadRegistryRules);
  files.emplace_back("contact_course.yaml", ReadContactCourse);
  files.emplace_back("recipients.yaml", ReadRecipients);
  // Declared record types, one per file (optional directory; after the files they refer to).
  std::vector<std::string> record_files;
  for (const auto& entry : fs::directory_iterator(fs::path(dir) / "records", ec)) {
    if (entry.path().extension() == ".yaml") record_files.push_back(entry.path().filename().string());
  }
  std::sort(record_files.begin(), record_files.end());
  for (const auto& name : record_files) files.emplace_back("records/" + name, ReadRecordType);
  // The built-in commands' areas (docs/commands.md as data).
  std::vector<std::string> builtin_files;
  for (const auto& entry : fs::directory_iterator(fs::path(dir) / "records" / "builtin", ec)) {
    if (entry.path().extension() == ".yaml") builtin_files.push_back(entry.path().filename().string());
  }
  std::sort(builtin_files.begin(), builtin_files.end());
  for (const auto& name : builtin_files) files.emplace_back("records/builtin/" + name, ReadBuiltinArea);

  uint64_t hash = 14695981039346656037ULL;
  for (const auto& [name, read] : files) {
    std::string display = "catalog/" + name;
    std::ifstream in(fs::path(dir) / name, std::ios::binary);
    if (!in) {
      errors.push_back(display + ": file missing or unreadable");
      continue;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    HashBytes(name, &hash);
    HashBytes(text, &hash);
    YamlReader reader(display);
    try {
      YAML::Node root = YAML::Load(text);
      if (!root.IsMap()) {
        reader.FileError("top level must be a mapping");
      } else {
        read(reader, root, &model);
      }
    } catch (const YAML::Exception& e) {
      errors.push_back(display + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
    }
    errors.insert(errors.end(), reader.errors().begin(), reader.errors().end());
  }
  {
    std::ifstream in(fs::path(dir) / "municipalities.csv", std::ios::binary);
    if (!in) {
      errors.push_back("catalog/municipalities.csv: file missing or unreadable");
    } else {
      std::stringstream buffer;
      buffer << in.rdbuf();
      HashBytes("municipalities.csv", &hash);
      HashBytes(buffer.str(), &hash);
      ReadMunicipalities("catalog/municipalities.csv", buffer.str(), &model, &errors);
    }
  }
  char version[17];
  std::snprintf(version, sizeof(version), "%016llx", static_cast<unsigned long long>(hash));
  model.version = version;

  if (errors.empty()) CheckModel(model, &errors);
  if (!errors.empty()) {
    std::string message = "the rule catalogue in '" + dir + "' is broken (" + std::to_string(errors.size()) +
                          " problem" + (errors.size() == 1 ? "" : "s") + "):";
    for (const auto& error : errors) message += "\n  " + error;
    return Status::Corruption(message);
  }
  return model;
}

}  // namespace dfdg::catalog
