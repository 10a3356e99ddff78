// Catalogue lookups: (reason, contact group, visitation, date) → allowed? lifted obligations? date rule?
// Run with `make bench`. Reports lookups per second; the target is constant time per lookup.
#include <benchmark/benchmark.h>

#include <random>

#include "catalog/catalog.h"
#include "catalog/date_rules.h"

namespace {

std::shared_ptr<const dfdg::catalog::Catalog> LoadOnce() {
  static auto catalog = [] {
    auto loaded = dfdg::catalog::Catalog::Load(DFDG_SOURCE_DIR "/catalog");
    if (!loaded.ok()) {
      fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
      std::abort();
    }
    return *loaded;
  }();
  return catalog;
}

struct Query {
  int reason;
  int group;
  const std::string* visitation;
  dfdg::Date date;
};

std::vector<Query> MakeQueries(const dfdg::catalog::Catalog& catalog, size_t n) {
  static const std::string kVisitation[] = {"jobparat", "aktivitetsparat", "aabenlyst_uddannelsesparat"};
  std::mt19937 rng(42);
  std::vector<int> reasons;
  for (const auto& a : catalog.model().absences) reasons.push_back(a.id);
  std::vector<Query> out;
  for (size_t i = 0; i < n; ++i) {
    int r = reasons[rng() % reasons.size()];
    int g = 1 + static_cast<int>(rng() % 29);
    const std::string* v = (rng() % 2) ? &kVisitation[rng() % 3] : nullptr;
    dfdg::Date d = dfdg::MakeDate(2015, 1, 1) + std::chrono::days{static_cast<int>(rng() % 4000)};
    out.push_back({r, g, v, d});
  }
  return out;
}

void BM_Lookup(benchmark::State& state) {
  auto catalog = LoadOnce();
  auto queries = MakeQueries(*catalog, 1 << 16);
  size_t i = 0;
  size_t allowed = 0;
  for (auto _ : state) {
    const Query& q = queries[i++ & (queries.size() - 1)];
    auto r = catalog->Lookup(q.reason, q.group, q.visitation, q.date);
    allowed += r.allowed();
    benchmark::DoNotOptimize(r);
  }
  state.counters["lookups/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["allowed_share"] = static_cast<double>(allowed) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Lookup);

// Lookup plus the date-rule check: the catalogue part of validating one absence registration.
void BM_LookupAndCheckDates(benchmark::State& state) {
  auto catalog = LoadOnce();
  auto queries = MakeQueries(*catalog, 1 << 16);
  size_t i = 0;
  for (auto _ : state) {
    const Query& q = queries[i++ & (queries.size() - 1)];
    auto r = catalog->Lookup(q.reason, q.group, q.visitation, q.date);
    if (r.date_rule) {
      dfdg::catalog::DatedRegistration reg{
          q.date, q.date - std::chrono::days{3}, q.date + std::chrono::days{20}, std::nullopt, true, std::nullopt};
      benchmark::DoNotOptimize(dfdg::catalog::CheckDateRule(*r.date_rule, reg));
    }
  }
  state.counters["checks/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LookupAndCheckDates);

// Lookup time must not grow with the number of reasons consulted: compare one hot reason vs all reasons.
void BM_LookupSingleReason(benchmark::State& state) {
  auto catalog = LoadOnce();
  dfdg::Date d = dfdg::MakeDate(2025, 8, 1);
  for (auto _ : state) benchmark::DoNotOptimize(catalog->Lookup(8, 2, nullptr, d));
}
BENCHMARK(BM_LookupSingleReason);

void BM_LoadCatalogue(benchmark::State& state) {
  for (auto _ : state) {
    auto loaded = dfdg::catalog::Catalog::Load(DFDG_SOURCE_DIR "/catalog");
    benchmark::DoNotOptimize(loaded);
  }
}
BENCHMARK(BM_LoadCatalogue)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
