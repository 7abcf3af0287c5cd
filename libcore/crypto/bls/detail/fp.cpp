#include "crypto/bls/detail/fp.hpp"

namespace core::bls::detail {

namespace {
using namespace fp_impl;

/// p - 2, (p + 1)/4 and (p - 1)/2 as exponents.
constexpr limbs6 p_minus(uint64_t k) {
   limbs6 r = p_limbs;
   r[0] -= k; // p's low limb is far above any k used here
   return r;
}
constexpr limbs6 shr(const limbs6& a, int k) {
   limbs6 r{};
   for (int i = 0; i < 6; ++i)
      r[i] = (a[i] >> k) | (i < 5 ? a[i + 1] << (64 - k) : 0);
   return r;
}
constexpr limbs6 p_plus_1_div_4() {
   limbs6 r = p_limbs;
   r[0] += 1; // no carry: the low limb is not all ones
   return shr(r, 2);
}
constexpr limbs6 exp_inverse = p_minus(2);
constexpr limbs6 exp_sqrt = p_plus_1_div_4();
constexpr limbs6 exp_legendre = shr(p_minus(1), 1);
constexpr limbs6 exp_inv_sqrt = shr(p_minus(3), 2);

bool less_than_p(const limbs6& a) {
   for (int i = 5; i >= 0; --i) {
      if (a[i] != p_limbs[i])
         return a[i] < p_limbs[i];
   }
   return false;
}
} // namespace

fp fp::half() const {
   const uint64_t mask = 0 - (l[0] & 1);
   limbs6 t{};
   uint64_t carry = 0;
   for (int i = 0; i < 6; ++i) {
      const u128 s = u128(l[i]) + (p_limbs[i] & mask) + carry;
      t[i] = uint64_t(s);
      carry = uint64_t(s >> 64);
   }
   // a + p < 2^382: the carry out of the top limb is always zero.
   fp r;
   for (int i = 0; i < 6; ++i)
      r.l[i] = (t[i] >> 1) | (i < 5 ? t[i + 1] << 63 : 0);
   return r;
}

fp fp::inverse() const { return pow(exp_inverse); }

namespace {
bool is_one_plain(const limbs6& a) { return a[0] == 1 && (a[1] | a[2] | a[3] | a[4] | a[5]) == 0; }
bool is_even(const limbs6& a) { return (a[0] & 1) == 0; }
void shr1(limbs6& a) {
   for (int i = 0; i < 6; ++i)
      a[i] = (a[i] >> 1) | (i < 5 ? a[i + 1] << 63 : 0);
}
bool geq(const limbs6& a, const limbs6& b) {
   for (int i = 5; i >= 0; --i)
      if (a[i] != b[i])
         return a[i] > b[i];
   return true;
}
void sub_in_place(limbs6& a, const limbs6& b) {
   uint64_t borrow = 0;
   for (int i = 0; i < 6; ++i) {
      const u128 d = u128(a[i]) - b[i] - borrow;
      a[i] = uint64_t(d);
      borrow = uint64_t(d >> 64) & 1;
   }
}
/// x/2 mod p for x < p.
void half_mod_p(limbs6& x) {
   if (is_even(x)) {
      shr1(x);
      return;
   }
   uint64_t carry = 0;
   for (int i = 0; i < 6; ++i) {
      const u128 s = u128(x[i]) + p_limbs[i] + carry;
      x[i] = uint64_t(s);
      carry = uint64_t(s >> 64);
   }
   shr1(x); // x + p < 2^382: nothing carries out
}
} // namespace

fp fp::inverse_vartime() const {
   if (is_zero())
      return zero();
   // Invariants: x1·a ≡ u and x2·a ≡ v (mod p), with a the Montgomery representation a·R.
   limbs6 u = l, v = p_limbs, x1 = {1, 0, 0, 0, 0, 0}, x2{};
   while (!is_one_plain(u) && !is_one_plain(v)) {
      while (is_even(u)) {
         shr1(u);
         half_mod_p(x1);
      }
      while (is_even(v)) {
         shr1(v);
         half_mod_p(x2);
      }
      if (geq(u, v)) {
         sub_in_place(u, v);
         x1 = fp_impl::sub(x1, x2);
      } else {
         sub_in_place(v, u);
         x2 = fp_impl::sub(x2, x1);
      }
   }
   // (a·R)^-1 = a^-1·R^-1; one product with R^3 gives a^-1·R, the Montgomery form of a^-1.
   return {mont_mul(is_one_plain(u) ? x1 : x2, r3)};
}

fp fp::sqrt_candidate() const { return pow(exp_sqrt); }

fp fp::inv_sqrt_candidate() const { return pow(exp_inv_sqrt); }

bool fp::is_square() const { return pow(exp_legendre) == one(); }

fp fp::select(bool pick_b, const fp& a, const fp& b) {
   const uint64_t mask = 0 - uint64_t(pick_b);
   fp r;
   for (int i = 0; i < 6; ++i)
      r.l[i] = (a.l[i] & ~mask) | (b.l[i] & mask);
   return r;
}

void fp::to_bytes_le(std::span<uint8_t, 48> out) const {
   const limbs6 v = to_plain();
   for (int i = 0; i < 48; ++i)
      out[i] = uint8_t(v[i / 8] >> (8 * (i % 8)));
}

void fp::to_bytes_be(std::span<uint8_t, 48> out) const {
   const limbs6 v = to_plain();
   for (int i = 0; i < 48; ++i)
      out[47 - i] = uint8_t(v[i / 8] >> (8 * (i % 8)));
}

bool fp::from_bytes_le(std::span<const uint8_t, 48> in, fp& out) {
   limbs6 v{};
   for (int i = 0; i < 48; ++i)
      v[i / 8] |= uint64_t(in[i]) << (8 * (i % 8));
   if (!less_than_p(v))
      return false;
   out = from_plain(v);
   return true;
}

bool fp::from_bytes_be(std::span<const uint8_t, 48> in, fp& out) {
   limbs6 v{};
   for (int i = 0; i < 48; ++i)
      v[i / 8] |= uint64_t(in[47 - i]) << (8 * (i % 8));
   if (!less_than_p(v))
      return false;
   out = from_plain(v);
   return true;
}

fp fp::from_bytes_be_wide(std::span<const uint8_t, 64> in) {
   // in = hi·2^384 + lo with hi < 2^128 and lo < 2^384. In Montgomery form that is
   // hi·R·R + lo·R = mont(hi, R^3) + mont(lo, R^2).
   limbs6 hi{}, lo{};
   for (int i = 0; i < 48; ++i)
      lo[i / 8] |= uint64_t(in[63 - i]) << (8 * (i % 8));
   for (int i = 0; i < 16; ++i)
      hi[i / 8] |= uint64_t(in[15 - i]) << (8 * (i % 8));
   return fp{mont_mul_wide(hi, r3)} + fp{mont_mul_wide(lo, r2)};
}

} // namespace core::bls::detail
