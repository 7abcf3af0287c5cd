#pragma once
// Builders shared by the transaction and block-body validation tests: signed transactions,
// blocks around them, and a synthetic branch for TAPO lookups.
#include "chain/transaction_checks.hpp"
#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "crypto/private_key.hpp"
#include "crypto/sha256.hpp"

#include "support/golden.hpp"
#include "support/test_keys.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>

namespace trx_test {

using namespace core;

using test::dev_key;
using test::key_for;
inline checksum256 test_chain_id() { return sha256(std::string_view("trx-test-chain")); }

/// Id of block n on the synthetic branch.
inline block_id_type synthetic_id(uint32_t n) { return make_block_id(sha256("block-" + std::to_string(n)), n); }

inline time_point t0() { return {1'700'000'000LL * 1'000'000}; }
inline constexpr uint32_t head_num = 70'000; ///< past 65,536, so TAPO wraps

/// A context on the synthetic branch: block time t0(), head head_num, default chain_config.
inline trx_check_context test_context() {
   trx_check_context c;
   c.chain_id = test_chain_id();
   c.pending_block_time = t0();
   c.head_block_num = head_num;
   c.tapos_block = [](uint32_t n) -> std::optional<block_id_type> {
      if (n == 0 || n > head_num)
         return std::nullopt;
      return synthetic_id(n);
   };
   c.is_duplicate = [](const transaction_id_type&, time_point_sec) { return false; };
   return c;
}

/// A transfer-like transaction valid in test_context(), referencing `ref` and expiring 30 s after t0().
inline transaction base_trx(uint32_t ref = head_num - 1, std::string memo = "memo") {
   transaction t;
   t.expiration.secs = uint32_t(t0().us / 1'000'000 + 30);
   const auto id = synthetic_id(ref);
   t.ref_block_num = uint16_t(ref);
   t.ref_block_prefix = ref_block_prefix(id);
   action a;
   a.account = "eosio.token"_n;
   a.name = "transfer"_n;
   a.authorization.push_back({"alice"_n, "active"_n});
   a.data.assign(memo.begin(), memo.end());
   t.actions.push_back(a);
   return t;
}

/// Signs with each key over the test chain id (context-free data included in the digest).
inline packed_transaction sign(const transaction& t, std::vector<private_key> keys, std::vector<bytes> cfd = {},
                               compression_type c = compression_type::none) {
   auto unsigned_pt = packed_transaction::make(t, {}, cfd, c);
   const auto digest = unsigned_pt.sig_digest(test_chain_id());
   std::vector<signature> sigs;
   for (const auto& k : keys)
      sigs.push_back(k.sign(digest));
   return packed_transaction::make(t, std::move(sigs), std::move(cfd), c);
}

inline packed_transaction sign(const transaction& t) { return sign(t, {dev_key()}); }

inline signed_block golden_block(const std::string& name) {
   const auto& g = test::golden_named(name);
   auto raw = from_hex(g.hex());
   REQUIRE(raw);
   auto b = unpack<signed_block>(*raw);
   if (!b)
      FAIL(b.error().message());
   return *b;
}

inline checksum256 golden_checksum(const std::string& name, const char* field) {
   auto r = checksum256::from_string(test::golden_named(name).derived()[field].GetString());
   REQUIRE(r);
   return *r;
}

} // namespace trx_test
