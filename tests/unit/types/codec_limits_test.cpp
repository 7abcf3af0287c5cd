// Every limit and malformed form is a typed decode_error with an offset and a field.
#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "types/block.hpp"
#include "types/transaction.hpp"
#include "crypto/sha256.hpp"

#include "support/golden.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>

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

// ---- packed_transaction: validation at decode, contents on first use -------------------------

namespace {
/// A transaction touching every field and length form: context-free and normal actions,
/// several authorizations, data longer than 127 bytes (two-byte length), extensions.
transaction rich_transaction() {
   transaction t = sample_transaction();
   t.ref_block_num = 0x1234;
   t.ref_block_prefix = 0xdeadbeef;
   t.max_net_usage_words = 300;
   t.max_cpu_usage_ms = 7;
   t.delay_sec = 2;
   t.context_free_actions.push_back(action{"eosio.null"_n, "nonce"_n, {}, bytes(5, 'n')});
   t.actions.push_back(action{"eosio"_n, "updateauth"_n, {{"bob"_n, "owner"_n}, {"carol"_n, "active"_n}},
                              bytes(200, 'x')});
   t.transaction_extensions.emplace_back(uint16_t{0}, bytes(3, 'e'));
   return t;
}

std::vector<std::vector<uint8_t>> mutations_of(const std::vector<uint8_t>& good) {
   std::vector<std::vector<uint8_t>> out;
   for (std::size_t n = 0; n <= good.size() + 1; ++n) { // every truncation, and trailing bytes
      auto m = good;
      m.resize(n);
      out.push_back(std::move(m));
   }
   for (std::size_t i = 0; i < good.size(); ++i)
      for (uint8_t v : {uint8_t(0x00), uint8_t(0x7f), uint8_t(0x80), uint8_t(0xff), uint8_t(good[i] + 1)}) {
         auto m = good;
         m[i] = v;
         out.push_back(std::move(m));
      }
   return out;
}

packed_transaction with_trx_bytes(const std::vector<uint8_t>& trx, compression_type c) {
   packed_transaction p;
   p.compression = c;
   p.packed_trx = c == compression_type::zlib ? zlib_compress(trx) : bytes(trx.begin(), trx.end());
   return p;
}
} // namespace

TEST_CASE("packed_transaction: decode reports exactly the errors a full transaction decode reports", "[types]") {
   // Reference: decoding the bytes as a transaction (what finish_unpack did before it validated
   // without storing). Same code, offset, field path and detail; same id when valid.
   for (const auto c : {compression_type::none, compression_type::zlib}) {
      for (const auto& trx : {sample_transaction(), rich_transaction()}) {
         for (const auto& bytes_in : mutations_of(pack(trx))) {
            auto ref = unpack<transaction>(bytes_in, limits::max_decompressed_bytes);
            auto r = unpack<packed_transaction>(pack(with_trx_bytes(bytes_in, c)));
            INFO(to_hex(bytes_in));
            REQUIRE(r.has_value() == ref.has_value());
            if (!ref) {
               CHECK(r.error().code == ref.error().code);
               CHECK(r.error().detail == "packed_trx: " + ref.error().message());
               continue;
            }
            CHECK(r->get_transaction() == *ref);
            CHECK(r->id() == ref->id());
            CHECK(r->canonical() == (pack(*ref) == bytes_in));
         }
      }
   }
}

TEST_CASE("packed_transaction: context-free data errors match a full decode", "[types]") {
   const std::vector<bytes> cfd = {bytes(3, 'a'), bytes(130, 'b'), bytes{}};
   for (const auto& cfd_in : mutations_of(pack(cfd))) {
      auto ref = unpack<std::vector<bytes>>(cfd_in, limits::max_decompressed_bytes);
      auto p = packed_transaction::make(sample_transaction(), {});
      p.packed_context_free_data.assign(cfd_in.begin(), cfd_in.end());
      auto r = unpack<packed_transaction>(pack(p));
      INFO(to_hex(cfd_in));
      REQUIRE(r.has_value() == (ref.has_value() || cfd_in.empty()));
      if (!r) {
         CHECK(r.error().code == ref.error().code);
         CHECK(r.error().detail == "packed_context_free_data: " + ref.error().message());
      } else if (ref) {
         CHECK(r->context_free_data() == *ref);
         CHECK(r->sig_digest(checksum256{}) ==
               signing_digest(checksum256{}, pack(sample_transaction()), context_free_data_digest(*ref)));
      }
   }
}

TEST_CASE("packed_transaction: oversize transaction bytes are refused at decode", "[types]") {
   std::vector<uint8_t> big(limits::max_decompressed_bytes + 1);
   auto r = unpack<packed_transaction>(pack(with_trx_bytes(big, compression_type::none)));
   REQUIRE_FALSE(r);
   CHECK(r.error().code == decode_errc::message_too_large);
   CHECK(r.error().detail.rfind("packed_trx: ", 0) == 0);
}

TEST_CASE("packed_transaction: canonical() tells minimal transaction bytes apart", "[types]") {
   CHECK(packed_transaction::make(rich_transaction(), {}).canonical());
   auto raw = pack(rich_transaction());
   raw[10] |= 0x80; // max_net_usage_words 300 = ac 02; spell 300 as ac 82 00
   raw.insert(raw.begin() + 12, 0x00);
   raw[11] |= 0x80;
   auto r = unpack<packed_transaction>(pack(with_trx_bytes(raw, compression_type::none)));
   REQUIRE(r);
   CHECK_FALSE(r->canonical());
   CHECK(r->get_transaction() == rich_transaction());
   CHECK(r->id() == rich_transaction().id());
   CHECK(r->sig_digest(checksum256{}) == signing_digest(checksum256{}, pack(rich_transaction()), checksum256{}));
}

TEST_CASE("packed_transaction: contents are decoded once and shared by copies", "[types]") {
   const auto raw = pack(packed_transaction::make(rich_transaction(), {}, {bytes(4, 'c')}));
   auto r = unpack<packed_transaction>(raw);
   REQUIRE(r);
   const packed_transaction before = *r; // copied before first use: decodes on its own
   const transaction* first = &r->get_transaction();
   CHECK(&r->get_transaction() == first);
   CHECK(&r->context_free_data() == &r->context_free_data());
   const packed_transaction after = *r; // copied after: shares
   CHECK(&after.get_transaction() == first);
   CHECK(&before.get_transaction() != first);
   CHECK(before.get_transaction() == *first);
   CHECK(before.id() == r->id());
   CHECK(&r->id() == &r->id());
   CHECK(r->id() == rich_transaction().id());
   packed_transaction moved = std::move(*r);
   CHECK(&moved.get_transaction() == first);
   packed_transaction assigned;
   CHECK_FALSE(assigned.unpacked());
   assigned = after;
   CHECK(&assigned.get_transaction() == first);
   assigned = before;
   CHECK(&assigned.get_transaction() == &before.get_transaction());
}

TEST_CASE("packed_transaction: concurrent first use publishes one value", "[types]") {
   // The recovery pool asks for sig_digest from several threads at once.
   signed_block b;
   for (int i = 0; i < 64; ++i) {
      auto t = rich_transaction();
      t.ref_block_num = static_cast<uint16_t>(i);
      transaction_receipt rc;
      rc.trx = packed_transaction::make(t, {}, i % 3 ? std::vector<bytes>{} : std::vector<bytes>{bytes(2, 'z')},
                                        i % 2 ? compression_type::zlib : compression_type::none);
      b.transactions.push_back(rc);
   }
   const auto raw = pack(b);
   for (int round = 0; round < 20; ++round) {
      auto decoded = unpack<signed_block>(raw);
      REQUIRE(decoded);
      constexpr int threads = 4;
      std::vector<std::vector<const transaction*>> seen(threads);
      std::vector<std::vector<checksum256>> digests(threads);
      std::atomic<int> ready{0};
      std::vector<std::thread> pool;
      for (int k = 0; k < threads; ++k)
         pool.emplace_back([&, k] {
            ready.fetch_add(1);
            while (ready.load() < threads) {
            }
            for (const auto& rc : decoded->transactions) {
               const auto& p = std::get<packed_transaction>(rc.trx);
               digests[k].push_back(k % 2 ? p.sig_digest(checksum256{}) : p.id());
               seen[k].push_back(&p.get_transaction());
            }
         });
      for (auto& t : pool)
         t.join();
      for (std::size_t i = 0; i < b.transactions.size(); ++i) {
         const auto& want = std::get<packed_transaction>(b.transactions[i].trx);
         for (int k = 0; k < threads; ++k) {
            CHECK(seen[k][i] == seen[0][i]);
            CHECK(digests[k][i] == (k % 2 ? want.sig_digest(checksum256{}) : want.id()));
         }
      }
   }
}

TEST_CASE("packed_transaction: reading contents of bytes changed after decoding is a logic error", "[types]") {
   auto r = unpack<packed_transaction>(pack(packed_transaction::make(sample_transaction(), {})));
   REQUIRE(r);
   r->packed_trx.push_back(0);
   CHECK_THROWS_AS(r->get_transaction(), std::logic_error);
   CHECK_THROWS_AS(packed_transaction{}.get_transaction(), std::logic_error);
   std::string detail;
   CHECK(r->finish_unpack(detail) == decode_errc::trailing_bytes);
   CHECK_FALSE(r->unpacked());
}

TEST_CASE("zlib_decompress: a failed stream does not disturb the next one on the thread", "[types]") {
   const auto good = pack(rich_transaction());
   const auto z = zlib_compress(good);
   std::vector<uint8_t> out;
   auto corrupt = z;
   corrupt[corrupt.size() / 2] ^= 0x55;
   for (int i = 0; i < 3; ++i) {
      CHECK(zlib_decompress(std::span(reinterpret_cast<const uint8_t*>(corrupt.data()), corrupt.size()), 1 << 20,
                            out) == decode_errc::decompress_failed);
      CHECK(out.empty());
      CHECK(zlib_decompress(std::span(reinterpret_cast<const uint8_t*>(z.data()), z.size() - 3), 1 << 20, out) ==
            decode_errc::decompress_failed);
      CHECK(zlib_decompress(std::span(reinterpret_cast<const uint8_t*>(z.data()), z.size()), 10, out) ==
            decode_errc::decompressed_too_large);
      REQUIRE(zlib_decompress(std::span(reinterpret_cast<const uint8_t*>(z.data()), z.size()), 1 << 20, out) ==
              decode_errc::ok);
      CHECK(out == good);
   }
}

TEST_CASE("sha256: the multi-part form hashes the concatenation", "[types]") {
   const std::vector<uint8_t> a = {1, 2, 3}, b(100, 7), c;
   std::vector<uint8_t> all = a;
   all.insert(all.end(), b.begin(), b.end());
   CHECK(sha256({a, b, c}) == sha256(all));
   checksum256 from_thread;
   std::thread([&] { from_thread = sha256(all); }).join();
   CHECK(from_thread == sha256(all));
}
