// msgcraft encode: decode -> encode reproduces every golden vector byte for byte.
#include "run_msgcraft.hpp"

#include "support/golden.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

using test::run_msgcraft;

namespace {
std::vector<test::golden_vector> framed_vectors() {
   std::vector<test::golden_vector> out;
   for (const auto& g : test::golden())
      if (!g.framed_hex().empty())
         out.push_back(g);
   return out;
}
} // namespace

TEST_CASE("msgcraft encode --framed: every decode line gives back framed_hex", "[msgcraft]") {
   for (const auto& g : framed_vectors()) {
      INFO(g.name);
      auto dec = run_msgcraft({"decode", "--hex", g.framed_hex()});
      REQUIRE(dec.code == 0);
      REQUIRE(dec.lines().size() == 1);
      const std::string line = dec.lines()[0];

      auto framed = run_msgcraft({"encode", "--framed", line});
      INFO(framed.err);
      REQUIRE(framed.code == 0);
      CHECK(framed.out == g.framed_hex() + "\n");

      // Without --framed: the unframed message bytes (hex).
      auto body = run_msgcraft({"encode", line});
      REQUIRE(body.code == 0);
      CHECK(body.out == g.hex() + "\n");

      // From stdin, with the type given explicitly too.
      rapidjson::Document d;
      d.Parse(line.c_str());
      auto typed = run_msgcraft({"encode", "--framed", "--type", d["type"].GetString(), "-"}, dec.out);
      INFO(typed.err);
      CHECK(typed.out == g.framed_hex() + "\n");
   }
}

TEST_CASE("msgcraft encode: a stream of decode lines on stdin encodes one after another", "[msgcraft]") {
   std::string stream;
   for (const auto& g : framed_vectors())
      stream += g.framed_hex();
   auto dec = run_msgcraft({"decode", "--hex", stream});
   REQUIRE(dec.code == 0);

   auto hex = run_msgcraft({"encode", "--framed"}, dec.out);
   INFO(hex.err);
   REQUIRE(hex.code == 0);
   std::string joined;
   for (const auto& l : hex.lines())
      joined += l;
   CHECK(joined == stream);

   // --binary writes the bytes themselves: decoding them again gives the same lines.
   auto bin = run_msgcraft({"encode", "--framed", "--binary"}, dec.out);
   REQUIRE(bin.code == 0);
   CHECK(bin.out.size() == stream.size() / 2);
   CHECK(run_msgcraft({"decode", "--input-format", "raw"}, bin.out).out == dec.out);

   // Pretty-printed JSON values spanning several lines are read as well.
   auto pretty = run_msgcraft({"decode", "--pretty", "--hex", stream});
   REQUIRE(pretty.code == 0);
   CHECK(run_msgcraft({"encode", "--framed"}, pretty.out).out == hex.out);
}

TEST_CASE("msgcraft encode --type: chain types round-trip through decode --type", "[msgcraft]") {
   std::size_t n = 0;
   for (const char* type : {"signed_block", "block_header", "packed_transaction", "transaction"}) {
      for (const auto& g : test::golden_of_type(type)) {
         INFO(g.name);
         auto dec = run_msgcraft({"decode", "--type", type, "--hex", g.hex()});
         INFO(dec.err);
         REQUIRE(dec.code == 0);
         REQUIRE(dec.lines().size() == 1);
         auto enc = run_msgcraft({"encode", "--type", type, dec.lines()[0]});
         INFO(enc.err);
         REQUIRE(enc.code == 0);
         CHECK(enc.out == g.hex() + "\n");
         ++n;
      }
   }
   CHECK(n == 13 + 3 + 4 + 3);
}

TEST_CASE("msgcraft encode: strings with control characters and invalid UTF-8 round-trip", "[msgcraft]") {
   const std::string original = test::golden_named("handshake_signed").framed_hex();
   const std::string address = "3132372e302e302e313a39383736202d2032363538323865"; // "127.0.0.1:9876 - 265828e"
   const std::string odd = "00ff220a5c7f80c3313a39383736202d2032363538323865";     // NUL, 0xff, quote, LF, ...
   const auto at = original.find(address);
   REQUIRE(at != std::string::npos);
   std::string framed = original;
   framed.replace(at, address.size(), odd);
   auto dec = run_msgcraft({"decode", "--hex", framed});
   REQUIRE(dec.code == 0);
   REQUIRE(dec.lines().size() == 1);
   CHECK(run_msgcraft({"encode", "--framed"}, dec.out).out == framed + "\n");
   auto pretty = run_msgcraft({"decode", "--pretty", "--hex", framed});
   CHECK(run_msgcraft({"encode", "--framed"}, pretty.out).out == framed + "\n");
}

TEST_CASE("msgcraft encode: derived fields are ignored, edited fields are encoded", "[msgcraft]") {
   auto r = run_msgcraft({"encode", "--type", "sync_request", "--framed",
                          R"({"start_block":1,"end_block":100,"ignored_extra":"x"})"});
   CHECK(r.code == 0);
   CHECK(r.out == "09000000060100000064000000\n");
   auto go_away = run_msgcraft({"encode", "--type", "go_away_message",
                                R"({"reason":"wrong_chain","node_id":")" + std::string(64, '0') + "\"}"});
   CHECK(go_away.code == 0);
   CHECK(go_away.out == "03000000" + std::string(64, '0') + "\n");
}

TEST_CASE("msgcraft encode: errors", "[msgcraft]") {
   SECTION("invalid JSON: exit 1, one line naming the position") {
      auto r = run_msgcraft({"encode", "--type", "time_message"}, "{\"org\":1,\n\"rec\":");
      CHECK(r.code == 1);
      REQUIRE(r.err_lines().size() == 1);
      CHECK(r.err.rfind("msgcraft: JSON value 1 (line 1, column 1): invalid JSON", 0) == 0);
      CHECK(r.err.find("line 2") != std::string::npos);
   }
   SECTION("a missing field: exit 1, names the field") {
      auto r = run_msgcraft({"encode", "--type", "sync_request", R"({"start_block":1})"});
      CHECK(r.code == 1);
      REQUIRE(r.err_lines().size() == 1);
      CHECK(r.err.find("end_block") != std::string::npos);
   }
   SECTION("earlier values are printed before the bad one") {
      auto r = run_msgcraft({"encode", "--type", "sync_request"},
                            "{\"start_block\":1,\"end_block\":2}\n{\"start_block\":\"x\",\"end_block\":2}\n");
      CHECK(r.code == 1);
      CHECK(r.lines().size() == 1);
      CHECK(r.err_lines().size() == 1);
      CHECK(r.err.find("JSON value 2 (line 2") != std::string::npos);
   }
   SECTION("a decode line whose which does not match its type") {
      auto r = run_msgcraft(
         {"encode", R"({"which":5,"type":"sync_request_message","size":9,"message":{"start_block":1,"end_block":2}})"});
      CHECK(r.code == 1);
      CHECK(r.err_lines().size() == 1);
   }
   SECTION("--framed with a type that is not a net message: usage error") {
      auto r = run_msgcraft({"encode", "--framed", "--type", "transaction", "{}"});
      CHECK(r.code == 2);
      CHECK(r.out.empty());
      CHECK_FALSE(r.err.empty());
   }
   SECTION("no --type for a plain object: usage error") {
      auto r = run_msgcraft({"encode", R"({"start_block":1,"end_block":2})"});
      CHECK(r.code == 2);
   }
   SECTION("unknown --type: usage error") {
      auto r = run_msgcraft({"encode", "--type", "no_such_type", "{}"});
      CHECK(r.code == 2);
      CHECK(r.err.find("no_such_type") != std::string::npos);
   }
}
