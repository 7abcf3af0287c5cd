#pragma once
/// Internal: NIST P-256 (secp256r1, fc "R1") operations on raw bytes, through OpenSSL 3.
#include "codec/result.hpp"
#include "crypto/checksum.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace core::detail {

/// s <= n/2 (the low-S form fc's R1 recovery requires).
bool p256_is_low_s(std::span<const uint8_t, 32> s);

/// 0 < secret < n.
bool p256_secret_valid(std::span<const uint8_t, 32> secret);

/// Compressed public point of a valid secret; nullopt if the secret is not valid.
std::optional<std::array<uint8_t, 33>> p256_public_key(std::span<const uint8_t, 32> secret);

/// Whether p256_recover requires s <= n/2: fc's R1 recovery does, its WebAuthn recovery does not.
enum class low_s : uint8_t { required, not_required };

/// Recovers the compressed public point from a compact signature the way fc's R1 code does
/// (elliptic_r1.cpp): header in [27, 35), s <= n/2 (unless not_required), recid =
/// (header - 27) & 3 after removing the "compressed" +4, SEC1 4.1.6 recovery. Error: one line.
result<std::array<uint8_t, 33>> p256_recover(std::span<const uint8_t, 65> compact, const checksum256& digest,
                                             low_s rule = low_s::required);

/// ECDSA over `digest` with a random nonce (OpenSSL), normalised to low S, header 27 + 4 + recid.
/// nullopt if the secret is not valid.
std::optional<std::array<uint8_t, 65>> p256_sign(std::span<const uint8_t, 32> secret, const checksum256& digest);

} // namespace core::detail
