// Golden vectors (Leap's own serialization code) for the chain types: decode, compare fields,
// re-encode byte-identically and recompute every derived value.
#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "types/block.hpp"
#include "types/genesis.hpp"
#include "types/merkle.hpp"
#include "types/name.hpp"
#include "types/time_types.hpp"
#include "types/transaction.hpp"

#include "support/golden.hpp"
#include "support/json_compare.hpp"

#include <catch2/catch.hpp>

using namespace core;

namespace {
std::vector<uint8_t> hex_bytes(const std::string& h) {
   auto v = from_hex(h);
   REQUIRE(v);
   return *v;
}
checksum256 digest_of(const rapidjson::Value& v) {
   auto r = checksum256::from_string(v.GetString());
   REQUIRE(r);
   return *r;
}
template <class T>
T decode_and_compare(const test::golden_vector& g) {
   INFO(g.name);
   auto raw = hex_bytes(g.hex());
   auto decoded = unpack<T>(raw);
   if (!decoded)
      FAIL(decoded.error().message());
   CHECK(to_hex(pack(*decoded)) == g.hex());
   rapidjson::Document actual;
   auto js = to_json(*decoded);
   actual.Parse(js.c_str());
   std::string where;
   CHECK(test::json_subset(g.fields(), actual, where));
   INFO(where);
   CHECK(where.empty());
   auto back = from_json<T>(js);
   if (!back)
      FAIL(back.error().message());
   CHECK(to_hex(pack(*back)) == g.hex());
   return *decoded;
}
} // namespace

TEST_CASE("name: golden vectors", "[types]") {
   for (const auto& g : test::golden_of_type("name")) {
      INFO(g.name);
      const auto& f = g.fields();
      auto n = name::from_string(f["string"].GetString());
      REQUIRE(n);
      CHECK(std::to_string(n->value) == test::str_of(f["uint64"]));
      CHECK(n->to_string() == f["to_string"].GetString());
      CHECK(to_hex(pack(*n)) == g.hex());
   }
   for (const auto& g : test::golden_of_type("name_invalid")) {
      INFO(g.name);
      std::string s = g.fields()["string"].GetString();
      CHECK_FALSE(name::from_string(s));
      CHECK(std::to_string(name::string_to_value(s)) == test::str_of(g.fields()["string_to_uint64_t"]));
   }
}

TEST_CASE("name: rejects non-normalized strings", "[types]") {
   CHECK_FALSE(name::from_string("abcdefghijklmn"));  // 14 characters
   CHECK_FALSE(name::from_string("abcdefghijklz"));   // 13th character beyond j
   CHECK_FALSE(name::from_string("Alice"));           // upper case
   CHECK_FALSE(name::from_string("a6"));              // digit outside 1-5
   CHECK(name::from_string("abcdefghijklj"));
   CHECK("eosio.token"_n == *name::from_string("eosio.token"));
}

TEST_CASE("varuint32 and varint32: golden vectors", "[codec]") {
   for (const auto& g : test::golden_of_type("varuint32")) {
      INFO(g.name);
      varuint32 v{static_cast<uint32_t>(g.fields()["value"].GetUint64())};
      CHECK(to_hex(pack(v)) == g.hex());
      auto back = unpack<varuint32>(hex_bytes(g.hex()));
      REQUIRE(back);
      CHECK(back->value == v.value);
   }
   for (const auto& g : test::golden_of_type("varint32")) {
      INFO(g.name);
      varint32 v{static_cast<int32_t>(g.fields()["value"].GetInt64())};
      CHECK(to_hex(pack(v)) == g.hex());
      auto back = unpack<varint32>(hex_bytes(g.hex()));
      REQUIRE(back);
      CHECK(back->value == v.value);
   }
}

TEST_CASE("time types: golden vectors", "[types]") {
   for (const auto& g : test::golden_of_type("block_timestamp_type")) {
      INFO(g.name);
      block_timestamp t{static_cast<uint32_t>(g.fields()["slot"].GetUint64())};
      CHECK(to_hex(pack(t)) == g.hex());
      CHECK(t.to_string() == g.fields()["string"].GetString());
      CHECK(t.to_time_point().us / 1000000 == g.fields()["unix_seconds"].GetInt64());
      auto parsed = block_timestamp::from_string(g.fields()["string"].GetString());
      REQUIRE(parsed);
      CHECK(*parsed == t);
   }
   for (const auto& g : test::golden_of_type("time_point_sec")) {
      time_point_sec t{static_cast<uint32_t>(g.fields()["unix_seconds"].GetUint64())};
      CHECK(to_hex(pack(t)) == g.hex());
      CHECK(t.to_string() == g.fields()["string"].GetString());
      auto parsed = time_point_sec::from_string(g.fields()["string"].GetString());
      REQUIRE(parsed);
      CHECK(*parsed == t);
   }
   CHECK_FALSE(time_point::from_string("2020-13-01T00:00:00"));
   CHECK_FALSE(time_point::from_string("2020-01-01 00:00:00"));
   CHECK(time_point::from_string("2020-01-01T00:00:00.5")->us % 1000000 == 500000);
}

TEST_CASE("merkle: golden vectors, batch and incremental", "[types]") {
   for (const auto& g : test::golden_of_type("merkle")) {
      INFO(g.name);
      std::vector<checksum256> leaves;
      for (const auto& l : g.fields()["leaves"].GetArray())
         leaves.push_back(digest_of(l));
      checksum256 root = digest_of(g.fields()["root"]);
      CHECK(legacy_merkle(leaves) == root);
      incremental_merkle inc;
      for (const auto& l : leaves)
         inc.append(l);
      CHECK(inc.root() == root);
   }
}

TEST_CASE("block_header: golden vectors and ids", "[types]") {
   for (const auto& g : test::golden_of_type("block_header")) {
      auto h = decode_and_compare<block_header>(g);
      if (g.has_derived()) {
         const auto& d = g.derived();
         if (d.HasMember("header_digest"))
            CHECK(h.digest() == digest_of(d["header_digest"]));
         if (d.HasMember("id_recomputed"))
            CHECK(h.calculate_id() == digest_of(d["id_recomputed"]));
         if (d.HasMember("block_num"))
            CHECK(h.block_num() == d["block_num"].GetUint());
         if (d.HasMember("ref_block_prefix_of_id"))
            CHECK(ref_block_prefix(h.calculate_id()) == d["ref_block_prefix_of_id"].GetUint());
      }
   }
}

TEST_CASE("transaction: golden vectors and ids", "[types]") {
   for (const auto& g : test::golden_of_type("transaction")) {
      auto t = decode_and_compare<transaction>(g);
      if (g.has_derived() && g.derived().HasMember("id_recomputed"))
         CHECK(t.id() == digest_of(g.derived()["id_recomputed"]));
   }
}

TEST_CASE("packed_transaction: golden vectors, ids and digests", "[types]") {
   for (const auto& g : test::golden_of_type("packed_transaction")) {
      auto p = decode_and_compare<packed_transaction>(g);
      const auto& d = g.derived();
      REQUIRE(p.unpacked());
      CHECK(p.id() == digest_of(d["id"]));
      CHECK(to_hex(p.transaction_bytes()) == d["transaction_hex"].GetString());
      CHECK(p.sig_digest(digest_of(d["chain_id"])) == digest_of(d["sig_digest"]));
      CHECK(p.packed_digest() == digest_of(d["packed_digest"]));
      rapidjson::Document trx;
      trx.Parse(to_json(p.get_transaction()).c_str());
      std::string where;
      CHECK(test::json_subset(d["transaction"], trx, where));
      INFO(where);
   }
}

TEST_CASE("signed_block: golden vectors, ids, merkle roots and digests", "[types]") {
   for (const auto& g : test::golden_of_type("signed_block")) {
      auto b = decode_and_compare<signed_block>(g);
      if (!g.has_derived())
         continue;
      const auto& d = g.derived();
      if (d.HasMember("block_num"))
         CHECK(b.block_num() == d["block_num"].GetUint());
      if (d.HasMember("header_digest"))
         CHECK(b.digest() == digest_of(d["header_digest"]));
      for (const char* k : {"id", "id_recomputed", "id_recorded_by_nodeos"})
         if (d.HasMember(k))
            CHECK(b.calculate_id() == digest_of(d[k]));
      if (d.HasMember("receipt_digests")) {
         std::size_t i = 0;
         for (const auto& r : d["receipt_digests"].GetArray())
            CHECK(b.transactions.at(i++).digest() == digest_of(r));
      }
      if (d.HasMember("transaction_mroot_recomputed_match"))
         CHECK(b.calculate_transaction_mroot() == b.transaction_mroot);
      if (d.HasMember("transaction_mroot"))
         CHECK(b.calculate_transaction_mroot() == digest_of(d["transaction_mroot"]));
      if (d.HasMember("sig_digest") && d.HasMember("blockroot_merkle_root") && d.HasMember("pending_schedule_hash"))
         CHECK(legacy_signing_digest(b.digest(), digest_of(d["blockroot_merkle_root"]),
                                     digest_of(d["pending_schedule_hash"])) == digest_of(d["sig_digest"]));
      auto hx = decode_header_extensions(b.header_extensions);
      CHECK(hx);
      auto bx = decode_block_extensions(b.block_extensions);
      CHECK(bx);
   }
}

TEST_CASE("genesis: chain id and block 1 from the real block log genesis", "[types]") {
   const auto& g = test::golden_named("real_blocklog_snapshots_block_1");
   const auto& d = g.derived();
   auto gen = from_json<genesis_state>(test::to_json_string(d["genesis"]));
   if (!gen)
      FAIL(gen.error().message());
   CHECK(gen->compute_chain_id() == digest_of(d["chain_id"]));
   auto b1 = gen->genesis_block();
   CHECK(to_hex(pack(b1)) == g.hex());
   CHECK(b1.calculate_id() == digest_of(d["id_recomputed"]));
}
