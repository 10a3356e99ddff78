// The registry's own catalogue files: code lists, violations, registry rules and the contact course
// (loader_internal.h).
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "catalog/loader_internal.h"

namespace dfdg::catalog {
namespace {

BlockingRule ReadBlocking(YamlReader& r, const YAML::Node& node, const char* key,
                          const std::vector<SourceRef>& sources) {
  BlockingRule rule;
  rule.obligations = r.StringList(node, key, true);
  rule.sources = sources;
  rule.defined_at = r.Where(node);
  return rule;
}

}  // namespace

void ReadCodeLists(YamlReader& r, const YAML::Node& root, Model* model) {
  if (auto list = r.Sequence(root, "codelists", true)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item, {"key", "name_da", "description_da", "codes", "source", "notes", "only_active_ids_listed"},
                       "code list")) {
        continue;
      }
      CodeList c;
      c.key = r.String(item, "key", true);
      c.name_da = r.String(item, "name_da", true);
      if (auto codes = r.Sequence(item, "codes", true)) {
        for (const auto& code : *codes) {
          if (!r.ExpectMap(code,
                           {"code",
                            "name_da",
                            "description_da",
                            "valid_from",
                            "valid_to",
                            "closed",
                            "closed_from",
                            "source",
                            "note_da",
                            "allowed_hourly_subsidy_rates",
                            "criterion_da",
                            "date_field_1_da",
                            "date_field_2_da",
                            "date_field_2_offset",
                            "description_updated",
                            "existing_may_be_updated",
                            "indsatsgaranti",
                            "keep_open_for_contact_groups",
                            "name_inferred",
                            "new_registrations_until",
                            "reported_as_da",
                            "reported_by",
                            "rule_da"},
                           "code")) {
            continue;
          }
          r.OptionalDate(code, "new_registrations_until");
          r.OptionalDate(code, "closed_from");
          c.codes.push_back(
              Code{r.Int(code, "code", true).value_or(0), r.String(code, "name_da", true),
                   r.String(code, "description_da", false), r.ReadValidity(code), r.Sources(code, true),
                   r.ToJson(code, {"code", "name_da", "description_da", "valid_from", "valid_to", "source"})});
        }
      }
      c.sources = r.Sources(item, true);
      c.defined_at = r.Where(item);
      model->codelists.push_back(std::move(c));
    }
  }
}

void ReadViolations(YamlReader& r, const YAML::Node& root, Model* model) {
  if (auto list = r.Sequence(root, "violations", true)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item, {"code", "key", "message_da", "message_en", "source"}, "violation")) continue;
      model->violations.push_back(ViolationText{r.Int(item, "code", true).value_or(0), r.String(item, "key", true),
                                                r.String(item, "message_da", true), r.String(item, "message_en", true),
                                                r.Sources(item, true), r.Where(item)});
    }
  }
}

void ReadRegistryRules(YamlReader& r, const YAML::Node& root, Model* model) {
  r.ExpectMap(root,
              {"channel_rules", "deregistration", "interview_types", "personal_attendance_blocked_by",
               "contact_blocked_by", "self_booking", "summons_shown_until"},
              "registry rules");
  if (YAML::Node su = root["summons_shown_until"]; su && su.IsMap()) {
    r.ExpectMap(su, {"channels", "minutes_after_start", "legal_ref", "source"}, "summons_shown_until");
    SummonsShownRule& rule = model->summons_shown_until;
    rule.channels = ReadChannelList(r, su, "channels");
    rule.minutes_after_start = r.Int(su, "minutes_after_start", true).value_or(-1);
    if (rule.minutes_after_start < 0) r.Error(su, "summons_shown_until: minutes_after_start must be 0 or more");
    rule.legal_ref = r.String(su, "legal_ref", true);
    rule.sources = r.Sources(su, true);
    rule.defined_at = r.Where(su);
  }
  if (YAML::Node pa = root["personal_attendance_blocked_by"]; pa && pa.IsMap()) {
    r.ExpectMap(pa, {"obligations", "source"}, "personal_attendance_blocked_by");
    model->personal_attendance_blocked_by = ReadBlocking(r, pa, "obligations", r.Sources(pa, true));
  }
  if (YAML::Node cb = root["contact_blocked_by"]; cb && cb.IsMap()) {
    r.ExpectMap(cb, {"obligations", "source"}, "contact_blocked_by");
    model->contact_blocked_by = ReadBlocking(r, cb, "obligations", r.Sources(cb, true));
  }
  if (YAML::Node sb = root["self_booking"]; sb && sb.IsMap()) {
    r.ExpectMap(sb, {"deadline_blocked_by", "booking_blocked_by", "source"}, "self_booking");
    auto sources = r.Sources(sb, true);
    model->deadline_blocked_by = ReadBlocking(r, sb, "deadline_blocked_by", sources);
    model->booking_blocked_by = ReadBlocking(r, sb, "booking_blocked_by", sources);
  }
  // Who may create which absence reasons is declared by the absence area (catalog/records/builtin/absence.yaml
  // `actors`, `reserved_reasons`); an old catalogue's empty list is still accepted.
  if (YAML::Node old = root["channel_rules"]; old && !(old.IsSequence() && old.size() == 0)) {
    r.Error(old, "channel_rules moved to catalog/records/builtin/absence.yaml (actors: reasons, reserved_reasons)");
  }
  if (auto list = r.Sequence(root, "deregistration", true)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item,
                       {"text_da", "max_ahead", "max_ahead_mindre_intensiv", "mindre_intensiv_channels", "valid_from",
                        "valid_to", "source"},
                       "deregistration rule")) {
        continue;
      }
      DeregistrationRule rule;
      rule.text_da = r.String(item, "text_da", true);
      auto ahead = r.OptionalDuration(item, "max_ahead");
      auto ahead_mi = r.OptionalDuration(item, "max_ahead_mindre_intensiv");
      if (!ahead || !ahead_mi) r.Error(item, "max_ahead and max_ahead_mindre_intensiv are required");
      rule.max_ahead = ahead.value_or(Duration{});
      rule.max_ahead_mindre_intensiv = ahead_mi.value_or(Duration{});
      rule.mindre_intensiv_channels = ReadChannelList(r, item, "mindre_intensiv_channels");
      rule.validity = r.ReadValidity(item);
      rule.sources = r.Sources(item, true);
      rule.defined_at = r.Where(item);
      model->deregistration_rules.push_back(std::move(rule));
    }
  }
  if (auto list = r.Sequence(root, "interview_types", true)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item, {"key", "name_da", "source"}, "interview type")) continue;
      model->interview_types.push_back(
          InterviewType{r.String(item, "key", true), r.String(item, "name_da", true), r.Sources(item, true)});
    }
  }
}

void ReadContactCourse(YamlReader& r, const YAML::Node& root, Model* model) {
  r.ExpectMap(root, {"personkreds", "codelists"}, "contact course");
  // Persons in scope are declared by the built-in areas (catalog/records/builtin/*.yaml `scope`, named by `key`);
  // an old catalogue's empty list is still accepted.
  if (YAML::Node old = root["personkreds"]; old && !(old.IsSequence() && old.size() == 0)) {
    r.Error(old, "personkreds moved to the built-in areas' scope (catalog/records/builtin/*.yaml, key:)");
  }
  if (auto lists = r.Sequence(root, "codelists", true)) {
    for (const auto& item : *lists) {
      if (!r.ExpectMap(item, {"key", "name_da", "codes", "source", "note_da"}, "contact-course code list")) continue;
      CourseCodeList list;
      list.key = r.String(item, "key", true);
      list.defined_at = r.Where(item);
      if (auto codes = r.Sequence(item, "codes", true)) {
        for (const auto& code : *codes) {
          if (!r.ExpectMap(code,
                           {"key", "name_da", "id", "personal_attendance", "standby", "valid_from", "valid_to",
                            "source", "note_da", "description_da", "legal_ref"},
                           "contact-course code")) {
            continue;
          }
          CourseCode c;
          c.key = r.String(code, "key", true);
          c.name_da = r.String(code, "name_da", true);
          c.id = r.Int(code, "id", false);
          c.personal_attendance = r.Bool(code, "personal_attendance", false);
          c.standby = r.Bool(code, "standby", false);
          c.validity = r.ReadValidity(code);
          c.sources = r.Sources(code, true);
          list.codes.push_back(std::move(c));
        }
      }
      model->course_codelists.push_back(std::move(list));
    }
  }
}


void ReadRecipients(YamlReader& r, const YAML::Node& root, Model* model) {
  r.ExpectMap(root, {"recipient_kinds", "recipients"}, "recipients file");
  if (auto list = r.Sequence(root, "recipient_kinds", true)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item, {"key", "name_da", "name_en", "addressed_by", "legal_ref", "source"}, "recipient kind"))
        continue;
      RecipientKind k;
      k.key = r.String(item, "key", true);
      k.name_da = r.String(item, "name_da", true);
      k.name_en = r.String(item, "name_en", true);
      k.legal_ref = r.String(item, "legal_ref", false);
      const std::string by = r.String(item, "addressed_by", true);
      if (auto addressing = ParseAddressing(by)) {
        k.addressed_by = *addressing;
      } else if (!by.empty()) {
        r.Error(item["addressed_by"],
                "addressed_by must be membership, municipality, id, person or requester; got '" + by + "'");
      }
      k.sources = r.Sources(item, true);
      k.defined_at = r.Where(item);
      model->recipient_kinds.push_back(std::move(k));
    }
  }
  if (auto list = r.Sequence(root, "recipients", true)) {
    for (const auto& item : *list) {
      if (!r.ExpectMap(item,
                       {"key", "name_da", "name_en", "kind", "id", "legal_ref", "source", "valid_from", "valid_to",
                        "note_da"},
                       "recipient")) {
        continue;
      }
      Recipient x;
      x.key = r.String(item, "key", true);
      x.name_da = r.String(item, "name_da", true);
      x.name_en = r.String(item, "name_en", true);
      x.kind = r.String(item, "kind", true);
      x.id = r.String(item, "id", false);
      x.legal_ref = r.String(item, "legal_ref", true);
      x.validity = r.ReadValidity(item);
      x.sources = r.Sources(item, true);
      x.defined_at = r.Where(item);
      model->recipients.push_back(std::move(x));
    }
  }
}

}  // namespace dfdg::catalog
