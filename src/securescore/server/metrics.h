// Prometheus text metrics for /metrics: requests by route and status, a request-latency
// histogram, and evaluations stored through this process. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace securescore::server {

class Metrics {
 public:
  static constexpr std::array<double, 11> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   1.0,   5.0};

  void RecordRequest(const std::string& route, int status, double seconds);
  void RecordEvaluationStored();
  // The exposition text (text/plain; version=0.0.4).
  std::string Render() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::array<std::uint64_t, kBuckets.size()> bucket_counts_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
  std::uint64_t evaluations_ = 0;
};

}  // namespace securescore::server
