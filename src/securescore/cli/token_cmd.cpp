// `securescore token create --role reader|operator|admin [--tenant ID] [--expires DATE]
// [--name N]` prints only the new token on standard output (scripts capture it); `token list`
// shows ids, roles and scopes (never secrets); `token revoke ID`.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "securescore/cli/commands.h"
#include "securescore/cli/store_common.h"
#include "securescore/server/auth.h"
#include "securescore/service/time_text.h"

namespace securescore::cli {
namespace {

struct TokenArgs {
  std::string role;
  std::string tenant;
  std::string expires;
  std::string name;
  std::string id;
};

int Create(store::Store& store, const TokenArgs& args) {
  std::optional<server::Role> role = server::ParseRole(args.role);
  if (!role) {
    return ReportError(InvalidInput("--role must be reader, operator or admin", "--role"),
                       std::cerr);
  }
  server::TokenRequest request{*role, args.tenant, std::nullopt, args.name};
  if (!args.expires.empty()) {
    Result<store::Timestamp> t = service::ParseTimestamp(args.expires, "--expires");
    if (!t) return ReportError(t.error(), std::cerr);
    request.expires_at = *t;
  }
  Result<server::IssuedToken> issued = server::IssueToken(store, request, Now());
  if (!issued) return ReportError(issued.error(), std::cerr);
  (void)store.AppendAudit(
      {0, CurrentUser(), "token.create", "token/" + issued->record.id, "{}", Now()});
  std::cout << issued->token << std::endl;
  std::cerr << "token " << issued->record.id << " created (" << args.role
            << (args.tenant.empty() ? ", every tenant" : ", tenant " + args.tenant)
            << "); it is not shown again\n";
  return 0;
}

int List(store::Store& store) {
  Result<std::vector<store::AccessToken>> tokens = store.ListTokens();
  if (!tokens) return ReportError(tokens.error(), std::cerr);
  std::cout << fmt::format("{:<18} {:<9} {:<28} {:<21} {:<21} {}\n", "ID", "ROLE", "TENANT",
                           "EXPIRES", "REVOKED", "NAME");
  for (const store::AccessToken& t : *tokens) {
    std::cout << fmt::format("{:<18} {:<9} {:<28} {:<21} {:<21} {}\n", t.id, t.role,
                             t.tenant_id.empty() ? "*" : t.tenant_id,
                             t.expires_at ? service::FormatTimestamp(*t.expires_at) : "-",
                             t.revoked_at ? service::FormatTimestamp(*t.revoked_at) : "-", t.name);
  }
  return 0;
}

int Revoke(store::Store& store, const TokenArgs& args) {
  Status s = store.RevokeToken(args.id, Now());
  if (!s) return ReportError(s.error(), std::cerr);
  (void)store.AppendAudit({0, CurrentUser(), "token.revoke", "token/" + args.id, "{}", Now()});
  std::cerr << "token " << args.id << " revoked\n";
  return 0;
}

}  // namespace

void RegisterTokenCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<TokenArgs>();
  CLI::App* token = AddStoreCommand(app, "token", "API tokens: create, list, revoke");
  token->require_subcommand(1);
  CLI::App* create = AddStoreCommand(*token, "create", "Create a token; prints only the token");
  create->add_option("--role", args->role, "reader, operator or admin")->required();
  create->add_option("--tenant", args->tenant, "Scope to one tenant (default: every tenant)");
  create->add_option("--expires", args->expires, "Expiry date or time (ISO 8601)");
  create->add_option("--name", args->name, "A label shown by `token list`");
  create->callback([create, args, exit_code] {
    *exit_code = WithStore(*create, std::cerr, [&](store::Store& s) { return Create(s, *args); });
  });
  CLI::App* list = AddStoreCommand(*token, "list", "List tokens (never their secrets)");
  list->callback([list, exit_code] {
    *exit_code = WithStore(*list, std::cerr, [&](store::Store& s) { return List(s); });
  });
  CLI::App* revoke = AddStoreCommand(*token, "revoke", "Revoke a token by id");
  revoke->add_option("id", args->id, "Token id (from `token list`)")->required();
  revoke->callback([revoke, args, exit_code] {
    *exit_code = WithStore(*revoke, std::cerr, [&](store::Store& s) { return Revoke(s, *args); });
  });
}

}  // namespace securescore::cli
