#include "registry/command.h"

#include <map>
#include <set>

namespace dfdg::registry {
namespace {

using Json = nlohmann::json;

struct Spec {
  CommandType type;
  std::vector<const char*> required;
  std::vector<const char*> optional;
};

const std::map<std::string, Spec>& Specs() {
  static const std::map<std::string, Spec> specs = {
      {"set_contact_group", {CommandType::kSetContactGroup, {"contact_group", "start"}, {"event_date"}}},
      {"end_contact_group", {CommandType::kEndContactGroup, {"end"}, {"event_date"}}},
      {"set_visitation", {CommandType::kSetVisitation, {"category"}, {}}},
      {"register_jobseeker",
       {CommandType::kRegisterJobseeker, {"category", "start"}, {"event_date", "ledighedsgrad", "job_titles"}}},
      {"deregister_jobseeker", {CommandType::kDeregisterJobseeker, {"date", "reason"}, {"mindre_intensiv"}}},
      {"set_akasse", {CommandType::kSetAkasse, {"akasse", "start"}, {"end"}}},
      {"set_municipality", {CommandType::kSetMunicipality, {"municipality", "start"}, {}}},
      {"add_marking", {CommandType::kAddMarking, {"marking", "start"}, {"end"}}},
      {"end_marking", {CommandType::kEndMarking, {"marking", "end"}, {}}},
      {"register_absence", {CommandType::kRegisterAbsence, {"reason", "start"}, {"end", "comment"}}},
      {"update_absence", {CommandType::kUpdateAbsence, {"absence_id"}, {"start", "end", "comment"}}},
      {"end_absence", {CommandType::kEndAbsence, {"absence_id", "end"}, {}}},
      {"correct_absence", {CommandType::kCorrectAbsence, {"absence_id"}, {"comment"}}},
      {"register_interview",
       {CommandType::kRegisterInterview,
        {"date", "type"},
        {"form", "agreements", "akasse_participation", "visitation", "participants", "cv_not_adequate", "first_contact",
         "comment"}}},
      {"correct_interview", {CommandType::kCorrectInterview, {"interview_id"}, {"comment"}}},
      {"create_summons",
       {CommandType::kCreateSummons,
        {"date", "start_time", "end_time", "form", "type"},
        {"place", "contact", "address", "phone", "title", "description", "employee", "rebooking_possible",
         "rebooking_from", "rebooking_to", "akasse_participation"}}},
      {"update_summons",
       {CommandType::kUpdateSummons,
        {"summons_id"},
        {"date", "start_time", "end_time", "form", "type", "place", "contact", "address", "phone", "title",
         "description", "employee", "rebooking_possible", "rebooking_from", "rebooking_to", "akasse_participation"}}},
      {"cancel_summons", {CommandType::kCancelSummons, {"summons_id"}, {"comment"}}},
      {"acknowledge_summons", {CommandType::kAcknowledgeSummons, {"summons_id"}, {}}},
      {"rebook_summons", {CommandType::kRebookSummons, {"summons_id", "date", "start_time", "end_time"}, {}}},
      {"book_meeting", {CommandType::kBookMeeting, {"date", "start_time", "end_time", "type"}, {"form"}}},
      {"create_deadline", {CommandType::kCreateDeadline, {"deadline"}, {"kind"}}},
      {"change_deadline", {CommandType::kChangeDeadline, {"deadline_id", "deadline"}, {}}},
      {"annul_deadline", {CommandType::kAnnulDeadline, {"deadline_id"}, {}}},
      {"set_akasse_choice", {CommandType::kSetAkasseChoice, {"wants_akasse"}, {}}},
      {"register_followup", {CommandType::kRegisterFollowUp, {"date", "form"}, {"sdp_category", "agreements"}}},
      {"correct_followup", {CommandType::kCorrectFollowUp, {"followup_id"}, {"comment"}}},
      {"set_sickness_metadata",
       {CommandType::kSetSicknessMetadata,
        {"absence_id"},
        {"expected_back_13w", "partial_recovery", "partial_recovery_from"}}},
      {"set_cv_status", {CommandType::kSetCvStatus, {"status"}, {}}},
  };
  return specs;
}

const std::set<std::string>& CommonFields() {
  static const std::set<std::string> fields = {"command", "id", "cpr", "registered_at", "channel", "actor"};
  return fields;
}

class FormChecker {
 public:
  FormChecker(const catalog::Catalog& catalog, const Json& object, ParsedCommand* out)
      : catalog_(catalog), object_(object), out_(out) {}

  // A form violation of `field`, its detail in Danish and English.
  void Invalid(const std::string& field, const std::string& detail_da, const std::string& detail_en) {
    out_->violations.push_back(
        MakeViolation(catalog_, 1003, {{"field", field}, {"detail", detail_en}, {"detail_da", detail_da}}));
  }

  std::optional<std::string> Text(const char* field, size_t max_size = 200) {
    if (!object_.contains(field) || object_[field].is_null()) return std::nullopt;
    if (!object_[field].is_string()) {
      Invalid(field, "forventede tekst", "expected text");
      return std::nullopt;
    }
    std::string value = object_[field].get<std::string>();
    if (value.size() > max_size) {
      Invalid(field, "længere end " + std::to_string(max_size) + " tegn",
              "longer than " + std::to_string(max_size) + " characters");
      return std::nullopt;
    }
    return value;
  }

  std::optional<int> Int(const char* field, int min, int max) {
    if (!object_.contains(field) || object_[field].is_null()) return std::nullopt;
    const Json& value = object_[field];
    if (!value.is_number_integer()) {
      Invalid(field, "forventede et heltal", "expected an integer");
      return std::nullopt;
    }
    int64_t number = value.get<int64_t>();
    if (number < min || number > max) {
      Invalid(field, "skal være " + std::to_string(min) + "-" + std::to_string(max),
              "must be " + std::to_string(min) + "-" + std::to_string(max));
      return std::nullopt;
    }
    return static_cast<int>(number);
  }

  std::optional<Date> DateField(const char* field) {
    if (!object_.contains(field) || object_[field].is_null()) return std::nullopt;
    if (!object_[field].is_string()) {
      out_->violations.push_back(
          MakeViolation(catalog_, 1005,
                        {{"field", field}, {"detail", "expected YYYY-MM-DD"}, {"detail_da", "forventede ÅÅÅÅ-MM-DD"}}));
      return std::nullopt;
    }
    auto date = ParseDate(object_[field].get<std::string>());
    if (!date.ok()) {
      out_->violations.push_back(MakeViolation(
          catalog_, 1005,
          {{"field", field}, {"detail", date.status().message()}, {"detail_da", date.status().message_da()}}));
      return std::nullopt;
    }
    return *date;
  }

 private:
  const catalog::Catalog& catalog_;
  const Json& object_;
  ParsedCommand* out_;
};

}  // namespace

const char* CommandName(CommandType type) {
  for (const auto& [name, spec] : Specs()) {
    if (spec.type == type) return name.c_str();
  }
  return "unknown";
}

bool IsBuiltinCommand(std::string_view name) { return Specs().count(std::string(name)) > 0; }

ParsedCommand ParseCommand(const catalog::Catalog& catalog, const Json& object, Date today, std::string_view raw) {
  ParsedCommand out;
  if (!object.is_object()) {
    out.violations.push_back(MakeViolation(
        catalog, 1001, {{"detail", "expected a JSON object"}, {"detail_da", "forventede et JSON-objekt"}}));
    return out;
  }
  FormChecker check(catalog, object, &out);
  auto name = check.Text("command", 64);
  out.name = name.value_or("");
  auto spec_it = name ? Specs().find(*name) : Specs().end();
  catalog::RecordCommandRef record_ref =
      name && spec_it == Specs().end() ? catalog.FindRecordCommand(*name) : catalog::RecordCommandRef{};
  if (!name) {
    if (!object.contains("command")) check.Invalid("command", "mangler", "missing");
  } else if (spec_it == Specs().end() && !record_ref.type) {
    out.violations.push_back(MakeViolation(catalog, 1002, {{"detail", *name}}));
  }
  Command c;
  c.id = check.Text("id", 128).value_or("");
  out.id = c.id;
  if (auto cpr_text = check.Text("cpr", 32)) {
    auto cpr = Cpr::Parse(*cpr_text);
    if (cpr.ok()) {
      c.cpr = *cpr;
      out.masked_cpr = cpr->Masked();
    } else {
      out.violations.push_back(
          MakeViolation(catalog, 1004, {{"detail", cpr.status().message()}, {"detail_da", cpr.status().message_da()}}));
    }
  } else if (!object.contains("cpr")) {
    check.Invalid("cpr", "mangler", "missing");
  }
  c.registered = check.DateField("registered_at").value_or(today);
  if (c.registered > today) {
    out.violations.push_back(
        MakeViolation(catalog, 1006, {{"registered", FormatDate(c.registered)}, {"today", FormatDate(today)}}));
  }
  if (auto channel = check.Text("channel", 32)) {
    if (auto parsed = catalog::ParseChannel(*channel)) {
      c.channel = *parsed;
    } else {
      check.Invalid("channel", "skal være jobcenter, akasse, citizen, ksd eller dfdg",
                    "must be jobcenter, akasse, citizen, ksd or dfdg");
    }
  }
  c.actor = check.Text("actor", 64).value_or("");
  if (record_ref.type) {
    // A declared record type: its fields come from the catalogue (registry/record.h).
    c.type = CommandType::kRecord;
    c.record = ParseRecordRequest(catalog, record_ref, object, c.registered, c.channel, &out.violations);
    c.canonical = (raw.empty() ? object.dump() : std::string(raw)) + " @" + FormatDate(c.registered);
    if (out.violations.empty()) out.command = std::move(c);
    return out;
  }
  if (spec_it == Specs().end()) return out;

  const Spec& spec = spec_it->second;
  c.type = spec.type;
  auto allowed = [&](const std::string& key) {
    if (CommonFields().count(key)) return true;
    for (const char* f : spec.required) {
      if (key == f) return true;
    }
    for (const char* f : spec.optional) {
      if (key == f) return true;
    }
    return false;
  };
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!allowed(it.key())) check.Invalid(it.key(), "ikke et felt i " + *name, "not a field of " + *name);
  }
  for (const char* f : spec.required) {
    if (!object.contains(f) || object[f].is_null()) check.Invalid(f, "mangler", "missing");
  }

  c.contact_group = check.Int("contact_group", 0, 99);
  if (spec.type == CommandType::kRegisterAbsence) c.reason = check.Int("reason", 0, 9999);
  c.municipality = check.Int("municipality", 0, 999);
  c.ledighedsgrad = check.Int("ledighedsgrad", -1000000, 1000000);
  if (spec.type == CommandType::kSetVisitation) {
    c.visitation = check.Text("category", 64);
  } else if (spec.type == CommandType::kRegisterJobseeker) {
    c.registration_category = check.Int("category", 0, 99);
  }
  c.akasse = check.Text("akasse", 64);
  c.marking = check.Text("marking", 128);
  c.interview_type = check.Text("type", 64);
  c.deregistration_reason = spec.type == CommandType::kDeregisterJobseeker ? check.Text("reason", 200) : std::nullopt;
  c.comment = check.Text("comment", 2000);
  c.start = check.DateField("start");
  c.end = check.DateField("end");
  c.event_date = check.DateField("event_date");
  c.date = check.DateField("date");
  if (object.contains("absence_id") && !object["absence_id"].is_null()) {
    if (object["absence_id"].is_number_integer() && object["absence_id"].get<int64_t>() > 0) {
      c.absence_id = object["absence_id"].get<int64_t>();
    } else {
      check.Invalid("absence_id", "forventede et positivt heltal", "expected a positive integer");
    }
  }
  if (object.contains("mindre_intensiv") && !object["mindre_intensiv"].is_null()) {
    if (object["mindre_intensiv"].is_boolean()) {
      c.mindre_intensiv = object["mindre_intensiv"].get<bool>();
    } else {
      check.Invalid("mindre_intensiv", "forventede true eller false", "expected true or false");
    }
  }
  if (object.contains("job_titles") && !object["job_titles"].is_null()) {
    const Json& titles = object["job_titles"];
    if (!titles.is_array() || titles.size() > 100) {
      check.Invalid("job_titles", "forventede en liste med højst 100 {code, alias}",
                    "expected a list of at most 100 {code, alias}");
    } else {
      for (const Json& t : titles) {
        if (!t.is_object() || !t.contains("code") || !t["code"].is_string() ||
            (t.contains("alias") && !t["alias"].is_string() && !t["alias"].is_null())) {
          check.Invalid("job_titles", "hvert element skal have en tekst 'code' og evt. en tekst 'alias'",
                        "each item needs a text 'code' and an optional text 'alias'");
          break;
        }
        c.job_titles.push_back(JobTitle{t["code"].get<std::string>(), t.contains("alias") && t["alias"].is_string()
                                                                          ? t["alias"].get<std::string>()
                                                                          : ""});
      }
    }
  }
  // Contact-course fields by type (only these commands have them).
  if (spec.type >= CommandType::kRegisterInterview) {
    static const char* const kTargetIds[] = {"summons_id", "deadline_id", "interview_id", "followup_id"};
    for (const char* key : kTargetIds) {
      if (!object.contains(key) || object[key].is_null()) continue;
      if (object[key].is_number_integer() && object[key].get<int64_t>() > 0) {
        c.target_id = object[key].get<int64_t>();
      } else {
        check.Invalid(key, "forventede et positivt heltal", "expected a positive integer");
      }
    }
    static const char* const kDates[] = {"deadline", "rebooking_from", "rebooking_to", "partial_recovery_from"};
    for (const char* key : kDates) {
      if (auto date = check.DateField(key)) c.dates[key] = *date;
    }
    static const char* const kTexts[] = {"start_time",
                                         "end_time",
                                         "form",
                                         "place",
                                         "contact",
                                         "address",
                                         "phone",
                                         "title",
                                         "description",
                                         "employee",
                                         "akasse_participation",
                                         "agreements",
                                         "kind",
                                         "sdp_category",
                                         "status"};
    for (const char* key : kTexts) {
      if (auto text = check.Text(key, 2000)) c.texts[key] = *text;
    }
    if (spec.type != CommandType::kRegisterInterview && spec.type != CommandType::kSetVisitation) {
      if (auto type = check.Text("type", 64)) c.texts["type"] = *type;
    }
    if (spec.type == CommandType::kRegisterInterview) {
      if (auto visitation = check.Text("visitation", 64)) c.texts["visitation"] = *visitation;
    }
    for (const char* key : {"start_time", "end_time"}) {
      auto it = c.texts.find(key);
      if (it == c.texts.end()) continue;
      const std::string& t = it->second;
      bool ok = t.size() == 5 && t[2] == ':' && std::isdigit(static_cast<unsigned char>(t[0])) &&
                std::isdigit(static_cast<unsigned char>(t[1])) && std::isdigit(static_cast<unsigned char>(t[3])) &&
                std::isdigit(static_cast<unsigned char>(t[4])) && std::stoi(t.substr(0, 2)) < 24 &&
                std::stoi(t.substr(3, 2)) < 60;
      if (!ok) check.Invalid(key, "forventede TT:MM", "expected HH:MM");
    }
    static const char* const kFlags[] = {"rebooking_possible", "wants_akasse",      "cv_not_adequate",
                                         "first_contact",      "expected_back_13w", "partial_recovery"};
    for (const char* key : kFlags) {
      if (!object.contains(key) || object[key].is_null()) continue;
      if (object[key].is_boolean()) {
        c.flags[key] = object[key].get<bool>();
      } else {
        check.Invalid(key, "forventede true eller false", "expected true or false");
      }
    }
    if (object.contains("participants") && !object["participants"].is_null()) {
      const Json& list = object["participants"];
      bool ok = list.is_array() && list.size() <= 50;
      for (const Json& p : ok ? list : Json::array()) {
        if (!p.is_object() || !p.contains("role") || !p["role"].is_string() ||
            (p.contains("name") && !p["name"].is_string()) || (p.contains("form") && !p["form"].is_string())) {
          ok = false;
        }
      }
      if (ok) {
        c.participants = list;
      } else {
        check.Invalid("participants", "forventede en liste med højst 50 {name, role, form}",
                      "expected a list of at most 50 {name, role, form}");
      }
    }
  }
  // The request as sent, plus the registration date it was applied on (so a repeat on another day with no
  // registered_at is a different request).
  c.canonical = (raw.empty() ? object.dump() : std::string(raw)) + " @" + FormatDate(c.registered);
  if (out.violations.empty()) out.command = std::move(c);
  return out;
}

ParsedCommand ParseCommandLine(const catalog::Catalog& catalog, std::string_view line, Date today) {
  if (line.size() > kMaxCommandLineBytes) {
    ParsedCommand out;
    out.violations.push_back(MakeViolation(
        catalog, 1010, {{"detail", std::to_string(line.size())}, {"limit", std::to_string(kMaxCommandLineBytes)}}));
    return out;
  }
  Json object = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) {
    ParsedCommand out;
    out.violations.push_back(MakeViolation(catalog, 1001, {{"detail", "syntax error"}, {"detail_da", "syntaksfejl"}}));
    return out;
  }
  return ParseCommand(catalog, object, today, line);
}

}  // namespace dfdg::registry
