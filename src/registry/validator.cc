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
  catalog::RecordAction action = catalog::RecordAction::kCreate;  // what the command does to the area's entities
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
      catalog::BuiltinCommandRef ref = c.FindBuiltinCommand(CommandName(static_cast<CommandType>(t)));
      const catalog::RecordType* area = ref.area;
      resolved.area = area ? static_cast<int>(area - areas.data()) : -1;
      resolved.action = ref.command ? ref.command->action : catalog::RecordAction::kCreate;
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

// The area's actors (catalog/records/builtin/<area>.yaml `actors:`): the command's channel must be an actor of
// the area on the registration date whose `may` holds the command's action (5002, as for a declared type).
void CheckActor(const catalog::Catalog& catalog, const catalog::RecordType& area, const Command& command,
                catalog::RecordAction action, std::vector<Violation>* out) {
  const catalog::ActorRule* actor = area.ActorOn(command.channel, command.registered);
  if (actor && actor->May(action)) return;
  AddViolation(out, catalog, command.registered, 5002,
               {{"type_da", area.name_da},
                {"type_en", area.name_en},
                {"channel", catalog::ChannelKey(command.channel)},
                {"action", catalog::RecordActionKey(action)},
                {"action_da", catalog::RecordActionDa(action)}},
               &area.defined_at, &area.sources);
}

}  // namespace

std::vector<Violation> Validate(const catalog::Catalog& catalog, const PersonView& person, const Command& command,
                                const PersonView* projects) {
  if (command.type == CommandType::kRecord) return ValidateRecord(catalog, person, command);
  // A built-in command: its channel must be one of its area's actors allowed the action; then the rule modules
  // its area names (catalog/records/builtin/<area>.yaml `rules:`), in
  // declaration order; each acts only on its own commands (builtin_rules.h).
  std::vector<Violation> out;
  const ResolvedCommand& resolved = Resolved(catalog, command.type);
  if (resolved.area < 0) return out;  // every built-in command is declared (CheckBuiltinDeclarations)
  const catalog::RecordType& area = catalog.model().builtin_areas[static_cast<size_t>(resolved.area)];
  CheckActor(catalog, area, command, resolved.action, &out);
  static const nlohmann::json kNoFields = nlohmann::json::object();
  for (size_t i = 0; i < resolved.modules.size(); ++i) {
    const RecordRuleModule* module = resolved.modules[i];
    if (!module || !module->check) continue;  // unknown names are refused at load (CheckRecordDeclarations)
    module->check(RecordRuleContext{catalog, person, command, kNoFields, nullptr, area.rules[i], area, projects}, &out);
  }
  return out;
}

}  // namespace dfdg::registry
