// Which of a record type's forwarding declarations (catalog/records/<type>.yaml `forward:`, § 46, § 47, § 52 stk. 5,
// § 55 stk. 3, § 56 stk. 4) apply to one version of a record. Used by `dfdg status` (`forward_to`) and by the
// outbox (notify/record_forwarding.h), so both say the same.
#pragma once

#include <vector>

#include "catalog/record_model.h"
#include "registry/fact.h"
#include "registry/person.h"

namespace dfdg::registry {

// The declarations of `type` that apply to `version` (a record of that type: its fields, period and channel) of
// the person whose state is `view`, judged on `day`: every condition the declaration gives holds — the person's
// contact group on `day`, an a-kasse membership on `day` (`after_membership`: none on `day` but an earlier one,
// LatestAkasseBy), the registering channel, the age on `day` below
// `age_below` (birth date from the CPR number; the birthday itself is the first day at the new age), the birth
// date within [born_from, born_to], the record's period (start, inclusive end or open) overlapping
// [period_from, period_to], the field `when.field` holding one of `when.codes`, and a current record of
// `with_record.type` on `day` (WithRecordOn). In declaration order; of entries sharing a key only the first that
// applies is returned.
std::vector<const catalog::ForwardTarget*> ApplicableForwards(const catalog::RecordType& type, const PersonView& view,
                                                              const Fact& version, Date day);

// The records `target.with_record` asks for: the person's current records of that type whose period covers `day`
// and whose `when` field holds one of its codes when given and whose `has` field is given when named, by start
// (the latest last); empty when there is none or the declaration asks for none.
std::vector<const Fact*> WithRecordsOn(const catalog::ForwardTarget& target, const PersonView& view, Date day);

// The message code of a declaration: its key, or its target when it has none.
const std::string& ForwardCode(const catalog::ForwardTarget& target);

}  // namespace dfdg::registry
