#include "securescore/engine/evaluate.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>

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

}  // namespace

Result<Evaluation> Evaluate(const catalog::Catalog& catalog, evidence::LoadedEvidence& evidence,
                            const EvaluateOptions& options) {
  if (!evidence.db)
    return Error{ErrorCode::kInternal, "evaluation without an evidence database", ""};
  Evaluation ev;
  ev.tenant = evidence.tenant;
  ev.collected_at = evidence.collected_at;
  ev.catalog_version = catalog.version;
  sqlite3* db = evidence.db->handle();

  std::vector<core::ControlInput> inputs;
  for (const auto& control : catalog.controls) {
    if (!options.only.empty() && options.only.count(control.id) == 0) continue;
    ControlEvaluation ce;
    ce.control = &control;
    core::ControlInput in{.id = control.id,
                          .category = control.category,
                          .max_points = control.max_points,
                          .kind = control.scoring,
                          .when_empty = control.when_empty};
    const catalog::EvidenceAlternative* alt =
        ChooseAlternative(control, *evidence.db, ce.missing_tables);
    if (alt == nullptr) {
      ce.outcome = in.outcome = core::Outcome::kNoData;
    } else {
      ce.level = alt->level;
      ce.note = alt->note;
      auto excepted = options.exceptions.find(control.id);
      Status run =
          RunQuery(db, *alt, excepted == options.exceptions.end() ? nullptr : &excepted->second,
                   options.keep_passing_of == control.id, ce);
      if (!run.ok()) {
        ce.outcome = in.outcome = core::Outcome::kError;
        ce.error = run.error().message;
        ce.passing = 0;
        ce.failing.clear();
        ce.passing_entities.clear();
        ce.excepted.clear();
      } else {
        in.count = ce.passing;
        in.total = ce.passing + static_cast<std::int64_t>(ce.failing.size());
      }
    }
    ApplyState(control.id, evidence, options, ce);
    in.state = ce.state;
    inputs.push_back(std::move(in));
    ev.controls.push_back(std::move(ce));
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
