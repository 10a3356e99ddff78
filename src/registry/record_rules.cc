#include "registry/record_rules.h"

#include <algorithm>
#include <unordered_map>

#include "registry/akasse_rules.h"
#include "registry/builtin_command.h"
#include "registry/builtin_rules.h"
#include "registry/command.h"
#include "registry/municipality_rules.h"

namespace dfdg::registry {
namespace {

// The registry's own modules.
constexpr const RecordRuleModule* kBuiltinModules[] = {
    &kAkasseMembershipModule, &kAkasseCounterReportModule, &kAkasseOwnMemberModule, &kAkasseReporterMemberModule,
    &kDagpengePlacementBasisModule, &kJobnetCountersModule, &kMinPlanModule, &kEmploymentMeasureModule,
    &kJobSearchRequirementContentModule, &kRequiredWhileInScopeModule, &kAvailabilityAssessmentModule,
    &kSanctionDecisionModule, &kUdbEventsOnJobnetModule, &kContactCourseHandoverModule, &kAkasseJobseekerModule,
    &kImmediateComputationModule, &kEeaInterruptionModule,
    // The built-in commands' modules (builtin_rules.h).
    &kAbsenceRegistrationModule, &kAbsenceChangeModule, &kContactGroupSetModule, &kContactGroupEndModule,
    &kVisitationGroupModule, &kJobseekerRegistrationModule, &kJobseekerDeregistrationModule, &kMunicipalityKnownModule,
    &kMarkingOpenModule, &kMarkingProjectModule, &kMarkingCorrectionModule, &kPeriodOrderModule, &kInterviewHeldModule, &kCitizenOnlyModule,
    &kSummonsCreateModule, &kSummonsUpdateModule, &kSummonsExistingModule, &kSummonsRebookModule,
    &kMeetingBookingModule, &kDeadlineModule, &kDeadlineExistingModule, &kAkasseChoiceScopeModule,
    &kInterviewCourseModule, &kCourseCorrectionModule, &kFollowUpModule, &kSicknessMetadataModule, &kCvStatusModule,
    &kProjectRegisterModule};

// Keyed by the module's own (static) name: a hash lookup per rule on the validation path.
std::unordered_map<std::string_view, const RecordRuleModule*>& Modules() {
  static std::unordered_map<std::string_view, const RecordRuleModule*> modules = [] {
    std::unordered_map<std::string_view, const RecordRuleModule*> out;
    for (const RecordRuleModule* module : kBuiltinModules) {
      if (module) out[module->name] = module;
    }
    return out;
  }();
  return modules;
}

}  // namespace

RecordRuleRegistration::RecordRuleRegistration(const RecordRuleModule& module) { Modules()[module.name] = &module; }

const RecordRuleModule* FindRecordRule(std::string_view name) {
  auto it = Modules().find(name);
  return it == Modules().end() ? nullptr : it->second;
}

std::vector<const RecordRuleModule*> RecordRules() {
  std::vector<const RecordRuleModule*> out;
  for (const auto& [name, module] : Modules()) out.push_back(module);
  std::sort(out.begin(), out.end(),
            [](const RecordRuleModule* a, const RecordRuleModule* b) { return std::string_view(a->name) < b->name; });
  return out;
}

std::vector<std::string> CheckRecordDeclarations(const catalog::Catalog& catalog) {
  std::vector<std::string> errors = CheckBuiltinDeclarations(catalog);
  auto at = [](const catalog::FileRef& ref) { return ref.file + ":" + std::to_string(ref.line) + ": "; };
  for (const catalog::RecordType& type : catalog.model().record_types) {
    if (ParseFactKind(type.key)) {
      errors.push_back(at(type.defined_at) + "record type '" + type.key + "' reuses a built-in stored kind");
    }
    for (int a = 0; a < 4; ++a) {
      if (IsBuiltinCommand(type.commands[a])) {
        errors.push_back(at(type.defined_at) + "record type '" + type.key + "': command '" + type.commands[a] +
                         "' is a built-in command");
      }
    }
    for (const catalog::RecordRuleRef& rule : type.rules) {
      if (!FindRecordRule(rule.module)) {
        errors.push_back(at(rule.defined_at) + "record type '" + type.key + "' names unknown rule module '" +
                         rule.module + "'");
      }
    }
  }
  for (const catalog::RecordType& area : catalog.model().builtin_areas) {
    for (const catalog::RecordRuleRef& rule : area.rules) {
      const RecordRuleModule* module = FindRecordRule(rule.module);
      if (!module || !module->check) {
        errors.push_back(at(rule.defined_at) + "built-in area '" + area.key + "' names unknown rule module '" +
                         rule.module + "'");
      }
    }
  }
  return errors;
}

}  // namespace dfdg::registry
