#include "chain/aggregating_qc.hpp"
#include "chain/vote_digests.hpp"
#include "crypto/bls/private_key.hpp"
#include "crypto/bls/verify.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace core;

namespace {

checksum256 filled(uint8_t b) {
   checksum256 c;
   c.data.fill(b);
   return c;
}

bls::private_key key_of(uint8_t seed) { return *bls::private_key::from_seed(std::vector<uint8_t>(32, seed)); }

vote_message vote_by(const bls::private_key& k, const checksum256& block, const checksum256& digest, bool strong) {
   vote_message v;
   v.block_id = block;
   v.strong = strong;
   v.finalizer_key.data = k.get_public_key().bytes();
   const auto weak = make_weak_digest(digest);
   v.sig.data = strong ? k.sign(digest.data).bytes() : k.sign(weak).bytes();
   return v;
}

} // namespace

TEST_CASE("vote digests: a few prepared messages, the least recently used going first", "[chain][savanna]") {
   vote_digests d(2);
   const auto a = filled(1), b = filled(2), c = filled(3);
   CHECK(d.get(a.data).message() == std::vector<uint8_t>(a.data.begin(), a.data.end()));
   d.get(b.data);
   d.get(a.data); // found: no preparation, and a is now the most recent
   CHECK(d.prepared() == 2);
   d.get(c.data); // evicts b, the least recently used
   CHECK(d.size() == 2);
   CHECK(d.prepared() == 3);
   d.get(a.data);
   CHECK(d.prepared() == 3); // a was kept
   d.get(b.data);
   CHECK(d.prepared() == 4); // b was not
   CHECK(d.size() == 2);

   // What get() returns checks signatures over exactly that message.
   const auto k = key_of(7);
   CHECK(bls::verify(k.get_public_key(), d.get(c.data), k.sign(c.data)));
   CHECK_FALSE(bls::verify(k.get_public_key(), d.get(a.data), k.sign(c.data)));
}

TEST_CASE("vote digests: votes counted through them get the same verdicts", "[chain][savanna]") {
   std::vector<bls::private_key> keys = {key_of(1), key_of(2), key_of(3), key_of(4)};
   auto policy = std::make_shared<finalizer_policy>();
   policy->threshold = 3;
   for (std::size_t i = 0; i < 3; ++i) // key 4 is not in the policy
      policy->finalizers.push_back({"f" + std::to_string(i), 1, keys[i].get_public_key()});
   const auto block = filled(0xb1), digest = filled(0xd1), other = filled(0xd2);

   auto count_votes = [&](vote_digests* digests) {
      aggregating_qc qc(policy, nullptr);
      CHECK(qc.aggregate_vote(vote_by(keys[0], block, digest, true), digest, digests).status == vote_status::success);
      CHECK(qc.aggregate_vote(vote_by(keys[0], block, digest, true), digest, digests).status == vote_status::duplicate);
      // Weak votes sign the weak digest, which is its own prepared message.
      CHECK(qc.aggregate_vote(vote_by(keys[1], block, digest, false), digest, digests).status == vote_status::success);
      // A signature over another digest, or a strong signature sent as weak, does not verify.
      CHECK(qc.aggregate_vote(vote_by(keys[2], block, other, true), digest, digests).status ==
            vote_status::invalid_signature);
      auto as_weak = vote_by(keys[2], block, digest, true);
      as_weak.strong = false;
      CHECK(qc.aggregate_vote(as_weak, digest, digests).status == vote_status::invalid_signature);
      CHECK(qc.aggregate_vote(vote_by(keys[3], block, digest, true), digest, digests).status ==
            vote_status::unknown_public_key);
      CHECK_FALSE(qc.is_quorum_met());
      CHECK(qc.aggregate_vote(vote_by(keys[2], block, digest, true), digest, digests).status == vote_status::success);
      CHECK(qc.is_quorum_met());
   };
   count_votes(nullptr); // each signature checked on its own
   vote_digests digests(4);
   count_votes(&digests);
   CHECK(digests.prepared() == 2); // the strong and the weak digest, once each
}
