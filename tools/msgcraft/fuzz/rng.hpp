#pragma once
/// The fuzzer's random numbers: xoshiro256** seeded through splitmix64, with its own uniform
/// helpers, so a --seed gives the same cases on every platform and standard library.
#include <cstddef>
#include <cstdint>
#include <span>

namespace msgcraft::fuzz {

class rng {
public:
   explicit rng(uint64_t seed) {
      for (auto& w : s_)
         w = splitmix(seed);
   }
   /// A generator for one run of a campaign: independent of what earlier runs drew, so run k's
   /// case depends only on (seed, k).
   static rng for_run(uint64_t seed, uint64_t run) { return rng(seed ^ (0x9e3779b97f4a7c15ULL * (run + 1))); }

   uint64_t next() {
      const uint64_t out = rotl(s_[1] * 5, 7) * 9;
      const uint64_t t = s_[1] << 17;
      s_[2] ^= s_[0];
      s_[3] ^= s_[1];
      s_[1] ^= s_[2];
      s_[0] ^= s_[3];
      s_[2] ^= t;
      s_[3] = rotl(s_[3], 45);
      return out;
   }
   /// Uniform in [0, n); n > 0.
   uint64_t below(uint64_t n) {
      const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
      uint64_t v;
      do
         v = next();
      while (v >= limit);
      return v % n;
   }
   /// Uniform in [lo, hi].
   uint64_t between(uint64_t lo, uint64_t hi) { return lo + below(hi - lo + 1); }
   bool percent(unsigned p) { return below(100) < p; }
   template <class T>
   const T& pick(std::span<const T> items) {
      return items[below(items.size())];
   }

private:
   static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
   static uint64_t splitmix(uint64_t& x) {
      uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      return z ^ (z >> 31);
   }
   uint64_t s_[4];
};

} // namespace msgcraft::fuzz
