// The generator's sections, one per source of the snapshot. Each writes the value of one
// `sources` key (a JSON object whose keys are the Graph paths, ScubaGear keys or cmdlet names
// that schema.cpp names) into the sink. Internal to the generate layer.
#pragma once

#include <cstdint>

#include "securescore/generate/json_sink.h"
#include "securescore/generate/plan.h"

namespace securescore::generate {

// Counts work units (users, devices) and calls the options' progress callback now and then.
class ProgressMeter {
 public:
  ProgressMeter(const ProgressFn& fn, std::uint64_t total) : fn_(fn), total_(total) {}
  void Step() {
    if (++done_ % 65536 == 0 && fn_) fn_(done_, total_);
  }
  void Finish() {
    if (fn_) fn_(total_, total_);
  }

 private:
  const ProgressFn& fn_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
};

// Writes `[`, calls item(i, sink) for i in [0, count) with commas and a newline between
// elements (so large arrays stay line-oriented), then `]`.
template <typename ItemFn>
void WriteArray(JsonSink& out, std::uint64_t count, ItemFn item) {
  out.Char('[');
  for (std::uint64_t i = 0; i < count; ++i) {
    if (i != 0) out.Raw(",\n");
    item(i);
    out.MaybeFlush();
  }
  out.Char(']');
}

void WriteGraphIdentity(const TenantPlan& plan, JsonSink& out, ProgressMeter& progress);
void WriteGraphPolicies(const TenantPlan& base, JsonSink& out);
void WriteGraphDevices(const TenantPlan& plan, JsonSink& out, ProgressMeter& progress);
void WriteScubaGear(const TenantPlan& plan, JsonSink& out);
void WritePowerShell(const TenantPlan& plan, JsonSink& out);

}  // namespace securescore::generate
