#include "crypto/bls/aggregate.hpp"

#include "crypto/bls/detail/access.hpp"

namespace core::bls {

using detail::access;

aggregate_public_key aggregate_public_key::of(std::span<const public_key> keys) {
   aggregate_public_key a;
   for (const auto& k : keys)
      a.add(k);
   return a;
}

void aggregate_public_key::add(const public_key& k) {
   access::set(*this, detail::add(access::point(*this), access::point(k)));
   access::count(*this, 1);
}

void aggregate_public_key::add(const aggregate_public_key& other) {
   access::set(*this, detail::add(access::point(*this), access::point(other)));
   access::count(*this, other.size());
}

public_key aggregate_public_key::to_public_key() const {
   return access::make(detail::to_affine(access::point(*this)));
}

aggregate_signature aggregate_signature::of(std::span<const signature> sigs) {
   aggregate_signature a;
   for (const auto& s : sigs)
      a.add(s);
   return a;
}

void aggregate_signature::add(const signature& s) {
   access::set(*this, detail::add(access::point(*this), access::point(s)));
   access::count(*this, 1);
}

void aggregate_signature::add(const aggregate_signature& other) {
   access::set(*this, detail::add(access::point(*this), access::point(other)));
   access::count(*this, other.size());
}

signature aggregate_signature::to_signature() const {
   return access::make(detail::to_affine(access::point(*this)));
}

} // namespace core::bls
