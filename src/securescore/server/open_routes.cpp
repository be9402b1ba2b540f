// Routes without a token: liveness (/healthz checks the store answers), Prometheus metrics
// and the OpenAPI document.
#include "securescore/server/metrics.h"
#include "securescore/server/routes.h"

namespace securescore::server {
namespace {

HttpResponse Health(RequestContext& rc) {
  Result<std::int64_t> version = rc.store.SchemaVersion();
  if (!version) return ErrorResponse(503, "unavailable", "the store does not answer");
  return JsonResponse(200,
                      "{\"status\":\"ok\",\"schemaVersion\":" + std::to_string(*version) + "}");
}

HttpResponse MetricsText(RequestContext& rc) {
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = rc.server.metrics ? rc.server.metrics->Render() : std::string();
  return r;
}

HttpResponse OpenApi(RequestContext&) { return JsonResponse(200, std::string(OpenApiDocument())); }

}  // namespace

void AddOpenRoutes(Router& router) {
  auto add = [&](std::string pattern, Handler h) {
    router.Add(Route{"GET", std::move(pattern), Role::kReader, Scope::kOpen, kDefaultBodyLimit,
                     std::move(h)});
  };
  add("/healthz", Health);
  add("/metrics", MetricsText);
  add("/api/v1/openapi.json", OpenApi);
}

Router MakeApiRouter() {
  Router router;
  AddOpenRoutes(router);
  AddNativeRoutes(router);
  AddGraphRoutes(router);
  return router;
}

}  // namespace securescore::server
