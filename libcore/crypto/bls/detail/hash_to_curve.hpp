#pragma once
/// Internal: RFC 9380 hash_to_curve for G2, suite BLS12381G2_XMD:SHA-256_SSWU_RO_ (with the
/// caller's domain separation tag): expand_message_xmd with SHA-256, hash_to_field into Fp2,
/// simplified SWU on the 3-isogenous curve E2', the 3-isogeny map to E2, and clear_cofactor.
/// Messages are public; none of this is constant time.
#include "crypto/bls/detail/g2.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace core::bls::detail {

/// RFC 9380 5.3.1. `len_in_bytes` at most 255·32, `dst` at most 255 bytes (both hold for every
/// caller here; larger values yield an empty vector).
std::vector<uint8_t> expand_message_xmd(std::span<const uint8_t> msg, std::span<const uint8_t> dst,
                                        std::size_t len_in_bytes);

/// hash_to_field(msg, 2) into Fp2 (L = 64 bytes per base-field element).
std::array<fp2, 2> hash_to_field_fp2(std::span<const uint8_t> msg, std::span<const uint8_t> dst);

/// map_to_curve: simplified SWU onto E2' followed by the 3-isogeny to E2 (not yet in G2).
g2_jacobian map_to_curve_g2(const fp2& u);

/// The whole hash_to_curve: a point of G2.
g2_jacobian hash_to_g2(std::span<const uint8_t> msg, std::span<const uint8_t> dst);

} // namespace core::bls::detail
