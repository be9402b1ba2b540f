#include "securescore/server/demo.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include "securescore/generate/generate.h"
#include "securescore/generate/rng.h"
#include "securescore/service/ingest.h"
#include "securescore/service/msgraph_import.h"
#include "securescore/service/time_text.h"
#include "securescore/store/msgraph_scores.h"

namespace securescore::server {
namespace {

using std::chrono::days;

// Story events draw from their own lane of the tenant's seed, apart from the generator's.
constexpr std::uint64_t kStoryLane = 0x5707;

// The hardening levels an area plan reaches by day, before regressions.
using Levels = std::array<int, generate::kAreaCount>;

struct Regression {
  std::size_t area = 0;
  int from = 0;  // first day weakened
  int to = 0;    // day undone (past the last day: still open)
};

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

// Controls the latest evaluation left with points to earn and no state yet, largest first
// (the ones a team discusses); ties by id so the choice is deterministic.
Result<std::vector<store::ControlResult>> OpenControls(store::Store& store,
                                                       const std::string& tenant) {
  Result<store::Evaluation> latest = store.LatestEvaluation(tenant);
  if (!latest) return latest.error();
  std::vector<store::ControlResult> open;
  for (store::ControlResult& c : latest->controls) {
    const bool earns_less =
        c.status == core::ControlStatus::kToAddress || c.status == core::ControlStatus::kPartial;
    if (earns_less && c.state == core::ControlState::kToAddress) open.push_back(std::move(c));
  }
  std::sort(open.begin(), open.end(), [](const auto& a, const auto& b) {
    return a.max != b.max ? a.max > b.max : a.id < b.id;
  });
  return open;
}

// Two actions put on the roadmap.
Status PlanActions(store::Store& store, const std::string& tenant, store::Timestamp at) {
  Result<std::vector<store::ControlResult>> open = OpenControls(store, tenant);
  if (!open) return open.error();
  const char* comments[] = {"Rolling out next quarter", "Change request CR-1042"};
  for (std::size_t i = 0; i < std::size(comments) && i < open->size(); ++i) {
    Status s =
        SetState(store, tenant, (*open)[i].id, core::ControlState::kPlanned, comments[i], at);
    if (!s) return s;
  }
  return OkStatus();
}

// A mail control handed to a third party, and acceptances on controls that earn nothing (so
// the score does not drop because of them): one lasting, one running out soon after the last
// day (the "expiring" alert and badge).
Status DecideActions(store::Store& store, const std::string& tenant, store::Timestamp at,
                     store::Timestamp last_day) {
  Result<std::vector<store::ControlResult>> open = OpenControls(store, tenant);
  if (!open) return open.error();
  std::vector<const store::ControlResult*> chosen;
  auto take = [&](auto fits) -> const store::ControlResult* {
    for (const store::ControlResult& c : *open) {
      if (std::find(chosen.begin(), chosen.end(), &c) == chosen.end() && fits(c)) {
        chosen.push_back(&c);
        return &c;
      }
    }
    return nullptr;
  };
  auto mail = [](const store::ControlResult& c) {
    return c.service == "MDO" || c.service == "EXO";
  };
  auto earns_nothing = [](const store::ControlResult& c) {
    return c.status == core::ControlStatus::kToAddress;
  };
  if (const store::ControlResult* c = take(mail)) {
    Status s = SetState(store, tenant, c->id, core::ControlState::kThirdParty,
                        "Covered by our mail gateway vendor", at);
    if (!s) return s;
  }
  if (const store::ControlResult* c = take(earns_nothing)) {
    Status s = SetState(store, tenant, c->id, core::ControlState::kRiskAccepted,
                        "Legacy line-of-business app needs it", at);
    if (!s) return s;
  }
  if (const store::ControlResult* c = take(earns_nothing)) {
    Status s = SetState(store, tenant, c->id, core::ControlState::kRiskAccepted,
                        "Temporary: migration in progress", at, last_day + days(5));
    if (!s) return s;
  }
  return OkStatus();
}

// One failing entity excepted: a break-glass account is the classic one.
Status ExceptOneEntity(store::Store& store, const std::string& tenant, store::Timestamp at) {
  Result<std::vector<store::ControlResult>> open = OpenControls(store, tenant);
  if (!open) return open.error();
  for (const store::ControlResult& c : *open) {
    if (c.failing.empty()) continue;
    return store.AddException({tenant, c.id, c.failing.front().entity_id,
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
    json += fmt::format(
        "{{\"id\":\"{0}_{1}\",\"azureTenantId\":\"{0}\",\"createdDateTime\":\"{2}\","
        "\"currentScore\":{3},\"maxScore\":420,\"licensedUserCount\":{4},"
        "\"activeUserCount\":{4},\"controlScores\":[]}}",
        tenant, service::FormatDay(std::chrono::floor<days>(t)), service::FormatTimestamp(t),
        180 + d * 2, seats);
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

// Areas where one switched-off setting costs points at once, the regressions a team notices.
bool Breakable(generate::Area area) {
  using generate::Area;
  switch (area) {
    case Area::kConditionalAccess:
    case Area::kDirectory:
    case Area::kAuthenticationMethods:
    case Area::kExchange:
    case Area::kDefender:
    case Area::kSharePoint:
    case Area::kTeams: return true;
    default: return false;
  }
}

// Fisher-Yates on the story's stream.
template <typename T>
void Shuffle(std::vector<T>& items, generate::Rng& rng) {
  for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[rng.Below(i)]);
}

// Uniform in [0, 1) in steps of 1/1024: plenty for story figures.
double Unit(generate::Rng& rng) { return static_cast<double>(rng.Below(1024)) / 1024.0; }

// The options of day `d`'s snapshot, collected at `at`.
generate::GenerateOptions SnapshotOptions(const DemoTenant& tenant, const DemoStory& story, int d,
                                          store::Timestamp at) {
  const DemoDay& day = story.days[static_cast<std::size_t>(d)];
  generate::GenerateOptions g;
  g.users = day.users;
  g.seed = tenant.seed;
  g.profile = story.profile;
  g.name = tenant.name;
  g.industry = tenant.industry;
  g.collected_at = at.time_since_epoch().count();
  for (std::size_t a = 0; a < generate::kAreaCount; ++a) g.area_hardening[a] = day.hardening[a];
  g.adoption = day.adoption;
  return g;
}

// One tenant's history in `store`: its days evaluated in order, with the team's decisions on
// their days and Microsoft's series last (what marks the tenant finished).
Status BuildTenant(store::Store& store, const catalog::Catalog& catalog, const DemoTenant& t,
                   const DemoStory& story, store::Timestamp first_day, store::Timestamp last_day) {
  Status upserted =
      store.UpsertTenant({t.id, t.name, t.industry, static_cast<std::int64_t>(t.users)});
  if (!upserted) return upserted;
  const int n = static_cast<int>(story.days.size());
  // Generating a snapshot needs no store: the next day's is generated on another thread while
  // this one is evaluated and stored.
  auto generate_async = [&](int d) {
    return std::async(std::launch::async, [g = SnapshotOptions(t, story, d, first_day + days(d))] {
      return generate::GenerateSnapshotString(g);
    });
  };
  std::future<Result<std::string>> next = generate_async(0);
  for (int d = 0; d < n; ++d) {
    const store::Timestamp at = first_day + days(d);
    Result<std::string> snapshot = next.get();
    if (d + 1 < n) next = generate_async(d + 1);
    if (!snapshot) return snapshot.error();
    service::IngestOptions ingest;
    ingest.tenant_override = t.id;
    Result<service::IngestResult> r = service::Ingest(store, catalog, *snapshot, t.id, ingest, at);
    if (!r) return r.error();

    // The team's decisions, after seeing the day's score; they count from the next day on.
    const store::Timestamp later = at + std::chrono::hours(1);
    if (d == story.goal_day) {
      Status goal =
          store.SetGoal({t.id, std::chrono::floor<days>(last_day + days(60)), 80.0, "demo", later});
      if (!goal) return goal;
      Status zones = store.SetScoreZones(t.id, {70.0, 45.0});
      if (!zones) return zones;
    }
    if (d == story.plans_day) {
      if (Status s = PlanActions(store, t.id, later); !s) return s;
    }
    if (d == story.decisions_day) {
      if (Status s = DecideActions(store, t.id, later, last_day); !s) return s;
    }
    if (d == story.exception_day) {
      if (Status s = ExceptOneEntity(store, t.id, later); !s) return s;
    }
  }
  return ImportMicrosoftDays(store, t.id, first_day, static_cast<std::int64_t>(t.users));
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

DemoStory MakeDemoStory(const DemoTenant& tenant, int days, std::uint64_t sample_users) {
  const int n = std::max(days, 2);
  generate::Rng rng(generate::Hash(tenant.seed, 0, kStoryLane));
  DemoStory story;
  story.profile = rng.Chance(0.4) ? generate::Profile::kWeak : generate::Profile::kTypical;

  // Where the tenant starts: most areas weak, a few typical already.
  Levels start{};
  for (int& level : start) level = rng.Chance(0.3) ? 1 : 0;
  // The fixes: every area climbs one level at a time to its target (strong for most), in a
  // shuffled order where an area's k-th appearance is its k-th step; spread over the period.
  std::vector<std::size_t> steps;
  for (std::size_t a = 0; a < generate::kAreaCount; ++a) {
    const int target = rng.Chance(0.8) ? 2 : 1;
    for (int level = start[a]; level < target; ++level) steps.push_back(a);
  }
  Shuffle(steps, rng);
  std::vector<int> fix_day(steps.size());
  const double slot = static_cast<double>(std::max(1, n - 4)) /
                      static_cast<double>(std::max<std::size_t>(1, steps.size()));
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const double at = (static_cast<double>(i) + 0.1 + 0.8 * Unit(rng)) * slot;
    fix_day[i] = std::clamp(1 + static_cast<int>(at), 1, n - 1);
  }
  auto planned = [&](int d) {
    Levels levels = start;
    for (std::size_t i = 0; i < steps.size() && fix_day[i] <= d; ++i) ++levels[steps[i]];
    return levels;
  };

  // Regressions: one in each of two or three stretches of the period, an area hardened by then
  // set back to weak (someone disabled a policy), undone 2 to 6 days later. Some tenants end
  // with one found on the last day.
  std::vector<Regression> regressions;
  const int count = 2 + static_cast<int>(rng.Below(2));
  // Every other tenant of the demo list (by seed) ends with one: the fleet then shows fresh
  // regressions beside tenants without any.
  const bool open_at_end = (tenant.seed / 2) % 2 == 1;
  const int stretch = std::max(1, (n - 8) / count);
  for (int k = 0; k < count; ++k) {
    const bool last_day = open_at_end && k == count - 1;
    int from = last_day ? n - 1 : 4 + k * stretch + static_cast<int>(rng.Below(stretch));
    const int lasts = last_day ? 2 : 2 + static_cast<int>(rng.Below(5));  // days
    const std::uint64_t pick = rng.Next();
    for (; from < n; ++from) {
      const Levels levels = planned(from);
      std::vector<std::size_t> hardened;
      for (std::size_t a = 0; a < levels.size(); ++a) {
        // Not an area the team hardens further meanwhile: the undoing stays its own step.
        bool fixed_meanwhile = false;
        for (std::size_t i = 0; i < steps.size(); ++i) {
          fixed_meanwhile |= steps[i] == a && fix_day[i] >= from && fix_day[i] <= from + lasts;
        }
        if (levels[a] > 0 && !fixed_meanwhile && Breakable(static_cast<generate::Area>(a))) {
          hardened.push_back(a);
        }
      }
      if (hardened.empty()) continue;
      regressions.push_back({hardened[pick % hardened.size()], from, from + lasts});
      break;
    }
  }

  // Adoption and the directory grow on the same days (a registration campaign, new joiners),
  // some days not at all.
  const double adoption_start = 0.15 + 0.35 * Unit(rng);
  const double adoption_end = std::min(2.0, adoption_start + 0.9 + 0.5 * Unit(rng));
  const std::uint64_t users_end = std::max<std::uint64_t>(1, std::min(tenant.users, sample_users));
  const std::uint64_t users_start = users_end - users_end / 10;
  std::vector<std::uint64_t> growth(static_cast<std::size_t>(n), 0);
  std::uint64_t total = 0;
  for (std::size_t d = 1; d < growth.size(); ++d) total += growth[d] = rng.Below(4);

  std::uint64_t grown = 0;
  for (int d = 0; d < n; ++d) {
    grown += growth[static_cast<std::size_t>(d)];
    const double share = total ? static_cast<double>(grown) / static_cast<double>(total) : 1.0;
    DemoDay day;
    day.hardening = planned(d);
    for (const Regression& r : regressions) {
      if (r.from <= d && d < r.to) day.hardening[r.area] = 0;
    }
    day.adoption = adoption_start + (adoption_end - adoption_start) * share;
    day.users = users_start + (users_end - users_start) * grown / std::max<std::uint64_t>(1, total);
    if (total == 0) day.users = users_end;
    if (d > 0) {
      const Levels& before = story.days.back().hardening;
      for (std::size_t a = 0; a < generate::kAreaCount; ++a) {
        if (before[a] == day.hardening[a]) continue;
        story.changes.push_back({d, static_cast<generate::Area>(a), before[a], day.hardening[a],
                                 day.hardening[a] < before[a]});
      }
    }
    story.days.push_back(day);
  }
  story.goal_day = n / 4;
  story.plans_day = n / 3;
  story.decisions_day = n / 2;
  story.exception_day = std::min(n - 1, n / 2 + 4);
  return story;
}

Result<DemoSummary> CreateDemoStore(store::Store& store, const catalog::Catalog& catalog,
                                    const DemoOptions& options) {
  DemoSummary summary;
  const std::vector<DemoTenant>& tenants = options.tenants;
  summary.tenants = static_cast<int>(tenants.size());
  const int n = std::max(options.days, 2);
  const store::Timestamp last_day = options.now;
  const store::Timestamp first_day = last_day - days(n - 1);
  // Idempotent: a tenant is finished once Microsoft's series, its last step, is in.
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < tenants.size(); ++i) {
    Result<std::vector<store::MicrosoftScore>> microsoft = store.MicrosoftSeries(tenants[i].id, {});
    if (!microsoft) return microsoft.error();
    if (microsoft->empty()) todo.push_back(i);
  }
  if (todo.empty()) return summary;

  // Tenants are independent: each worker takes the next one not yet started, on its own
  // connection (SQLite in WAL mode and PostgreSQL both take concurrent writers).
  const std::size_t workers =
      options.connect ? std::clamp<std::size_t>(options.workers, 1, todo.size()) : 1;
  std::vector<std::unique_ptr<store::Store>> connections;
  for (std::size_t w = 1; w < workers; ++w) {
    Result<std::unique_ptr<store::Store>> c = options.connect();
    if (!c) return c.error();
    connections.push_back(std::move(*c));
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex progress_mu;
  auto work = [&](store::Store& s) -> Status {
    for (std::size_t i = next++; i < todo.size() && !failed; i = next++) {
      const DemoTenant& t = tenants[todo[i]];
      const DemoStory story = MakeDemoStory(t, n, options.sample_users);
      Status built = BuildTenant(s, catalog, t, story, first_day, last_day);
      if (!built) {
        failed = true;
        return built;
      }
      if (options.progress) {
        const auto regressions = std::count_if(story.changes.begin(), story.changes.end(),
                                               [](const DemoChange& c) { return c.regression; });
        std::lock_guard<std::mutex> lock(progress_mu);
        options.progress(fmt::format("{}: {} days evaluated ({} changes, {} of them regressions)",
                                     t.name, n, story.changes.size(), regressions));
      }
    }
    return OkStatus();
  };
  std::vector<Status> results(workers, OkStatus());
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) {
    threads.emplace_back([&, w] { results[w] = work(*connections[w - 1]); });
  }
  results[0] = work(store);
  for (std::thread& t : threads) t.join();
  for (const Status& r : results) {
    if (!r) return r.error();
  }
  summary.created = true;
  summary.evaluations = static_cast<int>(todo.size()) * n;
  return summary;
}

}  // namespace securescore::server
