// Deterministic pseudo-random numbers for the snapshot generator.
//
// Everything here is integer arithmetic with fixed algorithms (SplitMix64 for seeding and
// hashing, xoshiro256** for streams), so the same seed gives the same bytes with any compiler
// or standard library — unlike std:: distributions, whose output is implementation-defined.
#pragma once

#include <cstdint>

namespace securescore::generate {

// SplitMix64's finaliser: a bijective 64-bit mix, good enough to turn (seed, index) into
// independent-looking values without keeping any state.
constexpr std::uint64_t Mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A hash of a seed and an index (and an optional lane, for independent facts about one index).
constexpr std::uint64_t Hash(std::uint64_t seed, std::uint64_t index, std::uint64_t lane = 0) {
  return Mix64(Mix64(seed ^ (lane * 0xd6e8feb86659fd93ULL)) + index);
}

// xoshiro256**: fast, small-state stream generator.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      word = Mix64(seed);
    }
  }

  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n) for n < 2^32, by multiply-shift (Lemire) on the top 32 bits; the bias
  // (under n / 2^32) is irrelevant for synthetic data and the result is exact everywhere.
  std::uint64_t Below(std::uint64_t n) { return ((Next() >> 32) * n) >> 32; }

  // Uniform in [lo, hi].
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // True with probability p (p in [0, 1]); compares 53-bit integers, so it is exact everywhere.
  bool Chance(double p) {
    const auto threshold = static_cast<std::uint64_t>(p * 9007199254740992.0);  // p * 2^53
    return (Next() >> 11) < threshold;
  }

 private:
  static constexpr std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace securescore::generate
