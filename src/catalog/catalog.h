// The rule catalogue: an immutable, indexed view of the catalogue files, queried by date.
//
// Load once at start-up (Catalog::Load); a broken catalogue is refused. All lookups are const and
// thread-safe. Lookup(reason, group, visitation, date) runs in constant time: rows are pre-indexed by
// (reason, contact group, visitation category) and each cell holds a handful of dated versions.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/model.h"
#include "core/status.h"

namespace dfdg::catalog {

// An obligation lifted through a general rule of the seeds rather than listed by the row itself
// (catalog/obligations.yaml: `same_duty` or `implied_exemptions`; docs/obligations.md).
struct ImpliedLift {
  const Obligation* obligation = nullptr;  // lifted through the rule
  const Obligation* because_of = nullptr;  // the lifted obligation it follows from
  bool same_duty = false;                  // one duty under two printed names (else an implied exemption)
  const std::string* text_da = nullptr;    // the seed's words for the rule
  const std::vector<SourceRef>* sources = nullptr;
  const FileRef* defined_at = nullptr;
  const Validity* validity = nullptr;  // nullptr: always (same duty)
};

// Answer to "may reason R be registered for group G / visitation V on date D, and what does it lift?".
struct LookupResult {
  const Absence* absence = nullptr;     // nullptr: unknown reason
  bool reason_in_force = false;         // the reason exists and is open for new registrations on the date
  const Row* row = nullptr;             // the table row that applies; nullptr: not allowed for this group
  const DateRule* date_rule = nullptr;  // the date-rule variant that applies (nullptr: none matches)
  // Obligations the row lifts (empty when row is nullptr): those it lists, then those that follow from them
  // by the general rules (same duty, implied exemptions), each once.
  std::span<const Obligation* const> exempts;
  std::span<const ImpliedLift> implied;  // how each obligation in `exempts` that the row does not list follows

  // Allowed = the reason is in force and a row applies.
  bool allowed() const { return reason_in_force && row != nullptr; }
};

// A command of a declared record type: the type and the action the command performs.
struct RecordCommandRef {
  const RecordType* type = nullptr;
  RecordAction action = RecordAction::kCreate;
};

// A built-in command (docs/commands.md) and the area that declares it (catalog/records/builtin/).
struct BuiltinCommandRef {
  const RecordType* area = nullptr;
  const BuiltinCommand* command = nullptr;
};

class Catalog {
 public:
  static constexpr int kMaxReasonId = 127;
  static constexpr int kMaxContactGroup = 99;

  // Loads and checks the catalogue directory. Error: Corruption listing every problem with file and line.
  static Result<std::shared_ptr<const Catalog>> Load(const std::string& dir);
  // Builds the indexes over an already checked model.
  static std::shared_ptr<const Catalog> FromModel(Model model);

  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  const Model& model() const { return model_; }
  // Content hash of the catalogue files; names the rule-set version in every answer.
  const std::string& version() const { return model_.version; }

  const Absence* FindAbsence(int id) const;
  const ContactGroup* FindContactGroup(int id) const;
  const Obligation* FindObligation(const std::string& key) const;
  const VisitationCategory* FindVisitation(const std::string& key) const;
  const CodeList* FindCodeList(const std::string& key) const;
  const Source* FindSource(const std::string& seed) const;
  const ViolationText* FindViolation(int code) const;
  const Municipality* FindMunicipality(int code) const;
  const InterviewType* FindInterviewType(const std::string& key) const;
  // The version of recipient `key` (catalog/recipients.yaml) valid on `date` (nullopt: the first version), or
  // nullptr when there is none.
  const Recipient* FindRecipient(const std::string& key, std::optional<Date> date) const;
  // The outbox recipient kind `key`, or nullptr.
  const RecipientKind* FindRecipientKind(const std::string& key) const;
  // True when the catalogue defines contact-course code list `list`.
  bool HasCourseCodeList(const std::string& list) const;
  // The code `key` of contact-course code list `list` valid on `date`, or nullptr.
  const CourseCode* FindCourseCode(const std::string& list, const std::string& key, Date date) const;
  // The declared record type `key` (catalog/records/), or nullptr.
  const RecordType* FindRecordType(const std::string& key) const;
  // The record type and action of command `name`; type nullptr when no record type declares it.
  RecordCommandRef FindRecordCommand(std::string_view name) const;
  // The declaration of built-in command `name`; area nullptr when no built-in area declares it.
  BuiltinCommandRef FindBuiltinCommand(std::string_view name) const;
  // The name (Danish) of code `key` of code list `list` of record type `type` valid on `date` (the type's own
  // lists first, then the contact-course lists), or nullptr when the code is unknown or not valid then.
  const std::string* FindRecordCode(const RecordType& type, const std::string& list, const std::string& key,
                                    Date date) const;
  // Every code key of that list valid on `date` (nullopt = every version), in declaration order.
  std::vector<std::string> RecordCodeKeys(const RecordType& type, const std::string& list,
                                          std::optional<Date> date) const;

  // The afmelding rule in force on `date`, or nullptr.
  const DeregistrationRule* DeregistrationOn(Date date) const;

  // The obligations a person in `contact_group` / `visitation` has on `date`: every obligation that some
  // reason's row for that cell can lift (administrativ_markering excluded). See docs/decisions/0004.
  std::vector<const Obligation*> ObligationsFor(int contact_group, const std::string* visitation, Date date) const;

  // Everything that follows from lifting `direct` by the general rules in force on `date`, transitively
  // (same-duty names in both directions, implied exemptions); obligations already in `direct` are not
  // repeated. Breadth-first, in catalogue order, so the answer is stable.
  std::vector<ImpliedLift> ImpliedLifts(std::span<const Obligation* const> direct, Date date) const;

  // The contact group's name in force on `date` (its last name when none is).
  std::string ContactGroupName(const ContactGroup& group, Date date) const;
  // True when the group exists on `date` and accepts new registrations on that date.
  bool ContactGroupOpenForNew(const ContactGroup& group, Date date) const;

  // The row, date rule and lifted obligations for a registration of `reason` for a person in
  // `contact_group` with `visitation` (nullptr = none), registered on `date` through `channel`.
  LookupResult Lookup(int reason, int contact_group, const std::string* visitation, Date date,
                      Channel channel = Channel::kJobcenter) const;

  // The first date-rule variant of `absence` matching group, channel and date; nullptr if none.
  const DateRule* SelectDateRule(const Absence& absence, int contact_group, Channel channel, Date date) const;

  // Every row of `absence` valid on `date` (for listings).
  std::vector<const Row*> RowsOn(const Absence& absence, Date date) const;

  // "001_ac98bd5917396cba.txt:1355".
  std::string Cite(const SourceRef& ref) const;

 private:
  explicit Catalog(Model model) : model_(std::move(model)) {}
  void BuildIndexes();
  int VisitationIndex(const std::string* key) const;

  // A row in a cell, for the part of its validity in which the same general rules are in force (a row is
  // split at the validity boundaries of implied exemptions).
  struct IndexedRow {
    const Row* row;
    Validity validity;
    std::vector<const Obligation*> direct;   // the row's own `exempts`
    std::vector<const Obligation*> exempts;  // direct, then implied
    std::vector<ImpliedLift> implied;
  };

  Model model_;
  std::array<const Absence*, kMaxReasonId + 1> absences_{};
  std::array<const ContactGroup*, kMaxContactGroup + 1> groups_{};
  std::unordered_map<std::string, const Obligation*> obligations_;
  // obligation key -> what lifting it lifts too (one step of the general rules)
  std::unordered_map<std::string, std::vector<ImpliedLift>> implications_;
  std::unordered_map<std::string, int> visitation_index_;  // key -> 1..n (0 = none)
  std::unordered_map<std::string, const CodeList*> codelists_;
  std::unordered_map<int, const ViolationText*> violations_;
  std::unordered_map<int, const Municipality*> municipalities_;
  std::unordered_map<std::string, const RecordType*> record_types_;
  std::unordered_map<std::string_view, RecordCommandRef> record_commands_;
  std::unordered_map<std::string_view, BuiltinCommandRef> builtin_commands_;
  // cells_[(reason * (kMaxContactGroup+1) + group) * stride + visitation] -> rows, specific visitation first.
  std::vector<std::vector<IndexedRow>> cells_;
  size_t visitation_stride_ = 1;
};

}  // namespace dfdg::catalog
