#include "registry/municipality_rules.h"

#include <string>

#include "registry/command.h"
#include "registry/record.h"

namespace dfdg::registry {
namespace {

using Json = nlohmann::json;
using catalog::RecordAction;

std::string Text(const Json& fields, const char* key) {
  auto it = fields.find(key);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Has(const Json& fields, const char* key) {
  auto it = fields.find(key);
  if (it == fields.end() || it->is_null()) return false;
  return !(it->is_array() && it->empty());
}

std::optional<Date> DateField(const Json& fields, const char* key) {
  auto parsed = ParseDate(Text(fields, key));
  return parsed.ok() ? std::optional<Date>(*parsed) : std::nullopt;
}

// The value of `key` given in the request itself (not carried over from the current version).
std::optional<Date> GivenDate(const RecordRuleContext& c, const char* key) {
  const RecordRequest& r = *c.command.record;
  int index = r.type->FieldIndex(key);
  if (index < 0) return std::nullopt;
  const FieldValue& v = r.values[static_cast<size_t>(index)];
  if (v.state != FieldValue::State::kSet || !v.value.is_string()) return std::nullopt;
  auto parsed = ParseDate(v.value.get<std::string>());
  return parsed.ok() ? std::optional<Date>(*parsed) : std::nullopt;
}

void Add(const RecordRuleContext& c, std::vector<Violation>* out, int code, Fields fields) {
  AddViolation(out, c.catalog, c.command.registered, code, std::move(fields), &c.rule.defined_at, &c.rule.sources);
}

void Require(const RecordRuleContext& c, std::vector<Violation>* out, const char* field, const std::string& when) {
  if (!Has(c.fields, field)) Add(c, out, 5205, {{"field", field}, {"detail", when}});
}

void OnlyWith(const RecordRuleContext& c, std::vector<Violation>* out, const char* field, const std::string& when) {
  if (Has(c.fields, field)) Add(c, out, 5203, {{"field", field}, {"detail", when}});
}

// True when code list `list` of the rule's type holds, on `date`, one of `keys`.
bool ListHolds(const catalog::RecordType& type, const char* list, std::initializer_list<std::string> keys, Date date) {
  for (const catalog::RecordCodeList& l : type.codelists) {
    if (l.key != list) continue;
    for (const catalog::RecordCode& code : l.codes) {
      if (!code.validity.Contains(date)) continue;
      for (const std::string& key : keys) {
        if (code.key == key) return true;
      }
    }
  }
  return false;
}

// True when some code of list `list` of `type`, whatever its validity, has the form "<group>/...": the list
// governs that contact group.
bool ListNamesGroup(const catalog::RecordType& type, const char* list, const std::string& group) {
  if (group.empty()) return false;
  const std::string prefix = group + "/";
  for (const catalog::RecordCodeList& l : type.codelists) {
    if (l.key != list) continue;
    for (const catalog::RecordCode& code : l.codes) {
      if (code.key.compare(0, prefix.size(), prefix) == 0) return true;
    }
  }
  return false;
}

struct GroupOn {
  std::string group;       // "" when in no contact group
  std::string visitation;  // "" when none
};

GroupOn PersonGroup(const PersonView& person, Date date) {
  GroupOn g;
  if (const Fact* f = person.On(FactKind::kContactGroup, date)) g.group = std::to_string(f->code);
  if (const Fact* f = person.On(FactKind::kVisitation, date)) g.visitation = f->text;
  return g;
}

bool IsDelete(const RecordRuleContext& c) { return c.command.record->action == RecordAction::kDelete; }

// Seed 002 §3.1 (the youth's job-plan trial, carried on by § 42): a job plan for a person whose contact group on
// the plan date is governed by code list `min_plan_job_plan_youth` needs "<group>/<visitation>" in that list on
// the plan date (the list's validity holds the trial's first day; the åbenlyst uddannelsesparate are not in it).
void CheckYouthJobPlan(const RecordRuleContext& c, const catalog::RecordType& type, const std::string& plan_type,
                       std::vector<Violation>* out) {
  static const char* const kList = "min_plan_job_plan_youth";
  if (plan_type != "jobplan") return;
  // Only a plan that becomes a job plan (created as one, or changed to one from another type): a revision of a job
  // plan, DFDG's inactivation at 30 among them, is not judged again (002:396-398: the trial's participants finish).
  if (c.current && Text(RecordFields(*c.current), "plan_type") == "jobplan") return;
  auto plan_date = DateField(c.fields, "plan_date");
  if (!plan_date) return;
  const GroupOn g = PersonGroup(c.person, *plan_date);
  if (!ListNamesGroup(type, kList, g.group)) return;
  if (ListHolds(type, kList, {g.group + "/" + g.visitation}, *plan_date)) return;
  Add(c, out, 5212,
      {{"group", g.group},
       {"visitation", g.visitation.empty() ? std::string("ingen") : g.visitation},
       {"start", FormatDate(*plan_date)}});
}

void CheckMinPlan(const RecordRuleContext& c, std::vector<Violation>* out) {
  if (IsDelete(c)) return;
  const catalog::RecordType& type = *c.command.record->type;
  const Date on = c.command.registered;
  const GroupOn g = PersonGroup(c.person, on);
  const std::string plan_type = Text(c.fields, "plan_type");
  const bool no_description =
      !g.group.empty() && ListHolds(type, "min_plan_no_description", {g.group, g.group + "/" + g.visitation}, on);
  const bool holistic = c.fields.value("holistic_plan", false);
  const bool optional = holistic || ListHolds(type, "min_plan_description_optional", {g.group + "/" + plan_type}, on);
  if (no_description && Has(c.fields, "plan_description")) {
    Add(c, out, 5201, {{"detail", g.visitation.empty() ? g.group : g.group + " (" + g.visitation + ")"}});
  } else if (!no_description && !optional) {
    if (!Has(c.fields, "plan_description")) Add(c, out, 5202, {{"field", "plan_description"}});
  }
  CheckYouthJobPlan(c, type, plan_type, out);
  // § 38 stk. 7 / seed 002 §1.2: the contract's end date belongs to a contract kept in the plan.
  if (!Has(c.fields, "integration_contract")) OnlyWith(c, out, "integration_contract_end", "integration_contract");
  if (plan_type != "uddannelsesplan") {
    for (const char* field : {"education_goal", "deadline", "order_step", "step_details", "support_needs",
                              "jobcenter_contact", "jobcenter_wants_contact"}) {
      OnlyWith(c, out, field, "plantype uddannelsesplan");
    }
    Require(c, out, "job_goal", "plantype " + plan_type);
    return;
  }
  Require(c, out, "order_step", "plantype uddannelsesplan");
  auto plan_date = DateField(c.fields, "plan_date");
  if (plan_date && c.command.cpr) {
    const Date turns_30 = AddDuration(c.command.cpr->birth_date(), Duration{30, Duration::Unit::kYears, false});
    if (*plan_date >= turns_30) Add(c, out, 5204, {{"start", FormatDate(*plan_date)}, {"limit", FormatDate(turns_30)}});
  }
}

void CheckEmploymentMeasure(const RecordRuleContext& c, std::vector<Violation>* out) {
  if (IsDelete(c)) return;
  const RecordRequest& r = *c.command.record;
  // § 43 stk. 1 nr. 8-9.
  if (Has(c.fields, "status")) {
    Require(c, out, "status_reason", "status " + Text(c.fields, "status"));
    Require(c, out, "status_comment", "status " + Text(c.fields, "status"));
  } else {
    OnlyWith(c, out, "status_reason", "status");
    OnlyWith(c, out, "status_comment", "status");
  }
  // § 45 stk. 5: a change is registered the same day or at the latest the day after the job centre learnt of it.
  if (auto known = GivenDate(c, "known_on")) {
    if (*known > c.command.registered) {
      Add(c, out, 5209, {{"date", FormatDate(*known)}});
    } else if (r.action != RecordAction::kCreate &&
               c.command.registered > AddDuration(*known, Duration{1, Duration::Unit::kDays, false})) {
      Add(c, out, 5206,
          {{"date", FormatDate(*known)},
           {"limit", FormatDate(AddDuration(*known, Duration{1, Duration::Unit::kDays, false}))}});
    }
  }
  const std::string order = Text(c.fields, "job_order_type");
  auto event = DateField(c.fields, "event_date");
  auto start = DateField(c.fields, "start");
  if (r.type->FieldIndex("job_order_type") >= 0) {
    static const char* kWithRate[] = {"loentilskud", "voksenlaerling", "jobrotation", "14", "38", "39", "40"};
    bool rate_allowed = false;
    for (const char* key : kWithRate) rate_allowed = rate_allowed || order == key;
    if (!rate_allowed)
      OnlyWith(c, out, "hourly_subsidy_rate", "jobordretype løntilskud, voksenlærling eller jobrotation");
    if (event && start && order == "voksenlaerling" && *event != *start) {  // § 45 stk. 4
      Add(c, out, 5207, {{"date", FormatDate(*event)}, {"start", FormatDate(*start)}});
    }
    if (event && start && (order == "fleksjob" || order == "jobrotation") && *event > *start) {  // § 45 stk. 3
      Add(c, out, 5210, {{"date", FormatDate(*event)}, {"start", FormatDate(*start)}});
    }
  }
  if (r.type->FieldIndex("ownership") >= 0) {  // § 43 stk. 6
    const std::string ownership = Text(c.fields, "ownership");
    if (ownership == "eje") Require(c, out, "price", "hjælpemiddel til eje");
    if (ownership == "laan") Require(c, out, "end", "hjælpemiddel til lån");
    if (ownership == "laan" && c.fields.value("first_loan", false)) Require(c, out, "price", "første udlån");
  }
}

void CheckJobSearchContent(const RecordRuleContext& c, std::vector<Violation>* out) {
  if (IsDelete(c)) return;
  if (!Has(c.fields, "job_titles") && !Has(c.fields, "geographic_area") && !Has(c.fields, "other_requirements")) {
    Add(c, out, 5208, {});
  }
}

void CheckAvailability(const RecordRuleContext& c, std::vector<Violation>* out) {
  if (IsDelete(c)) return;
  if (Text(c.fields, "result") != "96") {
    OnlyWith(c, out, "quarantine_start", "rådighedsvurderingskode 96");
    OnlyWith(c, out, "quarantine_expiry", "rådighedsvurderingskode 96");
    return;
  }
  Require(c, out, "quarantine_start", "rådighedsvurderingskode 96");
  Require(c, out, "quarantine_expiry", "rådighedsvurderingskode 96");
  auto from = DateField(c.fields, "quarantine_start");
  auto expiry = DateField(c.fields, "quarantine_expiry");
  if (from && expiry) {
    const Date expected = AddDuration(*from, Duration{3, Duration::Unit::kMonths, false});
    if (*expiry != expected) {
      Add(c, out, 5211, {{"date", FormatDate(*expiry)}, {"start", FormatDate(*from)}, {"limit", FormatDate(expected)}});
    }
  }
}

void CheckSanction(const RecordRuleContext& c, std::vector<Violation>* out) {
  if (IsDelete(c)) return;
  const std::string decision = Text(c.fields, "decision");
  if (decision == "ingen_sanktion") {
    OnlyWith(c, out, "sanction_from", "en sanktion");
    OnlyWith(c, out, "sanction_to", "en sanktion");
  } else {
    Require(c, out, "sanction_from", "afgørelse " + decision);
  }
  auto from = DateField(c.fields, "sanction_from");
  auto to = DateField(c.fields, "sanction_to");
  if (from && to && *to < *from) Add(c, out, 5005, {{"start", FormatDate(*from)}, {"end", FormatDate(*to)}});
}

// § 47 stk. 4: Jobnet shows the youth database's events to the persons of the type's code list
// `udb_events_shown_to` on `date`: "<contact group>", or "<contact group>/uddannelsesplan" with a current plan of
// that type (an education order).
bool ShowsUdbEvent(const catalog::Catalog& catalog, const PersonView& person, const Fact& fact, Date date) {
  const catalog::RecordType* type = catalog.FindRecordType(fact.text);
  if (!type) return false;
  const GroupOn g = PersonGroup(person, date);
  if (g.group.empty()) return false;
  if (ListHolds(*type, "udb_events_shown_to", {g.group}, date)) return true;
  for (const Fact* plan : person.Of(FactKind::kRecord)) {
    if (plan->deleted || plan->text != "min_plan" || !plan->CoversDay(date)) continue;
    const std::string plan_type = Text(RecordFields(*plan), "plan_type");
    if (ListHolds(*type, "udb_events_shown_to", {g.group + "/" + plan_type}, date)) return true;
  }
  return false;
}

}  // namespace

const RecordRuleModule kMinPlanModule{"min_plan", "§ 40, stk. 2; § 41; § 42; § 43, stk. 11", CheckMinPlan, nullptr};
const RecordRuleModule kEmploymentMeasureModule{"employment_measure", "§ 43, stk. 1, 2 og 6; § 45, stk. 3-5",
                                                CheckEmploymentMeasure, nullptr};
const RecordRuleModule kJobSearchRequirementContentModule{"job_search_requirement_content", "§ 44, nr. 4",
                                                          CheckJobSearchContent, nullptr};
const RecordRuleModule kRequiredWhileInScopeModule{"required_while_in_scope", "§ 39, stk. 2", nullptr, nullptr, true};
const RecordRuleModule kAvailabilityAssessmentModule{"availability_assessment", "Releasenote 5.1", CheckAvailability,
                                                     nullptr};
const RecordRuleModule kSanctionDecisionModule{"sanction_decision", "§ 50, nr. 7", CheckSanction, nullptr};
const RecordRuleModule kUdbEventsOnJobnetModule{"udb_events_on_jobnet", "§ 47, stk. 4", nullptr, ShowsUdbEvent};

}  // namespace dfdg::registry
