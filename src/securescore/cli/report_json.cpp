#include "securescore/cli/report.h"
#include "securescore/service/assess_json.h"

namespace securescore::cli {

// The writer is shared with `score` (service/assess_json.h), so both print one contract.
std::string RenderJson(const engine::Evaluation& ev) {
  return service::RenderAssessJson(service::FromEngine(ev));
}

}  // namespace securescore::cli
