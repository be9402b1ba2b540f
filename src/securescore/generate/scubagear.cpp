// The ScubaGear provider export (sources.scubagear): Exchange, Defender, Purview, SharePoint,
// Teams and Power Platform settings under ScubaGear's own key names, with the PascalCase fields
// its PowerShell cmdlets print (modelled on a real ScubaGear 1.8 export).
#include <string>
#include <vector>

#include "securescore/generate/rng.h"
#include "securescore/generate/sections.h"

namespace securescore::generate {
namespace {

constexpr std::int64_t kDay = 86400;

// Exchange's JSON date form, "/Date(milliseconds)/".
std::string ExDate(std::int64_t seconds) { return fmt::format("/Date({}000)/", seconds); }

std::vector<std::string> MailDomains(const TenantPlan& plan) {
  return {plan.initial_domain, plan.primary_domain, plan.mail_domain};
}

void WriteExchangeDomains(const TenantPlan& plan, JsonSink& out) {
  const int h = plan.rates.hardening;
  const std::vector<std::string> domains = MailDomains(plan);

  out.Raw("\"accepted_domains\":[");
  for (std::size_t i = 0; i < domains.size(); ++i) {
    if (i) out.Char(',');
    out.Format(
        "{{\"DomainName\":\"{0}\",\"DomainType\":\"Authoritative\",\"Default\":{1},"
        "\"InitialDomain\":{2},\"MatchSubDomains\":false,\"AddressBookEnabled\":true,"
        "\"AuthenticationType\":\"Managed\",\"SendingFromDomainDisabled\":false,"
        "\"Name\":\"{0}\",\"Identity\":\"{0}\",\"Id\":\"{0}\",\"Guid\":\"{3}\","
        "\"WhenCreatedUTC\":\"{4}\",\"IsValid\":true}}",
        domains[i], i == 1, i == 0, NamedGuid(plan, "accepted:" + domains[i]).view(),
        ExDate(plan.tenant_created + static_cast<std::int64_t>(i) * 30 * kDay));
  }
  out.Char(']');

  // SPF: hard fail in strong tenants, soft fail in typical ones, missing on a weak vanity domain.
  out.Raw(",\n\"spf_records\":[");
  for (std::size_t i = 0; i < domains.size(); ++i) {
    if (i) out.Char(',');
    const bool missing = h == 0 && i == 2;
    const std::string_view all = i == 0 || h == 2 ? "-all" : h == 1 ? "~all" : "?all";
    const std::string record =
        missing ? "" : fmt::format("v=spf1 include:spf.protection.outlook.com {}", all);
    out.Format(
        "{{\"domain\":\"{0}\",\"compliant\":{1},\"message\":\"{2}\",\"rdata\":[{3}],"
        "\"log\":[{{\"query_method\":\"traditional\",\"query_answers\":[{3}],"
        "\"query_result\":\"{4}\",\"query_name\":\"{0}\"}}]}}",
        domains[i], !missing && all == "-all",
        missing ? "SPF record not found." : "SPF record found.",
        missing ? "" : "\"" + record + "\"",
        missing ? "Query returned NXDomain" : "Query returned 1 txt records");
  }
  out.Char(']');

  out.Raw(",\n\"dkim_config\":[");
  for (std::size_t i = 0; i < domains.size(); ++i) {
    if (i) out.Char(',');
    std::string dashed = domains[i];
    for (char& c : dashed) {
      if (c == '.') c = '-';
    }
    const bool enabled = i == 0 || h == 2 || (h == 1 && i == 1);
    out.Format(
        "{{\"Domain\":\"{0}\",\"Enabled\":{1},\"Status\":\"{2}\",\"Selector1KeySize\":2048,"
        "\"Selector1CNAME\":\"selector1-{3}._domainkey.{4}\",\"Selector2KeySize\":2048,"
        "\"Selector2CNAME\":\"selector2-{3}._domainkey.{4}\",\"IsDefault\":{5},"
        "\"HeaderCanonicalization\":\"Relaxed\",\"BodyCanonicalization\":\"Relaxed\","
        "\"Algorithm\":\"RsaSHA256\",\"Identity\":\"{0}\",\"Id\":\"{0}\",\"Name\":\"{0}\","
        "\"IsValid\":true}}",
        domains[i], enabled, enabled ? "Valid" : "CnameMissing", dashed, plan.initial_domain,
        i == 0);
  }
  out.Char(']');

  // DMARC: none / quarantine / reject with aggregate reports to the security team.
  out.Raw(",\n\"dmarc_records\":[");
  for (std::size_t i = 0; i < domains.size(); ++i) {
    if (i) out.Char(',');
    const bool missing = h == 0 && i != 1;
    const std::string record = fmt::format(
        "v=DMARC1; p={}; pct=100; rua=mailto:dmarc-reports@{}",
        ByHardening<std::string_view>(plan, "none", "quarantine", "reject"), plan.primary_domain);
    const std::string rdata = missing ? "" : "\"" + record + "\"";
    out.Format(
        "{{\"domain\":\"{0}\",\"rdata\":[{1}],\"log\":[{{\"query_method\":\"traditional\","
        "\"query_answers\":[{1}],\"query_result\":\"{2}\",\"query_name\":\"_dmarc.{0}\"}}]}}",
        domains[i], rdata, missing ? "Query returned NXDomain" : "Query returned 1 txt records");
  }
  out.Char(']');
}

void WriteExchange(const TenantPlan& plan, JsonSink& out) {
  const int h = plan.rates.hardening;
  out.Format(
      "\"org_config\":[{{\"Name\":\"{0}\",\"DisplayName\":\"{1}\",\"Identity\":\"{0}\","
      "\"AuditDisabled\":{2},\"OAuth2ClientProfileEnabled\":{3},\"CustomerLockboxEnabled\":{4},"
      "\"MailTipsAllTipsEnabled\":{5},\"MailTipsExternalRecipientsTipsEnabled\":{4},"
      "\"MailTipsGroupMetricsEnabled\":{5},\"MailTipsLargeAudienceThreshold\":25,"
      "\"SmtpActionableMessagesEnabled\":true,\"ConnectorsEnabled\":true,\"BookingsEnabled\":{6},"
      "\"DefaultAuthenticationPolicy\":null,\"ActivityBasedAuthenticationTimeoutEnabled\":true,"
      "\"ActivityBasedAuthenticationTimeoutInterval\":\"06:00:00\",\"IsValid\":true}}]",
      plan.initial_domain, plan.slug, h == 0, h > 0, h == 2, h > 0, h < 2);

  out.Raw(",\n\"remote_domains\":[");
  out.Format(
      "{{\"DomainName\":\"*\",\"Identity\":\"Default\",\"Name\":\"Default\",\"IsInternal\":false,"
      "\"AutoReplyEnabled\":true,\"AutoForwardEnabled\":{},\"AllowedOOFType\":\"External\","
      "\"DeliveryReportEnabled\":false,\"NDREnabled\":true,\"TNEFEnabled\":false,"
      "\"ContentType\":\"MimeHtmlText\",\"IsValid\":true}}",
      h == 0);
  if (h < 2) {
    out.Raw(
        ",{\"DomainName\":\"partner.example.net\",\"Identity\":\"Partner\",\"Name\":\"Partner\","
        "\"IsInternal\":false,\"AutoReplyEnabled\":true,\"AutoForwardEnabled\":true,"
        "\"AllowedOOFType\":\"External\",\"IsValid\":true}");
  }
  out.Char(']');
  out.Raw(",\n");
  WriteExchangeDomains(plan, out);

  out.Format(
      ",\n\"transport_config\":[{{\"Name\":\"Transport Settings\",\"Identity\":"
      "\"Transport Settings\",\"SmtpClientAuthenticationDisabled\":{},"
      "\"InternalSMTPServers\":[],\"TLSReceiveDomainSecureList\":[],"
      "\"TLSSendDomainSecureList\":[],\"MaxSendSize\":\"35 MB (36,700,160 bytes)\","
      "\"MaxReceiveSize\":\"36 MB (37,748,736 bytes)\",\"ExternalDelayDsnEnabled\":true,"
      "\"ReplyAllStormProtectionEnabled\":true,\"HygieneSuite\":\"{}\",\"IsValid\":true}}]",
      h > 0, h == 0 ? "Standard" : "Premium");

  out.Format(
      ",\n\"sharing_policy\":[{{\"Name\":\"Default Sharing Policy\",\"Identity\":"
      "\"Default Sharing Policy\",\"Domains\":[\"{}\"],\"Enabled\":{},\"Default\":true,"
      "\"WhenChangedUTC\":\"{}\",\"IsValid\":true}}]",
      ByHardening<std::string_view>(plan, "*:CalendarSharingFreeBusyDetail, ContactsSharing",
                                    "*:CalendarSharingFreeBusySimple",
                                    "Anonymous:CalendarSharingFreeBusySimple"),
      h < 2, ExDate(plan.now - 200 * kDay));

  // Mail flow rules: an external-sender tag everywhere; weak tenants also allow-list a partner
  // domain by setting SCL -1, which bypasses spam filtering.
  out.Raw(
      ",\n\"transport_rule\":[{\"Name\":\"External sender tag\",\"Identity\":"
      "\"External sender tag\",\"Priority\":0,\"State\":\"Enabled\",\"Mode\":\"Enforce\","
      "\"FromScope\":\"NotInOrganization\",\"PrependSubject\":\"[External] \","
      "\"SetSCL\":null,\"SenderDomainIs\":null,\"RedirectMessageTo\":null,\"BlindCopyTo\":null,"
      "\"Conditions\":[\"Microsoft.Exchange.MessagingPolicies.Rules.Tasks.FromScopePredicate\"],"
      "\"Actions\":[\"Microsoft.Exchange.MessagingPolicies.Rules.Tasks.PrependSubjectAction\"]}");
  if (h == 0) {
    out.Raw(
        ",{\"Name\":\"Trust partner mail\",\"Identity\":\"Trust partner mail\",\"Priority\":1,"
        "\"State\":\"Enabled\",\"Mode\":\"Enforce\",\"FromScope\":null,\"PrependSubject\":null,"
        "\"SetSCL\":-1,\"SenderDomainIs\":[\"partner.example.net\"],\"RedirectMessageTo\":null,"
        "\"BlindCopyTo\":null,\"Conditions\":[\"Microsoft.Exchange.MessagingPolicies.Rules."
        "Tasks.SenderDomainIsPredicate\"],\"Actions\":[\"Microsoft.Exchange.MessagingPolicies."
        "Rules.Tasks.SetSclAction\"]}");
  }
  out.Char(']');

  out.Raw(",\n\"inbound_connectors\":[");
  if (h < 2) {
    out.Format(
        "{{\"Name\":\"Partner relay\",\"Identity\":\"Partner relay\",\"Enabled\":true,"
        "\"ConnectorType\":\"Partner\",\"ConnectorSource\":\"AdminUI\","
        "\"SenderDomains\":[\"smtp:partner.example.net;1\"],\"SenderIPAddresses\":[],"
        "\"RequireTls\":{},\"RestrictDomainsToIPAddresses\":false,"
        "\"RestrictDomainsToCertificate\":false,\"TreatMessagesAsInternal\":false,"
        "\"CloudServicesMailEnabled\":false,\"Guid\":\"{}\"}}",
        h > 0, NamedGuid(plan, "connector:partner").view());
  }
  out.Char(']');

  out.Format(
      ",\n\"admin_audit_log_config\":[{{\"Name\":\"Admin Audit Log Settings\",\"Identity\":"
      "\"Admin Audit Log Settings\",\"AdminAuditLogEnabled\":true,"
      "\"UnifiedAuditLogIngestionEnabled\":{},\"AdminAuditLogAgeLimit\":\"{}\","
      "\"AdminAuditLogCmdlets\":[\"*\"],\"AdminAuditLogParameters\":[\"*\"],"
      "\"AdminAuditLogExcludedCmdlets\":[],\"LogLevel\":\"None\",\"IsValid\":true}}]",
      h > 0, h == 2 ? "365.00:00:00" : "90.00:00:00");
}

void WriteAntiPhish(JsonSink& out, std::string_view name, bool is_default, int strength,
                    std::string_view domain) {
  // strength: 0 out-of-the-box defaults, 1 standard preset, 2 strict preset.
  const bool on = strength > 0;
  const std::string_view action = strength == 0 ? "NoAction" : "Quarantine";
  out.Format(
      "{{\"Name\":\"{0}\",\"Identity\":\"{0}\",\"Id\":\"{0}\",\"Enabled\":true,\"IsDefault\":{1},"
      "\"ImpersonationProtectionState\":\"{2}\",\"EnableTargetedUserProtection\":{3},"
      "\"EnableMailboxIntelligenceProtection\":{3},\"EnableTargetedDomainsProtection\":{3},"
      "\"EnableOrganizationDomainsProtection\":{3},\"EnableMailboxIntelligence\":true,"
      "\"EnableFirstContactSafetyTips\":{3},\"EnableSimilarUsersSafetyTips\":{3},"
      "\"EnableSimilarDomainsSafetyTips\":{3},\"EnableUnusualCharactersSafetyTips\":{3},"
      "\"TargetedUserProtectionAction\":\"{4}\",\"MailboxIntelligenceProtectionAction\":\"{5}\","
      "\"TargetedDomainProtectionAction\":\"{4}\",\"AuthenticationFailAction\":\"{6}\","
      "\"EnableSpoofIntelligence\":true,\"EnableViaTag\":true,\"EnableUnauthenticatedSender\":true,"
      "\"HonorDmarcPolicy\":true,\"DmarcRejectAction\":\"Reject\",\"DmarcQuarantineAction\":"
      "\"Quarantine\",\"PhishThresholdLevel\":{7},\"TargetedUsersToProtect\":[],"
      "\"TargetedDomainsToProtect\":[{8}],\"ExcludedDomains\":[],\"ExcludedSenders\":[],"
      "\"RecommendedPolicyType\":\"{9}\"}}",
      name, is_default, on ? "Automatic" : "Manual", on, action,
      strength == 0 ? "NoAction" : "MoveToJmf", strength == 2 ? "Quarantine" : "MoveToJmf",
      strength + 1, on ? fmt::format("\"{}\"", domain) : "",
      strength == 0   ? "Custom"
      : strength == 1 ? "Standard"
                      : "Strict");
}

void WriteDefender(const TenantPlan& plan, JsonSink& out) {
  const int h = plan.rates.hardening;
  out.Format(
      "\"atp_policy_for_o365\":[{{\"Name\":\"Default\",\"Identity\":\"Default\",\"Id\":"
      "\"Default\",\"EnableATPForSPOTeamsODB\":{},\"EnableSafeDocs\":{},"
      "\"AllowSafeDocsOpen\":{},\"IsValid\":true}}]",
      h > 0, h == 2, h == 0);

  out.Raw(",\n\"anti_phish_policies\":[");
  WriteAntiPhish(out, "Office365 AntiPhish Default", true, h == 2 ? 1 : 0, plan.primary_domain);
  if (h > 0) {
    out.Char(',');
    WriteAntiPhish(out, "Standard Preset Security Policy1681329955447", false, 1,
                   plan.primary_domain);
  }
  if (h == 2) {
    out.Char(',');
    WriteAntiPhish(out, "Strict Preset Security Policy1681329955448", false, 2,
                   plan.primary_domain);
  }
  out.Char(']');

  // Preset security policy rules: none in weak tenants, Standard for everyone in typical ones,
  // Standard plus Strict for the admins' group in strong ones.
  auto preset_rules = [&](std::string_view key, std::string_view policy_fields) {
    out.Format(",\n\"{}\":[", key);
    for (int preset = 0; preset < h; ++preset) {
      const std::string_view name =
          preset == 0 ? "Standard Preset Security Policy" : "Strict Preset Security Policy";
      if (preset) out.Char(',');
      out.Format(
          "{{\"Name\":\"{0}\",\"Identity\":\"{0}\",\"State\":\"Enabled\",\"Priority\":{1},"
          "{2},\"SentTo\":null,\"SentToMemberOf\":{3},\"RecipientDomainIs\":{4},"
          "\"ExceptIfSentTo\":null,\"ExceptIfSentToMemberOf\":null,"
          "\"ExceptIfRecipientDomainIs\":null,\"Guid\":\"{5}\"}}",
          name, 1 - preset, policy_fields, preset == 1 ? "[\"Role - Security Readers\"]" : "null",
          preset == 0 ? fmt::format("[\"{}\",\"{}\"]", plan.primary_domain, plan.mail_domain)
                      : "null",
          NamedGuid(plan, fmt::format("{}:{}", key, name)).view());
    }
    out.Char(']');
  };
  preset_rules("protection_policy_rules",
               "\"HostedContentFilterPolicy\":\"Preset HCF\",\"AntiPhishPolicy\":\"Preset AP\","
               "\"MalwareFilterPolicy\":\"Preset MF\"");
  preset_rules("atp_policy_rules",
               "\"SafeAttachmentPolicy\":\"Preset SA\",\"SafeLinksPolicy\":\"Preset SL\"");

  out.Format(
      ",\n\"conn_filter\":[{{\"Name\":\"Default\",\"Identity\":\"Default\",\"Id\":\"Default\","
      "\"IsDefault\":true,\"IPAllowList\":[{}],\"IPBlockList\":[],\"EnableSafeList\":{},"
      "\"DirectoryBasedEdgeBlockMode\":\"Default\",\"IsValid\":true}}]",
      h == 0 ? "\"203.0.113.0/24\"" : "", h == 0);

  // Alert policies: Microsoft's default set; weak tenants have switched some off.
  constexpr std::string_view kAlerts[] = {
      "Suspicious email sending patterns detected",
      "Suspicious connector activity",
      "Suspicious Email Forwarding Activity",
      "Messages have been delayed",
      "Tenant restricted from sending unprovisioned email",
      "Tenant restricted from sending email",
      "A potentially malicious URL click was detected",
      "Elevation of Exchange admin privilege",
      "Creation of forwarding/redirect rule",
      "User restricted from sending email",
      "Unusual increase in email reported as phish",
      "Malware campaign detected after delivery",
      "Email messages containing malware removed after delivery",
      "Email reported by user as malware or phish",
      "eDiscovery search started or exported"};
  out.Raw(",\n\"protection_alerts\":[");
  for (std::size_t i = 0; i < std::size(kAlerts); ++i) {
    if (i) out.Char(',');
    const bool disabled = (h == 0 && i % 3 == 1) || (h == 1 && i == 3);
    out.Format(
        "{{\"Name\":\"{0}\",\"Identity\":\"FFO.extest.microsoft.com/Microsoft Exchange "
        "Hosted Organizations/{1}/Configuration/{0}\",\"Severity\":\"{2}\",\"Category\":"
        "\"ThreatManagement\",\"Disabled\":{3},\"NotifyUser\":[\"TenantAdmins\"],"
        "\"NotificationEnabled\":{4},\"IsSystemRule\":true,\"Mode\":\"Enforce\","
        "\"AggregationType\":\"None\",\"ThreatType\":\"Activity\",\"Guid\":\"{5}\"}}",
        kAlerts[i], plan.initial_domain, i % 4 == 0 ? "High" : "Medium", disabled, !disabled,
        NamedGuid(plan, fmt::format("alert:{}", i)).view());
  }
  out.Char(']');
}

void WritePurview(const TenantPlan& plan, JsonSink& out) {
  const int h = plan.rates.hardening;
  struct Dlp {
    std::string_view name, mode, sit_name, sit_id;
    bool endpoint;
  };
  std::vector<Dlp> policies;
  if (h == 0) {
    policies.push_back({"Default Office 365 DLP policy", "TestWithoutNotifications",
                        "Credit Card Number", "50842eb7-edc8-4019-85dd-5a5c1f2bb085", false});
  } else {
    policies.push_back({"Default Office 365 DLP policy", "Enable", "Credit Card Number",
                        "50842eb7-edc8-4019-85dd-5a5c1f2bb085", false});
    policies.push_back(
        {"U.S. Personally Identifiable Information", h == 2 ? "Enable" : "TestWithNotifications",
         "U.S. Social Security Number (SSN)", "a44669fe-0d48-453d-a9b1-2cc83f2cba77", h == 2});
  }
  out.Raw("\"dlp_compliance_policies\":[");
  for (std::size_t i = 0; i < policies.size(); ++i) {
    const Dlp& p = policies[i];
    if (i) out.Char(',');
    out.Format(
        "{{\"Name\":\"{0}\",\"DisplayName\":\"{0}\",\"Identity\":\"FFO.extest.microsoft.com/"
        "Microsoft Exchange Hosted Organizations/{1}/Configuration/{0}\",\"Guid\":\"{2}\","
        "\"Type\":\"Dlp\",\"Mode\":\"{3}\",\"Enabled\":{4},\"Priority\":{5},"
        "\"ExchangeLocation\":[\"All\"],\"SharePointLocation\":[\"All\"],"
        "\"OneDriveLocation\":[\"All\"],\"TeamsLocation\":[{6}],\"EndpointDlpLocation\":[{7}],"
        "\"Workload\":\"Exchange, SharePoint, OneDriveForBusiness{8}\","
        "\"DistributionStatus\":\"Success\",\"CreationTimeUtc\":\"{9}\"}}",
        p.name, plan.initial_domain, NamedGuid(plan, fmt::format("dlp:{}", p.name)).view(), p.mode,
        p.mode == "Enable", i, h > 0 ? "\"All\"" : "", p.endpoint ? "\"All\"" : "",
        h > 0 ? ", Teams" : "", ExDate(plan.now - (300 - 40 * static_cast<int>(i)) * kDay));
  }
  out.Raw("],\n\"dlp_compliance_rules\":[");
  for (std::size_t i = 0; i < policies.size(); ++i) {
    const Dlp& p = policies[i];
    for (int volume = 0; volume < 2; ++volume) {
      if (i || volume) out.Char(',');
      const std::string name =
          fmt::format("{} volume of content detected {}", volume == 0 ? "Low" : "High", p.name);
      out.Format(
          "{{\"Name\":\"{0}\",\"Identity\":\"FFO.extest.microsoft.com/Microsoft Exchange "
          "Hosted Organizations/{1}/Configuration/{0}\",\"ParentPolicyName\":\"{2}\","
          "\"Policy\":\"{3}\",\"Disabled\":false,\"Mode\":\"Enforce\",\"Priority\":{4},"
          "\"ContentContainsSensitiveInformation\":[{{\"name\":\"{5}\",\"id\":\"{6}\","
          "\"mincount\":\"{7}\",\"maxcount\":\"{8}\",\"minconfidence\":\"85\","
          "\"maxconfidence\":\"100\"}}],\"BlockAccess\":{9},\"BlockAccessScope\":\"{10}\","
          "\"NotifyUser\":[\"SiteAdmin\",\"LastModifier\",\"Owner\"],\"GenerateAlert\":[\"{11}\"],"
          "\"ReportSeverityLevel\":\"{12}\"}}",
          name, plan.initial_domain, p.name, NamedGuid(plan, fmt::format("dlp:{}", p.name)).view(),
          2 * i + volume, p.sit_name, p.sit_id, volume == 0 ? 1 : 10, volume == 0 ? 9 : -1,
          volume == 1 && h > 0, volume == 1 ? "All" : "PerUser", volume == 1 ? "SiteAdmin" : "",
          volume == 0 ? "Low" : "High");
    }
  }
  out.Char(']');
}

void WriteSharePoint(const TenantPlan& plan, JsonSink& out) {
  const int h = plan.rates.hardening;
  // SharingCapability: 0 disabled, 1 existing-and-new guests (authenticated), 2 anyone, 3
  // existing guests only. Link types: 1 specific people, 2 organisation, 3 anyone.
  out.Format(
      "\"SPO_tenant\":[{{\"__metadata\":{{\"id\":\"https://{0}-admin.sharepoint.com/_api/"
      "SPO.Tenant\","
      "\"uri\":\"https://{0}-admin.sharepoint.com/_api/SPO.Tenant\",\"type\":"
      "\"Microsoft.Online.SharePoint.TenantAdministration.Tenant\"}},"
      "\"SharingCapability\":{1},\"ODBSharingCapability\":{1},\"CoreSharingCapability\":{1},"
      "\"SharingDomainRestrictionMode\":{2},\"SharingAllowedDomainList\":\"{3}\","
      "\"SharingBlockedDomainList\":\"\",\"DefaultSharingLinkType\":{4},"
      "\"DefaultLinkPermission\":{5},\"FileAnonymousLinkType\":{5},\"FolderAnonymousLinkType\":{5},"
      "\"RequireAnonymousLinksExpireInDays\":{6},\"ExternalUserExpirationRequired\":{7},"
      "\"ExternalUserExpireInDays\":{8},\"EmailAttestationRequired\":{7},"
      "\"EmailAttestationReAuthDays\":{9},\"PreventExternalUsersFromResharing\":{7},"
      "\"LegacyAuthProtocolsEnabled\":{10},\"LegacyBrowserAuthProtocolsEnabled\":{10},"
      "\"ConditionalAccessPolicy\":{11},\"DisallowInfectedFileDownload\":{7},"
      "\"BlockMacSync\":false,\"IsUnmanagedSyncClientForTenantRestricted\":{12},"
      "\"ShowEveryoneExceptExternalUsersClaim\":{13},\"ShowAllUsersClaim\":false,"
      "\"OneDriveForGuestsEnabled\":false,\"CustomScriptsRestrictMode\":{12},"
      "\"DisableCustomAppAuthentication\":{7},\"OwnerAnonymousNotification\":true,"
      "\"NotificationsInSharePointEnabled\":true,\"BccExternalSharingInvitations\":false,"
      "\"AnyoneLinkTrackUsers\":{7}}}]",
      plan.slug, ByHardening(plan, 2, 1, 3), h == 2 ? 1 : 0,
      h == 2 ? "fabrikam.com adatum.com" : "", ByHardening(plan, 3, 2, 1),
      ByHardening(plan, 2, 2, 1), ByHardening(plan, -1, 30, 7), h > 0, ByHardening(plan, 0, 60, 30),
      ByHardening(plan, 0, 30, 15), h == 0, ByHardening(plan, 0, 1, 2), h == 2, h < 2);
}

void WriteTeams(const TenantPlan& plan, JsonSink& out) {
  const int h = plan.rates.hardening;
  // The built-in meeting policies; Global carries the tenant's choices.
  constexpr std::string_view kPolicies[] = {"Global",
                                            "Tag:AllOn",
                                            "Tag:RestrictedAnonymousAccess",
                                            "Tag:AllOff",
                                            "Tag:RestrictedAnonymousNoRecording",
                                            "Tag:Default",
                                            "Tag:Kiosk"};
  out.Raw("\"meeting_policies\":[");
  for (std::size_t i = 0; i < std::size(kPolicies); ++i) {
    if (i) out.Char(',');
    const bool global = i == 0;
    const bool anonymous_join = global ? h < 2 : kPolicies[i] != "Tag:RestrictedAnonymousAccess";
    const std::string_view admitted =
        global ? ByHardening<std::string_view>(plan, "Everyone", "EveryoneInCompanyExcludingGuests",
                                               "EveryoneInCompanyExcludingGuests")
               : "EveryoneInCompany";
    out.Format(
        "{{\"Identity\":\"{0}\",\"Description\":null,\"AllowAnonymousUsersToJoinMeeting\":{1},"
        "\"AllowAnonymousUsersToStartMeeting\":{2},\"AllowAnonymousUsersToDialOut\":false,"
        "\"AutoAdmittedUsers\":\"{3}\",\"AllowPSTNUsersToBypassLobby\":{2},"
        "\"AllowExternalParticipantGiveRequestControl\":{2},"
        "\"AllowExternalNonTrustedMeetingChat\":{4},\"MeetingChatEnabledType\":\"Enabled\","
        "\"DesignatedPresenterRoleMode\":\"{5}\",\"AllowCloudRecording\":{6},"
        "\"AllowTranscription\":{6},\"AllowMeetNow\":true,\"AllowWhiteboard\":true,"
        "\"ScreenSharingMode\":\"EntireScreen\",\"AllowPrivateMeetingScheduling\":true,"
        "\"AllowChannelMeetingScheduling\":true,\"AllowOrganizersToOverrideLobbySettings\":{4},"
        "\"ExternalMeetingJoin\":\"{7}\",\"WhoCanRegister\":\"{8}\"}}",
        kPolicies[i], anonymous_join, global && h == 0, admitted, h < 2,
        h == 2 ? "OrganizerOnlyUserOverride" : "EveryoneUserOverride", kPolicies[i] != "Tag:AllOff",
        h == 2 ? "EnabledForTrustedOrgs" : "EnabledForAnyone",
        h == 2 ? "EveryoneInCompany" : "Everyone");
  }
  out.Char(']');

  out.Format(
      ",\n\"federation_configuration\":[{{\"Identity\":\"Global\",\"AllowFederatedUsers\":true,"
      "\"AllowedDomains\":{},\"BlockedDomains\":[],\"AllowTeamsConsumer\":{},"
      "\"AllowTeamsConsumerInbound\":{},\"AllowPublicUsers\":{},"
      "\"SharedSipAddressSpace\":false,\"TreatDiscoveredPartnersAsUnverified\":{},"
      "\"ExternalAccessWithTrialTenants\":\"{}\",\"ConfigId\":\"Global\"}}]",
      h == 2 ? "{\"AllowedDomain\":[\"Domain=fabrikam.com\",\"Domain=adatum.com\"]}"
             : "{\"AllowAllKnownDomains\":{}}",
      h == 0, h == 0, h == 0, h == 2, h == 0 ? "Allowed" : "Blocked");

  out.Format(
      ",\n\"client_configuration\":[{{\"Identity\":\"Global\",\"AllowEmailIntoChannel\":{0},"
      "\"RestrictedSenderList\":null,\"AllowDropBox\":{1},\"AllowBox\":{1},"
      "\"AllowGoogleDrive\":{1},\"AllowShareFile\":{1},\"AllowEgnyte\":{1},"
      "\"AllowOrganizationTab\":true,\"AllowSkypeBusinessInterop\":true,"
      "\"ContentPin\":\"RequiredOutsideScheduleMeeting\",\"AllowResourceAccountSendMessage\":true,"
      "\"ResourceAccountContentAccess\":\"NoAccess\",\"AllowGuestUser\":{2},"
      "\"AllowScopedPeopleSearchandAccess\":false}}]",
      h == 0, h < 2, h < 2);

  out.Format(
      ",\n\"app_policies\":[{{\"Identity\":\"Global\",\"Description\":null,"
      "\"DefaultCatalogApps\":[],\"GlobalCatalogApps\":[],\"PrivateCatalogApps\":[],"
      "\"DefaultCatalogAppsType\":\"BlockedAppList\",\"GlobalCatalogAppsType\":\"{}\","
      "\"PrivateCatalogAppsType\":\"{}\"}}]",
      h == 0 ? "BlockedAppList" : "AllowedAppList", h == 2 ? "AllowedAppList" : "BlockedAppList");
}

void WritePowerPlatform(const TenantPlan& plan, JsonSink& out) {
  const int h = plan.rates.hardening;
  out.Format(
      "\"environment_creation\":[{{\"walkMeOptOut\":false,\"disableNPSCommentsReachout\":false,"
      "\"disableEnvironmentCreationByNonAdminUsers\":{0},"
      "\"disablePortalsCreationByNonAdminUsers\":{0},"
      "\"disableTrialEnvironmentCreationByNonAdminUsers\":{0},"
      "\"disableCapacityAllocationByEnvironmentAdmins\":false,"
      "\"disableSupportTicketsVisibleByAllUsers\":true,\"powerPlatform\":{{\"powerApps\":"
      "{{\"disableShareWithEveryone\":{0},\"enableGuestsToMake\":{1}}},\"governance\":"
      "{{\"disableAdminDigest\":false,"
      "\"disableDeveloperEnvironmentCreationByNonAdminUsers\":{0}}}}}}}]",
      h > 0, h == 0);
  out.Raw(",\n\"dlp_policies\":[{\"value\":[");
  if (h > 0) {
    out.Format(
        "{{\"name\":\"{}\",\"displayName\":\"Block non-business connectors\","
        "\"environmentType\":\"{}\",\"environments\":[],\"connectorGroups\":["
        "{{\"classification\":\"Confidential\",\"connectors\":[{{\"id\":"
        "\"/providers/Microsoft.PowerApps/apis/shared_sharepointonline\",\"name\":"
        "\"SharePoint\",\"type\":\"Microsoft.PowerApps/apis\"}}]}},"
        "{{\"classification\":\"General\",\"connectors\":[]}},"
        "{{\"classification\":\"Blocked\",\"connectors\":[{{\"id\":"
        "\"/providers/Microsoft.PowerApps/apis/shared_twitter\",\"name\":\"Twitter\","
        "\"type\":\"Microsoft.PowerApps/apis\"}}]}}],\"defaultConnectorsClassification\":"
        "\"{}\"}}",
        NamedGuid(plan, "ppdlp").view(), h == 2 ? "AllEnvironments" : "OnlyEnvironments",
        h == 2 ? "Blocked" : "General");
  }
  out.Raw("]}]");
  out.Format(
      ",\n\"tenant_isolation\":[{{\"properties\":{{\"tenantId\":\"{}\",\"isDisabled\":{},"
      "\"allowedTenants\":[]}}}}]",
      plan.tenant_id, h < 2);
}

}  // namespace

void WriteScubaGear(const TenantPlan& plan, JsonSink& out) {
  out.Format("\"baseline_version\":\"1\",\"module_version\":\"1.8.0\",\"tenant_id\":\"{}\",\n",
             plan.tenant_id);
  WriteExchange(ForArea(plan, Area::kExchange), out);
  out.Raw(",\n");
  WriteDefender(ForArea(plan, Area::kDefender), out);
  out.Raw(",\n");
  WritePurview(ForArea(plan, Area::kPurview), out);
  out.Raw(",\n");
  WriteSharePoint(ForArea(plan, Area::kSharePoint), out);
  out.Raw(",\n");
  WriteTeams(ForArea(plan, Area::kTeams), out);
  out.Raw(",\n");
  WritePowerPlatform(ForArea(plan, Area::kPowerPlatform), out);
}

}  // namespace securescore::generate
