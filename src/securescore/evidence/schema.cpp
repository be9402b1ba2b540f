#include "securescore/evidence/schema.h"

#include <fmt/format.h>

namespace securescore::evidence {
namespace {

constexpr ColumnType T = ColumnType::kText;
constexpr ColumnType I = ColumnType::kInteger;
constexpr ColumnType R = ColumnType::kReal;

// Tables that hold one PowerShell/ScubaGear settings collection: a row per object, the object
// kept whole in `raw` (JSON, PascalCase keys as the cmdlet printed them) for json_extract().
std::vector<ColumnDecl> SettingsColumns() {
  return {
      {"item_index", I, "Position of the object in its collection (0-based)."},
      {"identity", T, "`Identity`, else `Id`, else `Name` of the object; empty when none."},
      {"name", T, "`Name`, else `DisplayName`, else `Identity`; empty when none."},
      {"raw", T, "The whole object as JSON. Query fields with json_extract(raw, '$.Field')."},
  };
}

TableDecl Settings(std::string_view name, std::string_view doc, std::string_view sources) {
  return TableDecl{name, doc, sources, false, SettingsColumns()};
}

// The joins controls make: on user ids, which each control otherwise indexes anew. Only
// columns the catalog's queries look up are indexed: an index costs about 80 ms of CPU per
// 100,000 rows to build (group_members and devices are only ever scanned whole).
void AddIndexes(std::vector<TableDecl>& tables) {
  const std::pair<std::string_view, std::vector<std::string_view>> indexes[] = {
      {"users", {"id"}},
      {"user_registration", {"user_id"}},
      {"role_definitions", {"template_id"}},
      {"role_assignments", {"principal_id"}},
      {"user_roles", {"user_id"}},
      {"ca_user_coverage", {"user_id"}},
  };
  for (auto& table : tables) {
    for (const auto& [name, columns] : indexes) {
      if (table.name == name) table.indexes = columns;
    }
  }
}

std::vector<TableDecl> Declare() {
  std::vector<TableDecl> t;
  // ---------------------------------------------------------------- tenant
  t.push_back({"tenant",
               "The organisation the snapshot describes: always one row.",
               "snapshot `tenant` and `collectedAt`; ScubaGear `tenant_id` / `tenant_details`",
               false,
               {{"tenant_id", T, "Entra tenant id (GUID)."},
                {"display_name", T, "Organisation name."},
                {"industry", T, "Industry, when known."},
                {"licensed_user_count", I, "Licensed seats, when known."},
                {"collected_at", T, "When the snapshot was taken (ISO 8601 UTC)."}}});
  // ---------------------------------------------------------------- identity
  t.push_back({"users",
               "Every user object in the directory (members and guests).",
               "graph `users`",
               false,
               {{"id", T, "Object id."},
                {"user_principal_name", T, "UPN."},
                {"display_name", T, "Display name."},
                {"user_type", T, "`Member` or `Guest`."},
                {"account_enabled", I, "1 when sign-in is allowed."},
                {"on_premises_sync_enabled", I, "1 when synced from on-premises AD, else 0."},
                {"created_at", T, "createdDateTime."},
                {"last_sign_in_at", T, "signInActivity.lastSignInDateTime, when collected."},
                {"password_policies", T, "passwordPolicies, e.g. `DisablePasswordExpiration`."},
                {"last_password_change_at", T, "lastPasswordChangeDateTime."},
                {"license_count", I, "Number of assignedLicenses."}}});
  t.push_back({"user_registration",
               "Authentication-method registration per user.",
               "graph `reports/authenticationMethods/userRegistrationDetails`",
               false,
               {{"user_id", T, "Object id of the user."},
                {"user_principal_name", T, "UPN."},
                {"user_display_name", T, "Display name."},
                {"user_type", T, "`member` or `guest` (as the report spells it)."},
                {"is_admin", I, "1 when the user holds an admin role (Microsoft's view)."},
                {"is_mfa_registered", I, "1 when a strong method is registered."},
                {"is_mfa_capable", I, "1 when registered for a method allowed by policy."},
                {"is_sspr_registered", I, "1 when registered for self-service password reset."},
                {"is_sspr_enabled", I, "1 when SSPR is enabled for the user."},
                {"is_sspr_capable", I, "1 when registered and enabled for SSPR."},
                {"is_passwordless_capable", I, "1 when a passwordless method is registered."},
                {"methods", T, "methodsRegistered, comma-separated."},
                {"default_method", T, "defaultMfaMethod."}}});
  t.push_back({"groups",
               "Groups in the directory.",
               "graph `groups`",
               false,
               {{"id", T, "Object id."},
                {"display_name", T, "Display name."},
                {"visibility", T, "`Public`, `Private`, `HiddenMembership` or empty."},
                {"is_unified", I, "1 for Microsoft 365 groups (groupTypes has `Unified`)."},
                {"security_enabled", I, "1 for security groups."},
                {"is_role_assignable", I, "1 when roles can be assigned to the group."}}});
  t.push_back({"group_members",
               "Direct members of groups.",
               "graph `groups` items' `members` (from `$expand=members`), or `groups/{id}/members`",
               false,
               {{"group_id", T, "Group object id."},
                {"member_id", T, "Member object id."},
                {"member_type", T, "`user`, `group`, `servicePrincipal` or `device`."}}});
  t.push_back({"role_definitions",
               "Directory role definitions.",
               "graph `roleManagement/directory/roleDefinitions`; ScubaGear `privileged_roles`",
               false,
               {{"id", T, "Role definition id."},
                {"template_id", T, "Role template id (same for every tenant)."},
                {"display_name", T, "Role name, e.g. `Global Administrator`."},
                {"is_builtin", I, "1 for Microsoft's built-in roles."},
                {"is_privileged", I,
                 "1 for the highly privileged roles of CISA SCuBA MS.AAD.7 (Global, Privileged "
                 "Role, User, SharePoint, Exchange, Hybrid Identity, Application, Cloud "
                 "Application Administrator)."},
                {"is_admin", I,
                 "1 for the administrator roles Microsoft Secure Score's AdminMFAV2 counts."}}});
  t.push_back(
      {"role_assignments",
       "Directory role assignments, active and eligible (PIM).",
       "graph `roleManagement/directory/roleAssignments`, "
       "`roleManagement/directory/roleEligibilitySchedules`, `directoryRoles` (with members); "
       "ScubaGear `privileged_roles[].Assignments`",
       false,
       {{"principal_id", T, "Assigned user, group or service principal."},
        {"principal_type", T, "`user`, `group`, `servicePrincipal` or `unknown`."},
        {"principal_name", T, "Principal display name or UPN, when known."},
        {"role_template_id", T, "Role template id."},
        {"role_name", T, "Role display name."},
        {"assignment_kind", T, "`active` or `eligible`."},
        {"directory_scope_id", T, "`/` for tenant-wide."},
        {"end_at", T, "End of a time-bound assignment, else empty."}}});
  t.push_back(
      {"user_roles",
       "Roles each user holds, with group-assigned roles expanded to the group's members.",
       "derived from `role_assignments`, `group_members` and `role_definitions`; or directly "
       "from ScubaGear `privileged_users`",
       true,
       {{"user_id", T, "User object id."},
        {"user_name", T, "Display name or UPN, when known."},
        {"role_template_id", T, "Role template id (empty when only the name is known)."},
        {"role_name", T, "Role display name."},
        {"is_privileged", I, "As role_definitions.is_privileged."},
        {"is_admin", I, "As role_definitions.is_admin."},
        {"assignment_kind", T, "`active` or `eligible`."},
        {"via", T, "`direct`, `group:<group id>`, or `scubagear`."}}});
  t.push_back(
      {"ca_policies",
       "Conditional-access policies as configured. List columns are JSON arrays.",
       "graph `identity/conditionalAccess/policies`; ScubaGear `conditional_access_policies`",
       false,
       {{"id", T, "Policy id."},
        {"display_name", T, "Policy name."},
        {"state", T, "`enabled`, `disabled` or `enabledForReportingButNotEnforced`."},
        {"include_users", T, "JSON array: user ids, `All`, `None`, `GuestsOrExternalUsers`."},
        {"exclude_users", T, "JSON array of user ids."},
        {"include_groups", T, "JSON array of group ids."},
        {"exclude_groups", T, "JSON array of group ids."},
        {"include_roles", T, "JSON array of role template ids."},
        {"exclude_roles", T, "JSON array of role template ids."},
        {"include_guests", I, "1 when guests or external users are included."},
        {"exclude_guests", I, "1 when guests or external users are excluded."},
        {"include_applications", T, "JSON array: app ids, `All`, `Office365`, `None`."},
        {"exclude_applications", T, "JSON array of app ids."},
        {"include_user_actions", T, "JSON array, e.g. `urn:user:registersecurityinfo`."},
        {"client_app_types", T,
         "JSON array: `all`, `browser`, `mobileAppsAndDesktopClients`, `exchangeActiveSync`, "
         "`other`."},
        {"user_risk_levels", T, "JSON array: `low`, `medium`, `high`."},
        {"sign_in_risk_levels", T, "JSON array: `low`, `medium`, `high`."},
        {"include_platforms", T, "JSON array of platforms; `[]` when not set."},
        {"include_locations", T, "JSON array of named location ids; `[]` when not set."},
        {"exclude_locations", T, "JSON array of named location ids."},
        {"grant_operator", T, "`AND` or `OR`."},
        {"built_in_controls", T,
         "JSON array: `block`, `mfa`, `compliantDevice`, `domainJoinedDevice`, "
         "`passwordChange`, …"},
        {"authentication_strength_id", T, "Required authentication strength policy id."},
        {"authentication_strength_name", T, "Its display name, when given."},
        {"allowed_combinations", T, "JSON array of the strength's allowed method combinations."},
        {"sign_in_frequency_hours", R, "Sign-in frequency in hours when enabled, else NULL."},
        {"persistent_browser_mode", T, "`always`, `never` or empty."},
        {"raw", T, "The whole policy as JSON (camelCase or PascalCase as collected)."}}});
  t.push_back(
      {"ca_policy_facts",
       "What each conditional-access policy does, reduced to the questions controls ask.",
       "derived from `ca_policies`",
       true,
       {{"policy_id", T, "Policy id."},
        {"display_name", T, "Policy name."},
        {"enabled", I, "1 when state is `enabled` (report-only does not count)."},
        {"all_users", I, "1 when include_users has `All`."},
        {"has_exclusions", I, "1 when any user, group, role or guest exclusion is set."},
        {"all_apps", I, "1 when include_applications has `All` and nothing is excluded."},
        {"all_client_apps", I, "1 when client_app_types is empty or `all`."},
        {"covers_legacy_clients", I,
         "1 when client_app_types covers `exchangeActiveSync` and `other` (or `all`)."},
        {"blocks", I, "1 when the grant is `block`."},
        {"requires_mfa", I, "1 when it requires `mfa` or an authentication strength."},
        {"requires_phishing_resistant", I,
         "1 when the required strength allows only phishing-resistant methods (FIDO2, Windows "
         "Hello for Business, certificate-based MFA)."},
        {"requires_compliant_device", I, "1 when it requires a compliant or hybrid-joined device."},
        {"requires_password_change", I, "1 when it requires a password change."},
        {"user_risk_high", I, "1 when user_risk_levels has `high`."},
        {"sign_in_risk_high", I, "1 when sign_in_risk_levels has `high`."},
        {"sign_in_risk_medium", I, "1 when sign_in_risk_levels has `medium`."},
        {"has_conditions", I,
         "1 when the policy is narrowed by platform, location, or risk, or by a condition with no "
         "column here (device filter, authentication flow, application filter, insider or "
         "workload-identity risk), so it is not universal."},
        {"sign_in_frequency_hours", R, "Sign-in frequency in hours, else NULL."},
        {"persistent_browser_never", I, "1 when persistent browser sessions are set to never."}}});
  t.push_back(
      {"ca_user_coverage",
       "For each enabled user, the enabled conditional-access policies that apply once users, "
       "groups, roles, guests and exclusions are expanded, and what they enforce for all cloud "
       "apps. Report-only and disabled policies never count. A flag counts a policy only when it "
       "targets all apps with none excluded and has no platform or location condition; the MFA, "
       "phishing-resistant, compliant-device and sign-in-frequency flags also need all client "
       "apps and no risk condition, and a risk flag no condition on the other kind of risk. "
       "Group and role members are only known when group_members and user_roles were collected.",
       "derived from `users`, `ca_policy_facts`, `group_members`, `user_roles`",
       true,
       {{"user_id", T, "User object id."},
        {"user_principal_name", T, "UPN."},
        {"user_type", T, "`Member` or `Guest`."},
        {"policy_ids", T, "Comma-separated ids of the enabled policies that apply."},
        {"mfa_all_apps", I,
         "1 when an applying policy requires MFA (or a strength) for all apps and all client "
         "apps, with no platform, location or risk condition."},
        {"phishing_resistant_all_apps", I, "As mfa_all_apps, with a phishing-resistant strength."},
        {"legacy_blocked", I,
         "1 when an applying policy blocks legacy clients (exchangeActiveSync and other) for all "
         "apps."},
        {"sign_in_risk_protected", I,
         "1 when an applying policy answers high sign-in risk with block or MFA, for all apps."},
        {"user_risk_protected", I,
         "1 when an applying policy answers high user risk with block or password change, for "
         "all apps."},
        {"compliant_device_required", I,
         "1 when an applying policy requires a compliant device for all apps."},
        {"sign_in_frequency_limited", I,
         "1 when an applying policy sets a sign-in frequency for all apps."}}});
  t.push_back(
      {"authorization_policy",
       "Tenant-wide authorization policy (default user permissions).",
       "graph `policies/authorizationPolicy`; ScubaGear `authorization_policies`",
       false,
       {{"allowed_to_create_apps", I, "defaultUserRolePermissions.allowedToCreateApps."},
        {"allowed_to_create_security_groups", I,
         "defaultUserRolePermissions.allowedToCreateSecurityGroups."},
        {"allowed_to_create_tenants", I, "defaultUserRolePermissions.allowedToCreateTenants."},
        {"allowed_to_read_other_users", I, "defaultUserRolePermissions.allowedToReadOtherUsers."},
        {"allow_invites_from", T,
         "`none`, `adminsAndGuestInviters`, `adminsGuestInvitersAndAllMembers`, `everyone`."},
        {"guest_user_role_id", T, "Guest access level role id."},
        {"block_msol_powershell", I, "blockMsolPowerShell."},
        {"allow_email_verified_users_to_join", I, "allowEmailVerifiedUsersToJoinOrganization."},
        {"permission_grant_policies", T,
         "JSON array: permissionGrantPolicyIdsAssignedToDefaultUserRole (user consent)."},
        {"raw", T, "The whole object as JSON."}}});
  t.push_back({"directory_settings",
               "Directory settings (group, consent, password-rule settings): a row "
               "per setting value.",
               "graph `groupSettings`; ScubaGear `directory_settings`",
               false,
               {{"setting_id", T, "Setting object id."},
                {"template_id", T, "Settings template id."},
                {"display_name", T,
                 "e.g. `Group.Unified`, `Password Rule Settings`, `Consent Policy "
                 "Settings`."},
                {"name", T, "Value name, e.g. `EnableBannedPasswordCheck`."},
                {"value", T, "Value as text."}}});
  t.push_back({"admin_consent_policy",
               "The admin consent request workflow.",
               "graph `policies/adminConsentRequestPolicy`",
               false,
               {{"is_enabled", I, "1 when users can request admin consent."},
                {"notify_reviewers", I, "notifyReviewers."},
                {"reminders_enabled", I, "remindersEnabled."},
                {"request_duration_days", I, "requestDurationInDays."},
                {"reviewer_count", I, "Number of reviewers."}}});
  t.push_back(
      {"auth_methods",
       "Authentication method policies (which methods are allowed, for whom).",
       "graph `policies/authenticationMethodsPolicy` (`authenticationMethodConfigurations`); "
       "ScubaGear `authentication_method`",
       false,
       {{"method_id", T, "e.g. `Fido2`, `MicrosoftAuthenticator`, `Sms`, `Voice`, `Email`."},
        {"state", T, "`enabled` or `disabled`."},
        {"include_targets", T, "JSON array of targets."},
        {"raw", T, "The whole configuration as JSON."}}});
  t.push_back({"domains",
               "Domains of the tenant.",
               "graph `domains`; ScubaGear `domain_settings`",
               false,
               {{"id", T, "Domain name."},
                {"is_verified", I, "1 when verified."},
                {"is_default", I, "1 for the default domain."},
                {"is_initial", I, "1 for the initial onmicrosoft.com domain."},
                {"authentication_type", T, "`Managed` or `Federated`."},
                {"password_validity_days", I, "passwordValidityPeriodInDays (2147483647 = never)."},
                {"password_notification_days", I, "passwordNotificationWindowInDays."}}});
  t.push_back({"service_principals",
               "Enterprise applications.",
               "graph `servicePrincipals`; ScubaGear `risky_third_party_service_principals`",
               false,
               {{"id", T, "Object id."},
                {"app_id", T, "Application id."},
                {"display_name", T, "Display name."},
                {"app_owner_organization_id", T, "Tenant that owns the app."},
                {"account_enabled", I, "1 when enabled."}}});
  // ---------------------------------------------------------------- devices
  t.push_back(
      {"devices",
       "Intune managed devices.",
       "graph `deviceManagement/managedDevices`",
       false,
       {{"id", T, "Managed device id."},
        {"device_name", T, "Device name."},
        {"user_id", T, "Primary user id."},
        {"user_principal_name", T, "Primary user UPN."},
        {"operating_system", T, "`Windows`, `iOS`, `Android`, `macOS`, …"},
        {"os_version", T, "OS version string."},
        {"compliance_state", T, "`compliant`, `noncompliant`, `inGracePeriod`, `unknown`, …"},
        {"is_encrypted", I, "1 when the disk is encrypted."},
        {"jail_broken", T, "`True`, `False` or `Unknown`."},
        {"management_agent", T, "managementAgent."},
        {"owner_type", T, "`company` or `personal`."},
        {"last_sync_at", T, "lastSyncDateTime."}}});
  // ---------------------------------------------------------------- Microsoft's own score
  t.push_back({"ms_control_scores",
               "Microsoft's own per-control figures from its latest secureScores object.",
               "graph `security/secureScores`",
               false,
               {{"control_name", T, "controlName."},
                {"category", T, "controlCategory."},
                {"score", R, "Points Microsoft awarded."},
                {"count", I, "count, when given."},
                {"total", I, "total, when given."},
                {"implementation_status", T, "implementationStatus text."}}});
  // ---------------------------------------------------------------- settings collections
  t.push_back(Settings("exo_org_config", "Exchange Online organisation configuration.",
                       "ScubaGear `org_config`; powershell `Get-OrganizationConfig`"));
  t.push_back(Settings("exo_remote_domains", "Exchange remote domains.",
                       "ScubaGear `remote_domains`; powershell `Get-RemoteDomain`"));
  t.push_back(Settings("exo_accepted_domains", "Exchange accepted domains.",
                       "ScubaGear `accepted_domains`; powershell `Get-AcceptedDomain`"));
  t.push_back(Settings("exo_spf_records",
                       "SPF lookups per domain (`domain`, `rdata`, `compliant`).",
                       "ScubaGear `spf_records`"));
  t.push_back(Settings("exo_dkim_config", "DKIM signing configuration per domain.",
                       "ScubaGear `dkim_config`; powershell `Get-DkimSigningConfig`"));
  t.push_back(
      Settings("exo_dmarc_records", "DMARC lookups per domain.", "ScubaGear `dmarc_records`"));
  t.push_back(Settings("exo_transport_config", "Exchange transport configuration.",
                       "ScubaGear `transport_config`; powershell `Get-TransportConfig`"));
  t.push_back(Settings("exo_sharing_policies", "Calendar/contact sharing policies.",
                       "ScubaGear `sharing_policy`; powershell `Get-SharingPolicy`"));
  t.push_back(Settings("exo_transport_rules", "Mail flow (transport) rules.",
                       "ScubaGear `transport_rule`; powershell `Get-TransportRule`"));
  t.push_back(Settings("exo_inbound_connectors", "Inbound connectors.",
                       "ScubaGear `inbound_connectors`; powershell `Get-InboundConnector`"));
  t.push_back(Settings("exo_admin_audit_log_config", "Audit log configuration.",
                       "ScubaGear `admin_audit_log_config`; powershell `Get-AdminAuditLogConfig`"));
  t.push_back(Settings("exo_owa_mailbox_policies", "Outlook on the web mailbox policies.",
                       "powershell `Get-OwaMailboxPolicy`"));
  t.push_back(Settings("exo_role_assignment_policies",
                       "User role assignment policies (which add-in roles users get).",
                       "powershell `Get-RoleAssignmentPolicy`"));
  t.push_back(Settings("exo_mailboxes", "Mailboxes with their auditing settings.",
                       "powershell `Get-EXOMailbox` (AuditEnabled, AuditBypassEnabled)"));
  t.push_back(Settings("mdo_atp_policy",
                       "Defender for Office 365 global settings (Safe Documents, "
                       "ATP for SharePoint/OneDrive/Teams).",
                       "ScubaGear `atp_policy_for_o365`; powershell `Get-AtpPolicyForO365`"));
  t.push_back(Settings("mdo_anti_phish_policies", "Anti-phishing policies.",
                       "ScubaGear `anti_phish_policies`; powershell `Get-AntiPhishPolicy`"));
  t.push_back(Settings(
      "mdo_protection_policy_rules", "Preset security policy rules for EOP (Standard/Strict).",
      "ScubaGear `protection_policy_rules`; powershell `Get-EOPProtectionPolicyRule`"));
  t.push_back(Settings("mdo_atp_policy_rules",
                       "Preset security policy rules for Defender for Office 365.",
                       "ScubaGear `atp_policy_rules`; powershell `Get-ATPProtectionPolicyRule`"));
  t.push_back(Settings("mdo_safe_links_policies", "Safe Links policies.",
                       "powershell `Get-SafeLinksPolicy`"));
  t.push_back(Settings("mdo_safe_attachment_policies", "Safe Attachments policies.",
                       "powershell `Get-SafeAttachmentPolicy`"));
  t.push_back(
      Settings("mdo_malware_filter_policies", "Anti-malware policies.",
               "ScubaGear `malware_filter_policies`; powershell `Get-MalwareFilterPolicy`"));
  t.push_back(Settings("mdo_content_filter_policies", "Anti-spam inbound policies.",
                       "ScubaGear `hosted_content_filter_policies`; powershell "
                       "`Get-HostedContentFilterPolicy`"));
  t.push_back(Settings("mdo_outbound_spam_policies", "Outbound spam policies.",
                       "powershell `Get-HostedOutboundSpamFilterPolicy`"));
  t.push_back(Settings("mdo_connection_filter", "Connection filter policy (IP allow/block lists).",
                       "ScubaGear `conn_filter`; powershell `Get-HostedConnectionFilterPolicy`"));
  t.push_back(Settings("mdo_protection_alerts", "Alert policies.",
                       "ScubaGear `protection_alerts`; powershell `Get-ProtectionAlert`"));
  t.push_back(
      Settings("purview_dlp_policies", "Data loss prevention policies.",
               "ScubaGear `dlp_compliance_policies`; powershell `Get-DlpCompliancePolicy`"));
  t.push_back(Settings("purview_dlp_rules", "Data loss prevention rules.",
                       "ScubaGear `dlp_compliance_rules`; powershell `Get-DlpComplianceRule`"));
  t.push_back(Settings("purview_label_policies", "Sensitivity label policies.",
                       "powershell `Get-LabelPolicy`"));
  t.push_back(Settings("spo_tenant", "SharePoint Online tenant settings.",
                       "ScubaGear `SPO_tenant`; powershell `Get-SPOTenant`"));
  t.push_back(Settings("spo_browser_idle_signout",
                       "SharePoint/OneDrive idle session sign-out settings.",
                       "powershell `Get-SPOBrowserIdleSignOut`"));
  t.push_back(Settings("teams_meeting_policies", "Teams meeting policies.",
                       "ScubaGear `meeting_policies`; powershell `Get-CsTeamsMeetingPolicy`"));
  t.push_back(Settings("teams_federation", "Teams external access (federation) configuration.",
                       "ScubaGear `federation_configuration`; powershell "
                       "`Get-CsTenantFederationConfiguration`"));
  t.push_back(
      Settings("teams_client_config", "Teams client configuration.",
               "ScubaGear `client_configuration`; powershell `Get-CsTeamsClientConfiguration`"));
  t.push_back(Settings("teams_app_policies", "Teams app permission policies.",
                       "ScubaGear `app_policies`; powershell `Get-CsTeamsAppPermissionPolicy`"));
  t.push_back(Settings("pp_environment_creation", "Power Platform tenant settings.",
                       "ScubaGear `environment_creation`"));
  t.push_back(
      Settings("pp_dlp_policies", "Power Platform DLP policies.", "ScubaGear `dlp_policies`"));
  t.push_back(Settings("pp_tenant_isolation", "Power Platform tenant isolation.",
                       "ScubaGear `tenant_isolation`"));
  t.push_back(
      {"scubagear_raw",
       "Every top-level key of a ScubaGear provider export, whole, for what no typed "
       "table covers yet.",
       "ScubaGear provider export (every key)",
       false,
       {{"key", T, "Top-level key, e.g. `defender_license`."}, {"raw", T, "Its value as JSON."}}});
  AddIndexes(t);
  return t;
}

std::string_view TypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kText: return "TEXT";
    case ColumnType::kInteger: return "INTEGER";
    case ColumnType::kReal: return "REAL";
  }
  return "TEXT";
}

}  // namespace

const std::vector<TableDecl>& EvidenceTables() {
  static const std::vector<TableDecl> tables = Declare();  // immutable after first use
  return tables;
}

const TableDecl* FindTable(std::string_view name) {
  for (const auto& t : EvidenceTables()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::string CreateTableSql(const TableDecl& table) {
  std::string sql = fmt::format("CREATE TABLE {} (", table.name);
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (i) sql += ", ";
    sql += fmt::format("{} {}", table.columns[i].name, TypeName(table.columns[i].type));
  }
  sql += ")";
  return sql;
}

std::vector<std::string> CreateIndexSql(const TableDecl& table) {
  std::vector<std::string> sql;
  for (std::string_view columns : table.indexes) {
    std::string suffix(columns);
    for (char& c : suffix) {
      if (c == ',' || c == ' ') c = '_';
    }
    sql.push_back(fmt::format("CREATE INDEX IF NOT EXISTS {}_by_{} ON {} ({})", table.name, suffix,
                              table.name, columns));
  }
  return sql;
}

std::string EvidenceTablesMarkdown() {
  std::string md =
      "# Evidence tables\n\n"
      "<!-- Generated from src/securescore/evidence/schema.cpp by `securescore catalog "
      "tables --markdown`. Do not edit: a test fails when this file is stale. -->\n\n"
      "Controls are SQL queries over these tables (SQLite dialect, JSON1 available). A table "
      "whose sources are absent from a snapshot is *not collected*: controls that need it are "
      "`no_data`. A collected table may be empty.\n\n";
  for (const auto& t : EvidenceTables()) {
    md += fmt::format("- [`{}`](#{})\n", t.name, t.name);
  }
  for (const auto& t : EvidenceTables()) {
    md += fmt::format("\n## {}\n\n{}\n\n**{}:** {}\n\n| column | type | meaning |\n|---|---|---|\n",
                      t.name, t.doc, t.derived ? "Derived" : "Sources", t.sources);
    for (const auto& c : t.columns) {
      md += fmt::format("| `{}` | {} | {} |\n", c.name, TypeName(c.type), c.doc);
    }
  }
  return md;
}

}  // namespace securescore::evidence
