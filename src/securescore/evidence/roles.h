// The directory roles that matter to scoring, by template id (the same in every tenant), for when
// a snapshot names roles without their definitions: ScubaGear lists roles by display name only,
// and a Graph snapshot may lack `roleDefinitions`.
//
//   const BuiltInRole* role = FindBuiltInRole("62e90394-69f5-4237-9190-012177145e10");
//   role->is_privileged;  // true: Global Administrator
#pragma once

#include <span>
#include <string_view>

namespace securescore::evidence {

struct BuiltInRole {
  std::string_view template_id;
  std::string_view display_name;
  // One of the highly privileged roles of CISA SCuBA MS.AAD.7.
  bool is_privileged = false;
  // One of the administrator roles Microsoft Secure Score's AdminMFAV2 counts.
  bool is_admin = false;
};

// Every role that is privileged or admin in the sense above.
std::span<const BuiltInRole> BuiltInRoles();

// By template id (case-insensitive); nullptr when the role is neither privileged nor admin.
const BuiltInRole* FindBuiltInRole(std::string_view template_id);

// By display name (case-insensitive), e.g. "Global Administrator"; nullptr when not listed.
const BuiltInRole* FindBuiltInRoleByName(std::string_view display_name);

}  // namespace securescore::evidence
