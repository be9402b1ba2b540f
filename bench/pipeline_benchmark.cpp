// The stages of `securescore assess` on synthetic tenants: loading (simdjson → evidence tables
// in SQLite, derived tables included) and evaluating the embedded catalog.
#include <benchmark/benchmark.h>

#include <map>
#include <string>

#include "securescore/catalog/catalog.h"
#include "securescore/engine/evaluate.h"
#include "securescore/evidence/load.h"
#include "securescore/generate/generate.h"

namespace securescore {
namespace {

// One generated snapshot per size, shared by the benchmarks (generation is not measured here).
const std::string& Snapshot(std::int64_t users) {
  static std::map<std::int64_t, std::string> cache;  // benchmark-local memo
  auto [it, inserted] = cache.try_emplace(users);
  if (inserted) {
    generate::GenerateOptions options;
    options.users = static_cast<std::uint64_t>(users);
    it->second = generate::GenerateSnapshotString(options).value();
  }
  return it->second;
}

void BM_LoadEvidence(benchmark::State& state) {
  const std::string& json = Snapshot(state.range(0));
  for (auto _ : state) {
    auto evidence = evidence::LoadEvidenceJson(json, "synthetic");
    if (!evidence) {
      state.SkipWithError(evidence.error().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(evidence->db.get());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(json.size()) * state.iterations());
}
BENCHMARK(BM_LoadEvidence)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_EvaluateCatalog(benchmark::State& state) {
  catalog::LoadReport report;
  const catalog::Catalog catalog = catalog::LoadDefaultCatalog("", report);
  auto evidence = evidence::LoadEvidenceJson(Snapshot(state.range(0)), "synthetic");
  if (!evidence) {
    state.SkipWithError(evidence.error().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    auto evaluation = engine::Evaluate(catalog, *evidence, {});
    if (!evaluation) {
      state.SkipWithError(evaluation.error().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(evaluation->score.percentage);
  }
  state.counters["controls"] = static_cast<double>(catalog.controls.size());
}
BENCHMARK(BM_EvaluateCatalog)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace securescore

BENCHMARK_MAIN();
