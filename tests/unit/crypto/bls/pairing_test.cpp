#include "bls_test_util.hpp"

#include "crypto/bls/detail/pairing.hpp"

using namespace core::bls::detail;
using bls_test::rng;

namespace {

g1_affine g1_times(const std::array<uint64_t, 4>& k) { return to_affine(mul_vartime(to_jacobian(g1_generator()), k)); }
g2_affine g2_times(const std::array<uint64_t, 4>& k) { return to_affine(mul_vartime(to_jacobian(g2_generator()), k)); }

fp12 pow(const fp12& a, const std::array<uint64_t, 4>& k) {
   fp12 r = fp12::one();
   for (int i = 255; i >= 0; --i) {
      r = r.square();
      if ((k[std::size_t(i / 64)] >> (i % 64)) & 1)
         r = r * a;
   }
   return r;
}

/// a·b mod 2^256 is enough here: scalars below 2^64 keep the product exact.
std::array<uint64_t, 4> times(uint64_t a, uint64_t b) {
   const u128 m = u128(a) * b;
   return {uint64_t(m), uint64_t(m >> 64), 0, 0};
}

} // namespace

TEST_CASE("bls pairing: bilinear and non-degenerate", "[crypto][bls]") {
   rng r;
   const fp12 e = pairing(g1_generator(), g2_generator());
   CHECK_FALSE(e.is_one());
   CHECK(pow(e, r_limbs).is_one()); // e has order r
   for (int i = 0; i < 3; ++i) {
      const uint64_t a = r.gen() | 1, b = r.gen() | 1;
      const fp12 eab = pairing(g1_times({a, 0, 0, 0}), g2_times({b, 0, 0, 0}));
      CHECK(eab == pairing(g1_times(times(a, b)), g2_generator()));
      CHECK(eab == pairing(g1_generator(), g2_times(times(a, b))));
      CHECK(eab == pow(e, times(a, b)));
   }
   // Identities contribute 1.
   CHECK(pairing(g1_affine{}, g2_generator()).is_one());
   CHECK(pairing(g1_generator(), g2_affine{}).is_one());
}

TEST_CASE("bls pairing: products share one Miller loop and one final exponentiation", "[crypto][bls]") {
   rng r;
   const auto k1 = r.scalar(), k2 = r.scalar();
   const g1_affine p1 = g1_times(k1), p2 = g1_times(k2);
   const g2_affine q1 = g2_times(r.scalar()), q2 = g2_times(r.scalar());
   const pairing_pair two[] = {{p1, q1}, {p2, q2}};
   CHECK(final_exponentiation(miller_loop(two)) == pairing(p1, q1) * pairing(p2, q2));
   // e(P, Q) · e(-P, Q) = 1, and a product with any pair changed is not.
   const pairing_pair cancel[] = {{p1, q1}, {neg(p1), q1}, {g1_affine{}, q2}};
   CHECK(pairing_product_is_one(cancel));
   const pairing_pair off[] = {{p1, q1}, {neg(p2), q1}};
   CHECK_FALSE(pairing_product_is_one(off));
   CHECK(pairing_product_is_one({}));
}

TEST_CASE("bls pairing: precomputed lines give the same Miller loop", "[crypto][bls]") {
   rng r;
   const g1_affine p1 = g1_times(r.scalar()), p2 = g1_times(r.scalar());
   const g2_affine q1 = g2_times(r.scalar()), q2 = g2_times(r.scalar());
   const g2_lines l1 = prepare_lines(q1), l2 = prepare_lines(q2);
   REQUIRE(l1.lines.size() == g2_lines::count);
   // One side prepared, both sides prepared, and a mix: the same Fp12 value before the final
   // exponentiation, not only after it.
   const pairing_pair both[] = {{p1, q1}, {p2, q2}};
   const fp12 plain = miller_loop(both);
   const pairing_pair first[] = {{p1, q1}};
   const prepared_pair second[] = {{p2, &l2}};
   CHECK(miller_loop(first, second) == plain);
   const prepared_pair prepared[] = {{p1, &l1}, {p2, &l2}};
   CHECK(miller_loop({}, prepared) == plain);
   // A different P on the same lines is a different value.
   const prepared_pair swapped[] = {{p2, &l1}, {p1, &l2}};
   CHECK_FALSE(miller_loop({}, swapped) == plain);
   // e(P, Q) · e(-P, Q) = 1 with Q's lines computed once.
   const pairing_pair neg_side[] = {{neg(p1), q1}};
   const prepared_pair pos_side[] = {{p1, &l1}};
   CHECK(pairing_product_is_one(neg_side, pos_side));
   // The identity on either side contributes 1: Q's lines are empty, or P is the identity.
   const g2_lines none = prepare_lines(g2_affine{});
   CHECK(none.lines.empty());
   const prepared_pair identities[] = {{p1, &none}, {g1_affine{}, &l1}};
   CHECK(miller_loop({}, identities) == fp12::one().conj());
}
