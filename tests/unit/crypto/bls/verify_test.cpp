#include "bls_test_util.hpp"

#include "crypto/bls/private_key.hpp"
#include "crypto/bls/verify.hpp"
#include "crypto/sha256.hpp"

using namespace core::bls;

namespace {

// Spring's test seeds and messages (libraries/libfc/test/crypto/test_bls.cpp).
const std::vector<uint8_t> seed_1 = {0,  50, 6,  244, 24,  199, 1,   25,  52, 88, 192, 19,  18,  12, 89, 6,
                                     220, 18, 102, 58, 209, 82, 12, 62, 89, 110, 182, 9, 44, 20, 254, 22};
const std::vector<uint8_t> seed_2 = {6,  51, 22,  89, 11,  15, 4,  61,  127, 241, 79,  26, 88, 52, 1,   6,
                                     18, 79, 10, 8, 36, 182, 154, 35, 75, 156, 215, 41, 29, 90, 125, 233};
const std::vector<uint8_t> seed_3 = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 22, 23, 24, 25, 26,
                                     27, 28, 29, 30, 31, 32, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12};
const std::vector<uint8_t> message_1 = {51, 23, 56, 93, 212, 129, 128, 27, 251, 12, 42, 129, 210, 9, 34, 98};
const std::vector<uint8_t> message_2 = {16, 38, 54, 125, 71, 214, 217, 78, 73, 23, 127, 235, 8, 94, 41, 53};
const std::vector<uint8_t> message_3 = {12, 4, 1, 64, 127, 86, 2, 8, 145, 25, 27, 5, 88, 4, 42, 58};

private_key key(const std::vector<uint8_t>& seed) { return *private_key::from_seed(seed); }

std::vector<uint8_t> weak_of(std::vector<uint8_t> digest) {
   for (char c : std::string_view("WEAK"))
      digest.push_back(uint8_t(c));
   return digest;
}

} // namespace

TEST_CASE("bls verify: Spring's sign and verify scenarios", "[crypto][bls]") {
   const private_key sk1 = key(seed_1), sk2 = key(seed_2), sk3 = key(seed_3);
   const public_key pk1 = sk1.get_public_key(), pk2 = sk2.get_public_key(), pk3 = sk3.get_public_key();
   const signature sig1 = sk1.sign(message_1);
   CHECK(verify(pk1, message_1, sig1));
   CHECK(sk1.sign(message_1) == sig1); // deterministic
   // wrong key, wrong message, wrong signature
   CHECK_FALSE(verify(pk2, message_1, sig1));
   CHECK_FALSE(verify(pk1, message_2, sig1));
   CHECK_FALSE(verify(pk1, message_1, sk2.sign(message_1)));
   // the POP ciphersuite is a different domain
   CHECK_FALSE(verify_pop(pk1, sig1));
   CHECK_FALSE(verify(pk1, pk1.bytes(), sk1.proof_of_possession()));
   CHECK(verify_pop(pk1, sk1.proof_of_possession()));
   CHECK_FALSE(verify_pop(pk2, sk1.proof_of_possession()));

   // Same message, aggregated keys and signatures (bls_agg_pk_verify).
   const aggregate_public_key agg_pk = aggregate_public_key::of(std::vector{pk1, pk2, pk3});
   const aggregate_signature agg_sig =
      aggregate_signature::of(std::vector{sk1.sign(message_1), sk2.sign(message_1), sk3.sign(message_1)});
   CHECK(agg_pk.size() == 3);
   CHECK(verify(agg_pk, message_1, agg_sig.to_signature()));
   CHECK_FALSE(verify(agg_pk, message_2, agg_sig.to_signature()));
   CHECK_FALSE(verify(aggregate_public_key::of(std::vector{pk1, pk2}), message_1, agg_sig.to_signature()));

   // Distinct messages (bls_agg_tree_verify): an aggregate of aggregates.
   aggregate_signature tree(sk1.sign(message_1));
   tree.add(sk2.sign(message_2));
   aggregate_signature final_sig(sk3.sign(message_3));
   final_sig.add(tree);
   const std::vector<aggregate_public_key> keys = {aggregate_public_key(pk1), aggregate_public_key(pk2),
                                                   aggregate_public_key(pk3)};
   const std::vector<std::span<const uint8_t>> msgs = {message_1, message_2, message_3};
   CHECK(aggregate_verify(keys, msgs, final_sig.to_signature()));
   const std::vector<std::span<const uint8_t>> shuffled = {message_2, message_1, message_3};
   CHECK_FALSE(aggregate_verify(keys, shuffled, final_sig.to_signature()));
   CHECK_FALSE(aggregate_verify(std::span(keys).first(2), msgs, final_sig.to_signature()));
   CHECK_FALSE(aggregate_verify({}, {}, final_sig.to_signature()));
}

TEST_CASE("bls verify: a 21-vote certificate of one key signing a finality tuple", "[crypto][bls]") {
   // Spring's bls_sig_verif_finality_types: one key's signature aggregated 21 times.
   const private_key sk = key(seed_1);
   const core::checksum256 h1 = core::sha256(std::string_view("cm_prepare264"));
   const core::checksum256 msg3 =
      core::checksum256::from_string("1097cf48a15ba1c618237d3d79f3c684c031a9844c27e6b95c6d27d8a5f401a1").value();
   const core::checksum256 h2 = core::sha256({h1.data, msg3.data});
   const signature s = sk.sign(h2.data);
   aggregate_public_key agg_pk;
   aggregate_signature agg_sig;
   for (int i = 0; i < 21; ++i) {
      agg_pk.add(sk.get_public_key());
      agg_sig.add(s);
   }
   CHECK(verify(agg_pk, h2.data, agg_sig.to_signature()));
   CHECK_FALSE(verify(agg_pk, h1.data, agg_sig.to_signature()));
}

TEST_CASE("bls verify: strong and weak votes of one certificate", "[crypto][bls]") {
   std::vector<private_key> sks;
   for (uint8_t i = 0; i < 21; ++i)
      sks.push_back(*private_key::from_seed(std::vector<uint8_t>(32, uint8_t(i + 1))));
   const std::vector<uint8_t> digest(32, 0x42);
   const std::vector<uint8_t> weak = weak_of(digest);
   aggregate_public_key strong_keys, weak_keys;
   aggregate_signature sig;
   for (std::size_t i = 0; i < sks.size(); ++i) {
      const bool strong = i % 3 != 2;
      (strong ? strong_keys : weak_keys).add(sks[i].get_public_key());
      sig.add(sks[i].sign(strong ? digest : weak));
   }
   const std::vector<aggregate_public_key> keys = {strong_keys, weak_keys};
   const std::vector<std::span<const uint8_t>> msgs = {digest, weak};
   CHECK(aggregate_verify(keys, msgs, sig.to_signature()));
   const std::vector<std::span<const uint8_t>> swapped = {weak, digest};
   CHECK_FALSE(aggregate_verify(keys, swapped, sig.to_signature()));
   // A vote moved from weak to strong breaks it.
   aggregate_public_key moved = strong_keys;
   moved.add(sks[2].get_public_key());
   const std::vector<aggregate_public_key> wrong = {moved, weak_keys};
   CHECK_FALSE(aggregate_verify(wrong, msgs, sig.to_signature()));
}

TEST_CASE("bls verify: the identity, as Spring and the IETF draft treat it", "[crypto][bls]") {
   const private_key sk = key(seed_1);
   const public_key identity_pk;
   const signature identity_sig;
   // verify() and verify_pop() reject an identity key (KeyValidate) ...
   CHECK_FALSE(verify(identity_pk, message_1, identity_sig));
   CHECK_FALSE(verify_pop(identity_pk, identity_sig));
   // ... while aggregates follow Spring's arithmetic: an empty sum contributes the factor 1.
   CHECK(verify(aggregate_public_key{}, message_1, identity_sig));
   CHECK_FALSE(verify(aggregate_public_key{}, message_1, sk.sign(message_1)));
   const std::vector<aggregate_public_key> keys = {aggregate_public_key(sk.get_public_key()), aggregate_public_key{}};
   const std::vector<uint8_t> weak = weak_of(message_1);
   const std::vector<std::span<const uint8_t>> msgs = {message_1, weak};
   CHECK(aggregate_verify(keys, msgs, sk.sign(message_1)));
   // A real signature never verifies under the identity signature.
   CHECK_FALSE(verify(sk.get_public_key(), message_1, identity_sig));
   CHECK(aggregate_signature{}.to_signature().is_identity());
   CHECK(aggregate_public_key{}.to_public_key().is_identity());
}

TEST_CASE("bls verify: a prepared message gives the same answers", "[crypto][bls]") {
   const private_key sk1 = key(seed_1), sk2 = key(seed_2);
   const public_key pk1 = sk1.get_public_key(), pk2 = sk2.get_public_key();
   const prepared_message m1(message_1);
   prepared_message m2(message_2);
   CHECK(m1.message() == message_1);
   const signature sig1 = sk1.sign(message_1);
   CHECK(verify(pk1, m1, sig1));
   CHECK_FALSE(verify(pk2, m1, sig1));                  // wrong key
   CHECK_FALSE(verify(pk1, m2, sig1));                  // wrong message
   CHECK_FALSE(verify(pk1, m1, sk2.sign(message_1)));   // wrong signer
   CHECK_FALSE(verify(pk1, m1, sk1.sign(message_2)));
   CHECK(verify(pk2, m1, sk2.sign(message_1)));         // one preparation, many keys
   // The weak digest is its own message.
   const auto weak = weak_of(message_1);
   const prepared_message mw(weak);
   CHECK(verify(pk1, mw, sk1.sign(weak)));
   CHECK_FALSE(verify(pk1, mw, sig1));
   // An identity key is refused, as verify() refuses it; a moved-from message verifies nothing.
   CHECK_FALSE(verify(public_key{}, m1, sig1));
   CHECK_FALSE(verify(pk1, m1, signature{}));
   prepared_message moved(std::move(m2));
   CHECK(verify(pk1, moved, sk1.sign(message_2)));
   CHECK_FALSE(verify(pk1, m2, sk1.sign(message_2))); // NOLINT(bugprone-use-after-move)
}
