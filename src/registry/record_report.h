// Queries over records of declared types: what is current on a date (part of status), who must or may
// register which type for the person, the full version history of an entity, and the citizen's view.
// JSON shapes: docs/records.md.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "catalog/catalog.h"
#include "registry/person.h"

namespace dfdg::registry {

// {"<type>": [record, ...], ...} for every declared type: the records whose period contains `date` (every
// current record for a type without a period). A record: {entity_id, start, end, registered_on, channel,
// actor, fields, forward_to}.
nlohmann::ordered_json RecordsOn(const catalog::Catalog& catalog, const PersonView& view, Date date);

// [{record_type, channel, mode, legal_ref, catalog, source, records, missing}] — for every declared type and every
// channel that may create it, the scope entry putting the person in scope on `date` (must or may), with the
// number of current records on `date`; `missing` is true when the type requires a current record in `must`
// scope (a rule module with requires_current) and there is none. Types out of scope are left out.
nlohmann::ordered_json RecordScopeOn(const catalog::Catalog& catalog, const PersonView& view, Date date);

// Who reads records, for the filters below: a channel (catalog `actors`) on a day.
struct RecordReader {
  catalog::Channel channel;
  Date on;
  // True when the type's `actors` let the channel read on `on`.
  bool MayRead(const catalog::RecordType& type) const;
};

// Every version of the person's records, oldest first, grouped by entity: {cpr, known_at, entities: [{entity_id,
// record_type, current: {...} or null when delete-marked, versions: [{seq, recorded_on, action, channel, actor,
// comment, deleted, start, end, fields}]}]}. `record_type` "" = every type; `entity_id` 0 = every entity;
// `known_at` limits the versions to those registered on or before it; `reader` (when given) the types to those it
// may read.
nlohmann::ordered_json RecordHistoryJson(const catalog::Catalog& catalog, const PersonHistory& history,
                                         const std::string& masked_cpr, const std::string& record_type,
                                         int64_t entity_id, std::optional<Date> known_at,
                                         std::optional<RecordReader> reader = std::nullopt);

// What the citizen sees on Jobnet on `date`: for every type with a citizen view that the citizen may read on
// `date`, every current (not delete-marked) record — past, present and future periods, by start — with only
// the citizen-view fields, and the notices of the types' rule modules (e.g. the link to order an immediate
// computation, §§ 85-86): {cpr, date, records: {"<type>": [{start, end, fields}]}, borger_dk: {"<type>": [...]},
// notices: [{notice, record_type, legal_ref, catalog, ...}]}. `borger_dk`: what Borger.dk shows of the same records
// (the types with a `borger_dk_view`, only its fields; § 61 stk. 6, 2nd sentence).
nlohmann::ordered_json CitizenRecordsJson(const catalog::Catalog& catalog, const PersonHistory& history,
                                          const std::string& masked_cpr, Date date);

// The code `code` of the type's lookup purposes (`lookup.purpose_code_list`, one of the type's code lists), or
// nullptr when the type has no lookup or the list has no such code.
const catalog::RecordCode* LookupPurpose(const catalog::RecordType& type, const std::string& code);

// A purpose-bound lookup (catalog RecordLookup; § 61 stk. 5: a prospective member's current membership): {cpr,
// date, record_type, legal_ref, purpose: {code, name_da, name_en}, found, records: [{start, end, fields}]} — the
// current (not delete-marked) records of the type whose period contains `date` and that the type's rule modules
// show the citizen on `date` (as the citizen's view: for the membership the one current membership, § 61 stk. 6),
// with only the lookup's fields; `found` false and no records when there is none.
// REQUIRES: type.lookup; `purpose` is LookupPurpose(type, ...).
nlohmann::ordered_json LookupRecordsJson(const catalog::Catalog& catalog, const catalog::RecordType& type,
                                         const PersonHistory& history,
                                         const std::string& masked_cpr, const catalog::RecordCode& purpose, Date date);

}  // namespace dfdg::registry
