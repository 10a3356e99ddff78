#include "registry/record_validator.h"

#include <algorithm>

#include "registry/record_rules.h"

namespace dfdg::registry {
namespace {

using catalog::RecordAction;
using Json = nlohmann::json;

std::optional<Date> DateField(const catalog::RecordType& type, const Json& fields, const std::string& key) {
  if (key.empty() || !type.period) return std::nullopt;
  auto it = fields.find(key);
  if (it == fields.end() || !it->is_string()) return std::nullopt;
  auto date = ParseDate(it->get<std::string>());
  return date.ok() ? std::optional<Date>(*date) : std::nullopt;
}

class RecordValidator {
 public:
  RecordValidator(const catalog::Catalog& catalog, const PersonView& person, const Command& command)
      : catalog_(catalog), person_(person), c_(command), r_(*command.record), type_(*r_.type) {}

  std::vector<Violation> Run() {
    Date registered = c_.registered;
    bool writes_content = r_.action == RecordAction::kCreate || r_.action == RecordAction::kChange;
    if (writes_content && !type_.validity.Contains(registered)) Add(5007, {});
    const catalog::ActorRule* actor = type_.ActorOn(c_.channel, registered);
    if (!actor || !actor->May(r_.action)) Add(5002, {});
    // Scope is judged for new content; corrections and delete marks of existing records stay possible.
    if (writes_content && actor && !RecordScope(type_, c_.channel, person_, registered)) NotInScope(registered);
    const Fact* current = nullptr;
    if (r_.action != RecordAction::kCreate) {
      current = CurrentRecord(person_, type_, r_.entity_id);
      if (!current) {
        Add(5003, {{"detail", std::to_string(r_.entity_id)}});
        return std::move(out_);
      }
    }
    bool needs_comment = r_.action == RecordAction::kCorrect || r_.action == RecordAction::kDelete;
    if (needs_comment && (!r_.comment || r_.comment->empty())) Add(5004, {});
    Json fields = MergeRecordFields(r_, current);
    if (r_.action != RecordAction::kDelete) CheckPeriod(fields, current);
    for (const catalog::RecordRuleRef& rule : type_.rules) {
      const RecordRuleModule* module = FindRecordRule(rule.module);
      if (module && module->check) {
        module->check(RecordRuleContext{catalog_, person_, c_, fields, current, rule, type_}, &out_);
      }
    }
    return std::move(out_);
  }

 private:
  void Add(int code, Fields fields, const catalog::FileRef* at = nullptr,
           const std::vector<catalog::SourceRef>* sources = nullptr) {
    fields.emplace("type_da", type_.name_da);
    fields.emplace("type_en", type_.name_en);
    fields.emplace("channel", catalog::ChannelKey(c_.channel));
    fields.emplace("action", catalog::RecordActionKey(r_.action));
    fields.emplace("action_da", catalog::RecordActionDa(r_.action));
    AddViolation(&out_, catalog_, c_.registered, code, std::move(fields), at ? at : &type_.defined_at,
                 sources ? sources : &type_.sources);
  }

  void NotInScope(Date date) {
    const Fact* group = person_.On(FactKind::kContactGroup, date);
    const Fact* visitation = person_.On(FactKind::kVisitation, date);
    Fields fields{{"group", group ? std::to_string(group->code) : "none"},
                  {"group_da", group ? std::to_string(group->code) : "ingen"}};
    fields["visitation"] = visitation ? ", " + visitation->text : "";
    const catalog::ActorRule* actor = type_.ActorOn(c_.channel, date);
    const auto& scope = actor && !actor->scope.empty() ? actor->scope : type_.scope;
    Add(5001, std::move(fields), &scope.front().defined_at, &scope.front().sources);
  }

  void CheckPeriod(const Json& fields, const Fact* current) {
    if (!type_.period) return;
    const catalog::PeriodDecl& p = *type_.period;
    std::optional<Date> start = DateField(type_, fields, p.start_field);
    std::optional<Date> end = DateField(type_, fields, p.end_field);
    if (!start) return;
    Fields dates{{"start", FormatDate(*start)}, {"end", end ? FormatDate(*end) : ""}};
    if (end && *end < *start) Add(5005, dates, &p.defined_at, &p.sources);
    // Backdating and future starts are judged for a new start (create, or a change that moves it).
    bool new_start = !current || current->start != *start;
    if (new_start && p.backdate && !p.backdate->unlimited) {
      Date limit = SubtractDuration(c_.registered, *p.backdate);
      if (*start < limit) {
        Fields f = dates;
        f["limit"] = FormatDate(limit);
        f["rule"] = p.backdate->ToString();
        Add(5008, std::move(f), &p.defined_at, &p.sources);
      }
    }
    if (new_start && p.max_future_start && !p.max_future_start->unlimited) {
      Date limit = AddDuration(c_.registered, *p.max_future_start);
      if (*start > limit) {
        Fields f = dates;
        f["limit"] = FormatDate(limit);
        f["rule"] = p.max_future_start->ToString();
        Add(5009, std::move(f), &p.defined_at, &p.sources);
      }
    }
    if (p.overlap_allowed) return;
    for (const Fact* other : person_.Of(FactKind::kRecord)) {
      if (other->text != type_.key || (current && other->entity_id == current->entity_id)) continue;
      if (other->Overlaps(*start, end)) {
        Fields f = dates;
        f["detail"] = std::to_string(other->entity_id) + " (" + FormatDate(other->start) + " – " +
                      (other->end ? FormatDate(*other->end) : std::string()) + ")";
        Add(5006, std::move(f), &p.defined_at, &p.sources);
      }
    }
  }

  const catalog::Catalog& catalog_;
  const PersonView& person_;
  const Command& c_;
  const RecordRequest& r_;
  const catalog::RecordType& type_;
  std::vector<Violation> out_;
};

bool ScopeMatches(const catalog::ScopeEntry& s, int group, const std::string* visitation, Date date) {
  if (!s.validity.Contains(date)) return false;
  if (!s.all_contact_groups &&
      std::find(s.contact_groups.begin(), s.contact_groups.end(), group) == s.contact_groups.end()) {
    return false;
  }
  return !s.visitation || (visitation && *visitation == *s.visitation);
}

}  // namespace

const catalog::ScopeEntry* RecordScope(const catalog::RecordType& type, catalog::Channel channel,
                                       const PersonView& person, Date date) {
  const Fact* group = person.On(FactKind::kContactGroup, date);
  const Fact* visitation = person.On(FactKind::kVisitation, date);
  const std::string* visitation_key = visitation ? &visitation->text : nullptr;
  const catalog::ActorRule* actor = type.ActorOn(channel, date);
  const auto& scope = actor && !actor->scope.empty() ? actor->scope : type.scope;
  for (const catalog::ScopeEntry& s : scope) {
    if (!group) {  // only `contact_groups: any` covers a person in no contact group
      if (s.any_person && !s.visitation && s.validity.Contains(date)) return &s;
      continue;
    }
    if (ScopeMatches(s, group->code, visitation_key, date)) return &s;
  }
  return nullptr;
}

const Fact* CurrentRecord(const PersonView& person, const catalog::RecordType& type, int64_t entity_id) {
  const Fact* fact = person.Entity(entity_id);
  return fact && IsRecordOf(*fact, type.key) ? fact : nullptr;
}

nlohmann::json MergeRecordFields(const RecordRequest& request, const Fact* current) {
  Json fields = current ? RecordFields(*current) : Json::object();
  if (request.action == RecordAction::kDelete) return fields;
  for (size_t i = 0; i < request.values.size(); ++i) {
    const FieldValue& slot = request.values[i];
    const std::string& key = request.type->fields[i].key;
    if (slot.state == FieldValue::State::kSet) {
      fields[key] = slot.value;
    } else if (slot.state == FieldValue::State::kCleared) {
      fields.erase(key);
    }
  }
  return fields;
}

std::vector<Violation> ValidateRecord(const catalog::Catalog& catalog, const PersonView& person,
                                      const Command& command) {
  return RecordValidator(catalog, person, command).Run();
}

std::vector<Fact> PlanRecordFacts(const Command& command, const PersonView& person, PersonHistory* history) {
  const RecordRequest& r = *command.record;
  const catalog::RecordType& type = *r.type;
  const Fact* current = r.action == RecordAction::kCreate ? nullptr : CurrentRecord(person, type, r.entity_id);
  Fact f;
  f.kind = FactKind::kRecord;
  f.entity_id = current ? current->entity_id : history->next_entity_id++;
  f.recorded_on = command.registered;
  f.channel = command.channel;
  f.actor = command.actor;
  f.text = type.key;
  f.deleted = r.action == RecordAction::kDelete;
  f.comment = r.comment.value_or("");
  Json fields = MergeRecordFields(r, current);
  if (type.period) {
    f.start = DateField(type, fields, type.period->start_field).value_or(command.registered);
    f.end = DateField(type, fields, type.period->end_field);
  } else {
    f.start = current ? current->start : command.registered;
  }
  f.extra = Json{{"action", catalog::RecordActionKey(r.action)}, {"fields", std::move(fields)}};
  return {std::move(f)};
}

}  // namespace dfdg::registry
