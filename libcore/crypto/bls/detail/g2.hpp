#pragma once
/// Internal: G2, the order-r subgroup of the twist E2(Fp2): y^2 = x^3 + 4(1 + u). Signatures and
/// hashed messages live here.
#include "crypto/bls/detail/curve.hpp"
#include "crypto/bls/detail/params.hpp"
#include "crypto/bls/error.hpp"

#include <span>

namespace core::bls::detail {

using g2_affine = affine<fp2>;
using g2_jacobian = jacobian<fp2>;

g2_affine g2_generator();

/// The untwist-Frobenius-twist endomorphism psi(x, y) = (conj(x)·cx, conj(y)·cy).
g2_jacobian psi(const g2_jacobian& p);

/// Scott's test (ePrint 2021/1130): P is in G2 exactly when psi(P) = [x]P.
bool g2_in_subgroup(const g2_affine& p);

/// RFC 9380 clear_cofactor for G2: [h_eff]P, computed as in its appendix G.3 (Budroni-Pintore),
/// [x^2 - x - 1]P + [x - 1]psi(P) + psi^2(2P).
g2_jacobian g2_clear_cofactor(const g2_jacobian& p);

/// Antelope's form: x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1, each 48 bytes little-endian, not Montgomery; the
/// identity is 192 zero bytes. Checks canonical coordinates, the curve equation and membership
/// of G2.
result<g2_affine> g2_from_bytes_le(std::span<const uint8_t, 192> in);
void g2_to_bytes_le(const g2_affine& p, std::span<uint8_t, 192> out);

} // namespace core::bls::detail
