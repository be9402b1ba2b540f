// `securescore worker [--once] [--id NAME]`: run queued evaluation jobs. Jobs are claimed with
// the store's ClaimJob (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL), so any number of
// workers on any number of machines split a fleet without a coordinator.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <memory>
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
  std::string catalog_dir;
};

std::string DefaultWorkerId() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "localhost");
  return fmt::format("{}:{}", host, getpid());
}

int RunWorker(store::Store& store, const WorkerArgs& args) {
  std::optional<catalog::Catalog> catalog = LoadCatalogForRun(args.catalog_dir, std::cerr);
  if (!catalog) return kExitBadInput;
  const std::string id = args.id.empty() ? DefaultWorkerId() : args.id;
  int done = 0, failed = 0;
  for (;;) {
    Result<std::optional<store::Job>> job = store.ClaimJob(id, Now());
    if (!job) return ReportError(job.error(), std::cerr);
    if (!*job) {
      if (args.once) break;
      std::this_thread::sleep_for(std::chrono::duration<double>(args.poll_seconds));
      continue;
    }
    const store::Job& j = **job;
    Result<service::IngestResult> r = service::RunJob(store, *catalog, j, Now());
    if (r) {
      if (Status s = store.CompleteJob(j.id, Now()); !s) return ReportError(s.error(), std::cerr);
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
    if (Status s = store.FailJob(j.id, r.error().ToString(), Now()); !s) {
      return ReportError(s.error(), std::cerr);
    }
    // A store that went away fails every job the same way: stop and let a rerun continue.
    if (r.error().code == ErrorCode::kUnavailable) return kExitFailure;
  }
  std::cerr << fmt::format("worker {}: {} job(s) done, {} failed\n", id, done, failed);
  return failed > 0 ? kExitFailure : kExitOk;
}

}  // namespace

void RegisterWorkerCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<WorkerArgs>();
  CLI::App* cmd = AddStoreCommand(app, "worker", "Run queued evaluation jobs (see ingest --queue)");
  cmd->add_flag("--once", args->once, "Exit when the queue is empty instead of waiting for more");
  cmd->add_option("--id", args->id, "Worker name recorded on claimed jobs (default: host:pid)");
  cmd->add_option("--poll", args->poll_seconds, "Seconds between polls of an empty queue")
      ->check(CLI::Range(0.05, 3600.0));
  cmd->add_option("--catalog", args->catalog_dir, "Directory of extra control YAML files");
  cmd->callback([cmd, args, exit_code] {
    *exit_code = WithStore(*cmd, std::cerr, [&](store::Store& s) { return RunWorker(s, *args); });
  });
}

}  // namespace securescore::cli
