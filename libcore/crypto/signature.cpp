#include "crypto/signature.hpp"

#include "codec/limits.hpp"
#include "crypto/detail/key_string.hpp"
#include "crypto/detail/key_variant.hpp"
#include "crypto/detail/p256.hpp"

#include <fmt/format.h>

namespace core {

namespace {

void pack_wa_body(byte_writer& w, const signature::webauthn& s) {
   w.write(s.data.data(), s.data.size());
   w.write_varuint32(static_cast<uint32_t>(s.auth_data.size()));
   w.write(s.auth_data.data(), s.auth_data.size());
   w.write_varuint32(static_cast<uint32_t>(s.client_json.size()));
   w.write(s.client_json.data(), s.client_json.size());
}

/// Reads a WebAuthn signature body into `s`; on failure `r` holds the error.
void unpack_wa_body(byte_reader& r, signature::webauthn& s) {
   r.read(s.data.data(), s.data.size());
   // fc: auth_data is a std::vector<uint8_t> (MAX_NUM_ARRAY_ELEMENTS), client_json a string
   // (MAX_SIZE_OF_BYTE_ARRAYS).
   const uint32_t na = r.read_count(limits::max_array_elements, 1, decode_errc::too_many_elements);
   const auto a = r.take(na);
   const uint32_t nj = r.read_count(limits::max_byte_array_bytes, 1, decode_errc::bytes_too_large);
   const auto j = r.take(nj);
   if (!r.ok())
      return;
   s.auth_data.assign(a.begin(), a.end());
   s.client_json.assign(reinterpret_cast<const char*>(j.data()), j.size());
}

} // namespace

const signature::compact_bytes& signature::compact() const {
   return std::visit([](const auto& s) -> const compact_bytes& { return s.data; }, storage);
}

bool signature::empty() const { return *this == signature{}; }

bool signature::is_canonical() const {
   const compact_bytes& c = compact();
   if (type() == sig_type::k1)
      return !(c[1] & 0x80) && !(c[1] == 0 && !(c[2] & 0x80)) && !(c[33] & 0x80) && !(c[33] == 0 && !(c[34] & 0x80));
   return detail::p256_is_low_s(std::span<const uint8_t, 32>(c.data() + 33, 32));
}

void signature::pack(byte_writer& w) const { detail::pack_key_variant(w, storage, pack_wa_body); }

void signature::unpack(byte_reader& r) { detail::unpack_key_variant(r, storage, unpack_wa_body, "signature"); }

std::string signature::to_string() const {
   switch (type()) {
   case sig_type::k1: return "SIG_K1_" + detail::encode_checked(compact(), "K1");
   case sig_type::r1: return "SIG_R1_" + detail::encode_checked(compact(), "R1");
   case sig_type::webauthn: break;
   }
   byte_writer w;
   pack_wa_body(w, std::get<webauthn>(storage));
   return "SIG_WA_" + detail::encode_checked(w.bytes(), "WA");
}

result<signature> signature::from_string(std::string_view s) {
   auto t = detail::split_typed(s, "SIG", "signature");
   if (!t)
      return unexpected(t.error());
   if (t->type != "K1" && t->type != "R1" && t->type != "WA")
      return unexpected(std::string("signature: signature type is not K1, R1 or WA"));
   auto bin = detail::decode_checked(t->body, t->type);
   if (!bin)
      return unexpected(fmt::format("signature: {} in SIG_{}_ string", bin.error(), t->type));
   if (t->type == "WA") {
      byte_reader r(*bin);
      webauthn w;
      unpack_wa_body(r, w);
      if (!r.ok())
         return unexpected(fmt::format("signature: bad SIG_WA_ body: {}", r.error().message()));
      if (r.remaining())
         return unexpected(fmt::format("signature: {} bytes after the SIG_WA_ body", r.remaining()));
      return signature(std::move(w));
   }
   if (bin->size() != 65)
      return unexpected(fmt::format("signature: SIG_{}_ string holds {} bytes, expected 65", t->type, bin->size()));
   compact_bytes c;
   std::copy(bin->begin(), bin->end(), c.begin());
   if (t->type == "K1")
      return signature(k1{c});
   return signature(r1{c});
}

} // namespace core
