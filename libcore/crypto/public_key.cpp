#include "crypto/public_key.hpp"

#include "codec/limits.hpp"
#include "crypto/detail/key_string.hpp"
#include "crypto/detail/key_variant.hpp"

#include <fmt/format.h>

namespace core {

namespace {

void pack_wa_body(byte_writer& w, const public_key::webauthn& k) {
   w.write(k.data.data(), k.data.size());
   w.write_u8(k.user_presence);
   w.write_varuint32(static_cast<uint32_t>(k.rpid.size()));
   w.write(k.rpid.data(), k.rpid.size());
}

/// Reads a WebAuthn key body into `k`; on failure `r` holds the error.
void unpack_wa_body(byte_reader& r, public_key::webauthn& k) {
   r.read(k.data.data(), k.data.size());
   k.user_presence = r.read_u8();
   const std::size_t at = r.offset();
   const uint32_t n = r.read_count(limits::max_byte_array_bytes, 1, decode_errc::bytes_too_large);
   const auto s = r.take(n);
   if (!r.ok())
      return;
   if (s.empty()) {
      r.fail_at(at, decode_errc::bad_value, "webauthn public key has an empty rpid");
      return;
   }
   k.rpid.assign(reinterpret_cast<const char*>(s.data()), s.size());
}

result<public_key::point_bytes> point_from(std::string_view body, std::string_view suffix, std::string_view form) {
   auto bin = detail::decode_checked(body, suffix);
   if (!bin)
      return unexpected(fmt::format("public key: {} in {} string", bin.error(), form));
   if (bin->size() != 33)
      return unexpected(fmt::format("public key: {} string holds {} bytes, expected 33", form, bin->size()));
   public_key::point_bytes p;
   std::copy(bin->begin(), bin->end(), p.begin());
   return p;
}

} // namespace

const public_key::point_bytes& public_key::point() const {
   return std::visit([](const auto& k) -> const point_bytes& { return k.data; }, storage);
}

bool public_key::empty() const { return *this == public_key{}; }

void public_key::pack(byte_writer& w) const { detail::pack_key_variant(w, storage, pack_wa_body); }

void public_key::unpack(byte_reader& r) { detail::unpack_key_variant(r, storage, unpack_wa_body, "public_key"); }

std::string public_key::to_string() const {
   if (const auto* k = std::get_if<k1>(&storage))
      return "EOS" + detail::encode_checked(k->data, "");
   return to_pub_string();
}

std::string public_key::to_pub_string() const {
   switch (type()) {
   case key_type::k1: return "PUB_K1_" + detail::encode_checked(point(), "K1");
   case key_type::r1: return "PUB_R1_" + detail::encode_checked(point(), "R1");
   case key_type::webauthn: break;
   }
   byte_writer w;
   pack_wa_body(w, std::get<webauthn>(storage));
   return "PUB_WA_" + detail::encode_checked(w.bytes(), "WA");
}

result<public_key> public_key::from_string(std::string_view s) {
   if (s.size() > 3 && s.starts_with("EOS") && s.find('_') == std::string_view::npos) {
      auto p = point_from(s.substr(3), "", "EOS");
      if (!p)
         return unexpected(p.error());
      return public_key(k1{*p});
   }
   auto t = detail::split_typed(s, "PUB", "public key");
   if (!t)
      return unexpected(t.error());
   if (t->type == "K1" || t->type == "R1") {
      auto p = point_from(t->body, t->type, t->type == "K1" ? "PUB_K1_" : "PUB_R1_");
      if (!p)
         return unexpected(p.error());
      if (t->type == "K1")
         return public_key(k1{*p});
      return public_key(r1{*p});
   }
   if (t->type == "WA") {
      auto bin = detail::decode_checked(t->body, "WA");
      if (!bin)
         return unexpected(fmt::format("public key: {} in PUB_WA_ string", bin.error()));
      byte_reader r(*bin);
      webauthn k;
      unpack_wa_body(r, k);
      if (!r.ok())
         return unexpected(fmt::format("public key: bad PUB_WA_ body: {}", r.error().message()));
      if (r.remaining())
         return unexpected(fmt::format("public key: {} bytes after the PUB_WA_ body", r.remaining()));
      return public_key(std::move(k));
   }
   return unexpected(std::string("public key: key type is not K1, R1 or WA"));
}

} // namespace core
