#include "crypto/bls/aggregate.hpp"

#include "crypto/bls/detail/access.hpp"

namespace core::bls {

namespace {

using detail::access;

/// sum += item, counting n keys or signatures.
template <class Sum, class Item>
void add_to(Sum& sum, const Item& item, std::size_t n) {
   access::set(sum, detail::add(access::point(sum), access::point(item)));
   access::count(sum, n);
}

template <class Sum, class Item>
Sum sum_of(std::span<const Item> items) {
   Sum sum;
   for (const auto& x : items)
      sum.add(x);
   return sum;
}

} // namespace

aggregate_public_key aggregate_public_key::of(std::span<const public_key> keys) {
   return sum_of<aggregate_public_key>(keys);
}

void aggregate_public_key::add(const public_key& k) { add_to(*this, k, 1); }

void aggregate_public_key::add(const aggregate_public_key& other) { add_to(*this, other, other.size()); }

public_key aggregate_public_key::to_public_key() const { return access::make(detail::to_affine(access::point(*this))); }

aggregate_signature aggregate_signature::of(std::span<const signature> sigs) { return sum_of<aggregate_signature>(sigs); }

void aggregate_signature::add(const signature& s) { add_to(*this, s, 1); }

void aggregate_signature::add(const aggregate_signature& other) { add_to(*this, other, other.size()); }

signature aggregate_signature::to_signature() const { return access::make(detail::to_affine(access::point(*this))); }

} // namespace core::bls
