// bench_parse FILE: the baseline DESIGN §7 compares `assess` against. Reads FILE and makes one
// simdjson On-Demand pass that touches every value (unescapes every key and string, converts
// every number), which is the least work any tool reading the whole file must do.
//
//   bench_parse build/bench-data/tenant-1000000.json
//   → file=… bytes=1517707697 values=… read_s=0.41 parse_s=1.92 total_s=2.33 GB/s=0.79
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>

namespace {

struct Tally {
  std::uint64_t values = 0;
  std::uint64_t string_bytes = 0;
  double number_sum = 0;  // consumed so the conversions cannot be optimised away
  std::uint64_t trues = 0;
};

void Walk(simdjson::ondemand::value value, Tally& tally) {
  ++tally.values;
  switch (value.type()) {
    case simdjson::ondemand::json_type::object:
      for (auto field : value.get_object()) {
        tally.string_bytes += std::string_view(field.unescaped_key()).size();
        Walk(field.value(), tally);
      }
      break;
    case simdjson::ondemand::json_type::array:
      for (auto element : value.get_array()) Walk(element.value(), tally);
      break;
    case simdjson::ondemand::json_type::string:
      tally.string_bytes += std::string_view(value.get_string()).size();
      break;
    case simdjson::ondemand::json_type::number:
      tally.number_sum += double(value.get_double());
      break;
    case simdjson::ondemand::json_type::boolean:
      tally.trues += bool(value.get_bool()) ? 1 : 0;
      break;
    case simdjson::ondemand::json_type::null: (void)value.is_null(); break;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bench_parse FILE\n");
    return 2;
  }
  try {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    simdjson::padded_string json = simdjson::padded_string::load(argv[1]);
    const auto loaded = Clock::now();
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc = parser.iterate(json);
    Tally tally;
    Walk(doc.get_value(), tally);
    const auto done = Clock::now();
    const auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
    std::printf(
        "file=%s bytes=%zu values=%llu read_s=%.3f parse_s=%.3f total_s=%.3f GB/s=%.2f "
        "checksum=%.6g\n",
        argv[1], json.size(), static_cast<unsigned long long>(tally.values),
        seconds(loaded - start), seconds(done - loaded), seconds(done - start),
        static_cast<double>(json.size()) / 1e9 / seconds(done - loaded),
        tally.number_sum + static_cast<double>(tally.string_bytes + tally.trues));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_parse: %s: %s\n", argv[1], e.what());
    return 2;
  }
  return 0;
}
