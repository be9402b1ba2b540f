// Measures what fleet ingest costs the store: putting snapshots and inserting evaluations the
// size of a 2,000-user tenant's, on either engine.
//
//   securescore_store_benchmark URL [EVALUATIONS] [WRITERS]
//
// URL is any OpenStore URL (use a fresh database: the run creates tenants bench-0 …). Each
// evaluation has 80 controls, 10 of them with 300 failing users, like a 2,000-user tenant.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "securescore/store/store.h"

namespace {

using securescore::store::ControlResult;
using securescore::store::Evaluation;
using securescore::store::Store;
using securescore::store::Timestamp;

constexpr int kControls = 80;
constexpr int kControlsWithFailures = 10;
constexpr int kFailingPerControl = 300;
constexpr std::size_t kSnapshotBytes = 1 << 20;  // ~ a 2,000-user snapshot

Evaluation MakeEvaluation(const std::string& tenant, const std::string& hash, Timestamp at) {
  Evaluation e;
  e.summary = {0, tenant, hash, at, "bench", 61.5, 100, 61.5, 60, 70};
  for (std::string_view name : securescore::core::kCategories) {
    e.categories.push_back({std::string(name), 12.3, 20, 61.5});
  }
  e.coverage = {kControls, 0, 0, 0};
  for (int c = 0; c < kControls; ++c) {
    ControlResult r;
    r.id = "Control" + std::to_string(c);
    r.title = "A control title of ordinary length for " + r.id;
    r.category = std::string(securescore::core::kCategories[c % 5]);
    r.service = "AzureAD";
    r.points = c % 3;
    r.measured_points = r.points;
    r.max = 3;
    r.count = 1700;
    r.total = 2000;
    r.evidence_level = "entity";
    if (c < kControlsWithFailures) {
      for (int u = 0; u < kFailingPerControl; ++u) {
        r.failing.push_back({"user" + std::to_string(u) + "@" + tenant + ".example",
                             "User " + std::to_string(u), "no MFA method registered"});
      }
    }
    e.controls.push_back(std::move(r));
  }
  return e;
}

std::string MakeSnapshot(int tenant) {
  std::string s = R"({"schema":"securescore.snapshot/1","tenant":{"id":")" +
                  std::to_string(tenant) + R"("},"sources":{"graph":{"users":[)";
  for (int u = 0; s.size() < kSnapshotBytes; ++u) {
    s += R"({"id":")" + std::to_string(tenant * 100000 + u) + R"(","userPrincipalName":"user)" +
         std::to_string(u) + R"(@contoso.example","accountEnabled":true,"userType":"Member"},)";
  }
  s += "{}]}}}";
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s URL [EVALUATIONS] [WRITERS]\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const int evaluations = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int writers = argc > 3 ? std::atoi(argv[3]) : 1;
  const Timestamp now{std::chrono::seconds(1'795'996'800)};

  // Snapshots and evaluations are prepared up front: only the store is timed.
  std::vector<std::string> snapshots;
  snapshots.reserve(evaluations);
  for (int t = 0; t < evaluations; ++t) snapshots.push_back(MakeSnapshot(t));
  std::vector<std::string> failures(writers);
  std::vector<double> snapshot_seconds(writers), evaluation_seconds(writers);

  auto wall_start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  threads.reserve(writers);
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      auto opened = securescore::store::OpenStore(url);
      if (!opened) {
        failures[w] = opened.error().ToString();
        return;
      }
      Store& store = **opened;
      for (int t = w; t < evaluations; t += writers) {
        const std::string tenant = "bench-" + std::to_string(t);
        Evaluation e = MakeEvaluation(tenant, "", now);
        auto a = std::chrono::steady_clock::now();
        if (auto s = store.UpsertTenant({tenant, tenant, "Finance", 2000}); !s) {
          failures[w] = s.error().ToString();
          return;
        }
        auto ref = store.PutSnapshot(tenant, now, snapshots[t]);
        if (!ref) {
          failures[w] = ref.error().ToString();
          return;
        }
        auto b = std::chrono::steady_clock::now();
        e.summary.snapshot_hash = ref->hash;
        auto inserted = store.InsertEvaluation(e);
        if (!inserted) {
          failures[w] = inserted.error().ToString();
          return;
        }
        auto c = std::chrono::steady_clock::now();
        snapshot_seconds[w] += std::chrono::duration<double>(b - a).count();
        evaluation_seconds[w] += std::chrono::duration<double>(c - b).count();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  for (const std::string& f : failures) {
    if (!f.empty()) {
      std::fprintf(stderr, "error: %s\n", f.c_str());
      return 1;
    }
  }
  double snap = 0, eval = 0;
  for (int w = 0; w < writers; ++w) {
    snap += snapshot_seconds[w];
    eval += evaluation_seconds[w];
  }
  std::printf(
      "%d tenants x (1 MiB snapshot + evaluation of %d controls, %d failing entities), "
      "%d writer(s)\n",
      evaluations, kControls, kControlsWithFailures * kFailingPerControl, writers);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  std::printf("  process CPU %.2f s (including building the inputs)\n", cpu);
  std::printf("  wall %.2f s; per writer: snapshots %.2f s, evaluations %.2f s (%.2f ms each)\n",
              wall, snap / writers, eval / writers, 1000 * eval / evaluations);
  return 0;
}
