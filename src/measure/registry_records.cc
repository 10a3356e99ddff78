#include "measure/registry_records.h"

#include <algorithm>
#include <cmath>

namespace dfdg::measure::internal {

RecordUse RecordUseOf(std::string_view type_key) {
  if (type_key == "dagpenge_payment") return RecordUse::kPayment;
  if (type_key == "dagpenge_placement") return RecordUse::kPlacement;
  if (type_key == "akasse_membership") return RecordUse::kMembership;
  return RecordUse::kNone;
}

RecordDetails ReadRecordDetails(RecordUse use, const nlohmann::json& extra) {
  RecordDetails d;
  d.use = use;
  if (!extra.is_object()) return d;
  auto fields_it = extra.find("fields");
  if (fields_it == extra.end() || !fields_it->is_object()) return d;
  const nlohmann::json& fields = *fields_it;
  auto text = [&](const char* key) -> std::string_view {
    auto it = fields.find(key);
    return it != fields.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>())
                                                 : std::string_view();
  };
  switch (use) {
    case RecordUse::kPayment: {
      auto year = fields.find("year");
      auto month = fields.find("month");
      auto hours = fields.find("hours_paid");
      if (year == fields.end() || month == fields.end() || !year->is_number_integer() ||
          !month->is_number_integer() || hours == fields.end() || !hours->is_array()) {
        return d;
      }
      d.year = year->get<int>();
      d.month = month->get<int>();
      if (d.month < 1 || d.month > 12 || d.year < 1900 || d.year > 2999) return d;
      double sum = 0;
      for (const auto& item : *hours) {
        auto h = item.is_object() ? item.find("hours") : item.end();
        if (h == item.end() || !h->is_number()) return d;
        sum += h->get<double>();
      }
      d.centihours = std::llround(sum * 100);
      d.valid = true;
      return d;
    }
    case RecordUse::kPlacement: {
      auto day = ParseDate(text("placement_date"));
      if (!day.ok()) return d;
      d.placement_date = *day;
      d.ordinary = text("placement_type") == "ordinary";
      d.valid = true;
      return d;
    }
    case RecordUse::kMembership:
      d.part_time = text("insurance_category") == "deltid";
      d.valid = true;
      return d;
    case RecordUse::kNone:
      break;
  }
  return d;
}

namespace {

// The membership on `day` (as registry::AkasseOn: the latest-begun membership begun on or before the day, if its
// period contains the day; ties: the later entity).
const RecordItem* MembershipOn(std::span<const RecordItem> records, Date day) {
  const RecordItem* best = nullptr;
  for (const RecordItem& r : records) {
    if (r.details.use != RecordUse::kMembership || !r.details.valid || r.start > day) continue;
    if (!best || r.start > best->start || (r.start == best->start && r.entity_id > best->entity_id)) best = &r;
  }
  return best && (!best->end || *best->end >= day) ? best : nullptr;
}

}  // namespace

void DagpengeRows(uint32_t person, std::span<const RecordItem> records, std::span<const std::pair<Date, Date>> kg1,
                  std::vector<Payment>* payments, std::vector<PersonDate>* first_days) {
  size_t first_payment = payments->size();
  for (const RecordItem& r : records) {
    if (r.details.use != RecordUse::kPayment || !r.details.valid) continue;
    Date month_first = MakeDate(r.details.year, static_cast<unsigned>(r.details.month), 1);
    std::chrono::year_month_day ymd{month_first};
    Date month_last = std::chrono::sys_days{std::chrono::year_month_day_last{ymd.year(), ymd.month() / std::chrono::last}};
    Payment p;
    p.person = person;
    p.benefit = Benefit::kADagpenge;
    p.from = month_last;
    p.to = month_first;
    for (const auto& [from, to] : kg1) {  // the days of the month in contact group 1
      if (to < month_first || from > month_last) continue;
      p.from = std::min(p.from, std::max(from, month_first));
      p.to = std::max(p.to, std::min(to, month_last));
    }
    if (p.from > p.to) {  // no day in contact group 1: the whole month
      p.from = month_first;
      p.to = month_last;
    }
    p.centihours = r.details.centihours;
    const RecordItem* membership = MembershipOn(records, p.from);
    p.part_time = membership && membership->details.part_time;
    payments->push_back(p);
  }
  std::stable_sort(payments->begin() + static_cast<std::ptrdiff_t>(first_payment), payments->end(),
                   [](const Payment& a, const Payment& b) { return a.from < b.from; });
  size_t first_day = first_days->size();
  for (const RecordItem& r : records) {
    if (r.details.use != RecordUse::kPlacement || !r.details.valid || !r.details.ordinary) continue;
    first_days->push_back({person, r.details.placement_date});
  }
  auto begin = first_days->begin() + static_cast<std::ptrdiff_t>(first_day);
  std::sort(begin, first_days->end(), [](const PersonDate& a, const PersonDate& b) { return a.date < b.date; });
  first_days->erase(std::unique(begin, first_days->end(),
                                [](const PersonDate& a, const PersonDate& b) { return a.date == b.date; }),
                    first_days->end());
}

}  // namespace dfdg::measure::internal
