#include "crypto/webauthn.hpp"

#include "codec/base64url.hpp"

#include "crypto/detail/p256.hpp"
#include "crypto/sha256.hpp"

#include <fmt/format.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

namespace core {

namespace {

/// The three top-level members of client_json fc reads, by a SAX handler with fc's states: a
/// top-level object whose "challenge", "origin" and "type" values must be strings (a later
/// duplicate wins), any other member's value skipped whatever it holds, and anything else
/// (a top-level array, a non-string value of the three) a parse failure.
class client_data_reader : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, client_data_reader> {
public:
   std::string challenge, origin, type;

   bool Null() { return scalar(); }
   bool Bool(bool) { return scalar(); }
   bool Int(int) { return scalar(); }
   bool Uint(unsigned) { return scalar(); }
   bool Int64(int64_t) { return scalar(); }
   bool Uint64(uint64_t) { return scalar(); }
   bool Double(double) { return scalar(); }

   bool String(const char* s, rapidjson::SizeType n, bool) {
      switch (state_) {
      case state::challenge_value: return take(challenge, s, n);
      case state::origin_value: return take(origin, s, n);
      case state::type_value: return take(type, s, n);
      case state::other_value: state_ = state::member_key; return true;
      case state::nested: return true;
      case state::object_start:
      case state::member_key: return false;
      }
      return false;
   }

   bool StartObject() {
      switch (state_) {
      case state::object_start: state_ = state::member_key; return true;
      case state::other_value: return enter();
      case state::nested: ++depth_; return true;
      default: return false;
      }
   }

   /// fc compares the key as a C string: it ends at an embedded NUL.
   bool Key(const char* s, rapidjson::SizeType, bool) {
      if (state_ == state::nested)
         return true;
      if (state_ != state::member_key)
         return false;
      if (std::strcmp(s, "challenge") == 0)
         state_ = state::challenge_value;
      else if (std::strcmp(s, "origin") == 0)
         state_ = state::origin_value;
      else if (std::strcmp(s, "type") == 0)
         state_ = state::type_value;
      else
         state_ = state::other_value;
      return true;
   }

   bool EndObject(rapidjson::SizeType) {
      if (state_ == state::member_key)
         return true;
      return leave();
   }

   bool StartArray() {
      if (state_ == state::other_value)
         return enter();
      if (state_ == state::nested) {
         ++depth_;
         return true;
      }
      return false;
   }

   bool EndArray(rapidjson::SizeType) { return leave(); }

private:
   enum class state : uint8_t { object_start, member_key, other_value, challenge_value, origin_value, type_value, nested };

   bool scalar() {
      if (state_ == state::nested)
         return true;
      if (state_ != state::other_value)
         return false;
      state_ = state::member_key;
      return true;
   }
   bool take(std::string& into, const char* s, rapidjson::SizeType n) {
      into.assign(s, n);
      state_ = state::member_key;
      return true;
   }
   bool enter() {
      state_ = state::nested;
      ++depth_;
      return true;
   }
   bool leave() {
      if (state_ != state::nested)
         return false;
      if (--depth_ == 0)
         state_ = state::member_key;
      return true;
   }

   state state_ = state::object_start;
   unsigned depth_ = 0;
};

/// Bytes of auth_data fc requires: the rpid hash (32), the flags (1) and the counter (4).
constexpr std::size_t min_auth_data_bytes = 37;
constexpr std::size_t flags_at = 32;
constexpr uint8_t flag_user_present = 0x01;
constexpr uint8_t flag_user_verified = 0x04;
constexpr std::string_view required_scheme = "https://";

} // namespace

result<public_key> recover_webauthn(const signature::webauthn& sig, const checksum256& digest) {
   client_data_reader client;
   rapidjson::Reader reader;
   rapidjson::StringStream json(sig.client_json.c_str()); // as fc: the JSON ends at the first NUL
   if (reader.Parse<rapidjson::kParseIterativeFlag>(json, client).IsError())
      return unexpected(std::string("WebAuthn client data is not the JSON object expected"));
   if (client.type != "webauthn.get")
      return unexpected(std::string("WebAuthn client data type is not webauthn.get"));
   auto challenge = base64url_decode(client.challenge);
   if (!challenge)
      return unexpected(fmt::format("WebAuthn challenge: {}", challenge.error()));
   // fc builds a sha256 from the challenge's bytes (no hashing): they must be the digest.
   if (challenge->size() != digest.data.size())
      return unexpected(fmt::format("WebAuthn challenge holds {} bytes, not a 32-byte digest", challenge->size()));
   if (!std::equal(challenge->begin(), challenge->end(), digest.data.begin()))
      return unexpected(std::string("WebAuthn challenge is not the digest signed"));
   if (!client.origin.starts_with(required_scheme))
      return unexpected(std::string("WebAuthn origin does not begin with https://"));
   // fc: origin.substr(8, origin.rfind(':') - 8); the ':' of "https:" makes that "to the end".
   const std::size_t colon = client.origin.rfind(':');
   const std::string rpid = client.origin.substr(required_scheme.size(), colon - required_scheme.size());

   if (sig.auth_data.size() < min_auth_data_bytes)
      return unexpected(fmt::format("WebAuthn auth_data has {} bytes, fewer than {}", sig.auth_data.size(),
                                    min_auth_data_bytes));
   public_key::webauthn key;
   const uint8_t flags = sig.auth_data[flags_at];
   if (flags & flag_user_present)
      key.user_presence = 1;
   if (flags & flag_user_verified)
      key.user_presence = 2;
   const auto rpid_hash = sha256(rpid);
   if (std::memcmp(sig.auth_data.data(), rpid_hash.data.data(), rpid_hash.data.size()) != 0)
      return unexpected(std::string("WebAuthn auth_data does not start with the sha256 of the origin's rpid"));

   const auto client_hash = sha256(sig.client_json);
   const auto signed_digest = sha256({sig.auth_data, client_hash.data});
   const int header = sig.data[0];
   if (header < 31 || header >= 35)
      return unexpected(std::string("WebAuthn signature header byte is not in [31, 35)"));
   auto point = detail::p256_recover(sig.data, signed_digest, detail::low_s::not_required);
   if (!point)
      return unexpected(fmt::format("WebAuthn signature: {}", point.error()));
   key.data = *point;
   key.rpid = rpid;
   return public_key(std::move(key));
}

} // namespace core
