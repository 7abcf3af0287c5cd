#pragma once
/// Lowercase hex encoding of byte spans.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace core {

std::string to_hex(std::span<const uint8_t> bytes);
/// Value of one hex digit (either case), or -1 for any other character.
int hex_digit_value(char c);
inline std::string to_hex(std::span<const char> bytes) {
   return to_hex(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}
/// Parses hex (either case, even length, no prefix). nullopt on any other input.
std::optional<std::vector<uint8_t>> from_hex(std::string_view hex);
/// Parses exactly out.size() bytes of hex into out.
bool from_hex(std::string_view hex, std::span<uint8_t> out);

} // namespace core
