// Pieces shared by the per-source adapters (adapters_graph.cpp, adapters_scubagear.cpp,
// adapters_powershell.cpp): walking collections, binding on-demand scalars, and the row
// mappers for objects that Graph (camelCase) and ScubaGear (PascalCase) describe alike.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "securescore/evidence/adapters.h"

namespace securescore::evidence::internal {

namespace ondemand = simdjson::ondemand;

// Text of an object or array value as written in the input (throws when it is not one).
inline std::string_view ObjectText(ondemand::value& value) {
  ondemand::object object = value.get_object();
  return object.raw_json();
}
inline std::string_view ArrayText(ondemand::value& value) {
  ondemand::array array = value.get_array();
  return array.raw_json();
}

// Text of any on-demand value as written in the input (objects, arrays and scalars).
std::string_view RawJson(ondemand::value& value);

// Parses `raw` (one item's text) with the context's DOM parser; valid until the next call.
DomElement ParseItem(AdapterContext& ctx, std::string_view raw);

// "user" → "a user", "authorization policy" → "an authorization policy".
inline std::string WithArticle(std::string_view noun) {
  // "u" mostly sounds like "you": a user, a UTF-8 string.
  bool vowel = !noun.empty() && std::string_view("aeioAEIO").find(noun[0]) != noun.npos;
  return (vowel ? "an " : "a ") + std::string(noun);
}

// Calls fn(DomElement item, std::string_view raw_text, std::size_t index) for every object
// item of a collection value: each non-null element of an array, or — when `allow_single` —
// the value itself when it is an object (PowerShell writes a one-item collection as the bare
// object; some Graph singletons are objects). `what` names an item in messages ("user").
// Returns false, calling nothing, when the value is null (not collected).
template <typename Fn>
bool ForEachObjectItem(ondemand::value value, AdapterContext& ctx, std::string_view what,
                       bool allow_single, Fn&& fn) {
  ondemand::json_type type = value.type();
  if (type == ondemand::json_type::null) return false;
  if (type == ondemand::json_type::object && allow_single) {
    std::string_view raw = ObjectText(value);
    fn(ParseItem(ctx, raw), raw, std::size_t{0});
    return true;
  }
  if (type != ondemand::json_type::array) {
    throw InputError("expected " + std::string(allow_single ? "an object or " : "") +
                     "an array of " + std::string(what) + " objects, got " +
                     std::string(TypeName(type)));
  }
  std::size_t index = 0;
  ctx.path.PushIndex(0);
  for (ondemand::value item : value.get_array()) {
    ctx.path.SetIndex(index);
    ondemand::json_type item_type = item.type();
    if (item_type == ondemand::json_type::object) {
      std::string_view raw = ObjectText(item);
      fn(ParseItem(ctx, raw), raw, index);
    } else if (item_type != ondemand::json_type::null) {
      throw InputError("expected " + WithArticle(what) + " object, got " +
                       std::string(TypeName(item_type)));
    }
    ++index;
  }
  ctx.path.Pop();
  return true;
}

// Turns the exception being handled (InputError, simdjson_error, ...) into the Error a load
// reports: located at `name` and the JSON pointer of ctx.path, with a line and column when
// simdjson can tell where in `text` it stopped. Call only from a catch block.
// `doc_text` is the text `doc` iterates (the original, or the skeleton).
Error CurrentFailure(const AdapterContext& ctx, std::string_view name, std::string_view text,
                     ondemand::document* doc, std::string_view doc_text);

// The key of a field. Keys almost never contain escapes, so the raw bytes are used in place;
// only a key with a backslash is unescaped (a copy into the parser's string buffer).
inline std::string_view FieldKey(ondemand::field& field) {
  const char* start = field.key().raw();
  const char* end = start;
  bool escaped = false;
  // The closing quote exists: stage 1 rejected unclosed strings before we got here.
  while (*end != '"') escaped |= (*end++ == '\\');
  if (!escaped) return std::string_view(start, static_cast<std::size_t>(end - start));
  return field.unescaped_key().value();
}

// On-demand binders for the streaming paths. `field` names the key in messages.
void BindText(TableWriter& w, int column, ondemand::value value, std::string_view field);
void BindBool(TableWriter& w, int column, ondemand::value value, std::string_view field);

// "#microsoft.graph.user" → "user"; empty stays empty.
std::string_view ODataTypeName(std::string_view odata_type);

// ---- row mappers shared by Graph and ScubaGear (keys matched case-insensitively) ---------

void MapCaPolicy(DomElement policy, std::string_view raw, AdapterContext& ctx);
void MapAuthorizationPolicy(DomElement policy, std::string_view raw, AdapterContext& ctx);
void MapDirectorySetting(DomElement setting, AdapterContext& ctx);
// A methods policy ({authenticationMethodConfigurations: [...]}), ScubaGear's
// {authentication_method_feature_settings: [...]}, or one configuration.
void MapAuthMethods(DomElement item, AdapterContext& ctx);
void MapDomain(DomElement domain, AdapterContext& ctx);
void MapServicePrincipal(DomElement sp, AdapterContext& ctx);
// Returns the template id used (definition templateId, else its id).
void MapRoleDefinition(DomElement role, AdapterContext& ctx);
// One role_assignments row. `role_template_id`/`role_name` may be empty.
void MapRoleAssignment(DomElement assignment, std::string_view role_template_id,
                       std::string_view role_name, std::string_view kind, AdapterContext& ctx);
// A settings-collection row (item_index, identity, name, raw).
void MapSettingsItem(std::string_view table, DomElement item, std::string_view raw,
                     std::size_t index, AdapterContext& ctx);

// The settings table a ScubaGear key or PowerShell cmdlet fills, read from the `sources` text
// of the settings tables in schema.cpp (e.g. "ScubaGear `org_config`; powershell
// `Get-OrganizationConfig`"). Empty when none. `source` is "scubagear" or "powershell".
std::string_view SettingsTableFor(std::string_view source, std::string_view key);

}  // namespace securescore::evidence::internal
