#include "automation/daily.h"

#include <algorithm>

#include "core/cpr.h"

namespace dfdg::automation {
namespace {

using Json = nlohmann::json;
using registry::Fact;
using registry::FactKind;

constexpr int64_t kScanPage = 1000;

bool Contains(const std::vector<int>& list, int value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

Json BaseCommand(const char* name, const DailyRule& rule, const std::string& cpr, Date day) {
  return Json{{"command", name},   {"id", "daily:" + FormatDate(day) + ":" + rule.cause.rule + ":" + cpr},
              {"cpr", cpr},        {"registered_at", FormatDate(day)},
              {"channel", "dfdg"}, {"actor", rule.cause.rule}};
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

}  // namespace

Result<std::vector<Json>> PlanDay(const catalog::Catalog& catalog, const Rules& rules, store::Store* store, Date day) {
  (void)catalog;
  std::vector<Json> out;
  std::string after;
  while (true) {
    auto page = store->ListPersons(after, kScanPage);
    if (!page.ok()) return page.status();
    for (const std::string& cpr : *page) {
      auto history = store->LoadPerson(cpr);
      if (!history.ok()) return history.status();
      registry::PersonView view(*history, std::nullopt);
      for (const DailyRule& rule : rules.daily) {
        std::optional<Json> command;
        if (rule.action == "deregister_jobseeker") command = DeregisterOnStartDate(rule, view, day);
        if (rule.action == "convert_contact_group_at_age") command = ConvertAtAge(rule, view, day);
        if (command) out.push_back(std::move(*command));
      }
    }
    if (static_cast<int64_t>(page->size()) < kScanPage) break;
    after = page->back();
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
    auto planned = PlanDay(catalog, rules, store, day);
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
    report["days"].push_back(nlohmann::ordered_json{
        {"date", FormatDate(day)}, {"status", options.dry_run ? "planned" : "done"}, {"actions", actions}});
  }
  return report;
}

}  // namespace dfdg::automation
