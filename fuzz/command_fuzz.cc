// Fuzz target: arbitrary bytes as one JSON Lines command. Parsing, validation against a person with some
// history, and planning must never crash, whatever the input (bad input gets violations, nothing else).
// Built with libFuzzer by `make fuzz` (clang); replayed over fuzz/corpus by the `fuzz_corpus` test (g++).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "registry/command.h"
#include "registry/planner.h"
#include "registry/validator.h"

namespace {

const dfdg::catalog::Catalog& FuzzCatalog() {
  static std::shared_ptr<const dfdg::catalog::Catalog> catalog = [] {
    auto loaded = dfdg::catalog::Catalog::Load(DFDG_SOURCE_DIR "/catalog");
    if (!loaded.ok()) std::abort();
    return *loaded;
  }();
  return *catalog;
}

dfdg::registry::PersonHistory FuzzPerson() {
  using dfdg::registry::Fact;
  using dfdg::registry::FactKind;
  dfdg::registry::PersonHistory h;
  h.cpr = "0101901234";
  auto add = [&](FactKind kind, dfdg::Date start, int code, const char* text) {
    Fact f;
    f.entity_id = h.next_entity_id++;
    f.seq = f.entity_id;
    f.kind = kind;
    f.recorded_on = start;
    f.start = start;
    f.code = code;
    f.text = text;
    h.facts.push_back(f);
  };
  add(FactKind::kContactGroup, dfdg::MakeDate(2024, 1, 1), 1, "");
  add(FactKind::kJobseeker, dfdg::MakeDate(2024, 1, 1), 1, "");
  add(FactKind::kAbsence, dfdg::MakeDate(2025, 1, 1), 11, "");
  add(FactKind::kSummons, dfdg::MakeDate(2025, 9, 1), 0, "jobsamtale");
  add(FactKind::kAbsence, dfdg::MakeDate(2025, 3, 1), 75, "");
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& catalog = FuzzCatalog();
  std::string_view line(reinterpret_cast<const char*>(data), size);
  auto parsed = dfdg::registry::ParseCommandLine(catalog, line, dfdg::MakeDate(2025, 12, 31));
  for (const auto& v : parsed.violations) {
    if (v.ToJson().empty()) std::abort();
  }
  if (!parsed.command) return 0;
  dfdg::registry::PersonHistory history = FuzzPerson();
  dfdg::registry::PersonView view(history, std::nullopt);
  auto violations = dfdg::registry::Validate(catalog, view, *parsed.command);
  for (const auto& v : violations) {
    if (v.MessageDa().empty()) std::abort();
  }
  if (violations.empty()) dfdg::registry::PlanFacts(catalog, *parsed.command, view, &history);
  return 0;
}
