#pragma once
/// Internal: Fp2 = Fp[u]/(u^2 + 1), elements c0 + c1·u. Same timing rules as fp.hpp: arithmetic is
/// branch-free; sqrt and the predicates are for public data.
#include "crypto/bls/detail/fp.hpp"

#include <optional>

namespace core::bls::detail {

struct fp2 {
   fp c0, c1;

   static constexpr fp2 zero() { return {}; }
   static constexpr fp2 one() { return {fp::one(), fp::zero()}; }
   static constexpr fp2 from_hex(const char* c0, const char* c1) { return {fp::from_hex(c0), fp::from_hex(c1)}; }

   constexpr bool is_zero() const { return c0.is_zero() && c1.is_zero(); }
   friend constexpr bool operator==(const fp2& a, const fp2& b) { return a.c0 == b.c0 && a.c1 == b.c1; }

   friend constexpr fp2 operator+(const fp2& a, const fp2& b) { return {a.c0 + b.c0, a.c1 + b.c1}; }
   friend constexpr fp2 operator-(const fp2& a, const fp2& b) { return {a.c0 - b.c0, a.c1 - b.c1}; }
   constexpr fp2 operator-() const { return {-c0, -c1}; }
   /// Karatsuba: three base-field products.
   friend constexpr fp2 operator*(const fp2& a, const fp2& b) {
      const fp v0 = a.c0 * b.c0;
      const fp v1 = a.c1 * b.c1;
      return {v0 - v1, (a.c0 + a.c1) * (b.c0 + b.c1) - v0 - v1};
   }
   friend constexpr fp2 operator*(const fp2& a, const fp& s) { return {a.c0 * s, a.c1 * s}; }
   fp2& operator+=(const fp2& b) { return *this = *this + b; }
   fp2& operator-=(const fp2& b) { return *this = *this - b; }
   fp2& operator*=(const fp2& b) { return *this = *this * b; }

   /// (c0 + c1)(c0 - c1) + 2·c0·c1·u: two products.
   constexpr fp2 square() const { return {(c0 + c1) * (c0 - c1), (c0 * c1).dbl()}; }
   constexpr fp2 dbl() const { return {c0.dbl(), c1.dbl()}; }
   fp2 half() const { return {c0.half(), c1.half()}; }
   /// Multiplication by the non-residue xi = 1 + u that defines Fp6.
   constexpr fp2 mul_by_xi() const { return {c0 - c1, c0 + c1}; }
   /// The conjugate c0 - c1·u, which is also the Frobenius map a^p.
   constexpr fp2 conj() const { return {c0, -c1}; }

   /// a^-1 through the norm c0^2 + c1^2; 0 maps to 0. Constant time.
   fp2 inverse() const;
   /// a^e for a public exponent (little-endian limbs).
   template <std::size_t N>
   fp2 pow(const std::array<uint64_t, N>& e) const;
   /// A square root when one exists (public data only).
   std::optional<fp2> sqrt() const;
   /// True if a is a square in Fp2 (zero included).
   bool is_square() const;
   /// RFC 9380 sgn0 for m = 2.
   bool sgn0() const;
   static fp2 select(bool pick_b, const fp2& a, const fp2& b) {
      return {fp::select(pick_b, a.c0, b.c0), fp::select(pick_b, a.c1, b.c1)};
   }
};

template <std::size_t N>
fp2 fp2::pow(const std::array<uint64_t, N>& e) const {
   fp2 r = one();
   for (std::size_t i = N; i-- > 0;)
      for (int b = 63; b >= 0; --b) {
         r = r.square();
         if ((e[i] >> b) & 1)
            r = r * *this;
      }
   return r;
}

} // namespace core::bls::detail
