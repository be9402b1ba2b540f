// Routes as data: method, path pattern ("/api/v1/tenants/{t}/actions/{c}"), the least role
// that may call it, the body limit, and a handler function. Dispatch does everything routes
// share, in one place and one order, so the authorisation matrix holds for every route:
//   unknown path 404 → wrong method 405 (Allow) → body over the limit 413 → no/bad token 401 →
//   role too low 403 → tenant {t} outside the token's scope or absent 404 → the handler.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/base/result.h"
#include "securescore/server/auth.h"
#include "securescore/server/context.h"
#include "securescore/server/http.h"

namespace securescore::server {

inline constexpr std::size_t kDefaultBodyLimit = 1 << 20;    // 1 MiB
inline constexpr std::size_t kSnapshotBodyLimit = 16 << 20;  // 16 MiB

struct RequestContext {
  const HttpRequest& request;
  const Principal& principal;  // a default reader with no token id on open routes
  std::map<std::string, std::string> params;
  store::Store& store;
  ServerContext& server;

  const std::string& Param(const std::string& name) const { return params.at(name); }
};

using Handler = std::function<HttpResponse(RequestContext&)>;

enum class Scope {
  kOpen,        // no token (health, metrics, the OpenAPI document)
  kAnyToken,    // any valid token; a {t} in the path must be in its scope
  kAllTenants,  // the token must span every tenant (fleet-wide and admin routes)
  kOneTenant,   // the token must name one tenant (Graph-compatible routes)
};

struct Route {
  std::string method;
  std::string pattern;
  Role role = Role::kReader;
  Scope scope = Scope::kAnyToken;
  std::size_t body_limit = kDefaultBodyLimit;
  Handler handler;
};

// The outcome of one dispatch, with what the access log and metrics need.
struct Dispatched {
  HttpResponse response;
  std::string route;     // the matched pattern, or "" when none matched
  std::string token_id;  // "" when no valid token
};

class Router {
 public:
  void Add(Route route);
  Dispatched Dispatch(const HttpRequest& request, ServerContext& context) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// The HTTP status for an Error from the layers below (400, 404, 409, 503, 500).
int HttpStatusOf(const Error& error);
HttpResponse ErrorResponse(const Error& error);

// Splits a pattern's {name} segments off a path: nullopt when it does not match.
std::optional<std::map<std::string, std::string>> MatchPattern(std::string_view pattern,
                                                               std::string_view path);

}  // namespace securescore::server
