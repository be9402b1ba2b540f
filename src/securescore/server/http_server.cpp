#include "securescore/server/http_server.h"

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

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

HttpRequest FromHttplib(const httplib::Request& r) {
  HttpRequest out;
  out.method = r.method;
  out.path = r.path;
  for (const auto& [k, v] : r.params) out.query.emplace(k, v);
  for (const auto& [k, v] : r.headers) out.headers.emplace(k, v);
  out.body = r.body;
  return out;
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

ApiServer::ApiServer(const Router& router, ServerContext& context, ServerOptions options)
    : router_(router),
      context_(context),
      options_(std::move(options)),
      http_(std::make_unique<httplib::Server>()) {
  const int threads = options_.threads > 0 ? options_.threads : 8;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Larger bodies are refused by httplib itself with 413 before they are read whole.
  http_->set_payload_max_length(kSnapshotBodyLimit);
  http_->set_read_timeout(5, 0);
  http_->set_write_timeout(5, 0);
  http_->set_keep_alive_max_count(1000);
  http_->set_keep_alive_timeout(5);
  // httplib writes the headers and the body separately; with Nagle's algorithm the body of a
  // small response then waits for the client's delayed ACK (~40 ms per request).
  http_->set_tcp_nodelay(true);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    HttpResponse r = Handle(FromHttplib(req));
    res.status = r.status;
    for (const auto& [k, v] : r.headers) res.set_header(k, v);
    if (!r.body.empty() || r.status != 204) res.set_content(std::move(r.body), r.content_type);
  };
  http_->Get(".*", handler);
  http_->Post(".*", handler);
  http_->Put(".*", handler);
  http_->Patch(".*", handler);
  http_->Delete(".*", handler);
  http_->Options(".*", handler);
  // Errors httplib answers itself (413, 400 for unparsable requests) get a JSON body and the
  // same headers as everything else.
  http_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    HttpResponse r = ErrorResponse(
        res.status, res.status == 413 ? "payload_too_large" : "invalid_request",
        res.status == 413 ? "the request body is too large" : "the request could not be read");
    AddSecurityHeaders(r);
    for (const auto& [k, v] : r.headers) res.set_header(k, v);
    res.set_content(r.body, r.content_type);
  });
}

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
    w.Key("bytes").Int(static_cast<std::int64_t>(d.response.body.size()));
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
    if (inside && !fs::path(request.path).has_extension()) {
      wanted = root / "index.html";
    } else if (request.path == "/") {
      wanted = root / "index.html";
    } else {
      return ErrorResponse(404, "not_found", "no such file");
    }
  }
  std::optional<std::string> body = ReadFile(wanted);
  if (!body) return ErrorResponse(404, "not_found", "no such file");
  return HttpResponse{200, ContentTypeOf(wanted), std::move(*body), {}};
}

Result<int> ApiServer::Bind() {
  int port = options_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.host);
  } else if (!http_->bind_to_port(options_.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return Error{ErrorCode::kUnavailable,
                 "cannot listen on " + options_.host + ":" + std::to_string(options_.port),
                 "--listen"};
  }
  return port;
}

void ApiServer::Run() { http_->listen_after_bind(); }

void ApiServer::Stop() { http_->stop(); }

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
