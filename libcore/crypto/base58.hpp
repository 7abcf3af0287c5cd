#pragma once
/// Base58 with the Bitcoin alphabet (fc::to_base58 / fc::from_base58): big-endian base-58 digits,
/// each leading zero byte written as '1'. Quadratic in the length, so decoding caps its input
/// before allocating. Thread-safe.
#include "codec/result.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace core {

/// Default cap on base58 input, in characters (about 2.9 KB of data). Key strings are 50-60
/// characters; WebAuthn signatures with their auth_data and client JSON a few hundred.
inline constexpr std::size_t base58_max_chars = 4096;

std::string base58_encode(std::span<const uint8_t> data);

/// Decodes `s`. Rejects characters outside the alphabet (including whitespace, which fc skips at
/// either end) and input longer than `max_chars`. The empty string decodes to no bytes.
result<std::vector<uint8_t>> base58_decode(std::string_view s, std::size_t max_chars = base58_max_chars);

} // namespace core
