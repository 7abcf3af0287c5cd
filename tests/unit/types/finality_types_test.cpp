// Savanna's chain types: BLS key and signature bytes, the vote bitset, ordered diffs, policies,
// the finality extension and the QC extension — their fc::raw bytes and nodeos JSON, checked
// against blocks Spring wrote (../shared/protocol/data/spring-deep-mind).
#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "types/block.hpp"
#include "types/finality_extension.hpp"
#include "types/merkle.hpp"
#include "types/ordered_diff.hpp"

#include "support/deep_mind.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace core;

namespace {
const signed_block& deep_mind_block(uint32_t num) { return test::deep_mind().block(num); }

template <class T>
T roundtrip(const T& v) {
   auto raw = pack(v);
   auto back = unpack<T>(raw);
   REQUIRE(back);
   CHECK(pack(*back) == raw);
   auto js = from_json<T>(to_json(v));
   REQUIRE(js);
   CHECK(pack(*js) == raw);
   return *back;
}
} // namespace

TEST_CASE("bls_wire: Spring's key string decodes to the bytes its block carries", "[types][savanna]") {
   // Block 4 runs setfinalizer with this key string and carries the key's bytes in its
   // finality extension.
   const auto& b = deep_mind_block(4);
   auto exts = decode_header_extensions(b.header_extensions);
   REQUIRE(exts);
   REQUIRE(exts->finality);
   const auto& f = *exts->finality;
   CHECK(f.qc_claim == qc_claim{4, false});
   REQUIRE(f.new_finalizer_policy_diff);
   CHECK_FALSE(f.new_proposer_policy_diff);
   const auto& d = *f.new_finalizer_policy_diff;
   CHECK(d.generation == 1);
   CHECK(d.threshold == 1);
   CHECK(d.finalizers_diff.remove_indexes.empty());
   REQUIRE(d.finalizers_diff.insert_indexes.size() == 1);
   const auto& fin = d.finalizers_diff.insert_indexes[0].second;
   CHECK(fin.description == "finalizeraa description");
   CHECK(fin.weight == 1);
   const std::string key = "PUB_BLS_i4hPqlkoCJagXLBiripdT0F3d76ZeoIKWU_E2IAO-BfHynmCwBJOq7TkzArrY-8AqOlbBFIpqIa8MqyOv5VqsZkMm_"
                           "lvCqNlsvSbAHBSrvVvR8oJCzQORvZ5mFjX_mgSe84T4w";
   CHECK(fin.public_key.to_string() == key);
   auto parsed = bls_public_key_bytes::from_string(key);
   REQUIRE(parsed);
   CHECK(parsed->data == fin.public_key.bytes());
   CHECK(pack(f) == std::vector<uint8_t>(b.header_extensions[1].second.begin(), b.header_extensions[1].second.end()));
   roundtrip(f);
}

TEST_CASE("bls_wire: bad strings and lengths are refused", "[types][savanna]") {
   const auto good = bls_public_key_bytes{}.to_string();
   CHECK(bls_public_key_bytes::from_string(good));
   CHECK_FALSE(bls_public_key_bytes::from_string("PUB_K1_" + good.substr(8)));
   auto bad_check = good;
   bad_check.back() = bad_check.back() == 'A' ? 'B' : 'A';
   CHECK_FALSE(bls_public_key_bytes::from_string(bad_check));
   CHECK_FALSE(bls_public_key_bytes::from_string(good.substr(0, good.size() - 4)));
   CHECK_FALSE(bls_signature_bytes::from_string(good));
   CHECK_FALSE(bls_public_key_bytes::from_string(good + "!"));
   // Wire: the varuint length must be the size.
   std::vector<uint8_t> raw = {95};
   raw.resize(96, 0);
   auto r = unpack<bls_public_key_bytes>(raw);
   REQUIRE_FALSE(r);
   CHECK(r.error().code == decode_errc::bad_value);
   CHECK(bls_signature_bytes{}.to_string().size() == 8 + 262);
}

TEST_CASE("vote_bitset: fc::dynamic_bitset bytes and boost string form", "[types][savanna]") {
   vote_bitset b(21);
   b.set(0);
   b.set(2);
   b.set(20);
   CHECK(b.count() == 3);
   CHECK(to_hex(pack(b)) == "15050010");
   CHECK(b.to_string() == "100000000000000000101");
   CHECK(to_json(b) == "\"100000000000000000101\"");
   CHECK(roundtrip(b) == b);
   // Bits past the size are dropped on decode.
   auto dirty = unpack<vote_bitset>(std::vector<uint8_t>{3, 0xff});
   REQUIRE(dirty);
   CHECK(dirty->count() == 3);
   CHECK(to_hex(pack(*dirty)) == "0307");
   // A size whose bytes are not in the input is refused before allocating.
   auto huge = unpack<vote_bitset>(std::vector<uint8_t>{0xff, 0xff, 0xff, 0xff, 0x0f, 0});
   REQUIRE_FALSE(huge);
   CHECK(huge.error().code == decode_errc::too_many_elements);
   CHECK_FALSE(vote_bitset::from_string("0120"));
}

TEST_CASE("ordered_diff: Spring's expected diffs, and apply restores the target", "[types][savanna]") {
   auto check = [](std::vector<char> s, std::vector<char> t, std::vector<uint16_t> rm,
                   std::vector<std::pair<uint16_t, char>> ins) {
      auto d = make_ordered_diff(s, t);
      CHECK(d.remove_indexes == rm);
      CHECK(d.insert_indexes == ins);
      auto back = apply_ordered_diff(s, d);
      REQUIRE(back);
      CHECK(*back == t);
   };
   check({'a', 'b', 'c', 'd', 'e'}, {'a', 'c', 'e', 'f'}, {1, 3}, {{3, 'f'}});
   check({'a', 'x', 'c', 'd', 'e'}, {'z', 'c', 'y', 'f'}, {0, 1, 3, 4}, {{0, 'z'}, {2, 'y'}, {3, 'f'}});
   check({}, {}, {}, {});
   check({'a', 'b', 'c', 'd', 'e'}, {}, {0, 1, 2, 3, 4}, {});
   check({'a', 'b', 'f', 'c', 'd'}, {'b', 'f', 'c', 'd', 'e', 'h'}, {0}, {{4, 'e'}, {5, 'h'}});

   std::mt19937 rng(7);
   for (int round = 0; round < 200; ++round) {
      std::vector<char> s(rng() % 12), t(rng() % 12);
      for (auto& c : s)
         c = char('a' + rng() % 6);
      for (auto& c : t)
         c = char('a' + rng() % 6);
      auto back = apply_ordered_diff(s, make_ordered_diff(s, t));
      REQUIRE(back);
      CHECK(*back == t);
   }
}

TEST_CASE("ordered_diff: malformed diffs are refused with the reason", "[types][savanna]") {
   const std::vector<int> base = {1, 2, 3};
   ordered_diff_result<int> d;
   d.remove_indexes = {1, 1};
   auto r = apply_ordered_diff(base, d);
   REQUIRE_FALSE(r);
   CHECK(r.error().find("not strictly ascending") != std::string::npos);
   d.remove_indexes = {3};
   r = apply_ordered_diff(base, d);
   REQUIRE_FALSE(r);
   CHECK(r.error().find("out of range") != std::string::npos);
   d.remove_indexes = {};
   d.insert_indexes = {{4, 9}};
   r = apply_ordered_diff(base, d);
   REQUIRE_FALSE(r);
   CHECK(r.error().find("insert index 4 out of range") != std::string::npos);
}

TEST_CASE("finality_extension: QC extension of a Spring block decodes and re-encodes", "[types][savanna]") {
   // Block 7 is the first to carry a QC (on block 6).
   const auto& b = deep_mind_block(7);
   CHECK(b.is_proper_savanna());
   auto bx = decode_block_extensions(b.block_extensions);
   REQUIRE(bx);
   REQUIRE(bx->qc);
   const auto& qc = bx->qc->qc;
   auto hx = decode_header_extensions(b.header_extensions);
   REQUIRE(hx);
   REQUIRE(hx->finality);
   CHECK(qc.to_qc_claim() == hx->finality->qc_claim);
   REQUIRE(qc.active_policy_sig.strong_votes);
   CHECK(qc.active_policy_sig.strong_votes->size() == 1);
   CHECK(qc.active_policy_sig.strong_votes->test(0));
   roundtrip(*bx->qc);
   auto js = to_json(*bx->qc);
   CHECK(js.find("\"strong_votes\":\"1\"") != std::string::npos);
   CHECK(js.find("\"sig\":\"SIG_BLS_") != std::string::npos);
}

TEST_CASE("transaction_mroot: proper Savanna blocks use Savanna's merkle", "[types][savanna]") {
   for (uint32_t n = 2; n <= 35; ++n) {
      const auto& b = deep_mind_block(n);
      INFO("block " << n);
      CHECK(b.calculate_transaction_mroot() == b.transaction_mroot);
   }
}

TEST_CASE("savanna_merkle: incremental tree equals the batch root", "[types][savanna]") {
   std::vector<checksum256> leaves;
   savanna_incremental_merkle tree;
   CHECK(tree.root() == checksum256{});
   for (uint32_t i = 0; i < 70; ++i) {
      checksum256 d;
      d.data[0] = uint8_t(i);
      d.data[31] = uint8_t(i * 7);
      leaves.push_back(d);
      tree.append(d);
      INFO(i);
      CHECK(tree.root() == savanna_merkle(leaves));
      CHECK(tree.leaf_count() == leaves.size());
   }
   CHECK(savanna_merkle(std::span(leaves).first(1)) == leaves[0]);
   CHECK(savanna_merkle(std::span(leaves).first(3)) ==
         savanna_merkle_parent(savanna_merkle_parent(leaves[0], leaves[1]), leaves[2]));
}
