#include "notify/move_messages.h"

#include <algorithm>
#include <string>

#include "automation/triggers.h"
#include "registry/record.h"
#include "notify/rule_message.h"

namespace dfdg::notify {

using Json = nlohmann::ordered_json;
using registry::Fact;
using registry::FactKind;

namespace {

// The rule's agreements on the move day: per source, the latest held interview or follow-up (start on or before
// `day`) registered through one of its channels whose `agreements` are given.
Json Agreements(const automation::Notification& rule, const registry::PersonView& before, Date day) {
  Json out = Json::array();
  for (const automation::AgreementSource& source : rule.agreements) {
    auto kind = registry::ParseFactKind(source.kind);
    if (!kind) continue;
    const Fact* latest = nullptr;
    for (const Fact* f : before.Of(*kind)) {
      if (f->start > day ||
          std::find(source.channels.begin(), source.channels.end(), f->channel) == source.channels.end()) {
        continue;
      }
      if (!f->extra.is_object() || !f->extra.contains("agreements") || !f->extra["agreements"].is_string() ||
          f->extra["agreements"].get<std::string>().empty()) {
        continue;
      }
      if (!latest || f->start > latest->start || (f->start == latest->start && f->seq > latest->seq)) latest = f;
    }
    if (!latest) continue;
    out.push_back(Json{{"legal_ref", source.legal_ref},
                       {"kind", source.kind},
                       {"entity_id", latest->entity_id},
                       {"held_on", FormatDate(latest->start)},
                       {"channel", catalog::ChannelKey(latest->channel)},
                       {"type", latest->text},
                       {"agreements", latest->extra["agreements"].get<std::string>()}});
  }
  return out;
}

}  // namespace

void MoveMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                  const registry::PersonView& before, const registry::Command& command, const std::vector<Fact>& facts,
                  std::vector<store::OutboxMessage>* out) {
  for (const Fact* f : automation::LatestVersions(facts, FactKind::kMunicipality)) {
    if (before.Entity(f->entity_id)) continue;  // only a new municipality period is a move
    const Date day = f->start;
    const Fact* already = before.On(FactKind::kMunicipality, day);  // registered again: no move
    if (already && already->code == f->code) continue;
    const Fact* previous = before.On(FactKind::kMunicipality, day - std::chrono::days(1));
    if (!previous || previous->code == f->code) continue;
    if (!rule.contact_groups.empty()) {
      const Fact* group = before.On(FactKind::kContactGroup, day);
      if (!group ||
          std::find(rule.contact_groups.begin(), rule.contact_groups.end(), group->code) == rule.contact_groups.end()) {
        continue;
      }
    }
    Json records = Json::array();
    Json counts = Json::object();
    for (const Fact* r : before.Of(FactKind::kRecord)) {
      if (std::find(rule.record_types.begin(), rule.record_types.end(), r->text) == rule.record_types.end()) continue;
      if (r->end && *r->end < day) continue;  // ended before the move: neither current nor agreed for the future
      const catalog::RecordType* type = catalog.FindRecordType(r->text);
      if (!type) continue;
      records.push_back(Json{{"record_type", r->text},
                             {"entity_id", r->entity_id},
                             {"start", FormatDate(r->start)},
                             {"end", r->end ? Json(FormatDate(*r->end)) : Json(nullptr)},
                             {"fields", registry::FieldsForOutput(*type, registry::RecordFields(*r))}});
      counts[r->text] = counts.value(r->text, 0) + 1;
    }
    Json agreements = Agreements(rule, before, day);
    if (records.empty() && agreements.empty()) continue;  // nothing to pass on
    out->push_back(RuleMessage(catalog, rule, command, std::to_string(f->code),
                               Json{{"change", "tilflytning"},
                                    {"from_municipality", previous->code},
                                    {"to_municipality", f->code},
                                    {"start", FormatDate(day)},
                                    {"counts", counts},
                                    {"records", records},
                                    {"agreements", agreements}}));
  }
}

void MoveCodeMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                      const registry::PersonView& before, const registry::Command& command,
                      const std::vector<Fact>& facts, std::vector<store::OutboxMessage>* out) {
  for (const Fact* f : automation::LatestVersions(facts, FactKind::kMunicipality)) {
    if (before.Entity(f->entity_id)) continue;
    const Date day = f->start;
    const Fact* already = before.On(FactKind::kMunicipality, day);
    if (already && already->code == f->code) continue;
    const Fact* previous = before.On(FactKind::kMunicipality, day - std::chrono::days(1));
    if (!previous || previous->code == f->code) continue;
    bool contract = false;
    for (const Fact* r : before.Of(FactKind::kRecord)) {
      if (r->text != rule.record_types[0] || (r->end && *r->end < day)) continue;
      const nlohmann::json& fields = registry::RecordFields(*r);
      const bool given = fields.contains(rule.field) && !fields[rule.field].is_null() &&
                         !(fields[rule.field].is_string() && fields[rule.field].get<std::string>().empty());
      // The contract's own end (when the rule names its field): none, or not before the move day.
      bool open = true;
      if (given && !rule.end_field.empty() && fields.contains(rule.end_field) && fields[rule.end_field].is_string()) {
        auto end = ParseDate(fields[rule.end_field].get<std::string>());
        open = !end.ok() || *end >= day;
      }
      contract = contract || (given && open);
    }
    if (!contract) continue;
    const Fact* group = before.On(FactKind::kContactGroup, day);
    bool closed = group == nullptr;
    if (!group) {  // the latest contact-group registration that started before the move day
      for (const Fact* g : before.Of(FactKind::kContactGroup)) {
        if (g->start <= day && (!group || g->start > group->start)) group = g;
      }
    }
    if (!group) continue;
    auto code = std::find_if(rule.move_codes.begin(), rule.move_codes.end(),
                             [&](const automation::MoveCode& c) { return c.contact_group == group->code; });
    if (code == rule.move_codes.end()) continue;
    for (bool moving_out : {true, false}) {
      out->push_back(RuleMessage(catalog, rule, command, std::to_string(moving_out ? previous->code : f->code),
                                 Json{{"change", moving_out ? "fraflytning" : "tilflytning"},
                                      {"code", moving_out ? code->moving_out : code->moving_in},
                                      {"code_name", moving_out ? code->name_out : code->name_in},
                                      {"contact_group", group->code},
                                      {"contact_group_closed", closed},
                                      {"from_municipality", previous->code},
                                      {"to_municipality", f->code},
                                      {"start", FormatDate(day)}}));
    }
  }
}

}  // namespace dfdg::notify
