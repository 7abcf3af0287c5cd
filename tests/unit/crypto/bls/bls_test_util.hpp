#pragma once
/// Helpers shared by the BLS tests: the data files next to them, hex, deterministic randomness.
#include "codec/hex.hpp"
#include "crypto/bls/detail/fp12.hpp"
#include "crypto/bls/detail/g1.hpp"
#include "crypto/bls/detail/g2.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace bls_test {

/// Lines of tests/unit/crypto/bls/data/<name>, split on spaces, without '#' comments and blank lines.
inline std::vector<std::vector<std::string>> data_lines(const std::string& name) {
   std::ifstream f(std::string(BLS_TEST_DATA) + "/" + name);
   REQUIRE(f.good());
   std::vector<std::vector<std::string>> out;
   std::string line;
   while (std::getline(f, line)) {
      if (line.empty() || line[0] == '#')
         continue;
      std::istringstream s(line);
      std::vector<std::string> fields;
      for (std::string w; s >> w;)
         fields.push_back(w);
      out.push_back(fields);
   }
   return out;
}

inline std::vector<uint8_t> unhex(const std::string& h) {
   auto b = core::from_hex(h);
   REQUIRE(b.has_value());
   return *b;
}

inline std::span<const uint8_t> bytes_of(std::string_view s) {
   return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

/// A big-endian hex field element (at most 96 digits).
inline core::bls::detail::fp fp_of(const std::string& h) {
   std::string padded = std::string(96 - h.size(), '0') + h;
   const auto b = unhex(padded);
   core::bls::detail::fp out;
   REQUIRE(core::bls::detail::fp::from_bytes_be(std::span<const uint8_t, 48>(b.data(), 48), out));
   return out;
}

inline std::string hex_of(const core::bls::detail::fp& a) {
   std::array<uint8_t, 48> b;
   a.to_bytes_be(b);
   return core::to_hex(b);
}

/// Deterministic randomness, so that a failing run can be repeated.
struct rng {
   std::mt19937_64 gen{0x5eed};
   std::vector<uint8_t> bytes(std::size_t n) {
      std::vector<uint8_t> b(n);
      for (auto& x : b)
         x = uint8_t(gen());
      return b;
   }
   core::bls::detail::fp fp() {
      const auto b = bytes(64);
      return core::bls::detail::fp::from_bytes_be_wide(std::span<const uint8_t, 64>(b.data(), 64));
   }
   core::bls::detail::fp2 fp2() { return {fp(), fp()}; }
   core::bls::detail::fp6 fp6() { return {fp2(), fp2(), fp2()}; }
   core::bls::detail::fp12 fp12() { return {fp6(), fp6()}; }
   std::array<uint64_t, 4> scalar() { return {gen(), gen(), gen(), gen() >> 2}; }
};

/// [r]P == O: the slow, obviously correct subgroup test.
template <class F>
bool order_divides_r(const core::bls::detail::affine<F>& p) {
   return core::bls::detail::mul_vartime(core::bls::detail::to_jacobian(p), core::bls::detail::r_limbs).is_identity();
}

/// A point of E1 (not of G1 in general): the first x from `r` with x^3 + 4 a square.
inline core::bls::detail::g1_affine random_e1_point(rng& r) {
   using namespace core::bls::detail;
   for (;;) {
      const fp x = r.fp();
      const fp rhs = x.square() * x + g1_curve::b;
      const fp y = rhs.sqrt_candidate();
      if (y.square() == rhs)
         return {x, y, false};
   }
}

/// A point of E2 (not of G2 in general).
inline core::bls::detail::g2_affine random_e2_point(rng& r) {
   using namespace core::bls::detail;
   for (;;) {
      const fp2 x = r.fp2();
      if (auto y = (x.square() * x + g2_curve::b).sqrt())
         return {x, *y, false};
   }
}

} // namespace bls_test
