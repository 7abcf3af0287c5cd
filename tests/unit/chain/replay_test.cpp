// chain_replayer against the serial reference (block_header_state::next + validate_block_body):
// same accepted chain, same first failure and wording, for every lookahead; block_history's
// TAPO window and duplicate index; the devnet genesis.
#include "types/devnet.hpp"
#include "chain/replay.hpp"

#include "signed_chain_builder.hpp"

#include "codec/codec.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

using namespace core;
using chain_test::signed_chain_builder;

namespace {

struct outcome {
   uint32_t block_num = 0;
   std::string error;
   bool operator==(const outcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const outcome& o) { return os << o.block_num << " '" << o.error << "'"; }

/// The reference: one block at a time, next() with its signature check, then the body.
std::vector<outcome> serial(const block_header_state& start, const std::vector<signed_block>& blocks,
                            const genesis_state& g) {
   block_history h;
   auto ctx = h.context(g.compute_chain_id(), g.initial_configuration);
   recovery_pool pool(2);
   h.record_block(start.block_num, start.id);
   block_header_state state = start;
   std::vector<outcome> out;
   for (const auto& b : blocks) {
      auto s = state.next(b);
      if (!s) {
         out.push_back({b.block_num(), s.error()});
         break;
      }
      h.expire(b.timestamp);
      auto r = validate_block_body(b, ctx, pool);
      if (!r) {
         out.push_back({b.block_num(), r.error().to_string()});
         break;
      }
      h.record_transactions(*r);
      h.record_block(s->block_num, s->id);
      state = std::move(*s);
      out.push_back({b.block_num(), ""});
   }
   return out;
}

std::vector<outcome> replayed(const block_header_state& start, const std::vector<signed_block>& blocks,
                              const genesis_state& g, std::size_t lookahead, block_id_type* head_id = nullptr) {
   recovery_pool pool(2);
   std::vector<outcome> out;
   uint32_t expected = start.block_num + 1;
   {
      chain_replayer r(start, {g.compute_chain_id(), g.initial_configuration, lookahead}, pool,
                       [&](const replayed_block& rb) {
                          CHECK(rb.block->block_num() == expected++);
                          CHECK(rb.header_ok() == (rb.state != nullptr));
                          out.push_back({rb.block->block_num(), rb.error});
                       });
      for (const auto& b : blocks)
         if (!r.push(std::make_shared<const signed_block>(b)))
            break;
      const bool ok = r.finish();
      CHECK(ok == (out.empty() || out.back().error.empty()));
      if (head_id)
         *head_id = r.head().id;
   }
   return out;
}

void check_same(const block_header_state& start, const std::vector<signed_block>& blocks, const genesis_state& g) {
   const auto want = serial(start, blocks, g);
   for (std::size_t lookahead : {1, 3, 0}) {
      INFO("lookahead " << lookahead);
      CHECK(replayed(start, blocks, g, lookahead) == want);
   }
}

} // namespace

TEST_CASE("chain_replayer: accepts a signed chain in order and ends on the builder's head", "[chain]") {
   signed_chain_builder c;
   const auto start = c.head();
   std::vector<signed_block> blocks;
   for (int i = 0; i < 60; ++i)
      blocks.push_back(c.next_block(i % 4));
   block_id_type head;
   auto got = replayed(start, blocks, c.genesis(), 0, &head);
   REQUIRE(got.size() == blocks.size());
   for (const auto& o : got)
      CHECK(o.error.empty());
   CHECK(head == c.head().id);
   CHECK(got == serial(start, blocks, c.genesis()));
}

TEST_CASE("chain_replayer: rejects exactly what next + validate_block_body reject", "[chain]") {
   // Each case builds 12 good blocks, a bad block 14, and good-looking blocks after it.
   using mutate = std::function<void(signed_chain_builder&, std::vector<signed_block>&, signed_block&)>;
   const std::vector<std::pair<const char*, mutate>> cases = {
      {"producer signature", [](auto&, auto&, signed_block& b) { std::get<signature::k1>(b.producer_signature.storage).data[10] ^= 1; }},
      {"previous", [](auto&, auto&, signed_block& b) { b.previous.data[10] ^= 1; }},
      {"transaction signature",
       [](auto&, auto&, signed_block& b) {
          auto& pt = std::get<packed_transaction>(b.transactions[1].trx);
          auto sigs = pt.signatures;
          std::get<signature::k1>(sigs[0].storage).data[0] = 0;
          pt = packed_transaction::make(pt.get_transaction(), sigs, {});
       }},
      {"duplicate of an earlier block",
       [](auto&, std::vector<signed_block>& prev, signed_block& b) { b.transactions[0] = prev[10].transactions[0]; }},
      {"expired",
       [](signed_chain_builder& c, auto&, signed_block& b) {
          auto t = c.make_transaction("old", 60);
          t.expiration.secs -= 120;
          b.transactions[2] = c.receipt(c.sign(t, 0));
       }},
      {"tapos mismatch",
       [](signed_chain_builder& c, auto&, signed_block& b) {
          auto t = c.make_transaction("tapos", 60, c.head().block_num - 2, c.head().id);
          b.transactions[0] = c.receipt(c.sign(t, 1));
       }},
      {"net usage",
       [](auto&, auto&, signed_block& b) { b.transactions[1].net_usage_words.value += 1; }},
   };
   for (const auto& [what, f] : cases) {
      INFO(what);
      signed_chain_builder c;
      const auto start = c.head();
      std::vector<signed_block> blocks;
      for (int i = 0; i < 12; ++i)
         blocks.push_back(c.next_block(3));
      auto bad = c.draft(c.make_receipts(3));
      const bool header_case = std::string(what) == "producer signature" || std::string(what) == "previous";
      if (header_case) {
         c.seal(bad);
         f(c, blocks, bad); // spoil the header after signing
      } else {
         f(c, blocks, bad);
         bad.transaction_mroot = bad.calculate_transaction_mroot();
         c.seal(bad);
      }
      blocks.push_back(bad);
      for (int i = 0; i < 6; ++i)
         blocks.push_back(c.next_block(2));
      const auto want = serial(start, blocks, c.genesis());
      REQUIRE(want.size() == 13);
      CHECK(!want.back().error.empty());
      check_same(start, blocks, c.genesis());
   }
}

TEST_CASE("block_history: TAPO window of 65,536 blocks and expiry of transaction ids", "[chain]") {
   block_history h;
   for (uint32_t n = 1; n <= 70'000; ++n)
      h.record_block(n, make_block_id(checksum256{}, n));
   CHECK(!h.id_for_num(70'000 - 65'536));
   CHECK(h.id_for_num(70'000 - 65'535) == make_block_id(checksum256{}, 70'000 - 65'535));
   CHECK(!h.id_for_num(0));
   CHECK(!h.id_for_num(70'001));

   const transaction_id_type a = sha256(std::string_view("a")), b = sha256(std::string_view("b"));
   constexpr uint32_t t0 = 1'800'000'000; // seconds since 1970
   std::vector<validated_transaction> v{{a, time_point_sec{t0}}, {b, time_point_sec{t0 + 100}}};
   h.record_transactions(v);
   h.expire(block_timestamp::from_time_point(time_point{int64_t(t0) * 1'000'000}));
   CHECK(h.contains_transaction(a)); // expiration == block time: still live
   h.expire(block_timestamp::from_time_point(time_point{int64_t(t0 + 50) * 1'000'000}));
   CHECK(!h.contains_transaction(a));
   CHECK(h.contains_transaction(b));
   CHECK(h.live_transaction_count() == 1);
}

TEST_CASE("devnet: genesis with the development key and a stable chain id", "[chain]") {
   const auto g = devnet_genesis();
   CHECK(g.initial_key.to_string() == devnet_public_key);
   CHECK(g.initial_timestamp.to_string() == "2026-01-01T00:00:00.000");
   CHECK(g.initial_configuration == chain_config{});
   CHECK(g.initial_configuration.max_block_net_usage == 1024 * 1024);
   CHECK(g.compute_chain_id().to_string() == "905e3443a1d803875d4061959a298314fa54c580c3b5676e2fbc4966dfbc26d9");

   const auto json = to_genesis_json(g);
   CHECK(json.find("\"initial_key\": \"EOS6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV\"") != std::string::npos);
   auto back = from_json<genesis_state>(json);
   REQUIRE(back);
   CHECK(*back == g);
   CHECK(back->compute_chain_id() == g.compute_chain_id());
}
