#include "securescore/generate/plan.h"

#include <algorithm>
#include <numeric>

#include "securescore/generate/rng.h"

namespace securescore::generate {
namespace {

// Independent hash lanes, so one fact about a user can change without reshuffling the others.
enum Lane : std::uint64_t {
  kLaneUser = 1,
  kLaneAdmin,
  kLaneNamed,
  kLaneTenant,
};

constexpr std::array<std::string_view, 96> kFirstNames = {
    "Adele",    "Alex",      "Allan",   "Amelia",  "Ana",     "Andre",    "Anita",    "Arjun",
    "Ava",      "Ben",       "Bianca",  "Carlos",  "Chen",    "Chloe",    "Christie", "Daniel",
    "Diego",    "Elena",     "Emily",   "Emma",    "Ethan",   "Fatima",   "Felix",    "Fiona",
    "Gabriel",  "Grace",     "Hannah",  "Hiro",    "Isaac",   "Isabella", "Ivan",     "Jack",
    "James",    "Jana",      "Jasmine", "Johanna", "Jonas",   "Jose",     "Julia",    "Kai",
    "Karin",    "Kenji",     "Lara",    "Laura",   "Lee",     "Leo",      "Liam",     "Lidia",
    "Lucas",    "Lynne",     "Maria",   "Mario",   "Megan",   "Mei",      "Miguel",   "Mila",
    "Mohammed", "Nadia",     "Nathan",  "Nestor",  "Nina",    "Noah",     "Olivia",   "Omar",
    "Patti",    "Paul",      "Pedro",   "Priya",   "Rafael",  "Raj",      "Rosa",     "Ruth",
    "Sam",      "Sara",      "Sean",    "Sofia",   "Sven",    "Tariq",    "Theo",     "Tomas",
    "Uma",      "Valentina", "Victor",  "Wei",     "William", "Xavier",   "Yara",     "Yusuf",
    "Zoe",      "Zara",      "Aiko",    "Bruno",   "Clara",   "Dmitri",   "Eva",      "Farah"};

constexpr std::array<std::string_view, 128> kLastNames = {
    "Abbott",    "Adams",   "Ahmed",    "Alvarez",  "Anderson", "Bailey",    "Baker",
    "Banerjee",  "Becker",  "Bell",     "Bennett",  "Berg",     "Brooks",    "Brown",
    "Campbell",  "Carter",  "Castro",   "Chen",     "Clark",    "Cohen",     "Collins",
    "Cooper",    "Costa",   "Cruz",     "Davies",   "Diaz",     "Dubois",    "Edwards",
    "Evans",     "Fischer", "Fleming",  "Flores",   "Foster",   "Garcia",    "Gomez",
    "Gonzalez",  "Gray",    "Green",    "Gupta",    "Hall",     "Hansen",    "Harris",
    "Hernandez", "Hill",    "Hoffmann", "Holt",     "Howard",   "Hughes",    "Ito",
    "Jackson",   "Jansen",  "Jensen",   "Johnson",  "Jones",    "Kaur",      "Khan",
    "Kim",       "King",    "Klein",    "Kowalski", "Kumar",    "Larsen",    "Lee",
    "Lewis",     "Lopez",   "Martin",   "Martinez", "Meyer",    "Miller",    "Mitchell",
    "Moore",     "Morales", "Morgan",   "Muller",   "Murphy",   "Nakamura",  "Nelson",
    "Nguyen",    "Nielsen", "Novak",    "Okafor",   "Olsen",    "Ortiz",     "Park",
    "Patel",     "Perez",   "Peters",   "Petrov",   "Phillips", "Powell",    "Price",
    "Ramirez",   "Reed",    "Reyes",    "Richter",  "Rivera",   "Roberts",   "Robinson",
    "Rossi",     "Russo",   "Sanchez",  "Sato",     "Schmidt",  "Schneider", "Scott",
    "Silva",     "Singh",   "Smith",    "Sokolov",  "Stewart",  "Suzuki",    "Tanaka",
    "Taylor",    "Thomas",  "Thompson", "Torres",   "Turner",   "Vance",     "Wagner",
    "Walker",    "Wang",    "Ward",     "Watson",   "Weber",    "White",     "Williams",
    "Wilson",    "Young"};

constexpr std::array<std::string_view, 8> kGuestDomains = {
    "gmail.com",  "outlook.com",    "fabrikam.com",  "northwindtraders.com",
    "adatum.com", "litwareinc.com", "proseware.com", "consultant.example.org"};

constexpr std::array<std::string_view, 12> kDepartments = {
    "Sales",       "Marketing",  "Finance",          "Human Resources",
    "Engineering", "Operations", "Customer Service", "Legal",
    "IT",          "Research",   "Procurement",      "Facilities"};

constexpr std::array<std::string_view, 20> kNameStems = {
    "Woodgrove",  "Contoso",   "Fabrikam",    "Tailspin",  "Northwind", "Litware", "Adatum",
    "Proseware",  "Wingtip",   "Alpine Ski",  "Coho",      "Lucerne",   "Trey",    "Fourth Coffee",
    "Wide World", "Humongous", "Blue Yonder", "Relecloud", "Margie's",  "Lamna"};
constexpr std::array<std::string_view, 10> kNameTails = {
    "Bank",  "Health",   "Logistics", "Energy", "Labs",
    "Group", "Partners", "Insurance", "Retail", "Manufacturing"};
constexpr std::array<std::string_view, 12> kIndustries = {"Finance",
                                                          "Healthcare",
                                                          "Transportation",
                                                          "Energy",
                                                          "Technology",
                                                          "Professional services",
                                                          "Professional services",
                                                          "Insurance",
                                                          "Retail",
                                                          "Manufacturing",
                                                          "Education",
                                                          "Government"};

constexpr std::int64_t kDay = 86400;

std::string Slug(std::string_view name) {
  std::string slug;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') slug.push_back(static_cast<char>(c - 'A' + 'a'));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) slug.push_back(c);
  }
  if (slug.size() > 40) slug.resize(40);
  return slug;
}

}  // namespace

ProfileRates RatesFor(Profile profile) {
  ProfileRates r;  // typical
  switch (profile) {
    case Profile::kWeak:
      r.guest = 0.12;
      r.disabled = 0.09;
      r.stale_sign_in = 0.14;
      r.never_signed_in = 0.03;
      r.mfa_registered = 0.25;
      r.admin_mfa_registered = 0.55;
      r.passwordless = 0.01;
      r.sms_only = 0.55;
      r.sspr_registered = 0.30;
      r.device_compliant = 0.55;
      r.device_encrypted = 0.45;
      r.jailbroken = 0.012;
      r.eligible_admin = 0.0;
      r.extra_global_admins = 9;
      r.hardening = 0;
      break;
    case Profile::kTypical: break;
    case Profile::kStrong:
      r.guest = 0.05;
      r.disabled = 0.02;
      r.stale_sign_in = 0.01;
      r.never_signed_in = 0.002;
      r.mfa_registered = 0.97;
      r.admin_mfa_registered = 1.0;
      r.passwordless = 0.45;
      r.sms_only = 0.03;
      r.sspr_registered = 0.97;
      r.device_compliant = 0.97;
      r.device_encrypted = 0.99;
      r.jailbroken = 0.0005;
      r.eligible_admin = 0.85;
      r.extra_global_admins = 2;
      r.hardening = 2;
      break;
  }
  return r;
}

namespace {

// The adoption rates at `adoption` in [0, 2]: weak at 0, typical at 1, strong at 2, linear in
// between. Only the rates of things users and devices take up over time move; the others
// (guests, stale accounts, admin counts, hardening) stay the profile's.
void ApplyAdoption(double adoption, ProfileRates& r) {
  const ProfileRates low = RatesFor(adoption < 1 ? Profile::kWeak : Profile::kTypical);
  const ProfileRates high = RatesFor(adoption < 1 ? Profile::kTypical : Profile::kStrong);
  const double t = adoption < 1 ? adoption : adoption - 1;
  auto mix = [t](double a, double b) { return a + (b - a) * t; };
  r.mfa_registered = mix(low.mfa_registered, high.mfa_registered);
  r.admin_mfa_registered = mix(low.admin_mfa_registered, high.admin_mfa_registered);
  r.passwordless = mix(low.passwordless, high.passwordless);
  r.sms_only = mix(low.sms_only, high.sms_only);
  r.sspr_registered = mix(low.sspr_registered, high.sspr_registered);
  r.device_compliant = mix(low.device_compliant, high.device_compliant);
  r.device_encrypted = mix(low.device_encrypted, high.device_encrypted);
  r.eligible_admin = mix(low.eligible_admin, high.eligible_admin);
}

}  // namespace

const std::vector<RoleSpec>& Roles() {
  // Template ids from Microsoft's "Microsoft Entra built-in roles" reference.
  static const std::vector<RoleSpec> roles = {
      {"62e90394-69f5-4237-9190-012177145e10", "Global Administrator",
       "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft "
       "Entra identities.",
       "microsoft.directory/users/allProperties/allTasks"},
      {"e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator",
       "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged "
       "Identity Management.",
       "microsoft.directory/roleAssignments/allProperties/allTasks"},
      {"fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator",
       "Can manage all aspects of users and groups, including resetting passwords for limited "
       "admins.",
       "microsoft.directory/users/create"},
      {"29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator",
       "Can manage all aspects of the Exchange product.",
       "microsoft.office365.exchange/allEntities/basic/allTasks"},
      {"f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator",
       "Can manage all aspects of the SharePoint service.",
       "microsoft.office365.sharePoint/allEntities/allTasks"},
      {"729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator",
       "Can reset passwords for non-administrators and Helpdesk Administrators.",
       "microsoft.directory/users/password/update"},
      {"194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator",
       "Can read security information and reports, and manage configuration in Microsoft Entra "
       "ID and Office 365.",
       "microsoft.directory/policies/basic/update"},
      {"5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader",
       "Can read security information and reports in Microsoft Entra ID and Office 365.",
       "microsoft.directory/auditLogs/allProperties/read"},
      {"f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader",
       "Can read everything that a Global Administrator can, but not update anything.",
       "microsoft.directory/users/allProperties/read"},
      {"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator",
       "Can create and manage all aspects of app registrations and enterprise apps.",
       "microsoft.directory/applications/create"},
      {"158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator",
       "Can create and manage all aspects of app registrations and enterprise apps except App "
       "Proxy.",
       "microsoft.directory/servicePrincipals/create"},
      {"69091246-20e8-4a56-aa4d-066075b2a7a8", "Teams Administrator",
       "Can manage the Microsoft Teams service.",
       "microsoft.teams/allEntities/allProperties/allTasks"},
      {"3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune Administrator",
       "Can manage all aspects of the Intune product.", "microsoft.intune/allEntities/allTasks"},
      {"b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator",
       "Can manage Conditional Access capabilities.",
       "microsoft.directory/conditionalAccessPolicies/create"},
      {"b0f54661-2d74-4c50-afa3-1ec803f12efe", "Billing Administrator",
       "Can perform common billing related tasks like updating payment information.",
       "microsoft.commerce.billing/allEntities/allProperties/allTasks"},
      {"c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator",
       "Can access to view, set and reset authentication method information for any "
       "non-admin user.",
       "microsoft.directory/users/authenticationMethods/create"},
      {"17315797-102d-40b4-93e0-432062caca18", "Compliance Administrator",
       "Can read and manage compliance configuration and reports in Microsoft Entra ID and "
       "Microsoft 365.",
       "microsoft.office365.complianceManager/allEntities/allTasks"},
      {"4a5d8f65-41da-4de4-8968-e035b65339cf", "Reports Reader",
       "Can read sign-in and audit reports.", "microsoft.directory/auditLogs/allProperties/read"},
      {"966707d0-3269-4727-9be2-8c3a10f19b9d", "Password Administrator",
       "Can reset passwords for non-administrators and Password Administrators.",
       "microsoft.directory/users/password/update"},
      {"7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator",
       "Can access to view, set and reset authentication method information for any user.",
       "microsoft.directory/users/authenticationMethods/create"},
      {"8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", "Hybrid Identity Administrator",
       "Can manage Active Directory to Microsoft Entra cloud provisioning and federation "
       "settings.",
       "microsoft.directory/cloudProvisioning/allProperties/allTasks"},
      {"fdd7a751-b60b-444a-984c-02652fe8fa1c", "Groups Administrator",
       "Members of this role can create/manage groups and manage all groups settings.",
       "microsoft.directory/groups/create"},
  };
  return roles;
}

TenantPlan MakePlan(const GenerateOptions& options) {
  TenantPlan plan;
  plan.options = options;
  plan.rates = RatesFor(options.profile);
  if (options.adoption) ApplyAdoption(*options.adoption, plan.rates);
  plan.users = options.users;
  plan.devices = options.devices.value_or(options.users * 4 / 5);
  plan.now = options.collected_at;
  Rng rng(Hash(options.seed, 0, kLaneTenant));
  plan.tenant_id = NextGuid(rng).str();
  const std::string_view stem = kNameStems[rng.Below(kNameStems.size())];
  const std::string_view tail = kNameTails[rng.Below(kNameTails.size())];
  plan.display_name = options.name.value_or(fmt::format("{} {}", stem, tail));
  plan.industry =
      options.industry.value_or(std::string(kIndustries[rng.Below(kIndustries.size())]));
  plan.slug = Slug(plan.display_name);
  if (plan.slug.empty()) plan.slug = fmt::format("tenant{}", options.seed);
  plan.primary_domain = plan.slug + ".com";
  plan.initial_domain = plan.slug + ".onmicrosoft.com";
  plan.mail_domain = "mail." + plan.primary_domain;
  plan.hybrid = rng.Chance(0.7);
  plan.tenant_created = plan.now - rng.Between(3 * 365, 9 * 365) * kDay;
  plan.license_sku = rng.Below(3);
  plan.departments = kDepartments.size();
  const std::uint64_t after_break_glass = plan.users > plan.break_glass ? plan.users - 2 : 0;
  plan.break_glass = std::min<std::uint64_t>(2, plan.users);
  plan.global_admins = std::min<std::uint64_t>(
      after_break_glass,
      plan.rates.extra_global_admins + plan.users / (plan.rates.hardening == 0 ? 5000 : 50000));
  plan.global_admins = std::min<std::uint64_t>(plan.global_admins, 30);
  const std::uint64_t roles = Roles().size() - 1;
  plan.other_admins =
      std::min<std::uint64_t>(after_break_glass - plan.global_admins,
                              std::clamp<std::uint64_t>(plan.users / 400, 4, roles));
  return plan;
}

TenantPlan ForArea(const TenantPlan& plan, Area area) {
  TenantPlan out = plan;
  const std::optional<int> level = plan.options.area_hardening[static_cast<std::size_t>(area)];
  if (level) out.rates.hardening = *level;
  return out;
}

Guid UserId(const TenantPlan& plan, std::uint64_t index) {
  Rng rng(Hash(plan.options.seed, index, kLaneUser));
  return NextGuid(rng);
}

UserFacts DescribeUser(const TenantPlan& plan, std::uint64_t index) {
  const ProfileRates& r = plan.rates;
  UserFacts u;
  u.index = index;
  Rng rng(Hash(plan.options.seed, index, kLaneUser));  // the same stream as UserId()
  u.id = NextGuid(rng);
  // Names: a permutation of the name combinations within each block, then a number on repeats,
  // so every UPN is unique without remembering which ones were used.
  constexpr std::uint64_t kCombos = kFirstNames.size() * kLastNames.size();
  const std::uint64_t combo = (index * 7919 + plan.options.seed) % kCombos;
  u.first = static_cast<std::uint32_t>(combo % kFirstNames.size());
  u.last = static_cast<std::uint32_t>(combo / kFirstNames.size());
  u.name_suffix = index / kCombos;
  u.break_glass = index < plan.break_glass;
  const std::uint64_t admin_end = plan.break_glass + plan.global_admins + plan.other_admins;
  u.guest = index >= admin_end && rng.Chance(r.guest);
  u.guest_domain = static_cast<std::uint32_t>(rng.Below(kGuestDomains.size()));
  u.enabled = u.break_glass || !rng.Chance(r.disabled);
  const bool cloud_only_admin = index < admin_end && r.hardening == 2;
  u.synced = plan.hybrid && !u.guest && !u.break_glass && !cloud_only_admin && rng.Chance(0.92);
  u.licensed = !u.guest && !u.break_glass && (u.enabled || rng.Chance(0.4));
  u.department = static_cast<std::uint32_t>(rng.Below(plan.departments));

  const std::int64_t lifetime = std::max<std::int64_t>(plan.now - plan.tenant_created, kDay);
  u.created = plan.tenant_created + rng.Between(0, lifetime - kDay);
  if (u.guest) u.created = std::max(u.created, plan.now - rng.Between(kDay, 700 * kDay));
  const std::int64_t age = plan.now - u.created;
  u.password_changed = plan.now - rng.Between(0, std::min<std::int64_t>(age, 540 * kDay));
  if (!u.enabled) {
    u.last_sign_in = rng.Chance(0.2) ? 0 : plan.now - rng.Between(60, 900) * kDay;
  } else if (rng.Chance(r.never_signed_in)) {
    u.last_sign_in = 0;
  } else if (rng.Chance(r.stale_sign_in)) {
    u.last_sign_in = plan.now - rng.Between(91 * kDay, 500 * kDay);
  } else {
    u.last_sign_in = plan.now - rng.Between(60, 14 * kDay);
  }
  if (u.last_sign_in != 0 && u.last_sign_in < u.created) u.last_sign_in = u.created + 3600;

  // Admin roles: break-glass and a few named Global Administrators, a guaranteed spread of
  // other roles, then about 0.5 % of the remaining members.
  Rng admin_rng(Hash(plan.options.seed, index, kLaneAdmin));
  const std::uint64_t role_count = Roles().size();
  if (u.break_glass) {
    u.role = 0;
  } else if (index < plan.break_glass + plan.global_admins) {
    u.role = 0;
    u.role_eligible = admin_rng.Chance(r.eligible_admin);
  } else if (index < admin_end) {
    u.role =
        static_cast<int>(1 + (index - plan.break_glass - plan.global_admins) % (role_count - 1));
  } else if (!u.guest && admin_rng.Below(200) == 0) {
    u.role = static_cast<int>(1 + admin_rng.Below(role_count - 1));
  }
  if (u.role > 0) {
    // Helpdesk and Security Reader are handed out through role-assignable groups (their
    // eligibility is the group's); the rest directly.
    const std::string_view name = Roles()[static_cast<std::size_t>(u.role)].display_name;
    if (name == "Helpdesk Administrator" || name == "Security Reader") {
      u.role_via = Via::kGroup;
    } else {
      u.role_eligible = admin_rng.Chance(r.eligible_admin);
    }
  }

  // Registration.
  const bool admin = u.role >= 0;
  double mfa_rate = admin ? r.admin_mfa_registered : r.mfa_registered;
  if (u.guest) mfa_rate *= 0.5;
  if (u.break_glass) mfa_rate = r.hardening == 0 ? 0.0 : 1.0;
  u.mfa_registered = rng.Chance(mfa_rate);
  auto add = [&u](std::string_view method) {
    for (std::size_t m = 0; m < kMethodNames.size(); ++m) {
      if (kMethodNames[m] == method) u.methods |= 1u << m;
    }
  };
  if (u.mfa_registered) {
    if (u.break_glass && r.hardening == 2) {
      add("fido2SecurityKey");
      u.passwordless = true;
      u.default_method = 0;
    } else if (rng.Chance(r.passwordless)) {
      u.passwordless = true;
      add("microsoftAuthenticatorPush");
      add(rng.Chance(0.5) ? "microsoftAuthenticatorPasswordless"
                          : (rng.Chance(0.6) ? "windowsHelloForBusiness" : "fido2SecurityKey"));
      if (rng.Chance(0.3)) add("passKeyDeviceBound");
      u.default_method = 2;
    } else if (rng.Chance(r.sms_only)) {
      add("mobilePhone");
      if (rng.Chance(0.2)) add("officePhone");
      u.default_method = rng.Chance(0.85) ? 1 : 4;
    } else {
      add("microsoftAuthenticatorPush");
      if (rng.Chance(0.5)) add("softwareOneTimePasscode");
      if (rng.Chance(0.4)) add("mobilePhone");
      u.default_method = rng.Chance(0.9) ? 2 : 3;
    }
    u.sspr_registered = !u.guest && (u.methods & ~(1u << 6)) != 0;
  } else if (!u.guest && rng.Chance(r.sspr_registered * 0.4)) {
    add("email");
    add("mobilePhone");
    u.sspr_registered = true;
    u.default_method = 0;
  }
  return u;
}

void WriteDisplayName(JsonSink& out, const UserFacts& u) {
  if (u.break_glass) {
    out.Format("\"Emergency Access {:02}\"", u.index + 1);
    return;
  }
  out.Char('"');
  out.Raw(kFirstNames[u.first]);
  out.Char(' ');
  out.Raw(kLastNames[u.last]);
  out.Char('"');
}

void WriteMailNickname(JsonSink& out, const UserFacts& u) {
  if (u.break_glass) {
    out.Format("breakglass{:02}", u.index + 1);
    return;
  }
  for (char c : kFirstNames[u.first]) out.Char(static_cast<char>(c | 0x20));
  out.Char('.');
  for (char c : kLastNames[u.last]) out.Char(static_cast<char>(c | 0x20));
  if (u.name_suffix != 0) out.Int(static_cast<std::int64_t>(u.name_suffix + 1));
}

void WriteUpn(JsonSink& out, const TenantPlan& plan, const UserFacts& u) {
  out.Char('"');
  WriteMailNickname(out, u);
  if (u.break_glass) {
    out.Char('@');
    out.Raw(plan.initial_domain);
  } else if (u.guest) {
    out.Char('_');
    out.Raw(kGuestDomains[u.guest_domain]);
    out.Raw("#EXT#@");
    out.Raw(plan.initial_domain);
  } else {
    out.Char('@');
    out.Raw(plan.primary_domain);
  }
  out.Char('"');
}

std::string_view FirstName(const UserFacts& u) { return kFirstNames[u.first]; }

std::string_view DepartmentName(std::uint32_t department) {
  return kDepartments[department % kDepartments.size()];
}

Guid NamedGuid(const TenantPlan& plan, std::string_view name) {
  std::uint64_t h = Hash(plan.options.seed, 0, kLaneNamed);
  for (char c : name) h = Mix64(h ^ static_cast<unsigned char>(c));
  return MakeGuid(h, Mix64(h + 1));
}

}  // namespace securescore::generate
