#include "crypto/bls/verify.hpp"

#include "crypto/bls/detail/access.hpp"
#include "crypto/bls/detail/hash_to_curve.hpp"
#include "crypto/bls/detail/pairing.hpp"

#include <vector>

namespace core::bls {

namespace {

using detail::access;

std::span<const uint8_t> as_bytes(std::string_view s) {
   return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

detail::g2_affine hash(std::span<const uint8_t> message, std::string_view dst) {
   return detail::to_affine(detail::hash_to_g2(message, as_bytes(dst)));
}

/// e(-g1, sig) · e(key, H(message)) == 1.
bool check(const detail::g1_affine& key, std::span<const uint8_t> message, std::string_view dst,
           const signature& sig) {
   const detail::pairing_pair pairs[2] = {{detail::neg(detail::g1_generator()), access::point(sig)},
                                          {key, hash(message, dst)}};
   return detail::pairing_product_is_one(pairs);
}

} // namespace

prepared_message::prepared_message(std::span<const uint8_t> message)
   : message_(message.begin(), message.end()),
     lines_(std::make_unique<const detail::g2_lines>(detail::prepare_lines(hash(message, signature_dst)))) {}

prepared_message::prepared_message(prepared_message&&) noexcept = default;
prepared_message& prepared_message::operator=(prepared_message&&) noexcept = default;
prepared_message::~prepared_message() = default;

bool verify(const public_key& key, const prepared_message& message, const signature& sig) {
   if (key.is_identity() || !message.lines_) // no lines: moved from
      return false;
   const detail::pairing_pair pair{detail::neg(detail::g1_generator()), access::point(sig)};
   const detail::prepared_pair prepared{access::point(key), message.lines_.get()};
   return detail::pairing_product_is_one({&pair, 1}, {&prepared, 1});
}

bool verify(const public_key& key, std::span<const uint8_t> message, const signature& sig) {
   if (key.is_identity())
      return false;
   return check(access::point(key), message, signature_dst, sig);
}

bool verify(const aggregate_public_key& keys, std::span<const uint8_t> message, const signature& sig) {
   return check(detail::to_affine(access::point(keys)), message, signature_dst, sig);
}

bool aggregate_verify(std::span<const aggregate_public_key> keys, std::span<const std::span<const uint8_t>> messages,
                      const signature& sig) {
   if (keys.empty() || keys.size() != messages.size())
      return false;
   std::vector<detail::pairing_pair> pairs;
   pairs.reserve(keys.size() + 1);
   pairs.push_back({detail::neg(detail::g1_generator()), access::point(sig)});
   for (std::size_t i = 0; i < keys.size(); ++i)
      pairs.push_back({detail::to_affine(access::point(keys[i])), hash(messages[i], signature_dst)});
   return detail::pairing_product_is_one(pairs);
}

bool verify_pop(const public_key& key, const signature& pop) {
   if (key.is_identity())
      return false;
   return check(access::point(key), key.bytes(), pop_dst, pop);
}

} // namespace core::bls
