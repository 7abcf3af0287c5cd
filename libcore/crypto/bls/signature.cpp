#include "crypto/bls/signature.hpp"

#include "crypto/bls/detail/point_codec.hpp"

namespace core::bls {

namespace {
constexpr std::string_view prefix = "SIG_BLS_";
constexpr std::string_view what = "BLS signature";
} // namespace

result<signature> signature::from_bytes(std::span<const uint8_t> bytes) {
   return detail::point_from_bytes<signature, signature_bytes>(bytes, detail::g2_from_bytes_le);
}

result<signature> signature::parse(std::string_view s) { return detail::point_parse<signature>(s, prefix); }

core::result<signature> signature::from_string(std::string_view s) { return detail::with_text_error(parse(s), what); }

std::string signature::to_string() const { return detail::encode_string(prefix, bytes_); }

void signature::pack(byte_writer& w) const { detail::pack_bytes(bytes_, w); }

void signature::unpack(byte_reader& r) { detail::unpack_point(*this, r, what); }

} // namespace core::bls
