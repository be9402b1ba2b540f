// `securescore ingest FILE…`: load, evaluate and store snapshots in parallel — one worker
// thread per core, each with its own store connection — reporting every stored evaluation as
// soon as its transaction committed (so a line printed is an evaluation kept, whatever happens
// next). `--queue` keeps the snapshots and queues their evaluation for `securescore worker`.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "securescore/catalog/json_writer.h"
#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/report.h"
#include "securescore/cli/store_common.h"
#include "securescore/service/ingest.h"

namespace securescore::cli {
namespace {

struct IngestArgs {
  std::vector<std::string> files;
  std::string tenant;
  unsigned jobs = 0;  // 0: one per core
  bool queue = false;
  std::string catalog_dir;
  std::string format = "table";
};

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::kInvalidInput, "cannot open the file", path};
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return Error{ErrorCode::kIo, "cannot read the file", path};
  return std::move(out).str();
}

// What the workers share: the next file to take, the tallies, and the output, written under one
// lock so lines never interleave.
class Progress {
 public:
  Progress(const IngestArgs& args, size_t total)
      : args_(args), total_(total), bar_(isatty(STDERR_FILENO) == 1) {}

  // A store failure (not a bad file) stops every worker: the next files would fail the same way.
  bool stopped() const { return stop_.load(); }
  std::optional<size_t> Next() {
    if (stopped()) return std::nullopt;
    size_t i = next_.fetch_add(1);
    return i < total_ ? std::optional(i) : std::nullopt;
  }

  void Stored(const std::string& file, const service::IngestResult& r) {
    std::lock_guard lock(mu_);
    (r.evaluation_inserted ? stored_ : unchanged_)++;
    if (args_.format == "json") {
      catalog::JsonWriter w;
      w.BeginObject().Key("file").String(file);
      w.Key("status").String(r.evaluation_inserted ? "stored" : "unchanged");
      w.Key("tenant").String(r.tenant_id).Key("evaluationId").Int(r.evaluation_id);
      w.Key("snapshotHash").String(r.snapshot_hash);
      w.Key("current").Number(r.summary.current).Key("max").Number(r.summary.max);
      w.Key("percentage").Number(r.summary.percentage).EndObject();
      Line(w.str());
    } else {
      Line(fmt::format("{} evaluation {} of {}: {} % ({})",
                       r.evaluation_inserted ? "stored" : "already stored", r.evaluation_id,
                       r.tenant_id, Fixed2(r.summary.percentage), file));
    }
    for (const std::string& w : r.warnings) Warn(file, w);
  }

  void Queued(const std::string& file, const service::QueuedSnapshot& q) {
    std::lock_guard lock(mu_);
    ++stored_;
    if (args_.format == "json") {
      catalog::JsonWriter w;
      w.BeginObject().Key("file").String(file).Key("status").String("queued");
      w.Key("tenant").String(q.tenant_id).Key("jobId").Int(q.job_id);
      w.Key("snapshotHash").String(q.snapshot_hash).EndObject();
      Line(w.str());
    } else {
      Line(fmt::format("queued job {} for {} ({})", q.job_id, q.tenant_id, file));
    }
  }

  // Returns the exit code this failure calls for.
  int Failed(const std::string& file, const Error& e) {
    std::lock_guard lock(mu_);
    ++failed_;
    std::ostringstream message;
    Error located = e;
    if (located.where.empty()) located.where = file;
    int code = ReportError(located, message);
    if (code != kExitBadInput) stop_ = true;
    ClearBar();
    std::cerr << message.str();
    DrawBar();
    worst_ = std::max(worst_, code == kExitBadInput ? 1 : 2);
    return code;
  }

  void Done() {
    std::lock_guard lock(mu_);
    ClearBar();
    bar_ = false;
  }

  // Exit status: 1 when the store failed (a rerun finishes the job), 2 when only input was bad.
  int ExitCode() const {
    return worst_ == 2 ? kExitFailure : worst_ == 1 ? kExitBadInput : kExitOk;
  }

  std::string Summary(double seconds) const {
    const size_t done = stored_ + unchanged_ + failed_;
    return fmt::format(
        "ingest: {} of {} files in {:.1f} s ({:.1f}/s): {} {}, {} already stored, {} failed{}",
        done, total_, seconds, seconds > 0 ? done / seconds : 0.0, stored_,
        args_.queue ? "queued" : "stored", unchanged_, failed_,
        stopped() ? " — stopped at the first store error; rerun to finish" : "");
  }

 private:
  void Line(const std::string& text) {
    ClearBar();
    std::cout << text << "\n";
    std::cout.flush();  // a printed line is a promise: make it visible at once
    DrawBar();
  }
  void Warn(const std::string& file, const std::string& text) {
    ClearBar();
    std::cerr << "securescore: warning: " << file << ": " << text << "\n";
    DrawBar();
  }
  void ClearBar() {
    if (bar_) std::cerr << "\r\033[K";
  }
  void DrawBar() {
    if (!bar_) return;
    const size_t done = stored_ + unchanged_ + failed_;
    constexpr size_t kWidth = 30;
    const size_t filled = total_ == 0 ? kWidth : done * kWidth / total_;
    std::cerr << "[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] "
              << done << "/" << total_ << std::flush;
  }

  const IngestArgs& args_;
  const size_t total_;
  bool bar_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  size_t stored_ = 0, unchanged_ = 0, failed_ = 0;
  int worst_ = 0;
};

void Work(store::Store& store, const catalog::Catalog& catalog, const IngestArgs& args,
          Progress& progress) {
  const service::IngestOptions options{args.tenant};
  while (std::optional<size_t> i = progress.Next()) {
    const std::string& file = args.files[*i];
    Result<std::string> bytes = ReadFile(file);
    if (!bytes) {
      progress.Failed(file, bytes.error());
      continue;
    }
    if (args.queue) {
      Result<service::QueuedSnapshot> q =
          service::EnqueueSnapshot(store, *bytes, file, options, Now());
      if (q) {
        progress.Queued(file, *q);
      } else {
        progress.Failed(file, q.error());
      }
      continue;
    }
    Result<service::IngestResult> r = service::Ingest(store, catalog, *bytes, file, options, Now());
    if (r) {
      progress.Stored(file, *r);
    } else {
      progress.Failed(file, r.error());
    }
  }
}

int RunIngest(const CLI::App& cmd, const IngestArgs& args) {
  std::optional<catalog::Catalog> catalog = LoadCatalogForRun(args.catalog_dir, std::cerr);
  if (!catalog) return kExitBadInput;
  // The first connection migrates the database before the others open it.
  Result<std::unique_ptr<store::Store>> first = OpenStoreForRun(cmd);
  if (!first) return ReportError(first.error(), std::cerr);
  unsigned jobs = args.jobs > 0 ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<size_t>(jobs, args.files.size()));
  std::vector<std::unique_ptr<store::Store>> stores;
  stores.push_back(std::move(*first));
  for (unsigned i = 1; i < jobs; ++i) {
    Result<std::unique_ptr<store::Store>> s = OpenStoreForRun(cmd);
    if (!s) return ReportError(s.error(), std::cerr);
    stores.push_back(std::move(*s));
  }
  const auto start = std::chrono::steady_clock::now();
  Progress progress(args, args.files.size());
  {
    std::vector<std::jthread> workers;
    workers.reserve(stores.size());
    for (auto& s : stores) {
      workers.emplace_back([&, store = s.get()] { Work(*store, *catalog, args, progress); });
    }
  }
  progress.Done();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  std::cerr << progress.Summary(elapsed.count()) << "\n";
  return progress.ExitCode();
}

}  // namespace

void RegisterIngestCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* cmd = AddStoreCommand(
      app, "ingest", "Evaluate snapshots and store them (in parallel; tenants created as needed)");
  cmd->add_option("FILE", args->files, "Snapshot JSON or ScubaGear export; several allowed")
      ->required();
  cmd->add_option("--tenant", args->tenant,
                  "Store under this tenant instead of the one the snapshot names");
  cmd->add_option("--jobs,-j", args->jobs, "Worker threads (default: one per core)");
  cmd->add_flag("--queue", args->queue,
                "Keep the snapshots and queue their evaluation for `securescore worker`");
  cmd->add_option("--catalog", args->catalog_dir,
                  "Directory of control YAML files added to (and overriding) the built-in catalog");
  cmd->add_option("--format", args->format,
                  "table (default: one line per file) or json (one JSON object per line)")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->callback([cmd, args, exit_code] { *exit_code = RunIngest(*cmd, *args); });
}

}  // namespace securescore::cli
