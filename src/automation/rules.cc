#include "automation/rules.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "automation/rules_reader.h"

namespace dfdg::automation {
namespace {

const std::vector<std::string> kTriggerEvents = {"contact_group_set", "absence_registered", "akasse_changed",
                                                 "interview_registered"};
const std::vector<std::string> kTriggerActions = {"inactivate_absence", "end_absence", "annul_jobcentre_course",
                                                  "deregister_jobseeker", "reset_akasse_choice"};
const std::vector<std::string> kDailyActions = {
    "deregister_jobseeker",  "convert_contact_group_at_age",   "reregister_at_recovery",
    "delete_records",        "convert_contact_groups_on_date", "udb_subscription",
    "reregister_while_sick", "akasse_contact_course_start",    "end_markings_at_project_closing"};

// delete_records `keep_while` / `only_while`: a list of {jobseeker: true} or {record_type, field, codes}, each with
// its source; the record type's field must be a code field whose list holds the codes.
std::vector<PersonCondition> Conditions(RuleReader& r, const catalog::Catalog& catalog, const YAML::Node& entry,
                                        const char* key) {
  std::vector<PersonCondition> out;
  const YAML::Node list = entry[key];
  if (!list) return out;
  if (!list.IsSequence()) {
    r.Problem(list, std::string("'") + key + "' must be a list");
    return out;
  }
  for (const auto& item : list) {
    PersonCondition c;
    c.jobseeker = item["jobseeker"] && item["jobseeker"].as<bool>(false);
    c.record_type = r.Text(item, "record_type", !c.jobseeker);
    c.sources = r.Sources(item);
    if (c.sources.empty()) r.Problem(item, "a condition needs its 'source'");
    if (!c.record_type.empty()) {
      c.field = r.Text(item, "field");
      c.codes = r.Texts(item, "codes");
      const catalog::RecordType* type = catalog.FindRecordType(c.record_type);
      if (!type) {
        r.Problem(item, "unknown record type '" + c.record_type + "'");
      } else {
        if (c.codes.empty()) r.Problem(item, "missing 'codes'");
        for (const std::string& code : c.codes) r.CheckRecordCode(item, *type, c.field, code);
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

// convert_contact_group_at_age `also_set`: {record_type, field, code, source}; the record type must be declared with
// a change command that channel dfdg may use, the field a code field whose list holds the code.
AlsoSet ReadAlsoSet(RuleReader& r, const catalog::Catalog& catalog, const YAML::Node& node) {
  AlsoSet a{r.Text(node, "record_type"), r.Text(node, "field"), r.Text(node, "code"), r.Sources(node)};
  if (a.sources.empty()) r.Problem(node, "'also_set' needs its 'source'");
  if (a.record_type.empty()) return a;
  const catalog::RecordType* type = catalog.FindRecordType(a.record_type);
  if (!type) {
    r.Problem(node, "unknown record type '" + a.record_type + "'");
    return a;
  }
  if (a.code.empty()) return a;
  r.CheckRecordCode(node, *type, a.field, a.code);
  bool may = false;
  for (const catalog::ActorRule& actor : type->actors) {
    may = may || (actor.channel == catalog::Channel::kDfdg && actor.May(catalog::RecordAction::kChange));
  }
  if (type->commands[static_cast<int>(catalog::RecordAction::kChange)].empty() || !may)
    r.Problem(node, "record type '" + a.record_type + "' has no change that channel dfdg may make");
  return a;
}

}  // namespace

Result<std::shared_ptr<const Rules>> Rules::Load(const std::string& catalog_dir, const catalog::Catalog& catalog) {
  std::string path = catalog_dir + "/automation.yaml";
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return Status::NotFound("cannot read " + path);
  } catch (const YAML::Exception& e) {
    return Status::Corruption("catalog/automation.yaml: " + std::string(e.what()));
  }
  auto rules = std::make_shared<Rules>();
  RuleReader r(catalog);
  for (const auto& entry : doc["triggers"]) {
    Trigger t;
    t.cause = r.ReadCause(entry);
    t.event = r.Text(entry, "event");
    t.action = r.Text(entry, "action");
    t.contact_groups = r.Ints(entry, "contact_groups");
    if (!OneOf(kTriggerEvents, t.event)) r.Problem(entry, "unknown trigger event '" + t.event + "'");
    if (!OneOf(kTriggerActions, t.action)) r.Problem(entry, "unknown trigger action '" + t.action + "'");
    r.CheckGroups(entry, t.contact_groups);
    if (t.action == "reset_akasse_choice") {
      // § 24 stk. 1: no absence reason; the held interview's types come from the catalogue's lists.
      t.interview_types = r.Texts(entry, "interview_types");
      for (const std::string& type : t.interview_types) {
        if (!KnownMeetingKind(catalog, type)) r.Problem(entry, "unknown interview type '" + type + "'");
      }
      if ((t.event == "interview_registered") == t.interview_types.empty())
        r.Problem(entry, "'interview_types' belong to event interview_registered, which needs them");
      t.reset_next_day = entry["reset_next_day"] && entry["reset_next_day"].as<bool>(false);
    } else {
      if (t.event == "interview_registered") r.Problem(entry, "interview_registered is built for reset_akasse_choice");
      t.reason = r.Int(entry, "reason");
      r.CheckReason(entry, t.reason);
    }
    if (t.action == "deregister_jobseeker") {
      t.deregistration_reason = r.Text(entry, "deregistration_reason");
      for (const auto& row : entry["rows"]) {
        DeregisterRow d;
        d.contact_groups = r.Ints(row, "contact_groups");
        d.visitation = r.Text(row, "visitation", false);
        d.wage_subsidy_exception = row["wage_subsidy_exception"] && row["wage_subsidy_exception"].as<bool>(false);
        d.sources = r.Sources(row);
        r.CheckGroups(row, d.contact_groups);
        if (d.contact_groups.empty()) r.Problem(row, "a row needs 'contact_groups'");
        if (!d.visitation.empty() && !catalog.FindVisitation(d.visitation))
          r.Problem(row, "unknown visitation category '" + d.visitation + "'");
        t.rows.push_back(std::move(d));
      }
      if (t.event == "absence_registered" && t.rows.empty()) r.Problem(entry, "missing 'rows'");
      if (const YAML::Node ws = entry["wage_subsidy"]) {
        WageSubsidy w{r.Text(ws, "record_type"), r.Text(ws, "field"), r.Texts(ws, "codes")};
        const catalog::RecordType* type = catalog.FindRecordType(w.record_type);
        if (!type) r.Problem(ws, "unknown record type '" + w.record_type + "'");
        if (type && type->FieldIndex(w.field) < 0) r.Problem(ws, "unknown field '" + w.field + "'");
        if (w.codes.empty()) r.Problem(ws, "missing 'codes'");
        t.wage_subsidy = std::move(w);
      }
    }
    rules->triggers.push_back(std::move(t));
  }
  for (const auto& entry : doc["daily"]) {
    DailyRule d;
    d.cause = r.ReadCause(entry);
    d.action = r.Text(entry, "action");
    if (!OneOf(kDailyActions, d.action)) r.Problem(entry, "unknown daily action '" + d.action + "'");
    if (d.action == "deregister_jobseeker") {
      d.contact_groups = r.Ints(entry, "contact_groups");
      d.reasons = r.Ints(entry, "reasons");
      d.deregistration_reason = r.Text(entry, "deregistration_reason");
      r.CheckGroups(entry, d.contact_groups);
      for (int reason : d.reasons) r.CheckReason(entry, reason);
    } else if (d.action == "delete_records") {
      d.record_types = r.Texts(entry, "record_types");
      if (d.record_types.empty()) r.Problem(entry, "missing 'record_types'");
      for (const std::string& type : d.record_types) {
        const catalog::RecordType* declared = catalog.FindRecordType(type);
        if (!declared) r.Problem(entry, "unknown record type '" + type + "'");
      }
      auto retention = ParseDuration(r.Text(entry, "retention"));
      if (retention.ok() && !retention->unlimited) {
        d.retention = *retention;
      } else {
        r.Problem(entry, "'retention' must be a duration such as 6m");
      }
      d.deletion_comment = r.Text(entry, "comment");
      d.from_fields = r.Texts(entry, "from");
      d.unset_fields = r.Texts(entry, "unset");
      for (const std::string& type : d.record_types) {
        const catalog::RecordType* declared = catalog.FindRecordType(type);
        if (!declared) continue;
        for (const std::string& field : d.from_fields) {
          int index = declared->FieldIndex(field);
          if (index < 0 || declared->fields[static_cast<size_t>(index)].type != catalog::FieldType::kDate)
            r.Problem(entry, "'from' names '" + field + "', not a date field of '" + type + "'");
        }
        for (const std::string& field : d.unset_fields) {
          if (declared->FieldIndex(field) < 0) r.Problem(entry, "unknown field '" + field + "' of '" + type + "'");
        }
        if (d.from_fields.empty() && (!declared->period || declared->period->end_field.empty()))
          r.Problem(entry, "record type '" + type + "' has no end date: 'from' is needed");
      }
      d.keep_while = Conditions(r, catalog, entry, "keep_while");
      d.only_while = Conditions(r, catalog, entry, "only_while");
    } else if (d.action == "reregister_at_recovery" || d.action == "reregister_while_sick") {
      d.reasons = r.Ints(entry, "reasons");
      d.still_sick_reasons = r.Ints(entry, "still_sick_reasons");
      if (d.reasons.empty()) r.Problem(entry, "missing 'reasons'");
      if (d.action == "reregister_while_sick" && d.still_sick_reasons.empty())
        r.Problem(entry, "missing 'still_sick_reasons'");
      for (int reason : d.reasons) r.CheckReason(entry, reason);
      for (int reason : d.still_sick_reasons) r.CheckReason(entry, reason);
    } else if (d.action == "convert_contact_group_at_age") {
      d.from_group = r.Int(entry, "from_group");
      d.to_group = r.Int(entry, "to_group");
      d.age = r.Int(entry, "age");
      r.CheckGroups(entry, {d.from_group, d.to_group});
      if (d.age <= 0) r.Problem(entry, "'age' must be positive");
      if (const YAML::Node also = entry["also_set"]) d.also_set = ReadAlsoSet(r, catalog, also);
    } else if (d.action == "convert_contact_groups_on_date") {
      d.on = r.DateValue(entry, "on", true);
      for (const auto& row : entry["conversions"]) {
        GroupConversion c{r.Int(row, "from_group"), r.Int(row, "to_group"), r.Sources(row)};
        r.CheckGroups(row, {c.from_group, c.to_group});
        d.conversions.push_back(std::move(c));
      }
      if (d.conversions.empty()) r.Problem(entry, "missing 'conversions'");
    } else if (d.action == "udb_subscription") {
      d.subscription = r.Subscription(entry);
    } else if (d.action == "akasse_contact_course_start") {
      d.contact_course = r.ContactCourse(entry);
    }
    d.last_day = r.DateValue(entry, "last_day", false);
    rules->daily.push_back(std::move(d));
  }
  for (const auto& entry : doc["notifications"]) rules->notifications.push_back(ReadNotification(r, entry, catalog));
  if (!r.problems().empty()) {
    std::string text;
    for (const std::string& p : r.problems()) text += (text.empty() ? "" : "\n") + p;
    return Status::Corruption(text);
  }
  return std::shared_ptr<const Rules>(std::move(rules));
}

std::string CauseText(const catalog::Catalog& catalog, const Cause& cause) {
  std::string text = cause.rule;
  if (!cause.sources.empty()) text.append(" ").append(catalog.Cite(cause.sources.front()));
  return text;
}

std::string CauseJson(const catalog::Catalog& catalog, const Cause& cause) {
  if (!cause.json.empty()) return cause.json;
  nlohmann::ordered_json sources = nlohmann::ordered_json::array();
  for (const auto& s : cause.sources) sources.push_back(catalog.Cite(s));
  nlohmann::ordered_json out{{"rule", cause.rule}, {"legal_ref", cause.legal_ref}, {"source", sources}};
  return out.dump();
}

}  // namespace dfdg::automation
