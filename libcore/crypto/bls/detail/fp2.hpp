#pragma once
/// Internal: Fp2 = Fp[u]/(u^2 + 1), elements c0 + c1·u. Same timing rules as fp.hpp: arithmetic is
/// branch-free; sqrt and the predicates are for public data.
#include "crypto/bls/detail/fp.hpp"

#include <cstddef>
#include <optional>

namespace core::bls::detail {

struct fp2 {
   fp c0, c1; // contiguous: the mulx kernel reads and writes both as 12 limbs

   static constexpr fp2 zero() { return {}; }
   static constexpr fp2 one() { return {fp::one(), fp::zero()}; }
   static constexpr fp2 from_hex(const char* c0, const char* c1) { return {fp::from_hex(c0), fp::from_hex(c1)}; }

   constexpr bool is_zero() const { return c0.is_zero() && c1.is_zero(); }
   friend constexpr bool operator==(const fp2& a, const fp2& b) { return a.c0 == b.c0 && a.c1 == b.c1; }

   friend constexpr fp2 operator+(const fp2& a, const fp2& b) { return {a.c0 + b.c0, a.c1 + b.c1}; }
   friend constexpr fp2 operator-(const fp2& a, const fp2& b) { return {a.c0 - b.c0, a.c1 - b.c1}; }
   constexpr fp2 operator-() const { return {-c0, -c1}; }
   /// Karatsuba with lazy reduction: three 768-bit products, two Montgomery reductions.
   /// c0 = a0·b0 - a1·b1 (+ p^2 to stay non-negative), c1 = (a0 + a1)(b0 + b1) - a0·b0 - a1·b1,
   /// all below p·R as redc() needs (the unreduced sums are below 2p, and 4p < R).
   friend constexpr fp2 operator*(const fp2& a, const fp2& b) {
      using namespace fp_impl;
#if defined(__x86_64__)
      if (!std::is_constant_evaluated() && use_adx) {
         fp2 r;
         adx::fp2_mul(r.c0.l.data(), a.c0.l.data(), b.c0.l.data(), adx_constants);
         return r;
      }
#endif
      return mul_portable(a, b);
   }
   /// The portable form of the product (operator* picks).
   static constexpr fp2 mul_portable(const fp2& a, const fp2& b) {
      using namespace fp_impl;
      const limbs12 v0 = mul_wide(a.c0.l, b.c0.l);
      const limbs12 v1 = mul_wide(a.c1.l, b.c1.l);
      const limbs12 v2 = mul_wide(add_unreduced(a.c0.l, a.c1.l), add_unreduced(b.c0.l, b.c1.l));
      return {fp{redc(sub_wide(add_wide(v0, p_squared), v1))}, fp{redc(sub_wide(sub_wide(v2, v0), v1))}};
   }
   friend constexpr fp2 operator*(const fp2& a, const fp& s) { return {a.c0 * s, a.c1 * s}; }
   fp2& operator+=(const fp2& b) { return *this = *this + b; }
   fp2& operator-=(const fp2& b) { return *this = *this - b; }
   fp2& operator*=(const fp2& b) { return *this = *this * b; }

   /// (c0 + c1)(c0 - c1) + 2·c0·c1·u: two products, with the sums unreduced (below 2p; c0 - c1
   /// as c0 + (p - c1)).
   constexpr fp2 square() const {
#if defined(__x86_64__)
      if (!std::is_constant_evaluated() && fp_impl::use_adx) {
         fp2 r;
         fp_impl::adx::fp2_square(r.c0.l.data(), c0.l.data(), fp_impl::adx_constants);
         return r;
      }
#endif
      return square_portable();
   }
   /// The portable form of the square (square() picks).
   constexpr fp2 square_portable() const {
      using namespace fp_impl;
      const limbs6 sum = add_unreduced(c0.l, c1.l);
      const limbs6 diff = add_unreduced(c0.l, (-c1).l);
      return {fp{redc(mul_wide(sum, diff))}, fp{redc(mul_wide(c0.l, add_unreduced(c1.l, c1.l)))}};
   }
   constexpr fp2 dbl() const { return {c0.dbl(), c1.dbl()}; }
   fp2 half() const { return {c0.half(), c1.half()}; }
   /// Multiplication by the non-residue xi = 1 + u that defines Fp6.
   constexpr fp2 mul_by_xi() const { return {c0 - c1, c0 + c1}; }
   /// The conjugate c0 - c1·u, which is also the Frobenius map a^p.
   constexpr fp2 conj() const { return {c0, -c1}; }

   /// a^-1 through the norm c0^2 + c1^2; 0 maps to 0. Constant time.
   fp2 inverse() const;
   /// The same with fp::inverse_vartime: public data only.
   fp2 inverse_vartime() const;
   /// a^e for a public exponent (little-endian limbs).
   template <std::size_t N>
   fp2 pow(const std::array<uint64_t, N>& e) const;
   /// A square root when one exists, nullopt when a is not a square (public data only).
   std::optional<fp2> sqrt() const;
   /// True if a is a square in Fp2 (zero included).
   bool is_square() const;
   /// RFC 9380 sgn0 for m = 2.
   bool sgn0() const;
   static fp2 select(bool pick_b, const fp2& a, const fp2& b) {
      return {fp::select(pick_b, a.c0, b.c0), fp::select(pick_b, a.c1, b.c1)};
   }
};

static_assert(sizeof(fp2) == 96 && offsetof(fp2, c1) == 48);

template <std::size_t N>
fp2 fp2::pow(const std::array<uint64_t, N>& e) const {
   return pow_public(*this, e);
}

} // namespace core::bls::detail
