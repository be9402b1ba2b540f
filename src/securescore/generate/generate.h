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
// (see rng.h), and the collection time is an option rather than the clock.
#pragma once

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
