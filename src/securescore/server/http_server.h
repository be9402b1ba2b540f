// The HTTP adapter: Boost.Beast over Asio on one side, the Router on the other. It owns what
// is about the wire rather than the API: binding (loopback unless told), the I/O threads, body
// and header size limits, timeouts, security headers on every response, the static dashboard
// with its index.html fallback, the JSON access log and the request metrics. Connections are
// served asynchronously, so idle keep-alive connections hold no thread; a handler runs on the
// I/O thread that read its request. Stop() lets in-flight requests finish.
//
//   ApiServer server(router, context, {.host = "127.0.0.1", .port = 0});
//   Result<int> port = server.Bind();
//   std::thread t([&] { server.Run(); });  ...  server.Stop(); t.join();
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "securescore/base/result.h"
#include "securescore/server/context.h"
#include "securescore/server/router.h"

namespace securescore::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;             // 0: any free port
  int threads = 8;             // I/O threads; a slow handler (an upload) holds one
  int max_connections = 1024;  // more are closed at once rather than exhausting descriptors
  std::string web_dir;         // the dashboard's built files; empty: none
  // Receives one JSON line per request; empty: no access log.
  std::function<void(const std::string&)> access_log;
};

// The headers every response carries (the dashboard's CSP and friends).
void AddSecurityHeaders(HttpResponse& response);

class ApiServer {
 public:
  ApiServer(const Router& router, ServerContext& context, ServerOptions options);
  ~ApiServer();

  // Binds the listening socket; returns the port (useful with port 0).
  Result<int> Bind();
  // Serves until Stop(); returns after in-flight requests finished.
  void Run();
  void Stop();

  // One exchange through everything but the socket (tests and the benchmark use it).
  HttpResponse Handle(const HttpRequest& request);

 private:
  HttpResponse ServeStatic(const HttpRequest& request) const;

  const Router& router_;
  ServerContext& context_;
  ServerOptions options_;
  class Wire;  // sockets and sessions (Boost.Beast), kept out of this header
  std::unique_ptr<Wire> wire_;
};

// The dashboard directory: `explicit_dir` when given, else web/dist in the source tree the
// binary was built from, else "" (no dashboard).
std::string FindWebDir(const std::string& explicit_dir);

}  // namespace securescore::server
