// Reading and checking declared record types (catalog/records/*.yaml; docs/catalog-format.md "Record types").
#include <charconv>
#include <cstdlib>
#include <map>
#include <set>

#include "catalog/loader.h"
#include "catalog/record_loader_internal.h"

namespace dfdg::catalog {
namespace {

std::optional<double> ReadNumber(YamlReader& r, const YAML::Node& node, const char* key) {
  YAML::Node value = node[key];
  if (!value || value.IsNull()) return std::nullopt;
  if (value.IsScalar()) {
    const std::string& text = value.Scalar();
    char* end = nullptr;
    double number = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size()) return number;
  }
  r.Error(value, std::string("'") + key + "' must be a number");
  return std::nullopt;
}

// `builtin`: an entry of a built-in command area, which is named (`key`) and may limit groups to registered
// job seekers or to some tilmeldekategorier.
ScopeEntry ReadScope(YamlReader& r, const YAML::Node& item, bool builtin) {
  ScopeEntry s;
  if (builtin) {
    r.ExpectMap(item,
                {"key", "contact_groups", "registered_jobseekers_only", "registration_categories", "visitation", "mode",
                 "valid_from", "valid_to", "legal_ref", "source", "note_da"},
                "scope entry");
    s.key = r.String(item, "key", true);
    s.registered_jobseekers_only = r.IntList(item, "registered_jobseekers_only", false);
    if (YAML::Node cats = item["registration_categories"]; cats && cats.IsMap()) {
      for (const auto& c : cats) {
        int group = 0;
        try {
          group = c.first.as<int>();
        } catch (const YAML::Exception&) {
          r.Error(c.first, "registration_categories keys are contact group numbers");
          continue;
        }
        std::vector<int> categories;
        for (const auto& v : c.second) {
          try {
            categories.push_back(v.as<int>());
          } catch (const YAML::Exception&) {
            r.Error(v, "expected a tilmeldekategori number");
          }
        }
        s.registration_categories[group] = categories;
      }
    }
  } else {
    r.ExpectMap(item,
                {"contact_groups", "visitation", "mode", "valid_from", "valid_to", "legal_ref", "source", "note_da"},
                "scope entry");
  }
  YAML::Node groups = item["contact_groups"];
  if (groups && groups.IsScalar() && (groups.Scalar() == "all" || groups.Scalar() == "any")) {
    s.all_contact_groups = true;
    s.any_person = groups.Scalar() == "any";
  } else {
    s.contact_groups = r.IntList(item, "contact_groups", true);
  }
  if (item["visitation"] && !item["visitation"].IsNull()) s.visitation = r.String(item, "visitation", true);
  std::string mode = r.String(item, "mode", true);
  s.mode = mode == "may" ? Mode::kMay : Mode::kMust;
  if (mode != "may" && mode != "must" && !mode.empty()) {
    r.Error(item["mode"], "mode must be 'must' or 'may', got '" + mode + "'");
  }
  s.validity = r.ReadValidity(item);
  s.legal_ref = r.String(item, "legal_ref", false);
  s.sources = r.Sources(item, true);
  s.defined_at = r.Where(item);
  return s;
}

std::vector<ScopeEntry> ReadScopeList(YamlReader& r, const YAML::Node& node, bool required, bool builtin = false) {
  std::vector<ScopeEntry> out;
  if (auto list = r.Sequence(node, "scope", required)) {
    for (const auto& item : *list) out.push_back(ReadScope(r, item, builtin));
  }
  return out;
}

// `builtin`: a field of a built-in command area, which names the Command member it fills (`slot`).
FieldDecl ReadField(YamlReader& r, const YAML::Node& item, bool nested, bool builtin = false) {
  FieldDecl f;
  r.ExpectMap(item,
              {"key", "name_da", "name_en", "type", "max_length", "min", "max", "code_list", "required", "required_for",
               "channels", "items", "max_items", "valid_from", "valid_to", "source", "note_da", "slot"},
              "field");
  f.key = r.String(item, "key", true);
  f.name_da = r.String(item, "name_da", true);
  f.name_en = r.String(item, "name_en", true);
  std::string type = r.String(item, "type", true);
  if (auto parsed = ParseFieldType(type)) {
    f.type = *parsed;
  } else if (!type.empty()) {
    r.Error(item["type"],
            "unknown field type '" + type +
                "' (date, datetime, int, decimal, text, bool, cvr, pnumber, cpr, code, municipality, list, time, id)");
  }
  if (builtin && !nested) {
    std::string slot = r.String(item, "slot", true);
    if (auto parsed = ParseCommandSlot(slot)) {
      f.slot = *parsed;
    } else if (!slot.empty()) {
      r.Error(item["slot"], "unknown slot '" + slot + "' (docs/catalog-format.md \"Built-in command areas\")");
    }
  } else if (item["slot"]) {
    r.Error(item["slot"], "slot is only for the fields of a built-in command area");
  }
  f.max_length = r.Int(item, "max_length", false).value_or(0);
  f.min = ReadNumber(r, item, "min");
  f.max = ReadNumber(r, item, "max");
  f.code_list = r.String(item, "code_list", false);
  f.required = r.Bool(item, "required", false);
  f.required_for = ReadChannelList(r, item, "required_for");
  f.channels = ReadChannelList(r, item, "channels");
  f.max_items = r.Int(item, "max_items", false).value_or(0);
  if (auto items = r.Sequence(item, "items", false)) {
    if (nested) r.Error(item["items"], "a list item cannot hold another list");
    for (const auto& sub : *items) f.items.push_back(ReadField(r, sub, true));
  }
  f.validity = r.ReadValidity(item);
  f.sources = r.Sources(item, true);
  f.defined_at = r.Where(item);
  return f;
}

// `builtin`: the actors of a built-in command area, which may limit the absence reasons a channel creates.
void ReadActors(YamlReader& r, const YAML::Node& root, RecordType* t, bool builtin = false) {
  if (auto list = r.Sequence(root, "actors", true)) {
    for (const auto& item : *list) {
      bool known =
          builtin
              ? r.ExpectMap(item, {"channel", "may", "scope", "reasons", "valid_from", "valid_to", "source", "note_da"},
                            "actor")
              : r.ExpectMap(item, {"channel", "may", "scope", "valid_from", "valid_to", "source", "note_da"}, "actor");
      if (!known) continue;
      ActorRule a;
      std::string channel = r.String(item, "channel", true);
      if (auto parsed = ParseChannel(channel)) {
        a.channel = *parsed;
      } else if (!channel.empty()) {
        r.Error(item["channel"], "unknown channel '" + channel + "' (jobcenter, akasse, citizen, ksd, dfdg)");
      }
      for (const std::string& action : r.StringList(item, "may", true)) {
        if (auto parsed = ParseRecordAction(action)) {
          a.may.push_back(*parsed);
        } else {
          r.Error(item["may"], "unknown action '" + action + "' (create, change, correct, delete, read)");
        }
      }
      a.scope = ReadScopeList(r, item, false, builtin);
      if (builtin && item["reasons"]) a.reasons = r.IntList(item, "reasons", true);
      a.validity = r.ReadValidity(item);
      a.sources = r.Sources(item, true);
      a.defined_at = r.Where(item);
      t->actors.push_back(std::move(a));
    }
  }
}

void ReadPeriod(YamlReader& r, const YAML::Node& root, RecordType* t) {
  YAML::Node node = root["period"];
  if (!node || node.IsNull()) return;
  if (!r.ExpectMap(node, {"start", "end", "overlap", "backdate", "max_future_start", "source", "note_da"}, "period")) {
    return;
  }
  PeriodDecl p;
  p.start_field = r.String(node, "start", true);
  p.end_field = r.String(node, "end", false);
  std::string overlap = r.String(node, "overlap", true);
  p.overlap_allowed = overlap != "forbidden";
  if (overlap != "allowed" && overlap != "forbidden" && !overlap.empty()) {
    r.Error(node["overlap"], "overlap must be 'allowed' or 'forbidden', got '" + overlap + "'");
  }
  p.backdate = r.OptionalDuration(node, "backdate");
  p.max_future_start = r.OptionalDuration(node, "max_future_start");
  p.sources = r.Sources(node, true);
  p.defined_at = r.Where(node);
  t->period = std::move(p);
}

// `rules:` of a record type or a built-in command area: the registry's rule modules it names, in order.
void ReadRules(YamlReader& r, const YAML::Node& root, RecordType* t) {
  if (auto rules = r.Sequence(root, "rules", false)) {
    for (const auto& item : *rules) {
      if (!r.ExpectMap(item, {"module", "legal_ref", "source", "note_da"}, "rule")) continue;
      t->rules.push_back(RecordRuleRef{r.String(item, "module", true), r.String(item, "legal_ref", true),
                                       r.Sources(item, true), r.Where(item)});
    }
  }
}

// `codelists:` of a record type or a built-in area.
void ReadCodeLists(YamlReader& r, const YAML::Node& root, RecordType* t) {
  if (auto lists = r.Sequence(root, "codelists", false)) {
    for (const auto& item : *lists) {
      if (!r.ExpectMap(item, {"key", "name_da", "codes", "source", "note_da"}, "record code list")) continue;
      RecordCodeList list;
      list.key = r.String(item, "key", true);
      list.name_da = r.String(item, "name_da", true);
      if (auto codes = r.Sequence(item, "codes", true)) {
        for (const auto& code : *codes) {
          if (!r.ExpectMap(code, {"key", "name_da", "name_en", "valid_from", "valid_to", "source", "note_da"},
                           "record code")) {
            continue;
          }
          list.codes.push_back(RecordCode{r.String(code, "key", true), r.String(code, "name_da", true),
                                          r.String(code, "name_en", false), r.ReadValidity(code),
                                          r.Sources(code, true)});
        }
      }
      list.sources = r.Sources(item, true);
      list.defined_at = r.Where(item);
      t->codelists.push_back(std::move(list));
    }
  }
}

void ReadExtras(YamlReader& r, const YAML::Node& root, RecordType* t) {
  if (YAML::Node d = root["deadline"]; d && !d.IsNull()) {
    if (r.ExpectMap(d, {"text_da", "source"}, "deadline")) {
      t->deadline_da = r.String(d, "text_da", true);
      t->deadline_sources = r.Sources(d, true);
      t->deadline_at = r.Where(d);
    }
  }
  if (auto list = r.Sequence(root, "forward", false)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item, {"key",
                              "target",
                              "legal_ref",
                              "contact_groups",
                              "akasse_members_only",
                              "after_membership",
                              "from_channels",
                              "age_below",
                              "born_from",
                              "born_to",
                              "period_overlaps",
                              "when",
                              "fields",
                              "with_record",
                              "recipient_kind",
                              "recipient",
                              "recipient_field",
                              "text_da",
                              "source",
                              "note_da"},
                       "forward target")) {
        continue;
      }
      ForwardTarget f;
      f.key = r.String(item, "key", false);
      f.target = r.String(item, "target", true);
      f.legal_ref = r.String(item, "legal_ref", false);
      f.contact_groups = r.IntList(item, "contact_groups", false);
      f.akasse_members_only = r.Bool(item, "akasse_members_only", false);
      f.after_membership = r.Bool(item, "after_membership", false);
      f.from_channels = ReadChannelList(r, item, "from_channels");
      f.age_below = r.Int(item, "age_below", false);
      f.born_from = r.OptionalDate(item, "born_from");
      f.born_to = r.OptionalDate(item, "born_to");
      if (YAML::Node p = item["period_overlaps"]; p && !p.IsNull()) {
        if (r.ExpectMap(p, {"from", "to"}, "period_overlaps")) {
          f.period_from = r.OptionalDate(p, "from");
          f.period_to = r.OptionalDate(p, "to");
          if (!f.period_from || !f.period_to) r.Error(p, "period_overlaps needs 'from' and 'to'");
        }
      }
      if (YAML::Node w = item["when"]; w && !w.IsNull()) {
        if (r.ExpectMap(w, {"field", "codes"}, "when")) {
          f.when_field = r.String(w, "field", true);
          f.when_codes = r.StringList(w, "codes", true);
        }
      }
      if (YAML::Node fields = item["fields"]; fields && !fields.IsNull()) {
        f.fields_given = true;
        f.fields = r.StringList(item, "fields", false);
      }
      if (YAML::Node w = item["with_record"]; w && !w.IsNull()) {
        if (r.ExpectMap(w, {"type", "when", "has", "fields", "recipient_field"}, "with_record")) {
          f.with_recipient_field = r.String(w, "recipient_field", false);
          f.with_has_field = r.String(w, "has", false);
          f.with_type = r.String(w, "type", true);
          if (YAML::Node c = w["when"]; c && !c.IsNull()) {
            if (r.ExpectMap(c, {"field", "codes"}, "when")) {
              f.with_when_field = r.String(c, "field", true);
              f.with_when_codes = r.StringList(c, "codes", true);
            }
          }
          f.with_fields = r.StringList(w, "fields", false);
        }
      }
      f.recipient_field = r.String(item, "recipient_field", false);
      f.recipient_kind = r.String(item, "recipient_kind", false);
      f.recipient = r.String(item, "recipient", false);
      if (f.recipient_kind.empty() != f.recipient.empty()) r.Error(item, "recipient_kind and recipient go together");
      f.text_da = r.String(item, "text_da", true);
      f.sources = r.Sources(item, true);
      f.defined_at = r.Where(item);
      t->forward.push_back(std::move(f));
    }
  }
  if (YAML::Node v = root["citizen_view"]; v && !v.IsNull()) {
    if (r.ExpectMap(v, {"fields", "source", "note_da"}, "citizen_view")) {
      t->citizen_view = r.StringList(v, "fields", true);
      t->citizen_view_sources = r.Sources(v, true);
      t->citizen_view_at = r.Where(v);
    }
  }
  if (YAML::Node v = root["borger_dk_view"]; v && !v.IsNull()) {
    if (r.ExpectMap(v, {"fields", "source", "note_da"}, "borger_dk_view")) {
      t->borger_dk_view = r.StringList(v, "fields", true);
      t->borger_dk_view_sources = r.Sources(v, true);
      t->borger_dk_view_at = r.Where(v);
    }
  }
  if (YAML::Node v = root["lookup"]; v && !v.IsNull()) {
    if (r.ExpectMap(v, {"channels", "purpose_code_list", "fields", "legal_ref", "source", "note_da"}, "lookup")) {
      RecordLookup l;
      l.channels = ReadChannelList(r, v, "channels");
      if (l.channels.empty()) r.Error(v, "lookup: missing 'channels'");
      l.purpose_code_list = r.String(v, "purpose_code_list", true);
      l.fields = r.StringList(v, "fields", true);
      l.legal_ref = r.String(v, "legal_ref", true);
      l.sources = r.Sources(v, true);
      l.defined_at = r.Where(v);
      t->lookup = std::move(l);
    }
  }
  ReadCodeLists(r, root, t);
  ReadRules(r, root, t);
}

void ReadBuiltinCommands(YamlReader& r, const YAML::Node& root, RecordType* t) {
  auto list = r.Sequence(root, "commands", true);
  if (!list) return;
  for (const auto& item : *list) {
    if (!r.ExpectMap(item, {"name", "action", "required", "optional", "channels", "legal_ref", "source", "note_da"},
                     "built-in command")) {
      continue;
    }
    BuiltinCommand c;
    c.name = r.String(item, "name", true);
    std::string action = r.String(item, "action", true);
    if (auto parsed = ParseRecordAction(action); parsed && *parsed != RecordAction::kRead) {
      c.action = *parsed;
    } else if (!action.empty()) {
      r.Error(item["action"], "unknown action '" + action + "' (create, change, correct, delete)");
    }
    std::set<std::string> seen;
    for (const char* part : {"required", "optional"}) {
      for (const std::string& key : r.StringList(item, part, false)) {
        int index = t->FieldIndex(key);
        if (index < 0) {
          r.Error(item[part], "command '" + c.name + "' names unknown field '" + key + "'");
        } else if (!seen.insert(key).second) {
          r.Error(item[part], "command '" + c.name + "' names field '" + key + "' twice");
        } else {
          c.fields.push_back(index);
        }
      }
      if (std::string(part) == "required") c.required_count = c.fields.size();
    }
    c.channels = ReadChannelList(r, item, "channels");
    c.legal_ref = r.String(item, "legal_ref", true);
    c.sources = r.Sources(item, true);
    c.defined_at = r.Where(item);
    t->builtin_commands.push_back(std::move(c));
  }
}

// Reads the head every record type and built-in area has (key, names, chapter, legal_ref, source), all required.
void ReadTypeHeader(YamlReader& r, const YAML::Node& root, RecordType* t) {
  t->key = r.String(root, "key", true);
  t->name_da = r.String(root, "name_da", true);
  t->name_en = r.String(root, "name_en", true);
  t->chapter = r.Int(root, "chapter", true).value_or(0);
  t->legal_ref = r.String(root, "legal_ref", true);
  t->sources = r.Sources(root, true);
}

}  // namespace

void ReadBuiltinArea(YamlReader& r, const YAML::Node& root, Model* model) {
  if (!r.ExpectMap(root,
                   {"key", "name_da", "name_en", "chapter", "legal_ref", "source", "stored_as", "scope", "actors",
                    "reserved_reasons", "fields", "commands", "codelists", "rules", "note_da"},
                   "built-in command area")) {
    return;
  }
  RecordType t;
  ReadTypeHeader(r, root, &t);
  t.stored_as = r.String(root, "stored_as", true);
  t.scope = ReadScopeList(r, root, false, true);
  ReadActors(r, root, &t, true);
  if (auto list = r.Sequence(root, "reserved_reasons", false)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item, {"reasons", "channels", "source", "note_da"}, "reserved reasons")) continue;
      ReservedReasons reserved;
      reserved.reasons = r.IntList(item, "reasons", true);
      reserved.channels = ReadChannelList(r, item, "channels");
      if (reserved.channels.empty()) r.Error(item, "reserved reasons name no channel");
      reserved.sources = r.Sources(item, true);
      reserved.defined_at = r.Where(item);
      t.reserved_reasons.push_back(std::move(reserved));
    }
  }
  if (auto fields = r.Sequence(root, "fields", true)) {
    for (const auto& item : *fields) t.fields.push_back(ReadField(r, item, false, true));
  }
  ReadBuiltinCommands(r, root, &t);
  ReadCodeLists(r, root, &t);
  ReadRules(r, root, &t);
  t.defined_at = r.Where(root);
  model->builtin_areas.push_back(std::move(t));
}

void ReadRecordType(YamlReader& r, const YAML::Node& root, Model* model) {
  if (!r.ExpectMap(root, {"key",       "name_da",  "name_en",      "chapter",        "legal_ref", "source",
                          "valid_from", "valid_to", "id_field",     "commands",       "period",    "scope",
                          "actors",     "fields",   "deadline",     "forward",        "citizen_view",
                          "borger_dk_view", "lookup", "codelists",  "rules",          "note_da"},
                   "record type")) {
    return;
  }
  RecordType t;
  ReadTypeHeader(r, root, &t);
  t.validity = r.ReadValidity(root);
  t.id_field = r.String(root, "id_field", false);
  if (t.id_field.empty()) t.id_field = t.key + "_id";
  static const char* const kDefaultVerbs[] = {"create", "change", "correct", "delete"};
  for (int i = 0; i < 4; ++i) t.commands[i] = std::string(kDefaultVerbs[i]) + "_" + t.key;
  if (YAML::Node commands = root["commands"]; commands && !commands.IsNull()) {
    if (r.ExpectMap(commands, {"create", "change", "correct", "delete"}, "commands")) {
      for (int i = 0; i < 4; ++i) {
        if (commands[kDefaultVerbs[i]]) t.commands[i] = r.String(commands, kDefaultVerbs[i], true);
      }
    }
  }
  ReadPeriod(r, root, &t);
  t.scope = ReadScopeList(r, root, true);
  ReadActors(r, root, &t);
  if (auto fields = r.Sequence(root, "fields", true)) {
    for (const auto& item : *fields) t.fields.push_back(ReadField(r, item, false));
  }
  ReadExtras(r, root, &t);
  t.defined_at = r.Where(root);
  model->record_types.push_back(std::move(t));
}

}  // namespace dfdg::catalog
