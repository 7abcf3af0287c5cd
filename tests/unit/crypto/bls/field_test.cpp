#include "bls_test_util.hpp"

#include <cstdlib>

using namespace core::bls::detail;
using bls_test::rng;

namespace {

/// a^p by square-and-multiply, the definition the Frobenius maps must match.
template <class T>
T pow_p(const T& a) {
   T r = a;
   bool started = false;
   for (int i = 5; i >= 0; --i)
      for (int b = 63; b >= 0; --b) {
         if (started)
            r = r * r;
         if ((p_limbs[std::size_t(i)] >> b) & 1) {
            r = started ? r * a : a;
            started = true;
         }
      }
   return r;
}

} // namespace

TEST_CASE("bls fp: ring laws, inverse, half and byte forms", "[crypto][bls]") {
   rng r;
   for (int i = 0; i < 50; ++i) {
      const fp a = r.fp(), b = r.fp(), c = r.fp();
      CHECK(a * (b + c) == a * b + a * c);
      CHECK((a - b) + b == a);
      CHECK(a + (-a) == fp::zero());
      CHECK(a.half().dbl() == a);
      if (!a.is_zero())
         CHECK(a * a.inverse() == fp::one());
      std::array<uint8_t, 48> le, be;
      a.to_bytes_le(le);
      a.to_bytes_be(be);
      fp back;
      REQUIRE(fp::from_bytes_le(le, back));
      CHECK(back == a);
      REQUIRE(fp::from_bytes_be(be, back));
      CHECK(back == a);
   }
   CHECK(fp::zero().inverse() == fp::zero());
   CHECK(fp::from_u64(6) * fp::from_u64(7) == fp::from_u64(42));
}

TEST_CASE("bls fp: rejects encodings of p and above", "[crypto][bls]") {
   std::array<uint8_t, 48> le{};
   for (int i = 0; i < 48; ++i)
      le[std::size_t(i)] = uint8_t(p_limbs[std::size_t(i / 8)] >> (8 * (i % 8)));
   fp out = fp::one();
   CHECK_FALSE(fp::from_bytes_le(le, out)); // p itself
   CHECK(out == fp::one());
   le[0] -= 1; // p - 1
   REQUIRE(fp::from_bytes_le(le, out));
   CHECK(out == -fp::one());
   std::array<uint8_t, 48> ones;
   ones.fill(0xff);
   CHECK_FALSE(fp::from_bytes_le(ones, out));
}

TEST_CASE("bls fp: square roots and Euler's criterion agree", "[crypto][bls]") {
   rng r;
   int squares = 0;
   for (int i = 0; i < 40; ++i) {
      const fp a = r.fp();
      const fp s = a.sqrt_candidate();
      CHECK((s.square() == a) == a.is_square());
      squares += a.is_square();
      CHECK(a.square().is_square());
   }
   CHECK(squares > 5); // about half of random elements are squares
   CHECK_FALSE((-fp::one()).is_square()); // p ≡ 3 (mod 4)
}

TEST_CASE("bls fp: a wide big-endian value is reduced mod p", "[crypto][bls]") {
   // 2^384 mod p, then 2^511 + 1 checked against arithmetic in the field.
   std::array<uint8_t, 64> v{};
   v[15] = 1; // 2^384
   const fp two = fp::from_u64(2);
   fp expect = fp::one();
   for (int i = 0; i < 384; ++i)
      expect = expect * two;
   CHECK(fp::from_bytes_be_wide(v) == expect);
   v.fill(0);
   v[0] = 0x80;
   v[63] = 1;
   fp e511 = fp::one();
   for (int i = 0; i < 511; ++i)
      e511 = e511 * two;
   CHECK(fp::from_bytes_be_wide(v) == e511 + fp::one());
}

#if defined(__x86_64__)
TEST_CASE("bls fp: the mulx/adx kernels agree with the portable arithmetic", "[crypto][bls]") {
   using namespace core::bls::detail::fp_impl;
   if (std::getenv("P2P_BLS_PORTABLE"))
      CHECK_FALSE(use_adx); // the run of every case on the portable path (tests/unit/crypto)
   else
      CHECK(use_adx == cpu_has_adx());
   if (!cpu_has_adx()) {
      WARN("this CPU lacks BMI2 or ADX: only the portable arithmetic runs here");
      return;
   }
   const bool saved = use_adx;
   std::mt19937_64 g(20261206);
   // Operands below 2^384 for the wide product (fp2's unreduced sums reach 2p), reduced ones
   // for the Montgomery products; edge values first: 0, 1, p - 1, 2p - 1 and all-ones limbs.
   const limbs6 p_minus_1 = sub_n(p_limbs, limbs6{1, 0, 0, 0, 0, 0});
   const limbs6 two_p_minus_1 = sub_n(add_n(p_limbs, p_limbs), limbs6{1, 0, 0, 0, 0, 0});
   const limbs6 ones = {~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL};
   const std::vector<limbs6> edges = {{}, {1, 0, 0, 0, 0, 0}, p_minus_1, two_p_minus_1, ones};
   const auto reduced = [&](const limbs6& a) {
      limbs6 r = a;
      r[5] &= 0x1fffffffffffffffULL;
      while (!(reduce_once(r) == r)) // r >= p
         r = reduce_once(r);
      return r;
   };
   int mismatches = 0;
   for (int i = 0; i < 20000; ++i) {
      limbs6 a, b;
      for (auto& x : a)
         x = g();
      for (auto& x : b)
         x = g();
      if (i < int(edges.size() * edges.size())) {
         a = edges[std::size_t(i) % edges.size()];
         b = edges[std::size_t(i) / edges.size()];
      }
      use_adx = true;
      const limbs12 wide_adx = mul_wide(a, b);
      use_adx = false;
      mismatches += !(wide_adx == mul_wide_portable(a, b));

      const limbs6 ar = reduced(a), br = reduced(b);
      // redc's inputs as fp2 makes them: a product of reduced values, and p^2 + a·b - b'·a'.
      const limbs12 t1 = mul_wide_portable(ar, br);
      const limbs12 t2 = sub_wide(add_wide(t1, p_squared), mul_wide_portable(br, reduced(ones)));
      use_adx = true;
      const limbs6 r1 = redc(t1), r2 = redc(t2), m = mont_mul(ar, br), s = mont_sqr(ar);
      use_adx = false;
      mismatches += !(r1 == redc_portable(t1)) + !(r2 == redc_portable(t2));
      mismatches += !(m == mont_mul_portable(ar, br)) + !(s == mont_sqr_portable(ar));

      // The Fp2 product kernel, also in place (out is one of the operands).
      const fp2 x{fp{ar}, fp{br}}, y{fp{reduced(b)}, fp{reduced(a)}};
      use_adx = true;
      const fp2 xy = x * y;
      fp2 in_place = x;
      in_place = in_place * in_place;
      const fp2 x2 = x.square(), zero_sq = fp2{fp{ar}, fp::zero()}.square(), u_sq = fp2{fp::zero(), fp{br}}.square();
      use_adx = false;
      mismatches += !(xy == fp2::mul_portable(x, y)) + !(in_place == fp2::mul_portable(x, x));
      mismatches += !(x2 == x.square_portable()) + !(x2 == in_place);
      mismatches += !(zero_sq == fp2{fp{ar}, fp::zero()}.square_portable()) + !(u_sq == fp2{fp::zero(), fp{br}}.square_portable());
   }
   use_adx = saved;
   CHECK(mismatches == 0);
   // And one product through the types, both ways.
   use_adx = true;
   const fp x = fp::from_u64(0x1234567), y = -fp::one();
   const fp2 z = fp2{x, y} * fp2{y, x};
   use_adx = false;
   CHECK(z == fp2{x, y} * fp2{y, x});
   use_adx = saved;
}
#endif

TEST_CASE("bls fp2: field laws, square roots, sgn0", "[crypto][bls]") {
   rng r;
   int roots = 0;
   for (int i = 0; i < 30; ++i) {
      const fp2 a = r.fp2(), b = r.fp2();
      CHECK(a.square() == a * a);
      CHECK(a * b == b * a);
      CHECK(a * a.inverse() == fp2::one());
      CHECK(a.mul_by_xi() == a * fp2{fp::one(), fp::one()});
      CHECK(a.conj() == pow_p(a));
      const auto s = a.square().sqrt();
      REQUIRE(s.has_value());
      CHECK(s->square() == a.square());
      const auto t = a.sqrt();
      CHECK(t.has_value() == a.is_square());
      roots += t.has_value();
      if (t)
         CHECK(t->square() == a);
   }
   CHECK(roots > 3);
   // sqrt of elements with c1 = 0: squares and non-squares of Fp both have roots in Fp2
   const fp2 minus_one{-fp::one(), fp::zero()};
   const auto i = minus_one.sqrt();
   REQUIRE(i.has_value());
   CHECK(i->square() == minus_one);
   CHECK(fp2{fp::zero(), fp::one()}.sgn0()); // c0 = 0, so the sign is c1's
   CHECK(fp2{fp::zero(), fp::one()}.conj().sgn0() == (-fp::one()).sgn0());
   CHECK(fp2{fp::one(), fp::zero()}.sgn0());
}

TEST_CASE("bls fp6/fp12: products, inverses and Frobenius maps", "[crypto][bls]") {
   rng r;
   for (int i = 0; i < 5; ++i) {
      const fp6 a = r.fp6(), b = r.fp6();
      CHECK(a.square() == a * a);
      CHECK(a * a.inverse() == fp6::one());
      CHECK(a.mul_by_01(b.c0, b.c1) == a * fp6{b.c0, b.c1, fp2::zero()});
      CHECK(a.mul_by_1(b.c1) == a * fp6{fp2::zero(), b.c1, fp2::zero()});
      CHECK(a.mul_by_v() == a * fp6{fp2::zero(), fp2::one(), fp2::zero()});
      CHECK(a.frobenius(1) == pow_p(a));

      const fp12 f = r.fp12(), g = r.fp12();
      CHECK(f.square() == f * f);
      CHECK((f * f.inverse()).is_one());
      CHECK(f * g == g * f);
      const fp2 l0 = r.fp2(), l1 = r.fp2(), l4 = r.fp2();
      const fp12 line{{l0, l1, fp2::zero()}, {fp2::zero(), l4, fp2::zero()}};
      CHECK(f.mul_by_014(l0, l1, l4) == f * line);
      CHECK(f.frobenius(1) == pow_p(f));
      CHECK(f.frobenius(2) == f.frobenius(1).frobenius(1));
      CHECK(f.frobenius(6) == f.conj());
      CHECK(f.frobenius(12) == f);
   }
}

TEST_CASE("bls fp12: cyclotomic squaring matches squaring in the cyclotomic subgroup", "[crypto][bls]") {
   rng r;
   for (int i = 0; i < 5; ++i) {
      const fp12 f = r.fp12();
      fp12 g = f.conj() * f.inverse(); // f^(p^6 - 1)
      g = g.frobenius(2) * g;          // ^(p^2 + 1): now unitary and cyclotomic
      CHECK((g * g.conj()).is_one());
      CHECK(g.cyclotomic_square() == g.square());
      fp12 by_squares = g;
      for (int b = 62; b >= 0; --b) {
         by_squares = by_squares * by_squares;
         if ((bls_x_abs >> b) & 1)
            by_squares = by_squares * g;
      }
      CHECK(g.cyclotomic_pow_x_abs() == by_squares);
      CHECK(g.cyclotomic_pow_x_abs_plain() == by_squares);
      // A Frobenius image is cyclotomic too: one more input for the compressed chain.
      CHECK(g.frobenius(1).cyclotomic_pow_x_abs() == g.frobenius(1).cyclotomic_pow_x_abs_plain());
   }
   // The identity compresses to zeros, which do not decompress: the plain chain answers.
   CHECK(fp12::one().cyclotomic_pow_x_abs() == fp12::one());
}
