#include "automation/rules.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "automation/fact_rules.h"

namespace dfdg::automation {
namespace {

const std::vector<std::string> kTriggerEvents = {"contact_group_set", "absence_registered", "akasse_changed",
                                                 "interview_registered"};
const std::vector<std::string> kTriggerActions = {"inactivate_absence", "end_absence", "annul_jobcentre_course",
                                                  "deregister_jobseeker", "reset_akasse_choice"};
const std::vector<std::string> kDailyActions = {"deregister_jobseeker",           "convert_contact_group_at_age",
                                                "reregister_at_recovery",         "delete_records",
                                                "convert_contact_groups_on_date", "udb_subscription",
                                                "reregister_while_sick",          "akasse_contact_course_start"};
const std::vector<std::string> kNotificationEvents = {
    "contact_group_changed", "absence_changed",         "municipality_changed",
    "record_field_cleared",  "record_opened_or_closed", "record_forwarded",
    "meeting_cancelled",     "builtin_registered",      "counter_by_other_akasse",
    "fact_forwarded"};
// `declared`: the record type's forwarding declarations name the recipients (record_forwarded only);
// `myndighed`: an authority named by `recipient_id`.
const std::vector<std::string> kRecipients = {"akasse", "jobcenter", "citizen", "udb", "myndighed", "declared"};

bool OneOf(const std::vector<std::string>& allowed, const std::string& value) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// Collects problems as "catalog/automation.yaml:LINE: text".
class Reader {
 public:
  explicit Reader(const catalog::Catalog& catalog) : catalog_(catalog) {}

  void Problem(const YAML::Node& node, const std::string& text) { AddProblem(&problems_, node, text); }
  const std::vector<std::string>& problems() const { return problems_; }
  std::vector<std::string>* mutable_problems() { return &problems_; }

  std::string Text(const YAML::Node& entry, const char* key, bool required = true) {
    const YAML::Node node = entry[key];
    if (!node || node.IsNull()) {
      if (required) Problem(entry, std::string("missing '") + key + "'");
      return "";
    }
    if (!node.IsScalar()) {
      Problem(node, std::string("'") + key + "' must be text");
      return "";
    }
    return node.Scalar();
  }

  int Int(const YAML::Node& entry, const char* key, bool required = true) {
    std::string text = Text(entry, key, required);
    if (text.empty()) return 0;
    try {
      return std::stoi(text);
    } catch (...) {
      Problem(entry[key], std::string("'") + key + "' must be a number");
      return 0;
    }
  }

  std::vector<int> Ints(const YAML::Node& entry, const char* key) {
    std::vector<int> out;
    const YAML::Node node = entry[key];
    if (!node) return out;
    if (!node.IsSequence()) {
      Problem(node, std::string("'") + key + "' must be a list");
      return out;
    }
    for (const auto& item : node) {
      try {
        out.push_back(std::stoi(item.Scalar()));
      } catch (...) {
        Problem(item, std::string("'") + key + "' must hold numbers");
      }
    }
    return out;
  }

  void CheckGroups(const YAML::Node& entry, const std::vector<int>& groups) {
    for (int g : groups) {
      if (!catalog_.FindContactGroup(g)) Problem(entry, "unknown contact group " + std::to_string(g));
    }
  }
  void CheckReason(const YAML::Node& entry, int reason) {
    if (!catalog_.FindAbsence(reason)) Problem(entry, "unknown reason " + std::to_string(reason));
  }

  // The entry's `source` ("seed:line" or a list of them), each checked against the known seeds.
  std::vector<catalog::SourceRef> Sources(const YAML::Node& entry) {
    std::vector<catalog::SourceRef> out;
    const YAML::Node source = entry["source"];
    std::vector<std::string> refs;
    if (source && source.IsScalar()) refs.push_back(source.Scalar());
    if (source && source.IsSequence()) {
      for (const auto& s : source) refs.push_back(s.Scalar());
    }
    if (refs.empty()) Problem(entry, "missing 'source' (seed:line)");
    for (const std::string& ref : refs) {
      size_t colon = ref.find(':');
      catalog::SourceRef parsed;
      if (colon != std::string::npos) {
        parsed.seed = ref.substr(0, colon);
        try {
          parsed.line = std::stoi(ref.substr(colon + 1));
        } catch (...) {
          parsed.line = 0;
        }
      }
      const catalog::Source* seed = parsed.seed.empty() ? nullptr : catalog_.FindSource(parsed.seed);
      if (!seed || parsed.line < 1 || (seed->lines && parsed.line > seed->lines)) {
        Problem(source, "source '" + ref + "' is not a line of a known seed");
        continue;
      }
      out.push_back(parsed);
    }
    return out;
  }

  std::vector<std::string> Texts(const YAML::Node& entry, const char* key) {
    return ReadTexts(&problems_, entry, key);
  }

  std::optional<Date> DateValue(const YAML::Node& entry, const char* key, bool required) {
    std::string text = Text(entry, key, required);
    if (text.empty()) return std::nullopt;
    auto parsed = ParseDate(text);
    if (!parsed.ok()) {
      Problem(entry[key], std::string("'") + key + "' must be YYYY-MM-DD");
      return std::nullopt;
    }
    return *parsed;
  }

  // The code `key` of the code list of `field` of record type `type` (checked when `key` is not empty).
  void CheckRecordCode(const YAML::Node& entry, const catalog::RecordType& type, const std::string& field,
                       const std::string& key) {
    int index = type.FieldIndex(field);
    if (index < 0) {
      Problem(entry, "unknown field '" + field + "' of " + type.key);
      return;
    }
    if (key.empty()) return;
    auto keys = catalog_.RecordCodeKeys(type, type.fields[static_cast<size_t>(index)].code_list, std::nullopt);
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      Problem(entry, "unknown code '" + key + "' of " + type.key + "." + field);
  }

  SubscriptionRule Subscription(const YAML::Node& entry) {
    SubscriptionRule s;
    s.record_type = Text(entry, "record_type");
    s.contact_groups = Ints(entry, "contact_groups");
    s.age = Int(entry, "age");
    CheckGroups(entry, s.contact_groups);
    if (s.age <= 0) Problem(entry, "'age' must be positive");
    if (const YAML::Node young = entry["age_in_groups"]) {
      s.young_groups = Ints(young, "contact_groups");
      s.young_age = Int(young, "age");
      CheckGroups(young, s.young_groups);
    }
    const YAML::Node plan = entry["plan"];
    const YAML::Node reasons = entry["closure_reasons"];
    if (!plan || !reasons) {
      Problem(entry, "missing 'plan' or 'closure_reasons'");
      return s;
    }
    s.plan_record_type = Text(plan, "record_type");
    s.plan_field = Text(plan, "field");
    s.plan_code = Text(plan, "code");
    s.step_field = Text(plan, "step_field");
    s.before_step = Text(plan, "before_step");
    if (const YAML::Node keep = entry["keep_on_plan_types"]) {
      s.keep_codes = Texts(keep, "codes");
      s.keep_groups = Ints(keep, "contact_groups");
      CheckGroups(keep, s.keep_groups);
    }
    s.closed_group_months = Int(entry, "closed_group_months");
    if (const YAML::Node first = entry["first_contact"]) {
      s.first_contact_types = Texts(first, "interview_types");
      s.first_contact_flag = Text(first, "flag");
      for (const std::string& t : s.first_contact_types) {
        if (!catalog_.FindCourseCode("meeting_types", t, Date{})) Problem(first, "unknown meeting type '" + t + "'");
      }
    }
    s.reason_age = Text(reasons, "age");
    s.reason_contact_group = Text(reasons, "contact_group");
    s.reason_plan_type = Text(reasons, "plan_type");
    s.reason_contact_group_closed = Text(reasons, "contact_group_closed");
    if (const YAML::Node done = entry["completed"]) {
      s.completed_record_type = Text(done, "record_type");
      s.completed_field = Text(done, "field");
      s.completed_code = Text(done, "code");
      s.completed_flag = Text(done, "flag");
      s.reason_completed = Text(reasons, "completed");
      const catalog::RecordType* event = catalog_.FindRecordType(s.completed_record_type);
      if (!event) {
        Problem(done, "unknown record type '" + s.completed_record_type + "'");
      } else {
        CheckRecordCode(done, *event, s.completed_field, s.completed_code);
        CheckRecordCode(done, *event, s.completed_flag, "");
      }
    }
    const catalog::RecordType* type = catalog_.FindRecordType(s.record_type);
    if (!type) {
      Problem(entry, "unknown record type '" + s.record_type + "'");
    } else {
      for (const std::string& r :
           {s.reason_age, s.reason_contact_group, s.reason_plan_type, s.reason_contact_group_closed})
        CheckRecordCode(reasons, *type, "closure_reason", r);
      if (!s.completed_record_type.empty()) CheckRecordCode(reasons, *type, "closure_reason", s.reason_completed);
      CheckRecordCode(entry, *type, "start", "");
      CheckRecordCode(entry, *type, "end", "");
    }
    const catalog::RecordType* plan_type = catalog_.FindRecordType(s.plan_record_type);
    if (!plan_type) {
      Problem(plan, "unknown record type '" + s.plan_record_type + "'");
    } else {
      CheckRecordCode(plan, *plan_type, s.plan_field, s.plan_code);
      for (const std::string& code : s.keep_codes) CheckRecordCode(entry, *plan_type, s.plan_field, code);
      CheckRecordCode(plan, *plan_type, s.step_field, s.before_step);
    }
    return s;
  }

  ContactCourseRule ContactCourse(const YAML::Node& entry) {
    ContactCourseRule k;
    k.record_type = Text(entry, "record_type");
    k.contact_groups = Ints(entry, "contact_groups");
    CheckGroups(entry, k.contact_groups);
    auto within = ParseDuration(Text(entry, "within"));
    if (within.ok() && !within->unlimited) k.within = *within;
    if (!within.ok() || within->unlimited) Problem(entry, "'within' must be a duration such as 3m");
    k.counter_types = Texts(entry, "counter_types");
    for (const std::string& type : k.counter_types)
      if (!catalog_.FindRecordType(type)) Problem(entry, "unknown record type '" + type + "'");
    const catalog::RecordType* membership = catalog_.FindRecordType("akasse_membership");
    for (const auto& row : entry["hours"]) {
      k.hours.emplace_back(Text(row, "insurance_category"), Int(row, "hours"));
      Sources(row);
      if (membership) CheckRecordCode(row, *membership, "insurance_category", k.hours.back().first);
    }
    if (k.hours.empty() || k.counter_types.empty()) Problem(entry, "missing 'hours' or 'counter_types'");
    const catalog::RecordType* type = catalog_.FindRecordType(k.record_type);
    if (!type) Problem(entry, "unknown record type '" + k.record_type + "'");
    if (type) CheckRecordCode(entry, *type, "start_basis", "");
    return k;
  }

  Cause ReadCause(const YAML::Node& entry) {
    Cause cause;
    cause.rule = Text(entry, "key");
    cause.legal_ref = Text(entry, "legal_ref");
    if (!cause.rule.empty()) {
      if (std::find(keys_.begin(), keys_.end(), cause.rule) != keys_.end())
        Problem(entry, "duplicate key " + cause.rule);
      keys_.push_back(cause.rule);
    }
    cause.sources = Sources(entry);
    return cause;
  }

 private:
  const catalog::Catalog& catalog_;
  std::vector<std::string> problems_;
  std::vector<std::string> keys_;
};

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
  Reader r(catalog);
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
  for (const auto& entry : doc["notifications"]) {
    Notification n;
    n.cause = r.ReadCause(entry);
    n.type = r.Text(entry, "type");
    n.event = r.Text(entry, "event");
    n.recipient = r.Text(entry, "recipient");
    n.contact_groups = r.Ints(entry, "contact_groups");
    if (!OneOf(kNotificationEvents, n.event)) r.Problem(entry, "unknown notification event '" + n.event + "'");
    if (!OneOf(kRecipients, n.recipient)) r.Problem(entry, "unknown recipient '" + n.recipient + "'");
    r.CheckGroups(entry, n.contact_groups);
    if (const YAML::Node types = entry["record_types"]) {
      if (!types.IsSequence()) r.Problem(types, "'record_types' must be a list");
      for (const auto& item : types) {
        n.record_types.push_back(item.Scalar());
        if (!catalog.FindRecordType(item.Scalar())) r.Problem(item, "unknown record type '" + item.Scalar() + "'");
      }
    }
    if (const YAML::Node codes = entry["move_codes"]) {
      n.field = r.Text(entry, "field");
      for (const auto& row : codes) {
        MoveCode c{r.Int(row, "contact_group"), r.Int(row, "moving_in"), r.Int(row, "moving_out"),
                   r.Text(row, "name_in"), r.Text(row, "name_out")};
        r.CheckGroups(row, {c.contact_group});
        r.Sources(row);
        n.move_codes.push_back(std::move(c));
      }
      if (n.record_types.size() != 1) r.Problem(entry, "move codes need exactly one contract record type");
      const catalog::RecordType* type = n.record_types.empty() ? nullptr : catalog.FindRecordType(n.record_types[0]);
      if (type && type->FieldIndex(n.field) < 0) r.Problem(entry, "unknown field '" + n.field + "'");
    }
    if (n.event == "record_opened_or_closed") {
      n.recipient_id = r.Text(entry, "recipient_id");
      if (n.record_types.empty()) r.Problem(entry, "missing 'record_types'");
    }
    if ((n.recipient == "declared") != (n.event == "record_forwarded")) {
      r.Problem(entry, "recipient 'declared' is the recipient of event record_forwarded, and only of it");
    }
    if (const YAML::Node list = entry["agreements"]) {
      if (n.event != "municipality_changed" || entry["move_codes"]) {
        r.Problem(list, "'agreements' belong to the move message (municipality_changed without move_codes)");
      }
      for (const auto& row : list) {
        AgreementSource a;
        a.kind = r.Text(row, "kind");
        if (a.kind != "interview" && a.kind != "followup")
          r.Problem(row, "agreement kind must be interview or followup");
        for (const std::string& name : r.Texts(row, "channels")) {
          if (auto channel = catalog::ParseChannel(name)) {
            a.channels.push_back(*channel);
          } else {
            r.Problem(row, "unknown channel '" + name + "'");
          }
        }
        if (a.channels.empty()) r.Problem(row, "missing 'channels'");
        a.legal_ref = r.Text(row, "legal_ref");
        a.sources = r.Sources(row);
        n.agreements.push_back(std::move(a));
      }
    }
    if (n.event == "record_forwarded") {
      if (n.record_types.empty()) r.Problem(entry, "missing 'record_types'");
      for (const std::string& type_key : n.record_types) {
        const catalog::RecordType* type = catalog.FindRecordType(type_key);
        if (type && type->forward.empty()) r.Problem(entry, type_key + " declares no forwarding (forward:)");
      }
    }
    if (n.recipient == "myndighed") {
      n.recipient_id = r.Text(entry, "recipient_id");
      if (n.event != "contact_group_changed" && n.event != "builtin_registered")
        r.Problem(entry, "recipient 'myndighed' is built for contact_group_changed and builtin_registered");
    }
    if (n.event == "builtin_registered") {
      n.commands = r.Texts(entry, "commands");
      if (n.commands.empty()) r.Problem(entry, "missing 'commands'");
      for (const std::string& name : n.commands) {
        if (!catalog.FindBuiltinCommand(name).command) r.Problem(entry, "unknown built-in command '" + name + "'");
      }
      for (const std::string& name : r.Texts(entry, "channels")) {
        if (auto channel = catalog::ParseChannel(name)) {
          n.channels.push_back(*channel);
        } else {
          r.Problem(entry, "unknown channel '" + name + "'");
        }
      }
      if (n.recipient == "akasse") {
        // The a-kasse named by `field` of the current records of the one type in `record_types` (§ 93 stk. 3).
        n.field = r.Text(entry, "field");
        const catalog::RecordType* type =
            n.record_types.size() == 1 ? catalog.FindRecordType(n.record_types[0]) : nullptr;
        if (n.record_types.size() != 1) {
          r.Problem(entry, "builtin_registered to an a-kasse names one record type whose 'field' holds the a-kasse");
        } else if (type && type->FieldIndex(n.field) < 0) {
          r.Problem(entry, "unknown field '" + n.field + "' of " + n.record_types[0]);
        }
      } else if (n.recipient != "jobcenter" && n.recipient != "myndighed") {
        r.Problem(entry, "builtin_registered is built for recipients jobcenter, myndighed and akasse");
      }
    }
    if (n.event == "counter_by_other_akasse") {
      if (n.record_types.empty()) r.Problem(entry, "missing 'record_types'");
      if (n.recipient != "akasse") r.Problem(entry, "counter_by_other_akasse is built for recipient akasse");
      for (const std::string& type_key : n.record_types) {
        const catalog::RecordType* type = catalog.FindRecordType(type_key);
        if (type && type->FieldIndex("akasse_code") < 0) r.Problem(entry, type_key + " has no field 'akasse_code'");
      }
    }
    if (n.event == "record_field_cleared") {
      n.field = r.Text(entry, "field");
      n.recipient_id = r.Text(entry, "recipient_id");
      n.text_da = r.Text(entry, "text_da");
      if (const YAML::Node cond = entry["condition"]) {
        n.condition_field = r.Text(cond, "field");
        n.condition_codes = r.Texts(cond, "codes");
      }
      for (const std::string& type_key : n.record_types) {
        const catalog::RecordType* type = catalog.FindRecordType(type_key);
        if (!type) continue;
        if (type->FieldIndex(n.field) < 0) r.Problem(entry, "unknown field '" + n.field + "' of " + type_key);
        if (!n.condition_field.empty() && type->FieldIndex(n.condition_field) < 0)
          r.Problem(entry, "unknown field '" + n.condition_field + "' of " + type_key);
      }
      if (n.record_types.empty()) r.Problem(entry, "missing 'record_types'");
    }
    if (n.event == "meeting_cancelled") {
      n.annulled = r.Texts(entry, "annulled");
      if (n.annulled.empty()) r.Problem(entry, "missing 'annulled'");
      if (n.recipient != "citizen") r.Problem(entry, "meeting_cancelled is built for recipient citizen");
    }
    if (const YAML::Node sub = entry["subscription"]) {
      n.subscription_record_type = r.Text(sub, "record_type");
      n.subscription_media = r.Texts(sub, "media");
      if (n.event != "meeting_cancelled") r.Problem(sub, "'subscription' is built for meeting_cancelled");
      const catalog::RecordType* type = catalog.FindRecordType(n.subscription_record_type);
      if (!type) r.Problem(sub, "unknown record type '" + n.subscription_record_type + "'");
      for (const std::string& medium : n.subscription_media) {
        if (type && type->FieldIndex(medium) < 0)
          r.Problem(sub, "unknown field '" + medium + "' of " + n.subscription_record_type);
      }
      if (n.subscription_media.empty()) r.Problem(sub, "missing 'media'");
    } else if (n.event == "meeting_cancelled") {
      r.Problem(entry, "meeting_cancelled needs the citizen's 'subscription'");
    }
    if (n.event == "fact_forwarded") {
      n.forward = ReadFactForward(entry, catalog, r.mutable_problems());
      if (n.recipient != "akasse") r.Problem(entry, "fact_forwarded is built for recipient akasse");
    } else if (entry["forward"]) {
      r.Problem(entry, "'forward' belongs to event fact_forwarded");
    }
    rules->notifications.push_back(std::move(n));
  }
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
  nlohmann::ordered_json sources = nlohmann::ordered_json::array();
  for (const auto& s : cause.sources) sources.push_back(catalog.Cite(s));
  nlohmann::ordered_json out{{"rule", cause.rule}, {"legal_ref", cause.legal_ref}, {"source", sources}};
  return out.dump();
}

}  // namespace dfdg::automation
