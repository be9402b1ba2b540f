// The generator's plan of one synthetic tenant: its identity, sizes and profile rates, and the
// facts about any user or device as a pure function of (seed, index). Sections that mention the
// same user (users, registration, roles, devices, mailboxes) recompute its facts instead of
// storing a million records, so generation needs no per-user memory.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "securescore/generate/generate.h"
#include "securescore/generate/json_sink.h"
#include "securescore/generate/rng.h"

namespace securescore::generate {

// The probabilities and switches a profile sets.
struct ProfileRates {
  double guest = 0.08;
  double disabled = 0.04;
  double stale_sign_in = 0.06;  // enabled accounts with no sign-in for 90+ days
  double never_signed_in = 0.01;
  double mfa_registered = 0.70;
  double admin_mfa_registered = 0.92;
  double passwordless = 0.08;  // of MFA-registered users
  double sms_only = 0.20;      // of MFA-registered users whose only strong method is SMS/voice
  double sspr_registered = 0.75;
  double device_compliant = 0.86;
  double device_encrypted = 0.85;  // Windows/macOS; mobile OSes encrypt by default
  double jailbroken = 0.003;
  double eligible_admin = 0.30;  // admin roles held through PIM eligibility rather than active
  std::uint64_t extra_global_admins = 3;
  int hardening = 1;  // 0 weak, 1 typical, 2 strong: selects each setting's value
};

ProfileRates RatesFor(Profile profile);

// A built-in directory role the generator assigns.
struct RoleSpec {
  std::string_view template_id;
  std::string_view display_name;
  std::string_view description;
  std::string_view sample_action;  // one allowedResourceAction, to give rolePermissions a shape
};
// Index 0 is Global Administrator; the others are handed to the tenant's other admins.
std::vector<RoleSpec> const& Roles();

struct TenantPlan {
  GenerateOptions options;
  ProfileRates rates;
  std::uint64_t users = 0;
  std::uint64_t devices = 0;
  std::string tenant_id;
  std::string display_name;
  std::string industry;
  std::string slug;            // lower-case letters and digits, from the name
  std::string primary_domain;  // e.g. woodgrovebank.com
  std::string initial_domain;  // e.g. woodgrovebank.onmicrosoft.com
  std::string mail_domain;     // second vanity domain, e.g. mail.woodgrovebank.com
  bool hybrid = true;          // synced from on-premises AD
  std::int64_t now = 0;        // collectedAt
  std::int64_t tenant_created = 0;
  std::uint64_t break_glass = 2;    // users 0 and 1
  std::uint64_t global_admins = 0;  // users [break_glass, break_glass + global_admins)
  std::uint64_t other_admins = 0;   // then the guaranteed other admins
  std::uint64_t license_sku = 0;    // index into the SKU table
  std::uint64_t departments = 0;
};

TenantPlan MakePlan(const GenerateOptions& options);

// The plan as one area's settings see it: the area's own hardening level when the options set
// one, else the plan unchanged. Sections take it once, outside their per-user loops.
TenantPlan ForArea(const TenantPlan& plan, Area area);

// Three-way choice on the profile's hardening level (weak, typical, strong).
template <typename T>
T ByHardening(const TenantPlan& plan, T weak, T typical, T strong) {
  switch (plan.rates.hardening) {
    case 0: return weak;
    case 1: return typical;
    default: return strong;
  }
}

enum class Via : std::uint8_t { kDirect, kGroup };

// Everything the generator says about one user.
struct UserFacts {
  std::uint64_t index = 0;
  Guid id;
  std::uint32_t first = 0, last = 0;  // name pool indices
  std::uint64_t name_suffix = 0;      // 0: no number after the name
  std::uint32_t guest_domain = 0;
  bool break_glass = false;
  bool guest = false;
  bool enabled = true;
  bool synced = false;
  bool licensed = true;
  std::int64_t created = 0;
  std::int64_t last_sign_in = 0;  // 0: never
  std::int64_t password_changed = 0;
  std::uint32_t department = 0;
  int role = -1;  // index into Roles(), -1: no admin role
  bool role_eligible = false;
  Via role_via = Via::kDirect;
  // Registration (userRegistrationDetails).
  bool mfa_registered = false;
  bool sspr_registered = false;
  bool passwordless = false;
  std::uint32_t methods = 0;  // bit set over kMethodNames
  int default_method = 0;     // index into kDefaultMethodNames
};

inline constexpr std::array<std::string_view, 9> kMethodNames = {
    "email",
    "mobilePhone",
    "officePhone",
    "microsoftAuthenticatorPush",
    "softwareOneTimePasscode",
    "microsoftAuthenticatorPasswordless",
    "fido2SecurityKey",
    "windowsHelloForBusiness",
    "passKeyDeviceBound"};
inline constexpr std::array<std::string_view, 5> kDefaultMethodNames = {
    "none", "mobilePhone", "microsoftAuthenticatorPush", "softwareOneTimePasscode", "voiceMobile"};

UserFacts DescribeUser(const TenantPlan& plan, std::uint64_t index);
// Just the object id of DescribeUser(plan, index), for member lists (much cheaper).
Guid UserId(const TenantPlan& plan, std::uint64_t index);

// Writes the user's names as quoted JSON strings.
void WriteUpn(JsonSink& out, const TenantPlan& plan, const UserFacts& user);
void WriteDisplayName(JsonSink& out, const UserFacts& user);
void WriteMailNickname(JsonSink& out, const UserFacts& user);  // unquoted-safe alias text
std::string_view FirstName(const UserFacts& user);
std::string_view DepartmentName(std::uint32_t department);

// A GUID from the next 128 bits of `rng`, drawn in a fixed order (function arguments are
// evaluated in an unspecified order, so MakeGuid(rng.Next(), rng.Next()) would not be portable).
inline Guid NextGuid(Rng& rng) {
  const std::uint64_t hi = rng.Next();
  return MakeGuid(hi, rng.Next());
}

// A GUID that depends only on the seed and a name, for fixed objects (policies, groups).
Guid NamedGuid(const TenantPlan& plan, std::string_view name);

}  // namespace securescore::generate
