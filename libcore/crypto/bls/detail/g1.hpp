#pragma once
/// Internal: G1, the order-r subgroup of E1(Fp): y^2 = x^3 + 4. Public keys live here.
#include "crypto/bls/detail/curve.hpp"
#include "crypto/bls/detail/params.hpp"
#include "crypto/bls/error.hpp"

#include <span>

namespace core::bls::detail {

using g1_affine = affine<fp>;
using g1_jacobian = jacobian<fp>;

g1_affine g1_generator();

/// Scott's test (ePrint 2021/1130): P is in G1 exactly when phi(P) = [-x^2]P, with
/// phi(x, y) = (beta·x, y) for the cube root of unity beta that acts as -x^2 on G1.
bool g1_in_subgroup(const g1_affine& p);

/// Antelope's form: x ‖ y, each 48 bytes little-endian, not Montgomery; the identity is 96 zero
/// bytes. Checks that both coordinates are below p, that the point is on the curve and that it
/// is in G1.
result<g1_affine> g1_from_bytes_le(std::span<const uint8_t, 96> in);
void g1_to_bytes_le(const g1_affine& p, std::span<uint8_t, 96> out);

} // namespace core::bls::detail
