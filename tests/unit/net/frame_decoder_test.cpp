#include "codec/hex.hpp"
#include "net/frame.hpp"

#include "support/golden.hpp"

#include <catch2/catch.hpp>

#include <cstring>

using namespace core;

namespace {
std::vector<uint8_t> hex_bytes(const std::string& h) { return *from_hex(h); }
std::vector<uint8_t> length_prefix(uint32_t n) {
   std::vector<uint8_t> v(4);
   std::memcpy(v.data(), &n, 4);
   return v;
}
} // namespace

TEST_CASE("frame_decoder: yields frames fed one byte at a time", "[net]") {
   std::vector<uint8_t> stream;
   for (const char* n : {"handshake_signed", "time_initial", "sync_request_1_100", "block_0trx_plain"}) {
      auto f = hex_bytes(test::golden_named(n).framed_hex());
      stream.insert(stream.end(), f.begin(), f.end());
   }
   frame_decoder fd;
   std::vector<uint32_t> which;
   for (uint8_t b : stream) {
      fd.feed(std::span<const uint8_t>(&b, 1));
      while (true) {
         auto f = fd.next();
         REQUIRE(f);
         if (!f->has_value())
            break;
         which.push_back((*f)->which);
         CHECK(decode_payload((*f)->payload));
      }
   }
   CHECK(which == std::vector<uint32_t>{0, 3, 6, 7});
   CHECK(fd.consumed() == stream.size());
   CHECK(fd.buffered() == 0);
}

TEST_CASE("frame_decoder: rejects oversize length", "[net]") {
   frame_decoder fd;
   fd.feed(length_prefix(8 * 1024 * 1024 + 1));
   auto f = fd.next();
   REQUIRE_FALSE(f);
   CHECK(f.error().code == decode_errc::message_too_large);
   CHECK(fd.failed());
   fd.feed(hex_bytes(test::golden_named("time_initial").framed_hex()));
   CHECK_FALSE(fd.next()); // stays failed
}

TEST_CASE("frame_decoder: rejects zero length", "[net]") {
   frame_decoder fd;
   fd.feed(length_prefix(0));
   auto f = fd.next();
   REQUIRE_FALSE(f);
   CHECK(f.error().code == decode_errc::bad_value);
}

TEST_CASE("frame_decoder: accepts exactly 8 MiB and waits for it", "[net]") {
   frame_decoder fd;
   fd.feed(length_prefix(8 * 1024 * 1024));
   auto f = fd.next();
   REQUIRE(f);
   CHECK_FALSE(f->has_value());
}

TEST_CASE("decode_payload: unknown index, trailing bytes and short payloads", "[net]") {
   SECTION("unknown index") {
      std::vector<uint8_t> p = {14, 0, 0};
      auto r = decode_payload(p);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == decode_errc::unknown_variant);
   }
   SECTION("declared length longer than the message") {
      auto p = hex_bytes(test::golden_named("sync_request_1_100").framed_hex());
      std::vector<uint8_t> payload(p.begin() + 4, p.end());
      payload.push_back(0xee);
      auto r = decode_payload(payload);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == decode_errc::trailing_bytes);
      CHECK(r.error().offset == 9);
   }
   SECTION("declared length shorter than the message") {
      auto p = hex_bytes(test::golden_named("sync_request_1_100").framed_hex());
      std::vector<uint8_t> payload(p.begin() + 4, p.end() - 1);
      auto r = decode_payload(payload);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == decode_errc::truncated);
      CHECK(r.error().field == "sync_request_message.end_block");
   }
}
