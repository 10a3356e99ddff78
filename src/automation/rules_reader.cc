// The RuleReader checks that need more than a line: sources, record codes, and the settings of the
// udb_subscription and akasse_contact_course_start daily rules.
#include "automation/rules_reader.h"

#include <algorithm>

namespace dfdg::automation {

std::vector<catalog::SourceRef> RuleReader::Sources(const YAML::Node& entry) {
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

void RuleReader::CheckRecordCode(const YAML::Node& entry, const catalog::RecordType& type, const std::string& field,
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

SubscriptionRule RuleReader::Subscription(const YAML::Node& entry) {
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
  if (const YAML::Node admitted = entry["admission"]) {
    s.admission_record_type = Text(admitted, "record_type");
    s.admission_field = Text(admitted, "field");
    s.admission_code = Text(admitted, "code");
    const catalog::RecordType* event = catalog_.FindRecordType(s.admission_record_type);
    if (!event) {
      Problem(admitted, "unknown record type '" + s.admission_record_type + "'");
    } else {
      CheckRecordCode(admitted, *event, s.admission_field, s.admission_code);
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

ContactCourseRule RuleReader::ContactCourse(const YAML::Node& entry) {
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

Cause RuleReader::ReadCause(const YAML::Node& entry) {
  Cause cause;
  cause.rule = Text(entry, "key");
  cause.legal_ref = Text(entry, "legal_ref");
  if (!cause.rule.empty()) {
    if (std::find(keys_.begin(), keys_.end(), cause.rule) != keys_.end()) Problem(entry, "duplicate key " + cause.rule);
    keys_.push_back(cause.rule);
  }
  cause.sources = Sources(entry);
  cause.json = CauseJson(catalog_, cause);
  return cause;
}

}  // namespace dfdg::automation
