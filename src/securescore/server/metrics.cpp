#include "securescore/server/metrics.h"

#include <fmt/format.h>

namespace securescore::server {

void Metrics::RecordRequest(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route.empty() ? std::string("(none)") : route, status}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++bucket_counts_[i];
  }
  ++count_;
  sum_ += seconds;
}

void Metrics::RecordEvaluationStored() {
  std::lock_guard<std::mutex> lock(mu_);
  ++evaluations_;
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out =
      "# HELP securescore_http_requests_total HTTP requests by route pattern and status.\n"
      "# TYPE securescore_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out += fmt::format("securescore_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                       key.first, key.second, n);
  }
  out +=
      "# HELP securescore_http_request_duration_seconds Time from request to response.\n"
      "# TYPE securescore_http_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    out += fmt::format("securescore_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                       kBuckets[i], bucket_counts_[i]);
  }
  out += fmt::format(
      "securescore_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n"
      "securescore_http_request_duration_seconds_sum {}\n"
      "securescore_http_request_duration_seconds_count {}\n",
      count_, sum_, count_);
  out += fmt::format(
      "# HELP securescore_evaluations_stored_total Evaluations stored through this server.\n"
      "# TYPE securescore_evaluations_stored_total counter\n"
      "securescore_evaluations_stored_total {}\n",
      evaluations_);
  return out;
}

}  // namespace securescore::server
