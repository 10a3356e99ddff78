#include "registry/record_report.h"

#include <algorithm>
#include <map>

#include "registry/akasse_rules.h"
#include "registry/forwarding.h"
#include "registry/record.h"
#include "registry/record_rules.h"
#include "registry/record_validator.h"

namespace dfdg::registry {
namespace {

using Json = nlohmann::ordered_json;

Json DateOrNull(const std::optional<Date>& date) { return date ? Json(FormatDate(*date)) : Json(nullptr); }

bool Current(const catalog::RecordType& type, const Fact& f, Date date) { return !type.period || f.CoversDay(date); }

// Appends `key` to `object` without looking for it first (ordered_json's operator[] searches the keys one by one).
// REQUIRES: `object` is an object without `key` (the catalogue's record type keys are unique).
void AppendNew(Json* object, const std::string& key, Json value) {
  object->get_ref<Json::object_t&>().emplace_back(key, std::move(value));
}

// A record as the citizen is shown it: its period and the fields of the view.
Json CitizenRecord(const Fact& f, Json fields) {
  Json out = Json::object();
  auto& o = out.get_ref<Json::object_t&>();
  o.reserve(3);
  o.emplace_back("start", FormatDate(f.start));
  o.emplace_back("end", DateOrNull(f.end));
  o.emplace_back("fields", std::move(fields));
  return out;
}

std::string Cite(const catalog::Catalog& catalog, const std::vector<catalog::SourceRef>& sources) {
  return sources.empty() ? "" : catalog.Cite(sources.front());
}

// The forwarding targets that apply to record `f` of `type` for the person on `date` (registry/forwarding.h).
Json ForwardTo(const catalog::RecordType& type, const PersonView& view, const Fact& f, Date date) {
  Json out = Json::array();
  for (const catalog::ForwardTarget* t : ApplicableForwards(type, view, f, date)) {
    bool seen = false;
    for (const auto& target : out) seen = seen || target == t->target;
    if (!seen) out.push_back(t->target);
  }
  return out;
}

Json Version(const catalog::RecordType* type, const Fact& f) {
  Json v{{"seq", f.seq},
         {"recorded_on", FormatDate(f.recorded_on)},
         {"action", RecordActionOf(f)},
         {"channel", catalog::ChannelKey(f.channel)},
         {"actor", f.actor},
         {"comment", f.comment},
         {"deleted", f.deleted},
         {"start", FormatDate(f.start)},
         {"end", DateOrNull(f.end)}};
  v["fields"] = type ? FieldsForOutput(*type, RecordFields(f)) : Json::object();
  return v;
}

}  // namespace

nlohmann::ordered_json RecordsOn(const catalog::Catalog& catalog, const PersonView& view, Date date) {
  Json out = Json::object();
  for (const catalog::RecordType& type : catalog.model().record_types) out[type.key] = Json::array();
  for (const Fact* f : view.Of(FactKind::kRecord)) {
    const catalog::RecordType* type = catalog.FindRecordType(f->text);
    if (!type || !Current(*type, *f, date)) continue;
    out[type->key].push_back(Json{{"entity_id", f->entity_id},
                                  {"start", FormatDate(f->start)},
                                  {"end", DateOrNull(f->end)},
                                  {"registered_on", FormatDate(f->recorded_on)},
                                  {"channel", catalog::ChannelKey(f->channel)},
                                  {"actor", f->actor},
                                  {"fields", FieldsForOutput(*type, RecordFields(*f))},
                                  {"forward_to", ForwardTo(*type, view, *f, date)}});
  }
  return out;
}

nlohmann::ordered_json RecordScopeOn(const catalog::Catalog& catalog, const PersonView& view, Date date) {
  Json out = Json::array();
  for (const catalog::RecordType& type : catalog.model().record_types) {
    if (!type.validity.Contains(date)) continue;
    int current = 0;
    for (const Fact* f : view.Of(FactKind::kRecord)) current += f->text == type.key && Current(type, *f, date);
    bool requires_current = false;  // a rule module says: in `must` scope, a current record is required
    for (const catalog::RecordRuleRef& rule : type.rules) {
      const RecordRuleModule* module = FindRecordRule(rule.module);
      requires_current = requires_current || (module && module->requires_current);
    }
    for (const catalog::ActorRule& actor : type.actors) {
      if (!actor.validity.Contains(date) || !actor.May(catalog::RecordAction::kCreate)) continue;
      const catalog::ScopeEntry* scope = RecordScope(type, actor.channel, view, date);
      if (!scope) continue;
      out.push_back(Json{{"record_type", type.key},
                         {"name_da", type.name_da},
                         {"channel", catalog::ChannelKey(actor.channel)},
                         {"mode", catalog::ModeKey(scope->mode)},
                         {"legal_ref", scope->legal_ref},
                         {"catalog", scope->defined_at.file + ":" + std::to_string(scope->defined_at.line)},
                         {"source", Cite(catalog, scope->sources)},
                         {"records", current},
                         {"missing", requires_current && scope->mode == catalog::Mode::kMust && current == 0}});
    }
  }
  return out;
}

bool RecordReader::MayRead(const catalog::RecordType& type) const {
  const catalog::ActorRule* actor = type.ActorOn(channel, on);
  return actor && actor->May(catalog::RecordAction::kRead);
}

nlohmann::ordered_json RecordHistoryJson(const catalog::Catalog& catalog, const PersonHistory& history,
                                         const std::string& masked_cpr, const std::string& record_type,
                                         int64_t entity_id, std::optional<Date> known_at,
                                         std::optional<RecordReader> reader) {
  std::map<int64_t, Json> entities;  // by entity id: ascending, i.e. in creation order
  for (const Fact& f : history.facts) {
    if (f.kind != FactKind::kRecord || (known_at && f.recorded_on > *known_at)) continue;
    if ((!record_type.empty() && f.text != record_type) || (entity_id && f.entity_id != entity_id)) continue;
    const catalog::RecordType* type = catalog.FindRecordType(f.text);
    if (reader && (!type || !reader->MayRead(*type))) continue;
    Json& e = entities[f.entity_id];
    if (e.is_null()) e = Json{{"entity_id", f.entity_id}, {"record_type", f.text}, {"versions", Json::array()}};
    e["versions"].push_back(Version(type, f));
  }
  Json list = Json::array();
  for (auto& [id, e] : entities) {
    const Json& last = e["versions"].back();
    e["current"] = last["deleted"].get<bool>() ? Json(nullptr) : last;
    list.push_back(std::move(e));
  }
  return Json{{"cpr", masked_cpr},
              {"known_at", DateOrNull(known_at)},
              {"catalog_version", catalog.version()},
              {"entities", list}};
}

nlohmann::ordered_json CitizenRecordsJson(const catalog::Catalog& catalog, const PersonHistory& history,
                                          const std::string& masked_cpr, Date date) {
  PersonView view(history, std::nullopt);
  Json records = Json::object();
  Json borger_dk = Json::object();
  Json notices = Json::array();
  for (const catalog::RecordType& type : catalog.model().record_types) {
    const catalog::ActorRule* citizen = type.ActorOn(catalog::Channel::kCitizen, date);
    if ((type.citizen_view.empty() && type.borger_dk_view.empty()) || !citizen ||
        !citizen->May(catalog::RecordAction::kRead)) {
      continue;
    }
    std::vector<const RecordRuleModule*> filters;
    for (const catalog::RecordRuleRef& rule : type.rules) {
      const RecordRuleModule* module = FindRecordRule(rule.module);
      if (module && module->citizen_shows) filters.push_back(module);
      if (!module || !module->citizen_notice) continue;
      Json notice = module->citizen_notice(catalog, view, date);
      if (notice.is_null()) continue;
      notice["record_type"] = type.key;
      notice["legal_ref"] = rule.legal_ref;
      notice["catalog"] = rule.defined_at.file + ":" + std::to_string(rule.defined_at.line);
      notices.push_back(std::move(notice));
    }
    // Jobnet's and Borger.dk's views show the same records (the rule modules' filter), each with its own fields.
    Json list = Json::array();
    Json borger_dk_list = Json::array();
    for (const Fact* f : view.Of(FactKind::kRecord)) {
      if (f->text != type.key) continue;
      bool shown = std::all_of(filters.begin(), filters.end(),
                               [&](const RecordRuleModule* m) { return m->citizen_shows(catalog, view, *f, date); });
      if (!shown) continue;
      const std::pair<const std::vector<std::string>*, Json*> views[] = {{&type.citizen_view, &list},
                                                                         {&type.borger_dk_view, &borger_dk_list}};
      for (const auto& [fields, out] : views) {
        if (fields->empty()) continue;
        out->push_back(CitizenRecord(*f, FieldsForOutput(type, RecordFields(*f), fields)));
      }
    }
    if (!type.citizen_view.empty()) AppendNew(&records, type.key, std::move(list));
    if (!type.borger_dk_view.empty()) AppendNew(&borger_dk, type.key, std::move(borger_dk_list));
  }
  return Json{{"cpr", masked_cpr},
              {"date", FormatDate(date)},
              {"records", records},
              {"borger_dk", borger_dk},
              {"notices", notices}};
}

const catalog::RecordCode* LookupPurpose(const catalog::RecordType& type, const std::string& code) {
  if (!type.lookup) return nullptr;
  for (const catalog::RecordCodeList& list : type.codelists) {
    if (list.key != type.lookup->purpose_code_list) continue;
    for (const catalog::RecordCode& c : list.codes) {
      if (c.key == code) return &c;
    }
  }
  return nullptr;
}

nlohmann::ordered_json LookupRecordsJson(const catalog::Catalog& catalog, const catalog::RecordType& type,
                                         const PersonHistory& history, const std::string& masked_cpr,
                                         const catalog::RecordCode& purpose, Date date) {
  PersonView view(history, std::nullopt);
  std::vector<const RecordRuleModule*> filters;
  for (const catalog::RecordRuleRef& rule : type.rules) {
    const RecordRuleModule* module = FindRecordRule(rule.module);
    if (module && module->citizen_shows) filters.push_back(module);
  }
  Json list = Json::array();
  for (const Fact* f : view.Of(FactKind::kRecord)) {
    if (f->text != type.key || !f->CoversDay(date)) continue;
    // A transfer leaves the former membership open (the latest begun is the current one): the modules say which.
    if (!std::all_of(filters.begin(), filters.end(),
                     [&](const RecordRuleModule* m) { return m->citizen_shows(catalog, view, *f, date); })) {
      continue;
    }
    list.push_back(Json{{"start", FormatDate(f->start)},
                        {"end", DateOrNull(f->end)},
                        {"fields", FieldsForOutput(type, RecordFields(*f), &type.lookup->fields)}});
  }
  Json out{{"cpr", masked_cpr},
           {"date", FormatDate(date)},
           {"record_type", type.key},
           {"legal_ref", type.lookup->legal_ref},
           {"purpose", Json{{"code", purpose.key}, {"name_da", purpose.name_da}, {"name_en", purpose.name_en}}},
           {"found", !list.empty()}};
  out["records"] = std::move(list);
  return out;
}

}  // namespace dfdg::registry
