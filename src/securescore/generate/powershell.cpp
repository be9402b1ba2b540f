// PowerShell cmdlet output (sources.powershell): what Exchange Online and Security & Compliance
// PowerShell print for settings ScubaGear does not export, keyed by cmdlet name.
#include <algorithm>

#include "securescore/generate/rng.h"
#include "securescore/generate/sections.h"

namespace securescore::generate {
namespace {

constexpr std::uint64_t kMailboxSample = 2000;

void WriteMailbox(JsonSink& out, const TenantPlan& plan, const UserFacts& u, Rng& rng) {
  const int h = plan.rates.hardening;
  const double audit_off = h == 0 ? 0.08 : h == 1 ? 0.01 : 0.0;
  const double bypass = h == 0 ? 0.01 : h == 1 ? 0.002 : 0.0;
  out.Raw("{\"UserPrincipalName\":");
  WriteUpn(out, plan, u);
  out.Raw(",\"PrimarySmtpAddress\":");
  WriteUpn(out, plan, u);
  out.Raw(",\"DisplayName\":");
  WriteDisplayName(out, u);
  out.Raw(",\"Alias\":\"");
  WriteMailNickname(out, u);
  out.Raw("\",\"Identity\":\"");
  WriteMailNickname(out, u);
  out.Raw("\",\"Name\":\"");
  WriteMailNickname(out, u);
  out.Raw("\",\"ExternalDirectoryObjectId\":");
  out.PlainString(u.id.view());
  out.Raw(",\"RecipientTypeDetails\":\"UserMailbox\",\"AuditEnabled\":");
  out.Bool(!rng.Chance(audit_off));
  out.Raw(",\"AuditBypassEnabled\":");
  out.Bool(rng.Chance(bypass));
  out.Raw(",\"AuditLogAgeLimit\":\"");
  out.Raw(h == 2 ? "365.00:00:00" : "90.00:00:00");
  out.Raw("\",\"DefaultAuditSet\":[\"Admin\",\"Delegate\",\"Owner\"]}");
}

}  // namespace

void WritePowerShell(const TenantPlan& plan, JsonSink& out) {
  const int h = plan.rates.hardening;

  out.Format(
      "\"Get-OwaMailboxPolicy\":[{{\"Identity\":\"OwaMailboxPolicy-Default\",\"Name\":"
      "\"OwaMailboxPolicy-Default\",\"IsDefault\":true,"
      "\"AdditionalStorageProvidersAvailable\":{0},\"ThirdPartyFileProvidersEnabled\":{0},"
      "\"PersonalAccountCalendarsEnabled\":{0},\"ExternalImageProxyEnabled\":true,"
      "\"WacExternalServicesEnabled\":true,\"OfflineEnabledWeb\":{0},"
      "\"ActiveSyncIntegrationEnabled\":true}}]",
      h < 2);

  // Outlook add-in roles: strong tenants remove the "My … Apps" roles from the default policy.
  out.Format(
      ",\n\"Get-RoleAssignmentPolicy\":[{{\"Identity\":\"Default Role Assignment Policy\","
      "\"Name\":\"Default Role Assignment Policy\",\"IsDefault\":true,\"Description\":"
      "\"This policy grants end users the permission to set their options in Outlook on "
      "the web and perform other self-administration tasks.\",\"AssignedRoles\":["
      "\"MyContactInformation\",\"MyRetentionPolicies\",\"MyMailSubscriptions\","
      "\"MyTextMessaging\",\"MyBaseOptions\",\"MyVoiceMail\",\"MyProfileInformation\","
      "\"MyDistributionGroupMembership\"{}]}}]",
      h == 2 ? "" : ",\"My Custom Apps\",\"My Marketplace Apps\",\"My ReadWriteMailbox Apps\"");

  out.Raw(
      ",\n\"Get-SafeLinksPolicy\":[{\"Identity\":\"Built-In Protection Policy\",\"Name\":"
      "\"Built-In Protection Policy\",\"IsBuiltInProtection\":true,"
      "\"EnableSafeLinksForEmail\":true,\"EnableSafeLinksForTeams\":true,"
      "\"EnableSafeLinksForOffice\":true,\"TrackClicks\":true,\"AllowClickThrough\":true,"
      "\"ScanUrls\":true,\"EnableForInternalSenders\":false,\"DeliverMessageAfterScan\":true,"
      "\"DisableUrlRewrite\":false}");
  if (h > 0) {
    out.Format(
        ",{{\"Identity\":\"Safe Links - All users\",\"Name\":\"Safe Links - All users\","
        "\"IsBuiltInProtection\":false,\"EnableSafeLinksForEmail\":true,"
        "\"EnableSafeLinksForTeams\":true,\"EnableSafeLinksForOffice\":true,"
        "\"TrackClicks\":true,\"AllowClickThrough\":{},\"ScanUrls\":true,"
        "\"EnableForInternalSenders\":true,\"DeliverMessageAfterScan\":true,"
        "\"DisableUrlRewrite\":false}}",
        h == 1);
  }
  out.Char(']');

  out.Raw(
      ",\n\"Get-SafeAttachmentPolicy\":[{\"Identity\":\"Built-In Protection Policy\",\"Name\":"
      "\"Built-In Protection Policy\",\"IsBuiltInProtection\":true,\"Enable\":true,"
      "\"Action\":\"Block\",\"QuarantineTag\":\"AdminOnlyAccessPolicy\",\"Redirect\":false,"
      "\"RedirectAddress\":null}");
  if (h > 0) {
    out.Format(
        ",{{\"Identity\":\"Safe Attachments - All users\",\"Name\":"
        "\"Safe Attachments - All users\",\"IsBuiltInProtection\":false,\"Enable\":true,"
        "\"Action\":\"{}\",\"QuarantineTag\":\"AdminOnlyAccessPolicy\",\"Redirect\":{},"
        "\"RedirectAddress\":{}}}",
        h == 2 ? "Block" : "DynamicDelivery", h == 2,
        h == 2 ? fmt::format("\"soc@{}\"", plan.primary_domain) : "null");
  }
  out.Char(']');

  out.Format(
      ",\n\"Get-MalwareFilterPolicy\":[{{\"Identity\":\"Default\",\"Name\":\"Default\","
      "\"IsDefault\":true,\"EnableFileFilter\":{0},\"FileTypeAction\":\"Reject\","
      "\"FileTypes\":[\"ace\",\"ani\",\"apk\",\"app\",\"cab\",\"cmd\",\"com\",\"deb\","
      "\"dmg\",\"exe\",\"hta\",\"img\",\"iso\",\"jar\",\"js\",\"jse\",\"lnk\",\"msi\","
      "\"ps1\",\"reg\",\"scr\",\"vbe\",\"vbs\",\"wsc\",\"wsf\",\"wsh\"],\"ZapEnabled\":{1},"
      "\"EnableInternalSenderAdminNotifications\":{2},\"InternalSenderAdminAddress\":{3},"
      "\"QuarantineTag\":\"AdminOnlyAccessPolicy\"}}]",
      h > 0, true, h == 2, h == 2 ? fmt::format("\"soc@{}\"", plan.primary_domain) : "null");

  out.Format(
      ",\n\"Get-HostedContentFilterPolicy\":[{{\"Identity\":\"Default\",\"Name\":\"Default\","
      "\"IsDefault\":true,\"SpamAction\":\"MoveToJmf\",\"HighConfidenceSpamAction\":\"{0}\","
      "\"PhishSpamAction\":\"{1}\",\"HighConfidencePhishAction\":\"Quarantine\","
      "\"BulkSpamAction\":\"MoveToJmf\",\"BulkThreshold\":{2},\"MarkAsSpamBulkMail\":\"On\","
      "\"QuarantineRetentionPeriod\":{3},\"InlineSafetyTipsEnabled\":true,"
      "\"SpamZapEnabled\":{4},\"PhishZapEnabled\":true,\"AllowedSenders\":[],"
      "\"AllowedSenderDomains\":[{5}],\"BlockedSenders\":[],\"BlockedSenderDomains\":[],"
      "\"EnableEndUserSpamNotifications\":{6}}}]",
      h == 0 ? "MoveToJmf" : "Quarantine", h == 0 ? "MoveToJmf" : "Quarantine",
      ByHardening(plan, 7, 6, 5), ByHardening(plan, 15, 30, 30), h > 0,
      h == 0 ? fmt::format("\"{}\",\"partner.example.net\"", plan.primary_domain) : "", h > 0);

  out.Format(
      ",\n\"Get-HostedOutboundSpamFilterPolicy\":[{{\"Identity\":\"Default\",\"Name\":"
      "\"Default\",\"IsDefault\":true,\"RecipientLimitExternalPerHour\":{0},"
      "\"RecipientLimitInternalPerHour\":{1},\"RecipientLimitPerDay\":{2},"
      "\"ActionWhenThresholdReached\":\"{3}\",\"AutoForwardingMode\":\"{4}\","
      "\"BccSuspiciousOutboundMail\":{5},\"NotifyOutboundSpam\":{5},"
      "\"NotifyOutboundSpamRecipients\":[{6}]}}]",
      ByHardening(plan, 0, 500, 400), ByHardening(plan, 0, 1000, 800),
      ByHardening(plan, 0, 1000, 800),
      ByHardening<std::string_view>(plan, "BlockUserForToday", "BlockUser", "BlockUser"),
      ByHardening<std::string_view>(plan, "Automatic", "Off", "Off"), h > 0,
      h > 0 ? fmt::format("\"soc@{}\"", plan.primary_domain) : "");

  out.Raw(",\n\"Get-LabelPolicy\":[");
  if (h > 0) {
    out.Format(
        "{{\"Name\":\"Global sensitivity label policy\",\"Identity\":\"{}\",\"Guid\":\"{}\","
        "\"Enabled\":true,\"Mode\":\"Enforce\",\"Type\":\"PublishedSensitivityLabel\","
        "\"Labels\":[\"Public\",\"General\",\"Confidential\",\"Highly Confidential\"],"
        "\"ExchangeLocation\":[\"All\"],\"ModernGroupLocation\":[],"
        "\"Settings\":[\"[requiredowngradejustification, {}]\",\"[mandatory, {}]\"],"
        "\"DistributionStatus\":\"Success\"}}",
        NamedGuid(plan, "label-policy").view(), NamedGuid(plan, "label-policy").view(), h == 2,
        h == 2);
  }
  out.Char(']');

  // Idle session sign-out for SharePoint and OneDrive; TimeSpans as ConvertTo-Json prints them.
  auto timespan = [](std::int64_t minutes) {
    return fmt::format(
        "{{\"Ticks\":{},\"Days\":{},\"Hours\":{},\"Minutes\":{},\"Seconds\":0,"
        "\"Milliseconds\":0,\"TotalHours\":{},\"TotalMinutes\":{},"
        "\"TotalSeconds\":{}}}",
        minutes * 600000000, minutes / 1440, minutes / 60 % 24, minutes % 60,
        static_cast<double>(minutes) / 60.0, minutes, minutes * 60);
  };
  out.Format(
      ",\n\"Get-SPOBrowserIdleSignOut\":[{{\"Enabled\":{},\"WarnAfter\":{},"
      "\"SignOutAfter\":{}}}]",
      h > 0, timespan(ByHardening(plan, 0, 420, 45)), timespan(ByHardening(plan, 0, 480, 60)));

  // A spread-out sample of members' mailboxes (every k-th member), as an auditor would pull.
  out.Raw(",\n\"Get-EXOMailbox\":[");
  const std::uint64_t step = std::max<std::uint64_t>(1, plan.users / kMailboxSample);
  bool first = true;
  for (std::uint64_t i = plan.break_glass; i < plan.users; i += step) {
    const UserFacts u = DescribeUser(plan, i);
    if (u.guest || !u.licensed) continue;
    if (!first) out.Raw(",\n");
    first = false;
    Rng rng(Hash(plan.options.seed, i, 404));
    WriteMailbox(out, plan, u, rng);
    out.MaybeFlush();
  }
  out.Char(']');
}

}  // namespace securescore::generate
