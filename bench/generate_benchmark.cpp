// Snapshot generation throughput: whole snapshots into memory, and the per-user facts every
// section recomputes.
#include <benchmark/benchmark.h>

#include "securescore/generate/generate.h"
#include "securescore/generate/plan.h"

namespace securescore::generate {
namespace {

void BM_GenerateSnapshot(benchmark::State& state) {
  GenerateOptions options;
  options.users = static_cast<std::uint64_t>(state.range(0));
  std::size_t bytes = 0;
  for (auto _ : state) {
    Result<std::string> json = GenerateSnapshotString(options);
    if (!json) {
      state.SkipWithError(json.error().ToString().c_str());
      return;
    }
    bytes = json->size();
    benchmark::DoNotOptimize(json->data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
  state.counters["users/s"] = benchmark::Counter(static_cast<double>(options.users),
                                                 benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_GenerateSnapshot)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond);

void BM_DescribeUser(benchmark::State& state) {
  GenerateOptions options;
  options.users = 1'000'000;
  const TenantPlan plan = MakePlan(options);
  std::uint64_t i = 0;
  for (auto _ : state) {
    UserFacts user = DescribeUser(plan, i++ % plan.users);
    benchmark::DoNotOptimize(user);
  }
}
BENCHMARK(BM_DescribeUser);

}  // namespace
}  // namespace securescore::generate

BENCHMARK_MAIN();
