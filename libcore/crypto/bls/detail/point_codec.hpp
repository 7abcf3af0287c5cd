#pragma once
/// Internal: what public_key and signature share: their byte, string and fc::raw forms around a
/// point decoder (g1_from_bytes_le or g2_from_bytes_le).
#include "crypto/bls/detail/access.hpp"
#include "crypto/bls/detail/string_form.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace core::bls::detail {

/// T::from_bytes: exactly N bytes, decoded and checked by `decode`.
template <class T, std::size_t N, class Decode>
result<T> point_from_bytes(std::span<const uint8_t> bytes, Decode decode) {
   if (bytes.size() != N)
      return unexpected(error::bad_length);
   const std::span<const uint8_t, N> fixed(bytes.data(), N);
   auto p = decode(fixed);
   if (!p)
      return unexpected(p.error());
   typename T::bytes_type b;
   std::copy(fixed.begin(), fixed.end(), b.begin());
   return access::make(*p, b);
}

/// T::parse: the string form's bytes, then T::from_bytes.
template <class T>
result<T> point_parse(std::string_view s, std::string_view prefix) {
   auto bin = decode_string(s, prefix, std::tuple_size_v<typename T::bytes_type>);
   if (!bin)
      return unexpected(bin.error());
   return T::from_bytes(*bin);
}

/// A typed result as the codec's string_leaf wants it: the error as "<what>: <reason>".
template <class T>
core::result<T> with_text_error(result<T> r, std::string_view what) {
   if (!r)
      return unexpected(fmt::format("{}: {}", what, to_string(r.error())));
   return std::move(*r);
}

/// fc::raw: varuint32 size, then the bytes.
template <std::size_t N>
void pack_bytes(const std::array<uint8_t, N>& bytes, byte_writer& w) {
   w.write_varuint32(uint32_t(N));
   w.write(bytes.data(), N);
}

/// fc::raw into `out`; a wrong size or a rejected point fails `r` with bad_value at the value's
/// start and leaves `out` unchanged.
template <class T>
void unpack_point(T& out, byte_reader& r, std::string_view what) {
   constexpr std::size_t n = std::tuple_size_v<typename T::bytes_type>;
   const std::size_t at = r.offset();
   const uint32_t size = r.read_varuint32();
   if (!r.ok())
      return;
   if (size != n)
      return r.fail_at(at, decode_errc::bad_value, fmt::format("{} of {} bytes, not {}", what, size, n));
   const auto bytes = r.take(n);
   if (!r.ok())
      return;
   auto v = T::from_bytes(bytes);
   if (!v)
      return r.fail_at(at, decode_errc::bad_value, fmt::format("{}: {}", what, to_string(v.error())));
   out = *v;
}

} // namespace core::bls::detail
