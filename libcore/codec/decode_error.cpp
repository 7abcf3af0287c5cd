#include "codec/decode_error.hpp"

#include <fmt/format.h>

namespace core {

std::string_view to_string(decode_errc e) {
   switch (e) {
   case decode_errc::ok: return "ok";
   case decode_errc::truncated: return "truncated input";
   case decode_errc::bad_bool: return "bool is neither 0 nor 1";
   case decode_errc::varint_overlong: return "overlong varint";
   case decode_errc::too_many_elements: return "too many elements";
   case decode_errc::bytes_too_large: return "byte array too large";
   case decode_errc::count_exceeds_input: return "count exceeds remaining input";
   case decode_errc::unknown_variant: return "unknown variant index";
   case decode_errc::trailing_bytes: return "trailing bytes";
   case decode_errc::message_too_large: return "message too large";
   case decode_errc::bad_value: return "invalid value";
   case decode_errc::decompress_failed: return "decompression failed";
   case decode_errc::decompressed_too_large: return "decompressed size too large";
   case decode_errc::bad_json: return "invalid JSON";
   }
   return "unknown error";
}

std::string decode_error::message() const {
   std::string out{to_string(code)};
   if (code != decode_errc::bad_json)
      out += fmt::format(" at byte {}", offset);
   if (!field.empty())
      out += fmt::format(" in field {}", field);
   if (!detail.empty())
      out += fmt::format(": {}", detail);
   return out;
}

std::string format_field_path(std::span<const field_path_elem> path) {
   std::string out;
   for (const auto& e : path) {
      if (e.name) {
         if (!out.empty())
            out += '.';
         out += e.name;
      } else {
         out += fmt::format("[{}]", e.index);
      }
   }
   return out;
}

} // namespace core
