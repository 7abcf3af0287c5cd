#pragma once
/// BLS signature verification with Spring's ciphersuites (the IETF BLS draft's proof-of-possession
/// scheme): signatures in G2, public keys in G1, messages hashed to G2 with RFC 9380.
///
/// Every check is one product of pairings with a single final exponentiation. The arguments are
/// decoded values, so their points are already known to be in the right subgroups.
///
/// The identity. verify() and verify_pop() reject an identity public key (the IETF KeyValidate;
/// Spring does not). Verification against an aggregate follows Spring's arithmetic exactly: an
/// aggregate that sums to the identity, including one of no keys, contributes the factor 1, so
/// that a quorum certificate verifies here exactly when it verifies in Spring. Checking vote
/// weights against the policy's threshold is the caller's job. All functions are thread-safe.
///
/// A quorum certificate, with the policy's keys decoded once (public_key) and kept:
///
///    aggregate_public_key strong, weak;
///    for (std::size_t i = 0; i < policy_keys.size(); ++i) {
///       if (strong_bits[i]) strong.add(policy_keys[i]);
///       if (weak_bits[i]) weak.add(policy_keys[i]);
///    }
///    const aggregate_public_key keys[] = {strong, weak};
///    const std::span<const uint8_t> msgs[] = {digest, weak_digest}; // digest ‖ "WEAK"
///    bool ok = has_weak ? aggregate_verify(keys, msgs, qc_sig) : verify(strong, digest, qc_sig);
#include "crypto/bls/aggregate.hpp"
#include "crypto/bls/prepared_message.hpp"
#include "crypto/bls/public_key.hpp"
#include "crypto/bls/signature.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace core::bls {

/// Domain separation tags (Spring's CIPHERSUITE_ID and POP_CIPHERSUITE_ID).
inline constexpr std::string_view signature_dst = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_";
inline constexpr std::string_view pop_dst = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

/// e(key, H(message)) == e(g1, sig). False for an identity key.
bool verify(const public_key& key, std::span<const uint8_t> message, const signature& sig);

/// The same check against a prepared message (prepared_message.hpp): the same answer as
/// verify(key, message.message(), sig), without hashing the message again.
bool verify(const public_key& key, const prepared_message& message, const signature& sig);

/// Fast aggregate verification: every key signed the same message (a quorum certificate's
/// strong or weak votes). Spring-compatible for identity sums.
bool verify(const aggregate_public_key& keys, std::span<const uint8_t> message, const signature& sig);

/// Aggregate verification over several messages, each signed by the sum keys[i]:
/// e(g1, sig) == prod e(keys[i], H(messages[i])). A certificate with strong and weak votes has
/// two: (strong voters, digest) and (weak voters, digest ‖ "WEAK"). False if the spans differ in
/// size or are empty. Messages need not be distinct (proofs of possession rule out rogue keys).
bool aggregate_verify(std::span<const aggregate_public_key> keys, std::span<const std::span<const uint8_t>> messages,
                      const signature& sig);

/// The proof of possession of `key` (Spring's pop_verify, but false for an identity key).
bool verify_pop(const public_key& key, const signature& pop);

} // namespace core::bls
