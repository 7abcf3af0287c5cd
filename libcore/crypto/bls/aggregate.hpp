#pragma once
/// Sums of public keys and of signatures, kept in Jacobian coordinates so that adding is cheap;
/// converting back to bytes costs one field inversion.
///
/// A quorum certificate is checked by summing the keys of the finalizers set in its vote bitset
/// (aggregate_public_key::add for each) and verifying the certificate's signature against that sum
/// (verify.hpp). Not thread-safe for concurrent add(); const use is.
#include "crypto/bls/public_key.hpp"
#include "crypto/bls/signature.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace core::bls {

class aggregate_public_key {
public:
   /// The empty sum: the identity.
   aggregate_public_key() = default;
   explicit aggregate_public_key(const public_key& k) { add(k); }
   /// The sum of `keys`.
   static aggregate_public_key of(std::span<const public_key> keys);

   void add(const public_key& k);
   void add(const aggregate_public_key& other);
   /// Number of keys added (keys that sum to the identity still count).
   std::size_t size() const { return count_; }
   /// The sum as a public key (one inversion).
   public_key to_public_key() const;

private:
   friend struct detail::access;
   std::array<uint64_t, 18> point_{}; ///< Jacobian X, Y, Z in Montgomery form; Z = 0: identity
   std::size_t count_ = 0;
};

class aggregate_signature {
public:
   /// The empty sum: the identity.
   aggregate_signature() = default;
   explicit aggregate_signature(const signature& s) { add(s); }
   /// The sum of `sigs`.
   static aggregate_signature of(std::span<const signature> sigs);

   void add(const signature& s);
   void add(const aggregate_signature& other);
   std::size_t size() const { return count_; }
   /// The sum as a signature, ready to encode or verify (one inversion).
   signature to_signature() const;

private:
   friend struct detail::access;
   std::array<uint64_t, 36> point_{}; ///< Jacobian X, Y, Z (each c0, c1) in Montgomery form
   std::size_t count_ = 0;
};

} // namespace core::bls
