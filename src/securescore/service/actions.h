// The recommended-actions list: every assessed control of the current score (score_view.h)
// that can still earn points first, highest score impact first — what to do next, as CSV for
// spreadsheets and JSON for tools.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "securescore/service/score_view.h"

namespace securescore::service {

struct Action {
  std::string id;
  std::string title;
  double points = 0;
  double max = 0;
  double score_impact = 0;
  std::string status;  // DESIGN §2 status
  std::string state;   // DESIGN §2 state
  std::string category;
  std::string service;
  std::string user_impact;          // from the catalog; empty when the control left it
  std::string implementation_cost;  // from the catalog
  bool regressed = false;
  std::string last_evaluated;  // ISO 8601
};

// Assessed controls only (not_applicable, no_data and error ones have no points to earn), by
// score impact descending, then id.
std::vector<Action> RecommendedActions(const ScoreView& view);

// RFC 4180 field: quoted when it holds a comma, quote or line break.
std::string CsvField(std::string_view s);

// Header: id,title,points,max,scoreImpact,status,state,category,service,userImpact,
// implementationCost,regressed,lastEvaluated. RFC 4180 quoting.
std::string RenderActionsCsv(const std::vector<Action>& actions);
// {"tenant":{"id","displayName"},"actions":[{…the same fields…}]}
std::string RenderActionsJson(const ScoreView& view, const std::vector<Action>& actions);

}  // namespace securescore::service
