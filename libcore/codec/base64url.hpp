#pragma once
/// base64url (RFC 4648 §5) as fc writes and reads it: the WebAuthn challenge, and Spring's BLS
/// string forms (PUB_BLS_..., SIG_BLS_..., PVT_BLS_...).
#include "codec/result.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace core {

/// Without padding, as fc::base64url_encode writes it.
std::string base64url_encode(std::span<const uint8_t> in);

/// fc's base64url decoding (fc::base64url_decode): stops at the first '=', rejects any
/// character but letters, digits, '-' and '_' before it, and drops the bits of an incomplete
/// last group (a lone last digit gives no byte). Error: the first bad character.
result<std::vector<uint8_t>> base64url_decode(std::string_view text);

/// The bytes `chars` base64url digits decode to.
constexpr std::size_t base64url_decoded_size(std::size_t chars) {
   return chars / 4 * 3 + (chars % 4 ? chars % 4 - 1 : 0);
}

} // namespace core
