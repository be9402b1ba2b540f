// Graph identity objects: users, authentication-method registration, groups with their members,
// and directory roles (definitions, active assignments, PIM eligibility).
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "securescore/generate/rng.h"
#include "securescore/generate/sections.h"

namespace securescore::generate {
namespace {

constexpr std::int64_t kDay = 86400;

// Microsoft 365 E3, Microsoft 365 E5, Microsoft 365 Business Premium; Power BI Pro as an add-on.
constexpr std::array<std::string_view, 3> kSkus = {"05e9a617-0261-4cee-bb44-138d3ef5d965",
                                                   "06ebc4ee-1bb5-47dd-8120-11324bc54e06",
                                                   "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46"};
constexpr std::string_view kPowerBiPro = "f8a1db68-be16-40ed-86d5-cb42ce701560";

// What the users pass learns that later sections need, so they need not rescan the directory.
struct DirectoryIndex {
  std::vector<std::vector<std::uint32_t>> department_members;
  std::vector<std::uint32_t> admins;          // users holding a role directly
  std::vector<std::uint32_t> helpdesk_group;  // members of the role-assignable groups
  std::vector<std::uint32_t> security_reader_group;
  std::vector<std::uint32_t> mfa_exclusions;  // members of the CA exclusion group
};

std::string_view UserTypeOf(const UserFacts& u) { return u.guest ? "Guest" : "Member"; }

// `"id":…,"displayName":…,"userPrincipalName":…`, as Graph names a user everywhere.
void WriteUserNames(JsonSink& out, const TenantPlan& plan, const UserFacts& u) {
  out.Raw("\"id\":");
  out.PlainString(u.id.view());
  out.Raw(",\"displayName\":");
  WriteDisplayName(out, u);
  out.Raw(",\"userPrincipalName\":");
  WriteUpn(out, plan, u);
}

void WriteUser(JsonSink& out, const TenantPlan& plan, const UserFacts& u) {
  out.Char('{');
  WriteUserNames(out, plan, u);
  out.Raw(",\"userType\":\"");
  out.Raw(UserTypeOf(u));
  out.Raw("\",\"accountEnabled\":");
  out.Bool(u.enabled);
  out.Raw(",\"onPremisesSyncEnabled\":");
  if (u.synced) {
    out.Bool(true);
  } else {
    out.Null();
  }
  out.Raw(",\"createdDateTime\":");
  out.Time(u.created);
  out.Raw(",\"lastPasswordChangeDateTime\":");
  out.Time(u.password_changed);
  out.Raw(",\"passwordPolicies\":");
  if (u.synced || (plan.rates.hardening > 0 && !u.guest)) {
    out.Raw("\"DisablePasswordExpiration\"");
  } else {
    out.Null();
  }
  if (!u.guest && !u.break_glass) {
    out.Raw(",\"department\":\"");
    out.Raw(DepartmentName(u.department));
    out.Char('"');
  }
  out.Raw(",\"signInActivity\":{\"lastSignInDateTime\":");
  if (u.last_sign_in != 0) {
    out.Time(u.last_sign_in);
  } else {
    out.Null();
  }
  out.Raw("},\"assignedLicenses\":[");
  if (u.licensed) {
    out.Raw("{\"disabledPlans\":[],\"skuId\":\"");
    out.Raw(kSkus[plan.license_sku]);
    out.Raw("\"}");
    if (u.index % 7 == 3) {
      out.Raw(",{\"disabledPlans\":[],\"skuId\":\"");
      out.Raw(kPowerBiPro);
      out.Raw("\"}");
    }
  }
  out.Raw("]}");
}

void WriteRegistration(JsonSink& out, const TenantPlan& plan, const UserFacts& u) {
  const int hardening = plan.rates.hardening;
  // Strong tenants disable SMS and voice, so phone-only registrations are not MFA-capable.
  constexpr std::uint32_t kPhoneMethods = (1u << 1) | (1u << 2);
  const bool capable =
      u.mfa_registered && (hardening < 2 || (u.methods & ~kPhoneMethods & ~1u) != 0);
  const bool sspr_enabled = hardening > 0 && !u.guest;
  out.Raw("{\"id\":");
  out.PlainString(u.id.view());
  out.Raw(",\"userPrincipalName\":");
  WriteUpn(out, plan, u);
  out.Raw(",\"userDisplayName\":");
  WriteDisplayName(out, u);
  out.Raw(u.guest ? ",\"userType\":\"guest\"" : ",\"userType\":\"member\"");
  out.Raw(",\"isAdmin\":");
  out.Bool(u.role >= 0);
  out.Raw(",\"isSsprRegistered\":");
  out.Bool(u.sspr_registered);
  out.Raw(",\"isSsprEnabled\":");
  out.Bool(sspr_enabled);
  out.Raw(",\"isSsprCapable\":");
  out.Bool(sspr_enabled && u.sspr_registered);
  out.Raw(",\"isMfaRegistered\":");
  out.Bool(u.mfa_registered);
  out.Raw(",\"isMfaCapable\":");
  out.Bool(capable);
  out.Raw(",\"isPasswordlessCapable\":");
  out.Bool(u.passwordless);
  out.Raw(",\"isSystemPreferredAuthenticationMethodEnabled\":");
  out.Bool(hardening > 0);
  out.Raw(",\"methodsRegistered\":[");
  bool first = true;
  for (std::size_t m = 0; m < kMethodNames.size(); ++m) {
    if ((u.methods & (1u << m)) == 0) continue;
    if (!first) out.Char(',');
    first = false;
    out.PlainString(kMethodNames[m]);
  }
  out.Raw("],\"defaultMfaMethod\":\"");
  out.Raw(kDefaultMethodNames[static_cast<std::size_t>(u.default_method)]);
  out.Raw("\",\"lastUpdatedDateTime\":");
  out.Time(plan.now - 3 * 3600 - static_cast<std::int64_t>(u.index % 3600));
  out.Char('}');
}

void WriteMemberRef(JsonSink& out, const Guid& id, std::string_view type = "user") {
  out.Raw("{\"@odata.type\":\"#microsoft.graph.");
  out.Raw(type);
  out.Raw("\",\"id\":");
  out.PlainString(id.view());
  out.Char('}');
}

struct GroupSpec {
  std::string name;
  std::string description;
  bool unified = false;
  bool role_assignable = false;
  std::string_view visibility;  // empty: null
};

void WriteGroup(JsonSink& out, const TenantPlan& plan, const GroupSpec& g,
                const std::vector<std::uint32_t>& members) {
  out.Raw("{\"id\":");
  out.PlainString(NamedGuid(plan, "group:" + g.name).view());
  out.Raw(",\"displayName\":");
  out.String(g.name);
  out.Raw(",\"description\":");
  out.String(g.description);
  out.Raw(",\"groupTypes\":");
  out.Raw(g.unified ? "[\"Unified\"]" : "[]");
  out.Raw(",\"mailEnabled\":");
  out.Bool(g.unified);
  out.Raw(",\"securityEnabled\":");
  out.Bool(!g.unified);
  out.Raw(",\"isAssignableToRole\":");
  if (g.role_assignable) {
    out.Bool(true);
  } else {
    out.Null();
  }
  out.Raw(",\"visibility\":");
  if (g.visibility.empty()) {
    out.Null();
  } else {
    out.PlainString(g.visibility);
  }
  out.Raw(",\"members\":");
  WriteArray(out, members.size(),
             [&](std::uint64_t i) { WriteMemberRef(out, UserId(plan, members[i])); });
  out.Char('}');
}

// Role-assignable group names, one per role handed out through a group.
std::string RoleGroupName(std::string_view role) { return fmt::format("Role - {}s", role); }

void WritePrincipal(JsonSink& out, const TenantPlan& plan, const UserFacts& u) {
  out.Raw("\"principal\":{\"@odata.type\":\"#microsoft.graph.user\",");
  WriteUserNames(out, plan, u);
  out.Char('}');
}

void WriteGroupPrincipal(JsonSink& out, const Guid& id, std::string_view name) {
  out.Raw("\"principal\":{\"@odata.type\":\"#microsoft.graph.group\",\"id\":");
  out.PlainString(id.view());
  out.Raw(",\"displayName\":");
  out.String(name);
  out.Char('}');
}

// The base64url-looking ids Graph gives role assignments.
void WriteAssignmentId(JsonSink& out, std::uint64_t a, std::uint64_t b) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  out.Char('"');
  std::uint64_t word = Mix64(a ^ Mix64(b));
  for (int i = 0; i < 43; ++i) {
    if (i % 10 == 0) word = Mix64(word + static_cast<std::uint64_t>(i));
    out.Char(kAlphabet[(word >> (6 * (i % 10))) & 63]);
  }
  out.Raw("-1\"");
}

struct Assignment {
  Guid principal;
  bool is_group = false;
  std::uint32_t user = 0;  // when !is_group
  std::string group_name;  // when is_group
  int role = 0;
  bool eligible = false;
};

}  // namespace

void WriteGraphIdentity(const TenantPlan& plan, JsonSink& out, ProgressMeter& progress) {
  DirectoryIndex index;
  index.department_members.resize(plan.departments);
  const std::uint64_t exclusion_every = plan.rates.hardening == 0 ? 150 : 2000;

  out.Raw("\"users\":");
  WriteArray(out, plan.users, [&](std::uint64_t i) {
    const UserFacts u = DescribeUser(plan, i);
    WriteUser(out, plan, u);
    const auto idx = static_cast<std::uint32_t>(i);
    if (!u.guest && !u.break_glass) index.department_members[u.department].push_back(idx);
    if (u.role >= 0) {
      const std::string_view role = Roles()[static_cast<std::size_t>(u.role)].display_name;
      if (u.role_via == Via::kDirect) {
        index.admins.push_back(idx);
      } else if (role == "Helpdesk Administrator") {
        index.helpdesk_group.push_back(idx);
      } else {
        index.security_reader_group.push_back(idx);
      }
    }
    // Break-glass accounts, plus (outside strong tenants) service and "VIP" accounts that
    // someone excluded from MFA and forgot.
    if (u.break_glass || (plan.rates.hardening < 2 && !u.guest && i % exclusion_every == 7)) {
      index.mfa_exclusions.push_back(idx);
    }
    progress.Step();
  });

  out.Raw(",\n\"reports/authenticationMethods/userRegistrationDetails\":");
  WriteArray(out, plan.users, [&](std::uint64_t i) {
    WriteRegistration(out, plan, DescribeUser(plan, i));
    progress.Step();
  });

  // Groups: department security groups, role-assignable groups, the CA exclusion group and
  // Microsoft 365 team groups with a handful of members each.
  out.Raw(",\n\"groups\":[");
  const std::string_view private_or_public = plan.rates.hardening == 0 ? "Public" : "Private";
  bool first_group = true;
  auto group = [&](const GroupSpec& g, const std::vector<std::uint32_t>& members) {
    if (!first_group) out.Raw(",\n");
    first_group = false;
    WriteGroup(out, plan, g, members);
    out.MaybeFlush();
  };
  for (std::uint32_t d = 0; d < plan.departments; ++d) {
    group({fmt::format("SG-Dept-{}", DepartmentName(d)),
           fmt::format("All members of the {} department", DepartmentName(d)), false, false, ""},
          index.department_members[d]);
  }
  group({RoleGroupName("Helpdesk Administrator"), "Holders of the Helpdesk Administrator role",
         false, true, "Private"},
        index.helpdesk_group);
  group({RoleGroupName("Security Reader"), "Holders of the Security Reader role", false, true,
         "Private"},
        index.security_reader_group);
  group({"CA - Excluded from MFA", "Accounts excluded from conditional-access MFA policies", false,
         false, ""},
        index.mfa_exclusions);
  const std::uint64_t teams = std::clamp<std::uint64_t>(plan.users / 150, 2, 3000);
  std::vector<std::uint32_t> members;
  for (std::uint64_t t = 0; t < teams; ++t) {
    Rng rng(Hash(plan.options.seed, t, 101));
    members.clear();
    const std::uint64_t size = std::min<std::uint64_t>(plan.users, 3 + rng.Below(23));
    for (std::uint64_t m = 0; m < size; ++m) {
      members.push_back(static_cast<std::uint32_t>(rng.Below(plan.users)));
    }
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    const std::string_view dept = DepartmentName(static_cast<std::uint32_t>(t));
    group({fmt::format("{} Team {}", dept, t / plan.departments + 1),
           fmt::format("Collaboration space for {}", dept), true, false,
           rng.Chance(plan.rates.hardening == 2 ? 0.9 : 0.4) ? "Private" : private_or_public},
          members);
  }
  out.Char(']');

  // Role definitions: the built-in roles the tenant uses.
  out.Raw(",\n\"roleManagement/directory/roleDefinitions\":");
  WriteArray(out, Roles().size(), [&](std::uint64_t r) {
    const RoleSpec& role = Roles()[r];
    out.Format(
        "{{\"id\":\"{0}\",\"description\":\"{1}\",\"displayName\":\"{2}\",\"isBuiltIn\":true,"
        "\"isEnabled\":true,\"resourceScopes\":[\"/\"],\"templateId\":\"{0}\",\"version\":\"1\","
        "\"rolePermissions\":[{{\"allowedResourceActions\":[\"{3}\"],\"condition\":null}}],"
        "\"inheritsPermissionsFrom\":[]}}",
        role.template_id, role.description, role.display_name, role.sample_action);
  });

  // Assignments: direct holders, the two role groups, and a SIEM connector's service principal.
  std::vector<Assignment> assignments;
  for (std::uint32_t user : index.admins) {
    const UserFacts u = DescribeUser(plan, user);
    assignments.push_back({u.id, false, user, {}, u.role, u.role_eligible});
  }
  const bool groups_eligible = plan.rates.hardening == 2;
  for (const std::string_view role_name : {"Helpdesk Administrator", "Security Reader"}) {
    int role = 0;
    for (std::size_t r = 0; r < Roles().size(); ++r) {
      if (Roles()[r].display_name == role_name) role = static_cast<int>(r);
    }
    const std::string name = RoleGroupName(role_name);
    assignments.push_back({NamedGuid(plan, "group:" + name), true, 0, name, role, groups_eligible});
  }
  auto write_assignment = [&](const Assignment& a, std::uint64_t n, bool schedule) {
    out.Raw("{\"id\":");
    if (schedule) {
      out.PlainString(NamedGuid(plan, fmt::format("eligibility:{}", n)).view());
    } else {
      WriteAssignmentId(out, plan.options.seed + 17, n);
    }
    out.Raw(",\"principalId\":");
    out.PlainString(a.principal.view());
    out.Raw(",\"roleDefinitionId\":\"");
    out.Raw(Roles()[static_cast<std::size_t>(a.role)].template_id);
    out.Raw("\",\"directoryScopeId\":\"/\",");
    if (schedule) {
      const std::int64_t start = plan.now - static_cast<std::int64_t>(30 + n % 300) * kDay;
      out.Raw("\"appScopeId\":null,\"createdUsing\":null,\"createdDateTime\":");
      out.Time(start);
      out.Raw(
          ",\"modifiedDateTime\":null,\"status\":\"Provisioned\",\"memberType\":\"Direct\","
          "\"scheduleInfo\":{\"startDateTime\":");
      out.Time(start);
      if (plan.rates.hardening == 2) {
        out.Raw(",\"recurrence\":null,\"expiration\":{\"type\":\"afterDateTime\",\"endDateTime\":");
        out.Time(start + 365 * kDay);
        out.Raw(",\"duration\":null}},");
      } else {
        out.Raw(
            ",\"recurrence\":null,\"expiration\":{\"type\":\"noExpiration\","
            "\"endDateTime\":null,\"duration\":null}},");
      }
    }
    if (a.is_group) {
      WriteGroupPrincipal(out, a.principal, a.group_name);
    } else {
      WritePrincipal(out, plan, DescribeUser(plan, a.user));
    }
    out.Char('}');
  };
  out.Raw(",\n\"roleManagement/directory/roleAssignments\":[");
  std::uint64_t written = 0;
  for (std::uint64_t n = 0; n < assignments.size(); ++n) {
    if (assignments[n].eligible) continue;
    if (written++ != 0) out.Raw(",\n");
    write_assignment(assignments[n], n, false);
  }
  if (written != 0) out.Raw(",\n");
  const Guid siem = NamedGuid(plan, "sp:Sentinel Connector");
  out.Raw("{\"id\":");
  WriteAssignmentId(out, plan.options.seed + 17, assignments.size());
  out.Raw(",\"principalId\":");
  out.PlainString(siem.view());
  out.Raw(
      ",\"roleDefinitionId\":\"5d6b6bb7-de71-4623-b4af-96380a352509\","
      "\"directoryScopeId\":\"/\",\"principal\":{\"@odata.type\":"
      "\"#microsoft.graph.servicePrincipal\",\"id\":");
  out.PlainString(siem.view());
  out.Raw(",\"displayName\":\"Sentinel Connector\"}}]");

  out.Raw(",\n\"roleManagement/directory/roleEligibilitySchedules\":[");
  written = 0;
  for (std::uint64_t n = 0; n < assignments.size(); ++n) {
    if (!assignments[n].eligible) continue;
    if (written++ != 0) out.Raw(",\n");
    write_assignment(assignments[n], n, true);
  }
  out.Char(']');
}

}  // namespace securescore::generate
