// Rng: a small deterministic pseudo-random generator (SplitMix64) for the sandboxes.
//
// Unlike the <random> distributions, whose output differs between standard libraries, every
// method here is fully specified, so the same seed gives the same data on every machine: seeded
// portals, fault decisions and jitter are reproducible.
//
// Not thread-safe: one Rng per thread or per guarded object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tajo::sandbox {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) : state_(seed) {}

  // Next 64 random bits.
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n). REQUIRES: n > 0. (Modulo bias is negligible for the small n used here.)
  uint64_t Below(uint64_t n) { return Next() % n; }
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
  // True with probability p (p <= 0: never; p >= 1: always).
  bool Chance(double p) { return p > 0 && (p >= 1 || Unit() < p); }
  // A uniformly chosen element. REQUIRES: !items.empty().
  template <typename T>
  const T& Pick(const std::vector<T>& items) { return items[Below(items.size())]; }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) { return items[Below(N)]; }

  // A derived generator whose stream does not overlap this one in practice (for sub-tasks that
  // must not shift the main stream when they draw more or fewer numbers).
  Rng Fork(uint64_t salt) { return Rng(Next() ^ (salt * 0xD1B54A32D192ED03ULL)); }

 private:
  uint64_t state_;
};

// A stable 64-bit hash (FNV-1a), for deriving seeds from names.
inline uint64_t StableHash(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace tajo::sandbox
