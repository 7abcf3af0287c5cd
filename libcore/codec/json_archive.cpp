#include "codec/json_archive.hpp"

#include <cstdlib>

namespace core {

void json_input_archive::fail(std::string detail) {
   if (!ok())
      return;
   err_.code = decode_errc::bad_json;
   err_.offset = 0;
   err_.field = path();
   err_.detail = std::move(detail);
}

bool json_input_archive::read_integer(int64_t lo, uint64_t hi, bool is_signed, uint64_t& out_u, int64_t& out_s) {
   const auto& j = current();
   bool neg = false;
   uint64_t mag = 0;
   if (j.IsUint64()) {
      mag = j.GetUint64();
   } else if (j.IsInt64()) {
      int64_t v = j.GetInt64();
      neg = v < 0;
      mag = neg ? uint64_t(0) - uint64_t(v) : uint64_t(v);
   } else if (j.IsString()) {
      std::string_view s(j.GetString(), j.GetStringLength());
      if (!s.empty() && s[0] == '-') {
         neg = true;
         s.remove_prefix(1);
      }
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), mag);
      if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) {
         fail("expected an integer");
         return false;
      }
   } else {
      fail("expected an integer");
      return false;
   }
   if (neg) {
      if (!is_signed || mag > uint64_t(0) - uint64_t(lo)) {
         fail("integer out of range");
         return false;
      }
      out_s = static_cast<int64_t>(uint64_t(0) - mag);
      return true;
   }
   if (mag > hi) {
      fail("integer out of range");
      return false;
   }
   out_u = mag;
   out_s = static_cast<int64_t>(mag);
   return true;
}

void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, std::string& s) {
   if (!ar.ok())
      return;
   if (!ar.current().IsString()) {
      ar.fail("expected a string");
      return;
   }
   s.assign(ar.current().GetString(), ar.current().GetStringLength());
}

void CEREAL_LOAD_FUNCTION_NAME(json_input_archive& ar, bytes& b) {
   b.clear();
   if (!ar.ok())
      return;
   if (!ar.current().IsString()) {
      ar.fail("expected a hex string");
      return;
   }
   auto v = from_hex(std::string_view(ar.current().GetString(), ar.current().GetStringLength()));
   if (!v) {
      ar.fail("expected a hex string");
      return;
   }
   b.assign(v->begin(), v->end());
}

void load_hex_exact(json_input_archive& ar, std::span<uint8_t> out) {
   if (!ar.ok())
      return;
   if (!ar.current().IsString() ||
       !from_hex(std::string_view(ar.current().GetString(), ar.current().GetStringLength()), out))
      ar.fail(fmt::format("expected {} bytes of hex", out.size()));
}

bool expect_tuple(json_input_archive& ar, unsigned n) {
   if (!ar.ok())
      return false;
   if (!ar.current().IsArray() || ar.current().Size() != n) {
      ar.fail(fmt::format("expected an array of {}", n));
      return false;
   }
   return true;
}

} // namespace core
