#include "securescore/server/http_server.h"

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "securescore/catalog/json_writer.h"
#include "securescore/server/metrics.h"

#ifndef SECURESCORE_SOURCE_TREE
#define SECURESCORE_SOURCE_TREE ""
#endif

namespace securescore::server {
namespace {

bool IsApiPath(std::string_view path) {
  return path.rfind("/api/", 0) == 0 || path.rfind("/v1.0/", 0) == 0 || path == "/healthz" ||
         path == "/metrics";
}

std::string ContentTypeOf(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::optional<std::string> ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

void AddSecurityHeaders(HttpResponse& response) {
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                                "form-action 'self'");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Cache-Control", "no-store");
}

// ------------------------------------------------------------------------------------ wire

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kHeaderLimit = 16 << 10;    // request line and headers
constexpr std::chrono::seconds kIdleTimeout{5};   // keep-alive and header reads
constexpr std::chrono::seconds kBodyTimeout{60};  // a 16 MiB upload on a slow link
constexpr std::chrono::seconds kWriteTimeout{30};
constexpr int kMaxRequestsPerConnection = 10000;
// After refusing a body, read and drop what the client still sends (up to this much) so that
// it sees the answer rather than a reset of the connection.
constexpr std::size_t kLingerBytes = 32 << 20;

// RFC 3986 percent-decoding; `plus_is_space` for query strings (HTML forms). A malformed
// escape is kept as written.
std::string PercentDecode(std::string_view in, bool plus_is_space) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2])));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

HttpRequest ToHttpRequest(http::request<http::string_body>&& r) {
  HttpRequest out;
  out.method = std::string(r.method_string());
  const std::string_view target(r.target().data(), r.target().size());
  const std::size_t q = target.find('?');
  out.path = PercentDecode(target.substr(0, q), false);
  if (q != std::string_view::npos) {
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
      const std::size_t amp = rest.find('&');
      const std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      if (pair.empty()) continue;
      const std::size_t eq = pair.find('=');
      out.query.emplace(
          PercentDecode(pair.substr(0, eq), true),
          eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), true));
    }
  }
  for (const auto& field : r) {
    out.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  }
  out.body = std::move(r.body());
  return out;
}

}  // namespace

class ApiServer::Wire {
 public:
  Wire(ApiServer& server, int threads, int max_connections)
      : server_(server), max_connections_(max_connections > 0 ? max_connections : 1024) {
    // One event loop per thread, each connection on one of them: no hand-offs between threads
    // within a request (a shared loop cost a context switch or two per request).
    for (int i = 0; i < (threads > 0 ? threads : 8); ++i) {
      loops_.push_back(std::make_unique<asio::io_context>(1));
      keep_running_.emplace_back(loops_.back()->get_executor());
    }
    acceptor_.emplace(*loops_.front());
  }

  Result<int> Bind(const std::string& host, int port);
  void Run();
  void Stop();

  ApiServer& server() { return server_; }
  bool stopping() const { return stopping_.load(); }

 private:
  class Session;
  void Accept();

  using WorkGuard = asio::executor_work_guard<asio::io_context::executor_type>;

  ApiServer& server_;
  const int max_connections_;
  std::vector<std::unique_ptr<asio::io_context>> loops_;
  std::vector<WorkGuard> keep_running_;  // an idle loop runs until Stop()
  std::optional<tcp::acceptor> acceptor_;
  std::size_t next_loop_ = 0;  // round-robin; touched only by the acceptor's loop
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::vector<std::weak_ptr<Session>> sessions_;
};

// One connection: read a request, answer it, repeat while keep-alive holds. Every step runs on
// its event loop, which one thread runs, so the session needs no locks of its own.
class ApiServer::Wire::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Wire& wire, tcp::socket&& socket) : wire_(wire), stream_(std::move(socket)) {}

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

  // From Stop(): a connection waiting for its next request is closed; one whose request is
  // being answered finishes and then closes.
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->stream_.cancel();
    });
  }

 private:
  void ReadHeader() {
    if (wire_.stopping()) return Close();
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(kSnapshotBodyLimit);
    stream_.expires_after(kIdleTimeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) return Refuse(ec);
    const auto& req = parser_->get();
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      // curl and others wait for this before sending a large body.
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.expires_after(kWriteTimeout);
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](beast::error_code e, std::size_t) {
                          if (e) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(kBodyTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRequest, shared_from_this()));
  }

  void OnRequest(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) return Refuse(ec);
    busy_ = true;
    http::request<http::string_body> req = parser_->release();
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    HttpResponse out = wire_.server().Handle(ToHttpRequest(std::move(req)));
    Write(std::move(out), version,
          keep_alive && !wire_.stopping() && ++served_ < kMaxRequestsPerConnection);
  }

  // A request that could not be read: answered with a JSON error when the client can still
  // read one, else the connection is simply closed.
  void Refuse(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return Answer(413, "payload_too_large", "the request body is too large", true);
    }
    if (ec == http::error::header_limit) {
      return Answer(431, "headers_too_large", "the request line or headers are too large");
    }
    if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return Answer(400, "invalid_request", "the request could not be read");
    }
    Close();  // end of stream, timeout, reset, cancelled by Stop()
  }

  void Answer(int status, std::string_view code, std::string_view message, bool linger = false) {
    busy_ = true;
    linger_ = linger;
    HttpResponse r = ErrorResponse(status, code, message);
    AddSecurityHeaders(r);
    Write(std::move(r), 11, false);
  }

  void Write(HttpResponse out, unsigned version, bool keep_alive) {
    response_.emplace(static_cast<http::status>(out.status), version);
    for (auto& [name, value] : out.headers) response_->insert(name, value);
    // The response points into body_, which holds either the handler's own text or a cached
    // document it shares, until the write completes.
    body_ = out.shared_body ? std::move(out.shared_body)
                            : std::make_shared<const std::string>(std::move(out.body));
    if (!body_->empty() || out.status != 204) {
      response_->set(http::field::content_type, out.content_type);
      response_->body() = http::span_body<const char>::value_type(body_->data(), body_->size());
    }
    response_->keep_alive(keep_alive);
    response_->prepare_payload();
    stream_.expires_after(kWriteTimeout);
    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t /*bytes*/) {
    busy_ = false;
    const bool keep_alive = response_->keep_alive();
    response_.reset();
    body_.reset();
    if (ec) return Close();
    if (!keep_alive) return linger_ ? Linger() : Close();
    ReadHeader();
  }

  // Half-close, then drop what the client still sends until it closes too.
  void Linger() {
    beast::error_code ignored;
    (void)stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kIdleTimeout);
    stream_.async_read_some(asio::buffer(drain_),
                            [self = shared_from_this()](beast::error_code e, std::size_t n) {
                              self->drained_ += n;
                              if (e || self->drained_ > kLingerBytes) return self->Close();
                              self->Linger();
                            });
  }

  void Close() {
    beast::error_code ignored;
    (void)stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  Wire& wire_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::span_body<const char>>> response_;
  std::shared_ptr<const std::string> body_;
  bool busy_ = false;
  bool linger_ = false;
  int served_ = 0;
  std::size_t drained_ = 0;
  std::array<char, 64 << 10> drain_{};
};

Result<int> ApiServer::Wire::Bind(const std::string& host, int port) {
  auto fail = [&](const beast::error_code& ec) -> Error {
    return Error{ErrorCode::kUnavailable,
                 "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message(),
                 "--listen"};
  };
  beast::error_code ec;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) return fail(ec);
  const tcp::endpoint endpoint(address, static_cast<std::uint16_t>(port));
  (void)acceptor_->open(endpoint.protocol(), ec);
  if (!ec) (void)acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) (void)acceptor_->bind(endpoint, ec);
  if (!ec) (void)acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(ec);
  Accept();
  return static_cast<int>(acceptor_->local_endpoint().port());
}

void ApiServer::Wire::Accept() {
  asio::io_context& loop = *loops_[next_loop_++ % loops_.size()];
  acceptor_->async_accept(loop, [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!acceptor_->is_open()) return;  // Stop()
      return Accept();                    // e.g. out of descriptors for a moment
    }
    // Small answers must not wait for the peer's delayed ACK (Nagle).
    (void)socket.set_option(tcp::no_delay(true), ec);
    std::shared_ptr<Session> session;
    {
      std::lock_guard<std::mutex> lock(mu_);
      std::erase_if(sessions_, [](const std::weak_ptr<Session>& s) { return s.expired(); });
      if (!stopping_ && sessions_.size() < static_cast<std::size_t>(max_connections_)) {
        session = std::make_shared<Session>(*this, std::move(socket));
        sessions_.push_back(session);
      }
    }
    if (session) session->Start();  // else the socket closes as it goes out of scope
    Accept();
  });
}

void ApiServer::Wire::Run() {
  std::vector<std::thread> others;
  for (std::size_t i = 1; i < loops_.size(); ++i) {
    others.emplace_back([loop = loops_[i].get()] { loop->run(); });
  }
  loops_.front()->run();
  for (std::thread& t : others) t.join();
}

void ApiServer::Wire::Stop() {
  if (stopping_.exchange(true)) return;
  asio::post(*loops_.front(), [this] {
    beast::error_code ignored;
    (void)acceptor_->close(ignored);
  });
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::weak_ptr<Session>& s : sessions_) {
      if (std::shared_ptr<Session> live = s.lock()) live->CloseIfIdle();
    }
  }
  // Each loop now ends once its last connection has closed.
  for (WorkGuard& g : keep_running_) g.reset();
}

ApiServer::ApiServer(const Router& router, ServerContext& context, ServerOptions options)
    : router_(router),
      context_(context),
      options_(std::move(options)),
      wire_(std::make_unique<Wire>(*this, options_.threads, options_.max_connections)) {}

ApiServer::~ApiServer() = default;

HttpResponse ApiServer::Handle(const HttpRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  Dispatched d;
  if (request.method == "GET" && !IsApiPath(request.path)) {
    d.response = ServeStatic(request);
    d.route = "(static)";
  } else {
    d = router_.Dispatch(request, context_);
  }
  AddSecurityHeaders(d.response);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (context_.metrics) context_.metrics->RecordRequest(d.route, d.response.status, seconds);
  if (options_.access_log) {
    catalog::JsonWriter w;
    w.BeginObject().Key("ts").String(std::to_string(context_.now().time_since_epoch().count()));
    w.Key("method").String(request.method).Key("path").String(request.path);
    w.Key("route").String(d.route).Key("status").Int(d.response.status);
    w.Key("bytes").Int(static_cast<std::int64_t>(d.response.Body().size()));
    w.Key("durationMs").Number(std::round(seconds * 1e6) / 1e3);
    w.Key("tokenId").String(d.token_id).EndObject();
    options_.access_log(w.str());
  }
  return std::move(d.response);
}

HttpResponse ApiServer::ServeStatic(const HttpRequest& request) const {
  if (options_.web_dir.empty()) {
    return ErrorResponse(404, "not_found", "no dashboard is installed (see --web)");
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(options_.web_dir, ec);
  fs::path wanted = fs::weakly_canonical(root / fs::path(request.path).relative_path(), ec);
  // Never outside the web directory, whatever ".." or symlinks the path holds.
  const std::string rel = wanted.lexically_relative(root).string();
  const bool inside = !ec && !rel.empty() && rel.rfind("..", 0) != 0;
  if (!inside || !fs::is_regular_file(wanted, ec)) {
    // Client routes (no file extension) fall back to the single page; missing assets 404.
    if ((inside && !fs::path(request.path).has_extension()) || request.path == "/") {
      wanted = root / "index.html";
    } else {
      return ErrorResponse(404, "not_found", "no such file");
    }
  }
  std::optional<std::string> body = ReadFile(wanted);
  if (!body) return ErrorResponse(404, "not_found", "no such file");
  return HttpResponse{200, ContentTypeOf(wanted), std::move(*body), {}, nullptr};
}

Result<int> ApiServer::Bind() { return wire_->Bind(options_.host, options_.port); }

void ApiServer::Run() { wire_->Run(); }

void ApiServer::Stop() { wire_->Stop(); }

std::string FindWebDir(const std::string& explicit_dir) {
  if (!explicit_dir.empty()) return explicit_dir;
  const std::filesystem::path built = std::filesystem::path(SECURESCORE_SOURCE_TREE) / "web/dist";
  std::error_code ec;
  if (std::string(SECURESCORE_SOURCE_TREE).size() > 0 &&
      std::filesystem::is_regular_file(built / "index.html", ec)) {
    return built.string();
  }
  return "";
}

}  // namespace securescore::server
