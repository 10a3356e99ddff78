// Facts: the append-only, bitemporal record of a person.
//
// A fact is one VERSION of one ENTITY (a contact-group period, an absence, a registration as job seeker, ...).
// Valid time is the fact's own period [start, end] (end inclusive, open when absent). Registration time is
// `recorded_on` (the registration date) and `seq` (global order). Nothing is updated in place: a change is a
// new version of the same entity; a correction (berigtigelse) is a version with `deleted` set. What the
// registry knew on day K is, per entity, its latest version with recorded_on <= K (by seq); see PersonHistory.
// The persisted form is specified in docs/storage.md.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "catalog/model.h"
#include "core/date.h"

namespace dfdg::registry {

enum class FactKind {
  kContactGroup,
  kVisitation,
  kJobseeker,
  kAkasse,
  kMunicipality,
  kMarking,
  kAbsence,
  kInterview,     // held interview (samtale), incl. first contact
  kSummons,       // indkaldelse or self-booked meeting
  kDeadline,      // frist for selvbooking
  kAkasseChoice,  // the citizen's choice about the a-kasse at the next job interview (§ 24)
  kFollowUp,      // sickness follow-up (opfølgning, §§ 35-36)
  kCvStatus,      // CV approval status (§§ 29-31)
  kRecord,        // a record of a declared type (catalog/records/; `text` = type key; registry/record.h)
  kProject,       // a person-group project created at run time (§ 135 stk. 4-5; `text` = project id; only on the
                  // registry subject kProjectSubject, docs/decisions/0039)
};
inline constexpr int kFactKindCount = 15;

const char* FactKindKey(FactKind kind);
std::optional<FactKind> ParseFactKind(const std::string& key);

struct Fact {
  int64_t seq = 0;          // global registration order; assigned when committed
  int64_t entity_id = 0;    // per person; stable across versions
  int64_t command_seq = 0;  // the command that wrote this version
  FactKind kind = FactKind::kAbsence;
  Date recorded_on{};    // registration date
  bool deleted = false;  // correction tombstone
  catalog::Channel channel = catalog::Channel::kJobcenter;
  std::string actor;
  Date start{};
  std::optional<Date> end;         // inclusive last day
  std::optional<Date> event_date;  // hændelsesdato
  int code = 0;                    // contact group, reason, tilmeldekategori or municipality
  std::string text;                // visitation key, a-kasse, marking, interview type, deregistration reason
  std::string comment;
  nlohmann::json extra;  // job titles, ledighedsgrad, mindre_intensiv, ...

  // True when the fact's valid period contains `date`.
  bool CoversDay(Date date) const { return start <= date && (!end || date <= *end); }
  // True when [start, end] overlaps [from, to] (to nullopt = open).
  bool Overlaps(Date from, std::optional<Date> to) const {
    bool begins_before_other_ends = !to || start <= *to;
    bool other_begins_before_end = !end || from <= *end;
    return begins_before_other_ends && other_begins_before_end;
  }
};

}  // namespace dfdg::registry
