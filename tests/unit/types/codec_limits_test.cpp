// Every limit and malformed form is a typed decode_error with an offset and a field.
#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "types/block.hpp"
#include "types/transaction.hpp"
#include "crypto/sha256.hpp"

#include "support/golden.hpp"

#include <catch2/catch.hpp>

using namespace core;

namespace {
std::vector<uint8_t> hex_bytes(const std::string& h) { return *from_hex(h); }

transaction sample_transaction() {
   transaction t;
   t.expiration = time_point_sec{1700000060};
   t.actions.push_back(action{"eosio.token"_n, "transfer"_n, {{"alice"_n, "active"_n}}, bytes{'a', 'b'}});
   return t;
}
} // namespace

TEST_CASE("limits: truncated input names the field and offset", "[codec]") {
   auto raw = hex_bytes(test::golden_named("block_0trx_plain").hex());
   raw.resize(60);
   auto r = unpack<signed_block>(raw);
   REQUIRE_FALSE(r);
   CHECK(r.error().code == decode_errc::truncated);
   CHECK(r.error().field == "transaction_mroot");
   CHECK(r.error().offset == 46);
}

TEST_CASE("limits: trailing bytes are rejected", "[codec]") {
   auto raw = hex_bytes(test::golden_named("block_0trx_plain").hex());
   raw.push_back(0);
   auto r = unpack<signed_block>(raw);
   REQUIRE_FALSE(r);
   CHECK(r.error().code == decode_errc::trailing_bytes);
   CHECK(r.error().offset == raw.size() - 1);
}

TEST_CASE("limits: bool other than 0/1", "[codec]") {
   // new_producers optional flag is a bool at byte 4+8+2+32*3+4 = 114
   auto raw = hex_bytes(test::golden_named("block_0trx_plain").hex());
   raw[114] = 2;
   auto r = unpack<signed_block>(raw);
   REQUIRE_FALSE(r);
   CHECK(r.error().code == decode_errc::bad_bool);
   CHECK(r.error().offset == 114);
   CHECK(r.error().field == "new_producers");
}

TEST_CASE("limits: overlong varint", "[codec]") {
   const uint8_t six[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
   auto r = unpack<varuint32>(six);
   REQUIRE_FALSE(r);
   CHECK(r.error().code == decode_errc::varint_overlong);
   const uint8_t big[] = {0xff, 0xff, 0xff, 0xff, 0x10};
   CHECK(unpack<varuint32>(big).error().code == decode_errc::varint_overlong);
   const uint8_t max[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
   CHECK(unpack<varuint32>(max)->value == 0xffffffffu);
}

TEST_CASE("limits: unknown variant index", "[codec]") {
   // receipt trx variant index 2 does not exist
   transaction_receipt rc;
   rc.trx = checksum256{};
   auto raw = pack(rc);
   raw[6] = 2;
   auto r = unpack<transaction_receipt>(raw);
   REQUIRE_FALSE(r);
   CHECK(r.error().code == decode_errc::unknown_variant);
   CHECK(r.error().field == "trx");
   CHECK(r.error().offset == 6);
}

TEST_CASE("limits: huge counts are refused before allocating", "[codec]") {
   SECTION("more elements than fc allows") {
      std::vector<uint8_t> raw = {0x81, 0x80, 0x40}; // 1,048,577
      auto r = unpack<std::vector<uint8_t>>(raw);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == decode_errc::too_many_elements);
   }
   SECTION("more elements than the remaining bytes can hold") {
      std::vector<uint8_t> raw = {0xff, 0xff, 0x3f, 0, 0, 0}; // 1,048,575 checksums in 3 bytes
      auto r = unpack<std::vector<checksum256>>(raw);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == decode_errc::count_exceeds_input);
   }
   SECTION("byte arrays above 20 MiB") {
      byte_writer w;
      w.write_varuint32(20 * 1024 * 1024 + 1);
      auto r = unpack<bytes>(w.bytes(), 64 * 1024 * 1024);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == decode_errc::bytes_too_large);
   }
   SECTION("inputs above 8 MiB") {
      std::vector<uint8_t> raw(limits::max_message_bytes + 1);
      CHECK(unpack<bytes>(raw).error().code == decode_errc::message_too_large);
   }
}

TEST_CASE("limits: packed_transaction contents are checked like nodeos", "[codec]") {
   auto good = packed_transaction::make(sample_transaction(), {});
   SECTION("unknown compression") {
      auto raw = pack(good);
      raw[1] = 2; // compression byte after an empty signature vector
      auto r = unpack<packed_transaction>(raw);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == decode_errc::bad_value);
      CHECK(r.error().field == "compression");
   }
   SECTION("packed_trx with trailing bytes") {
      auto p = good;
      p.packed_trx.push_back(0);
      auto r = unpack<packed_transaction>(pack(p));
      REQUIRE_FALSE(r);
      CHECK(r.error().code == decode_errc::trailing_bytes);
   }
   SECTION("corrupt zlib stream") {
      auto p = packed_transaction::make(sample_transaction(), {}, {}, compression_type::zlib);
      p.packed_trx[p.packed_trx.size() / 2] ^= 0x55;
      p.packed_trx.resize(p.packed_trx.size() - 4);
      auto r = unpack<packed_transaction>(pack(p));
      REQUIRE_FALSE(r);
      CHECK(r.error().code == decode_errc::decompress_failed);
   }
   SECTION("zlib bomb above 1 MiB") {
      std::vector<uint8_t> zeros(2 * 1024 * 1024);
      packed_transaction p;
      p.compression = compression_type::zlib;
      p.packed_trx = zlib_compress(zeros);
      auto r = unpack<packed_transaction>(pack(p));
      REQUIRE_FALSE(r);
      CHECK(r.error().code == decode_errc::decompressed_too_large);
   }
   SECTION("zlib round trip keeps the id") {
      auto z = packed_transaction::make(sample_transaction(), {}, {}, compression_type::zlib);
      auto r = unpack<packed_transaction>(pack(z));
      REQUIRE(r);
      CHECK(r->id() == good.id());
      CHECK(r->id() == sample_transaction().id());
   }
}

TEST_CASE("limits: JSON input errors name the field", "[codec]") {
   auto r = from_json<transaction_header>(R"({"expiration":"2023-11-14T22:14:20","ref_block_num":70000})");
   REQUIRE_FALSE(r);
   CHECK(r.error().code == decode_errc::bad_json);
   CHECK(r.error().field == "ref_block_num");
   auto m = from_json<permission_level>(R"({"actor":"alice"})");
   REQUIRE_FALSE(m);
   CHECK(m.error().detail.find("permission") != std::string::npos);
   CHECK_FALSE(from_json<permission_level>(R"({"actor":"Alice","permission":"active"})"));
   CHECK_FALSE(from_json<permission_level>("{"));
}

TEST_CASE("packed_transaction: a non-minimal varuint inside packed_trx hashes as nodeos re-packs it", "[types]") {
   // fc accepts `80 00` for 0; nodeos computes the id and signing digest over the re-packed
   // transaction, so ours must too.
   auto t = sample_transaction();
   auto canonical = pack(t);
   // max_net_usage_words (varuint 0) sits after expiration (4), ref_block_num (2), prefix (4).
   REQUIRE(canonical[10] == 0);
   std::vector<uint8_t> padded(canonical.begin(), canonical.begin() + 10);
   padded.push_back(0x80);
   padded.push_back(0x00);
   padded.insert(padded.end(), canonical.begin() + 11, canonical.end());
   packed_transaction p;
   p.packed_trx.assign(padded.begin(), padded.end());
   auto r = unpack<packed_transaction>(pack(p));
   REQUIRE(r);
   CHECK(r->id() == t.id());
   CHECK(r->id() != sha256(padded));
   const checksum256 chain{};
   CHECK(r->sig_digest(chain) == signing_digest(chain, canonical, checksum256{}));
}

TEST_CASE("time_point: extreme values print without overflow", "[types]") {
   CHECK_FALSE(time_point{INT64_MIN}.to_string().empty());
   CHECK_FALSE(time_point{INT64_MAX}.to_string().empty());
   CHECK(time_point{-1}.to_string() == "1969-12-31T23:59:59.999");
}
