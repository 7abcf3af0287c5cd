#include "bls_test_util.hpp"

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
   }
}
