// The server over real loopback sockets (port 0): a bounded flood of malformed and slow
// requests does not stop good ones, oversized bodies get 413 on the wire, and alert webhooks
// reach a local receiver signed, retried and recorded. No timing assertions.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <random>
#include <thread>

#include "gmock/gmock.h"
#include "securescore/server/alerts.h"
#include "securescore/server/server_test_util.h"

namespace securescore::server {
namespace {

using testing::ServerFixture;

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

class HttpTest : public ServerFixture {
 protected:
  void StartServer(int max_connections = 1024) {
    ServerOptions options;
    options.port = 0;
    options.threads = 8;
    options.max_connections = max_connections;
    wire_ = std::make_unique<ApiServer>(router_, context_, options);
    Result<int> port = wire_->Bind();
    ASSERT_TRUE(port) << port.error().ToString();
    port_ = *port;
    thread_ = std::thread([this] { wire_->Run(); });
  }
  void TearDown() override {
    if (wire_) wire_->Stop();
    if (thread_.joinable()) thread_.join();
    wire_.reset();
    ServerFixture::TearDown();
  }
  httplib::Result Get(const std::string& path, const std::string& token) {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    return c.Get(path.c_str(), {{"Authorization", "Bearer " + token}});
  }

  std::unique_ptr<ApiServer> wire_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(HttpTest, GoodRequestsAreServedThroughAFloodOfBadOnes) {
  StartServer();
  const std::string token = scoped_[Role::kReader];
  // A few slow clients hold connections with half a request (fewer than the worker threads).
  std::vector<int> slow;
  for (int i = 0; i < 3; ++i) {
    const int fd = Connect(port_);
    ASSERT_GE(fd, 0);
    const std::string partial = "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    ASSERT_GT(send(fd, partial.data(), partial.size(), MSG_NOSIGNAL), 0);
    slow.push_back(fd);
  }
  std::mt19937 rng(7);
  int good = 0;
  for (int round = 0; round < 60; ++round) {
    // Garbage, truncated and oversized-header requests, each on its own connection.
    const int fd = Connect(port_);
    ASSERT_GE(fd, 0);
    std::string junk;
    switch (round % 4) {
      case 0:
        for (int i = 0; i < 512; ++i) junk.push_back(static_cast<char>(rng() & 0xff));
        break;
      case 1:
        junk = "PATCH /api/v1/tenants/t-alpha/actions/x HTTP/1.1\r\nContent-Length: 99\r\n\r\n{";
        break;
      case 2: junk = "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n"; break;
      default: junk = "\r\n\r\nHELLO\r\n\r\n"; break;
    }
    (void)send(fd, junk.data(), junk.size(), MSG_NOSIGNAL);
    shutdown(fd, SHUT_RDWR);
    close(fd);
    if (round % 6 == 0) {
      httplib::Result r = Get("/api/v1/tenants/t-alpha/score", token);
      ASSERT_TRUE(r) << httplib::to_string(r.error());
      EXPECT_EQ(r->status, 200);
      ++good;
    }
  }
  for (int fd : slow) close(fd);
  httplib::Result health = Get("/healthz", "");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(good, 10);
}

TEST_F(HttpTest, OversizedBodiesGet413WithAJsonErrorOnTheWire) {
  StartServer();
  httplib::Client c("127.0.0.1", port_);
  c.set_read_timeout(60, 0);
  const std::string big(kSnapshotBodyLimit + 1024, 'x');
  httplib::Result r =
      c.Post("/api/v1/tenants/t-alpha/evaluate",
             {{"Authorization", "Bearer " + fleet_[Role::kAdmin]}}, big, "application/json");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 413);
  EXPECT_THAT(r->body, ::testing::HasSubstr("payload_too_large"));
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  // 1 MiB is the limit of ordinary routes.
  httplib::Result patch = c.Patch("/api/v1/tenants/t-alpha/actions/x",
                                  {{"Authorization", "Bearer " + fleet_[Role::kAdmin]}},
                                  std::string(kDefaultBodyLimit + 1, ' '), "application/json");
  ASSERT_TRUE(patch);
  EXPECT_EQ(patch->status, 413);
  httplib::Result missing = c.Delete("/api/v1/me");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 405);
}

// A receiver that fails its first request, then accepts; it keeps what it received.
struct Receiver {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> received;  // body, signature
  std::atomic<int> calls{0};

  Receiver() {
    server.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu);
      received.emplace_back(req.body, req.get_header_value("X-Securescore-Signature"));
      res.status = calls++ == 0 ? 500 : 200;
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  ~Receiver() {
    server.stop();
    thread.join();
  }
};

TEST_F(HttpTest, AlertsAreSignedRetriedRecordedAndDeliveredOnce) {
  Receiver receiver;
  ASSERT_GT(receiver.port, 0);
  auto lease = pool_->Acquire();
  ASSERT_TRUE(lease);
  store::Store& s = **lease;
  const std::string secret = "0123456789abcdef-secret";
  auto rule = s.AddAlertRule({0, "t-alpha", "score_below", 101,
                              "http://127.0.0.1:" + std::to_string(receiver.port) + "/hook", secret,
                              "test", Now()});
  ASSERT_TRUE(rule);
  const DeliveryPolicy fast{4, std::chrono::milliseconds(1)};
  const WebhookPost post = HttpWebhookPost(std::chrono::seconds(10));
  ASSERT_TRUE(CheckAlerts(s, testing::TestCatalog(), "t-alpha", post, fast, Now()));
  ASSERT_EQ(receiver.calls.load(), 2);
  {
    std::lock_guard<std::mutex> lock(receiver.mu);
    for (const auto& [body, signature] : receiver.received) {
      EXPECT_EQ(signature, "sha256=" + HmacSha256Hex(secret, body));
      EXPECT_THAT(body, ::testing::HasSubstr("\"kind\":\"score_below\""));
      EXPECT_THAT(body, ::testing::HasSubstr("\"tenant\":\"t-alpha\""));
    }
  }
  auto deliveries = s.ListDeliveries(10);
  ASSERT_TRUE(deliveries);
  ASSERT_EQ(deliveries->size(), 2u);
  EXPECT_TRUE((*deliveries)[0].delivered);
  EXPECT_EQ((*deliveries)[0].attempt, 2);
  EXPECT_EQ((*deliveries)[1].http_status, 500);
  // The same event is not delivered again.
  ASSERT_TRUE(CheckAlerts(s, testing::TestCatalog(), "", post, fast, Now()));
  EXPECT_EQ(receiver.calls.load(), 2);

  // A receiver that is not there: every attempt is recorded, then the failure is reported.
  const int dead_port = Connect(1) < 0 ? 1 : 9;
  ASSERT_TRUE(s.AddAlertRule({0, "", "regression", 0,
                              "http://127.0.0.1:" + std::to_string(dead_port) + "/x", secret,
                              "test", Now()}));
  ASSERT_TRUE(s.AddAlertRule({0, "", "score_below", 101,
                              "http://127.0.0.1:" + std::to_string(dead_port) + "/x", secret,
                              "test", Now()}));
  Status dead = CheckAlerts(s, testing::TestCatalog(), "t-beta", post, fast, Now());
  EXPECT_FALSE(dead);
  auto after = s.ListDeliveries(100);
  ASSERT_TRUE(after);
  int failed_attempts = 0;
  for (const store::AlertDelivery& d : *after) failed_attempts += d.tenant_id == "t-beta" ? 1 : 0;
  EXPECT_EQ(failed_attempts, 4);
}

// Sends `request` on a fresh connection and reads until the server closes it.
std::string Exchange(int port, const std::string& request) {
  const int fd = Connect(port);
  if (fd < 0) return "";
  (void)send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) reply.append(buf, n);
  close(fd);
  return reply;
}

TEST_F(HttpTest, PathsAndQueriesArePercentDecoded) {
  StartServer();
  const std::string auth = "Authorization: Bearer " + scoped_[Role::kReader] + "\r\n";
  const std::string score =
      Exchange(port_, "GET /api/v1/tenants/t%2Dalpha/score HTTP/1.1\r\nHost: x\r\n" + auth +
                          "Connection: close\r\n\r\n");
  EXPECT_THAT(score, ::testing::StartsWith("HTTP/1.1 200"));
  // "%65" is "e": the route sees include=entities and lists the entities.
  const std::string listed = Exchange(
      port_, "GET /api/v1/tenants/t-alpha/score?include=%65ntities HTTP/1.1\r\nHost: x\r\n" + auth +
                 "Connection: close\r\n\r\n");
  EXPECT_THAT(listed, ::testing::StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(listed, ::testing::HasSubstr("\"failing\""));
  // "+" is a space in a query string, so this names no known inclusion.
  const std::string plus = Exchange(
      port_, "GET /api/v1/tenants/t-alpha/score?include=entities+x HTTP/1.1\r\nHost: x\r\n" + auth +
                 "Connection: close\r\n\r\n");
  EXPECT_THAT(plus, ::testing::StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(plus, ::testing::HasSubstr("X-Content-Type-Options: nosniff"));
}

// curl sends "Expect: 100-continue" before a body over 1 KiB and waits for the go-ahead.
TEST_F(HttpTest, ExpectContinueGetsTheGoAheadThenTheAnswer) {
  StartServer();
  const std::string body = R"({"state":"third_party","comment":")" + std::string(2000, 'x') + "\"}";
  const std::string reply =
      Exchange(port_,
               "PATCH /api/v1/tenants/t-alpha/actions/nope HTTP/1.1\r\nHost: x\r\n"
               "Authorization: Bearer " +
                   scoped_[Role::kOperator] +
                   "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                   "Connection: close\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_THAT(reply, ::testing::StartsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404"));
  EXPECT_THAT(reply, ::testing::HasSubstr("no control nope"));
}

// Idle keep-alive connections hold no thread: more of them than threads are all answered,
// and past max_connections new ones are closed at once.
TEST_F(HttpTest, ConnectionsBeyondTheThreadsAreServedUpToTheLimit) {
  StartServer(/*max_connections=*/12);
  std::vector<int> open;
  for (int i = 0; i < 12; ++i) {
    const int fd = Connect(port_);
    ASSERT_GE(fd, 0);
    open.push_back(fd);
  }
  const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int round = 0; round < 2; ++round) {
    for (int fd : open) {
      ASSERT_GT(send(fd, get.data(), get.size(), MSG_NOSIGNAL), 0);
      char buf[2048];
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      ASSERT_GT(n, 0);
      EXPECT_THAT(std::string(buf, n), ::testing::StartsWith("HTTP/1.1 200"));
    }
  }
  const std::string refused = Exchange(port_, get);
  EXPECT_EQ(refused, "");
  for (int fd : open) close(fd);
}

TEST_F(HttpTest, StopFinishesAndReturns) {
  StartServer();
  httplib::Result r = Get("/api/v1/me", fleet_[Role::kReader]);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  wire_->Stop();
  thread_.join();
  httplib::Client c("127.0.0.1", port_);
  c.set_connection_timeout(2, 0);
  EXPECT_FALSE(c.Get("/healthz"));
}

}  // namespace
}  // namespace securescore::server
