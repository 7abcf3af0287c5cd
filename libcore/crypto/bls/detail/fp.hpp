#pragma once
/// Internal: the BLS12-381 base field Fp, p = 0x1a0111ea…aaab (381 bits), as six 64-bit limbs,
/// least significant first, in Montgomery form (a·R mod p, R = 2^384).
///
/// Every value is fully reduced (< p). Arithmetic is branch-free on the values (the final
/// subtraction of a Montgomery product and of a sum is a masked select), so the time of an
/// operation does not depend on its operands; the signing path relies on that. Comparisons and
/// is_zero() return bools that callers may branch on only for public data.
#include <array>
#include <cstdint>
#include <span>
#include <type_traits>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "crypto/bls/detail/fp_adx.hpp"

namespace core::bls::detail {

using u128 = unsigned __int128;
using limbs6 = std::array<uint64_t, 6>;

/// p, least significant limb first.
inline constexpr limbs6 p_limbs = {0xb9feffffffffaaabULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL,
                                   0x64774b84f38512bfULL, 0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL};

namespace fp_impl {

// Every limb loop here carries `#pragma GCC unroll` (Clang reads it too). GCC 12 at -O3 leaves
// these loops rolled, with the row products in memory and the carries spilled; fully unrolled,
// the carries stay in the flags and a pairing takes half the time (1.57 -> 0.78 ms, bench_bls).

/// a + b + carry, carry out in `carry` (0 or 1): an adc chain on x86-64 (gcc makes poor code of
/// the 128-bit emulation), the portable form elsewhere and at compile time.
constexpr uint64_t addc(uint64_t a, uint64_t b, uint8_t& carry) {
#if defined(__x86_64__)
   if (!std::is_constant_evaluated()) {
      unsigned long long out;
      carry = _addcarry_u64(carry, a, b, &out);
      return out;
   }
#endif
   const u128 s = u128(a) + b + carry;
   carry = uint8_t(s >> 64);
   return uint64_t(s);
}

/// a - b - borrow, borrow out in `borrow` (0 or 1).
constexpr uint64_t subb(uint64_t a, uint64_t b, uint8_t& borrow) {
#if defined(__x86_64__)
   if (!std::is_constant_evaluated()) {
      unsigned long long out;
      borrow = _subborrow_u64(borrow, a, b, &out);
      return out;
   }
#endif
   const u128 d = u128(a) - b - borrow;
   borrow = uint8_t((d >> 64) & 1);
   return uint64_t(d);
}

/// -p^-1 mod 2^64 (Newton iteration: each step doubles the correct low bits).
constexpr uint64_t neg_inverse(uint64_t p0) {
   uint64_t x = 1;
   for (int i = 0; i < 7; ++i)
      x *= 2 - p0 * x;
   return 0 - x;
}
inline constexpr uint64_t p_inv = neg_inverse(p_limbs[0]);

/// a + b over N limbs (the carry out is dropped: callers keep sums below 2^(64·N)).
template <std::size_t N>
constexpr std::array<uint64_t, N> add_n(const std::array<uint64_t, N>& a, const std::array<uint64_t, N>& b) {
   std::array<uint64_t, N> r{};
   uint8_t carry = 0;
   #pragma GCC unroll 12
   for (std::size_t i = 0; i < N; ++i)
      r[i] = addc(a[i], b[i], carry);
   return r;
}

/// a - b over N limbs for a >= b.
template <std::size_t N>
constexpr std::array<uint64_t, N> sub_n(const std::array<uint64_t, N>& a, const std::array<uint64_t, N>& b) {
   std::array<uint64_t, N> r{};
   uint8_t borrow = 0;
   #pragma GCC unroll 12
   for (std::size_t i = 0; i < N; ++i)
      r[i] = subb(a[i], b[i], borrow);
   return r;
}

/// r = a - p if a >= p, else a; a < 2p. Branch-free.
constexpr limbs6 reduce_once(const limbs6& a) {
   limbs6 s{};
   uint8_t borrow = 0;
   #pragma GCC unroll 12
   for (int i = 0; i < 6; ++i)
      s[i] = subb(a[i], p_limbs[i], borrow);
   const uint64_t keep_a = 0 - uint64_t(borrow); // all ones when a < p
   limbs6 r{};
   #pragma GCC unroll 12
   for (int i = 0; i < 6; ++i)
      r[i] = (a[i] & keep_a) | (s[i] & ~keep_a);
   return r;
}

/// Montgomery product a·b·R^-1 mod p for a, b < p (CIOS; p's top limb is below 2^62, so the
/// running sum needs no seventh limb). The portable form; mont_mul() below picks.
constexpr limbs6 mont_mul_portable(const limbs6& a, const limbs6& b) {
   limbs6 t{};
   #pragma GCC unroll 12
   for (int i = 0; i < 6; ++i) {
      u128 ab = u128(a[0]) * b[i] + t[0];
      uint64_t carry_ab = uint64_t(ab >> 64);
      const uint64_t t0 = uint64_t(ab);
      const uint64_t m = t0 * p_inv;
      u128 mp = u128(m) * p_limbs[0] + t0;
      uint64_t carry_mp = uint64_t(mp >> 64);
      #pragma GCC unroll 12
      for (int j = 1; j < 6; ++j) {
         ab = u128(a[j]) * b[i] + t[j] + carry_ab;
         carry_ab = uint64_t(ab >> 64);
         mp = u128(m) * p_limbs[j] + uint64_t(ab) + carry_mp;
         carry_mp = uint64_t(mp >> 64);
         t[j - 1] = uint64_t(mp);
      }
      t[5] = carry_ab + carry_mp;
   }
   return reduce_once(t);
}

// --- lazy reduction: 12-limb products, reduced once (Fp2 products) ---

using limbs12 = std::array<uint64_t, 12>;

/// a + b without reduction (a, b < p: the sum is below 2p).
constexpr limbs6 add_unreduced(const limbs6& a, const limbs6& b) { return add_n(a, b); }

/// The full 768-bit product a·b (portable form; mul_wide() below picks).
constexpr limbs12 mul_wide_portable(const limbs6& a, const limbs6& b) {
   // Row by row, the low and the high halves of a row's products added in two carry chains:
   // GCC keeps each chain in the flags, where a chain of 128-bit sums spills them.
   limbs12 t{};
   #pragma GCC unroll 12
   for (int i = 0; i < 6; ++i) {
      uint64_t lo[6], hi[6];
      #pragma GCC unroll 12
      for (int j = 0; j < 6; ++j) {
         const u128 c = u128(a[j]) * b[i];
         lo[j] = uint64_t(c);
         hi[j] = uint64_t(c >> 64);
      }
      uint8_t carry = 0;
      #pragma GCC unroll 12
      for (int j = 0; j < 6; ++j)
         t[i + j] = addc(t[i + j], lo[j], carry);
      t[i + 6] = carry;
      carry = 0;
      #pragma GCC unroll 12
      for (int j = 0; j < 6; ++j)
         t[i + j + 1] = addc(t[i + j + 1], hi[j], carry);
      // No carry out: the rows so far sum to a·b_(0..i) < 2^(64·(i + 7)).
   }
   return t;
}

constexpr limbs12 add_wide(const limbs12& a, const limbs12& b) { return add_n(a, b); }

/// a - b for a >= b.
constexpr limbs12 sub_wide(const limbs12& a, const limbs12& b) { return sub_n(a, b); }

/// p^2, added to a difference of products to keep it non-negative before redc().
inline constexpr limbs12 p_squared = mul_wide_portable(p_limbs, p_limbs);

#if defined(__x86_64__)
/// p, p_inv and p^2 side by side, as the mulx kernels (fp_adx.hpp) read them.
alignas(64) inline constexpr adx::constants adx_constants = {
    p_limbs[0],    p_limbs[1],    p_limbs[2],    p_limbs[3],    p_limbs[4],    p_limbs[5],    p_inv,
    p_squared[0],  p_squared[1],  p_squared[2],  p_squared[3],  p_squared[4],  p_squared[5], p_squared[6],
    p_squared[7],  p_squared[8],  p_squared[9],  p_squared[10], p_squared[11]};
#endif

/// Montgomery reduction t·R^-1 mod p for t < p·R (portable form; redc() below picks).
constexpr limbs6 redc_portable(limbs12 t) {
   uint64_t top = 0; // the carry into t[i + 6] left by the previous row
   #pragma GCC unroll 12
   for (int i = 0; i < 6; ++i) {
      const uint64_t m = t[i] * p_inv;
      uint64_t lo[6], hi[6];
      #pragma GCC unroll 12
      for (int j = 0; j < 6; ++j) {
         const u128 c = u128(m) * p_limbs[j];
         lo[j] = uint64_t(c);
         hi[j] = uint64_t(c >> 64);
      }
      uint8_t carry_lo = 0;
      #pragma GCC unroll 12
      for (int j = 0; j < 6; ++j)
         t[i + j] = addc(t[i + j], lo[j], carry_lo);
      uint8_t carry_hi = 0;
      #pragma GCC unroll 12
      for (int j = 0; j < 6; ++j)
         t[i + j + 1] = addc(t[i + j + 1], hi[j], carry_hi);
      uint8_t carry_top = 0;
      t[i + 6] = addc(t[i + 6], top + carry_lo, carry_top);
      top = uint64_t(carry_hi) + carry_top;
   }
   return reduce_once({t[6], t[7], t[8], t[9], t[10], t[11]});
}

/// The full 768-bit product a·b: the mulx kernel when the CPU has one, else the portable rows.
constexpr limbs12 mul_wide(const limbs6& a, const limbs6& b) {
#if defined(__x86_64__)
   if (!std::is_constant_evaluated() && use_adx) {
      limbs12 t;
      adx::mul_wide(t.data(), a.data(), b.data());
      return t;
   }
#endif
   return mul_wide_portable(a, b);
}

/// Montgomery reduction t·R^-1 mod p for t < p·R, fully reduced.
constexpr limbs6 redc(const limbs12& t) {
#if defined(__x86_64__)
   if (!std::is_constant_evaluated() && use_adx) {
      limbs6 r;
      adx::redc(r.data(), t.data(), adx_constants);
      return r;
   }
#endif
   return redc_portable(t);
}

/// Montgomery product a·b·R^-1 mod p for a, b < p. With mulx, the wide product and a separate
/// reduction (two kernels) beat the interleaved CIOS rows in C++.
constexpr limbs6 mont_mul(const limbs6& a, const limbs6& b) {
#if defined(__x86_64__)
   if (!std::is_constant_evaluated() && use_adx)
      return redc(mul_wide(a, b));
#endif
   return mont_mul_portable(a, b);
}

/// Montgomery square a^2·R^-1 mod p for a < p (portable form: the 15 cross products once,
/// doubled, plus the 6 squares, 21 products instead of 36, then a separate reduction).
constexpr limbs6 mont_sqr_portable(const limbs6& a) {
   limbs12 t{};
   #pragma GCC unroll 12
   for (int i = 0; i < 5; ++i) {
      uint64_t carry = 0;
      #pragma GCC unroll 12
      for (int j = i + 1; j < 6; ++j) {
         const u128 c = u128(a[i]) * a[j] + t[i + j] + carry;
         t[i + j] = uint64_t(c);
         carry = uint64_t(c >> 64);
      }
      t[i + 6] = carry;
   }
   t[11] = t[10] >> 63;
   #pragma GCC unroll 12
   for (int i = 10; i > 0; --i)
      t[i] = (t[i] << 1) | (t[i - 1] >> 63);
   t[0] <<= 1;
   uint64_t carry = 0;
   #pragma GCC unroll 12
   for (int i = 0; i < 6; ++i) {
      const u128 sq = u128(a[i]) * a[i];
      u128 c = u128(t[2 * i]) + uint64_t(sq) + carry;
      t[2 * i] = uint64_t(c);
      c = u128(t[2 * i + 1]) + uint64_t(sq >> 64) + uint64_t(c >> 64);
      t[2 * i + 1] = uint64_t(c);
      carry = uint64_t(c >> 64);
   }
   return redc_portable(t); // a^2 < p^2 < p·R
}

/// Montgomery square a^2·R^-1 mod p for a < p. With mulx, the full product of a by itself: the
/// 36 products cost less than doubling the 21 in C++.
constexpr limbs6 mont_sqr(const limbs6& a) {
#if defined(__x86_64__)
   if (!std::is_constant_evaluated() && use_adx)
      return redc(mul_wide(a, a));
#endif
   return mont_sqr_portable(a);
}

/// Montgomery product for a < 2^384 (not necessarily reduced) and b < p: the textbook CIOS with
/// two extra carry limbs. Used only to import wide values (hash_to_field).
constexpr limbs6 mont_mul_wide(const limbs6& a, const limbs6& b) {
   uint64_t t[8] = {};
   #pragma GCC unroll 12
   for (int i = 0; i < 6; ++i) {
      u128 c = 0;
      #pragma GCC unroll 12
      for (int j = 0; j < 6; ++j) {
         c = u128(a[j]) * b[i] + t[j] + uint64_t(c >> 64);
         t[j] = uint64_t(c);
      }
      c = u128(t[6]) + uint64_t(c >> 64);
      t[6] = uint64_t(c);
      t[7] = uint64_t(c >> 64);
      const uint64_t m = t[0] * p_inv;
      c = u128(m) * p_limbs[0] + t[0];
      #pragma GCC unroll 12
      for (int j = 1; j < 6; ++j) {
         c = u128(m) * p_limbs[j] + t[j] + uint64_t(c >> 64);
         t[j - 1] = uint64_t(c);
      }
      c = u128(t[6]) + uint64_t(c >> 64);
      t[5] = uint64_t(c);
      t[6] = t[7] + uint64_t(c >> 64);
   }
   // a·b < 2^384·p, so the result is below 2p < 2^384 and t[6] is zero.
   return reduce_once({t[0], t[1], t[2], t[3], t[4], t[5]});
}

constexpr limbs6 add(const limbs6& a, const limbs6& b) {
   return reduce_once(add_n(a, b)); // a + b < 2p < 2^382: no carry out of the top limb
}

constexpr limbs6 sub(const limbs6& a, const limbs6& b) {
   limbs6 r{};
   uint8_t borrow = 0;
   #pragma GCC unroll 12
   for (int i = 0; i < 6; ++i)
      r[i] = subb(a[i], b[i], borrow);
   const uint64_t mask = 0 - uint64_t(borrow);
   uint8_t carry = 0;
   #pragma GCC unroll 12
   for (int i = 0; i < 6; ++i)
      r[i] = addc(r[i], p_limbs[i] & mask, carry);
   return r;
}

/// 2^k mod p as plain limbs, by doubling (compile-time only).
constexpr limbs6 pow2_mod_p(int k) {
   limbs6 x = {1, 0, 0, 0, 0, 0};
   for (int i = 0; i < k; ++i)
      x = add(x, x);
   return x;
}

inline constexpr limbs6 r1 = pow2_mod_p(384); ///< R mod p: Montgomery one
inline constexpr limbs6 r2 = pow2_mod_p(768); ///< R^2 mod p: converts into Montgomery form
inline constexpr limbs6 r3 = pow2_mod_p(1152); ///< R^3 mod p: imports 2^384·a

constexpr int hex_digit(char c) {
   return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/// Big-endian hex (at most 96 digits, no prefix) to plain limbs; compile-time constants only.
constexpr limbs6 limbs_from_hex(const char* hex) {
   int n = 0;
   while (hex[n])
      ++n;
   limbs6 r{};
   for (int i = 0; i < n; ++i) {
      const int bit = 4 * (n - 1 - i);
      r[bit / 64] |= uint64_t(hex_digit(hex[i])) << (bit % 64);
   }
   return r;
}

} // namespace fp_impl

/// An element of Fp in Montgomery form.
struct fp {
   limbs6 l{};

   static constexpr fp zero() { return {}; }
   static constexpr fp one() { return {fp_impl::r1}; }
   /// From plain limbs (< p) to Montgomery form.
   static constexpr fp from_plain(const limbs6& a) { return {fp_impl::mont_mul(a, fp_impl::r2)}; }
   /// A constant from big-endian hex (< p).
   static constexpr fp from_hex(const char* hex) { return from_plain(fp_impl::limbs_from_hex(hex)); }
   static constexpr fp from_u64(uint64_t v) { return from_plain({v, 0, 0, 0, 0, 0}); }

   /// Plain (non-Montgomery) limbs.
   constexpr limbs6 to_plain() const { return fp_impl::mont_mul(l, {1, 0, 0, 0, 0, 0}); }

   constexpr bool is_zero() const { return (l[0] | l[1] | l[2] | l[3] | l[4] | l[5]) == 0; }
   friend constexpr bool operator==(const fp& a, const fp& b) { return a.l == b.l; }

   friend constexpr fp operator+(const fp& a, const fp& b) { return {fp_impl::add(a.l, b.l)}; }
   friend constexpr fp operator-(const fp& a, const fp& b) { return {fp_impl::sub(a.l, b.l)}; }
   friend constexpr fp operator*(const fp& a, const fp& b) { return {fp_impl::mont_mul(a.l, b.l)}; }
   constexpr fp operator-() const { return zero() - *this; }
   fp& operator+=(const fp& b) { return *this = *this + b; }
   fp& operator-=(const fp& b) { return *this = *this - b; }
   fp& operator*=(const fp& b) { return *this = *this * b; }

   constexpr fp square() const { return {fp_impl::mont_sqr(l)}; }
   constexpr fp dbl() const { return *this + *this; }
   /// a/2 (branch-free: adds p when a is odd, then shifts).
   fp half() const;

   /// a^e for a public exponent e (little-endian limbs); time depends only on e.
   template <std::size_t N>
   fp pow(const std::array<uint64_t, N>& e) const;
   /// a^-1 by Fermat (a^(p-2)); 0 maps to 0. Constant time.
   fp inverse() const;
   /// a^-1 by the binary extended Euclidean algorithm, about four times faster; its time depends
   /// on a, so public data only. 0 maps to 0.
   fp inverse_vartime() const;
   /// sqrt(a) = a^((p+1)/4) (p ≡ 3 mod 4); the caller checks that its square is a.
   fp sqrt_candidate() const;
   /// a^((p-3)/4): for a square a, 1/sqrt(a) (and a times it is sqrt(a)).
   fp inv_sqrt_candidate() const;
   /// True if a is a non-zero square (Euler's criterion).
   bool is_square() const;
   /// RFC 9380 sgn0 (parity of the plain value).
   bool sgn0() const { return to_plain()[0] & 1; }
   /// a if `pick_b` is false, else b; branch-free.
   static fp select(bool pick_b, const fp& a, const fp& b);

   /// 48 bytes, plain value, little- or big-endian.
   void to_bytes_le(std::span<uint8_t, 48> out) const;
   void to_bytes_be(std::span<uint8_t, 48> out) const;
   /// False (and *out untouched) when the value is not below p.
   static bool from_bytes_le(std::span<const uint8_t, 48> in, fp& out);
   static bool from_bytes_be(std::span<const uint8_t, 48> in, fp& out);
   /// A 64-byte big-endian integer reduced mod p (hash_to_field).
   static fp from_bytes_be_wide(std::span<const uint8_t, 64> in);
};

/// a^e by square-and-multiply for any field type F (with one(), square() and *), for a public
/// exponent e (little-endian limbs): the operations depend only on e.
template <class F, std::size_t N>
F pow_public(const F& a, const std::array<uint64_t, N>& e) {
   F r = F::one();
   for (std::size_t i = N; i-- > 0;)
      for (int b = 63; b >= 0; --b) {
         r = r.square();
         if ((e[i] >> b) & 1)
            r = r * a;
      }
   return r;
}

template <std::size_t N>
fp fp::pow(const std::array<uint64_t, N>& e) const {
   return pow_public(*this, e);
}

} // namespace core::bls::detail
