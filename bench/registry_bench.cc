// In-process validation of absence registrations against a realistic person state (issue target: at least
// 1,000,000 validations per second on one core). Run with `make bench`.
#include <benchmark/benchmark.h>

#include <random>

#include "registry/command.h"
#include "registry/validator.h"

namespace {

using dfdg::Date;
using dfdg::MakeDate;
using dfdg::registry::Command;
using dfdg::registry::CommandType;
using dfdg::registry::Fact;
using dfdg::registry::FactKind;
using dfdg::registry::PersonHistory;

std::shared_ptr<const dfdg::catalog::Catalog> LoadOnce() {
  static auto catalog = [] {
    auto loaded = dfdg::catalog::Catalog::Load(DFDG_SOURCE_DIR "/catalog");
    if (!loaded.ok()) std::abort();
    return *loaded;
  }();
  return catalog;
}

// A person with two contact-group periods, a visitation, a job-seeker registration, interviews and a few
// earlier absences: the state a job centre's validation typically meets.
PersonHistory RealisticPerson() {
  PersonHistory h;
  h.cpr = "0101901234";
  int64_t id = 1;
  auto add = [&](FactKind kind, Date start, std::optional<Date> end, int code, std::string text) {
    Fact f;
    f.seq = id;
    f.entity_id = id++;
    f.kind = kind;
    f.recorded_on = start;
    f.start = start;
    f.end = end;
    f.code = code;
    f.text = std::move(text);
    h.facts.push_back(f);
  };
  add(FactKind::kContactGroup, MakeDate(2023, 1, 1), MakeDate(2023, 12, 31), 1, "");
  add(FactKind::kContactGroup, MakeDate(2024, 1, 1), std::nullopt, 2, "");
  add(FactKind::kVisitation, MakeDate(2024, 1, 1), std::nullopt, 0, "jobparat");
  add(FactKind::kJobseeker, MakeDate(2024, 1, 1), std::nullopt, 1, "");
  for (int m = 1; m <= 12; m += 3) add(FactKind::kInterview, MakeDate(2025, m, 10), MakeDate(2025, m, 10), 0, "job");
  add(FactKind::kAbsence, MakeDate(2024, 3, 1), MakeDate(2024, 3, 14), 10, "");
  add(FactKind::kAbsence, MakeDate(2024, 6, 1), MakeDate(2024, 6, 20), 11, "");
  add(FactKind::kAbsence, MakeDate(2025, 2, 1), MakeDate(2025, 2, 10), 19, "");
  h.next_entity_id = id;
  return h;
}

void BM_ValidateAbsence(benchmark::State& state) {
  auto catalog = LoadOnce();
  PersonHistory history = RealisticPerson();
  dfdg::registry::PersonView view(history, std::nullopt);
  std::vector<int> reasons;
  for (const auto& a : catalog->model().absences) reasons.push_back(a.id);
  std::mt19937 rng(7);
  std::vector<Command> commands;
  for (int i = 0; i < 4096; ++i) {
    Command c;
    c.type = CommandType::kRegisterAbsence;
    c.cpr = *dfdg::Cpr::Parse("0101901234");
    c.registered = MakeDate(2025, 11, 1);
    c.reason = reasons[rng() % reasons.size()];
    c.start = c.registered - std::chrono::days{static_cast<int>(rng() % 30)};
    c.end = *c.start + std::chrono::days{static_cast<int>(rng() % 60)};
    if (rng() % 2) c.comment = "bemærkning";
    commands.push_back(c);
  }
  size_t i = 0, accepted = 0;
  for (auto _ : state) {
    auto violations = dfdg::registry::Validate(*catalog, view, commands[i++ & 4095]);
    accepted += violations.empty();
    benchmark::DoNotOptimize(violations);
  }
  state.counters["validations/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["accepted_share"] = static_cast<double>(accepted) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ValidateAbsence);

// Only accepted-shaped commands (valid reason for KG 2 jobparat): the common path without message building.
void BM_ValidateAcceptedAbsence(benchmark::State& state) {
  auto catalog = LoadOnce();
  PersonHistory history = RealisticPerson();
  dfdg::registry::PersonView view(history, std::nullopt);
  Command c;
  c.type = CommandType::kRegisterAbsence;
  c.cpr = *dfdg::Cpr::Parse("0101901234");
  c.registered = MakeDate(2025, 11, 1);
  c.reason = 8;
  c.start = MakeDate(2025, 11, 1);
  c.end = MakeDate(2026, 3, 1);
  if (!dfdg::registry::Validate(*catalog, view, c).empty()) std::abort();
  for (auto _ : state) benchmark::DoNotOptimize(dfdg::registry::Validate(*catalog, view, c));
  state.counters["validations/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ValidateAcceptedAbsence);

}  // namespace

namespace {

// Parsing one JSON Lines command (nlohmann-json DOM + form checks): the first stage of `dfdg apply`.
void BM_ParseCommandLine(benchmark::State& state) {
  auto catalog = LoadOnce();
  const std::string line =
      R"({"command":"register_absence","cpr":"0101901234","registered_at":"2025-03-10","reason":8,)"
      R"("start":"2025-03-10","end":"2025-03-15","comment":"bulk"})";
  Date today = MakeDate(2025, 12, 31);
  for (auto _ : state) benchmark::DoNotOptimize(dfdg::registry::ParseCommandLine(*catalog, line, today));
  state.counters["lines/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseCommandLine);

}  // namespace
