#include "automation/daily.h"

#include <algorithm>
#include <map>

#include "automation/contact_course.h"
#include "automation/project_closing.h"
#include "automation/subscriptions.h"
#include "core/cpr.h"
#include "registry/command.h"
#include "registry/record.h"

namespace dfdg::automation {
namespace {

using Json = nlohmann::json;
using registry::Fact;
using registry::FactKind;

constexpr int64_t kScanPage = 1000;

template <typename T, typename V>
bool Contains(const std::vector<T>& list, const V& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

Json BaseCommand(const char* name, const DailyRule& rule, const std::string& cpr, Date day) {
  return Json{{"command", name},   {"id", "daily:" + FormatDate(day) + ":" + rule.cause.rule + ":" + cpr},
              {"cpr", cpr},        {"registered_at", FormatDate(day)},
              {"channel", "dfdg"}, {"actor", rule.cause.rule}};
}

// True when an absence of one of `reasons` covers `day`.
bool AnyCovers(const registry::PersonView& view, const std::vector<int>& reasons, Date day) {
  for (const Fact* a : view.Of(FactKind::kAbsence)) {
    if (Contains(reasons, a->code) && a->CoversDay(day)) return true;
  }
  return false;
}

// The common fields of a daily command around the action's own fields (subscriptions.h).
std::optional<Json> WithBase(std::optional<Json> own, const DailyRule& rule, const std::string& cpr, Date day) {
  if (!own) return std::nullopt;
  Json c = BaseCommand((*own)["command"].get<std::string>().c_str(), rule, cpr, day);
  for (const auto& [key, value] : own->items()) c[key] = value;
  return c;
}

// "Ved startdato efter d.d. bliver borger afmeldt som jobsøgende af DFDG ved startdato": a person in one of
// the rule's groups on `day`, registered as job seeker, with an absence of one of the reasons starting on
// `day` that was registered before `day`.
std::optional<Json> DeregisterOnStartDate(const DailyRule& rule, const registry::PersonView& view, Date day) {
  const Fact* group = view.On(FactKind::kContactGroup, day);
  if (!group || !Contains(rule.contact_groups, group->code)) return std::nullopt;
  const Fact* seeker = view.On(FactKind::kJobseeker, day);
  if (!seeker || seeker->end) return std::nullopt;  // not registered, or a deregistration is already set
  for (const Fact* a : view.Of(FactKind::kAbsence)) {
    if (!Contains(rule.reasons, a->code) || a->start != day) continue;
    // recorded_on of the absence's first version: the registration date of the start date.
    if (a->recorded_on >= day) continue;
    Json c = BaseCommand("deregister_jobseeker", rule, view.cpr(), day);
    c["date"] = FormatDate(day);
    c["reason"] = rule.deregistration_reason;
    return c;
  }
  return std::nullopt;
}

// "Når borger i kontaktgruppe 12 eller 28 fylder 30 år, ændrer DFDG automatisk kontaktgruppen": the birthday
// is birth date + age years (29 February → 28 February in other years, core/date.h).
std::optional<Json> ConvertAtAge(const DailyRule& rule, const registry::PersonView& view, Date day) {
  if (rule.last_day && day > *rule.last_day) return std::nullopt;
  auto cpr = Cpr::Parse(view.cpr());
  if (!cpr.ok()) return std::nullopt;
  Duration years{rule.age, Duration::Unit::kYears, false};
  if (AddDuration(cpr->birth_date(), years) != day) return std::nullopt;
  const Fact* group = view.On(FactKind::kContactGroup, day);
  if (!group || group->code != rule.from_group) return std::nullopt;
  Json c = BaseCommand("set_contact_group", rule, view.cpr(), day);
  c["contact_group"] = rule.to_group;
  c["start"] = FormatDate(day);
  return c;
}

// The rule's `also_set` ("og inaktiverer 'Min plan'", 002:428), planned with a conversion on `day`: each record of
// the type whose period covers `day` (not one ended before, not one starting later) and whose field is not yet the
// code gets the type's change command with the field set to the code; its comment names the rule and its seed lines.
void PlanAlsoSet(const catalog::Catalog& catalog, const DailyRule& rule, const registry::PersonView& view, Date day,
                 std::vector<Json>* out) {
  if (!rule.also_set) return;
  const AlsoSet& also = *rule.also_set;
  const catalog::RecordType* type = catalog.FindRecordType(also.record_type);
  if (!type) return;
  std::string cause = rule.cause.rule;
  const char* separator = ": ";
  for (const auto* list : {&rule.cause.sources, &also.sources}) {
    for (const catalog::SourceRef& s : *list) {
      cause.append(separator).append(catalog.Cite(s));
      separator = ", ";
    }
  }
  for (const Fact* r : view.Of(FactKind::kRecord)) {
    if (r->text != also.record_type || r->deleted || !r->CoversDay(day)) continue;
    const Json& fields = registry::RecordFields(*r);
    if (fields.contains(also.field) && fields[also.field] == also.code) continue;  // already set
    Json c =
        BaseCommand(type->commands[static_cast<int>(catalog::RecordAction::kChange)].c_str(), rule, view.cpr(), day);
    c["id"] = c["id"].get<std::string>() + ":" + std::to_string(r->entity_id);
    c[type->id_field] = r->entity_id;
    c[also.field] = also.code;
    c["comment"] = cause;
    out->push_back(std::move(c));
  }
}

// Re-registration at recovery (raskmelding, seed 002 §1.8): the day after the last day of an absence of one of
// the rule's reasons (or the day after the end was registered, when that is later), a person not registered on
// `day` is registered again — with the category and job titles of before — only when he was registered on the
// day before the first sick day, that registration ended during the sickness, and his contact group on the day
// before the first sick day is his contact group on `day`.
std::optional<Json> ReregisterAtRecovery(const DailyRule& rule, const registry::PersonView& view, Date day) {
  if (view.On(FactKind::kJobseeker, day)) return std::nullopt;  // registered already
  // Still sick (another sickness reason covers the day): no raskmelding, the sickness is registered again.
  if (AnyCovers(view, rule.still_sick_reasons, day)) return std::nullopt;
  for (const Fact* a : view.Of(FactKind::kAbsence)) {
    if (!Contains(rule.reasons, a->code) || !a->end) continue;
    Date recovered = *a->end + std::chrono::days(1);
    Date due = std::max(recovered, a->recorded_on + std::chrono::days(1));
    if (due != day) continue;
    Date before_sick = a->start - std::chrono::days(1);
    const Fact* seeker = view.On(FactKind::kJobseeker, before_sick);
    if (!seeker || !seeker->end || *seeker->end > *a->end) continue;  // not registered, or not ended by the sickness
    // No registration of its own since (the latest registration is the one before the sickness).
    bool later = false;
    for (const Fact* s : view.Of(FactKind::kJobseeker)) later = later || s->start > seeker->start;
    if (later) continue;
    const Fact* group_before = view.On(FactKind::kContactGroup, before_sick);
    const Fact* group_now = view.On(FactKind::kContactGroup, day);
    if (!group_before || !group_now || group_before->code != group_now->code) continue;
    Json c = BaseCommand("register_jobseeker", rule, view.cpr(), day);
    c["category"] = seeker->code;
    c["start"] = FormatDate(day);
    if (seeker->extra.is_object() && seeker->extra.contains("job_titles") && !seeker->extra["job_titles"].empty()) {
      Json titles = Json::array();
      for (const auto& t : seeker->extra["job_titles"]) {
        Json title{{"code", t.value("code", "")}};
        if (!t.value("alias", "").empty()) title["alias"] = t["alias"];
        titles.push_back(std::move(title));
      }
      c["job_titles"] = std::move(titles);
    }
    return c;
  }
  return std::nullopt;
}

// "... når slutdato nås, skal den genregistreres, hvis borgeren stadig er syg" (001:257-260): on the day after
// the last day of an absence of the rule's reasons (or the day after its end was registered, when that is later),
// when no absence of those reasons covers that first day or starts later, and an absence of `still_sick_reasons`
// covers `day`, the absence is registered again from the day after its last day, open-ended.
std::optional<Json> ReregisterWhileSick(const DailyRule& rule, const registry::PersonView& view, Date day) {
  for (const Fact* a : view.Of(FactKind::kAbsence)) {
    if (!Contains(rule.reasons, a->code) || !a->end) continue;
    Date next = *a->end + std::chrono::days(1);
    if (std::max(next, a->recorded_on + std::chrono::days(1)) != day) continue;
    bool continued = false;
    for (const Fact* b : view.Of(FactKind::kAbsence)) {
      continued = continued || (b != a && Contains(rule.reasons, b->code) && (b->CoversDay(next) || b->start > next));
    }
    if (continued || !AnyCovers(view, rule.still_sick_reasons, day)) continue;
    Json c = BaseCommand("register_absence", rule, view.cpr(), day);
    c["reason"] = a->code;
    c["start"] = FormatDate(next);
    return c;
  }
  return std::nullopt;
}

// True when `condition` holds for the person on `day` (rules.h PersonCondition).
bool Holds(const PersonCondition& condition, const registry::PersonView& view, Date day) {
  if (condition.jobseeker && view.On(FactKind::kJobseeker, day)) return true;
  if (condition.record_type.empty()) return false;
  for (const Fact* f : view.Of(FactKind::kRecord)) {
    if (f->text != condition.record_type || !f->CoversDay(day)) continue;
    const Json& fields = registry::RecordFields(*f);
    if (fields.contains(condition.field) && fields[condition.field].is_string() &&
        Contains(condition.codes, fields[condition.field].get<std::string>()))
      return true;
  }
  return false;
}

bool AnyHolds(const std::vector<PersonCondition>& conditions, const registry::PersonView& view, Date day) {
  return std::any_of(conditions.begin(), conditions.end(),
                     [&](const PersonCondition& c) { return Holds(c, view, day); });
}

// The date a retention period runs from: the first of the rule's `from_fields` set in the record, or (without
// them) its end date; nullopt when none is set or one of `unset_fields` is set (the record is not the rule's).
std::optional<Date> CountedFrom(const DailyRule& rule, const Fact& record) {
  const Json& fields = registry::RecordFields(record);
  for (const std::string& key : rule.unset_fields) {
    if (fields.contains(key) && !fields[key].is_null()) return std::nullopt;
  }
  if (rule.from_fields.empty()) return record.end;
  for (const std::string& key : rule.from_fields) {
    if (!fields.contains(key) || !fields[key].is_string()) continue;
    auto parsed = ParseDate(fields[key].get<std::string>());
    if (parsed.ok()) return *parsed;
  }
  return std::nullopt;
}

// Retention (seed 002 §§ 7.1–7.2): every current record of the rule's types whose counted-from date + the
// retention period is on or before `day` — while none of the rule's `keep_while` holds on `day`, and one of its
// `only_while` does when given — is deleted (the type's delete command, on channel dfdg) and then erased; a
// record the rule deleted before whose versions still hold data is erased again (an interrupted run).
void DeleteRecords(const catalog::Catalog& catalog, const DailyRule& rule, const registry::PersonView& view,
                   const registry::PersonHistory& history, Date day, std::vector<Json>* out,
                   std::vector<Erasure>* erasures) {
  for (const Fact* r : view.Of(FactKind::kRecord)) {
    if (!Contains(rule.record_types, r->text)) continue;
    std::optional<Date> from = CountedFrom(rule, *r);
    if (!from || AddDuration(*from, rule.retention) > day) continue;
    if (AnyHolds(rule.keep_while, view, day)) continue;
    if (!rule.only_while.empty() && !AnyHolds(rule.only_while, view, day)) continue;
    const catalog::RecordType* type = catalog.FindRecordType(r->text);
    if (!type) continue;
    Json c =
        BaseCommand(type->commands[static_cast<int>(catalog::RecordAction::kDelete)].c_str(), rule, view.cpr(), day);
    c["id"] = c["id"].get<std::string>() + ":" + std::to_string(r->entity_id);
    c[type->id_field] = r->entity_id;
    c["comment"] = rule.deletion_comment;
    if (erasures) {
      erasures->push_back({view.cpr(), r->entity_id, rule.cause.rule, r->text, static_cast<int64_t>(out->size())});
    }
    out->push_back(std::move(c));
  }
  if (!erasures) return;
  // Left over: the latest version is this rule's deletion, and some version was not erased.
  std::map<int64_t, std::pair<const Fact*, bool>> entities;  // entity → (latest version, some version unerased)
  for (const Fact& f : history.facts) {
    if (f.kind != FactKind::kRecord || !Contains(rule.record_types, f.text)) continue;
    auto& [latest, unerased] = entities[f.entity_id];
    latest = &f;
    unerased = unerased || !(f.extra.is_object() && f.extra.contains("erased"));
  }
  for (const auto& [entity, state] : entities) {
    const Fact* latest = state.first;
    if (state.second && latest->deleted && latest->actor == rule.cause.rule) {
      erasures->push_back({view.cpr(), entity, rule.cause.rule, latest->text, -1});
    }
  }
}

// The note left in each erased version: the rule, its seed lines and the day — no personal data.
std::string ErasureTrace(const catalog::Catalog& catalog, const Rules& rules, const std::string& rule, Date day) {
  Json sources = Json::array();
  for (const DailyRule& d : rules.daily) {
    if (d.cause.rule != rule) continue;
    for (const auto& s : d.cause.sources) sources.push_back(catalog.Cite(s));
  }
  return Json{{"rule", rule}, {"source", sources}, {"on", FormatDate(day)}}.dump();
}

}  // namespace

Result<std::vector<Json>> PlanDay(const catalog::Catalog& catalog, const Rules& rules, store::Store* store, Date day,
                                  std::vector<Erasure>* erasures) {
  std::vector<Json> out;
  std::map<std::string, Date> closings;
  bool ends_markings = std::any_of(rules.daily.begin(), rules.daily.end(),
                                   [](const DailyRule& d) { return d.action == "end_markings_at_project_closing"; });
  if (ends_markings) {
    auto loaded = ProjectClosings(catalog, store);
    if (!loaded.ok()) return loaded.status();
    closings = std::move(loaded).value();
  }
  std::string after;
  while (true) {
    auto page = store->LoadPersons(after, kScanPage);
    if (!page.ok()) return page.status();
    for (const registry::PersonHistory& person : *page) {
      if (!registry::IsPersonSubject(person.cpr)) continue;  // the run-time projects (docs/decisions/0039)
      const std::string& cpr = person.cpr;
      const registry::PersonHistory* history = &person;
      registry::PersonView view(*history, std::nullopt);
      for (const DailyRule& rule : rules.daily) {
        std::optional<Json> command;
        if (rule.action == "deregister_jobseeker") command = DeregisterOnStartDate(rule, view, day);
        if (rule.action == "convert_contact_group_at_age") {
          command = ConvertAtAge(rule, view, day);
          // Before the conversion: validated under the group the records were made in (decision 0042).
          if (command) PlanAlsoSet(catalog, rule, view, day, &out);
        }
        if (rule.action == "reregister_at_recovery") command = ReregisterAtRecovery(rule, view, day);
        if (rule.action == "reregister_while_sick") command = ReregisterWhileSick(rule, view, day);
        if (rule.action == "convert_contact_groups_on_date")
          command = WithBase(ConvertOnDate(rule, view, day), rule, cpr, day);
        if (rule.action == "udb_subscription")
          command = WithBase(PlanSubscription(catalog, rule, view, day), rule, cpr, day);
        if (rule.action == "akasse_contact_course_start")
          command = WithBase(PlanContactCourseStart(catalog, rule, view, day), rule, cpr, day);
        if (rule.action == "delete_records") DeleteRecords(catalog, rule, view, *history, day, &out, erasures);
        if (rule.action == "end_markings_at_project_closing" && !closings.empty())
          EndMarkingsAtClosing(catalog, rule, view, closings, day, &out);
        if (command) out.push_back(std::move(*command));
      }
    }
    if (static_cast<int64_t>(page->size()) < kScanPage) break;
    after = page->back().cpr;
  }
  return out;
}

Result<nlohmann::ordered_json> RunDaily(const catalog::Catalog& catalog, const Rules& rules, store::Store* store,
                                        registry::Registry* registry, Date today, const DailyOptions& options) {
  if (options.date > today) {
    return Status::InvalidArgument("the daily run for " + FormatDate(options.date) + " is after today (" +
                                   FormatDate(today) + ")");
  }
  auto last = store->LastDailyRun();
  if (!last.ok()) return last.status();
  Date first = options.date;
  if (*last) {
    auto parsed = ParseDate(**last);
    if (!parsed.ok()) return Status::Corruption("daily_runs holds a malformed date '" + **last + "'");
    first = *parsed + std::chrono::days(1);
  }
  nlohmann::ordered_json report{{"date", FormatDate(options.date)},
                                {"dry_run", options.dry_run},
                                {"already_done", first > options.date},
                                {"days", nlohmann::ordered_json::array()}};
  for (Date day = first; day <= options.date; day += std::chrono::days(1)) {
    std::vector<Erasure> erasures;
    auto planned = PlanDay(catalog, rules, store, day, &erasures);
    if (!planned.ok()) return planned.status();
    nlohmann::ordered_json actions = nlohmann::ordered_json::array();
    std::vector<nlohmann::ordered_json> results;
    if (!options.dry_run && !planned->empty()) {
      auto executed = registry->ExecuteBatch(*planned);
      if (!executed.ok()) return executed.status();
      results = std::move(executed).value();
    }
    int accepted = 0, rejected = 0;
    for (size_t i = 0; i < planned->size(); ++i) {
      const Json& c = (*planned)[i];
      auto cpr = Cpr::Parse(c["cpr"].get<std::string>());
      nlohmann::ordered_json item{
          {"rule", c["actor"]}, {"cpr", cpr.ok() ? cpr->Masked() : std::string()}, {"command", c["command"]}};
      if (!options.dry_run) {
        item["status"] = results[i]["status"];
        if (results[i]["status"] == "accepted") {
          ++accepted;
        } else {
          ++rejected;
          item["violations"] = results[i]["violations"];
        }
      }
      actions.push_back(std::move(item));
    }
    // Erasure of the deleted records' personal data, after their delete commands committed.
    nlohmann::ordered_json erased = nlohmann::ordered_json::array();
    for (const Erasure& e : erasures) {
      auto cpr = Cpr::Parse(e.cpr);
      nlohmann::ordered_json item{{"rule", e.rule},
                                  {"cpr", cpr.ok() ? cpr->Masked() : std::string()},
                                  {"record_type", e.record_type},
                                  {"entity_id", e.entity_id}};
      if (!options.dry_run) {
        if (e.command_index >= 0 && results[static_cast<size_t>(e.command_index)]["status"] != "accepted") continue;
        auto count = store->EraseEntity(e.cpr, e.entity_id, ErasureTrace(catalog, rules, e.rule, day));
        if (!count.ok()) return count.status();
        item["versions"] = *count;
      }
      erased.push_back(std::move(item));
    }
    if (!options.dry_run) {
      // The day's marker, after its actions committed (their ids make a repeat after a crash a replay).
      nlohmann::ordered_json summary{{"actions", planned->size()}, {"accepted", accepted}, {"rejected", rejected}};
      auto began = store->Begin();
      if (!began.ok()) return began.status();
      Status s = store->RecordDailyRun(FormatDate(day), summary.dump());
      if (s.ok()) s = store->Commit();
      if (!s.ok()) {
        store->Rollback();
        return s;
      }
    }
    report["days"].push_back(nlohmann::ordered_json{{"date", FormatDate(day)},
                                                    {"status", options.dry_run ? "planned" : "done"},
                                                    {"actions", actions},
                                                    {"erased", erased}});
  }
  return report;
}

}  // namespace dfdg::automation
