// The daily run's date-driven contact-group and subscription actions (docs/automation.md D4, T10, D9): the
// conversion of contact groups that close on a date and the subscription to education events from the youth
// database (UDB). Each returns the command's own fields (command name and payload); the daily run adds the
// common fields (id, cpr, registered_at, channel dfdg, actor).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "automation/rules.h"
#include "registry/person.h"

namespace dfdg::automation {

// convert_contact_groups_on_date: on `rule.on` and every later day, a person with a period of a conversion's
// from_group that has days on or after `rule.on` (open-ended, or ended on or after `rule.on`) is moved to its
// to_group from the later of `rule.on` and the period's start until the period's registered end, if any
// (`set_contact_group` with `end`: the period ends the day before). A day before `rule.on` plans nothing; a
// converted period (ended before `rule.on`) is no longer due.
std::optional<nlohmann::json> ConvertOnDate(const DailyRule& rule, const registry::PersonView& view, Date day);

// udb_subscription: opens (create, start = `day`) or closes (change: end = the day before `day`, or the
// subscription's start when later, and the closure reason) the person's subscription, per rule.subscription
// (rules.h SubscriptionRule). Nothing when the subscription already matches the person's state.
std::optional<nlohmann::json> PlanSubscription(const catalog::Catalog& catalog, const DailyRule& rule,
                                               const registry::PersonView& view, Date day);

}  // namespace dfdg::automation
