#include "registry/validator.h"

#include <array>

#include "registry/record_rules.h"
#include "registry/record_validator.h"

namespace dfdg::registry {
namespace {

constexpr size_t kBuiltinCount = static_cast<size_t>(CommandType::kRecord);

// Per built-in command: its area's index in Model::builtin_areas (-1: undeclared) and the module each of the
// area's rules names (index-aligned with RecordType::rules; nullptr: unknown, refused at load).
struct ResolvedCommand {
  int area = -1;
  std::vector<const RecordRuleModule*> modules;
};

// The resolution of every built-in command against one catalogue, kept per thread so that validation does not
// look names up. Keyed by the catalogue's address and content hash (its version): a catalogue with the same
// files has the same areas and rules in the same order, so the indices stay valid (no pointer into the
// catalogue is kept). A catalogue without a version is resolved on every call.
struct Resolution {
  const catalog::Catalog* catalog = nullptr;
  std::string version;
  std::array<ResolvedCommand, kBuiltinCount> commands;

  void Resolve(const catalog::Catalog& c) {
    const auto& areas = c.model().builtin_areas;
    for (size_t t = 0; t < kBuiltinCount; ++t) {
      ResolvedCommand& resolved = commands[t];
      const catalog::RecordType* area = c.FindBuiltinCommand(CommandName(static_cast<CommandType>(t))).area;
      resolved.area = area ? static_cast<int>(area - areas.data()) : -1;
      resolved.modules.clear();
      if (area) {
        for (const auto& rule : area->rules) resolved.modules.push_back(FindRecordRule(rule.module));
      }
    }
    catalog = &c;
    version = c.version();
  }
};

const ResolvedCommand& Resolved(const catalog::Catalog& catalog, CommandType type) {
  thread_local Resolution resolution;
  if (resolution.catalog != &catalog || catalog.version().empty() || resolution.version != catalog.version()) {
    resolution.Resolve(catalog);
  }
  return resolution.commands[static_cast<size_t>(type)];
}

}  // namespace

std::vector<Violation> Validate(const catalog::Catalog& catalog, const PersonView& person, const Command& command) {
  if (command.type == CommandType::kRecord) return ValidateRecord(catalog, person, command);
  // A built-in command: the rule modules its area names (catalog/records/builtin/<area>.yaml `rules:`), in
  // declaration order; each acts only on its own commands (builtin_rules.h).
  std::vector<Violation> out;
  const ResolvedCommand& resolved = Resolved(catalog, command.type);
  if (resolved.area < 0) return out;  // every built-in command is declared (CheckBuiltinDeclarations)
  const catalog::RecordType& area = catalog.model().builtin_areas[static_cast<size_t>(resolved.area)];
  static const nlohmann::json kNoFields = nlohmann::json::object();
  for (size_t i = 0; i < resolved.modules.size(); ++i) {
    const RecordRuleModule* module = resolved.modules[i];
    if (!module || !module->check) continue;  // unknown names are refused at load (CheckRecordDeclarations)
    module->check(RecordRuleContext{catalog, person, command, kNoFields, nullptr, area.rules[i], area}, &out);
  }
  return out;
}

}  // namespace dfdg::registry
