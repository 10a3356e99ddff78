// The generic path of a declared record type after parsing: validation against the declaration and the
// person's state, then the fact version to append. No per-type code: rule modules (record_rules.h) add
// what a declaration cannot say.
#pragma once

#include <optional>
#include <vector>

#include "catalog/catalog.h"
#include "registry/command.h"
#include "registry/person.h"
#include "registry/violation.h"

namespace dfdg::registry {

// The scope entry that puts the person in scope of `type` for `channel` on `date` (the actor's own scope
// when it has one, else the type's; the first entry that matches), or nullptr when out of scope.
const catalog::ScopeEntry* RecordScope(const catalog::RecordType& type, catalog::Channel channel,
                                       const PersonView& person, Date date);

// The current version of record `entity_id` of `type`, or nullptr.
const Fact* CurrentRecord(const PersonView& person, const catalog::RecordType& type, int64_t entity_id);

// The record's fields after `request`: the current version's fields with the given ones replacing them and
// cleared ones removed (create: the given ones; delete: the current ones).
nlohmann::json MergeRecordFields(const RecordRequest& request, const Fact* current);

// Every violated rule of a record command (REQUIRES: command.type == kRecord): the type in force, the
// channel's right to the action, scope, the entity (change/correct/delete), the comment of a correction or
// delete mark, the period (end not before start, backdating, future start, overlap), then the type's rule
// modules.
std::vector<Violation> ValidateRecord(const catalog::Catalog& catalog, const PersonView& person,
                                      const Command& command);

// The fact version a valid record command appends (REQUIRES: ValidateRecord returned nothing). A create
// takes a new entity id from history->next_entity_id.
std::vector<Fact> PlanRecordFacts(const Command& command, const PersonView& person, PersonHistory* history);

}  // namespace dfdg::registry
