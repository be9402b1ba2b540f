// The demo store of `serve --demo`: a small fleet of generated tenants with 90 days of
// history, each day a fresh synthetic snapshot evaluated by the real engine, drifting from a
// weak posture toward a strong one with a few regressions on the way, plus states (planned,
// risk accepted, third party, one about to expire), an exception, goals and zones, and a stretch
// of Microsoft's own series. Creating it twice creates nothing new.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/catalog/catalog.h"
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
// shown. Each day's snapshot generates at most 600 users (a sample of the directory) so a first
// run stays about a minute; seat counts, and so seat bands, are the declared ones.
std::vector<DemoTenant> DemoTenants();

struct DemoOptions {
  int days = 90;
  store::Timestamp now;                              // the last day's evaluation time
  std::function<void(const std::string&)> progress;  // may be empty
};

struct DemoSummary {
  bool created = false;  // false: the demo tenants were already there
  int tenants = 0;
  int evaluations = 0;
};

Result<DemoSummary> CreateDemoStore(store::Store& store, const catalog::Catalog& catalog,
                                    const DemoOptions& options);

// sqlite:$XDG_DATA_HOME/securescore/demo.db (~/.local/share/… without XDG_DATA_HOME).
std::string DefaultDemoDatabaseUrl();

}  // namespace securescore::server
