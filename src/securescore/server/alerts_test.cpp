// Alerts end to end, one test per kind of rule: the API server on a loopback port with its
// alert worker, rules created and evaluations and states sent over HTTP, and a local webhook
// receiver that checks what arrives — the payload's fields, the HMAC-SHA256 signature
// (recomputed with OpenSSL here, not with the server's helper), the retries with their
// backoffs after 500s, every attempt in /api/v1/alerts/deliveries, and no second alert for a
// condition that still holds. Time is the server context's clock, moved by the test; backoffs
// are recorded instead of slept. No timing assertions.
#include "securescore/server/alerts.h"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <simdjson.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "gmock/gmock.h"
#include "securescore/server/server_test_util.h"
#include "securescore/service/time_text.h"

namespace securescore::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ServerFixture;

constexpr std::int64_t kDay = 86400;
const std::string kSecret = "webhook-secret-0123456789";

std::string HmacHex(const std::string& key, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[mac[i] >> 4];
    hex += kHex[mac[i] & 15];
  }
  return hex;
}

// A webhook receiver on a loopback port: answers 500 while `failures` lasts, then 200, and
// keeps every request it got, per path.
class Receiver {
 public:
  struct Request {
    std::string body;
    std::string signature;
    std::string event;
    int answered = 0;
  };

  Receiver() {
    server_.Post(R"(/hook/(\w+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      res.status = failures_ > 0 ? 500 : 200;
      if (failures_ > 0) --failures_;
      received_[req.matches[1]].push_back(
          {req.body, req.get_header_value("X-Securescore-Signature"),
           req.get_header_value("X-Securescore-Event"), res.status});
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& hook) const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/hook/" + hook;
  }
  void FailNext(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    failures_ = n;
  }
  std::vector<Request> Received(const std::string& hook) {
    std::lock_guard<std::mutex> lock(mu_);
    return received_[hook];
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  int failures_ = 0;
  std::map<std::string, std::vector<Request>> received_;
};

// One row of GET /api/v1/alerts/deliveries.
struct DeliveryRow {
  std::int64_t rule = 0;
  std::string tenant;
  std::string event;
  std::int64_t attempt = 0;
  std::int64_t http_status = 0;
  bool delivered = false;
};

class AlertsEndToEnd : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (HasFatalFailure()) return;
    context_.now = [this] { return store::Timestamp(std::chrono::seconds(clock_.load())); };
    DeliveryPolicy policy;  // the production policy, its waits recorded rather than slept
    policy.wait = [this](std::chrono::milliseconds backoff) {
      std::lock_guard<std::mutex> lock(backoffs_mu_);
      backoffs_.push_back(backoff);
      return true;
    };
    // A period no test outlives: sweeps of every tenant happen when a test asks (Sweep).
    alerts_ = std::make_unique<AlertWorker>(*pool_, testing::TestCatalog(), context_.now,
                                            HttpWebhookPost(std::chrono::seconds(30)), policy,
                                            std::chrono::hours(24));
    context_.changed = [this](std::string_view tenant) { alerts_->Notify(tenant); };
    ServerOptions options;
    options.port = 0;
    options.threads = 4;
    wire_ = std::make_unique<ApiServer>(router_, context_, options);
    Result<int> port = wire_->Bind();
    ASSERT_TRUE(port) << port.error().ToString();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    client_->set_read_timeout(60, 0);
    client_->set_default_headers({{"Authorization", "Bearer " + fleet_[Role::kAdmin]}});
    serving_ = std::thread([this] { wire_->Run(); });
  }

  void TearDown() override {
    if (wire_) wire_->Stop();
    if (serving_.joinable()) serving_.join();
    alerts_.reset();
    wire_.reset();
    ServerFixture::TearDown();
  }

  // Sends a request; the alert checks it caused have run when it returns.
  httplib::Result Send(const std::string& method, const std::string& path,
                       const std::string& body = "") {
    httplib::Result r = method == "POST"    ? client_->Post(path, body, "application/json")
                        : method == "PATCH" ? client_->Patch(path, body, "application/json")
                                            : client_->Get(path);
    alerts_->WaitUntilIdle();
    return r;
  }

  // A rule created through the API; returns its id.
  std::int64_t AddRule(const std::string& tenant, const std::string& kind, double threshold,
                       const std::string& hook) {
    const std::string tenant_json = tenant.empty() ? "null" : "\"" + tenant + "\"";
    httplib::Result r = Send("POST", "/api/v1/alerts/rules",
                             R"({"tenant":)" + tenant_json + R"(,"kind":")" + kind +
                                 R"(","threshold":)" + std::to_string(threshold) + R"(,"url":")" +
                                 receiver_.Url(hook) + R"(","secret":")" + kSecret + R"("})");
    EXPECT_TRUE(r) << httplib::to_string(r.error());
    if (!r) return 0;
    EXPECT_EQ(r->status, 201) << r->body;
    simdjson::dom::parser p;
    simdjson::dom::element rule = p.parse(r->body);
    return rule["id"].get_int64();
  }

  // Evaluates a generated snapshot for `tenant` through the API (201 new, 200 already stored).
  int Evaluate(const std::string& tenant, std::uint64_t seed, generate::Profile profile,
               std::int64_t collected_at) {
    httplib::Result r = Send("POST", "/api/v1/tenants/" + tenant + "/evaluate",
                             testing::Snapshot(seed, profile, collected_at));
    EXPECT_TRUE(r) << httplib::to_string(r.error());
    return r ? r->status : 0;
  }

  // The periodic check of every tenant, run now.
  void Sweep() {
    alerts_->Notify("");
    alerts_->WaitUntilIdle();
  }

  void AdvanceClock(std::int64_t seconds) { clock_ += seconds; }
  store::Timestamp Clock() const { return store::Timestamp(std::chrono::seconds(clock_.load())); }

  std::vector<DeliveryRow> Deliveries(std::int64_t rule) {
    httplib::Result r = Send("GET", "/api/v1/alerts/deliveries");
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 200) << r->body;
    simdjson::dom::parser p;
    std::vector<DeliveryRow> rows;
    for (simdjson::dom::element d : p.parse(r->body)["deliveries"].get_array()) {
      if (d["rule"].get_int64().value() != rule) continue;
      rows.push_back({rule, std::string(d["tenant"].get_string().value()),
                      std::string(d["event"].get_string().value()), d["attempt"].get_int64(),
                      d["httpStatus"].get_int64(), d["delivered"].get_bool()});
    }
    std::reverse(rows.begin(), rows.end());  // oldest first
    return rows;
  }

  // Every request to `hook` carries the signature of its body under the rule's secret and
  // names the rule's kind; returns the parsed bodies' fields as text, one map per request.
  std::vector<std::map<std::string, std::string>> Payloads(const std::string& hook,
                                                           const std::string& kind) {
    std::vector<std::map<std::string, std::string>> out;
    for (const Receiver::Request& req : receiver_.Received(hook)) {
      EXPECT_EQ(req.signature, "sha256=" + HmacHex(kSecret, req.body)) << req.body;
      EXPECT_NE(req.signature, "sha256=" + HmacHex(kSecret + "x", req.body));
      EXPECT_EQ(req.event, kind);
      simdjson::dom::parser p;
      simdjson::dom::object o = p.parse(req.body).get_object();
      std::map<std::string, std::string> fields;
      for (auto [key, value] : o) {
        fields[std::string(key)] =
            value.is_string() ? std::string(value.get_string().value()) : simdjson::minify(value);
      }
      EXPECT_EQ(fields["kind"], kind);
      EXPECT_EQ(fields["at"], service::FormatTimestamp(Clock()));
      EXPECT_FALSE(fields["message"].empty());
      out.push_back(std::move(fields));
    }
    return out;
  }

  std::vector<std::chrono::milliseconds> Backoffs() {
    std::lock_guard<std::mutex> lock(backoffs_mu_);
    return backoffs_;
  }

  std::atomic<std::int64_t> clock_{testing::kNow + 3600};
  Receiver receiver_;
  std::mutex backoffs_mu_;
  std::vector<std::chrono::milliseconds> backoffs_;
  std::unique_ptr<AlertWorker> alerts_;
  std::unique_ptr<ApiServer> wire_;
  std::unique_ptr<httplib::Client> client_;
  std::thread serving_;
};

TEST_F(AlertsEndToEnd, ADropOfNPointsIsSignedRetriedRecordedAndSentOnce) {
  const std::int64_t rule = AddRule("t-beta", "drop", 5, "drop");
  EXPECT_TRUE(receiver_.Received("drop").empty()) << "one evaluation: nothing to drop from";

  // The strong tenant's next snapshot is a weak one, and the receiver fails twice first.
  receiver_.FailNext(2);
  ASSERT_EQ(Evaluate("t-beta", 11, generate::Profile::kWeak, testing::kNow), 201);
  const auto payloads = Payloads("drop", "drop");
  ASSERT_EQ(payloads.size(), 3u) << "two 500s, then delivered";
  for (const auto& p : payloads) EXPECT_EQ(p, payloads.front()) << "every retry sends one body";
  const auto& p = payloads.front();
  EXPECT_EQ(p.at("rule"), std::to_string(rule));
  EXPECT_EQ(p.at("tenant"), "t-beta");
  const double previous = std::stod(p.at("previousPoints"));
  const double current = std::stod(p.at("currentPoints"));
  EXPECT_GE(previous - current, 5);
  EXPECT_EQ(p.count("control"), 0u);

  // The figures are the stored evaluations', as the history route reports them.
  httplib::Result history = Send("GET", "/api/v1/tenants/t-beta/history");
  ASSERT_TRUE(history);
  simdjson::dom::parser hp;
  simdjson::dom::element h = hp.parse(history->body);
  std::vector<std::pair<std::int64_t, double>> points;
  for (simdjson::dom::element e : h["evaluations"].get_array()) {
    points.emplace_back(e["id"].get_int64(), e["current"].get_double());
  }
  ASSERT_EQ(points.size(), 2u) << history->body;
  EXPECT_EQ(p.at("evaluation"), std::to_string(points[1].first));
  EXPECT_DOUBLE_EQ(previous, points[0].second);
  EXPECT_DOUBLE_EQ(current, points[1].second);

  // Backoff doubles from the policy's first wait; every attempt is recorded, in order.
  EXPECT_THAT(Backoffs(), ElementsAre(std::chrono::milliseconds(500), std::chrono::seconds(1)));
  const std::vector<DeliveryRow> rows = Deliveries(rule);
  ASSERT_EQ(rows.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(rows[i].attempt, i + 1);
    EXPECT_EQ(rows[i].tenant, "t-beta");
    EXPECT_EQ(rows[i].event, p.at("event"));
    EXPECT_EQ(rows[i].http_status, i < 2 ? 500 : 200);
    EXPECT_EQ(rows[i].delivered, i == 2);
  }

  // The same condition does not alert again: the same snapshot again, a sweep, a day later.
  ASSERT_EQ(Evaluate("t-beta", 11, generate::Profile::kWeak, testing::kNow), 200);
  Sweep();
  AdvanceClock(kDay);
  Sweep();
  EXPECT_EQ(receiver_.Received("drop").size(), 3u);
  EXPECT_EQ(Deliveries(rule).size(), 3u);
  // A new evaluation without a drop (the same weak tenant a day later) does not either.
  ASSERT_EQ(Evaluate("t-beta", 11, generate::Profile::kWeak, testing::kNow + kDay), 201);
  EXPECT_EQ(receiver_.Received("drop").size(), 3u);
}

TEST_F(AlertsEndToEnd, ARegressionAlertsOncePerRegressedControl) {
  const std::int64_t rule = AddRule("t-delta", "regression", 0, "regression");
  EXPECT_TRUE(receiver_.Received("regression").empty());
  ASSERT_EQ(Evaluate("t-delta", 13, generate::Profile::kWeak, testing::kNow), 201);

  // Exactly the controls the API reports as regressed, each once, each signed.
  httplib::Result actions =
      Send("GET", "/api/v1/tenants/t-delta/actions?regressed=true&limit=1000");
  ASSERT_TRUE(actions);
  simdjson::dom::parser ap;
  std::set<std::string> regressed;
  for (simdjson::dom::element a : ap.parse(actions->body)["items"].get_array()) {
    regressed.insert(std::string(a["id"].get_string().value()));
  }
  ASSERT_FALSE(regressed.empty()) << "a strong tenant turned weak must regress somewhere";
  std::set<std::string> alerted;
  std::set<std::string> events;
  for (const auto& p : Payloads("regression", "regression")) {
    EXPECT_EQ(p.at("tenant"), "t-delta");
    EXPECT_EQ(p.at("rule"), std::to_string(rule));
    EXPECT_THAT(p.at("message"), HasSubstr(p.at("control")));
    EXPECT_TRUE(alerted.insert(p.at("control")).second) << "twice: " << p.at("control");
    events.insert(p.at("event"));
  }
  EXPECT_EQ(alerted, regressed);
  EXPECT_EQ(events.size(), regressed.size());
  const std::vector<DeliveryRow> rows = Deliveries(rule);
  EXPECT_EQ(rows.size(), regressed.size());
  for (const DeliveryRow& r : rows) EXPECT_TRUE(r.delivered && r.attempt == 1);

  // Still regressed against the same previous evaluation: nothing new.
  ASSERT_EQ(Evaluate("t-delta", 13, generate::Profile::kWeak, testing::kNow), 200);
  Sweep();
  EXPECT_EQ(receiver_.Received("regression").size(), regressed.size());
  // The next evaluation is the same as this one: no control regresses against it.
  ASSERT_EQ(Evaluate("t-delta", 13, generate::Profile::kWeak, testing::kNow + kDay), 201);
  Sweep();
  EXPECT_EQ(receiver_.Received("regression").size(), regressed.size());
  EXPECT_TRUE(Backoffs().empty());
}

TEST_F(AlertsEndToEnd, AStateAboutToExpireAlertsAsTheServerClockReachesItsHorizon) {
  const std::int64_t fleet = AddRule("", "state_expiring", 7, "fleet");
  const std::int64_t beta = AddRule("t-beta", "state_expiring", 7, "beta");
  // The same control accepted in two tenants until the same moment, ten days from now.
  const std::string control = "MFARegistrationV2";
  const std::string expiry = service::FormatTimestamp(Clock() + std::chrono::hours(24 * 10));
  for (const std::string& tenant : {std::string("t-alpha"), std::string("t-beta")}) {
    const std::string body = R"({"state":"risk_accepted","expiresAt":")" + expiry + "\"}";
    std::string path = "/api/v1/tenants/";
    path.append(tenant).append("/actions/").append(control);
    httplib::Result r = Send("PATCH", path, body);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
  }
  Sweep();
  EXPECT_TRUE(receiver_.Received("fleet").empty()) << "ten days out, beyond a 7-day horizon";

  // Four days later the expiry is six days out: inside the horizon.
  AdvanceClock(4 * kDay);
  Sweep();
  std::set<std::string> tenants;
  for (const auto& p : Payloads("fleet", "state_expiring")) {
    EXPECT_EQ(p.at("rule"), std::to_string(fleet));
    EXPECT_EQ(p.at("control"), control);
    EXPECT_EQ(p.at("expiresAt"), expiry);
    EXPECT_THAT(p.at("message"), HasSubstr("risk_accepted"));
    tenants.insert(p.at("tenant"));
  }
  // Fleet-wide: each tenant's state alerts, even with the same control and expiry.
  EXPECT_EQ(tenants, (std::set<std::string>{"t-alpha", "t-beta"}));
  EXPECT_EQ(receiver_.Received("fleet").size(), 2u);
  // Per tenant: only that tenant's.
  const auto scoped = Payloads("beta", "state_expiring");
  ASSERT_EQ(scoped.size(), 1u);
  EXPECT_EQ(scoped[0].at("tenant"), "t-beta");
  EXPECT_EQ(scoped[0].at("rule"), std::to_string(beta));

  // The state keeps approaching its expiry; it was announced once.
  AdvanceClock(kDay);
  Sweep();
  ASSERT_EQ(Evaluate("t-alpha", 10, generate::Profile::kTypical, testing::kNow + kDay), 201);
  EXPECT_EQ(receiver_.Received("fleet").size(), 2u);
  EXPECT_EQ(receiver_.Received("beta").size(), 1u);
  EXPECT_EQ(Deliveries(fleet).size(), 2u);
  EXPECT_EQ(Deliveries(beta).size(), 1u);
}

TEST_F(AlertsEndToEnd, AScoreBelowAThresholdAlertsOncePerFallAcrossTheFleetOrOneTenant) {
  // Fleet-wide, every tenant is below 100 % from the start: one alert each when the rule is
  // created (not at the next periodic check), and none for later evaluations that stay low.
  const std::int64_t fleet = AddRule("", "score_below", 100, "fleet");
  std::multiset<std::string> tenants;
  for (const auto& p : Payloads("fleet", "score_below")) tenants.insert(p.at("tenant"));
  EXPECT_EQ(tenants, (std::multiset<std::string>{"t-alpha", "t-beta", "t-delta", "t-gamma"}));

  // One tenant: below the threshold, back above it, below again.
  httplib::Result score = Send("GET", "/api/v1/tenants/t-gamma/score");
  ASSERT_TRUE(score);
  simdjson::dom::parser sp;
  const double weak = sp.parse(score->body)["score"]["percentage"].get_double();
  const std::int64_t gamma = AddRule("t-gamma", "score_below", weak + 1, "gamma");
  ASSERT_EQ(receiver_.Received("gamma").size(), 1u);
  ASSERT_EQ(Evaluate("t-gamma", 12, generate::Profile::kStrong, testing::kNow), 201);
  EXPECT_EQ(receiver_.Received("gamma").size(), 1u) << "recovered: nothing to say";
  ASSERT_EQ(Evaluate("t-gamma", 12, generate::Profile::kWeak, testing::kNow + kDay), 201);
  EXPECT_EQ(receiver_.Received("gamma").size(), 2u) << "fell again: a new alert";
  ASSERT_EQ(Evaluate("t-gamma", 12, generate::Profile::kWeak, testing::kNow + 2 * kDay), 201);
  Sweep();
  const auto falls = Payloads("gamma", "score_below");
  ASSERT_EQ(falls.size(), 2u) << "still low: the same fall";
  EXPECT_NE(falls[0].at("event"), falls[1].at("event"));
  for (const auto& p : falls) {
    EXPECT_EQ(p.at("tenant"), "t-gamma");
    EXPECT_EQ(p.at("rule"), std::to_string(gamma));
    EXPECT_LT(std::stod(p.at("percentage")), weak + 1);
  }
  EXPECT_EQ(Deliveries(gamma).size(), 2u);
  // The fleet-wide rule saw the same fall of t-gamma: one more, and nothing for the others.
  tenants.clear();
  for (const auto& p : Payloads("fleet", "score_below")) tenants.insert(p.at("tenant"));
  EXPECT_EQ(tenants.count("t-gamma"), 1u) << "t-gamma never rose above 100 %";
  EXPECT_EQ(Deliveries(fleet).size(), 4u);
}

TEST_F(AlertsEndToEnd, RulesThatCouldNeverFireAreRefused) {
  const auto refused = [&](const std::string& body, const std::string& pointer) {
    httplib::Result r = Send("POST", "/api/v1/alerts/rules", body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << body;
    EXPECT_THAT(r->body, HasSubstr(pointer)) << r->body;
  };
  const std::string tail = R"(,"url":"http://127.0.0.1:9/h","secret":")" + kSecret + R"("})";
  refused(R"({"kind":"score_above","threshold":50)" + tail, "/kind");
  refused(R"({"kind":"drop","threshold":0)" + tail, "/threshold");
  refused(R"({"kind":"score_below","threshold":120)" + tail, "/threshold");
  refused(R"({"kind":"state_expiring","threshold":-1)" + tail, "/threshold");
  refused(R"({"kind":"regression","threshold":0,"url":"ftp://x/h","secret":")" + kSecret + "\"}",
          "/url");
  httplib::Result rules = Send("GET", "/api/v1/alerts/rules");
  ASSERT_TRUE(rules);
  EXPECT_THAT(rules->body, HasSubstr("\"rules\":[]"));
}

}  // namespace
}  // namespace securescore::server
