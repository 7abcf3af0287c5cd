#include "bls_test_util.hpp"

using namespace core::bls::detail;
using bls_test::rng;

namespace {

template <class C>
affine<field_of<C>> proj_to_affine(const projective<field_of<C>>& p) {
   if (p.z.is_zero())
      return {};
   const auto zi = p.z.inverse();
   return {p.x * zi, p.y * zi, false};
}

template <class F>
bool same(const affine<F>& a, const affine<F>& b) {
   return a.infinity == b.infinity && (a.infinity || (a.x == b.x && a.y == b.y));
}

/// Plain double-and-add, the reference for mul_vartime.
template <class F>
jacobian<F> mul_naive(const jacobian<F>& p, const std::array<uint64_t, 4>& k) {
   jacobian<F> r;
   for (int i = 255; i >= 0; --i) {
      r = dbl(r);
      if ((k[std::size_t(i / 64)] >> (i % 64)) & 1)
         r = add(r, p);
   }
   return r;
}

template <class C>
void check_group_ops(const affine<field_of<C>>& p, const affine<field_of<C>>& q) {
   using F = field_of<C>;
   const jacobian<F> pj = to_jacobian(p), qj = to_jacobian(q);
   // Jacobian: mixed and full additions agree, and the special cases are handled.
   CHECK(equal(add(pj, qj), add(pj, q)));
   CHECK(equal(add(pj, pj), dbl(pj)));
   CHECK(add(pj, neg(pj)).is_identity());
   CHECK(equal(add(pj, jacobian<F>{}), pj));
   CHECK(on_curve<C>(to_affine(add(pj, qj))));
   CHECK(on_curve<C>(to_affine(dbl(pj))));
   // The complete projective formulas give the same results, identity and doubling included.
   const projective<F> pp{p.x, p.y, F::one()}, qp{q.x, q.y, F::one()}, o{};
   CHECK(same(proj_to_affine<C>(proj_add<C>(pp, qp)), to_affine(add(pj, qj))));
   CHECK(same(proj_to_affine<C>(proj_add<C>(pp, pp)), to_affine(dbl(pj))));
   CHECK(same(proj_to_affine<C>(proj_dbl<C>(pp)), to_affine(dbl(pj))));
   CHECK(same(proj_to_affine<C>(proj_add<C>(pp, o)), p));
   CHECK(same(proj_to_affine<C>(proj_add<C>(o, o)), affine<F>{}));
   CHECK(proj_to_affine<C>(proj_add<C>(pp, {p.x, -p.y, F::one()})).infinity);
}

template <class C>
void check_scalar_mul(const affine<field_of<C>>& g, rng& r) {
   const std::array<uint64_t, 4> r_minus_1 = {r_limbs[0] - 1, r_limbs[1], r_limbs[2], r_limbs[3]};
   const std::array<uint64_t, 4> r_plus_1 = {r_limbs[0] + 1, r_limbs[1], r_limbs[2], r_limbs[3]};
   std::vector<std::array<uint64_t, 4>> ks = {{0, 0, 0, 0}, {1, 0, 0, 0}, {2, 0, 0, 0}, {15, 0, 0, 0}, {16, 0, 0, 0},
                                              r_minus_1, r_limbs, r_plus_1, {~0ULL, ~0ULL, ~0ULL, ~0ULL}};
   for (int i = 0; i < 6; ++i)
      ks.push_back(r.scalar());
   for (const auto& k : ks) {
      const auto reference = to_affine(mul_naive(to_jacobian(g), k));
      CHECK(same(to_affine(mul_vartime(to_jacobian(g), k)), reference));
      CHECK(same(mul_ct<C>(g, k), reference));
   }
   CHECK(same(mul_ct<C>(g, r_minus_1), neg(g)));
   CHECK(mul_ct<C>(g, r_limbs).infinity);
}

} // namespace

TEST_CASE("bls g1: generator, group operations, scalar multiplication", "[crypto][bls]") {
   rng r;
   const g1_affine g = g1_generator();
   REQUIRE(on_curve<g1_curve>(g));
   CHECK(bls_test::order_divides_r(g));
   const g1_affine q = to_affine(mul_vartime(to_jacobian(g), r.scalar()));
   check_group_ops<g1_curve>(g, q);
   check_scalar_mul<g1_curve>(g, r);
}

TEST_CASE("bls g2: generator, group operations, scalar multiplication", "[crypto][bls]") {
   rng r;
   const g2_affine g = g2_generator();
   REQUIRE(on_curve<g2_curve>(g));
   CHECK(bls_test::order_divides_r(g));
   const g2_affine q = to_affine(mul_vartime(to_jacobian(g), r.scalar()));
   check_group_ops<g2_curve>(g, q);
   check_scalar_mul<g2_curve>(g, r);
}

TEST_CASE("bls g1: the fast subgroup check agrees with [r]P == O", "[crypto][bls]") {
   rng r;
   int outside = 0;
   for (int i = 0; i < 12; ++i) {
      const g1_affine p = bls_test::random_e1_point(r);
      REQUIRE(on_curve<g1_curve>(p));
      const bool slow = bls_test::order_divides_r(p);
      CHECK(g1_in_subgroup(p) == slow);
      outside += !slow;
      // Clearing the cofactor (h1 = 0x396c8c005555e1568c00aaab0000aaab) lands in G1.
      const std::array<uint64_t, 4> h1 = {0x8c00aaab0000aaabULL, 0x396c8c005555e156ULL, 0, 0};
      const g1_affine cleared = to_affine(mul_vartime(to_jacobian(p), h1));
      CHECK(g1_in_subgroup(cleared));
      CHECK(bls_test::order_divides_r(cleared));
   }
   CHECK(outside == 12);
   // (0, 2) is on E1 and has order 3.
   const g1_affine order3{fp::zero(), fp::from_u64(2), false};
   REQUIRE(on_curve<g1_curve>(order3));
   CHECK_FALSE(g1_in_subgroup(order3));
}

TEST_CASE("bls g2: the fast subgroup check agrees with [r]P == O", "[crypto][bls]") {
   rng r;
   for (int i = 0; i < 6; ++i) {
      const g2_affine p = bls_test::random_e2_point(r);
      REQUIRE(on_curve<g2_curve>(p));
      CHECK(g2_in_subgroup(p) == bls_test::order_divides_r(p));
      CHECK_FALSE(g2_in_subgroup(p));
      const g2_affine cleared = to_affine(g2_clear_cofactor(to_jacobian(p)));
      CHECK(g2_in_subgroup(cleared));
      CHECK(bls_test::order_divides_r(cleared));
   }
   // On G2, psi(P) = [x]P.
   const g2_jacobian g = to_jacobian(g2_generator());
   CHECK(equal(psi(g), neg(mul_vartime(g, std::array<uint64_t, 1>{bls_x_abs}))));
}

TEST_CASE("bls g1/g2: byte forms round-trip and reject malformed points", "[crypto][bls]") {
   rng r;
   const g1_affine p1 = to_affine(mul_vartime(to_jacobian(g1_generator()), r.scalar()));
   const g2_affine p2 = to_affine(mul_vartime(to_jacobian(g2_generator()), r.scalar()));
   std::array<uint8_t, 96> b1;
   std::array<uint8_t, 192> b2;
   g1_to_bytes_le(p1, b1);
   g2_to_bytes_le(p2, b2);
   auto d1 = g1_from_bytes_le(b1);
   auto d2 = g2_from_bytes_le(b2);
   REQUIRE(d1);
   REQUIRE(d2);
   CHECK(same(*d1, p1));
   CHECK(same(*d2, p2));

   // The identity is all zero bytes, both ways.
   std::array<uint8_t, 96> z1{};
   std::array<uint8_t, 192> z2{};
   CHECK(g1_from_bytes_le(z1)->infinity);
   CHECK(g2_from_bytes_le(z2)->infinity);
   g1_to_bytes_le(g1_affine{}, b1);
   CHECK(b1 == z1);

   // Off the curve: y + 1.
   g1_to_bytes_le({p1.x, p1.y + fp::one(), false}, b1);
   CHECK(g1_from_bytes_le(b1).error() == core::bls::error::not_on_curve);
   g2_to_bytes_le({p2.x, p2.y + fp2::one(), false}, b2);
   CHECK(g2_from_bytes_le(b2).error() == core::bls::error::not_on_curve);

   // On the curve, outside the subgroup.
   g1_to_bytes_le({fp::zero(), fp::from_u64(2), false}, b1);
   CHECK(g1_from_bytes_le(b1).error() == core::bls::error::not_in_subgroup);
   g2_to_bytes_le(bls_test::random_e2_point(r), b2);
   CHECK(g2_from_bytes_le(b2).error() == core::bls::error::not_in_subgroup);

   // A coordinate at or above p (x = p: the bytes of the modulus).
   g1_to_bytes_le(p1, b1);
   for (int i = 0; i < 48; ++i)
      b1[std::size_t(i)] = uint8_t(p_limbs[std::size_t(i / 8)] >> (8 * (i % 8)));
   CHECK(g1_from_bytes_le(b1).error() == core::bls::error::non_canonical);
   g2_to_bytes_le(p2, b2);
   std::fill(b2.begin() + 144, b2.end(), 0xff);
   CHECK(g2_from_bytes_le(b2).error() == core::bls::error::non_canonical);
}
