#include "securescore/service/actions.h"

#include <algorithm>
#include <cstdio>

#include "securescore/catalog/json_writer.h"
#include "securescore/service/time_text.h"

namespace securescore::service {
namespace {

// Shortest exact form, like the JSON numbers, so CSV and JSON agree.
std::string Number(double v) {
  catalog::JsonWriter w;
  w.Number(v);
  return w.str();
}

}  // namespace

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::vector<Action> RecommendedActions(const ScoreView& view) {
  std::vector<Action> out;
  const std::string evaluated = FormatTimestamp(view.evaluation.evaluated_at);
  for (size_t i = 0; i < view.controls.size(); ++i) {
    const ControlView& cv = view.controls[i];
    const core::ControlScore& cs = view.score.controls[i];
    if (cs.excluded) continue;
    Action a;
    a.id = cs.id;
    a.title = cv.evaluated.title;
    a.points = cs.points;
    a.max = cs.max;
    a.score_impact = cs.score_impact;
    a.status = core::ToString(cs.status);
    a.state = core::ToString(cs.state);
    a.category = cv.evaluated.category;
    a.service = cv.evaluated.service;
    if (cv.control != nullptr) {
      a.user_impact = cv.control->user_impact;
      a.implementation_cost = cv.control->implementation_cost;
    }
    a.regressed = cv.regressed;
    a.last_evaluated = evaluated;
    out.push_back(std::move(a));
  }
  std::stable_sort(out.begin(), out.end(), [](const Action& a, const Action& b) {
    if (a.score_impact != b.score_impact) return a.score_impact > b.score_impact;
    return a.id < b.id;
  });
  return out;
}

std::string RenderActionsCsv(const std::vector<Action>& actions) {
  std::string out =
      "id,title,points,max,scoreImpact,status,state,category,service,userImpact,"
      "implementationCost,regressed,lastEvaluated\r\n";
  for (const Action& a : actions) {
    for (const std::string& field :
         {CsvField(a.id), CsvField(a.title), Number(a.points), Number(a.max),
          Number(a.score_impact), a.status, a.state, CsvField(a.category), CsvField(a.service),
          CsvField(a.user_impact), CsvField(a.implementation_cost),
          std::string(a.regressed ? "true" : "false"), a.last_evaluated}) {
      out += field;
      out += ',';
    }
    out.back() = '\r';
    out += '\n';
  }
  return out;
}

std::string RenderActionsJson(const ScoreView& view, const std::vector<Action>& actions) {
  catalog::JsonWriter w(2);
  w.BeginObject().Key("tenant").BeginObject().Key("id").String(view.tenant.id);
  w.Key("displayName").String(view.tenant.display_name).EndObject();
  w.Key("actions").BeginArray();
  for (const Action& a : actions) {
    w.BeginObject().Key("id").String(a.id).Key("title").String(a.title);
    w.Key("points").Number(a.points).Key("max").Number(a.max);
    w.Key("scoreImpact").Number(a.score_impact).Key("status").String(a.status);
    w.Key("state").String(a.state).Key("category").String(a.category);
    w.Key("service").String(a.service).Key("userImpact").String(a.user_impact);
    w.Key("implementationCost").String(a.implementation_cost);
    w.Key("regressed").Bool(a.regressed).Key("lastEvaluated").String(a.last_evaluated);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.str() + "\n";
}

}  // namespace securescore::service
