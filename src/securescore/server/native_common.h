// Pieces the native route files share: JSON of actions and tenants, and helpers that turn a
// Result into a response.
#pragma once

#include <string>
#include <vector>

#include "securescore/catalog/json_writer.h"
#include "securescore/server/router.h"
#include "securescore/server/score_cache.h"

namespace securescore::server {

// Writes one action item of GET …/actions (docs/api.md) as an object.
void WriteActionItem(catalog::JsonWriter& w, const service::ControlView& control,
                     const core::ControlScore& score);

// The body of an optional timestamp: the ISO text or null.
void WriteOptionalTime(catalog::JsonWriter& w, const std::optional<store::Timestamp>& t);

// Writes `{"updated":n}`.
HttpResponse UpdatedResponse(int n);

// Sets one control's state record from a JSON body's fields (state, comment, assignee, tags,
// expiresAt), keeping the fields the body leaves out. Returns the record stored.
Result<store::ControlStateRecord> ApplyStateChange(store::Store& store,
                                                   const std::string& tenant_id,
                                                   const std::string& control_id,
                                                   const class JsonBody& body,
                                                   const std::string& actor, store::Timestamp now);

// "token:<id>": how a principal appears in state history and audit.
std::string ActorOf(const Principal& principal);

// Registers the admin routes: tokens, alert rules and deliveries (native_admin.cpp).
void AddAdminRoutes(Router& router);

}  // namespace securescore::server
