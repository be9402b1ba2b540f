// Synthetic tenant snapshots: a deterministic generator of realistic securescore.snapshot/1
// documents (DESIGN §3) for demos, tests and benchmarks. It fills every evidence table through
// the source keys schema.cpp names: Graph (users, registration, roles, conditional access,
// devices, …), a ScubaGear provider export and PowerShell cmdlet output.
//
//   GenerateOptions options;
//   options.users = 10000;
//   options.profile = Profile::kWeak;
//   Result<std::string> json = GenerateSnapshotString(options);
//
// The same options always give byte-identical output: randomness comes from the seed alone
// (see rng.h), and the collection time is an option rather than the clock. A tenant that
// changes over time (the demo's history) keeps its seed and varies `users`, `collected_at`,
// `area_hardening` and `adoption`: users are a function of (seed, index), so the directory grows
// by appending, and a setting changes only when its area's level does.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "securescore/base/result.h"

namespace securescore::generate {

// How well the synthetic organisation is secured: shifts MFA registration, device compliance,
// conditional-access coverage and the hardening of every service setting.
enum class Profile { kWeak, kTypical, kStrong };

std::string_view ProfileName(Profile profile);
// "weak", "typical" or "strong"; an InvalidInput error naming the accepted values otherwise.
Result<Profile> ParseProfile(std::string_view name);

// Parts of a tenant whose hardening can be set apart from the profile's, so that a history can
// fix or break one thing at a time. Each names the settings it covers.
enum class Area : std::uint8_t {
  kIdentity,               // user password policies, SSPR, MFA exclusions, group privacy, PIM
  kConditionalAccess,      // conditional-access policies
  kDirectory,              // authorization policy, group settings, admin consent, domains
  kAuthenticationMethods,  // authentication methods policy and registration campaign
  kDevices,                // OS versions, management agents, stale devices
  kExchange,               // Exchange organisation, mail domains (SPF, DKIM, DMARC), transport
  kDefender,               // anti-phishing, Safe Links, Safe Attachments, preset policies
  kPurview,                // audit, DLP, labels
  kSharePoint,             // SharePoint and OneDrive sharing
  kTeams,                  // Teams meetings and federation
  kPowerPlatform,          // Power Platform environments and DLP
  kExchangePowerShell,     // settings read through Exchange Online PowerShell, mailbox auditing
};
inline constexpr std::size_t kAreaCount = 12;

std::string_view AreaName(Area area);

// Reports progress of a long generation: `done` of `total` work units (users and devices).
using ProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct GenerateOptions {
  std::uint64_t users = 1000;
  std::optional<std::uint64_t> devices;  // default: 80 % of users
  std::uint64_t seed = 1;
  Profile profile = Profile::kTypical;
  std::optional<std::string> name;      // default: derived from the seed
  std::optional<std::string> industry;  // default: derived from the seed
  // `collectedAt` and the anchor of every generated date, in seconds since the Unix epoch.
  std::int64_t collected_at = 1796011200;  // 2026-11-30T04:00:00Z
  ProgressFn progress;                     // optional
  // Hardening of single areas (0 weak, 1 typical, 2 strong), indexed by Area; unset areas
  // follow the profile. All unset (the default) gives the profile's output unchanged.
  std::array<std::optional<int>, kAreaCount> area_hardening{};
  // How far MFA, passwordless and SSPR registration, PIM eligibility and device compliance
  // have spread: 0 the weak profile's rates, 1 typical, 2 strong, linear in between. A user
  // registered at some adoption stays registered at any higher one (other options equal). Unset:
  // the profile's.
  std::optional<double> adoption;
};

// Upper bounds that keep a typo from filling the disk.
inline constexpr std::uint64_t kMaxUsers = 50'000'000;
inline constexpr std::uint64_t kMaxDevicesPerUser = 5;

// Checks options; errors are InvalidInput and name the offending option.
Status ValidateOptions(const GenerateOptions& options);

// Writes the snapshot to `out` in large chunks. Fails on invalid options or a write error.
Status GenerateSnapshot(const GenerateOptions& options, std::FILE* out);

// The snapshot as a string (tests, demos, in-process benchmarks).
Result<std::string> GenerateSnapshotString(const GenerateOptions& options);

}  // namespace securescore::generate
