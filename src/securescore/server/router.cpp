#include "securescore/server/router.h"

#include <algorithm>
#include <set>

#include "securescore/base/result.h"
#include "securescore/server/auth_cache.h"

namespace securescore::server {
namespace {

// Walks a pattern and a path segment by segment without allocating, calling
// on_param(name, value) for each {name} segment; false when they do not match.
template <typename OnParam>
bool WalkPattern(std::string_view pattern, std::string_view path, OnParam&& on_param) {
  if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
  std::size_t p = 1;
  std::size_t q = 1;
  while (true) {
    const std::size_t pe = std::min(pattern.find('/', p), pattern.size());
    const std::size_t qe = std::min(path.find('/', q), path.size());
    const std::string_view want = pattern.substr(p, pe - p);
    const std::string_view have = path.substr(q, qe - q);
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      if (have.empty()) return false;
      on_param(want.substr(1, want.size() - 2), have);
    } else if (want != have) {
      return false;
    }
    const bool pattern_done = pe == pattern.size();
    const bool path_done = qe == path.size();
    if (pattern_done || path_done) return pattern_done && path_done;
    p = pe + 1;
    q = qe + 1;
  }
}

bool Matches(std::string_view pattern, std::string_view path) {
  return WalkPattern(pattern, path, [](std::string_view, std::string_view) {});
}

std::string_view ErrorCodeWord(int status) {
  switch (status) {
    case 400: return "invalid_request";
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 413: return "payload_too_large";
    case 503: return "unavailable";
    default: return "internal";
  }
}

HttpResponse NotFoundResponse() { return ErrorResponse(404, "not_found", "no such resource"); }

Result<bool> TenantExists(store::Store& store, ServerContext& context,
                          const std::string& tenant_id) {
  if (context.auth != nullptr) return context.auth->TenantExists(store, tenant_id, context.now());
  Result<store::Tenant> tenant = store.GetTenant(tenant_id);
  if (tenant) return true;
  if (tenant.error().code == ErrorCode::kNotFound) return false;
  return tenant.error();
}

}  // namespace

std::optional<std::map<std::string, std::string>> MatchPattern(std::string_view pattern,
                                                               std::string_view path) {
  std::map<std::string, std::string> params;
  const bool matched = WalkPattern(pattern, path, [&](std::string_view name, std::string_view v) {
    params[std::string(name)] = std::string(v);
  });
  if (!matched) return std::nullopt;
  return params;
}

int HttpStatusOf(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidInput: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kUnavailable: return 503;
    default: return 500;
  }
}

HttpResponse ErrorResponse(const Error& error) {
  const int status = HttpStatusOf(error);
  return ErrorResponse(status, ErrorCodeWord(status), error.message, error.where);
}

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

Dispatched Router::Dispatch(const HttpRequest& request, ServerContext& context) const {
  Dispatched out;
  const Route* route = nullptr;
  bool path_known = false;
  for (const Route& r : routes_) {
    if (!Matches(r.pattern, request.path)) continue;
    path_known = true;
    // The first route added wins ("/actions/bulk" is added before "/actions/{c}").
    if (r.method == request.method) {
      route = &r;
      break;
    }
  }
  if (!path_known) {
    out.response = NotFoundResponse();
    return out;
  }
  if (route == nullptr) {
    std::set<std::string> allowed;
    for (const Route& r : routes_) {
      if (Matches(r.pattern, request.path)) allowed.insert(r.method);
    }
    out.response = ErrorResponse(405, "method_not_allowed",
                                 request.method + " is not allowed on " + request.path);
    std::string allow;
    for (const std::string& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    out.response.headers.emplace_back("Allow", allow);
    out.route = "(405)";
    return out;
  }
  std::map<std::string, std::string> params = *MatchPattern(route->pattern, request.path);
  out.route = route->pattern;
  if (request.body.size() > route->body_limit) {
    out.response = ErrorResponse(
        413, "payload_too_large",
        "the body is over this route's limit of " + std::to_string(route->body_limit) + " bytes");
    return out;
  }
  Result<StorePool::Lease> store = context.stores->Acquire();
  if (!store) {
    out.response = ErrorResponse(503, "unavailable", "the store cannot be opened now");
    return out;
  }
  Principal principal;
  if (route->scope != Scope::kOpen) {
    const std::string authorization = request.Header("Authorization");
    std::variant<Principal, AuthError> who =
        context.auth != nullptr ? context.auth->Authenticate(**store, authorization, context.now())
                                : Authenticate(**store, authorization, context.now());
    if (const AuthError* e = std::get_if<AuthError>(&who)) {
      out.response = ErrorResponse(401, "unauthenticated", e->message);
      out.response.headers.emplace_back("WWW-Authenticate", "Bearer");
      return out;
    }
    principal = std::get<Principal>(who);
    out.token_id = principal.token_id;
    if (principal.role < route->role) {
      out.response =
          ErrorResponse(403, "forbidden",
                        "this needs the " + std::string(ToString(route->role)) +
                            " role; the token has " + std::string(ToString(principal.role)));
      return out;
    }
    if (route->scope == Scope::kAllTenants && !principal.AllTenants()) {
      out.response = ErrorResponse(403, "forbidden", "this needs a token for every tenant");
      return out;
    }
    if (route->scope == Scope::kOneTenant && principal.AllTenants()) {
      out.response = ErrorResponse(403, "forbidden",
                                   "Graph-compatible endpoints answer for the token's tenant: "
                                   "use a token scoped to one tenant");
      return out;
    }
    auto t = params.find("t");
    if (t != params.end()) {
      if (!principal.CanSee(t->second)) {
        out.response = NotFoundResponse();
        return out;
      }
      Result<bool> exists = TenantExists(**store, context, t->second);
      if (!exists || !*exists) {
        out.response = exists ? NotFoundResponse() : ErrorResponse(exists.error());
        return out;
      }
    }
  }
  RequestContext rc{request, principal, std::move(params), **store, context};
  out.response = route->handler(rc);
  return out;
}

}  // namespace securescore::server
