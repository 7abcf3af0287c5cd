#pragma once
/// Internal: fc's checksummed base58 key/signature string bodies (fc/crypto/common.hpp
/// checksummed_data): base58(data ‖ ripemd160(data ‖ suffix)[0..4]).
#include "codec/result.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace core::detail {

/// base58(data ‖ ripemd160(data ‖ suffix)[0..4]); `suffix` is "K1", "R1", "WA" or empty.
std::string encode_checked(std::span<const uint8_t> data, std::string_view suffix);

/// Decodes a checksummed base58 body and returns `data` without the checksum. Errors (one line,
/// no prefix): bad base58, shorter than a checksum, checksum mismatch.
result<std::vector<uint8_t>> decode_checked(std::string_view b58, std::string_view suffix);

/// A string "<prefix>_<type>_<body>" split into type and body, e.g. "PUB_R1_abc" -> {"R1", "abc"}.
struct typed_string {
   std::string_view type;
   std::string_view body;
};
/// Splits `s` after the expected `prefix` ("PUB", "SIG", "PVT"). `what` names the value in errors.
result<typed_string> split_typed(std::string_view s, std::string_view prefix, std::string_view what);

/// Wipes a buffer that held secret material.
void secure_wipe(void* p, std::size_t n);

} // namespace core::detail
