// `securescore tenant add|list|show|remove`: the tenants the store keeps.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "securescore/catalog/json_writer.h"
#include "securescore/cli/commands.h"
#include "securescore/cli/common.h"
#include "securescore/cli/report.h"
#include "securescore/cli/store_common.h"
#include "securescore/service/score_view.h"
#include "securescore/service/time_text.h"

namespace securescore::cli {
namespace {

struct TenantArgs {
  std::string id;
  std::string name;
  std::string industry;
  std::int64_t seats = 0;
  std::string format = "table";
};

// Opens the tenant's object and leaves it open for more keys.
catalog::JsonWriter& WriteTenant(catalog::JsonWriter& w, const store::Tenant& t) {
  w.BeginObject().Key("id").String(t.id).Key("displayName").String(t.display_name);
  return w.Key("industry").String(t.industry).Key("seats").Int(t.seats);
}

int Add(store::Store& store, const TenantArgs& a) {
  if (a.seats < 0) return ReportError(InvalidInput("cannot be negative", "--seats"), std::cerr);
  Status s = store.UpsertTenant({a.id, a.name.empty() ? a.id : a.name, a.industry, a.seats});
  if (!s) return ReportError(s.error(), std::cerr);
  std::cout << "tenant " << a.id << " saved\n";
  return kExitOk;
}

int List(store::Store& store, const TenantArgs& a) {
  Result<std::vector<store::Tenant>> tenants = store.ListTenants();
  if (!tenants) return ReportError(tenants.error(), std::cerr);
  if (a.format == "json") {
    catalog::JsonWriter w(2);
    w.BeginArray();
    for (const store::Tenant& t : *tenants) WriteTenant(w, t).EndObject();
    w.EndArray();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  Style style = Style::ForStdout();
  std::vector<std::vector<TableCell>> rows = {
      {{"ID", "1"}, {"NAME", "1"}, {"INDUSTRY", "1"}, {"SEATS", "1"}}};
  for (const store::Tenant& t : *tenants) {
    rows.push_back({{t.id, ""},
                    {t.display_name, ""},
                    {t.industry, ""},
                    {t.seats > 0 ? std::to_string(t.seats) : "", ""}});
  }
  std::cout << AlignedTable(rows, {false, false, false, true}, style);
  if (tenants->empty()) std::cout << "no tenants yet: `securescore ingest FILE` adds them\n";
  return kExitOk;
}

int Show(store::Store& store, const TenantArgs& a) {
  Result<store::Tenant> t = service::RequireTenant(store, a.id);
  if (!t) return ReportError(t.error(), std::cerr);
  Result<std::vector<store::SnapshotInfo>> snapshots = store.ListSnapshots(a.id);
  if (!snapshots) return ReportError(snapshots.error(), std::cerr);
  Result<std::vector<store::EvaluationSummary>> evaluations = store.ListEvaluations(a.id, {});
  if (!evaluations) return ReportError(evaluations.error(), std::cerr);
  const store::EvaluationSummary* latest = evaluations->empty() ? nullptr : &evaluations->back();
  if (a.format == "json") {
    catalog::JsonWriter w(2);
    WriteTenant(w, *t);
    w.Key("snapshots").Int(static_cast<std::int64_t>(snapshots->size()));
    w.Key("evaluations").Int(static_cast<std::int64_t>(evaluations->size()));
    w.Key("latest");
    if (latest != nullptr) {
      w.BeginObject().Key("id").Int(latest->id);
      w.Key("evaluatedAt").String(service::FormatTimestamp(latest->evaluated_at));
      w.Key("current").Number(latest->current).Key("max").Number(latest->max);
      w.Key("percentage").Number(latest->percentage).EndObject();
    } else {
      w.Null();
    }
    w.EndObject();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  std::cout << fmt::format("tenant      {}\nname        {}\nindustry    {}\nseats       {}\n",
                           t->id, t->display_name, t->industry.empty() ? "-" : t->industry,
                           t->seats > 0 ? std::to_string(t->seats) : "-");
  std::cout << fmt::format("snapshots   {}\nevaluations {}\n", snapshots->size(),
                           evaluations->size());
  if (latest != nullptr) {
    std::cout << fmt::format("latest      {} / {} ({} %) evaluated {}\n", Fixed2(latest->current),
                             Fixed2(latest->max), Fixed2(latest->percentage),
                             service::FormatTimestamp(latest->evaluated_at));
  }
  return kExitOk;
}

int Remove(store::Store& store, const TenantArgs& a) {
  Status s = store.RemoveTenant(a.id);
  if (!s && s.error().code == ErrorCode::kNotFound) {
    return ReportError(service::UnknownTenant(a.id), std::cerr);
  }
  if (!s) return ReportError(s.error(), std::cerr);
  std::cout << "tenant " << a.id << " and everything stored for it removed\n";
  return kExitOk;
}

}  // namespace

void RegisterTenantCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<TenantArgs>();
  CLI::App* tenant =
      AddStoreCommand(app, "tenant", "Tenants in the store: add, list, show, remove");
  tenant->require_subcommand(1);
  auto bind = [&](CLI::App* cmd, int (*run)(store::Store&, const TenantArgs&)) {
    cmd->callback([cmd, args, exit_code, run] {
      *exit_code = WithStore(*cmd, std::cerr, [&](store::Store& s) { return run(s, *args); });
    });
  };
  CLI::App* add = AddStoreCommand(*tenant, "add", "Add a tenant or update its details");
  add->add_option("ID", args->id, "Tenant id (the Entra tenant GUID, or any name)")->required();
  add->add_option("--name", args->name, "Display name (default: the id)");
  add->add_option("--industry", args->industry, "Industry, for comparison (e.g. Finance)");
  add->add_option("--seats", args->seats, "Licensed users, for comparison by seat band");
  bind(add, Add);
  CLI::App* list = AddStoreCommand(*tenant, "list", "List the tenants");
  list->add_option("--format", args->format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  bind(list, List);
  CLI::App* show = AddStoreCommand(*tenant, "show", "A tenant's details and latest score");
  show->add_option("ID", args->id, "Tenant id")->required();
  show->add_option("--format", args->format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  bind(show, Show);
  CLI::App* remove =
      AddStoreCommand(*tenant, "remove", "Remove a tenant and everything stored for it");
  remove->add_option("ID", args->id, "Tenant id")->required();
  bind(remove, Remove);
}

}  // namespace securescore::cli
