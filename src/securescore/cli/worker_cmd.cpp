// `securescore worker [--once] [--id NAME] [--lease SECONDS]`: run queued evaluation jobs. Jobs
// are claimed with the store's ClaimJob (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL), so any
// number of workers on any number of machines split a fleet without a coordinator. A claim is a
// lease that a second thread renews while the job runs: when a worker dies, its job is claimed
// again by another worker once the lease runs out. SIGTERM/SIGINT stop the worker after the
// current job; a second one gives the job back to the queue and exits at once.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/report.h"
#include "securescore/cli/store_common.h"
#include "securescore/service/ingest.h"

namespace securescore::cli {
namespace {

struct WorkerArgs {
  bool once = false;
  std::string id;
  double poll_seconds = 2;
  int lease_seconds = 60;
  std::string catalog_dir;
};

std::string DefaultWorkerId() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "localhost");
  return fmt::format("{}:{}", host, getpid());
}

// What the job loop, the lease keeper and the signal thread share.
struct WorkerState {
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;                // a signal asked the worker to stop after this job
  bool exiting = false;                 // the job loop ended: the helper threads end too
  std::optional<std::int64_t> current;  // the job being run
};

// The helpers' own store connection (a Store is one connection, and the job loop's is busy
// running the job), shared by the lease keeper and the signal thread.
struct SideStore {
  std::mutex mu;
  std::unique_ptr<store::Store> store;
};

// Renews the lease of the current job every third of its length, so that a slow job is never
// taken over while its worker is alive.
void KeepLeases(WorkerState& state, SideStore& side, const std::string& id,
                std::chrono::seconds lease) {
  const auto every = std::chrono::duration_cast<std::chrono::milliseconds>(lease) / 3;
  std::unique_lock<std::mutex> lock(state.mu);
  while (!state.exiting) {
    state.cv.wait_for(lock, every, [&] { return state.exiting; });
    if (state.exiting || !state.current) continue;
    const std::int64_t job = *state.current;
    lock.unlock();
    Status renewed;
    {
      std::lock_guard<std::mutex> store_lock(side.mu);
      renewed = side.store->RenewJobLease(job, id, Now(), lease);
    }
    if (!renewed) {
      // Lost (the lease ran out, e.g. the machine was suspended) or the database is away: the
      // job goes on; its result is stored once whoever finishes first, and CompleteJob says so.
      std::cerr << fmt::format("securescore: warning: job {}: lease not renewed: {}\n", job,
                               renewed.error().ToString());
    }
    lock.lock();
  }
}

// Takes SIGINT/SIGTERM (blocked in every thread, so no handler runs in signal context). The
// first asks the job loop to stop after the current job; the second releases that job to the
// queue and exits at once, which is as safe as a crash: a job's writes are one transaction.
void TakeSignals(WorkerState& state, SideStore& side, const sigset_t& signals,
                 const std::string& id) {
  int received = 0;
  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    std::unique_lock<std::mutex> lock(state.mu);
    if (state.exiting) return;         // woken by the job loop, which is done
    if (sig == kWakeSignal) continue;  // not a request to stop
    if (++received == 1) {
      state.stopping = true;
      state.cv.notify_all();
      std::cerr << fmt::format("worker {}: stopping after the current job ({} again to stop now)\n",
                               id, sig == SIGINT ? "Ctrl-C" : "signal");
      continue;
    }
    const std::optional<std::int64_t> job = state.current;
    lock.unlock();
    if (job) {
      std::lock_guard<std::mutex> store_lock(side.mu);
      Status released = side.store->ReleaseJob(*job, id);
      std::cerr << (released ? fmt::format("worker {}: job {} released to the queue\n", id, *job)
                             : fmt::format("worker {}: job {} not released ({}); it is taken "
                                           "over when its lease runs out\n",
                                           id, *job, released.error().ToString()));
    }
    std::cerr << std::flush;
    std::_Exit(kExitOk);
  }
}

// A job finished or failed after its lease was lost: another worker owns it now.
bool TakenOver(const Status& s) { return !s && s.error().code == ErrorCode::kConflict; }

int RunJobs(store::Store& store, const catalog::Catalog& catalog, const WorkerArgs& args,
            const std::string& id, WorkerState& state) {
  const std::chrono::seconds lease(args.lease_seconds);
  int done = 0, failed = 0;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(state.mu);
      if (state.stopping) break;
    }
    Result<std::optional<store::Job>> job = store.ClaimJob(id, Now(), lease);
    if (!job) return ReportError(job.error(), std::cerr);
    if (!*job) {
      if (args.once) break;
      std::unique_lock<std::mutex> lock(state.mu);
      state.cv.wait_for(lock, std::chrono::duration<double>(args.poll_seconds),
                        [&] { return state.stopping; });
      continue;
    }
    const store::Job& j = **job;
    {
      std::lock_guard<std::mutex> lock(state.mu);
      state.current = j.id;
    }
    Result<service::IngestResult> r = service::RunJob(store, catalog, j, Now());
    {
      std::lock_guard<std::mutex> lock(state.mu);
      state.current.reset();
    }
    if (r) {
      Status completed = store.CompleteJob(j.id, Now());
      if (TakenOver(completed)) {
        std::cerr << fmt::format(
            "securescore: warning: job {} was taken over by another worker "
            "after its lease ran out; its result is stored once\n",
            j.id);
      } else if (!completed) {
        return ReportError(completed.error(), std::cerr);
      }
      ++done;
      std::cout << fmt::format("job {}: {} evaluation {} of {}: {} %\n", j.id,
                               r->evaluation_inserted ? "stored" : "already stored",
                               r->evaluation_id, r->tenant_id, Fixed2(r->summary.percentage))
                << std::flush;
      continue;
    }
    ++failed;
    std::cerr << fmt::format("securescore: error: job {} ({}): {}\n", j.id, j.tenant_id,
                             r.error().ToString());
    Status recorded = store.FailJob(j.id, r.error().ToString(), Now());
    if (!recorded && !TakenOver(recorded)) return ReportError(recorded.error(), std::cerr);
    // A store that went away fails every job the same way: stop and let a rerun continue.
    if (r.error().code == ErrorCode::kUnavailable) return kExitFailure;
  }
  bool stopped = false;
  {
    std::lock_guard<std::mutex> lock(state.mu);
    stopped = state.stopping;
  }
  std::cerr << fmt::format("worker {}: {} job(s) done, {} failed{}\n", id, done, failed,
                           stopped ? "; stopped by a signal" : "");
  // Stopped on request, the worker did what it was asked: a failed job is in the store's
  // records already. Draining with --once, the exit status tells a script whether all went well.
  return failed > 0 && !stopped ? kExitFailure : kExitOk;
}

int RunWorker(const CLI::App& cmd, const WorkerArgs& args) {
  // Before any thread starts, so that only TakeSignals sees them.
  const sigset_t signals = BlockStopSignals();
  std::optional<catalog::Catalog> catalog = LoadCatalogForRun(args.catalog_dir, std::cerr);
  if (!catalog) return kExitBadInput;
  Result<std::unique_ptr<store::Store>> store = OpenStoreForRun(cmd);
  if (!store) return ReportError(store.error(), std::cerr);
  SideStore side;
  Result<std::unique_ptr<store::Store>> side_store = OpenStoreForRun(cmd);
  if (!side_store) return ReportError(side_store.error(), std::cerr);
  side.store = std::move(*side_store);
  const std::string id = args.id.empty() ? DefaultWorkerId() : args.id;

  WorkerState state;
  std::thread keeper(
      [&] { KeepLeases(state, side, id, std::chrono::seconds(args.lease_seconds)); });
  std::thread signal_taker([&] { TakeSignals(state, side, signals, id); });
  // Printed once signals are handled: from here on SIGTERM stops the worker cleanly.
  std::cerr << fmt::format("worker {}: running jobs (lease {} s)\n", id, args.lease_seconds)
            << std::flush;
  const int code = RunJobs(**store, *catalog, args, id, state);
  {
    std::lock_guard<std::mutex> lock(state.mu);
    state.exiting = true;
    state.cv.notify_all();
  }
  keeper.join();
  pthread_kill(signal_taker.native_handle(), kWakeSignal);  // sigwait returns, sees `exiting`
  signal_taker.join();
  return code;
}

}  // namespace

void RegisterWorkerCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<WorkerArgs>();
  CLI::App* cmd = AddStoreCommand(app, "worker", "Run queued evaluation jobs (see ingest --queue)");
  cmd->add_flag("--once", args->once, "Exit when the queue is empty instead of waiting for more");
  cmd->add_option("--id", args->id, "Worker name recorded on claimed jobs (default: host:pid)");
  cmd->add_option("--poll", args->poll_seconds, "Seconds between polls of an empty queue")
      ->check(CLI::Range(0.05, 3600.0));
  cmd->add_option("--lease", args->lease_seconds,
                  "Seconds a claimed job stays this worker's without a heartbeat (renewed every "
                  "third of it); another worker takes the job over after that")
      ->capture_default_str()
      ->check(CLI::Range(3, 86400));
  cmd->add_option("--catalog", args->catalog_dir, "Directory of extra control YAML files");
  cmd->callback([cmd, args, exit_code] { *exit_code = RunWorker(*cmd, *args); });
}

}  // namespace securescore::cli
