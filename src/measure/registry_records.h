// Internals of registry_input.cc: the a-kasse's records the measurement reads with `--db` (issue 14 item 6) —
// dagpenge payments (dagpenge_payment, seed 000 § 104) as benefits rows and the placement date of the ordinary
// placement reports (dagpenge_placement, § 69) as the first days of dagpenge periods, with the insurance category
// of the membership (akasse_membership, § 61). Not for use outside src/measure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "measure/input.h"

namespace dfdg::measure::internal {

enum class RecordUse : uint8_t { kNone, kPayment, kPlacement, kMembership };

// The use of a record of type `type_key` (kNone: not read).
RecordUse RecordUseOf(std::string_view type_key);

// What the measurement takes from one record version. `valid` is false when its fields are not as declared
// (the record then gives no row).
struct RecordDetails {
  RecordUse use = RecordUse::kNone;
  bool valid = false;
  int year = 0, month = 0;         // payment: the month reported for
  int64_t centihours = 0;          // payment: the hours paid at every rate (hours_paid[].hours) × 100, rounded
  Date placement_date{};           // placement
  bool ordinary = false;           // placement: placement_type ordinary
  bool part_time = false;          // membership: insurance_category deltid
};

// Reads the details from a record version's stored `extra` ({"action": ..., "fields": {...}}).
RecordDetails ReadRecordDetails(RecordUse use, const nlohmann::json& extra);

// One current record version of a person: its period and details.
struct RecordItem {
  Date start{};
  std::optional<Date> end;
  int64_t entity_id = 0;
  RecordDetails details;
};

// Appends the rows of person `person` (records sorted by start and entity id, as PersonView sorts):
// - each payment -> an a_dagpenge benefits row for its calendar month, narrowed to the first and last day of the
//   month in a contact-group-1 period (`kg1`: the person's KG 1 periods, inclusive ends) when there is one, with
//   its hours and the insurance category (part = deltid) of the membership on the row's first day;
// - each ordinary placement -> its placement date as a dagpenge period's first day (each date once).
// Rows are in (from, record order) order per person; `payments` and `first_days` are appended to.
void DagpengeRows(uint32_t person, std::span<const RecordItem> records, std::span<const std::pair<Date, Date>> kg1,
                  std::vector<Payment>* payments, std::vector<PersonDate>* first_days);

}  // namespace dfdg::measure::internal
