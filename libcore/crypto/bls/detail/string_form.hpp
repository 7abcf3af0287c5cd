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

std::string encode_string(std::string_view prefix, std::span<const uint8_t> data);

/// The `size` data bytes of a string form: bad_prefix, bad_base64, bad_length (the body is not
/// size + 4 bytes; checked before decoding) or bad_checksum.
result<std::vector<uint8_t>> decode_string(std::string_view s, std::string_view prefix, std::size_t size);

} // namespace core::bls::detail
