// The demo store of `serve --demo`: a small fleet of generated tenants with 90 days of history
// made by the real engine. Each tenant follows a story (MakeDemoStory): one synthetic
// organisation whose settings change on particular days and stay changed — areas hardened one
// at a time, a few regressions undone some days later — while MFA registration creeps up and
// the directory grows; states (planned, risk accepted, third party, one about to expire), an
// exception, a goal and zones are set along the way, and a stretch of Microsoft's own series is
// imported. Everything follows from the tenants' seeds and `now`; creating it twice creates
// nothing new.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/catalog/catalog.h"
#include "securescore/generate/generate.h"
#include "securescore/store/store.h"

namespace securescore::server {

struct DemoTenant {
  std::string id;
  std::string name;
  std::string industry;
  std::uint64_t users;
  std::uint64_t seed;
};

// Five tenants: Finance 2,500, Healthcare 800, Manufacturing 12,000 seats, and two more
// Finance tenants so that the Industry and AllTenants comparisons have enough peers to be
// shown. Each day's snapshot generates a sample of the directory (DemoOptions::sample_users);
// seat counts, and so seat bands, are the declared ones.
std::vector<DemoTenant> DemoTenants();

// What one day's snapshot of a tenant is generated from.
struct DemoDay {
  std::array<int, generate::kAreaCount> hardening{};  // per generate::Area: 0, 1 or 2
  double adoption = 0;                                // generate::GenerateOptions::adoption
  std::uint64_t users = 0;                            // users generated that day
};

// A change of one area's hardening between day - 1 and day.
struct DemoChange {
  int day = 0;
  generate::Area area = generate::Area::kIdentity;
  int from = 0;
  int to = 0;
  bool regression = false;  // to < from: someone weakened a setting
};

// A tenant's history before it is evaluated: the days, the changes between them, and the days
// on which the security team records decisions.
struct DemoStory {
  generate::Profile profile = generate::Profile::kTypical;  // guests, stale accounts, admins
  std::vector<DemoDay> days;
  std::vector<DemoChange> changes;  // by day
  int goal_day = 0;                 // goal and score zones set
  int plans_day = 0;                // two actions planned
  int decisions_day = 0;  // third party, risk accepted, and an acceptance that soon expires
  int exception_day = 0;  // one entity excepted
};

// The story of `tenant` over `days` days (at least 2) with at most `sample_users` users: most
// areas start weak and are hardened one step at a time, spread over the period; two or three
// regressions (an area set back to weak) are undone 2 to 6 days later, except that some tenants
// end with one still open; adoption and users rise on the same days, never fall. A pure
// function of its arguments.
DemoStory MakeDemoStory(const DemoTenant& tenant, int days, std::uint64_t sample_users);

struct DemoOptions {
  int days = 90;                                     // at least 2
  store::Timestamp now;                              // the last day's evaluation time
  std::vector<DemoTenant> tenants = DemoTenants();   // tests use fewer
  std::uint64_t sample_users = 600;                  // users generated per snapshot, at most
  std::function<void(const std::string&)> progress;  // may be empty; called from any worker
  // Another connection to the same store: with it, `workers` threads build tenants at once,
  // each on its own connection. Empty: one thread on the given store.
  std::function<Result<std::unique_ptr<store::Store>>()> connect;
  int workers = 2;
};

struct DemoSummary {
  bool created = false;  // false: the demo tenants were already there
  int tenants = 0;
  int evaluations = 0;
};

// Builds the tenants not finished yet (a tenant is finished once Microsoft's series, its last
// step, is stored), so a second run creates nothing.
Result<DemoSummary> CreateDemoStore(store::Store& store, const catalog::Catalog& catalog,
                                    const DemoOptions& options);

// sqlite:$XDG_DATA_HOME/securescore/demo.db (~/.local/share/… without XDG_DATA_HOME).
std::string DefaultDemoDatabaseUrl();

}  // namespace securescore::server
