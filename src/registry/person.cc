#include "registry/person.h"

#include <algorithm>
#include <unordered_map>

namespace dfdg::registry {

const char* FactKindKey(FactKind kind) {
  switch (kind) {
    case FactKind::kContactGroup:
      return "contact_group";
    case FactKind::kVisitation:
      return "visitation";
    case FactKind::kJobseeker:
      return "jobseeker";
    case FactKind::kAkasse:
      return "akasse";
    case FactKind::kMunicipality:
      return "municipality";
    case FactKind::kMarking:
      return "marking";
    case FactKind::kAbsence:
      return "absence";
    case FactKind::kInterview:
      return "interview";
    case FactKind::kSummons:
      return "summons";
    case FactKind::kDeadline:
      return "deadline";
    case FactKind::kAkasseChoice:
      return "akasse_choice";
    case FactKind::kFollowUp:
      return "followup";
    case FactKind::kCvStatus:
      return "cv_status";
    case FactKind::kRecord:
      return "record";
    case FactKind::kProject:
      return "project";
  }
  return "absence";
}

std::optional<FactKind> ParseFactKind(const std::string& key) {
  for (int k = 0; k < kFactKindCount; ++k) {
    if (key == FactKindKey(static_cast<FactKind>(k))) return static_cast<FactKind>(k);
  }
  return std::nullopt;
}

PersonView::PersonView(const PersonHistory& history, std::optional<Date> known_at) : cpr_(history.cpr) {
  // Latest version per entity among those recorded on or before known_at. Facts are in seq order, so the
  // last one seen wins.
  // Entity ids are small and dense per person (1..next_entity_id), so a vector indexed by id replaces a map.
  std::vector<const Fact*> current(static_cast<size_t>(history.next_entity_id) + 1, nullptr);
  for (const Fact& fact : history.facts) {
    if (known_at && fact.recorded_on > *known_at) continue;
    if (fact.entity_id >= static_cast<int64_t>(current.size())) current.resize(fact.entity_id + 1, nullptr);
    current[fact.entity_id] = &fact;
  }
  for (const Fact* fact : current) {
    if (fact && !fact->deleted) by_kind_[static_cast<size_t>(fact->kind)].push_back(fact);
  }
  for (auto& list : by_kind_) {
    std::sort(list.begin(), list.end(), [](const Fact* a, const Fact* b) {
      return a->start != b->start ? a->start < b->start : a->entity_id < b->entity_id;
    });
  }
}

const Fact* PersonView::Entity(int64_t entity_id) const {
  for (const auto& list : by_kind_) {
    for (const Fact* fact : list) {
      if (fact->entity_id == entity_id) return fact;
    }
  }
  return nullptr;
}

const Fact* PersonView::On(FactKind kind, Date date) const {
  const Fact* found = nullptr;
  for (const Fact* fact : Of(kind)) {
    if (fact->CoversDay(date)) found = fact;  // sorted by start: the latest-starting wins
  }
  return found;
}

const Fact* PersonView::Open(FactKind kind) const {
  const Fact* found = nullptr;
  for (const Fact* fact : Of(kind)) {
    if (!fact->end) found = fact;
  }
  return found;
}

std::optional<Date> PersonView::LastInterviewOnOrBefore(Date date) const {
  // Held job, CV and follow-up interviews (sickness follow-ups included; standby is not an interview).
  std::optional<Date> last;
  for (FactKind kind : {FactKind::kInterview, FactKind::kFollowUp}) {
    for (const Fact* fact : Of(kind)) {
      if (kind == FactKind::kFollowUp && fact->extra.is_object() && fact->extra.value("standby", false)) continue;
      if (fact->start <= date && (!last || fact->start > *last)) last = fact->start;
    }
  }
  return last;
}

}  // namespace dfdg::registry
