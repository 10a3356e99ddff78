// Integrity checks over declared record types (docs/catalog-format.md "Record types"). Every problem is
// reported with the file and line of the declaration it concerns.
#include <algorithm>
#include <map>
#include <set>

#include "catalog/checks_internal.h"
#include "catalog/loader.h"

namespace dfdg::catalog {
namespace {

bool IsIdentifier(const std::string& text) {
  if (text.empty() || text.size() > 64 || !(text[0] >= 'a' && text[0] <= 'z')) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

class RecordChecker {
 public:
  RecordChecker(const Model& model, std::vector<std::string>* errors)
      : model_(model), errors_(errors), seed_lines_(SeedLines(model)) {
    for (const auto& g : model.contact_groups) groups_.insert(g.id);
    for (const auto& v : model.visitation_categories) visitation_[v.key] = &v;
    for (const auto& list : model.course_codelists) course_lists_.insert(list.key);
    for (const auto& a : model.absences) reasons_.insert(a.id);
    for (const auto& t : model.record_types) {
      for (const auto& list : t.codelists) {
        auto [it, inserted] = record_lists_.emplace(list.key, list.defined_at);
        if (!inserted) {
          Error(list.defined_at, "code list '" + list.key + "' is also declared by " + it->second.file + ":" +
                                     std::to_string(it->second.line) + " (record code lists are shared by key)");
        }
      }
    }
  }

  void Run() {
    std::set<std::string> keys;
    std::map<std::string, FileRef> commands;
    for (const RecordType& t : model_.record_types) {
      if (!IsIdentifier(t.key)) Error(t.defined_at, "record type key '" + t.key + "' must be lower-case ASCII");
      if (!keys.insert(t.key).second) Error(t.defined_at, "record type '" + t.key + "' defined twice");
      for (int i = 0; i < 4; ++i) {
        const std::string& name = t.commands[i];
        if (!IsIdentifier(name)) Error(t.defined_at, "command name '" + name + "' must be lower-case ASCII");
        auto [it, inserted] = commands.emplace(name, t.defined_at);
        if (!inserted) {
          Error(t.defined_at, "command '" + name + "' is also declared by " + it->second.file + ":" +
                                  std::to_string(it->second.line));
        }
      }
      CheckType(t);
    }
    // Built-in command names are unique among the areas; a record type reusing one is refused by the
    // registry (registry::CheckRecordDeclarations), which knows the built-in commands.
    std::set<std::string> area_keys;
    std::map<std::string, FileRef> builtin_commands;
    for (const RecordType& area : model_.builtin_areas) {
      if (!IsIdentifier(area.key)) Error(area.defined_at, "area key '" + area.key + "' must be lower-case ASCII");
      if (!area_keys.insert(area.key).second) Error(area.defined_at, "area '" + area.key + "' defined twice");
      for (const BuiltinCommand& c : area.builtin_commands) {
        if (!IsIdentifier(c.name)) Error(c.defined_at, "command name '" + c.name + "' must be lower-case ASCII");
        auto [it, inserted] = builtin_commands.emplace(c.name, c.defined_at);
        if (!inserted) {
          Error(c.defined_at, "command '" + c.name + "' is also declared by " + it->second.file + ":" +
                                  std::to_string(it->second.line));
        }
      }
      CheckArea(area);
    }
  }

 private:
  void Error(const FileRef& at, const std::string& message) { AddError(errors_, at, message); }

  void CheckRefs(const FileRef& at, const std::vector<SourceRef>& refs) {
    CheckSourceRefs(seed_lines_, at, refs, errors_);
  }

  void CheckType(const RecordType& t) {
    std::string name = "record type '" + t.key + "'";
    CheckRefs(t.defined_at, t.sources);
    if (t.chapter < 1 || t.chapter > 99) Error(t.defined_at, name + ": chapter must be 1-99");
    if (!IsIdentifier(t.id_field))
      Error(t.defined_at, name + ": id_field '" + t.id_field + "' must be lower-case ASCII");
    static const std::set<std::string> kReserved = {"command", "id",    "cpr",    "registered_at",
                                                    "channel", "actor", "comment"};
    std::set<std::string> field_keys;
    for (const FieldDecl& f : t.fields) {
      if (kReserved.count(f.key) || f.key == t.id_field) {
        Error(f.defined_at, name + ": field '" + f.key + "' is a reserved command field");
      }
      if (!field_keys.insert(f.key).second) Error(f.defined_at, name + ": field '" + f.key + "' defined twice");
      CheckField(t, f, name);
    }
    if (t.fields.empty()) Error(t.defined_at, name + " declares no fields");
    CheckPeriod(t, name);
    if (t.scope.empty()) Error(t.defined_at, name + " declares no scope");
    for (const ScopeEntry& s : t.scope) CheckScope(s, name);
    bool someone_creates = false;
    for (size_t i = 0; i < t.actors.size(); ++i) {
      const ActorRule& a = t.actors[i];
      CheckRefs(a.defined_at, a.sources);
      if (a.may.empty()) Error(a.defined_at, name + ": actor " + ChannelKey(a.channel) + " may do nothing");
      someone_creates = someone_creates || a.May(RecordAction::kCreate);
      for (const ScopeEntry& s : a.scope) CheckScope(s, name);
      for (size_t j = i + 1; j < t.actors.size(); ++j) {
        if (t.actors[j].channel == a.channel && t.actors[j].validity.Overlaps(a.validity)) {
          Error(t.actors[j].defined_at, name + ": actor " + ChannelKey(a.channel) +
                                            " is declared twice for overlapping validity (also line " +
                                            std::to_string(a.defined_at.line) + ")");
        }
      }
    }
    if (!someone_creates) Error(t.defined_at, name + ": no actor may create it");
    for (const FieldDecl& f : t.fields) {
      for (Channel c : f.required_for) {
        if (std::none_of(t.actors.begin(), t.actors.end(), [&](const ActorRule& a) { return a.channel == c; })) {
          Error(f.defined_at,
                name + ": field '" + f.key + "' is required for " + ChannelKey(c) + ", which is no actor");
        }
      }
    }
    for (const std::string& key : t.citizen_view) {
      if (t.FieldIndex(key) < 0) Error(t.citizen_view_at, name + ": citizen_view names unknown field '" + key + "'");
    }
    CheckRefs(t.citizen_view_at, t.citizen_view_sources);
    for (const std::string& key : t.borger_dk_view) {
      if (t.FieldIndex(key) < 0)
        Error(t.borger_dk_view_at, name + ": borger_dk_view names unknown field '" + key + "'");
    }
    CheckRefs(t.borger_dk_view_at, t.borger_dk_view_sources);
    if (t.lookup) {
      for (const std::string& key : t.lookup->fields) {
        if (t.FieldIndex(key) < 0)
          Error(t.lookup->defined_at, name + ": lookup names unknown field '" + key + "'");
      }
      // The purposes are the type's own list, so the type states them beside the lookup.
      if (std::none_of(t.codelists.begin(), t.codelists.end(),
                       [&](const RecordCodeList& l) { return l.key == t.lookup->purpose_code_list; })) {
        Error(t.lookup->defined_at,
              name + ": lookup purpose_code_list '" + t.lookup->purpose_code_list + "' is not a code list of the type");
      }
      CheckRefs(t.lookup->defined_at, t.lookup->sources);
    }
    CheckRefs(t.deadline_at, t.deadline_sources);
    for (const ForwardTarget& f : t.forward) {
      // The recipients are data (catalog/recipients.yaml, with the seed lines that name each).
      const Recipient* to = FindRecipient(f.target);
      if (!to) {
        std::string known;
        for (const Recipient& x : model_.recipients) {
          if (known.find(x.key + ",") == std::string::npos) known.append(x.key).append(", ");
        }
        Error(f.defined_at, name + ": forward target must be one of " + known +
                                "the recipients of catalog/recipients.yaml; got '" + f.target + "'");
      }
      // The forwarding addresses its target by membership, municipality or the recipient's id; a kind addressed
      // by the person or by a lookup has nothing to address it with here.
      const std::optional<Addressing> addressing = to ? AddressedBy(to->kind) : std::nullopt;
      if (addressing && *addressing != Addressing::kMembership && *addressing != Addressing::kMunicipality &&
          *addressing != Addressing::kFixed) {
        Error(f.defined_at, name + ": forward target '" + f.target + "' is of recipient kind '" + to->kind +
                                "', addressed by " + AddressingName(*addressing) +
                                "; a forward target must be of a kind addressed by membership, municipality or id");
      }
      if (!f.key.empty() && !IsIdentifier(f.key))
        Error(f.defined_at, name + ": forward key '" + f.key + "' must be lower-case ASCII");
      for (int g : f.contact_groups) {
        if (!groups_.count(g)) Error(f.defined_at, name + ": forward names unknown contact group " + std::to_string(g));
      }
      if (f.age_below && (*f.age_below < 1 || *f.age_below > 150))
        Error(f.defined_at, name + ": age_below must be 1-150");
      if (f.born_from && f.born_to && *f.born_to < *f.born_from)
        Error(f.defined_at, name + ": born_to before born_from");
      if (f.period_from && f.period_to && *f.period_to < *f.period_from) {
        Error(f.defined_at, name + ": period_overlaps ends before it starts");
      }
      if (!f.when_field.empty() && t.FieldIndex(f.when_field) < 0) {
        Error(f.defined_at, name + ": forward 'when' names unknown field '" + f.when_field + "'");
      }
      if (!f.when_field.empty() && f.when_codes.empty()) Error(f.defined_at, name + ": forward 'when' has no codes");
      for (const std::string& key : f.fields) {
        if (t.FieldIndex(key) < 0) Error(f.defined_at, name + ": forward names unknown field '" + key + "'");
      }
      if (!f.with_type.empty()) CheckWithRecord(f, name);
      if (!f.recipient_field.empty() && t.FieldIndex(f.recipient_field) < 0) {
        Error(f.defined_at, name + ": forward recipient_field names unknown field '" + f.recipient_field + "'");
      }
      const bool by_membership = to && AddressedBy(to->kind) == Addressing::kMembership;
      if ((!f.recipient_field.empty() || !f.with_recipient_field.empty()) && !by_membership) {
        Error(f.defined_at, name + ": forward recipient_field is for a target addressed by membership (akasse)");
      }
      if (f.after_membership && (!by_membership || f.akasse_members_only || !f.recipient_field.empty() ||
                                 !f.with_recipient_field.empty() || !f.recipient_kind.empty())) {
        Error(f.defined_at, name + ": forward after_membership is for target akasse (the latest a-kasse) alone");
      }
      if (!f.recipient_field.empty() && !f.with_recipient_field.empty()) {
        Error(f.defined_at, name + ": forward has recipient_field and with_record.recipient_field");
      }
      if (!f.recipient_kind.empty() && !AddressedBy(f.recipient_kind)) {
        Error(f.defined_at, name + ": forward recipient_kind '" + f.recipient_kind +
                                "' is no recipient kind of catalog/recipients.yaml");
      }
      CheckRefs(f.defined_at, f.sources);
    }
    CheckCodeLists(name, t);
    for (const RecordRuleRef& rule : t.rules) CheckRefs(rule.defined_at, rule.sources);
  }

  // The first version of recipient `key` (catalog/recipients.yaml), or nullptr.
  const Recipient* FindRecipient(const std::string& key) const {
    for (const Recipient& x : model_.recipients) {
      if (x.key == key) return &x;
    }
    return nullptr;
  }
  // How recipient kind `key` is addressed; nullopt for an unknown kind.
  std::optional<Addressing> AddressedBy(const std::string& key) const {
    for (const RecipientKind& k : model_.recipient_kinds) {
      if (k.key == key) return k.addressed_by;
    }
    return std::nullopt;
  }

  // A forward entry's `with_record`: a declared record type, and fields of that type.
  void CheckWithRecord(const ForwardTarget& f, const std::string& name) {
    const RecordType* other = nullptr;
    for (const RecordType& t : model_.record_types) {
      if (t.key == f.with_type) other = &t;
    }
    if (!other) {
      Error(f.defined_at, name + ": forward 'with_record' names unknown record type '" + f.with_type + "'");
      return;
    }
    if (!f.with_when_field.empty() && other->FieldIndex(f.with_when_field) < 0) {
      Error(f.defined_at, name + ": forward 'with_record' names unknown field '" + f.with_when_field + "'");
    }
    if (!f.with_when_field.empty() && f.with_when_codes.empty()) {
      Error(f.defined_at, name + ": forward 'with_record' 'when' has no codes");
    }
    if (!f.with_has_field.empty() && other->FieldIndex(f.with_has_field) < 0) {
      Error(f.defined_at, name + ": forward 'with_record' names unknown field '" + f.with_has_field + "'");
    }
    if (!f.with_recipient_field.empty() && other->FieldIndex(f.with_recipient_field) < 0) {
      Error(f.defined_at, name + ": forward 'with_record' names unknown field '" + f.with_recipient_field + "'");
    }
    for (const std::string& key : f.with_fields) {
      if (other->FieldIndex(key) < 0) {
        Error(f.defined_at, name + ": forward 'with_record' names unknown field '" + key + "'");
      }
    }
  }

  // The type's or area's own code lists: unique keys, codes, no overlapping versions of one code, seed lines.
  void CheckCodeLists(const std::string& name, const RecordType& t) {
    std::set<std::string> lists;
    for (const RecordCodeList& list : t.codelists) {
      if (!lists.insert(list.key).second) Error(list.defined_at, name + ": code list '" + list.key + "' defined twice");
      if (list.codes.empty()) Error(list.defined_at, name + ": code list '" + list.key + "' has no codes");
      CheckRefs(list.defined_at, list.sources);
      for (size_t i = 0; i < list.codes.size(); ++i) {
        CheckRefs(list.defined_at, list.codes[i].sources);
        for (size_t j = i + 1; j < list.codes.size(); ++j) {
          if (list.codes[i].key == list.codes[j].key && list.codes[i].validity.Overlaps(list.codes[j].validity)) {
            Error(list.defined_at,
                  name + ": code '" + list.codes[i].key + "' of '" + list.key + "' has overlapping versions");
          }
        }
      }
    }
  }

  // A built-in command area: fields as in a record type, each filling one Command member of its type; every
  // field taken by some command.
  void CheckArea(const RecordType& t) {
    std::string name = "area '" + t.key + "'";
    CheckRefs(t.defined_at, t.sources);
    if (t.chapter < 1 || t.chapter > 99) Error(t.defined_at, name + ": chapter must be 1-99");
    if (!IsIdentifier(t.stored_as)) Error(t.defined_at, name + ": stored_as must name a stored kind (docs/storage.md)");
    std::set<std::string> field_keys;
    std::map<CommandSlot, std::string> slots;
    for (const FieldDecl& f : t.fields) {
      if (!field_keys.insert(f.key).second) Error(f.defined_at, name + ": field '" + f.key + "' defined twice");
      CheckField(t, f, name);
      bool fits = CommandSlotType(f.slot) == f.type || (f.slot == CommandSlot::kTexts && f.type == FieldType::kTime);
      if (f.slot != CommandSlot::kNone && !fits) {
        Error(f.defined_at, name + ": field '" + f.key + "' of type " + FieldTypeKey(f.type) + " cannot fill slot '" +
                                CommandSlotKey(f.slot) + "' (" + FieldTypeKey(CommandSlotType(f.slot)) + ")");
      }
      bool int_range = f.min && f.max && *f.min >= -2147483648.0 && *f.max <= 2147483647.0;
      if (CommandSlotType(f.slot) == FieldType::kInt && !int_range) {
        Error(f.defined_at, name + ": field '" + f.key + "' fills an int slot and needs min and max within 32 bits");
      }
      bool keyed = f.slot == CommandSlot::kTexts || f.slot == CommandSlot::kDates || f.slot == CommandSlot::kFlags;
      if (f.slot != CommandSlot::kNone && !keyed) {
        auto [it, inserted] = slots.emplace(f.slot, f.key);
        if (!inserted) {
          Error(f.defined_at, name + ": fields '" + it->second + "' and '" + f.key + "' fill the same slot '" +
                                  CommandSlotKey(f.slot) + "'");
        }
      }
      if (f.required || !f.required_for.empty()) {
        Error(f.defined_at, name + ": field '" + f.key + "': say required per command (commands: required:)");
      }
    }
    std::vector<bool> used(t.fields.size(), false);
    for (const BuiltinCommand& c : t.builtin_commands) {
      CheckRefs(c.defined_at, c.sources);
      for (int index : c.fields) used[static_cast<size_t>(index)] = true;
    }
    for (size_t i = 0; i < t.fields.size(); ++i) {
      if (!used[i]) Error(t.fields[i].defined_at, name + ": field '" + t.fields[i].key + "' is taken by no command");
    }
    if (t.builtin_commands.empty()) Error(t.defined_at, name + " declares no commands");
    CheckCodeLists(name, t);
    for (const RecordRuleRef& rule : t.rules) CheckRefs(rule.defined_at, rule.sources);
    CheckAreaActors(t, name);
  }

  // A built-in area's actors, named scope entries, reserved reasons and command channels.
  void CheckAreaActors(const RecordType& t, const std::string& name) {
    // The personkreds names the registry's rule modules ask for (src/registry/course_rules.cc,
    // registration_rules.cc: `event_date`).
    static const std::set<std::string> kScopeKeys = {"summons",
                                                     "deadline_mandatory",
                                                     "deadline_optional_job",
                                                     "deadline_optional_followup",
                                                     "akasse_choice",
                                                     "interview",
                                                     "interview_visitation_change",
                                                     "cv_not_adequate",
                                                     "cv_status",
                                                     "event_date",
                                                     "followup",
                                                     "jobseeker"};
    bool has_reason = std::any_of(t.fields.begin(), t.fields.end(),
                                  [](const FieldDecl& f) { return f.slot == CommandSlot::kReason; });
    auto check_reasons = [&](const FileRef& at, const std::vector<int>& ids, const char* what) {
      if (!has_reason) Error(at, name + ": " + what + " need a field filling slot 'reason'");
      for (int id : ids) {
        if (!reasons_.count(id)) Error(at, name + ": " + what + " name unknown reason " + std::to_string(id));
      }
    };
    auto check_scope = [&](const std::vector<ScopeEntry>& entries) {
      for (size_t i = 0; i < entries.size(); ++i) {
        const ScopeEntry& s = entries[i];
        CheckScope(s, name);
        if (!kScopeKeys.count(s.key)) Error(s.defined_at, name + ": unknown scope key '" + s.key + "'");
        for (const auto& limit : s.registration_categories) {
          if (!groups_.count(limit.first))
            Error(s.defined_at, name + ": scope names unknown contact group " + std::to_string(limit.first));
        }
        for (size_t j = i + 1; j < entries.size(); ++j) {
          if (entries[j].key == s.key && entries[j].validity.Overlaps(s.validity)) {
            Error(entries[j].defined_at, name + ": scope '" + s.key + "' versions overlap in validity");
          }
        }
      }
    };
    check_scope(t.scope);
    for (size_t i = 0; i < t.actors.size(); ++i) {
      const ActorRule& a = t.actors[i];
      CheckRefs(a.defined_at, a.sources);
      if (a.may.empty()) Error(a.defined_at, name + ": actor " + ChannelKey(a.channel) + " may do nothing");
      check_scope(a.scope);
      if (a.reasons) check_reasons(a.defined_at, *a.reasons, "actor reasons");
      for (size_t j = i + 1; j < t.actors.size(); ++j) {
        if (t.actors[j].channel == a.channel && t.actors[j].validity.Overlaps(a.validity)) {
          Error(t.actors[j].defined_at, name + ": actor " + ChannelKey(a.channel) +
                                            " is declared twice for overlapping validity (also line " +
                                            std::to_string(a.defined_at.line) + ")");
        }
      }
    }
    for (const ReservedReasons& r : t.reserved_reasons) {
      CheckRefs(r.defined_at, r.sources);
      check_reasons(r.defined_at, r.reasons, "reserved_reasons");
    }
    for (const BuiltinCommand& c : t.builtin_commands) {
      for (Channel channel : c.channels) {
        if (std::none_of(t.actors.begin(), t.actors.end(), [&](const ActorRule& a) { return a.channel == channel; })) {
          Error(c.defined_at,
                name + ": command '" + c.name + "' names channel " + ChannelKey(channel) + ", which is no actor");
        }
      }
    }
  }

  void CheckField(const RecordType& t, const FieldDecl& f, const std::string& name) {
    std::string what = name + ": field '" + f.key + "'";
    CheckRefs(f.defined_at, f.sources);
    if (!IsIdentifier(f.key)) Error(f.defined_at, what + ": key must be lower-case ASCII");
    if ((f.type == FieldType::kText) != (f.max_length > 0)) {
      Error(f.defined_at, what + (f.type == FieldType::kText ? ": a text field needs max_length (1 or more)"
                                                             : ": max_length is only for text fields"));
    }
    bool numeric = f.type == FieldType::kInt || f.type == FieldType::kDecimal;
    if (!numeric && (f.min || f.max)) Error(f.defined_at, what + ": min/max are only for int and decimal fields");
    if (f.min && f.max && *f.min > *f.max) Error(f.defined_at, what + ": min is greater than max");
    if (f.type == FieldType::kInt && ((f.min && *f.min != static_cast<double>(static_cast<int64_t>(*f.min))) ||
                                      (f.max && *f.max != static_cast<double>(static_cast<int64_t>(*f.max))))) {
      Error(f.defined_at, what + ": an int field needs integer bounds");
    }
    if (f.type == FieldType::kCode) {
      bool local = std::any_of(t.codelists.begin(), t.codelists.end(),
                               [&](const RecordCodeList& l) { return l.key == f.code_list; });
      if (f.code_list.empty()) {
        Error(f.defined_at, what + ": a code field needs code_list");
      } else if (!local && !course_lists_.count(f.code_list) && !record_lists_.count(f.code_list)) {
        Error(f.defined_at, what + ": unknown code list '" + f.code_list +
                                "' (declare it under codelists:, in another record type, or use a "
                                "contact_course.yaml list)");
      }
    } else if (!f.code_list.empty()) {
      Error(f.defined_at, what + ": code_list is only for code fields");
    }
    if (f.type == FieldType::kList) {
      if (f.items.empty()) Error(f.defined_at, what + ": a list field needs items");
      if (f.max_items < 1) Error(f.defined_at, what + ": a list field needs max_items (1 or more)");
      std::set<std::string> keys;
      for (const FieldDecl& item : f.items) {
        if (!keys.insert(item.key).second)
          Error(item.defined_at, what + ": item field '" + item.key + "' defined twice");
        CheckField(t, item, name);
      }
    } else if (!f.items.empty() || f.max_items) {
      Error(f.defined_at, what + ": items/max_items are only for list fields");
    }
    if (f.required && !f.required_for.empty()) {
      Error(f.defined_at, what + ": give either required: true or required_for, not both");
    }
  }

  void CheckPeriod(const RecordType& t, const std::string& name) {
    if (!t.period) return;
    const PeriodDecl& p = *t.period;
    CheckRefs(p.defined_at, p.sources);
    auto date_field = [&](const std::string& key, const char* role) -> const FieldDecl* {
      int index = t.FieldIndex(key);
      if (index < 0) {
        Error(p.defined_at, name + ": period " + role + " names unknown field '" + key + "'");
        return nullptr;
      }
      const FieldDecl& f = t.fields[index];
      if (f.type != FieldType::kDate)
        Error(p.defined_at, name + ": period " + role + " field '" + key + "' is no date");
      return &f;
    };
    if (const FieldDecl* start = date_field(p.start_field, "start"); start && !start->required) {
      Error(p.defined_at, name + ": the period start field '" + p.start_field + "' must be required");
    }
    if (!p.end_field.empty()) date_field(p.end_field, "end");
    if (!p.end_field.empty() && p.end_field == p.start_field)
      Error(p.defined_at, name + ": period start and end are one field");
  }

  void CheckScope(const ScopeEntry& s, const std::string& name) {
    CheckRefs(s.defined_at, s.sources);
    if (!s.all_contact_groups && s.contact_groups.empty()) Error(s.defined_at, name + ": scope lists no contact group");
    for (int g : s.contact_groups) {
      if (!groups_.count(g)) Error(s.defined_at, name + ": scope names unknown contact group " + std::to_string(g));
    }
    if (!s.visitation) return;
    auto it = visitation_.find(*s.visitation);
    if (it == visitation_.end()) {
      Error(s.defined_at, name + ": scope names unknown visitation category '" + *s.visitation + "'");
      return;
    }
    for (int g : s.contact_groups) {
      const auto& used = it->second->contact_groups;
      if (std::find(used.begin(), used.end(), g) == used.end()) {
        Error(s.defined_at, name + ": visitation category '" + *s.visitation + "' is not used for contact group " +
                                std::to_string(g));
      }
    }
  }

  const Model& model_;
  std::vector<std::string>* errors_;
  std::map<std::string, int> seed_lines_;
  std::set<int> groups_;
  std::map<std::string, const VisitationCategory*> visitation_;
  std::set<std::string> course_lists_;
  std::map<std::string, FileRef> record_lists_;  // code lists of every record type, by key
  std::set<int> reasons_;                        // absence reason ids
};

}  // namespace

void CheckRecordTypes(const Model& model, std::vector<std::string>* errors) { RecordChecker(model, errors).Run(); }

}  // namespace dfdg::catalog
