// `securescore serve [--db URL] [--listen ADDR:PORT] [--demo] [--threads N] [--web DIR]`:
// wires the store, catalog, router, alert worker and HTTP server together and serves until
// SIGINT/SIGTERM, letting in-flight requests finish. Everything it runs lives in server/.
#include <fmt/format.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/store_common.h"
#include "securescore/server/alerts.h"
#include "securescore/server/auth.h"
#include "securescore/server/auth_cache.h"
#include "securescore/server/demo.h"
#include "securescore/server/http_server.h"
#include "securescore/server/metrics.h"
#include "securescore/server/routes.h"

namespace securescore::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  bool demo = false;
  int threads = 8;
  std::string web;
  std::string catalog_dir;
};

Result<std::pair<std::string, int>> ParseListen(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos) return InvalidInput("expected ADDR:PORT", "--listen");
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  try {
    const int port = std::stoi(text.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    return std::pair{host.empty() ? std::string("127.0.0.1") : host, port};
  } catch (const std::exception&) {
    return InvalidInput("the port must be a number from 0 to 65535", "--listen");
  }
}

int RunServe(const CLI::App& cmd, const ServeArgs& args) {
  // SIGINT/SIGTERM are taken by one thread with sigwait (the waiter below).
  const sigset_t signals = BlockStopSignals();
  Result<std::pair<std::string, int>> listen = ParseListen(args.listen);
  if (!listen) return ReportError(listen.error(), std::cerr);
  std::optional<catalog::Catalog> catalog = LoadCatalogForRun(args.catalog_dir, std::cerr);
  if (!catalog) return kExitBadInput;
  const CLI::App* root = &cmd;
  while (root->get_parent() != nullptr) root = root->get_parent();
  const CLI::Option* db = root->get_option_no_throw("--db");
  const bool db_given = (db != nullptr && db->count() > 0) || std::getenv("SECURESCORE_DB");
  const std::string url =
      args.demo && !db_given ? server::DefaultDemoDatabaseUrl() : DatabaseUrl(cmd);
  if (args.demo && url.rfind("sqlite:", 0) == 0) {
    std::filesystem::create_directories(std::filesystem::path(url.substr(7)).parent_path());
  }
  server::StorePool stores(url);
  Result<server::StorePool::Lease> first = stores.Acquire();
  if (!first) return ReportError(first.error(), std::cerr);

  std::string demo_token;
  if (args.demo) {
    const auto started = std::chrono::steady_clock::now();
    server::DemoOptions options;
    options.now = server::SystemNow();
    options.progress = [](const std::string& line) { std::cerr << "demo: " << line << "\n"; };
    options.connect = [&url] { return store::OpenStore(url); };
    Result<server::DemoSummary> demo = server::CreateDemoStore(**first, *catalog, options);
    if (!demo) return ReportError(demo.error(), std::cerr);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cerr << (demo->created
                      ? fmt::format("demo: created {} tenants, {} evaluations in {:.1f} s ({})\n",
                                    demo->tenants, demo->evaluations, secs, url)
                      : fmt::format("demo: using the existing demo store ({})\n", url));
    Result<server::IssuedToken> token =
        server::IssueToken(**first,
                           {server::Role::kAdmin, "",
                            server::SystemNow() + std::chrono::hours(24 * 7), "demo first visit"},
                           server::SystemNow());
    if (!token) return ReportError(token.error(), std::cerr);
    demo_token = token->token;
  }

  server::ScoreCache cache;
  server::AuthCache auth_cache;
  server::Metrics metrics;
  server::AlertWorker alerts(stores, *catalog, server::SystemNow,
                             server::HttpWebhookPost(std::chrono::seconds(5)), {},
                             std::chrono::seconds(300));
  server::ServerContext context{
      &stores,    &*catalog, server::SystemNow,
      &cache,     &metrics,  [&alerts](std::string_view t) { alerts.Notify(t); },
      &auth_cache};
  server::Router router = server::MakeApiRouter();
  std::mutex log_mu;
  server::ServerOptions options;
  options.host = listen->first;
  options.port = listen->second;
  options.threads = args.threads;
  options.web_dir = server::FindWebDir(args.web);
  options.access_log = [&log_mu](const std::string& line) {
    // One write per line: stderr is unbuffered, and lines from threads must not interleave.
    std::string out;
    out.reserve(line.size() + 1);
    out.append(line).push_back('\n');
    std::lock_guard<std::mutex> lock(log_mu);
    std::cerr.write(out.data(), static_cast<std::streamsize>(out.size()));
  };

  server::ApiServer http(router, context, options);
  Result<int> port = http.Bind();
  if (!port) return ReportError(port.error(), std::cerr);
  const std::string host = options.host == "0.0.0.0" ? "127.0.0.1" : options.host;
  std::cerr << fmt::format("securescore: serving {} on http://{}:{}/ (store {}{})\n",
                           options.web_dir.empty() ? "the API" : "the API and dashboard", host,
                           *port, url.rfind("sqlite:", 0) == 0 ? url : "postgresql", "");
  if (!demo_token.empty()) {
    std::cout << fmt::format("http://{}:{}/#token={}", host, *port, demo_token) << std::endl;
  } else {
    std::cout << fmt::format("http://{}:{}/", host, *port) << std::endl;
  }
  // Waits for SIGTERM/SIGINT (blocked in every thread), or for kWakeSignal once Run() returned.
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == kWakeSignal) return;  // Run() already returned
    std::cerr << "securescore: stopping (finishing requests in flight)\n";
    http.Stop();
  });
  http.Run();
  alerts.Stop();
  // Run() returned without a signal only on a listener failure: wake the waiter to end.
  pthread_kill(waiter.native_handle(), kWakeSignal);
  waiter.join();
  return 0;
}

}  // namespace

void RegisterServeCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = AddStoreCommand(app, "serve",
                                  "Serve the REST API, Graph-compatible "
                                  "endpoints and the dashboard");
  cmd->add_option("--listen", args->listen, "ADDR:PORT to listen on (loopback by default)")
      ->capture_default_str();
  cmd->add_flag("--demo", args->demo,
                "Create (once) a demo store of generated tenants with 90 days of history and "
                "print a URL carrying a fresh admin token");
  cmd->add_option("--threads", args->threads, "Event-loop threads (a slow request holds one)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  cmd->add_option("--web", args->web, "Dashboard directory (default: web/dist of the source tree)");
  cmd->add_option("--catalog", args->catalog_dir, "Extra control files (override the embedded)");
  cmd->callback([cmd, args, exit_code] { *exit_code = RunServe(*cmd, *args); });
}

}  // namespace securescore::cli
