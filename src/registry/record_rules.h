// Rule modules: the rules of a record type that are more than its declaration (e.g. date rules that depend on
// other data areas), as small named functions registered for their type. A type names its modules in its
// catalogue file (`rules:`, with the § and seed line); the registry runs them after the generic checks, in
// declaration order. The registry's own modules are listed in one table in record_rules.cc (explicit, so a
// static library cannot drop them); RecordRuleRegistration adds further modules (e.g. in tests).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "registry/person.h"
#include "registry/violation.h"

namespace dfdg::registry {

struct Command;

// What a module sees: the catalogue, the person as currently known, the command, the record as it would be
// stored (merged with the current version for change/correct; the current version's fields for delete),
// the current version (nullptr for create) and the rule's declaration (for its sources).
struct RecordRuleContext {
  const catalog::Catalog& catalog;
  const PersonView& person;
  const Command& command;
  const nlohmann::json& fields;
  const Fact* current;
  const catalog::RecordRuleRef& rule;
  // The declaration that names the module: the record type, or the built-in command's area (its actors and
  // named scope entries, catalog/records/builtin/*.yaml).
  const catalog::RecordType& area;
  // The person-group projects created at run time (the registry subject kProjectSubject, as currently known), for
  // the modules that check a marking against them; nullptr when the command names no project.
  const PersonView* projects = nullptr;
};

// A module appends a violation per broken rule (citing rule.defined_at / rule.sources) to `out`.
using RecordRuleFn = void (*)(const RecordRuleContext& context, std::vector<Violation>* out);
// A citizen-view filter: true when the current record version `fact` is shown to the citizen on `date`
// (the type's citizen view applies first; every filter of the type must agree).
using RecordViewFn = bool (*)(const catalog::Catalog& catalog, const PersonView& person, const Fact& fact, Date date);

// A citizen-view notice: what Jobnet shows the citizen on `date` beside the records of the type (e.g. the link to
// order an immediate computation of the counters, §§ 85-86), as a JSON object; null when there is none.
using RecordNoticeFn = nlohmann::json (*)(const catalog::Catalog& catalog, const PersonView& person, Date date);

struct RecordRuleModule {
  const char* name;                      // as named in the catalogue's `rules: [{module: ...}]`
  const char* legal_ref;                 // the § the module implements
  RecordRuleFn check;                    // nullptr: the module only filters the citizen's view
  RecordViewFn citizen_shows = nullptr;  // nullptr: the module does not filter the citizen's view
  // True: a person in the type's `must` scope must have a current record on the day; status flags one without
  // (record_scope `missing`).
  bool requires_current = false;
  RecordNoticeFn citizen_notice = nullptr;  // nullptr: the module adds no notice to the citizen's view
};

// The module registered under `name`, or nullptr.
const RecordRuleModule* FindRecordRule(std::string_view name);
// Every registered module, by name.
std::vector<const RecordRuleModule*> RecordRules();

// Registers `module` (typically as a static object). A later registration of the same name replaces it.
class RecordRuleRegistration {
 public:
  explicit RecordRuleRegistration(const RecordRuleModule& module);
};

// The registry's checks of the record declarations (on top of the catalogue's own): every named rule module
// exists; no type reuses a built-in command name or a built-in stored kind; the built-in commands' declarations
// match the registry's command types (CheckBuiltinDeclarations). One "<file>:<line>: <message>" per
// problem; empty when the declarations can be used.
std::vector<std::string> CheckRecordDeclarations(const catalog::Catalog& catalog);

}  // namespace dfdg::registry
