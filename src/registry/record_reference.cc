#include "registry/record_reference.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "registry/record_schema_internal.h"

namespace dfdg::registry {
namespace {

using Json = nlohmann::ordered_json;
using catalog::FieldDecl;
using catalog::FieldType;
using catalog::RecordAction;
using catalog::RecordType;
using record_doc::At;
using record_doc::Refs;

// A range bound as written in the declaration: integers without a fraction.
std::string Bound(const FieldDecl& f, double bound) {
  return f.type == FieldType::kInt ? std::to_string(static_cast<int64_t>(bound)) : Json(bound).dump();
}

std::string TypeText(const FieldDecl& f) {
  std::string type = catalog::FieldTypeKey(f.type);
  if (f.type == FieldType::kText) type.append(" ≤ ").append(std::to_string(f.max_length));
  if (f.type == FieldType::kCode) type.append(" (`").append(f.code_list).append("`)");
  if (f.type == FieldType::kList) {
    type.append(" ≤ ").append(std::to_string(f.max_items)).append(" of {");
    for (size_t i = 0; i < f.items.size(); ++i) {
      type.append(i ? ", " : "").append(f.items[i].key).append(f.items[i].required ? "" : "?");
    }
    type += "}";
  }
  if (f.min || f.max) {
    type.append(" ")
        .append(f.min ? Bound(f, *f.min) : std::string())
        .append("–")
        .append(f.max ? Bound(f, *f.max) : std::string());
  }
  return type;
}

// A built-in area's actors (with the reasons a channel may create), reserved reasons, commands that name their
// channels, and named scope entries (the personkreds its rule modules ask for).
void AreaActors(const RecordType& area, std::ostringstream& md) {
  md << "\n| actor | may | reasons | valid | source |\n|---|---|---|---|---|\n";
  for (const auto& actor : area.actors) {
    std::string may;
    for (auto action : actor.may) may.append(may.empty() ? "" : ", ").append(catalog::RecordActionKey(action));
    std::string reasons = "all";
    if (actor.reasons) {
      reasons.clear();
      for (int r : *actor.reasons) reasons.append(reasons.empty() ? "" : ", ").append(std::to_string(r));
    }
    md << "| " << catalog::ChannelKey(actor.channel) << " | " << may << " | " << reasons << " | "
       << actor.validity.ToString() << " | " << Refs(actor.sources) << " |\n";
  }
  for (const auto& r : area.reserved_reasons) {
    std::string reasons, channels;
    for (int id : r.reasons) reasons.append(reasons.empty() ? "" : ", ").append(std::to_string(id));
    for (auto c : r.channels) channels.append(channels.empty() ? "" : ", ").append(catalog::ChannelKey(c));
    md << "\nOnly " << channels << " may create and end reason(s) " << reasons << " (" << Refs(r.sources) << ").\n";
  }
  for (const auto& c : area.builtin_commands) {
    if (c.channels.empty()) continue;
    std::string channels;
    for (auto ch : c.channels) channels.append(channels.empty() ? "" : ", ").append(catalog::ChannelKey(ch));
    md << "\n`" << c.name << "` only from: " << channels << ".\n";
  }
  auto rows = [&](const std::string& channel, const std::vector<catalog::ScopeEntry>& entries) {
    for (const auto& s : entries) {
      std::string groups;
      for (int g : s.contact_groups) groups.append(groups.empty() ? "" : ", ").append(std::to_string(g));
      for (int g : s.registered_jobseekers_only)
        groups.append(" (").append(std::to_string(g)).append(" only registered)");
      md << "| `" << s.key << "` | " << channel << " | " << (s.all_contact_groups ? "all (§ 15)" : groups) << " | "
         << catalog::ModeKey(s.mode) << " | " << s.validity.ToString() << " | " << s.legal_ref << " | "
         << Refs(s.sources) << " |\n";
    }
  };
  bool any = !area.scope.empty();
  for (const auto& actor : area.actors) any = any || !actor.scope.empty();
  if (!any) return;
  md << "\nPersons in scope (the entry a rule module names; an actor's own entry replaces the area's):\n\n"
     << "| scope | channel | contact groups | mode | valid | § | source |\n|---|---|---|---|---|---|---|\n";
  rows("default", area.scope);
  for (const auto& actor : area.actors) rows(catalog::ChannelKey(actor.channel), actor.scope);
}

// The built-in commands (catalog/records/builtin/): per area its commands with their required and optional
// fields, and its fields with type, slot and source.
void BuiltinReference(const catalog::Catalog& catalog, std::ostringstream& md) {
  md << "\n# Built-in commands\n\n"
     << "The commands of docs/commands.md, declared in catalog/records/builtin/*.yaml and parsed from the\n"
     << "declarations (docs/catalog-format.md \"Built-in command areas\"); their rules beyond the form are the\n"
     << "registry's rule modules each area names, run in that order. Each area's commands write the stored\n"
     << "kind named (docs/storage.md).\n";
  for (const RecordType& area : catalog.model().builtin_areas) {
    md << "\n## " << area.name_da << " (`" << area.key << "`) — " << area.name_en << "\n\n";
    md << "Seed 000 chapter " << area.chapter << ", " << area.legal_ref << " (" << Refs(area.sources) << "); catalogue "
       << At(area.defined_at) << "; stored as `" << area.stored_as << "`.\n\n";
    md << "| command | action | required | optional | § | source |\n|---|---|---|---|---|---|\n";
    for (const auto& command : area.builtin_commands) {
      std::string required;
      std::string optional;
      for (size_t i = 0; i < command.fields.size(); ++i) {
        std::string& list = i < command.required_count ? required : optional;
        list.append(list.empty() ? "`" : ", `")
            .append(area.fields[static_cast<size_t>(command.fields[i])].key)
            .append("`");
      }
      md << "| `" << command.name << "` | " << catalog::RecordActionKey(command.action) << " | "
         << (required.empty() ? "—" : required) << " | " << (optional.empty() ? "—" : optional) << " | "
         << command.legal_ref << " | " << Refs(command.sources) << " |\n";
    }
    md << "\n| field | type | slot | name (da) | name (en) | source |\n|---|---|---|---|---|---|\n";
    for (const auto& f : area.fields) {
      md << "| `" << f.key << "` | " << TypeText(f) << " | `" << catalog::CommandSlotKey(f.slot) << "` | " << f.name_da
         << " | " << f.name_en << " | " << Refs(f.sources) << " |\n";
    }
    for (const auto& list : area.codelists) {
      md << "\nCode list `" << list.key << "`: " << list.name_da << " (" << Refs(list.sources) << ").\n\n"
         << "| code | name (da) | valid | source |\n|---|---|---|---|\n";
      for (const auto& code : list.codes) {
        std::string valid = (code.validity.from ? FormatDate(*code.validity.from) : std::string("…")) + " – " +
                            (code.validity.to ? FormatDate(*code.validity.to) : std::string("…"));
        md << "| `" << code.key << "` | " << code.name_da << " | " << valid << " | " << Refs(code.sources) << " |\n";
      }
    }
    AreaActors(area, md);
    if (!area.rules.empty()) {
      md << "\n| rule module | § | source |\n|---|---|---|\n";
      for (const auto& rule : area.rules) {
        md << "| `" << rule.module << "` | " << rule.legal_ref << " | " << Refs(rule.sources) << " |\n";
      }
    }
  }
}

}  // namespace

std::string RecordReference(const catalog::Catalog& catalog) {
  std::ostringstream md;
  md << "# Records of declared types — reference\n\n"
     << "<!-- Generated by `dfdg catalog reference` from catalog/records/*.yaml: do not edit. The test\n"
     << "     record_reference fails when this file is out of date; regenerate with\n"
     << "     `build/dfdg catalog reference > docs/records.md`. -->\n\n"
     << "Command and result shapes: docs/commands.md (\"Records of declared types\"); the JSON Schema of every\n"
     << "command: docs/record-schema.json (`dfdg catalog schema`). Sources are seed:line.\n";
  md << "\n## Recipients of forwarded data\n\nThe targets of the types' forwarding (\"Passed on to\"), from "
        "catalog/recipients.yaml; the outbox recipient is the person's a-kasse (kind `akasse`), the person's job "
        "centre (kind `jobcenter`) or the recipient's id.\n\n"
     << "| target | name (da) | name (en) | outbox recipient | § | valid | source |\n|---|---|---|---|---|---|---|\n";
  for (const catalog::Recipient& x : catalog.model().recipients) {
    const catalog::RecipientKind* kind = catalog.FindRecipientKind(x.kind);
    const bool by_id = kind && kind->addressed_by == catalog::Addressing::kFixed;
    md << "| `" << x.key << "` | " << x.name_da << " | " << x.name_en << " | " << x.kind
       << (by_id ? "/" + (x.id.empty() ? x.key : x.id) : std::string()) << " | " << x.legal_ref << " | "
       << x.validity.ToString() << " | " << Refs(x.sources) << " |\n";
  }
  for (const RecordType& t : catalog.model().record_types) {
    md << "\n## " << t.name_da << " (`" << t.key << "`) — " << t.name_en << "\n\n";
    md << "Seed 000 chapter " << t.chapter << ", " << t.legal_ref << " (" << Refs(t.sources) << "); catalogue "
       << At(t.defined_at) << ".";
    if (t.validity.from || t.validity.to) md << " In force " << t.validity.ToString() << ".";
    md << "\n\n| command | action | channels | required |\n|---|---|---|---|\n";
    for (int a = 0; a < 4; ++a) {
      auto action = static_cast<RecordAction>(a);
      std::string channels;
      for (const auto& actor : t.actors) {
        if (actor.May(action))
          channels += (channels.empty() ? "" : ", ") + std::string(catalog::ChannelKey(actor.channel));
      }
      std::string required = action == RecordAction::kCreate ? "" : "`" + t.id_field + "`";
      if (action == RecordAction::kCreate) {
        for (const auto& f : t.fields) {
          if (f.required) required += (required.empty() ? "`" : ", `") + f.key + "`";
        }
      }
      if (action == RecordAction::kCorrect || action == RecordAction::kDelete) required += ", `comment`";
      md << "| `" << t.commands[a] << "` | " << catalog::RecordActionKey(action) << " | "
         << (channels.empty() ? "—" : channels) << " | " << required << " |\n";
    }
    md << "\n| field | type | required | name (da) | name (en) | source |\n|---|---|---|---|---|---|\n";
    for (const auto& f : t.fields) {
      std::string type = catalog::FieldTypeKey(f.type);
      if (f.type == FieldType::kText) type += " ≤ " + std::to_string(f.max_length);
      if (f.type == FieldType::kCode) type += " (`" + f.code_list + "`)";
      if (f.type == FieldType::kList) type += " ≤ " + std::to_string(f.max_items);
      if (f.min || f.max) {
        type.append(" ")
            .append(f.min ? Json(*f.min).dump() : std::string())
            .append("–")
            .append(f.max ? Json(*f.max).dump() : std::string());
      }
      std::string required = f.required ? "yes" : "";
      for (auto c : f.required_for) required += (required.empty() ? "" : ", ") + std::string(catalog::ChannelKey(c));
      std::string name = f.name_da;
      if (f.validity.from || f.validity.to) name += " (" + f.validity.ToString() + ")";
      md << "| `" << f.key << "` | " << type << " | " << (required.empty() ? "no" : required) << " | " << name << " | "
         << f.name_en << " | " << Refs(f.sources) << " |\n";
    }
    if (t.period) {
      md << "\nPeriod: `" << t.period->start_field << "`–"
         << (t.period->end_field.empty() ? "" : "`" + t.period->end_field + "`") << " (end inclusive), overlap "
         << (t.period->overlap_allowed ? "allowed" : "forbidden");
      if (t.period->backdate) md << ", backdating at most " << t.period->backdate->ToString();
      if (t.period->max_future_start) md << ", start at most " << t.period->max_future_start->ToString() << " ahead";
      md << " (" << Refs(t.period->sources) << ").\n";
    }
    md << "\nScope (judged on the registration date; the first matching row gives the mode; `default` applies to "
          "actors without their own rows):\n\n"
       << "| channel | contact groups | visitation | mode | § | source |\n|---|---|---|---|---|---|\n";
    auto scope_rows = [&](const std::string& channel, const std::vector<catalog::ScopeEntry>& entries) {
      for (const auto& s : entries) {
        std::string groups;
        for (int g : s.contact_groups) groups += (groups.empty() ? "" : ", ") + std::to_string(g);
        md << "| " << channel << " | "
           << (s.any_person           ? "any person"
               : s.all_contact_groups ? "all (§ 15)"
                                      : groups)
           << " | " << s.visitation.value_or("all") << " | " << catalog::ModeKey(s.mode) << " | " << s.legal_ref
           << " | " << Refs(s.sources) << " |\n";
      }
    };
    scope_rows("default", t.scope);
    for (const auto& actor : t.actors) scope_rows(catalog::ChannelKey(actor.channel), actor.scope);
    md << "\nActors: ";
    for (size_t i = 0; i < t.actors.size(); ++i) {
      const auto& actor = t.actors[i];
      std::string may;
      for (auto action : actor.may) may += (may.empty() ? "" : ", ") + std::string(catalog::RecordActionKey(action));
      md << (i ? "; " : "") << catalog::ChannelKey(actor.channel) << " (" << may << "; " << Refs(actor.sources) << ")";
    }
    md << ".\n";
    if (!t.deadline_da.empty()) md << "\nDeadline: " << t.deadline_da << " (" << Refs(t.deadline_sources) << ").\n";
    for (const auto& f : t.forward) {
      std::string when;
      for (int g : f.contact_groups) when += (when.empty() ? "contact group " : ", ") + std::to_string(g);
      if (f.akasse_members_only) when += std::string(when.empty() ? "" : "; ") + "a-kasse members";
      for (auto c : f.from_channels) {
        when += std::string(when.empty() ? "" : "; ") + "registered by " + catalog::ChannelKey(c);
      }
      auto also = [&when](const std::string& text) { when += (when.empty() ? "" : "; ") + text; };
      if (f.age_below) also("under " + std::to_string(*f.age_below) + " years");
      if (f.born_from || f.born_to) {
        also("born " + (f.born_from ? FormatDate(*f.born_from) : std::string("…")) + " to " +
             (f.born_to ? FormatDate(*f.born_to) : std::string("…")));
      }
      if (f.period_from && f.period_to) {
        also("period overlapping " + FormatDate(*f.period_from) + " to " + FormatDate(*f.period_to));
      }
      if (!f.when_field.empty()) {
        std::string codes;
        for (const auto& code : f.when_codes) codes += (codes.empty() ? "" : ", ") + code;
        also("`" + f.when_field + "` in " + codes);
      }
      if (!f.with_type.empty()) {
        std::string with = "a current `" + f.with_type + "`";
        if (!f.with_when_field.empty()) {
          std::string codes;
          for (const auto& code : f.with_when_codes) codes += (codes.empty() ? "" : ", ") + code;
          with += " with `" + f.with_when_field + "` in " + codes;
        }
        if (!f.with_fields.empty()) {
          std::string its;
          for (const auto& key : f.with_fields) its += (its.empty() ? "`" : ", `") + key + "`";
          with += " (its " + its + " passed on)";
        }
        also(with);
      }
      if (!f.recipient_field.empty()) also("to the a-kasse in `" + f.recipient_field + "`");
      if (!f.with_recipient_field.empty()) {
        also("to the a-kasse in the `" + f.with_type + "`'s `" + f.with_recipient_field + "`");
      }
      std::string fields;
      if (f.fields_given) {
        for (const auto& key : f.fields) fields += (fields.empty() ? "`" : ", `") + key + "`";
        fields = "; fields: " + (fields.empty() ? std::string("none beyond the period") : fields);
      }
      md << "\nPassed on to " << f.target
         << (f.recipient_kind.empty() ? "" : " (recipient " + f.recipient_kind + "/" + f.recipient + ")")
         << (f.key.empty() ? "" : " as `" + f.key + "`") << (f.legal_ref.empty() ? "" : " (" + f.legal_ref + ")")
         << (when.empty() ? "" : " when " + when) << fields << ": " << f.text_da << " (" << Refs(f.sources) << ").\n";
    }
    if (!t.citizen_view.empty()) {
      std::string fields;
      for (const auto& key : t.citizen_view) fields += (fields.empty() ? "`" : ", `") + key + "`";
      md << "\nShown to the citizen (Jobnet): " << fields << " (" << Refs(t.citizen_view_sources) << ").\n";
    }
    if (!t.borger_dk_view.empty()) {
      std::string fields;
      for (const auto& key : t.borger_dk_view) fields += (fields.empty() ? "`" : ", `") + key + "`";
      md << "\nShown to the citizen (Borger.dk): " << fields << " (" << Refs(t.borger_dk_view_sources) << ").\n";
    }
    if (t.lookup) {
      std::string fields;
      std::string channels;
      for (const auto& key : t.lookup->fields) fields += (fields.empty() ? "`" : ", `") + key + "`";
      for (catalog::Channel c : t.lookup->channels) {
        channels.append(channels.empty() ? "" : ", ").append(catalog::ChannelKey(c));
      }
      md << "\nLooked up by " << channels << " with a purpose of `" << t.lookup->purpose_code_list << "` ("
         << t.lookup->legal_ref << "): " << fields << " of the records current on the day (" << Refs(t.lookup->sources)
         << ").\n";
    }
    for (const auto& rule : t.rules) {
      md << "\nRule module `" << rule.module << "`: " << rule.legal_ref << " (" << Refs(rule.sources) << ").\n";
    }
  }
  BuiltinReference(catalog, md);
  return md.str();
}

}  // namespace dfdg::registry
