// `securescore state set|list|history`: a person's decisions about controls (DESIGN §2) and
// their append-only history.
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

struct StateArgs {
  std::string tenant;
  std::string control;
  std::string state;
  std::string comment;
  std::string assignee;
  std::string expires;
  std::string by;
  std::vector<std::string> tags;
  std::string catalog_dir;
  std::string format = "table";
};

void WriteRecord(catalog::JsonWriter& w, const store::ControlStateRecord& r) {
  w.BeginObject().Key("tenant").String(r.tenant_id).Key("control").String(r.control_id);
  w.Key("state").String(core::ToString(r.state)).Key("comment").String(r.comment);
  w.Key("assignee").String(r.assignee).Key("tags").BeginArray();
  for (const std::string& t : r.tags) w.String(t);
  w.EndArray().Key("expiresAt");
  if (r.expires_at) {
    w.String(service::FormatTimestamp(*r.expires_at));
  } else {
    w.Null();
  }
  w.Key("updatedBy").String(r.updated_by);
  w.Key("updatedAt").String(service::FormatTimestamp(r.updated_at)).EndObject();
}

int Set(store::Store& store, const StateArgs& a) {
  Result<core::ControlState> state = ParseStateName(a.state);
  if (!state) return ReportError(state.error(), std::cerr);
  std::optional<catalog::Catalog> catalog = LoadCatalogForRun(a.catalog_dir, std::cerr);
  if (!catalog) return kExitBadInput;
  if (catalog->Find(a.control) == nullptr) {
    return ReportError(InvalidInput("no control '" + a.control +
                                        "' in the catalog (see `securescore catalog list`)",
                                    "CONTROL"),
                       std::cerr);
  }
  Result<store::Tenant> tenant = service::RequireTenant(store, a.tenant);
  if (!tenant) return ReportError(tenant.error(), std::cerr);
  const store::Timestamp now = Now();
  store::ControlStateChange change;
  store::ControlStateRecord& r = change.record;
  r.tenant_id = a.tenant;
  r.control_id = a.control;
  r.state = *state;
  r.comment = a.comment;
  r.assignee = a.assignee;
  r.tags = a.tags;
  if (!a.expires.empty()) {
    Result<store::Timestamp> expires = service::ParseTimestamp(a.expires, "--expires");
    if (!expires) return ReportError(expires.error(), std::cerr);
    if (*expires <= now) {
      return ReportError(InvalidInput("the expiry is in the past", "--expires"), std::cerr);
    }
    r.expires_at = *expires;
  }
  r.updated_by = a.by.empty() ? CurrentUser() : a.by;
  r.updated_at = now;
  change.reason = a.comment;
  Result<store::ControlStateRecord> saved = store.SetControlState(change);
  if (!saved) return ReportError(saved.error(), std::cerr);
  (void)store.AppendAudit({0, r.updated_by, "state.set",
                           "tenant/" + a.tenant + "/control/" + a.control,
                           fmt::format("{{\"state\":\"{}\"}}", core::ToString(*state)), now});
  if (a.format == "json") {
    catalog::JsonWriter w(2);
    WriteRecord(w, *saved);
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  std::cout << fmt::format("{}: {} is now {}", a.tenant, a.control, core::ToString(*state));
  Result<service::ScoreView> view = service::CurrentScore(store, *catalog, a.tenant, now);
  if (view) {
    std::cout << fmt::format("; score {} / {} ({} %)", Fixed2(view->score.current),
                             Fixed2(view->score.max), Fixed2(view->score.percentage));
  }
  std::cout << "\n";
  return kExitOk;
}

int List(store::Store& store, const StateArgs& a) {
  Result<store::Tenant> tenant = service::RequireTenant(store, a.tenant);
  if (!tenant) return ReportError(tenant.error(), std::cerr);
  if (Result<std::vector<store::StateHistoryEntry>> e = store.ExpireStates(Now()); !e) {
    return ReportError(e.error(), std::cerr);
  }
  Result<std::vector<store::ControlStateRecord>> states = store.ListControlStates(a.tenant);
  if (!states) return ReportError(states.error(), std::cerr);
  if (a.format == "json") {
    catalog::JsonWriter w(2);
    w.BeginArray();
    for (const auto& r : *states) WriteRecord(w, r);
    w.EndArray();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  std::vector<std::vector<TableCell>> rows = {{{"CONTROL", "1"},
                                               {"STATE", "1"},
                                               {"ASSIGNEE", "1"},
                                               {"EXPIRES", "1"},
                                               {"BY", "1"},
                                               {"COMMENT", "1"}}};
  for (const auto& r : *states) {
    rows.push_back(
        {{r.control_id, ""},
         {std::string(core::ToString(r.state)), ""},
         {r.assignee, ""},
         {r.expires_at ? service::FormatDay(std::chrono::floor<std::chrono::days>(*r.expires_at))
                       : "",
          ""},
         {r.updated_by, ""},
         {r.comment, ""}});
  }
  std::cout << AlignedTable(rows, std::vector<bool>(6, false), Style::ForStdout());
  return kExitOk;
}

int History(store::Store& store, const StateArgs& a) {
  Result<store::Tenant> tenant = service::RequireTenant(store, a.tenant);
  if (!tenant) return ReportError(tenant.error(), std::cerr);
  if (Result<std::vector<store::StateHistoryEntry>> e = store.ExpireStates(Now()); !e) {
    return ReportError(e.error(), std::cerr);
  }
  Result<std::vector<store::StateHistoryEntry>> history = store.StateHistory(a.tenant, a.control);
  if (!history) return ReportError(history.error(), std::cerr);
  if (a.format == "json") {
    catalog::JsonWriter w(2);
    w.BeginArray();
    for (const auto& e : *history) {
      w.BeginObject().Key("id").Int(e.id).Key("control").String(e.control_id);
      w.Key("from").String(core::ToString(e.from)).Key("to").String(core::ToString(e.to));
      w.Key("changedBy").String(e.changed_by);
      w.Key("changedAt").String(service::FormatTimestamp(e.changed_at));
      w.Key("reason").String(e.reason).EndObject();
    }
    w.EndArray();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  std::vector<std::vector<TableCell>> rows = {
      {{"WHEN", "1"}, {"CONTROL", "1"}, {"CHANGE", "1"}, {"BY", "1"}, {"WHY", "1"}}};
  for (const auto& e : *history) {
    rows.push_back({{service::FormatTimestamp(e.changed_at), ""},
                    {e.control_id, ""},
                    {fmt::format("{} → {}", core::ToString(e.from), core::ToString(e.to)), ""},
                    {e.changed_by, ""},
                    {e.reason, ""}});
  }
  std::cout << AlignedTable(rows, std::vector<bool>(5, false), Style::ForStdout());
  return kExitOk;
}

void AddFormat(CLI::App* cmd, std::string& format) {
  cmd->add_option("--format", format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
}

}  // namespace

void RegisterStateCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<StateArgs>();
  CLI::App* state = AddStoreCommand(app, "state", "Control states: set, list, history");
  state->require_subcommand(1);
  auto bind = [&](CLI::App* cmd, int (*run)(store::Store&, const StateArgs&)) {
    cmd->add_option("--tenant", args->tenant, "Tenant id")->required();
    AddFormat(cmd, args->format);
    cmd->callback([cmd, args, exit_code, run] {
      *exit_code = WithStore(*cmd, std::cerr, [&](store::Store& s) { return run(s, *args); });
    });
  };
  CLI::App* set = AddStoreCommand(*state, "set", "Set a control's state");
  set->add_option("CONTROL", args->control, "Control id (see `securescore catalog list`)")
      ->required();
  set->add_option("STATE", args->state,
                  "to_address, planned, risk_accepted, third_party, alternate_mitigation or "
                  "reviewed")
      ->required();
  set->add_option("--comment", args->comment, "Why (kept in the history)");
  set->add_option("--assignee", args->assignee, "Who is to act on it");
  set->add_option("--expires", args->expires,
                  "When the state lapses back to to_address (ISO 8601 date or time)");
  set->add_option("--by", args->by, "Who decided (default: $USER)");
  set->add_option("--tags", args->tags, "Tags, comma-separated")->delimiter(',');
  set->add_option("--catalog", args->catalog_dir, "Directory of extra control YAML files");
  bind(set, Set);
  CLI::App* list = AddStoreCommand(*state, "list", "The states in force for a tenant");
  bind(list, List);
  CLI::App* history = AddStoreCommand(*state, "history", "Every state change, oldest first");
  history->add_option("CONTROL", args->control, "Only this control");
  bind(history, History);
}

}  // namespace securescore::cli
