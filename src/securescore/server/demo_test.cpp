#include "securescore/server/demo.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "securescore/server/server_test_util.h"

namespace securescore::server {
namespace {

using std::chrono::days;

// 2026-11-30T04:00:00Z: the last demo day in every test, so the stores are comparable.
const store::Timestamp kLastDay{std::chrono::seconds(testing::kNow)};

// A fresh SQLite store in a directory of its own, removed afterwards.
class DemoStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("securescore_demo_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Url(const std::string& name) const { return "sqlite:" + (dir_ / name).string(); }

  std::unique_ptr<store::Store> Open(const std::string& name) {
    Result<std::unique_ptr<store::Store>> s = store::OpenStore(Url(name));
    EXPECT_TRUE(s) << s.error().ToString();
    return s ? std::move(*s) : nullptr;
  }

  std::filesystem::path dir_;
};

DemoOptions Options(std::vector<DemoTenant> tenants, int days, std::uint64_t users) {
  DemoOptions o;
  o.days = days;
  o.now = kLastDay;
  o.tenants = std::move(tenants);
  o.sample_users = users;
  return o;
}

std::vector<double> Percentages(store::Store& s, const std::string& tenant) {
  Result<std::vector<store::DailyPoint>> series = s.DailySeries(tenant, {});
  EXPECT_TRUE(series) << series.error().ToString();
  std::vector<double> out;
  if (series) {
    for (const store::DailyPoint& p : *series) out.push_back(p.evaluation.percentage);
  }
  return out;
}

// How often the series turns from rising to falling or back, counting only moves of at least
// `min_move` points (the generated directory moves by hundredths from day to day).
int DirectionChanges(const std::vector<double>& series, double min_move) {
  int changes = 0, last_sign = 0;
  for (std::size_t i = 1; i < series.size(); ++i) {
    const double move = series[i] - series[i - 1];
    if (std::abs(move) < min_move) continue;
    const int sign = move > 0 ? 1 : -1;
    if (last_sign != 0 && sign != last_sign) ++changes;
    last_sign = sign;
  }
  return changes;
}

TEST(DemoStoryTest, IsAFunctionOfTheTenantAndTheDays) {
  for (const DemoTenant& t : DemoTenants()) {
    const DemoStory a = MakeDemoStory(t, 90, 600);
    const DemoStory b = MakeDemoStory(t, 90, 600);
    ASSERT_EQ(a.days.size(), 90u);
    ASSERT_EQ(a.days.size(), b.days.size());
    for (std::size_t d = 0; d < a.days.size(); ++d) {
      EXPECT_EQ(a.days[d].hardening, b.days[d].hardening) << t.id << " day " << d;
      EXPECT_EQ(a.days[d].adoption, b.days[d].adoption) << t.id << " day " << d;
      EXPECT_EQ(a.days[d].users, b.days[d].users) << t.id << " day " << d;
    }
    EXPECT_EQ(a.changes.size(), b.changes.size()) << t.id;
  }
  // The tenants' stories differ.
  const std::vector<DemoTenant> tenants = DemoTenants();
  EXPECT_NE(MakeDemoStory(tenants[0], 90, 600).days.front().hardening,
            MakeDemoStory(tenants[1], 90, 600).days.front().hardening);
}

TEST(DemoStoryTest, SettingsChangeOnSomeDaysAndStayChanged) {
  for (const DemoTenant& t : DemoTenants()) {
    const DemoStory story = MakeDemoStory(t, 90, 600);
    int fixes = 0, regressions = 0, undone = 0;
    for (const DemoChange& c : story.changes) {
      ASSERT_GE(c.day, 1);
      ASSERT_LT(c.day, 90);
      EXPECT_EQ(c.regression, c.to < c.from);
      // A regression sets an area back to weak; anything else goes up.
      if (c.regression) {
        EXPECT_EQ(c.to, 0) << t.id << " day " << c.day;
      } else {
        EXPECT_GT(c.to, c.from) << t.id << " day " << c.day;
      }
      if (!c.regression) {
        ++fixes;
        continue;
      }
      ++regressions;
      // Undone within 2 to 6 days, unless found on the last day.
      for (const DemoChange& later : story.changes) {
        if (later.area == c.area && later.day > c.day && later.day <= c.day + 6 &&
            later.to == c.from) {
          ++undone;
          EXPECT_GE(later.day - c.day, 2) << t.id << " day " << c.day;
          break;
        }
      }
    }
    EXPECT_GE(fixes, 8) << t.id;
    EXPECT_GE(regressions, 2) << t.id;
    EXPECT_LE(regressions, 3) << t.id;
    EXPECT_GE(undone, regressions - 1) << t.id;
    // Days without a change outnumber those with one: settings stay as they are.
    std::vector<int> change_days;
    for (const DemoChange& c : story.changes) change_days.push_back(c.day);
    change_days.erase(std::unique(change_days.begin(), change_days.end()), change_days.end());
    EXPECT_LT(change_days.size(), 45u) << t.id;
    // Adoption and the directory only grow; levels stay in range.
    for (std::size_t d = 1; d < story.days.size(); ++d) {
      EXPECT_GE(story.days[d].adoption, story.days[d - 1].adoption) << t.id << " day " << d;
      EXPECT_GE(story.days[d].users, story.days[d - 1].users) << t.id << " day " << d;
      for (int level : story.days[d].hardening) {
        EXPECT_GE(level, 0);
        EXPECT_LE(level, 2);
      }
    }
    EXPECT_GT(story.days.back().adoption, story.days.front().adoption + 0.5) << t.id;
    EXPECT_GT(story.days.back().users, story.days.front().users) << t.id;
    EXPECT_LE(story.days.back().users, std::min<std::uint64_t>(t.users, 600));
  }
}

TEST(DemoStoryTest, SomeTenantsEndWithAFreshRegression) {
  std::size_t fresh = 0;
  for (const DemoTenant& t : DemoTenants()) {
    const DemoStory story = MakeDemoStory(t, 90, 600);
    fresh += std::any_of(story.changes.begin(), story.changes.end(),
                         [](const DemoChange& c) { return c.regression && c.day == 89; });
  }
  EXPECT_GE(fresh, 1u);
  EXPECT_LT(fresh, DemoTenants().size());
}

TEST(DemoStoryTest, ShortPeriodsStillMakeAStory) {
  const DemoStory story = MakeDemoStory(DemoTenants().front(), 2, 50);
  ASSERT_EQ(story.days.size(), 2u);
  EXPECT_LT(story.decisions_day, 2);
  EXPECT_LT(story.exception_day, 2);
}

// The whole pipeline for one tenant: the real engine's daily series tells the story.
TEST_F(DemoStoreTest, HistoryRisesWithAFewDropsAndDecisionsOnTheWay) {
  std::unique_ptr<store::Store> s = Open("demo.db");
  ASSERT_TRUE(s);
  const DemoTenant tenant = DemoTenants().front();
  Result<DemoSummary> made =
      CreateDemoStore(*s, testing::TestCatalog(), Options({tenant}, 90, 150));
  ASSERT_TRUE(made) << made.error().ToString();
  EXPECT_TRUE(made->created);
  EXPECT_EQ(made->evaluations, 90);

  // One evaluation per day, no day missing.
  Result<std::vector<store::DailyPoint>> series = s->DailySeries(tenant.id, {});
  ASSERT_TRUE(series) << series.error().ToString();
  ASSERT_EQ(series->size(), 90u);
  for (std::size_t d = 1; d < series->size(); ++d) {
    EXPECT_EQ((*series)[d].day - (*series)[d - 1].day, days(1)) << d;
  }
  const std::vector<double> p = Percentages(*s, tenant.id);
  std::string text;
  for (double v : p) text += fmt::format("{:.2f} ", v);
  SCOPED_TRACE("series: " + text);
  // Mostly rising: far higher at the end, and most moves are up.
  EXPECT_GT(p.back(), p.front() + 25);
  int ups = 0, downs = 0;
  for (std::size_t d = 1; d < p.size(); ++d) {
    if (p[d] > p[d - 1] + 0.05) ++ups;
    if (p[d] < p[d - 1] - 0.05) ++downs;
  }
  EXPECT_GT(ups, 3 * downs);
  // A few drops (regressions) each followed by a recovery, not a zigzag.
  EXPECT_GE(downs, 1);
  EXPECT_LE(DirectionChanges(p, 0.05), 12);
  const auto biggest_drop =
      std::adjacent_find(p.begin(), p.end(), [](double a, double b) { return b < a - 0.3; });
  ASSERT_NE(biggest_drop, p.end()) << "no regression shows in the series";
  EXPECT_GT(*std::max_element(biggest_drop + 1, p.end()), *biggest_drop)
      << "the score recovered after the drop";

  // The team's decisions: planned, third party and two acceptances, one expiring soon, with
  // comments and history; one exception; a goal and zones.
  Result<std::vector<store::ControlStateRecord>> states = s->ListControlStates(tenant.id);
  ASSERT_TRUE(states) << states.error().ToString();
  int planned = 0, third_party = 0, accepted = 0, expiring = 0;
  for (const store::ControlStateRecord& r : *states) {
    EXPECT_FALSE(r.comment.empty()) << r.control_id;
    planned += r.state == core::ControlState::kPlanned;
    third_party += r.state == core::ControlState::kThirdParty;
    accepted += r.state == core::ControlState::kRiskAccepted;
    expiring += r.expires_at.has_value() && *r.expires_at > kLastDay;
  }
  EXPECT_EQ(planned, 2);
  EXPECT_EQ(third_party, 1);
  EXPECT_EQ(accepted, 2);
  EXPECT_EQ(expiring, 1);
  Result<std::vector<store::StateHistoryEntry>> history = s->StateHistory(tenant.id, "");
  ASSERT_TRUE(history);
  EXPECT_EQ(history->size(), states->size());
  Result<std::vector<store::ExceptionRecord>> exceptions = s->ListExceptions(tenant.id);
  ASSERT_TRUE(exceptions);
  EXPECT_EQ(exceptions->size(), 1u);
  Result<std::vector<store::Goal>> goals = s->ListGoals(tenant.id);
  ASSERT_TRUE(goals);
  EXPECT_EQ(goals->size(), 1u);
  Result<std::optional<store::ScoreZones>> zones = s->GetScoreZones(tenant.id);
  ASSERT_TRUE(zones);
  EXPECT_TRUE(zones->has_value());
  Result<std::vector<store::MicrosoftScore>> microsoft = s->MicrosoftSeries(tenant.id, {});
  ASSERT_TRUE(microsoft);
  EXPECT_EQ(microsoft->size(), 30u);

  // Creating it again creates nothing.
  Result<DemoSummary> again =
      CreateDemoStore(*s, testing::TestCatalog(), Options({tenant}, 90, 150));
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(Percentages(*s, tenant.id).size(), 90u);
}

// Two builds with the same tenants, days and `now` store the same snapshots, scores and
// decisions, whether one thread builds the tenants or several at once.
TEST_F(DemoStoreTest, SameOptionsGiveTheSameStore) {
  const std::vector<DemoTenant> tenants = {DemoTenants()[1], DemoTenants()[3], DemoTenants()[4]};
  std::unique_ptr<store::Store> a = Open("a.db");
  std::unique_ptr<store::Store> b = Open("b.db");
  ASSERT_TRUE(a && b);
  Result<DemoSummary> one = CreateDemoStore(*a, testing::TestCatalog(), Options(tenants, 24, 80));
  ASSERT_TRUE(one) << one.error().ToString();
  DemoOptions parallel = Options(tenants, 24, 80);
  parallel.workers = 2;
  parallel.connect = [url = Url("b.db")] { return store::OpenStore(url); };
  Result<DemoSummary> two = CreateDemoStore(*b, testing::TestCatalog(), parallel);
  ASSERT_TRUE(two) << two.error().ToString();
  EXPECT_EQ(one->evaluations, 72);
  EXPECT_EQ(two->evaluations, 72);
  for (const DemoTenant& t : tenants) {
    Result<std::vector<store::SnapshotInfo>> sa = a->ListSnapshots(t.id);
    Result<std::vector<store::SnapshotInfo>> sb = b->ListSnapshots(t.id);
    ASSERT_TRUE(sa && sb);
    ASSERT_EQ(sa->size(), 24u);
    ASSERT_EQ(sa->size(), sb->size());
    for (std::size_t i = 0; i < sa->size(); ++i) EXPECT_EQ((*sa)[i].hash, (*sb)[i].hash) << i;
    EXPECT_EQ(Percentages(*a, t.id), Percentages(*b, t.id)) << t.id;
    Result<std::vector<store::ControlStateRecord>> ra = a->ListControlStates(t.id);
    Result<std::vector<store::ControlStateRecord>> rb = b->ListControlStates(t.id);
    ASSERT_TRUE(ra && rb);
    ASSERT_EQ(ra->size(), rb->size());
    for (std::size_t i = 0; i < ra->size(); ++i) {
      EXPECT_EQ((*ra)[i].control_id, (*rb)[i].control_id);
      EXPECT_EQ((*ra)[i].state, (*rb)[i].state);
    }
  }
}

}  // namespace
}  // namespace securescore::server
