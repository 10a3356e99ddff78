#include "notify/record_forwarding.h"

#include <algorithm>
#include <string>

#include "automation/triggers.h"
#include "registry/akasse_rules.h"
#include "registry/forwarding.h"
#include "registry/record.h"
#include "notify/rule_message.h"

namespace dfdg::notify {

using Json = nlohmann::ordered_json;
using registry::Fact;
using registry::FactKind;

namespace {

bool Has(const std::vector<const catalog::ForwardTarget*>& list, const std::string& code) {
  return std::any_of(list.begin(), list.end(),
                     [&](const catalog::ForwardTarget* t) { return registry::ForwardCode(*t) == code; });
}

std::string FieldText(const Fact& f, const std::string& key) {
  const nlohmann::json& fields = registry::RecordFields(f);
  return fields.is_object() && fields.contains(key) && fields[key].is_string() ? fields[key].get<std::string>()
                                                                                : std::string();
}

// The recipient of `target` for `version` on `day`: {kind, id}; kind "" when there is none. The target is a
// recipient of catalog/recipients.yaml (the version valid on the day; none: no message); its kind says how it is
// addressed: the person's a-kasse, the person's job centre, or the recipient's own id (the catalogue refuses a target
// of a kind addressed otherwise).
std::pair<std::string, std::string> Recipient(const catalog::Catalog& catalog, const catalog::ForwardTarget& target,
                                              const registry::PersonView& before, const Fact& version, Date day) {
  using Pair = std::pair<std::string, std::string>;
  if (!target.recipient_kind.empty()) return {target.recipient_kind, target.recipient};
  const catalog::Recipient* to = catalog.FindRecipient(target.target, day);
  const catalog::RecipientKind* kind = to ? catalog.FindRecipientKind(to->kind) : nullptr;
  if (!kind) return {};
  switch (kind->addressed_by) {
    case catalog::Addressing::kMembership: {
      if (!target.recipient_field.empty() || !target.with_recipient_field.empty()) {
        std::string id;
        if (!target.recipient_field.empty()) id = FieldText(version, target.recipient_field);
        auto with = registry::WithRecordsOn(target, before, day);
        if (!target.with_recipient_field.empty() && !with.empty())
          id = FieldText(*with.back(), target.with_recipient_field);
        return id.empty() ? Pair{} : Pair{kind->key, id};
      }
      auto akasse = target.after_membership ? registry::LatestAkasseBy(before, day) : registry::AkasseOn(before, day);
      return akasse ? Pair{kind->key, *akasse} : Pair{};
    }
    case catalog::Addressing::kMunicipality: {
      const Fact* municipality = before.On(FactKind::kMunicipality, day);
      return municipality ? Pair{kind->key, std::to_string(municipality->code)} : Pair{};
    }
    case catalog::Addressing::kFixed:
      break;
    case catalog::Addressing::kPerson:
    case catalog::Addressing::kRequester:
      return {};  // no forward target is of such a kind (catalog check in record_checks.cc): no message
  }
  return {kind->key, to->id.empty() ? to->key : to->id};
}

}  // namespace

void RecordForwardMessages(const catalog::Catalog& catalog, const automation::Notification& rule,
                           const registry::PersonView& before, const registry::Command& command,
                           const std::vector<Fact>& facts, std::vector<store::OutboxMessage>* out) {
  const Date day = command.registered;
  for (const Fact* r : RuleRecords(rule, facts)) {
    const catalog::RecordType* type = catalog.FindRecordType(r->text);
    if (!type) continue;
    const Fact* stored = before.Entity(r->entity_id);
    std::vector<const catalog::ForwardTarget*> now, was;
    if (!r->deleted) now = registry::ApplicableForwards(*type, before, *r, day);
    if (stored && !stored->deleted) was = registry::ApplicableForwards(*type, before, *stored, day);
    std::vector<std::string> done;
    for (const catalog::ForwardTarget& decl : type->forward) {
      const std::string& code = registry::ForwardCode(decl);
      if (std::find(done.begin(), done.end(), code) != done.end()) continue;
      const bool in_now = Has(now, code), in_was = Has(was, code);
      if (!in_now && !in_was) continue;
      done.push_back(code);
      // The declaration that applied (of entries sharing the code, the first that applied).
      const auto& list = in_now ? now : was;
      const catalog::ForwardTarget& t = **std::find_if(
          list.begin(), list.end(), [&](const catalog::ForwardTarget* x) { return registry::ForwardCode(*x) == code; });
      const Fact& version = in_now ? *r : *stored;
      auto [kind, id] = Recipient(catalog, t, before, version, day);
      if (kind.empty()) continue;
      std::string action = in_now ? (in_was ? "aendret" : "oprettet") : (r->deleted ? "slettet" : "udgaaet");
      // The payload written straight to its JSON text (the keys in this order, as an ordered_json would dump them).
      std::string payload = "{\"code\":";
      registry::AppendJsonString(&payload, code);
      payload += ",\"action\":";
      registry::AppendJsonString(&payload, action);
      payload += ",\"record_type\":";
      registry::AppendJsonString(&payload, r->text);
      payload += ",\"entity_id\":";
      payload += std::to_string(r->entity_id);
      payload += ",\"start\":\"";
      payload += FormatDate(version.start);
      payload += "\",\"end\":";
      if (version.end) {
        payload += '"';
        payload += FormatDate(*version.end);
        payload += '"';
      } else {
        payload += "null";
      }
      payload += ",\"fields\":";
      registry::AppendFieldsForOutput(&payload, *type, registry::RecordFields(version),
                                      t.fields_given ? &t.fields : nullptr);
      payload += ",\"legal_ref\":";
      registry::AppendJsonString(&payload, t.legal_ref);
      payload += ",\"source\":[";
      for (size_t k = 0; k < t.sources.size(); ++k) {
        if (k) payload += ',';
        registry::AppendJsonString(&payload, catalog.Cite(t.sources[k]));
      }
      payload += ']';
      // The fields of the records the declaration asks for (§ 47 stk. 2: the education plan's support needs; § 56
      // stk. 4: the health limitations passed to the recruiting a-kasse).
      if (!t.with_fields.empty()) {
        const catalog::RecordType* with_type = catalog.FindRecordType(t.with_type);
        Json with_records = Json::array();
        for (const Fact* with : registry::WithRecordsOn(t, before, day)) {
          if (!with_type) break;
          with_records.push_back(
              Json{{"record_type", with->text},
                   {"entity_id", with->entity_id},
                   {"start", FormatDate(with->start)},
                   {"end", with->end ? Json(FormatDate(*with->end)) : Json(nullptr)},
                   {"fields", registry::FieldsForOutput(*with_type, registry::RecordFields(*with), &t.with_fields)}});
        }
        payload += ",\"with_records\":";
        payload += with_records.dump();
      }
      payload += '}';
      out->push_back(RuleMessage(catalog, rule, command, kind, id, day, std::move(payload)));
    }
  }
}

}  // namespace dfdg::notify
