#include "crypto/bls/public_key.hpp"

#include "crypto/bls/detail/access.hpp"
#include "crypto/bls/detail/string_form.hpp"

#include <fmt/format.h>

namespace core::bls {

namespace {
constexpr std::string_view prefix = "PUB_BLS_";
}

result<public_key> public_key::from_bytes(std::span<const uint8_t> bytes) {
   if (bytes.size() != public_key_bytes)
      return unexpected(error::bad_length);
   const std::span<const uint8_t, public_key_bytes> fixed(bytes.data(), public_key_bytes);
   auto p = detail::g1_from_bytes_le(fixed);
   if (!p)
      return unexpected(p.error());
   bytes_type b;
   std::copy(fixed.begin(), fixed.end(), b.begin());
   return detail::access::make(*p, b);
}

result<public_key> public_key::parse(std::string_view s) {
   auto bin = detail::decode_string(s, prefix, public_key_bytes);
   if (!bin)
      return unexpected(bin.error());
   return from_bytes(*bin);
}

core::result<public_key> public_key::from_string(std::string_view s) {
   auto k = parse(s);
   if (!k)
      return unexpected(fmt::format("BLS public key: {}", bls::to_string(k.error())));
   return std::move(*k);
}

std::string public_key::to_string() const { return detail::encode_string(prefix, bytes_); }

void public_key::pack(byte_writer& w) const {
   w.write_varuint32(public_key_bytes);
   w.write(bytes_.data(), bytes_.size());
}

void public_key::unpack(byte_reader& r) {
   const std::size_t at = r.offset();
   const uint32_t n = r.read_varuint32();
   if (!r.ok())
      return;
   if (n != public_key_bytes)
      return r.fail_at(at, decode_errc::bad_value, fmt::format("BLS public key of {} bytes, not 96", n));
   const auto bytes = r.take(public_key_bytes);
   if (!r.ok())
      return;
   auto k = from_bytes(bytes);
   if (!k)
      return r.fail_at(at, decode_errc::bad_value, fmt::format("BLS public key: {}", bls::to_string(k.error())));
   *this = *k;
}

} // namespace core::bls
