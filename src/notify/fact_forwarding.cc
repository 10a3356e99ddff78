#include "notify/fact_forwarding.h"

#include <algorithm>

#include "automation/triggers.h"
#include "notify/rule_message.h"
#include "registry/akasse_rules.h"
#include "registry/record.h"

namespace dfdg::notify {
namespace {

using Json = nlohmann::ordered_json;
using registry::Fact;
using registry::FactKind;

bool Cancelled(const Fact* f) { return f && f->extra.is_object() && f->extra.value("cancelled", false); }

std::string Change(const Fact& f, const Fact* stored) {
  if (f.deleted) return "slettet";
  if (!stored) return "oprettet";
  if (Cancelled(&f) && !Cancelled(stored)) return "aflyst";
  if (!stored->end && f.end) return "afsluttet";
  return "aendret";
}

Json FieldValue(const Fact& f, const std::string& source) {
  if (source == "start") return FormatDate(f.start);
  if (source == "end") return f.end ? Json(FormatDate(*f.end)) : Json(nullptr);
  if (source == "code") return f.code;
  if (source == "text") return f.text.empty() ? Json(nullptr) : Json(f.text);
  std::string key = source.substr(6);  // "extra.<key>"
  if (!f.extra.is_object() || !f.extra.contains(key)) return nullptr;
  return Json::parse(f.extra[key].dump());
}

// True when the person's situation on `day` before the command passes the rule's contact-group and
// registration-category filters (the category of `f` itself when it is the registration).
bool PersonMatches(const automation::FactForward& fw, const std::vector<int>& groups,
                   const registry::PersonView& before, const Fact& f, Date day) {
  if (groups.empty()) return true;
  const Fact* group = before.On(FactKind::kContactGroup, day);
  if (!group || std::find(groups.begin(), groups.end(), group->code) == groups.end()) return false;
  for (const auto& [g, categories] : fw.registration_categories) {
    if (g != group->code) continue;
    const Fact* seeker = f.kind == FactKind::kJobseeker ? &f : before.On(FactKind::kJobseeker, day);
    if (!seeker || std::find(categories.begin(), categories.end(), seeker->code) == categories.end()) return false;
  }
  return true;
}

// The recipients of a rule with a `lookup` (§ 133 stk. 2-3): the distinct values of `lookup_recipient_field` of the
// person's current records of `lookup_type` stored before the command whose `lookup_id_field` is `entity_id`.
std::vector<std::string> LookupRecipients(const automation::FactForward& fw, const registry::PersonView& before,
                                          int64_t entity_id) {
  std::vector<std::string> out;
  for (const Fact* r : before.Of(FactKind::kRecord)) {
    if (r->deleted || r->text != fw.lookup_type) continue;
    const nlohmann::json& fields = registry::RecordFields(*r);
    if (!fields.is_object() || !fields.contains(fw.lookup_id_field)) continue;
    const nlohmann::json& id = fields[fw.lookup_id_field];
    if (!id.is_number_integer() || id.get<int64_t>() != entity_id) continue;
    if (!fields.contains(fw.lookup_recipient_field)) continue;
    const nlohmann::json& value = fields[fw.lookup_recipient_field];
    std::string text = value.is_string() ? value.get<std::string>()
                       : value.is_number_integer() ? std::to_string(value.get<int64_t>())
                                                   : std::string();
    if (!text.empty() && std::find(out.begin(), out.end(), text) == out.end()) out.push_back(text);
  }
  return out;
}

}  // namespace

void FactForwardMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                         const registry::PersonView& before, const registry::Command& command,
                         const std::vector<Fact>& facts, std::vector<store::OutboxMessage>* out) {
  const automation::FactForward& fw = *rule.forward;
  auto kind = registry::ParseFactKind(fw.fact_kind);
  if (!kind) return;
  for (const Fact* f : automation::LatestVersions(facts, *kind)) {
    const Fact* stored = before.Entity(f->entity_id);
    std::string change = Change(*f, stored);
    if (std::find(fw.changes.begin(), fw.changes.end(), change) == fw.changes.end()) continue;
    if (!fw.kinds.empty() && std::find(fw.kinds.begin(), fw.kinds.end(), f->text) == fw.kinds.end()) continue;
    if (!fw.codes.empty() && std::find(fw.codes.begin(), fw.codes.end(), f->code) == fw.codes.end()) continue;
    if (!fw.flag.empty() && !(f->extra.is_object() && f->extra.value(fw.flag, false))) continue;
    if (!fw.channels.empty() && std::find(fw.channels.begin(), fw.channels.end(), f->channel) == fw.channels.end())
      continue;
    Date day = fw.judged_on_registered ? command.registered : (change == "afsluttet" ? *f->end : f->start);
    if (!PersonMatches(fw, rule.contact_groups, before, *f, day)) continue;
    std::vector<std::string> recipients;
    if (!fw.lookup_type.empty()) {
      recipients = LookupRecipients(fw, before, f->entity_id);
    } else if (std::optional<std::string> akasse = registry::AkasseOn(before, day)) {
      recipients.push_back(*akasse);
    }
    if (recipients.empty()) continue;
    Json payload{{"change", change},
                 {"fact_kind", fw.fact_kind},
                 {"entity_id", f->entity_id},
                 {"start", FormatDate(f->start)},
                 {"end", f->end ? Json(FormatDate(*f->end)) : Json(nullptr)}};
    for (const auto& [name, source] : fw.fields) {
      Json value = FieldValue(*f, source);
      if (value.is_null()) continue;
      payload[name] = value;
      for (const auto& [field, list] : fw.code_lists) {
        if (field != name || !value.is_string()) continue;
        const catalog::CourseCode* code = catalog.FindCourseCode(list, value.get<std::string>(), day);
        if (code) payload[name + "_name"] = code->name_da;
      }
    }
    if (f->channel == catalog::Channel::kDfdg && f->extra.is_object() && f->extra.contains("dfdg"))
      payload["by_rule"] = Json::parse(f->extra["dfdg"]["rule"].dump());
    for (const std::string& recipient : recipients) out->push_back(RuleMessage(catalog, rule, command, recipient, payload));
  }
}

}  // namespace dfdg::notify
