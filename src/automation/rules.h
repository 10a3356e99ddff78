// The rules of DFDG's own actions as catalogue data (catalog/automation.yaml, docs/automation.md): triggered
// actions, date-driven (daily) actions and notifications. Loaded once; immutable afterwards.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/status.h"

namespace dfdg::automation {

// Why DFDG did something: the rule's key, its legal reference and the seed lines.
struct Cause {
  std::string rule;
  std::string legal_ref;
  std::vector<catalog::SourceRef> sources;
};

// A triggered action. event: contact_group_set | absence_registered | akasse_changed.
// action: inactivate_absence | end_absence (of the person's absences with `reason`) | annul_jobcentre_course
// (contact_group_set back into `contact_groups` while `reason` is active: the job centre's deadlines, summons and
// booked meetings made meanwhile are annulled/cancelled).
struct Trigger {
  std::string event;
  std::string action;
  std::vector<int> contact_groups;  // for contact_group_set / absence_registered
  int reason = 0;
  Cause cause;
};

// A date-driven action of `dfdg daily`. action: deregister_jobseeker | convert_contact_group_at_age.
struct DailyRule {
  std::string action;
  std::vector<int> contact_groups;  // deregister_jobseeker: the person's group on the day
  std::vector<int> reasons;         // deregister_jobseeker: an absence with one of these starts on the day
  std::string deregistration_reason;
  int from_group = 0, to_group = 0, age = 0;  // convert_contact_group_at_age
  std::optional<Date> last_day;               // the rule applies up to and including this day
  Cause cause;
};

// A message rule. event: contact_group_changed | absence_changed. recipient: akasse.
struct Notification {
  std::string type;
  std::string event;
  std::vector<int> contact_groups;  // contact_group_changed: entering or leaving one of these
  std::string recipient;
  std::vector<std::string> record_types;  // municipality_changed: the record types passed to the new municipality
  Cause cause;
};

struct Rules {
  std::vector<Trigger> triggers;
  std::vector<DailyRule> daily;
  std::vector<Notification> notifications;

  // Loads `<catalog_dir>/automation.yaml`, checking every key against the catalogue (contact groups, reasons,
  // seed lines). Corruption listing each problem with its line; NotFound when the file is missing.
  static Result<std::shared_ptr<const Rules>> Load(const std::string& catalog_dir, const catalog::Catalog& catalog);
};

// "r75_end_on_akasse_change 002_2b4b20d01fe5c4c4.txt:54" — the rule key and its first seed line.
std::string CauseText(const catalog::Catalog& catalog, const Cause& cause);
// {"rule", "legal_ref", "source": ["<file>:<line>", ...]} as JSON text.
std::string CauseJson(const catalog::Catalog& catalog, const Cause& cause);

}  // namespace dfdg::automation
