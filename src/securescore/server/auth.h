// Bearer tokens and roles (DESIGN §5). A token is "sst_<id>_<secret>": the id is public (logs,
// `token list`), the whole text is stored only as its SHA-256. Roles are ordered reader <
// operator < admin; a token is scoped to one tenant or (empty) to every tenant.
//
//   Result<IssuedToken> t = IssueToken(store, {.role = Role::kReader, .tenant_id = "contoso"},
//   now); std::cout << t->token;   // shown once Result<Principal> who = Authenticate(store,
//   request.Header("Authorization"), now);
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "securescore/base/result.h"
#include "securescore/store/store.h"

namespace securescore::server {

enum class Role { kReader = 0, kOperator = 1, kAdmin = 2 };

std::string_view ToString(Role role);
std::optional<Role> ParseRole(std::string_view name);

// Who made a request.
struct Principal {
  std::string token_id;
  Role role = Role::kReader;
  std::string tenant_id;  // empty: every tenant

  bool AllTenants() const { return tenant_id.empty(); }
  bool CanSee(std::string_view tenant) const { return tenant_id.empty() || tenant_id == tenant; }
};

// Lowercase hex SHA-256 of `text`.
std::string Sha256Hex(std::string_view text);
// Lowercase hex HMAC-SHA256 of `message` under `key`.
std::string HmacSha256Hex(std::string_view key, std::string_view message);
// `n` cryptographically random bytes as lowercase hex.
std::string RandomHex(std::size_t n);

struct TokenRequest {
  Role role = Role::kReader;
  std::string tenant_id;
  std::optional<store::Timestamp> expires_at;
  std::string name;
};

struct IssuedToken {
  store::AccessToken record;
  std::string token;  // the secret text: returned once, never stored
};

// Creates and stores a token. A tenant scope must name an existing tenant.
Result<IssuedToken> IssueToken(store::Store& store, const TokenRequest& request,
                               store::Timestamp now);

enum class AuthFailure { kMissing, kUnknown, kExpired, kRevoked };

struct AuthError {
  AuthFailure failure;
  std::string message;
};

// The principal behind an `Authorization: Bearer …` header value. Store failures are
// reported as kUnknown with the store's message (the request is refused either way).
std::variant<Principal, AuthError> Authenticate(store::Store& store, std::string_view authorization,
                                                store::Timestamp now);

// The SHA-256 under which the header's token is stored, or why the header names no token.
std::variant<std::string, AuthError> TokenHashOf(std::string_view authorization);

// The verdict on a stored token record (or on the failure to find one) at `now`.
std::variant<Principal, AuthError> Verdict(const Result<store::AccessToken>& record,
                                           store::Timestamp now);

}  // namespace securescore::server
