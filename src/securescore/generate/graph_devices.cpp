// Graph deviceManagement/managedDevices: an Intune fleet whose OS mix, patch levels,
// encryption, compliance and jailbreak rates follow the profile.
#include <algorithm>
#include <array>

#include "securescore/generate/rng.h"
#include "securescore/generate/sections.h"

namespace securescore::generate {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::uint64_t kDeviceLane = 303;

struct OsSpec {
  std::string_view name;
  std::array<std::string_view, 6> versions;  // newest first
  std::array<std::string_view, 3> models;
  std::string_view manufacturer;
  bool mobile;
};
constexpr std::array<OsSpec, 4> kOses = {{
    {"Windows",
     {"10.0.26100.2314", "10.0.22631.4460", "10.0.22621.4317", "10.0.19045.5131", "10.0.19044.3086",
      "10.0.17763.6414"},
     {"Latitude 7440", "ThinkPad T14 Gen 4", "Surface Laptop 5"},
     "Dell Inc.",
     false},
    {"iOS",
     {"18.1.1", "18.0.1", "17.7.1", "17.6.1", "16.7.10", "15.8.3"},
     {"iPhone 15", "iPhone 14", "iPhone 13"},
     "Apple",
     true},
    {"Android",
     {"15", "14", "13", "12", "11", "10"},
     {"SM-S911B", "Pixel 8", "SM-A546B"},
     "samsung",
     true},
    {"macOS",
     {"15.1.1", "14.7.1", "14.6.1", "13.7.1", "12.7.6", "11.7.10"},
     {"MacBookPro18,3", "MacBookAir10,1", "Mac14,2"},
     "Apple",
     false},
}};

constexpr std::string_view kComplianceOther[] = {"noncompliant",  "noncompliant", "noncompliant",
                                                 "inGracePeriod", "unknown",      "error"};

// The owner: a member (not guest, not break-glass) found by probing from a random start.
UserFacts PickOwner(const TenantPlan& plan, Rng& rng) {
  const std::uint64_t start = rng.Below(plan.users);
  UserFacts owner = DescribeUser(plan, start);
  for (std::uint64_t probe = 1; probe < 64 && (owner.guest || owner.break_glass); ++probe) {
    owner = DescribeUser(plan, (start + probe) % plan.users);
  }
  return owner;
}

void WriteDevice(JsonSink& out, const TenantPlan& plan, std::uint64_t index) {
  const ProfileRates& r = plan.rates;
  Rng rng(Hash(plan.options.seed, index, kDeviceLane));
  const Guid id = NextGuid(rng);
  const UserFacts owner = PickOwner(plan, rng);
  const std::uint64_t os_roll = rng.Below(100);
  const OsSpec& os = kOses[os_roll < 55 ? 0 : os_roll < 75 ? 1 : os_roll < 90 ? 2 : 3];
  // Strong tenants stay on the newest releases; weak ones keep old, unsupported versions.
  const std::uint64_t version_span = r.hardening == 2 ? 2 : r.hardening == 1 ? 4 : 6;
  const std::string_view version = os.versions[rng.Below(version_span)];
  const bool compliant = rng.Chance(r.device_compliant);
  const std::string_view compliance =
      compliant ? "compliant" : kComplianceOther[rng.Below(std::size(kComplianceOther))];
  const bool encrypted =
      os.name == "iOS" || (os.name == "Android" ? rng.Chance(0.9) : rng.Chance(r.device_encrypted));
  const bool company = rng.Chance(os.mobile ? 0.55 : 0.92);
  const std::string_view agent = !os.mobile && plan.hybrid && rng.Chance(0.3)
                                     ? "configurationManagerClientMdm"
                                 : os.mobile && r.hardening == 0 && rng.Chance(0.1) ? "easMdm"
                                                                                    : "mdm";
  const std::int64_t enrolled = plan.now - rng.Between(20, 1100) * kDay;
  const double stale = r.hardening == 0 ? 0.18 : r.hardening == 1 ? 0.07 : 0.02;
  const std::int64_t synced = rng.Chance(stale) ? plan.now - rng.Between(31, 180) * kDay
                                                : plan.now - rng.Between(300, 3 * kDay);

  out.Raw("{\"id\":");
  out.PlainString(id.view());
  out.Raw(",\"userId\":");
  out.PlainString(owner.id.view());
  out.Raw(",\"deviceName\":\"");
  if (os.name == "Windows") {
    out.Raw(company ? "CORP-" : "DESKTOP-");
    std::uint64_t bits = rng.Next();
    for (int c = 0; c < 7; ++c, bits >>= 5)
      out.Char("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"[bits % 32]);
  } else {
    out.Raw(FirstName(owner));
    out.Raw(os.name == "iOS" ? "'s iPhone" : os.name == "macOS" ? "'s MacBook" : "'s Android");
  }
  out.Raw("\",\"managedDeviceOwnerType\":");
  out.PlainString(company ? "company" : "personal");
  out.Raw(",\"enrolledDateTime\":");
  out.Time(enrolled);
  out.Raw(",\"lastSyncDateTime\":");
  out.Time(std::max(synced, enrolled));
  out.Raw(",\"operatingSystem\":");
  out.PlainString(os.name);
  out.Raw(",\"complianceState\":");
  out.PlainString(compliance);
  out.Raw(",\"jailBroken\":");
  out.PlainString(!os.mobile ? "Unknown" : rng.Chance(r.jailbroken) ? "True" : "False");
  out.Raw(",\"managementAgent\":");
  out.PlainString(agent);
  out.Raw(",\"osVersion\":");
  out.PlainString(version);
  out.Raw(",\"isEncrypted\":");
  out.Bool(encrypted);
  out.Raw(",\"userPrincipalName\":");
  WriteUpn(out, plan, owner);
  out.Raw(",\"model\":");
  out.PlainString(os.models[rng.Below(os.models.size())]);
  out.Raw(",\"manufacturer\":");
  out.PlainString(os.manufacturer);
  out.Char('}');
}

}  // namespace

void WriteGraphDevices(const TenantPlan& plan, JsonSink& out, ProgressMeter& progress) {
  out.Raw("\"deviceManagement/managedDevices\":");
  WriteArray(out, plan.devices, [&](std::uint64_t i) {
    WriteDevice(out, plan, i);
    progress.Step();
  });
}

}  // namespace securescore::generate
