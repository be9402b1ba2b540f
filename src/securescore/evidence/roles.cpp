#include "securescore/evidence/roles.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace securescore::evidence {
namespace {

// Template ids from Microsoft's "Microsoft Entra built-in roles" reference. Privileged: SCuBA
// MS.AAD.7.1's list. Admin: the roles Secure Score's "Ensure multifactor authentication is
// enabled for all users in administrative roles" (AdminMFAV2) counts.
constexpr std::array<BuiltInRole, 15> kRoles{{
    {"62e90394-69f5-4237-9190-012177145e10", "Global Administrator", true, true},
    {"e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator", true, true},
    {"fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator", true, true},
    {"f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator", true, true},
    {"29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator", true, true},
    {"8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", "Hybrid Identity Administrator", true, false},
    {"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator", true, true},
    {"158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator", true, true},
    {"c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator", false, true},
    {"b0f54661-2d74-4c50-afa3-1ec803f12efe", "Billing Administrator", false, true},
    {"b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator", false, true},
    {"729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator", false, true},
    {"966707d0-3269-4727-9be2-8c3a10f19b9d", "Password Administrator", false, true},
    {"7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator", false,
     true},
    {"194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator", false, true},
}};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::ranges::equal(
      a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

}  // namespace

std::span<const BuiltInRole> BuiltInRoles() { return kRoles; }

const BuiltInRole* FindBuiltInRole(std::string_view template_id) {
  for (const auto& role : kRoles) {
    if (EqualsIgnoreCase(role.template_id, template_id)) return &role;
  }
  return nullptr;
}

const BuiltInRole* FindBuiltInRoleByName(std::string_view display_name) {
  for (const auto& role : kRoles) {
    if (EqualsIgnoreCase(role.display_name, display_name)) return &role;
  }
  return nullptr;
}

}  // namespace securescore::evidence
