#include "securescore/engine/evaluate.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

namespace securescore::engine {
namespace {

std::string ColumnText(sqlite3_stmt* stmt, int i) {
  const unsigned char* text = sqlite3_column_text(stmt, i);
  return text ? reinterpret_cast<const char*>(text) : std::string();
}

Error QueryError(std::string message) { return Error{ErrorCode::kQuery, std::move(message), ""}; }

// Finalizes the statement however the function returns.
struct StatementGuard {
  sqlite3_stmt* stmt = nullptr;
  ~StatementGuard() { sqlite3_finalize(stmt); }
};

// Runs one alternative's query and sorts its rows into `out`. Returns SQLite's message (or a
// contract violation) on failure.
Status RunQuery(sqlite3* db, const catalog::EvidenceAlternative& alt,
                const std::set<std::string>* excepted, bool keep_passing, ControlEvaluation& out) {
  StatementGuard guard;
  if (sqlite3_prepare_v2(db, alt.sql.c_str(), static_cast<int>(alt.sql.size()), &guard.stmt,
                         nullptr) != SQLITE_OK) {
    return QueryError(sqlite3_errmsg(db));
  }
  if (guard.stmt == nullptr) return QueryError("the query is empty");
  // The evidence is the snapshot as collected; a control may only read it.
  if (!sqlite3_stmt_readonly(guard.stmt)) {
    return QueryError("the query is not read-only");
  }
  if (sqlite3_column_count(guard.stmt) != 5) {
    return QueryError(
        fmt::format("the query returns {} columns; the contract is 5 (entity_id, "
                    "entity_name, entity_type, compliant, reason)",
                    sqlite3_column_count(guard.stmt)));
  }
  int rc;
  std::int64_t row = 0;
  while ((rc = sqlite3_step(guard.stmt)) == SQLITE_ROW) {
    ++row;
    // `compliant` must be exactly 0 or 1: a NULL from an outer join or a stray value is a
    // bug in the control, reported rather than silently counted as failing.
    bool is_int = sqlite3_column_type(guard.stmt, 3) == SQLITE_INTEGER;
    std::int64_t compliant = sqlite3_column_int64(guard.stmt, 3);
    if (!is_int || (compliant != 0 && compliant != 1)) {
      std::string got = is_int ? std::to_string(compliant) : "'" + ColumnText(guard.stmt, 3) + "'";
      return QueryError(fmt::format("row {} (entity '{}'): compliant is {}; expected 0 or 1", row,
                                    ColumnText(guard.stmt, 0), got));
    }
    // A compliant entity is counted, not copied, unless it is kept or may be excepted: on a large
    // tenant most rows pass, and copying their text would dominate the engine's own time.
    if (compliant == 1 && !keep_passing && excepted == nullptr) {
      ++out.passing;
      continue;
    }
    Finding f{ColumnText(guard.stmt, 0), ColumnText(guard.stmt, 1), ColumnText(guard.stmt, 2),
              compliant == 1, ColumnText(guard.stmt, 4)};
    if (excepted != nullptr && excepted->count(f.entity_id) > 0) {
      out.excepted.push_back(std::move(f));
    } else if (f.compliant) {
      ++out.passing;
      if (keep_passing) out.passing_entities.push_back(std::move(f));
    } else {
      out.failing.push_back(std::move(f));
    }
  }
  if (rc != SQLITE_DONE) return QueryError(sqlite3_errmsg(db));
  return OkStatus();
}

// The first alternative whose required tables were all collected, or nullptr (with every
// alternative's missing tables in `missing`).
const catalog::EvidenceAlternative* ChooseAlternative(const catalog::Control& control,
                                                      const evidence::EvidenceDb& db,
                                                      std::vector<std::string>& missing) {
  for (const auto& alt : control.evidence) {
    bool all = true;
    for (const auto& table : alt.required_tables) {
      if (!db.Collected(table)) {
        all = false;
        if (std::find(missing.begin(), missing.end(), table) == missing.end()) {
          missing.push_back(table);
        }
      }
    }
    if (all) {
      missing.clear();
      return &alt;
    }
  }
  return nullptr;
}

void ApplyState(const std::string& id, const evidence::LoadedEvidence& evidence,
                const EvaluateOptions& options, ControlEvaluation& ce) {
  if (auto it = options.states.find(id); it != options.states.end()) {
    ce.state = it->second;
    ce.state_source = StateSource::kOption;
    return;
  }
  // A later attestation for the same control replaces an earlier one.
  for (const auto& a : evidence.attestations) {
    if (a.control != id) continue;
    if (auto state = core::ParseControlState(a.state)) {
      ce.state = *state;
      ce.state_source = StateSource::kAttestation;
      ce.state_by = a.by;
      ce.state_comment = a.comment;
    }
  }
}

// What one control needs from its query, decided before any query runs.
struct QueryJob {
  size_t control = 0;  // index into Evaluation::controls
  const catalog::EvidenceAlternative* alt = nullptr;
  const std::set<std::string>* excepted = nullptr;
  bool keep_passing = false;
};

void RunJob(sqlite3* db, const QueryJob& job, ControlEvaluation& ce) {
  Status run = RunQuery(db, *job.alt, job.excepted, job.keep_passing, ce);
  if (!run.ok()) {
    ce.outcome = core::Outcome::kError;
    ce.error = run.error().message;
    ce.passing = 0;
    ce.failing.clear();
    ce.passing_entities.clear();
    ce.excepted.clear();
  }
}

// Runs the jobs on `threads` threads, the calling one with the evidence's own connection and
// each other with a connection of its own; a thread takes the next job when it is done with
// one. Every job writes only its own control, so the result does not depend on the order.
void RunJobs(const evidence::EvidenceDb& evidence, const std::vector<QueryJob>& jobs,
             unsigned threads, std::vector<ControlEvaluation>& controls) {
  std::atomic<size_t> next{0};
  auto work = [&](sqlite3* db) {
    for (size_t i; (i = next.fetch_add(1)) < jobs.size();) {
      RunJob(db, jobs[i], controls[jobs[i].control]);
    }
  };
  std::vector<std::shared_ptr<sqlite3>> readers;
  for (unsigned t = 1; t < threads && t < jobs.size(); ++t) {
    // Without a second connection the calling thread simply does all the work.
    if (auto reader = evidence.OpenReader()) readers.push_back(std::move(*reader));
  }
  std::vector<std::thread> workers;
  workers.reserve(readers.size());
  for (const auto& reader : readers) workers.emplace_back(work, reader.get());
  work(evidence.handle());
  for (std::thread& worker : workers) worker.join();
}

}  // namespace

Result<Evaluation> Evaluate(const catalog::Catalog& catalog, evidence::LoadedEvidence& evidence,
                            const EvaluateOptions& options) {
  if (!evidence.db)
    return Error{ErrorCode::kInternal, "evaluation without an evidence database", ""};
  Evaluation ev;
  ev.tenant = evidence.tenant;
  ev.collected_at = evidence.collected_at;
  ev.catalog_version = catalog.version;

  std::vector<QueryJob> jobs;
  for (const auto& control : catalog.controls) {
    if (!options.only.empty() && options.only.count(control.id) == 0) continue;
    ControlEvaluation ce;
    ce.control = &control;
    const catalog::EvidenceAlternative* alt =
        ChooseAlternative(control, *evidence.db, ce.missing_tables);
    if (alt == nullptr) {
      ce.outcome = core::Outcome::kNoData;
    } else {
      ce.level = alt->level;
      ce.note = alt->note;
      auto excepted = options.exceptions.find(control.id);
      jobs.push_back(
          {.control = ev.controls.size(),
           .alt = alt,
           .excepted = excepted == options.exceptions.end() ? nullptr : &excepted->second,
           .keep_passing = options.keep_passing_of == control.id});
    }
    ApplyState(control.id, evidence, options, ce);
    ev.controls.push_back(std::move(ce));
  }
  RunJobs(*evidence.db, jobs, std::max(options.threads, 1u), ev.controls);

  std::vector<core::ControlInput> inputs;
  inputs.reserve(ev.controls.size());
  for (const ControlEvaluation& ce : ev.controls) {
    const catalog::Control& control = *ce.control;
    core::ControlInput in{.id = control.id,
                          .category = control.category,
                          .max_points = control.max_points,
                          .kind = control.scoring,
                          .when_empty = control.when_empty};
    in.outcome = ce.outcome;
    if (ce.outcome == core::Outcome::kEvaluated) {
      in.count = ce.passing;
      in.total = ce.passing + static_cast<std::int64_t>(ce.failing.size());
    }
    in.state = ce.state;
    inputs.push_back(std::move(in));
  }

  for (const auto& a : evidence.attestations) {
    if (catalog.Find(a.control) == nullptr) {
      ev.warnings.push_back(
          fmt::format("attestation for '{}': no such control in the catalog", a.control));
    } else if (!core::ParseControlState(a.state)) {
      ev.warnings.push_back(
          fmt::format("attestation for '{}': unknown state '{}'", a.control, a.state));
    }
  }
  for (const auto& [id, entities] : options.exceptions) {
    if (catalog.Find(id) == nullptr) {
      ev.warnings.push_back(fmt::format("exception for '{}': no such control", id));
    }
  }

  ev.score = core::ScoreTenant(inputs);
  return ev;
}

}  // namespace securescore::engine
