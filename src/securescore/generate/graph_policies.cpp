// Graph tenant-wide configuration: conditional-access policies, the authorization policy,
// directory settings, consent workflow, authentication methods, domains, service principals
// and Microsoft's own secure score. Every value depends on the profile's hardening level.
#include <algorithm>
#include <string>
#include <vector>

#include "securescore/generate/rng.h"
#include "securescore/generate/sections.h"

namespace securescore::generate {
namespace {

constexpr std::int64_t kDay = 86400;
using Strings = std::vector<std::string>;

void WriteStrings(JsonSink& out, const Strings& values);

// `raw` (a literal such as `,"excludeUsers":`) followed by the array.
void WriteStringsAfter(JsonSink& out, std::string_view raw, const Strings& values) {
  out.Raw(raw);
  WriteStrings(out, values);
}

void WriteStrings(JsonSink& out, const Strings& values) {
  out.Char('[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out.Char(',');
    out.String(values[i]);
  }
  out.Char(']');
}

struct CaPolicy {
  std::string name;
  std::string state = "enabled";
  Strings include_users, exclude_users, include_groups, exclude_groups, include_roles,
      exclude_roles;
  bool include_guests = false;
  Strings include_apps = {"All"}, exclude_apps, user_actions;
  Strings client_app_types = {"all"};
  Strings user_risk, sign_in_risk, platforms, include_locations, exclude_locations;
  std::string grant_operator = "OR";
  Strings controls;
  bool phishing_resistant_strength = false;
  bool mfa_strength = false;
  int sign_in_frequency_hours = 0;
  bool sign_in_every_time = false;
  bool persistent_browser_never = false;
};

void WriteCaPolicy(JsonSink& out, const TenantPlan& plan, const CaPolicy& p, int n) {
  out.Raw("{\"id\":");
  out.PlainString(NamedGuid(plan, "ca:" + p.name).view());
  out.Raw(",\"templateId\":null,\"displayName\":");
  out.String(p.name);
  out.Raw(",\"createdDateTime\":");
  out.Time(plan.tenant_created + (200 + 37 * n) * kDay);
  out.Raw(",\"modifiedDateTime\":");
  out.Time(plan.now - (20 + 11 * n) * kDay);
  out.Raw(",\"state\":");
  out.String(p.state);
  out.Raw(",\"sessionControls\":");
  if (p.sign_in_frequency_hours == 0 && !p.sign_in_every_time && !p.persistent_browser_never) {
    out.Null();
  } else {
    out.Raw(
        "{\"disableResilienceDefaults\":null,\"applicationEnforcedRestrictions\":null,"
        "\"cloudAppSecurity\":null,\"continuousAccessEvaluation\":null,"
        "\"secureSignInSession\":null,\"persistentBrowser\":");
    if (p.persistent_browser_never) {
      out.Raw("{\"mode\":\"never\",\"isEnabled\":true}");
    } else {
      out.Null();
    }
    out.Raw(",\"signInFrequency\":");
    if (p.sign_in_every_time) {
      out.Raw(
          "{\"value\":null,\"type\":null,\"authenticationType\":"
          "\"primaryAndSecondaryAuthentication\",\"frequencyInterval\":\"everyTime\","
          "\"isEnabled\":true}");
    } else if (p.sign_in_frequency_hours != 0) {
      out.Format(
          "{{\"value\":{},\"type\":\"hours\",\"authenticationType\":"
          "\"primaryAndSecondaryAuthentication\",\"frequencyInterval\":\"timeBased\","
          "\"isEnabled\":true}}",
          p.sign_in_frequency_hours);
    } else {
      out.Null();
    }
    out.Char('}');
  }
  WriteStringsAfter(out, ",\"conditions\":{\"userRiskLevels\":", p.user_risk);
  WriteStringsAfter(out, ",\"signInRiskLevels\":", p.sign_in_risk);
  WriteStringsAfter(out, ",\"clientAppTypes\":", p.client_app_types);
  out.Raw(",\"servicePrincipalRiskLevels\":[],\"platforms\":");
  if (p.platforms.empty()) {
    out.Null();
  } else {
    WriteStringsAfter(out, "{\"includePlatforms\":", p.platforms);
    out.Raw(",\"excludePlatforms\":[]}");
  }
  out.Raw(",\"locations\":");
  if (p.include_locations.empty()) {
    out.Null();
  } else {
    WriteStringsAfter(out, "{\"includeLocations\":", p.include_locations);
    WriteStringsAfter(out, ",\"excludeLocations\":", p.exclude_locations);
    out.Char('}');
  }
  out.Raw(
      ",\"devices\":null,\"clientApplications\":null,\"applications\":{\"includeApplications\":");
  WriteStrings(out, p.user_actions.empty() ? p.include_apps : Strings{});
  WriteStringsAfter(out, ",\"excludeApplications\":", p.exclude_apps);
  WriteStringsAfter(out, ",\"includeUserActions\":", p.user_actions);
  out.Raw(
      ",\"includeAuthenticationContextClassReferences\":[],\"applicationFilter\":null},"
      "\"users\":{\"includeUsers\":");
  WriteStrings(out, p.include_users);
  WriteStringsAfter(out, ",\"excludeUsers\":", p.exclude_users);
  WriteStringsAfter(out, ",\"includeGroups\":", p.include_groups);
  WriteStringsAfter(out, ",\"excludeGroups\":", p.exclude_groups);
  WriteStringsAfter(out, ",\"includeRoles\":", p.include_roles);
  WriteStringsAfter(out, ",\"excludeRoles\":", p.exclude_roles);
  out.Raw(",\"includeGuestsOrExternalUsers\":");
  if (p.include_guests) {
    out.Raw(
        "{\"guestOrExternalUserTypes\":\"internalGuest,b2bCollaborationGuest,"
        "b2bCollaborationMember,b2bDirectConnectUser,otherExternalUser,serviceProvider\","
        "\"externalTenants\":{\"@odata.type\":"
        "\"#microsoft.graph.conditionalAccessAllExternalTenants\",\"membershipKind\":\"all\"}}");
  } else {
    out.Null();
  }
  out.Raw(",\"excludeGuestsOrExternalUsers\":null}},\"grantControls\":");
  if (p.controls.empty() && !p.mfa_strength && !p.phishing_resistant_strength) {
    out.Null();
  } else {
    out.Raw("{\"operator\":");
    out.String(p.grant_operator);
    WriteStringsAfter(out, ",\"builtInControls\":", p.controls);
    out.Raw(",\"customAuthenticationFactors\":[],\"termsOfUse\":[],\"authenticationStrength\":");
    if (p.phishing_resistant_strength) {
      out.Raw(
          "{\"id\":\"00000000-0000-0000-0000-000000000004\",\"displayName\":"
          "\"Phishing-resistant MFA\",\"description\":\"Phishing-resistant, Passwordless "
          "methods for the strongest authentication, such as a FIDO2 security key\","
          "\"policyType\":\"builtIn\",\"requirementsSatisfied\":\"mfa\","
          "\"allowedCombinations\":[\"windowsHelloForBusiness\",\"fido2\","
          "\"x509CertificateMultiFactor\"]}");
    } else if (p.mfa_strength) {
      out.Raw(
          "{\"id\":\"00000000-0000-0000-0000-000000000002\",\"displayName\":"
          "\"Multifactor authentication\",\"description\":\"Combinations of methods that "
          "satisfy strong authentication, such as a password + SMS\",\"policyType\":"
          "\"builtIn\",\"requirementsSatisfied\":\"mfa\",\"allowedCombinations\":["
          "\"windowsHelloForBusiness\",\"fido2\",\"x509CertificateMultiFactor\","
          "\"deviceBasedPush\",\"temporaryAccessPassOneTime\","
          "\"temporaryAccessPassMultiUse\",\"password,microsoftAuthenticatorPush\","
          "\"password,softwareOath\",\"password,hardwareOath\",\"password,sms\","
          "\"password,voice\",\"federatedMultiFactor\","
          "\"microsoftAuthenticatorPush,federatedSingleFactor\"]}");
    } else {
      out.Null();
    }
    out.Char('}');
  }
  out.Char('}');
}

// Most policies target every user except the break-glass accounts.
CaPolicy ForAllUsers(std::string name, std::string state, const Strings& break_glass) {
  CaPolicy policy;
  policy.name = std::move(name);
  policy.state = std::move(state);
  policy.include_users = {"All"};
  policy.exclude_users = break_glass;
  return policy;
}

std::vector<CaPolicy> CaPolicies(const TenantPlan& plan) {
  const int h = plan.rates.hardening;
  Strings break_glass;
  for (std::uint64_t i = 0; i < plan.break_glass; ++i) {
    break_glass.push_back(DescribeUser(plan, i).id.str());
  }
  const std::string exclusion_group = NamedGuid(plan, "group:CA - Excluded from MFA").str();
  const Strings exclude_groups = h == 2 ? Strings{} : Strings{exclusion_group};
  Strings admin_roles;
  for (const RoleSpec& role : Roles()) {
    if (role.display_name.find("Administrator") != std::string_view::npos) {
      admin_roles.emplace_back(role.template_id);
    }
  }
  const std::string trusted = NamedGuid(plan, "location:Headquarters").str();
  const char* report_only = "enabledForReportingButNotEnforced";

  std::vector<CaPolicy> p;
  CaPolicy admins;
  admins.name = "CA001: Require multifactor authentication for admins";
  admins.include_roles = h == 0 ? Strings{admin_roles.front()} : admin_roles;
  admins.exclude_users = break_glass;
  admins.controls = {"mfa"};
  p.push_back(admins);

  CaPolicy all = ForAllUsers("CA002: Require multifactor authentication for all users",
                             h == 0 ? report_only : "enabled", break_glass);
  all.exclude_groups = exclude_groups;
  if (h == 2) {
    all.mfa_strength = true;
  } else {
    all.controls = {"mfa"};
  }
  p.push_back(all);

  CaPolicy legacy = ForAllUsers("CA003: Block legacy authentication",
                                h == 0 ? "disabled" : "enabled", break_glass);
  legacy.client_app_types = {"exchangeActiveSync", "other"};
  legacy.controls = {"block"};
  p.push_back(legacy);

  CaPolicy sign_in_risk =
      ForAllUsers("CA004: Require multifactor authentication for risky sign-ins",
                  h == 2 ? "enabled" : report_only, break_glass);
  sign_in_risk.sign_in_risk = {"high", "medium"};
  sign_in_risk.controls = {"mfa"};
  sign_in_risk.sign_in_every_time = true;
  p.push_back(sign_in_risk);

  if (h > 0) {
    CaPolicy user_risk =
        ForAllUsers("CA005: Require password change for high-risk users", "enabled", break_glass);
    user_risk.user_risk = {"high"};
    user_risk.grant_operator = "AND";
    user_risk.controls = {"mfa", "passwordChange"};
    user_risk.sign_in_every_time = true;
    p.push_back(user_risk);

    CaPolicy device = ForAllUsers("CA006: Require compliant or hybrid joined device",
                                  h == 2 ? "enabled" : report_only, break_glass);
    device.exclude_groups = exclude_groups;
    if (h == 1) device.platforms = {"windows", "macOS"};
    device.controls = {"compliantDevice", "domainJoinedDevice"};
    p.push_back(device);

    CaPolicy frequency;
    frequency.name = "CA007: Sign-in frequency and no persistent browser";
    if (h == 2) {
      frequency.include_users = {"All"};
    } else {
      frequency.include_roles = admin_roles;
    }
    frequency.exclude_users = break_glass;
    frequency.sign_in_frequency_hours = h == 2 ? 12 : 4;
    frequency.persistent_browser_never = true;
    p.push_back(frequency);

    CaPolicy phishing;
    phishing.name = "CA008: Require phishing-resistant MFA for admins";
    phishing.state = h == 2 ? "enabled" : report_only;
    phishing.include_roles = admin_roles;
    phishing.exclude_users = break_glass;
    phishing.phishing_resistant_strength = true;
    p.push_back(phishing);

    CaPolicy guests;
    guests.name = "CA009: Require multifactor authentication for guests";
    guests.include_guests = true;
    guests.controls = {"mfa"};
    p.push_back(guests);

    CaPolicy register_info =
        ForAllUsers("CA010: Secure security info registration", "enabled", break_glass);
    register_info.user_actions = {"urn:user:registersecurityinfo"};
    register_info.include_locations = {"All"};
    register_info.exclude_locations = {"AllTrusted"};
    register_info.controls = {"mfa"};
    p.push_back(register_info);
  }

  CaPolicy countries = ForAllUsers("CA011: Block sign-ins from outside operating countries",
                                   h == 0 ? "enabled" : "disabled", break_glass);
  countries.include_locations = {"All"};
  countries.exclude_locations = {trusted};
  countries.controls = {"block"};
  p.push_back(countries);

  if (h == 0) {
    // A leftover pilot: MFA for one department only, the kind of narrow policy weak tenants have.
    CaPolicy pilot;
    pilot.name = "MFA pilot - Finance";
    pilot.include_groups = {NamedGuid(plan, "group:SG-Dept-Finance").str()};
    pilot.include_apps = {"Office365"};
    pilot.controls = {"mfa"};
    p.push_back(pilot);
  }
  return p;
}

void WriteSetting(JsonSink& out, const TenantPlan& plan, std::string_view name,
                  std::string_view template_id,
                  std::initializer_list<std::pair<std::string_view, std::string>> values) {
  out.Raw("{\"id\":");
  out.PlainString(NamedGuid(plan, fmt::format("setting:{}", name)).view());
  out.Format(",\"displayName\":\"{}\",\"templateId\":\"{}\",\"values\":[", name, template_id);
  bool first = true;
  for (const auto& [key, value] : values) {
    if (!first) out.Char(',');
    first = false;
    out.Raw("{\"name\":");
    out.String(key);
    out.Raw(",\"value\":");
    out.String(value);
    out.Char('}');
  }
  out.Raw("]}");
}

std::string Flag(bool value) { return value ? "true" : "false"; }

// Enterprise applications: Microsoft's first-party apps and third-party SaaS apps.
struct AppSpec {
  std::string_view app_id;
  std::string_view name;
};
constexpr AppSpec kMicrosoftApps[] = {
    {"00000003-0000-0000-c000-000000000000", "Microsoft Graph"},
    {"00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"},
    {"00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"},
    {"cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", "Microsoft Teams Services"},
    {"c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal"},
    {"c5393580-f805-4401-95e8-94b7a6ef2fc2", "Office 365 Management APIs"},
    {"0000000a-0000-0000-c000-000000000000", "Microsoft Intune"},
    {"797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API"},
};
constexpr std::string_view kVendors[] = {"Zoom",
                                         "Salesforce",
                                         "Slack",
                                         "DocuSign",
                                         "Adobe Acrobat Sign",
                                         "ServiceNow",
                                         "Workday",
                                         "Dropbox Business",
                                         "Atlassian Cloud",
                                         "GitHub Enterprise",
                                         "Miro",
                                         "Box",
                                         "Tableau",
                                         "Zendesk",
                                         "HubSpot",
                                         "Mailchimp",
                                         "Calendly",
                                         "Grammarly",
                                         "Lucidchart",
                                         "Trello",
                                         "Smartsheet",
                                         "Asana",
                                         "Webex",
                                         "Okta Workflows"};
constexpr std::string_view kMicrosoftTenant = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

void WriteServicePrincipal(JsonSink& out, std::string_view id, std::string_view app_id,
                           std::string_view name, std::string_view owner, bool enabled,
                           std::string_view publisher) {
  out.Raw("{\"id\":");
  out.PlainString(id);
  out.Raw(",\"appId\":");
  out.PlainString(app_id);
  out.Raw(",\"displayName\":");
  out.String(name);
  out.Raw(",\"appOwnerOrganizationId\":");
  out.PlainString(owner);
  out.Raw(",\"accountEnabled\":");
  out.Bool(enabled);
  out.Raw(
      ",\"servicePrincipalType\":\"Application\",\"signInAudience\":\"AzureADMultipleOrgs\","
      "\"publisherName\":");
  out.String(publisher);
  out.Raw(
      ",\"appRoleAssignmentRequired\":false,\"tags\":[\"WindowsAzureActiveDirectoryIntegratedApp\"]"
      "}");
}

// Microsoft's per-control figures: a realistic subset with counts that follow the profile.
void WriteSecureScores(JsonSink& out, const TenantPlan& plan) {
  const ProfileRates& r = plan.rates;
  const int h = r.hardening;
  const auto users = static_cast<std::int64_t>(plan.users);
  struct ControlScore {
    std::string_view category, name;
    double max;
    double ratio;  // compliant fraction
  };
  const ControlScore controls[] = {
      {"Identity", "MFARegistrationV2", 9, r.mfa_registered},
      {"Identity", "AdminMFAV2", 10, h == 0 ? 0.6 : 1.0},
      {"Identity", "BlockLegacyAuthentication", 8, h == 0 ? 0.0 : 1.0},
      {"Identity", "SigninRiskPolicy", 7, h == 2 ? 1.0 : 0.0},
      {"Identity", "UserRiskPolicy", 7, h == 0 ? 0.0 : 1.0},
      {"Identity", "SelfServicePasswordReset", 1, h == 0 ? 0.0 : 1.0},
      {"Identity", "PWAgePolicyNew", 8, h == 0 ? 0.0 : 1.0},
      {"Identity", "OneAdmin", 1, 1.0},
      {"Identity", "IntegratedApps", 4, h == 0 ? 0.0 : 1.0},
      {"Apps", "mdo_safeattachments", 8, h == 0 ? 0.0 : 1.0},
      {"Apps", "mdo_safelinksforemail", 9, h == 0 ? 0.0 : 1.0},
      {"Apps", "exo_mailboxaudit", 9, h == 0 ? 0.9 : 1.0},
      {"Apps", "mdo_autoforwardingmode", 8, h == 0 ? 0.0 : 1.0},
      {"Data", "dlp_datalossprevention", 10, h == 0 ? 0.0 : 1.0},
      {"Device", "DeviceCompliance", 6, r.device_compliant},
  };
  double current = 0, max = 0;
  for (const auto& c : controls) {
    current += c.max * c.ratio;
    max += c.max;
  }
  const std::string day = FormatIsoTime(plan.now).substr(0, 10);
  out.Raw("[{\"id\":");
  out.String(fmt::format("{}_{}", plan.tenant_id, day));
  out.Format(
      ",\"azureTenantId\":\"{}\",\"activeUserCount\":{},\"createdDateTime\":\"{}T00:00:00Z\","
      "\"currentScore\":{:.2f},\"maxScore\":{},\"licensedUserCount\":{},"
      "\"enabledServices\":[\"HasExchange\",\"HasSharePoint\",\"HasOD4B\",\"HasMDOP2\","
      "\"HasAADP2\"],\"vendorInformation\":{{\"provider\":\"SecureScore\","
      "\"providerVersion\":null,\"subProvider\":null,\"vendor\":\"Microsoft\"}},"
      "\"averageComparativeScores\":[{{\"basis\":\"AllTenants\",\"averageScore\":54.65}}],"
      "\"controlScores\":[",
      plan.tenant_id, users, day, current, max, users);
  bool first = true;
  for (const auto& c : controls) {
    if (!first) out.Char(',');
    first = false;
    const std::int64_t total = c.name == "MFARegistrationV2" ? users : 1;
    const auto count = static_cast<std::int64_t>(static_cast<double>(total) * c.ratio);
    out.Format(
        "{{\"controlCategory\":\"{}\",\"controlName\":\"{}\",\"description\":\"\","
        "\"score\":{:.2f},\"scoreInPercentage\":{:.2f},\"lastSynced\":\"{}T00:00:00Z\","
        "\"implementationStatus\":\"{} of {} compliant\",\"count\":\"{}\",\"total\":\"{}\"}}",
        c.category, c.name, c.max * c.ratio, 100 * c.ratio, day, count, total, count, total);
  }
  out.Raw("]}]");
}

// Authentication methods: SMS and voice linger in weak tenants; strong ones add FIDO2 and
// certificate-based authentication and turn phone methods off.
void WriteAuthenticationMethods(const TenantPlan& plan, JsonSink& out) {
  const int h = plan.rates.hardening;
  out.Raw(
      ",\n\"policies/authenticationMethodsPolicy\":{\"id\":\"authenticationMethodsPolicy\","
      "\"displayName\":\"Authentication Methods Policy\",\"description\":\"The tenant-wide "
      "policy that controls which authentication methods are allowed in the tenant, "
      "authentication method registration requirements, and self-service password reset "
      "settings\",\"lastModifiedDateTime\":");
  out.Time(plan.now - 45 * kDay);
  out.Raw(",\"policyVersion\":\"1.5\",\"policyMigrationState\":");
  out.PlainString(h == 0 ? "preMigration" : "migrationComplete");
  out.Raw(
      ",\"registrationEnforcement\":{\"authenticationMethodsRegistrationCampaign\":"
      "{\"snoozeDurationInDays\":1,\"enforceRegistrationAfterAllowedSnoozes\":true,\"state\":");
  out.PlainString(h == 0 ? "default" : "enabled");
  out.Raw(
      ",\"excludeTargets\":[],\"includeTargets\":[{\"id\":\"all_users\",\"targetType\":"
      "\"group\",\"targetedAuthenticationMethod\":\"microsoftAuthenticator\"}]}},"
      "\"authenticationMethodConfigurations\":[");
  struct MethodConfig {
    std::string_view type, id;
    bool enabled;
    std::string_view extra;
  };
  const std::string_view feature_state = h == 0 ? "default" : "enabled";
  const std::string authenticator_features = fmt::format(
      ",\"isSoftwareOathEnabled\":false,\"featureSettings\":{{"
      "\"displayAppInformationRequiredState\":"
      "{{\"state\":\"{0}\",\"includeTarget\":{{\"targetType\":\"group\",\"id\":\"all_users\"}}}},"
      "\"displayLocationInformationRequiredState\":{{\"state\":\"{0}\",\"includeTarget\":"
      "{{\"targetType\":\"group\",\"id\":\"all_users\"}}}}}}",
      feature_state);
  const MethodConfig methods[] = {
      {"fido2", "Fido2", h > 0,
       ",\"isAttestationEnforced\":true,\"isSelfServiceRegistrationAllowed\":true"},
      {"microsoftAuthenticator", "MicrosoftAuthenticator", true, authenticator_features},
      {"sms", "Sms", h < 2, ""},
      {"voice", "Voice", h == 0, ",\"isOfficePhoneAllowed\":false"},
      {"email", "Email", h < 2, ",\"allowExternalIdToUseEmailOtp\":\"default\""},
      {"softwareOath", "SoftwareOath", true, ""},
      {"temporaryAccessPass", "TemporaryAccessPass", h > 0,
       ",\"defaultLifetimeInMinutes\":60,\"defaultLength\":8,\"minimumLifetimeInMinutes\":60,"
       "\"maximumLifetimeInMinutes\":480,\"isUsableOnce\":false"},
      {"x509Certificate", "X509Certificate", h == 2, ""},
  };
  bool first = true;
  for (const MethodConfig& m : methods) {
    if (!first) out.Char(',');
    first = false;
    out.Format(
        "{{\"@odata.type\":\"#microsoft.graph.{}AuthenticationMethodConfiguration\","
        "\"id\":\"{}\",\"state\":\"{}\",\"excludeTargets\":[]{},\"includeTargets\":"
        "[{{\"targetType\":\"group\",\"id\":\"all_users\",\"isRegistrationRequired\":false}}]}}",
        m.type, m.id, m.enabled ? "enabled" : "disabled", m.extra);
  }
  out.Raw("]}");
}

}  // namespace

void WriteGraphPolicies(const TenantPlan& base, JsonSink& out) {
  const TenantPlan ca = ForArea(base, Area::kConditionalAccess);
  out.Raw("\"identity/conditionalAccess/policies\":[");
  const std::vector<CaPolicy> policies = CaPolicies(ca);
  for (std::size_t i = 0; i < policies.size(); ++i) {
    if (i) out.Raw(",\n");
    WriteCaPolicy(out, ca, policies[i], static_cast<int>(i));
  }

  // Authorization policy, group settings, admin consent and domains.
  const TenantPlan plan = ForArea(base, Area::kDirectory);
  const int h = plan.rates.hardening;
  out.Char(']');

  out.Raw(
      ",\n\"policies/authorizationPolicy\":{\"id\":\"authorizationPolicy\","
      "\"displayName\":\"Authorization Policy\",\"description\":\"Used to manage "
      "authorization related settings across the company.\",\"allowInvitesFrom\":");
  out.PlainString(ByHardening<std::string_view>(
      plan, "everyone", "adminsGuestInvitersAndAllMembers", "adminsAndGuestInviters"));
  out.Raw(",\"allowedToSignUpEmailBasedSubscriptions\":");
  out.Bool(h == 0);
  out.Raw(",\"allowedToUseSSPR\":true,\"allowEmailVerifiedUsersToJoinOrganization\":");
  out.Bool(h == 0);
  out.Raw(",\"allowUserConsentForRiskyApps\":null,\"blockMsolPowerShell\":");
  out.Bool(h == 2);
  out.Raw(",\"enabledPreviewFeatures\":[],\"guestUserRoleId\":");
  out.PlainString(ByHardening<std::string_view>(plan, "a0b1b346-4d3e-4e8b-98f8-753987be4970",
                                                "10dae51f-b6af-4016-8d66-8c2a99b929b3",
                                                "2af84b1e-32c8-42b7-82bc-daa82404023b"));
  const std::string_view grant = ByHardening<std::string_view>(
      plan, "[\"ManagePermissionGrantsForSelf.microsoft-user-default-legacy\"]",
      "[\"ManagePermissionGrantsForSelf.microsoft-user-default-low\"]", "[]");
  out.Raw(",\"permissionGrantPolicyIdsAssignedToDefaultUserRole\":");
  out.Raw(grant);
  out.Raw(",\"defaultUserRolePermissions\":{\"allowedToCreateApps\":");
  out.Bool(h < 2);
  out.Raw(",\"allowedToCreateSecurityGroups\":");
  out.Bool(h < 2);
  out.Raw(",\"allowedToCreateTenants\":");
  out.Bool(h == 0);
  out.Raw(
      ",\"allowedToReadBitlockerKeysForOwnedDevice\":true,\"allowedToReadOtherUsers\":true,"
      "\"permissionGrantPoliciesAssigned\":");
  out.Raw(grant);
  out.Raw("}}");

  out.Raw(",\n\"groupSettings\":[");
  WriteSetting(out, plan, "Password Rule Settings", "5cf42378-d67d-4f36-ba46-e8b86229381d",
               {{"BannedPasswordCheckOnPremisesMode", h == 2 ? "Enforce" : "Audit"},
                {"EnableBannedPasswordCheckOnPremises", Flag(plan.hybrid && h > 0)},
                {"EnableBannedPasswordCheck", Flag(h > 0)},
                {"LockoutDurationInSeconds", "60"},
                {"LockoutThreshold", h == 2 ? "5" : "10"},
                {"BannedPasswordList",
                 h == 0 ? "" : fmt::format("{}\t{}2024\tWelcome1", plan.slug, plan.slug)}});
  out.Char(',');
  WriteSetting(out, plan, "Consent Policy Settings", "dffd5d46-495d-40a9-8e21-954ff55e198a",
               {{"EnableGroupSpecificConsent", Flag(h == 0)},
                {"BlockUserConsentForRiskyApps", "true"},
                {"EnableAdminConsentRequests", Flag(h > 0)},
                {"ConstrainGroupSpecificConsentToMembersOfGroupId", ""}});
  out.Char(',');
  WriteSetting(
      out, plan, "Group.Unified", "62375ab9-6b52-47ed-826b-58e47e0e304b",
      {{"NewUnifiedGroupWritebackDefault", "true"},
       {"EnableMIPLabels", Flag(h == 2)},
       {"CustomBlockedWordsList", ""},
       {"EnableMSStandardBlockedWords", "false"},
       {"ClassificationDescriptions", ""},
       {"DefaultClassification", ""},
       {"PrefixSuffixNamingRequirement", h == 2 ? "GRP-[Department]-[GroupName]" : ""},
       {"AllowGuestsToBeGroupOwner", "false"},
       {"AllowGuestsToAccessGroups", Flag(h < 2)},
       {"GuestUsageGuidelinesUrl", ""},
       {"GroupCreationAllowedGroupId", h == 2 ? NamedGuid(plan, "group:SG-Dept-IT").str() : ""},
       {"AllowToAddGuests", Flag(h < 2)},
       {"UsageGuidelinesUrl", ""},
       {"ClassificationList", ""},
       {"EnableGroupCreation", Flag(h == 0)}});
  out.Char(']');

  out.Raw(",\n\"policies/adminConsentRequestPolicy\":{\"isEnabled\":");
  out.Bool(h > 0);
  out.Raw(",\"notifyReviewers\":");
  out.Bool(h > 0);
  out.Raw(",\"remindersEnabled\":");
  out.Bool(h == 2);
  out.Format(",\"requestDurationInDays\":{},\"version\":{},\"reviewers\":[", h == 0 ? 0 : 30, h);
  for (std::uint64_t i = 0; h > 0 && i < std::min<std::uint64_t>(plan.global_admins, h + 1); ++i) {
    if (i) out.Char(',');
    out.Format("{{\"query\":\"/users/{}\",\"queryType\":\"MicrosoftGraph\",\"queryRoot\":null}}",
               DescribeUser(plan, plan.break_glass + i).id.view());
  }
  out.Raw("]}");

  WriteAuthenticationMethods(ForArea(base, Area::kAuthenticationMethods), out);

  // Domains.
  const int password_days = h == 0 ? 90 : 2147483647;
  const bool federated = plan.hybrid && h == 0;
  const std::string legacy_domain = plan.slug + "-legacy.net";
  out.Raw(",\n\"domains\":[");
  struct DomainSpec {
    std::string_view name;
    bool is_default, is_initial, verified, federated;
  };
  const DomainSpec domains[] = {
      {plan.initial_domain, false, true, true, false},
      {plan.primary_domain, true, false, true, federated},
      {plan.mail_domain, false, false, true, false},
      {legacy_domain, false, false, false, false},  // added, never verified
  };
  for (std::size_t i = 0; i < std::size(domains); ++i) {
    const DomainSpec& d = domains[i];
    if (i) out.Char(',');
    out.Format(
        "{{\"id\":\"{}\",\"authenticationType\":\"{}\",\"availabilityStatus\":null,"
        "\"isAdminManaged\":true,\"isDefault\":{},\"isInitial\":{},\"isRoot\":true,"
        "\"isVerified\":{},\"supportedServices\":{},\"passwordValidityPeriodInDays\":{},"
        "\"passwordNotificationWindowInDays\":14,\"state\":null}}",
        d.name, d.federated ? "Federated" : "Managed", d.is_default, d.is_initial, d.verified,
        d.verified ? "[\"Email\",\"OfficeCommunicationsOnline\"]" : "[]", password_days);
  }
  out.Char(']');

  // Service principals.
  out.Raw(",\n\"servicePrincipals\":[");
  bool first = true;
  for (const AppSpec& app : kMicrosoftApps) {
    if (!first) out.Raw(",\n");
    first = false;
    WriteServicePrincipal(out, NamedGuid(plan, fmt::format("sp:{}", app.name)).view(), app.app_id,
                          app.name, kMicrosoftTenant, true, "Microsoft Services");
  }
  out.Raw(",\n");
  WriteServicePrincipal(out, NamedGuid(plan, "sp:Sentinel Connector").view(),
                        NamedGuid(plan, "app:Sentinel Connector").view(), "Sentinel Connector",
                        plan.tenant_id, true, plan.display_name);
  const std::uint64_t apps = std::clamp<std::uint64_t>(plan.users / 300, 10, 1500);
  for (std::uint64_t a = 0; a < apps; ++a) {
    Rng rng(Hash(plan.options.seed, a, 202));
    const std::string_view vendor = kVendors[a % std::size(kVendors)];
    const std::uint64_t round = a / std::size(kVendors);
    const std::string name =
        round == 0 ? std::string(vendor) : fmt::format("{} ({})", vendor, round + 1);
    const bool in_house = rng.Chance(0.15);
    const Guid id = NextGuid(rng);
    const Guid app_id = NextGuid(rng);
    const Guid owner =
        MakeGuid(Hash(17, a % std::size(kVendors)), Hash(18, a % std::size(kVendors)));
    out.Raw(",\n");
    WriteServicePrincipal(
        out, id.view(), app_id.view(),
        in_house ? fmt::format("{} {} integration", plan.display_name, vendor) : name,
        in_house ? std::string_view(plan.tenant_id) : owner.view(), !rng.Chance(0.05),
        in_house ? plan.display_name : std::string(vendor));
  }
  out.Char(']');

  out.Raw(",\n\"security/secureScores\":");
  WriteSecureScores(out, base);
}

}  // namespace securescore::generate
