#include "securescore/server/auth.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>

namespace securescore::server {
namespace {

std::string Hex(const unsigned char* data, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 15]);
  }
  return out;
}

constexpr std::string_view kBearer = "Bearer ";
constexpr std::string_view kPrefix = "sst_";

}  // namespace

std::string_view ToString(Role role) {
  switch (role) {
    case Role::kReader: return "reader";
    case Role::kOperator: return "operator";
    case Role::kAdmin: return "admin";
  }
  return "reader";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kReader, Role::kOperator, Role::kAdmin}) {
    if (ToString(r) == name) return r;
  }
  return std::nullopt;
}

std::string Sha256Hex(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  // Fetched once: OpenSSL 3 otherwise looks the algorithm up again on every call, which cost
  // more than the hashing itself on the server's hot path (every request's token).
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_Digest(text.data(), text.size(), md.data(), &len, kSha256 ? kSha256 : EVP_sha256(), nullptr);
  return Hex(md.data(), len);
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), md.data(), &len);
  return Hex(md.data(), len);
}

std::string RandomHex(std::size_t n) {
  std::string bytes(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n));
  return Hex(reinterpret_cast<const unsigned char*>(bytes.data()), n);
}

Result<IssuedToken> IssueToken(store::Store& store, const TokenRequest& request,
                               store::Timestamp now) {
  if (!request.tenant_id.empty()) {
    Result<store::Tenant> tenant = store.GetTenant(request.tenant_id);
    if (!tenant) {
      if (tenant.error().code == ErrorCode::kNotFound) {
        return InvalidInput("unknown tenant " + request.tenant_id, "tenant");
      }
      return tenant.error();
    }
  }
  if (request.expires_at && *request.expires_at <= now) {
    return InvalidInput("the expiry is in the past", "expires");
  }
  IssuedToken issued;
  const std::string id = RandomHex(8);
  issued.token = std::string(kPrefix) + id + "_" + RandomHex(32);
  issued.record = store::AccessToken{id,
                                     request.name,
                                     std::string(ToString(request.role)),
                                     request.tenant_id,
                                     Sha256Hex(issued.token),
                                     now,
                                     request.expires_at,
                                     std::nullopt};
  Status stored = store.InsertToken(issued.record);
  if (!stored) return stored.error();
  return issued;
}

std::variant<std::string, AuthError> TokenHashOf(std::string_view authorization) {
  if (authorization.empty()) {
    return AuthError{AuthFailure::kMissing, "an Authorization: Bearer token is required"};
  }
  if (authorization.size() <= kBearer.size() ||
      authorization.substr(0, kBearer.size()) != kBearer) {
    return AuthError{AuthFailure::kMissing, "the Authorization header must be 'Bearer <token>'"};
  }
  const std::string_view token = authorization.substr(kBearer.size());
  if (token.substr(0, kPrefix.size()) != kPrefix) {
    return AuthError{AuthFailure::kUnknown, "unknown token"};
  }
  return Sha256Hex(token);
}

std::variant<Principal, AuthError> Verdict(const Result<store::AccessToken>& record,
                                           store::Timestamp now) {
  if (!record) {
    return AuthError{AuthFailure::kUnknown, record.error().code == ErrorCode::kNotFound
                                                ? "unknown token"
                                                : "tokens cannot be checked now"};
  }
  if (record->revoked_at) return AuthError{AuthFailure::kRevoked, "this token was revoked"};
  if (record->expires_at && *record->expires_at <= now) {
    return AuthError{AuthFailure::kExpired, "this token has expired"};
  }
  std::optional<Role> role = ParseRole(record->role);
  if (!role) return AuthError{AuthFailure::kUnknown, "unknown token"};
  return Principal{record->id, *role, record->tenant_id};
}

std::variant<Principal, AuthError> Authenticate(store::Store& store, std::string_view authorization,
                                                store::Timestamp now) {
  std::variant<std::string, AuthError> hash = TokenHashOf(authorization);
  if (AuthError* e = std::get_if<AuthError>(&hash)) return std::move(*e);
  return Verdict(store.FindTokenByHash(std::get<std::string>(hash)), now);
}

}  // namespace securescore::server
