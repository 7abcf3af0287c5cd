#pragma once
/// Internal: the tower Fp6 = Fp2[v]/(v^3 - xi) with xi = 1 + u, and Fp12 = Fp6[w]/(w^2 - v).
/// An Fp12 element is a + b·w = a0 + a1·v + a2·v^2 + (b0 + b1·v + b2·v^2)·w.
#include "crypto/bls/detail/fp2.hpp"

namespace core::bls::detail {

struct fp6 {
   fp2 c0, c1, c2;

   static constexpr fp6 zero() { return {}; }
   static constexpr fp6 one() { return {fp2::one(), fp2::zero(), fp2::zero()}; }
   bool is_zero() const { return c0.is_zero() && c1.is_zero() && c2.is_zero(); }
   friend bool operator==(const fp6& a, const fp6& b) { return a.c0 == b.c0 && a.c1 == b.c1 && a.c2 == b.c2; }

   friend fp6 operator+(const fp6& a, const fp6& b) { return {a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2}; }
   friend fp6 operator-(const fp6& a, const fp6& b) { return {a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2}; }
   fp6 operator-() const { return {-c0, -c1, -c2}; }
   /// Karatsuba over three coefficients: six Fp2 products.
   friend fp6 operator*(const fp6& a, const fp6& b) {
      const fp2 t0 = a.c0 * b.c0, t1 = a.c1 * b.c1, t2 = a.c2 * b.c2;
      return {((a.c1 + a.c2) * (b.c1 + b.c2) - t1 - t2).mul_by_xi() + t0,
              (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1 + t2.mul_by_xi(),
              (a.c0 + a.c2) * (b.c0 + b.c2) - t0 - t2 + t1};
   }
   friend fp6 operator*(const fp6& a, const fp2& s) { return {a.c0 * s, a.c1 * s, a.c2 * s}; }

   /// Chung-Hasan SQR2: two squarings and three products in Fp2.
   fp6 square() const {
      const fp2 s0 = c0.square();
      const fp2 s1 = (c0 * c1).dbl();
      const fp2 s2 = (c0 - c1 + c2).square();
      const fp2 s3 = (c1 * c2).dbl();
      const fp2 s4 = c2.square();
      return {s0 + s3.mul_by_xi(), s1 + s4.mul_by_xi(), s1 + s2 + s3 - s0 - s4};
   }
   /// Multiplication by v: (c0, c1, c2) -> (xi·c2, c0, c1).
   fp6 mul_by_v() const { return {c2.mul_by_xi(), c0, c1}; }
   /// Product with b0 + b1·v (five Fp2 products).
   fp6 mul_by_01(const fp2& b0, const fp2& b1) const {
      const fp2 t0 = c0 * b0, t1 = c1 * b1;
      return {(c2 * b1).mul_by_xi() + t0, (c0 + c1) * (b0 + b1) - t0 - t1, c2 * b0 + t1};
   }
   /// Product with b1·v (three Fp2 products).
   fp6 mul_by_1(const fp2& b1) const { return {(c2 * b1).mul_by_xi(), c0 * b1, c1 * b1}; }

   /// Variable time (the pairing's inputs are public).
   fp6 inverse() const;
   /// a^(p^k) for k = 1..5.
   fp6 frobenius(int k) const;
};

struct fp12 {
   fp6 c0, c1;

   static fp12 one() { return {fp6::one(), fp6::zero()}; }
   bool is_one() const { return c0 == fp6::one() && c1.is_zero(); }
   friend bool operator==(const fp12& a, const fp12& b) { return a.c0 == b.c0 && a.c1 == b.c1; }

   friend fp12 operator*(const fp12& a, const fp12& b) {
      const fp6 t0 = a.c0 * b.c0, t1 = a.c1 * b.c1;
      return {t0 + t1.mul_by_v(), (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1};
   }
   fp12& operator*=(const fp12& b) { return *this = *this * b; }
   /// Complex squaring: two Fp6 products.
   fp12 square() const {
      const fp6 t = c0 * c1;
      return {(c0 + c1) * (c0 + c1.mul_by_v()) - t - t.mul_by_v(), t + t};
   }
   /// The conjugate a - b·w = a^(p^6); the inverse of a unitary element.
   fp12 conj() const { return {c0, -c1}; }
   /// Variable time (the pairing's inputs are public).
   fp12 inverse() const;
   /// a^(p^k) for k = 1..11.
   fp12 frobenius(int k) const;

   /// Product with a sparse line l0 + l1·v + l4·v·w (thirteen Fp2 products): the Miller loop's
   /// line functions for the M-type twist of BLS12-381.
   fp12 mul_by_014(const fp2& l0, const fp2& l1, const fp2& l4) const {
      const fp6 t0 = c0.mul_by_01(l0, l1);
      const fp6 t1 = c1.mul_by_1(l4);
      return {t0 + t1.mul_by_v(), (c0 + c1).mul_by_01(l0, l1 + l4) - t0 - t1};
   }

   /// Granger-Scott squaring, valid only in the cyclotomic subgroup (after the easy part of the
   /// final exponentiation).
   fp12 cyclotomic_square() const;
   /// a^|x| for the BLS parameter |x| = 0xd201000000010000, for a in the cyclotomic subgroup, by
   /// Karabina's compressed squarings; the caller conjugates for the sign of x. Variable time
   /// (one branch on whether the powers decompress): public data only.
   fp12 cyclotomic_pow_x_abs() const;
   /// The same by square-and-multiply with cyclotomic_square().
   fp12 cyclotomic_pow_x_abs_plain() const;
};

} // namespace core::bls::detail
