// Route tables: the native API under /api/v1 (docs/api.md), the Graph-compatible endpoints
// under /v1.0/security (DESIGN §4), and the open routes (/healthz, /metrics, OpenAPI).
#pragma once

#include <memory>
#include <string>

#include "securescore/base/result.h"
#include "securescore/server/router.h"

namespace securescore::server {

void AddNativeRoutes(Router& router);
void AddGraphRoutes(Router& router);
void AddOpenRoutes(Router& router);

// All three.
Router MakeApiRouter();

// The current score of a tenant through the cache (what GET …/score serves).
Result<std::shared_ptr<const struct CachedScore>> CurrentScoreOf(RequestContext& rc,
                                                                 const std::string& tenant_id);

// After a change to a tenant ("" = every tenant): drop cached scores and tell alerting.
void TenantChanged(ServerContext& context, const std::string& tenant_id);

// The OpenAPI 3.0 document served at /api/v1/openapi.json.
std::string_view OpenApiDocument();

}  // namespace securescore::server
