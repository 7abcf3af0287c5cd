#include "crypto/bls/detail/g2.hpp"

#include <algorithm>

namespace core::bls::detail {

namespace {

/// psi's coefficients cx = xi^-((p-1)/3) and cy = xi^-((p-1)/2), computed once.
struct psi_table {
   fp2 cx, cy;
   psi_table() {
      limbs6 e3 = p_limbs, e2 = p_limbs;
      e3[0] -= 1;
      e2[0] -= 1;
      // (p-1)/3 and (p-1)/2 by long division on the limbs
      u128 rem = 0;
      for (int i = 5; i >= 0; --i) {
         const u128 cur = (rem << 64) | e3[i];
         e3[i] = uint64_t(cur / 3);
         rem = cur % 3;
      }
      for (int i = 0; i < 6; ++i)
         e2[i] = (e2[i] >> 1) | (i < 5 ? e2[i + 1] << 63 : 0);
      const fp2 xi{fp::one(), fp::one()};
      cx = xi.pow(e3).inverse();
      cy = xi.pow(e2).inverse();
   }
};

const psi_table& psi_consts() {
   static const psi_table t;
   return t;
}

g2_jacobian mul_by_x(const g2_jacobian& p) { return neg(mul_by_x_abs(p, bls_x_abs)); }

bool read_fp(std::span<const uint8_t> in, std::size_t at, fp& out) {
   return fp::from_bytes_le(std::span<const uint8_t, 48>(in.data() + at, 48), out);
}

} // namespace

g2_affine g2_generator() { return {g2_gen_x, g2_gen_y, false}; }

g2_jacobian psi(const g2_jacobian& p) {
   const auto& c = psi_consts();
   return {p.x.conj() * c.cx, p.y.conj() * c.cy, p.z.conj()};
}

bool g2_in_subgroup(const g2_affine& p) {
   if (p.infinity)
      return true;
   const g2_jacobian pj = to_jacobian(p);
   return equal(psi(pj), mul_by_x(pj));
}

g2_jacobian g2_clear_cofactor(const g2_jacobian& p) {
   const g2_jacobian t1 = mul_by_x(p);
   g2_jacobian t2 = psi(p);
   g2_jacobian t3 = psi(psi(dbl(p)));
   t3 = add(t3, neg(t2));
   t2 = mul_by_x(add(t1, t2));
   t3 = add(t3, t2);
   t3 = add(t3, neg(t1));
   return add(t3, neg(p));
}

result<g2_affine> g2_from_bytes_le(std::span<const uint8_t, 192> in) {
   if (std::all_of(in.begin(), in.end(), [](uint8_t b) { return b == 0; }))
      return g2_affine{};
   g2_affine p;
   p.infinity = false;
   if (!read_fp(in, 0, p.x.c0) || !read_fp(in, 48, p.x.c1) || !read_fp(in, 96, p.y.c0) || !read_fp(in, 144, p.y.c1))
      return unexpected(error::non_canonical);
   if (!on_curve<g2_curve>(p))
      return unexpected(error::not_on_curve);
   if (!g2_in_subgroup(p))
      return unexpected(error::not_in_subgroup);
   return p;
}

void g2_to_bytes_le(const g2_affine& p, std::span<uint8_t, 192> out) {
   if (p.infinity) {
      std::fill(out.begin(), out.end(), 0);
      return;
   }
   p.x.c0.to_bytes_le(out.subspan<0, 48>());
   p.x.c1.to_bytes_le(out.subspan<48, 48>());
   p.y.c0.to_bytes_le(out.subspan<96, 48>());
   p.y.c1.to_bytes_le(out.subspan<144, 48>());
}

} // namespace core::bls::detail
