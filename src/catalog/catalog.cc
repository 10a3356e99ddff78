#include "catalog/catalog.h"

#include <algorithm>

#include "catalog/loader.h"

namespace dfdg::catalog {

Result<std::shared_ptr<const Catalog>> Catalog::Load(const std::string& dir) {
  Result<Model> model = LoadModel(dir);
  if (!model.ok()) return model.status();
  return FromModel(std::move(model).value());
}

std::shared_ptr<const Catalog> Catalog::FromModel(Model model) {
  std::shared_ptr<Catalog> catalog(new Catalog(std::move(model)));
  catalog->BuildIndexes();
  return catalog;
}

void Catalog::BuildIndexes() {
  for (const auto& o : model_.obligations) obligations_[o.key] = &o;
  auto edge = [&](const std::string& from, const std::string& to, bool same, const std::string& text,
                  const std::vector<SourceRef>& sources, const FileRef& at, const Validity* validity) {
    auto f = obligations_.find(from);
    auto t = obligations_.find(to);
    if (f == obligations_.end() || t == obligations_.end() || from == to) return;  // refused by CheckModel
    implications_[from].push_back(ImpliedLift{t->second, f->second, same, &text, &sources, &at, validity});
  };
  for (const auto& d : model_.same_duties) {
    for (const auto& a : d.keys) {
      for (const auto& b : d.keys) edge(a, b, true, d.text_da, d.sources, d.defined_at, nullptr);
    }
  }
  // The days on which the set of general rules in force changes: rows are indexed piecewise between them.
  std::vector<Date> cuts;
  for (const auto& e : model_.implied_exemptions) {
    for (const auto& to : e.also_lifts) edge(e.lifted, to, false, e.text_da, e.sources, e.defined_at, &e.validity);
    if (e.validity.from) cuts.push_back(*e.validity.from);
    if (e.validity.to) cuts.push_back(*e.validity.to);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  // `validity` split at every cut strictly inside it.
  auto pieces = [&](const Validity& validity) {
    std::vector<Validity> out{validity};
    for (Date cut : cuts) {
      Validity& last = out.back();
      if ((!last.from || *last.from < cut) && (!last.to || cut < *last.to)) {
        Validity tail{cut, last.to};
        last.to = cut;
        out.push_back(tail);
      }
    }
    return out;
  };
  for (const auto& g : model_.contact_groups) {
    if (g.id >= 0 && g.id <= kMaxContactGroup) groups_[g.id] = &g;
  }
  int next = 1;
  for (const auto& v : model_.visitation_categories) visitation_index_[v.key] = next++;
  for (const auto& c : model_.codelists) codelists_[c.key] = &c;
  for (const auto& v : model_.violations) violations_[v.code] = &v;
  for (const auto& m : model_.municipalities) municipalities_[m.code] = &m;
  for (const auto& t : model_.record_types) {
    record_types_[t.key] = &t;
    for (int a = 0; a < 4; ++a) record_commands_[t.commands[a]] = RecordCommandRef{&t, static_cast<RecordAction>(a)};
  }
  for (const auto& area : model_.builtin_areas) {
    for (const auto& command : area.builtin_commands)
      builtin_commands_[command.name] = BuiltinCommandRef{&area, &command};
  }
  visitation_stride_ = static_cast<size_t>(next);
  cells_.assign(static_cast<size_t>(kMaxReasonId + 1) * (kMaxContactGroup + 1) * visitation_stride_, {});

  for (const auto& a : model_.absences) {
    if (a.id < 0 || a.id > kMaxReasonId) continue;
    absences_[a.id] = &a;
    // Two passes: rows naming a visitation first, so they win over "all categories" rows.
    for (int pass = 0; pass < 2; ++pass) {
      for (const auto& row : a.rows) {
        if (row.visitation.has_value() != (pass == 0)) continue;
        std::vector<const Obligation*> direct;
        for (const auto& key : row.exempts) direct.push_back(obligations_.at(key));
        for (const Validity& piece : pieces(row.validity)) {
          IndexedRow indexed{&row, piece, direct, direct, {}};
          // Rules in force anywhere in the piece are in force on all of it (no cut inside); ask on a day in it.
          Date probe = piece.from ? *piece.from : (piece.to ? *piece.to - std::chrono::days{1} : Date{});
          indexed.implied = ImpliedLifts(direct, probe);
          for (const ImpliedLift& lift : indexed.implied) indexed.exempts.push_back(lift.obligation);
          for (int group : row.contact_groups) {
            if (group < 0 || group > kMaxContactGroup) continue;
            size_t base = (static_cast<size_t>(a.id) * (kMaxContactGroup + 1) + group) * visitation_stride_;
            if (row.visitation) {
              cells_[base + VisitationIndex(&*row.visitation)].push_back(indexed);
            } else {
              for (size_t v = 0; v < visitation_stride_; ++v) cells_[base + v].push_back(indexed);
            }
          }
        }
      }
    }
  }
}

int Catalog::VisitationIndex(const std::string* key) const {
  if (key == nullptr) return 0;
  auto it = visitation_index_.find(*key);
  return it == visitation_index_.end() ? 0 : it->second;
}

const Absence* Catalog::FindAbsence(int id) const { return id >= 0 && id <= kMaxReasonId ? absences_[id] : nullptr; }

const ContactGroup* Catalog::FindContactGroup(int id) const {
  return id >= 0 && id <= kMaxContactGroup ? groups_[id] : nullptr;
}

const Obligation* Catalog::FindObligation(const std::string& key) const {
  auto it = obligations_.find(key);
  return it == obligations_.end() ? nullptr : it->second;
}

const VisitationCategory* Catalog::FindVisitation(const std::string& key) const {
  for (const auto& v : model_.visitation_categories) {
    if (v.key == key) return &v;
  }
  return nullptr;
}

const CodeList* Catalog::FindCodeList(const std::string& key) const {
  auto it = codelists_.find(key);
  return it == codelists_.end() ? nullptr : it->second;
}

const Source* Catalog::FindSource(const std::string& seed) const {
  for (const auto& s : model_.sources) {
    if (s.id == seed) return &s;
  }
  return nullptr;
}

const ViolationText* Catalog::FindViolation(int code) const {
  auto it = violations_.find(code);
  return it == violations_.end() ? nullptr : it->second;
}

const Municipality* Catalog::FindMunicipality(int code) const {
  auto it = municipalities_.find(code);
  return it == municipalities_.end() ? nullptr : it->second;
}

const InterviewType* Catalog::FindInterviewType(const std::string& key) const {
  for (const auto& t : model_.interview_types) {
    if (t.key == key) return &t;
  }
  return nullptr;
}

const Recipient* Catalog::FindRecipient(const std::string& key, std::optional<Date> date) const {
  for (const auto& x : model_.recipients) {
    if (x.key == key && (!date || x.validity.Contains(*date))) return &x;
  }
  return nullptr;
}

const RecipientKind* Catalog::FindRecipientKind(const std::string& key) const {
  for (const auto& k : model_.recipient_kinds) {
    if (k.key == key) return &k;
  }
  return nullptr;
}

bool Catalog::HasCourseCodeList(const std::string& list) const {
  return std::any_of(model_.course_codelists.begin(), model_.course_codelists.end(),
                     [&](const CourseCodeList& l) { return l.key == list; });
}

const CourseCode* Catalog::FindCourseCode(const std::string& list, const std::string& key, Date date) const {
  for (const auto& l : model_.course_codelists) {
    if (l.key != list) continue;
    for (const auto& code : l.codes) {
      if (code.key == key && code.validity.Contains(date)) return &code;
    }
  }
  return nullptr;
}

const RecordType* Catalog::FindRecordType(const std::string& key) const {
  auto it = record_types_.find(key);
  return it == record_types_.end() ? nullptr : it->second;
}

RecordCommandRef Catalog::FindRecordCommand(std::string_view name) const {
  auto it = record_commands_.find(name);
  return it == record_commands_.end() ? RecordCommandRef{} : it->second;
}

BuiltinCommandRef Catalog::FindBuiltinCommand(std::string_view name) const {
  auto it = builtin_commands_.find(name);
  return it == builtin_commands_.end() ? BuiltinCommandRef{} : it->second;
}

const std::string* Catalog::FindRecordCode(const RecordType& type, const std::string& list, const std::string& key,
                                           Date date) const {
  for (const auto& l : type.codelists) {
    if (l.key != list) continue;
    for (const auto& code : l.codes) {
      if (code.key == key && code.validity.Contains(date)) return &code.name_da;
    }
    return nullptr;
  }
  // A list declared by another record type (list keys are unique across types: record_checks.cc).
  for (const auto& other : model_.record_types) {
    for (const auto& l : other.codelists) {
      if (l.key != list) continue;
      for (const auto& code : l.codes) {
        if (code.key == key && code.validity.Contains(date)) return &code.name_da;
      }
      return nullptr;
    }
  }
  const CourseCode* code = FindCourseCode(list, key, date);
  return code ? &code->name_da : nullptr;
}

std::vector<std::string> Catalog::RecordCodeKeys(const RecordType& type, const std::string& list,
                                                 std::optional<Date> date) const {
  std::vector<std::string> out;
  auto add = [&](const std::string& key, const Validity& validity) {
    if ((!date || validity.Contains(*date)) && std::find(out.begin(), out.end(), key) == out.end()) out.push_back(key);
  };
  for (const auto& l : type.codelists) {
    if (l.key != list) continue;
    for (const auto& code : l.codes) add(code.key, code.validity);
    return out;
  }
  for (const auto& other : model_.record_types) {
    for (const auto& l : other.codelists) {
      if (l.key != list) continue;
      for (const auto& code : l.codes) add(code.key, code.validity);
      return out;
    }
  }
  for (const auto& l : model_.course_codelists) {
    if (l.key != list) continue;
    for (const auto& code : l.codes) add(code.key, code.validity);
  }
  return out;
}

const DeregistrationRule* Catalog::DeregistrationOn(Date date) const {
  for (const auto& rule : model_.deregistration_rules) {
    if (rule.validity.Contains(date)) return &rule;
  }
  return nullptr;
}

std::vector<const Obligation*> Catalog::ObligationsFor(int contact_group, const std::string* visitation,
                                                       Date date) const {
  std::vector<const Obligation*> out;
  if (contact_group < 0 || contact_group > kMaxContactGroup) return out;
  size_t v = static_cast<size_t>(VisitationIndex(visitation));
  for (const auto& a : model_.absences) {
    size_t base = (static_cast<size_t>(a.id) * (kMaxContactGroup + 1) + contact_group) * visitation_stride_;
    for (const IndexedRow& indexed : cells_[base + v]) {
      if (!indexed.validity.Contains(date)) continue;
      // The row's own list: a general rule lifts a duty only where the group has it (docs/obligations.md).
      for (const Obligation* o : indexed.direct) {
        if (o->key == "administrativ_markering" || !o->validity.Contains(date)) continue;
        if (std::find(out.begin(), out.end(), o) == out.end()) out.push_back(o);
      }
    }
  }
  // Catalogue order, so answers are stable.
  std::sort(out.begin(), out.end(), [](const Obligation* a, const Obligation* b) { return a < b; });
  return out;
}

std::vector<ImpliedLift> Catalog::ImpliedLifts(std::span<const Obligation* const> direct, Date date) const {
  std::vector<const Obligation*> lifted(direct.begin(), direct.end());
  std::vector<ImpliedLift> out;
  for (size_t next = 0; next < lifted.size(); ++next) {
    auto it = implications_.find(lifted[next]->key);
    if (it == implications_.end()) continue;
    for (const ImpliedLift& lift : it->second) {
      if (lift.validity && !lift.validity->Contains(date)) continue;
      if (std::find(lifted.begin(), lifted.end(), lift.obligation) != lifted.end()) continue;
      lifted.push_back(lift.obligation);
      out.push_back(lift);
    }
  }
  return out;
}

std::string Catalog::ContactGroupName(const ContactGroup& group, Date date) const {
  for (const auto& name : group.names) {
    if (name.validity.Contains(date)) return name.name_da;
  }
  return group.names.empty() ? std::string() : group.names.back().name_da;
}

bool Catalog::ContactGroupOpenForNew(const ContactGroup& group, Date date) const {
  if (!group.validity.Contains(date)) return false;
  return !group.new_registrations_until || date < *group.new_registrations_until;
}

const DateRule* Catalog::SelectDateRule(const Absence& absence, int contact_group, Channel channel, Date date) const {
  for (const auto& rule : absence.date_rules) {
    if (!rule.validity.Contains(date)) continue;
    if (rule.contact_groups && std::find(rule.contact_groups->begin(), rule.contact_groups->end(), contact_group) ==
                                   rule.contact_groups->end()) {
      continue;
    }
    if (rule.channels && std::find(rule.channels->begin(), rule.channels->end(), channel) == rule.channels->end()) {
      continue;
    }
    return &rule;
  }
  return nullptr;
}

LookupResult Catalog::Lookup(int reason, int contact_group, const std::string* visitation, Date date,
                             Channel channel) const {
  LookupResult result;
  result.absence = FindAbsence(reason);
  if (result.absence == nullptr) return result;
  const Absence& a = *result.absence;
  result.reason_in_force =
      a.validity.Contains(date) && (!a.new_registrations_until || date < *a.new_registrations_until);
  result.date_rule = SelectDateRule(a, contact_group, channel, date);
  if (contact_group < 0 || contact_group > kMaxContactGroup) return result;
  size_t base = (static_cast<size_t>(reason) * (kMaxContactGroup + 1) + contact_group) * visitation_stride_;
  for (const IndexedRow& indexed : cells_[base + VisitationIndex(visitation)]) {
    if (indexed.validity.Contains(date)) {
      result.row = indexed.row;
      result.exempts = indexed.exempts;
      result.implied = indexed.implied;
      break;
    }
  }
  return result;
}

std::vector<const Row*> Catalog::RowsOn(const Absence& absence, Date date) const {
  std::vector<const Row*> out;
  for (const auto& row : absence.rows) {
    if (row.validity.Contains(date)) out.push_back(&row);
  }
  return out;
}

std::string Catalog::Cite(const SourceRef& ref) const {
  const Source* source = FindSource(ref.seed);
  return (source ? source->file : ref.seed) + ":" + std::to_string(ref.line);
}

}  // namespace dfdg::catalog
