#include "securescore/server/demo.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "securescore/generate/generate.h"
#include "securescore/service/ingest.h"
#include "securescore/service/msgraph_import.h"
#include "securescore/service/time_text.h"
#include "securescore/store/msgraph_scores.h"

namespace securescore::server {
namespace {

using std::chrono::days;

// Users generated per daily snapshot (at most): 90 days × 5 tenants stay quick to build.
constexpr std::uint64_t kSampleUsers = 600;

// The posture of day `d` of `n`: weak for the first third, typical for the second, strong
// for the last, so actions get fixed along the way.
generate::Profile ProfileOfDay(int d, int n) {
  if (d < n / 3) return generate::Profile::kWeak;
  if (d < 2 * n / 3) return generate::Profile::kTypical;
  return generate::Profile::kStrong;
}

// A few days use another seed: the generated organisation differs, so some controls lose
// points for a while — the regressions the dashboard shows.
bool RegressionDay(int d, std::uint64_t seed) { return (d + static_cast<int>(seed)) % 17 == 5; }

Status SetState(store::Store& store, const std::string& tenant, const std::string& control,
                core::ControlState state, std::string comment, store::Timestamp at,
                std::optional<store::Timestamp> expires = std::nullopt) {
  store::ControlStateRecord r;
  r.tenant_id = tenant;
  r.control_id = control;
  r.state = state;
  r.comment = comment;
  r.assignee = "secops@example.org";
  r.tags = {"demo"};
  r.expires_at = expires;
  r.updated_by = "demo";
  r.updated_at = at;
  Result<store::ControlStateRecord> set = store.SetControlState({r, std::move(comment)});
  if (!set) return set.error();
  return OkStatus();
}

// Decisions a security team would take halfway through: chosen among the controls the
// latest evaluation left with points to earn.
Status DecideStates(store::Store& store, const std::string& tenant, store::Timestamp at,
                    store::Timestamp last_day) {
  Result<store::Evaluation> latest = store.LatestEvaluation(tenant);
  if (!latest) return latest.error();
  std::vector<const store::ControlResult*> open;
  for (const store::ControlResult& c : latest->controls) {
    if (c.status == core::ControlStatus::kToAddress || c.status == core::ControlStatus::kPartial) {
      open.push_back(&c);
    }
  }
  struct Decision {
    core::ControlState state;
    const char* comment;
  };
  const Decision decisions[] = {
      {core::ControlState::kPlanned, "Rolling out next quarter"},
      {core::ControlState::kRiskAccepted, "Legacy line-of-business app needs it"},
      {core::ControlState::kThirdParty, "Covered by our mail gateway vendor"},
      {core::ControlState::kPlanned, "Change request CR-1042"},
  };
  for (std::size_t i = 0; i < std::size(decisions) && i < open.size(); ++i) {
    Status s = SetState(store, tenant, open[i]->id, decisions[i].state, decisions[i].comment, at);
    if (!s) return s;
  }
  // One acceptance that runs out soon after the last day: the "expiring" alert and badge.
  if (open.size() > std::size(decisions)) {
    Status s =
        SetState(store, tenant, open[std::size(decisions)]->id, core::ControlState::kRiskAccepted,
                 "Temporary: migration in progress", at, last_day + days(5));
    if (!s) return s;
  }
  for (const store::ControlResult* c : open) {
    if (c->failing.empty()) continue;
    return store.AddException({tenant, c->id, c->failing.front().entity_id,
                               "Break-glass account, monitored separately", "secops", std::nullopt,
                               "demo", at});
  }
  return OkStatus();
}

// Microsoft's own series for the first 30 days, as Graph secureScores objects.
Status ImportMicrosoftDays(store::Store& store, const std::string& tenant, store::Timestamp first,
                           std::int64_t seats) {
  std::string json = "{\"value\":[";
  for (int d = 0; d < 30; ++d) {
    const store::Timestamp t = first + days(d);
    if (d) json += ",";
    json += "{\"id\":\"" + tenant + "_" + service::FormatDay(std::chrono::floor<days>(t)) +
            "\",\"azureTenantId\":\"" + tenant + "\",\"createdDateTime\":\"" +
            service::FormatTimestamp(t) + "\",\"currentScore\":" + std::to_string(180 + d * 2) +
            ",\"maxScore\":420,\"licensedUserCount\":" + std::to_string(seats) +
            ",\"activeUserCount\":" + std::to_string(seats) + ",\"controlScores\":[]}";
  }
  json += "]}";
  Result<std::vector<store::MicrosoftScore>> parsed =
      store::ParseGraphSecureScores(json, tenant, "demo");
  if (!parsed) return parsed.error();
  Result<service::ImportSummary> imported =
      service::ImportMicrosoftScores(store, tenant, std::move(*parsed));
  if (!imported) return imported.error();
  return OkStatus();
}

}  // namespace

std::vector<DemoTenant> DemoTenants() {
  return {
      {"demo-northwind-bank", "Northwind Bank", "Finance", 2500, 11},
      {"demo-fabrikam-health", "Fabrikam Health", "Healthcare", 800, 23},
      {"demo-contoso-manufacturing", "Contoso Manufacturing", "Manufacturing", 12000, 37},
      {"demo-woodgrove-finance", "Woodgrove Finance", "Finance", 400, 41},
      {"demo-tailspin-capital", "Tailspin Capital", "Finance", 1200, 53},
  };
}

std::string DefaultDemoDatabaseUrl() {
  namespace fs = std::filesystem;
  fs::path base;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = fs::path(home) / ".local/share";
  } else {
    base = fs::temp_directory_path();
  }
  return "sqlite:" + (base / "securescore" / "demo.db").string();
}

Result<DemoSummary> CreateDemoStore(store::Store& store, const catalog::Catalog& catalog,
                                    const DemoOptions& options) {
  DemoSummary summary;
  const std::vector<DemoTenant> tenants = DemoTenants();
  summary.tenants = static_cast<int>(tenants.size());
  // Idempotent: a finished demo store has an evaluation for its last tenant.
  Result<store::Evaluation> done = store.LatestEvaluation(tenants.back().id);
  if (done) return summary;
  const int n = options.days;
  const store::Timestamp last_day = options.now;
  const store::Timestamp first_day = last_day - days(n - 1);
  for (const DemoTenant& t : tenants) {
    Status upserted =
        store.UpsertTenant({t.id, t.name, t.industry, static_cast<std::int64_t>(t.users)});
    if (!upserted) return upserted.error();
    for (int d = 0; d < n; ++d) {
      const store::Timestamp at = first_day + days(d);
      if (d == n / 2) {
        Status decided = DecideStates(store, t.id, at, last_day);
        if (!decided) return decided.error();
      }
      generate::GenerateOptions g;
      // Directories are generated at a sample size so that a first run takes about a minute;
      // the tenant's seat count (comparison bands) stays the declared one.
      g.users = std::min<std::uint64_t>(t.users, kSampleUsers);
      g.seed = RegressionDay(d, t.seed) ? t.seed + 1000 : t.seed;
      g.profile = ProfileOfDay(d, n);
      g.name = t.name;
      g.industry = t.industry;
      g.collected_at = at.time_since_epoch().count();
      Result<std::string> snapshot = generate::GenerateSnapshotString(g);
      if (!snapshot) return snapshot.error();
      service::IngestOptions ingest;
      ingest.tenant_override = t.id;
      Result<service::IngestResult> r =
          service::Ingest(store, catalog, *snapshot, t.id, ingest, at);
      if (!r) return r.error();
      ++summary.evaluations;
    }
    Status ms = ImportMicrosoftDays(store, t.id, first_day, static_cast<std::int64_t>(t.users));
    if (!ms) return ms.error();
    Status goal = store.SetGoal(
        {t.id, std::chrono::floor<days>(last_day + days(60)), 80.0, "demo", last_day});
    if (!goal) return goal.error();
    Status zones = store.SetScoreZones(t.id, {70.0, 45.0});
    if (!zones) return zones.error();
    if (options.progress) options.progress(t.name + ": " + std::to_string(n) + " days evaluated");
  }
  summary.created = true;
  return summary;
}

}  // namespace securescore::server
