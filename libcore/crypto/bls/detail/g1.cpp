#include "crypto/bls/detail/g1.hpp"

#include <algorithm>

namespace core::bls::detail {

namespace {
/// The cube root of unity in Fp for which phi acts on G1 as multiplication by -x^2 (mod r).
constexpr fp beta = fp::from_hex("5f19672fdf76ce51ba69c6076a0f77eaddb3a93be6f89688de17d813620a00022e01fffffffefffe");
} // namespace

g1_affine g1_generator() { return {g1_gen_x, g1_gen_y, false}; }

bool g1_in_subgroup(const g1_affine& p) {
   if (p.infinity)
      return true;
   const g1_jacobian pj = to_jacobian(p);
   const g1_jacobian x2p = mul_by_x_abs(mul_by_x_abs(pj, bls_x_abs), bls_x_abs); // [x^2]P
   const g1_jacobian phi{p.x * beta, p.y, fp::one()};
   return equal(phi, neg(x2p));
}

result<g1_affine> g1_from_bytes_le(std::span<const uint8_t, 96> in) {
   if (std::all_of(in.begin(), in.end(), [](uint8_t b) { return b == 0; }))
      return g1_affine{};
   g1_affine p;
   p.infinity = false;
   if (!fp::from_bytes_le(in.subspan<0, 48>(), p.x) || !fp::from_bytes_le(in.subspan<48, 48>(), p.y))
      return unexpected(error::non_canonical);
   if (!on_curve<g1_curve>(p))
      return unexpected(error::not_on_curve);
   if (!g1_in_subgroup(p))
      return unexpected(error::not_in_subgroup);
   return p;
}

void g1_to_bytes_le(const g1_affine& p, std::span<uint8_t, 96> out) {
   if (p.infinity) {
      std::fill(out.begin(), out.end(), 0);
      return;
   }
   p.x.to_bytes_le(out.subspan<0, 48>());
   p.y.to_bytes_le(out.subspan<48, 48>());
}

} // namespace core::bls::detail
