#include "securescore/generate/generate.h"

#include <fmt/format.h>

#include "securescore/generate/json_sink.h"
#include "securescore/generate/plan.h"
#include "securescore/generate/sections.h"

namespace securescore::generate {
namespace {

void WriteSnapshot(const TenantPlan& plan, JsonSink& out) {
  // Work units: users twice (users and registration), then devices.
  ProgressMeter progress(plan.options.progress, 2 * plan.users + plan.devices);
  out.Raw("{\"schema\":\"securescore.snapshot/1\",\n\"tenant\":{\"id\":");
  out.PlainString(plan.tenant_id);
  out.Raw(",\"displayName\":");
  out.String(plan.display_name);
  out.Raw(",\"industry\":");
  out.String(plan.industry);
  out.Raw(",\"licensedUserCount\":");
  out.Int(static_cast<std::int64_t>(plan.users));
  out.Raw("},\n\"collectedAt\":");
  out.Time(plan.now);
  out.Raw(",\n\"sources\":{\n\"graph\":{\n");
  WriteGraphIdentity(ForArea(plan, Area::kIdentity), out, progress);
  out.Raw(",\n");
  WriteGraphPolicies(plan, out);
  out.Raw(",\n");
  WriteGraphDevices(ForArea(plan, Area::kDevices), out, progress);
  out.Raw("},\n\"scubagear\":{\n");
  WriteScubaGear(plan, out);
  out.Raw("},\n\"powershell\":{\n");
  WritePowerShell(ForArea(plan, Area::kExchangePowerShell), out);
  out.Raw("}}}\n");
  progress.Finish();
}

}  // namespace

std::string_view ProfileName(Profile profile) {
  switch (profile) {
    case Profile::kWeak: return "weak";
    case Profile::kTypical: return "typical";
    case Profile::kStrong: return "strong";
  }
  return "typical";
}

std::string_view AreaName(Area area) {
  switch (area) {
    case Area::kIdentity: return "identity";
    case Area::kConditionalAccess: return "conditional access";
    case Area::kDirectory: return "directory";
    case Area::kAuthenticationMethods: return "authentication methods";
    case Area::kDevices: return "devices";
    case Area::kExchange: return "exchange";
    case Area::kDefender: return "defender";
    case Area::kPurview: return "purview";
    case Area::kSharePoint: return "sharepoint";
    case Area::kTeams: return "teams";
    case Area::kPowerPlatform: return "power platform";
    case Area::kExchangePowerShell: return "exchange powershell";
  }
  return "unknown";
}

Result<Profile> ParseProfile(std::string_view name) {
  for (Profile p : {Profile::kWeak, Profile::kTypical, Profile::kStrong}) {
    if (name == ProfileName(p)) return p;
  }
  return InvalidInput(fmt::format("unknown profile '{}': expected weak, typical or strong", name),
                      "--profile");
}

Status ValidateOptions(const GenerateOptions& options) {
  if (options.users == 0 || options.users > kMaxUsers) {
    return InvalidInput(
        fmt::format("user count must be between 1 and {}, got {}", kMaxUsers, options.users),
        "--users");
  }
  if (options.devices && *options.devices > options.users * kMaxDevicesPerUser) {
    return InvalidInput(
        fmt::format("device count must be at most {} per user ({}), got {}", kMaxDevicesPerUser,
                    options.users * kMaxDevicesPerUser, *options.devices),
        "--devices");
  }
  for (std::size_t a = 0; a < kAreaCount; ++a) {
    const std::optional<int> level = options.area_hardening[a];
    if (level && (*level < 0 || *level > 2)) {
      return InvalidInput(fmt::format("hardening of area '{}' must be 0, 1 or 2, got {}",
                                      AreaName(static_cast<Area>(a)), *level),
                          "area_hardening");
    }
  }
  if (options.adoption && !(*options.adoption >= 0 && *options.adoption <= 2)) {
    return InvalidInput(fmt::format("adoption must be between 0 and 2, got {}", *options.adoption),
                        "adoption");
  }
  if (options.name && options.name->empty()) {
    return InvalidInput("tenant name must not be empty", "--name");
  }
  if (options.industry && options.industry->empty()) {
    return InvalidInput("industry must not be empty", "--industry");
  }
  return OkStatus();
}

Status GenerateSnapshot(const GenerateOptions& options, std::FILE* out) {
  if (Status valid = ValidateOptions(options); !valid) return valid;
  JsonSink sink(out);
  WriteSnapshot(MakePlan(options), sink);
  return sink.Finish();
}

Result<std::string> GenerateSnapshotString(const GenerateOptions& options) {
  if (Status valid = ValidateOptions(options); !valid) return valid.error();
  std::string text;
  JsonSink sink(&text);
  WriteSnapshot(MakePlan(options), sink);
  if (Status done = sink.Finish(); !done) return done.error();
  return text;
}

}  // namespace securescore::generate
