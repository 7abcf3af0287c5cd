#pragma once
/// Internal: Spring's BLS string forms, prefix + base64url(data ‖ ripemd160(data)[0..4]) without
/// padding (fc's checksummed_data, serialize_base64url).
#include "crypto/bls/error.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace core::bls::detail {

std::string base64url_encode(std::span<const uint8_t> data);

/// Strict alphabet (A-Z a-z 0-9 - _); trailing '=' are ignored and so are the unused low bits
/// of the last character, as fc's decoder does. A length of 1 mod 4 is bad_base64.
result<std::vector<uint8_t>> base64url_decode(std::string_view s);

std::string encode_string(std::string_view prefix, std::span<const uint8_t> data);

/// The `size` data bytes of a string form: bad_prefix, bad_base64, bad_length (the body is not
/// size + 4 bytes; checked before decoding) or bad_checksum.
result<std::vector<uint8_t>> decode_string(std::string_view s, std::string_view prefix, std::size_t size);

} // namespace core::bls::detail
