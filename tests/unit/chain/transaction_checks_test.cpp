// Stateless transaction rules (chain/transaction_checks): golden transactions signed by nodeos's
// serializer, and transactions built and signed here, one accept/reject pair per rule.
#include "chain/transaction_checks.hpp"

#include "crypto/recover.hpp"

#include "trx_test_util.hpp"

using namespace core;
using namespace trx_test;

namespace {

packed_transaction golden_trx(const std::string& name) {
   auto raw = from_hex(test::golden_named(name).hex());
   REQUIRE(raw);
   auto t = unpack<packed_transaction>(*raw);
   if (!t)
      FAIL(t.error().message());
   return *t;
}

/// A context in which the golden transaction is valid: its reference block is the head and the
/// block time is 10 s before its expiration.
trx_check_context golden_context(const std::string& name, const packed_transaction& t) {
   const auto ref = golden_checksum(name, "ref_block_id");
   trx_check_context c;
   c.chain_id = golden_checksum(name, "chain_id");
   c.head_block_num = block_num_from_id(ref);
   c.pending_block_time = {(int64_t(t.get_transaction().expiration.secs) - 10) * 1'000'000};
   c.tapos_block = [ref](uint32_t n) -> std::optional<block_id_type> {
      if (n == block_num_from_id(ref))
         return ref;
      return std::nullopt;
   };
   return c;
}

trx_errc check(const transaction& t, const trx_check_context& c = test_context()) {
   return check_transaction(sign(t), c).code;
}

} // namespace

TEST_CASE("transaction_checks: golden nodeos transactions pass and recover their keys", "[chain]") {
   for (const char* name : {"packed_trx_none", "packed_trx_zlib", "packed_trx_none_2sigs_hdr_fields"}) {
      INFO(name);
      const auto t = golden_trx(name);
      const auto ctx = golden_context(name, t);
      const auto r = check_transaction(t, ctx);
      INFO(r.detail);
      REQUIRE(r.ok());
      const auto& want = test::golden_named(name).derived()["recovered_public_keys"];
      std::vector<std::string> got, expected;
      for (const auto& k : r.keys)
         got.push_back(k.to_string());
      for (const auto& k : want.GetArray())
         expected.push_back(k.GetString());
      std::sort(got.begin(), got.end());
      std::sort(expected.begin(), expected.end());
      CHECK(got == expected);
      CHECK(r.net_usage_bytes % 8 == 0);

      auto wrong_chain = ctx;
      wrong_chain.chain_id = test_chain_id();
      // A different chain id recovers some other key: fine for recovery, so it still passes the
      // stateless rules but yields different keys (authorization, which needs state, would fail).
      const auto other = check_transaction(t, wrong_chain);
      if (other.ok())
         CHECK(other.keys != r.keys);
   }
}

TEST_CASE("transaction_checks: a built transaction passes, single and zlib", "[chain]") {
   CHECK(check(base_trx()) == trx_errc::ok);
   auto r = check_transaction(sign(base_trx(), {dev_key()}, {}, compression_type::zlib), test_context());
   INFO(r.detail);
   CHECK(r.ok());
   REQUIRE(r.keys.size() == 1);
   CHECK(r.keys[0] == dev_key().get_public_key());
}

TEST_CASE("transaction_checks: signatures", "[chain]") {
   const auto ctx = test_context();
   SECTION("none") {
      CHECK(check_transaction(sign(base_trx(), {}), ctx).code == trx_errc::no_signatures);
   }
   SECTION("two distinct keys accepted") {
      auto r = check_transaction(sign(base_trx(), {dev_key(), key_for("bob")}), ctx);
      CHECK(r.ok());
      CHECK(r.keys.size() == 2);
   }
   SECTION("same key twice rejected (tx_duplicate_sig)") {
      auto r = check_transaction(sign(base_trx(), {dev_key(), key_for("bob"), dev_key()}), ctx);
      CHECK(r.code == trx_errc::duplicate_signature_key);
      CHECK(r.detail.find("signature 2") != std::string::npos);
   }
   SECTION("all-zero signature rejected") {
      auto pt = sign(base_trx());
      pt.signatures.push_back(signature{});
      CHECK(check_transaction(pt, ctx).code == trx_errc::invalid_signature);
   }
   SECTION("non-canonical K1 signature rejected") {
      auto pt = sign(base_trx());
      // Negating s (s' = n - s) gives a valid ECDSA signature with high s, which EOS's canonical
      // rule rejects; setting the top bit of r is rejected outright.
      auto& k1 = std::get<signature::k1>(pt.signatures[0].storage);
      k1.data[1] |= 0x80;
      CHECK(!pt.signatures[0].is_canonical());
      CHECK(check_transaction(pt, ctx).code == trx_errc::invalid_signature);
   }
   SECTION("recovery results must match the signatures") {
      auto pt = sign(base_trx());
      std::vector<result<public_key>> none;
      CHECK(check_transaction(pt, ctx, none).code == trx_errc::invalid_signature);
   }
}

TEST_CASE("transaction_checks: transaction extensions are not allowed on input transactions", "[chain]") {
   auto t = base_trx();
   CHECK(check(t) == trx_errc::ok);
   t.transaction_extensions.push_back({0, bytes(8, 1)});
   CHECK(check(t) == trx_errc::bad_extension);
   t.transaction_extensions = {{7, {}}};
   CHECK(check(t) == trx_errc::bad_extension);
}

TEST_CASE("transaction_checks: expiration relative to the block time", "[chain]") {
   auto ctx = test_context();
   const uint32_t now = uint32_t(t0().us / 1'000'000);
   auto t = base_trx();
   t.expiration.secs = now;
   CHECK(check(t, ctx) == trx_errc::ok); // expiration == block time is still valid
   t.expiration.secs = now - 1;
   CHECK(check(t, ctx) == trx_errc::expired);
   t.expiration.secs = now + ctx.config.max_transaction_lifetime;
   CHECK(check(t, ctx) == trx_errc::ok);
   t.expiration.secs = now + ctx.config.max_transaction_lifetime + 1;
   CHECK(check(t, ctx) == trx_errc::expiration_too_far);
   // A block time with a sub-second part: expiration must not be before it.
   ctx.pending_block_time.us += 500'000;
   t.expiration.secs = now;
   CHECK(check(t, ctx) == trx_errc::expired);
}

TEST_CASE("transaction_checks: TAPO", "[chain]") {
   auto ctx = test_context();
   SECTION("head and the oldest block of the 65,536 window resolve") {
      CHECK(check(base_trx(head_num)) == trx_errc::ok);
      CHECK(check(base_trx(head_num - 65'535)) == trx_errc::ok);
   }
   SECTION("a block older than the window is replaced by the newer one with the same low bits") {
      // ref_block_num = low 16 bits of head - 65,536 = low bits of head, so it resolves to head,
      // whose prefix differs.
      CHECK(check(base_trx(head_num - 65'536)) == trx_errc::tapos_mismatch);
   }
   SECTION("wrong prefix") {
      auto t = base_trx();
      t.ref_block_prefix ^= 1;
      CHECK(check(t) == trx_errc::tapos_mismatch);
   }
   SECTION("block not known to the lookup") {
      ctx.tapos_block = [](uint32_t) { return std::optional<block_id_type>{}; };
      CHECK(check(base_trx(), ctx) == trx_errc::tapos_unknown_block);
   }
   SECTION("young chain: slots never written hold the zero id, as Leap's block_summary table") {
      ctx.head_block_num = 10;
      auto t = base_trx(5);
      CHECK(check(t, ctx) == trx_errc::ok);
      t.ref_block_num = 0;
      t.ref_block_prefix = 0;
      CHECK(check(t, ctx) == trx_errc::ok);
      t.ref_block_num = 11; // would be block 11 - 65,536 < 1
      CHECK(check(t, ctx) == trx_errc::tapos_mismatch);
   }
}

TEST_CASE("transaction_checks: authorizations", "[chain]") {
   auto t = base_trx();
   action cfa;
   cfa.account = "eosio.null"_n;
   cfa.name = "nonce"_n;
   t.context_free_actions.push_back(cfa);
   CHECK(check(t) == trx_errc::ok);
   t.context_free_actions[0].authorization.push_back({"alice"_n, "active"_n});
   CHECK(check(t) == trx_errc::cfa_has_authorization);

   auto u = base_trx();
   u.actions[0].authorization.clear();
   CHECK(check(u) == trx_errc::no_authorization);
   u.actions.clear();
   CHECK(check(u) == trx_errc::no_authorization);
}

TEST_CASE("transaction_checks: delay_sec", "[chain]") {
   const auto ctx = test_context();
   auto t = base_trx();
   t.delay_sec.value = ctx.config.max_transaction_delay;
   CHECK(check(t) == trx_errc::ok);
   t.delay_sec.value = ctx.config.max_transaction_delay + 1;
   CHECK(check(t) == trx_errc::delay_too_long);
}

TEST_CASE("transaction_checks: billable net usage follows Leap's formula", "[chain]") {
   chain_config cfg;
   auto pt = sign(base_trx());
   const uint64_t prunable = pack(pt.signatures).size(); // 1 + 66
   const uint64_t raw = cfg.base_per_transaction_net_usage + 16 + pt.packed_trx.size() +
                        (prunable * cfg.context_free_discount_net_usage_num + cfg.context_free_discount_net_usage_den - 1) /
                           cfg.context_free_discount_net_usage_den;
   CHECK(billable_net_usage_bytes(pt, cfg) == (raw + 7) / 8 * 8);

   auto delayed = base_trx();
   delayed.delay_sec.value = 1;
   auto pd = sign(delayed);
   const uint64_t raw_d = cfg.base_per_transaction_net_usage + 16 + pd.packed_trx.size() +
                          (prunable * 20 + 99) / 100 + cfg.base_per_transaction_net_usage + 32;
   CHECK(billable_net_usage_bytes(pd, cfg) == (raw_d + 7) / 8 * 8);

   // Context-free data is prunable and discounted.
   auto with_cfd = sign(base_trx(), {dev_key()}, {bytes(1000, 7)});
   CHECK(billable_net_usage_bytes(with_cfd, cfg) < billable_net_usage_bytes(pt, cfg) + 1000);
}

TEST_CASE("transaction_checks: net usage limits", "[chain]") {
   auto ctx = test_context();
   auto t = base_trx();
   const uint64_t net = billable_net_usage_bytes(sign(t), ctx.config);
   SECTION("max_net_usage_words in the header") {
      t.max_net_usage_words.value = uint32_t(net / 8 + 1); // the header itself grows by at most a byte
      CHECK(check(t) == trx_errc::ok);
      t.max_net_usage_words.value = 2;
      CHECK(check(t) == trx_errc::too_large);
      t.max_net_usage_words.value = std::numeric_limits<uint32_t>::max() / 8;
      CHECK(check(t) == trx_errc::net_usage_words_overflow);
   }
   SECTION("max_transaction_net_usage") {
      ctx.config.max_transaction_net_usage = uint32_t(net);
      CHECK(check(t, ctx) == trx_errc::ok);
      ctx.config.max_transaction_net_usage = uint32_t(net - 1);
      CHECK(check(t, ctx) == trx_errc::too_large);
   }
   SECTION("room left in the block") {
      ctx.block_net_used_bytes = ctx.config.max_block_net_usage - net;
      CHECK(check(t, ctx) == trx_errc::ok);
      ctx.block_net_used_bytes += 1;
      CHECK(check(t, ctx) == trx_errc::block_net_exceeded);
   }
   SECTION("a large action") {
      auto big = base_trx(head_num - 1, std::string(600 * 1024, 'x'));
      CHECK(check(big, ctx) == trx_errc::too_large);
   }
}

TEST_CASE("transaction_checks: duplicate id", "[chain]") {
   auto ctx = test_context();
   const auto pt = sign(base_trx());
   ctx.is_duplicate = [id = pt.id()](const transaction_id_type& x, time_point_sec) { return x == id; };
   CHECK(check_transaction(pt, ctx).code == trx_errc::duplicate);
   CHECK(check(base_trx(head_num - 1, "other"), ctx) == trx_errc::ok);
}

TEST_CASE("transaction_checks: signature requests for the pool", "[chain]") {
   const auto pt = sign(base_trx(), {dev_key(), key_for("bob")});
   std::vector<recovery_request> reqs;
   append_signature_requests(pt, test_chain_id(), reqs);
   REQUIRE(reqs.size() == 2);
   CHECK(reqs[0].sig == &pt.signatures[0]);
   CHECK(reqs[1].digest == pt.sig_digest(test_chain_id()));
   CHECK(*recover_key(*reqs[1].sig, reqs[1].digest) == key_for("bob").get_public_key());
   CHECK(to_string(trx_errc::tapos_mismatch) == "tapos_mismatch");
}
