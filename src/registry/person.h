// A person's history (all fact versions) and views of it as known on a day.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "registry/fact.h"

namespace dfdg::registry {

// Every fact version of one person, in seq order, plus the optimistic-concurrency version.
struct PersonHistory {
  std::string cpr;      // 10 digits
  int64_t version = 0;  // number of commits that changed this person; checked on commit
  int64_t next_entity_id = 1;
  std::vector<Fact> facts;  // sorted by seq
};

// The current version of each entity as known on `known_at` (nullopt = everything known), without
// corrected (deleted) entities. Holds pointers into the history: the history must outlive the view.
class PersonView {
 public:
  PersonView(const PersonHistory& history, std::optional<Date> known_at);

  const std::string& cpr() const { return cpr_; }
  const std::vector<const Fact*>& Of(FactKind kind) const { return by_kind_[static_cast<size_t>(kind)]; }
  const Fact* Entity(int64_t entity_id) const;

  // The fact of `kind` whose period contains `date` (the latest-starting one if several).
  const Fact* On(FactKind kind, Date date) const;
  // The open-ended fact of `kind` (no end), if any.
  const Fact* Open(FactKind kind) const;
  // Date of the last held interview on or before `date`.
  std::optional<Date> LastInterviewOnOrBefore(Date date) const;

 private:
  std::string cpr_;
  std::vector<const Fact*> by_kind_[kFactKindCount];
};

}  // namespace dfdg::registry
