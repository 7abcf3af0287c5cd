#include "crypto/bls/signature.hpp"

#include "crypto/bls/detail/access.hpp"
#include "crypto/bls/detail/string_form.hpp"

#include <fmt/format.h>

namespace core::bls {

namespace {
constexpr std::string_view prefix = "SIG_BLS_";
}

result<signature> signature::from_bytes(std::span<const uint8_t> bytes) {
   if (bytes.size() != signature_bytes)
      return unexpected(error::bad_length);
   const std::span<const uint8_t, signature_bytes> fixed(bytes.data(), signature_bytes);
   auto p = detail::g2_from_bytes_le(fixed);
   if (!p)
      return unexpected(p.error());
   bytes_type b;
   std::copy(fixed.begin(), fixed.end(), b.begin());
   return detail::access::make(*p, b);
}

result<signature> signature::parse(std::string_view s) {
   auto bin = detail::decode_string(s, prefix, signature_bytes);
   if (!bin)
      return unexpected(bin.error());
   return from_bytes(*bin);
}

core::result<signature> signature::from_string(std::string_view s) {
   auto k = parse(s);
   if (!k)
      return unexpected(fmt::format("BLS signature: {}", bls::to_string(k.error())));
   return std::move(*k);
}

std::string signature::to_string() const { return detail::encode_string(prefix, bytes_); }

void signature::pack(byte_writer& w) const {
   w.write_varuint32(signature_bytes);
   w.write(bytes_.data(), bytes_.size());
}

void signature::unpack(byte_reader& r) {
   const std::size_t at = r.offset();
   const uint32_t n = r.read_varuint32();
   if (!r.ok())
      return;
   if (n != signature_bytes)
      return r.fail_at(at, decode_errc::bad_value, fmt::format("BLS signature of {} bytes, not 192", n));
   const auto bytes = r.take(signature_bytes);
   if (!r.ok())
      return;
   auto k = from_bytes(bytes);
   if (!k)
      return r.fail_at(at, decode_errc::bad_value, fmt::format("BLS signature: {}", bls::to_string(k.error())));
   *this = *k;
}

} // namespace core::bls
