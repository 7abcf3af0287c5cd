#include "crypto/bls/public_key.hpp"

#include "crypto/bls/detail/point_codec.hpp"

namespace core::bls {

namespace {
constexpr std::string_view prefix = "PUB_BLS_";
constexpr std::string_view what = "BLS public key";
} // namespace

result<public_key> public_key::from_bytes(std::span<const uint8_t> bytes) {
   return detail::point_from_bytes<public_key, public_key_bytes>(bytes, detail::g1_from_bytes_le);
}

result<public_key> public_key::parse(std::string_view s) { return detail::point_parse<public_key>(s, prefix); }

core::result<public_key> public_key::from_string(std::string_view s) { return detail::with_text_error(parse(s), what); }

std::string public_key::to_string() const { return detail::encode_string(prefix, bytes_); }

void public_key::pack(byte_writer& w) const { detail::pack_bytes(bytes_, w); }

void public_key::unpack(byte_reader& r) { detail::unpack_point(*this, r, what); }

} // namespace core::bls
