// Measures the trends comparison for a fleet: CompareOverTime (one fleet-wide store query plus
// the per-day averages) over the last 90 days of TENANTS tenants evaluated daily for DAYS days.
//
//   securescore_compare_benchmark URL [TENANTS] [DAYS] [RUNS]
//
// URL is any OpenStore URL of a fresh database (the run creates tenants trend-0 …); the fleet is
// stored first (not timed), then the comparison of trend-0 is computed RUNS times.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "securescore/service/compare.h"

namespace {

using securescore::store::Day;
using securescore::store::Evaluation;
using securescore::store::Timestamp;

// Seat bands and industries spread so that every basis has peers.
constexpr std::int64_t kSeats[] = {50, 300, 800, 2500, 9000};
constexpr const char* kIndustries[] = {"Finance", "Healthcare", "Retail", "Manufacturing"};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s URL [TENANTS] [DAYS] [RUNS]\n", argv[0]);
    return 2;
  }
  const int tenants = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int days = argc > 3 ? std::atoi(argv[3]) : 90;
  const int runs = argc > 4 ? std::atoi(argv[4]) : 5;
  auto opened = securescore::store::OpenStore(argv[1]);
  if (!opened) {
    std::fprintf(stderr, "error: %s\n", opened.error().ToString().c_str());
    return 1;
  }
  securescore::store::Store& store = **opened;
  const Day today{std::chrono::days(20'422)};  // 2025-11-30
  const Day first = today - std::chrono::days(days - 1);

  const auto fill_start = std::chrono::steady_clock::now();
  for (int t = 0; t < tenants; ++t) {
    const std::string id = "trend-" + std::to_string(t);
    auto fail = [&](const securescore::Error& e) {
      std::fprintf(stderr, "error: %s\n", e.ToString().c_str());
      return 1;
    };
    if (auto s = store.UpsertTenant({id, id, kIndustries[t % 4], kSeats[t % 5]}); !s) {
      return fail(s.error());
    }
    auto ref = store.PutSnapshot(id, Timestamp(first), "snapshot of " + id);
    if (!ref) return fail(ref.error());
    for (int d = 0; d < days; ++d) {
      Evaluation e;
      e.summary.tenant_id = id;
      e.summary.snapshot_hash = ref->hash;
      e.summary.evaluated_at = Timestamp(first + std::chrono::days(d));
      e.summary.catalog_version = std::to_string(d);
      e.summary.percentage = 20 + ((t * 7) + d) % 60;
      e.summary.current = e.summary.measured = e.summary.planned = e.summary.percentage;
      e.summary.max = 100;
      if (auto inserted = store.InsertEvaluation(e); !inserted) return fail(inserted.error());
    }
  }
  const double fill = Seconds(fill_start);

  std::vector<double> query, total;
  std::size_t rows = 0;
  for (int r = 0; r < runs; ++r) {
    auto a = std::chrono::steady_clock::now();
    auto series =
        store.FleetDailySeries({Timestamp(today - std::chrono::days(89)),
                                Timestamp(today + std::chrono::days(1)) - std::chrono::seconds(1)});
    query.push_back(Seconds(a));
    if (!series) {
      std::fprintf(stderr, "error: %s\n", series.error().ToString().c_str());
      return 1;
    }
    rows = series->size();
    auto b = std::chrono::steady_clock::now();
    auto comparison = securescore::service::CompareOverTime(store, "trend-0",
                                                            today - std::chrono::days(89), today);
    total.push_back(Seconds(b));
    if (!comparison) {
      std::fprintf(stderr, "error: %s\n", comparison.error().ToString().c_str());
      return 1;
    }
  }
  std::sort(query.begin(), query.end());
  std::sort(total.begin(), total.end());
  std::printf("%s: %d tenants x %d daily evaluations (stored in %.1f s)\n",
              std::string(store.engine()).c_str(), tenants, days, fill);
  std::printf("  FleetDailySeries, last 90 days: %zu rows, median %.1f ms (min %.1f)\n", rows,
              1000 * query[query.size() / 2], 1000 * query.front());
  std::printf("  CompareOverTime, last 90 days: median %.1f ms (min %.1f) over %d runs\n",
              1000 * total[total.size() / 2], 1000 * total.front(), runs);
  return 0;
}
