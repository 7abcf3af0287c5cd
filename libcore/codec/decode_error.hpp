#pragma once
/// Typed decode failures: what went wrong, at which byte offset, in which field.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace core {

enum class decode_errc : uint8_t {
   ok = 0,
   truncated,               ///< input ended inside a value
   bad_bool,                ///< a bool byte other than 0 or 1
   varint_overlong,         ///< a varuint32/varint32 longer than 5 bytes or above 32 bits
   too_many_elements,       ///< vector count above max_array_elements
   bytes_too_large,         ///< string/bytes length above max_byte_array_bytes
   count_exceeds_input,     ///< a count the remaining bytes cannot hold
   unknown_variant,         ///< variant index with no alternative
   trailing_bytes,          ///< object decoded before the end of its input
   message_too_large,       ///< input above max_message_bytes
   bad_value,               ///< a value outside what the type allows
   decompress_failed,       ///< zlib stream is corrupt
   decompressed_too_large,  ///< zlib output above max_decompressed_bytes
   bad_json,                ///< JSON syntax or shape error
};

std::string_view to_string(decode_errc e);

/// A decode failure. `offset` is the byte offset in the input where the failing value starts
/// (for JSON input: 0); `field` is the path of the field being decoded ("transactions[2].trx").
struct decode_error {
   decode_errc code = decode_errc::ok;
   std::size_t offset = 0;
   std::string field;
   std::string detail;

   /// One line: "<what> at byte <offset> in field <field>: <detail>".
   std::string message() const;
};

/// One level of the path to the field being decoded: a named field or an element index.
struct field_path_elem {
   const char* name;  ///< nullptr for an element index
   std::size_t index;
};

/// The path as decode_error::field names it: "transactions[2].trx".
std::string format_field_path(std::span<const field_path_elem> path);

} // namespace core
