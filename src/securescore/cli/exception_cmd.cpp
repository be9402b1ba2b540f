// `securescore exception add|list|remove`: entities left out of a control's count and total
// (say, two break-glass accounts and an MFA control), with rationale, owner and expiry.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "securescore/catalog/json_writer.h"
#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/store_common.h"
#include "securescore/service/score_view.h"
#include "securescore/service/time_text.h"

namespace securescore::cli {
namespace {

struct ExceptionArgs {
  std::string tenant;
  std::string control;
  std::string entity;
  std::string rationale;
  std::string owner;
  std::string expires;
  std::string by;
  std::string catalog_dir;
  std::string format = "table";
};

int Add(store::Store& store, const ExceptionArgs& a) {
  std::optional<catalog::Catalog> catalog = LoadCatalogForRun(a.catalog_dir, std::cerr);
  if (!catalog) return kExitBadInput;
  if (catalog->Find(a.control) == nullptr) {
    return ReportError(InvalidInput("no control '" + a.control + "' in the catalog", "CONTROL"),
                       std::cerr);
  }
  Result<store::Tenant> tenant = service::RequireTenant(store, a.tenant);
  if (!tenant) return ReportError(tenant.error(), std::cerr);
  const store::Timestamp now = Now();
  store::ExceptionRecord e{a.tenant,
                           a.control,
                           a.entity,
                           a.rationale,
                           a.owner,
                           std::nullopt,
                           a.by.empty() ? CurrentUser() : a.by,
                           now};
  if (!a.expires.empty()) {
    Result<store::Timestamp> expires = service::ParseTimestamp(a.expires, "--expires");
    if (!expires) return ReportError(expires.error(), std::cerr);
    e.expires_at = *expires;
  }
  Status s = store.AddException(e);
  if (!s) return ReportError(s.error(), std::cerr);
  std::cout << fmt::format("{}: {} is excepted from {}\n", a.tenant, a.entity, a.control);
  return kExitOk;
}

int List(store::Store& store, const ExceptionArgs& a) {
  Result<store::Tenant> tenant = service::RequireTenant(store, a.tenant);
  if (!tenant) return ReportError(tenant.error(), std::cerr);
  Result<std::vector<store::ExceptionRecord>> all = store.ListExceptions(a.tenant);
  if (!all) return ReportError(all.error(), std::cerr);
  const store::Timestamp now = Now();
  auto active = [&](const store::ExceptionRecord& e) {
    return !e.expires_at || *e.expires_at > now;
  };
  if (a.format == "json") {
    catalog::JsonWriter w(2);
    w.BeginArray();
    for (const auto& e : *all) {
      w.BeginObject().Key("control").String(e.control_id).Key("entityId").String(e.entity_id);
      w.Key("rationale").String(e.rationale).Key("owner").String(e.owner).Key("expiresAt");
      if (e.expires_at) {
        w.String(service::FormatTimestamp(*e.expires_at));
      } else {
        w.Null();
      }
      w.Key("active").Bool(active(e)).Key("createdBy").String(e.created_by);
      w.Key("createdAt").String(service::FormatTimestamp(e.created_at)).EndObject();
    }
    w.EndArray();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  std::vector<std::vector<TableCell>> rows = {
      {{"CONTROL", "1"}, {"ENTITY", "1"}, {"OWNER", "1"}, {"EXPIRES", "1"}, {"RATIONALE", "1"}}};
  for (const auto& e : *all) {
    std::string expires = e.expires_at ? service::FormatTimestamp(*e.expires_at) : "never";
    if (!active(e)) expires += " (expired)";
    rows.push_back(
        {{e.control_id, ""}, {e.entity_id, ""}, {e.owner, ""}, {expires, ""}, {e.rationale, ""}});
  }
  std::cout << AlignedTable(rows, std::vector<bool>(5, false), Style::ForStdout());
  return kExitOk;
}

int Remove(store::Store& store, const ExceptionArgs& a) {
  Result<store::Tenant> tenant = service::RequireTenant(store, a.tenant);
  if (!tenant) return ReportError(tenant.error(), std::cerr);
  Status s = store.RemoveException(a.tenant, a.control, a.entity);
  if (!s) return ReportError(s.error(), std::cerr);
  std::cout << fmt::format("{}: {} counts again for {}\n", a.tenant, a.entity, a.control);
  return kExitOk;
}

}  // namespace

void RegisterExceptionCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ExceptionArgs>();
  CLI::App* exception =
      AddStoreCommand(app, "exception", "Entities left out of a control: add, list, remove");
  exception->require_subcommand(1);
  auto bind = [&](CLI::App* cmd, int (*run)(store::Store&, const ExceptionArgs&)) {
    cmd->add_option("--tenant", args->tenant, "Tenant id")->required();
    cmd->callback([cmd, args, exit_code, run] {
      *exit_code = WithStore(*cmd, std::cerr, [&](store::Store& s) { return run(s, *args); });
    });
  };
  auto entity = [&](CLI::App* cmd) {
    cmd->add_option("CONTROL", args->control, "Control id")->required();
    cmd->add_option("ENTITY", args->entity, "Entity id as the control reports it (e.g. a UPN)")
        ->required();
  };
  CLI::App* add = AddStoreCommand(*exception, "add", "Leave an entity out of a control");
  entity(add);
  add->add_option("--rationale", args->rationale, "Why the entity is excepted")->required();
  add->add_option("--owner", args->owner, "Who answers for the exception");
  add->add_option("--expires", args->expires, "When the exception lapses (ISO 8601)");
  add->add_option("--by", args->by, "Who added it (default: $USER)");
  add->add_option("--catalog", args->catalog_dir, "Directory of extra control YAML files");
  bind(add, Add);
  CLI::App* list = AddStoreCommand(*exception, "list", "A tenant's exceptions");
  list->add_option("--format", args->format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  bind(list, List);
  CLI::App* remove = AddStoreCommand(*exception, "remove", "Count an entity again");
  entity(remove);
  bind(remove, Remove);
}

}  // namespace securescore::cli
