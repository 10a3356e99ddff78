#include "notify/move_messages.h"

#include <algorithm>
#include <string>

#include "automation/triggers.h"
#include "registry/record.h"

namespace dfdg::notify {

using Json = nlohmann::ordered_json;
using registry::Fact;
using registry::FactKind;

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
    if (records.empty()) continue;  // nothing to pass on
    store::OutboxMessage m;
    m.type = rule.type;
    m.recipient_kind = rule.recipient;
    m.recipient = std::to_string(f->code);
    m.cpr = command.cpr->digits();
    m.created_on = FormatDate(command.registered);
    m.payload = Json{{"change", "tilflytning"},    {"from_municipality", previous->code},
                     {"to_municipality", f->code}, {"start", FormatDate(day)},
                     {"counts", counts},           {"records", records}}
                    .dump();
    m.cause = automation::CauseJson(catalog, rule.cause);
    out->push_back(std::move(m));
  }
}

}  // namespace dfdg::notify
