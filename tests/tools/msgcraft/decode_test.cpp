// msgcraft decode against the golden vectors: framed streams, --type objects, input sources.
#include "run_msgcraft.hpp"

#include "net/messages.hpp"

#include "support/golden.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <cstdio>
#include <fstream>

using test::run_msgcraft;

namespace {

/// The net message a framed vector holds ("spring_block_nack_message" -> "block_nack_message").
std::string message_type_of(const test::golden_vector& g) {
   std::string t = g.type;
   if (t.rfind("spring_", 0) == 0)
      t = t.substr(7);
   return t;
}

rapidjson::Document parse(const std::string& s) {
   rapidjson::Document d;
   d.Parse(s.c_str());
   REQUIRE_FALSE(d.HasParseError());
   return d;
}

std::vector<test::golden_vector> framed_vectors() {
   std::vector<test::golden_vector> out;
   for (const auto& g : test::golden())
      if (!g.framed_hex().empty())
         out.push_back(g);
   return out;
}

std::string hex_to_raw(const std::string& hex) {
   std::string raw;
   for (std::size_t i = 0; i < hex.size(); i += 2)
      raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
   return raw;
}

} // namespace

TEST_CASE("msgcraft decode: every framed golden vector gives one line with which, type, size", "[msgcraft]") {
   const auto vectors = framed_vectors();
   REQUIRE(vectors.size() >= 60);
   for (const auto& g : vectors) {
      INFO(g.name);
      auto r = run_msgcraft({"decode", "--hex", g.framed_hex()});
      INFO(r.err);
      REQUIRE(r.code == 0);
      CHECK(r.err.empty());
      auto lines = r.lines();
      REQUIRE(lines.size() == 1);
      auto d = parse(lines[0]);
      const std::string type = message_type_of(g);
      CHECK(d["which"].GetInt() == core::message_index_by_name(type));
      CHECK(d["type"].GetString() == type);
      CHECK(d["size"].GetUint64() == g.framed_hex().size() / 2 - 4);
      REQUIRE(d["message"].IsObject());
      // Spot-check the message against the reference fields for members printed the same way.
      for (auto it = g.fields().MemberBegin(); it != g.fields().MemberEnd(); ++it) {
         std::string key = it->name.GetString();
         if (!it->value.IsString() || key.find("name") != std::string::npos || key == "reason_str")
            continue;
         if (d["message"].HasMember(key.c_str()) && d["message"][key.c_str()].IsString()) {
            INFO(key);
            CHECK(std::string(d["message"][key.c_str()].GetString()) == it->value.GetString());
         }
      }
   }
}

TEST_CASE("msgcraft decode: a stream of frames gives one line per frame, in order", "[msgcraft]") {
   std::string stream;
   std::vector<std::string> types;
   for (const auto& g : framed_vectors()) {
      stream += g.framed_hex();
      types.push_back(message_type_of(g));
   }
   auto r = run_msgcraft({"decode", "--hex", stream});
   INFO(r.err);
   REQUIRE(r.code == 0);
   auto lines = r.lines();
   REQUIRE(lines.size() == types.size());
   for (std::size_t i = 0; i < lines.size(); ++i)
      CHECK(parse(lines[i])["type"].GetString() == types[i]);
}

TEST_CASE("msgcraft decode: signed_block JSON carries the golden block_num and id", "[msgcraft]") {
   std::size_t checked = 0;
   for (const auto& g : test::golden_of_type("signed_block")) {
      INFO(g.name);
      auto r = run_msgcraft({"decode", "--type", "signed_block", "--hex", g.hex()});
      INFO(r.err);
      REQUIRE(r.code == 0);
      REQUIRE(r.lines().size() == 1);
      auto d = parse(r.lines()[0]);
      const auto& derived = g.derived();
      CHECK(d["block_num"].GetUint64() == derived["block_num"].GetUint64());
      for (const char* key : {"id", "id_recomputed", "id_recorded_by_nodeos", "known_id"}) {
         if (derived.HasMember(key) && derived[key].GetStringLength() > 0) {
            CHECK(std::string(d["id"].GetString()) == derived[key].GetString());
            ++checked;
         }
      }
   }
   CHECK(checked >= 13);
}

TEST_CASE("msgcraft decode: packed_transaction JSON carries the golden id and transaction", "[msgcraft]") {
   for (const auto& g : test::golden_of_type("packed_transaction")) {
      INFO(g.name);
      auto r = run_msgcraft({"decode", "--type", "packed_transaction", "--hex", g.hex()});
      REQUIRE(r.code == 0);
      auto d = parse(r.lines().at(0));
      CHECK(std::string(d["id"].GetString()) == g.derived()["id"].GetString());
      REQUIRE(d.HasMember("transaction"));
      CHECK(d["transaction"]["ref_block_num"].GetUint() == g.derived()["transaction"]["ref_block_num"].GetUint());
      CHECK(d.HasMember("context_free_data"));
   }
}

TEST_CASE("msgcraft decode: message names, short names and chain types are accepted by --type", "[msgcraft]") {
   const auto& g = test::golden_named("sync_request_1_100");
   for (const char* t : {"sync_request_message", "sync_request"}) {
      auto r = run_msgcraft({"decode", "--type", t, "--hex", g.hex()});
      CHECK(r.code == 0);
      CHECK(r.out == "{\"start_block\":1,\"end_block\":100}\n");
   }
   const auto& hdr = test::golden_named("real_mainnet_block_header_1");
   auto r = run_msgcraft({"decode", "--type", "block_header", "--hex", hdr.hex()});
   CHECK(r.code == 0);
   CHECK(r.out.find("\"producer\":") != std::string::npos);
}

TEST_CASE("msgcraft decode: --pretty indents the same JSON", "[msgcraft]") {
   const auto& g = test::golden_named("block_0trx_plain");
   auto compact = run_msgcraft({"decode", "--hex", g.framed_hex()});
   auto pretty = run_msgcraft({"decode", "--pretty", "--hex", g.framed_hex()});
   REQUIRE(compact.code == 0);
   REQUIRE(pretty.code == 0);
   CHECK(pretty.lines().size() > 10);
   CHECK(pretty.out.find("\n  \"which\": 7") != std::string::npos);
   CHECK(parse(compact.lines()[0]) == parse(pretty.out));
}

TEST_CASE("msgcraft decode: stdin and files, as hex text or raw bytes", "[msgcraft]") {
   const std::string hex = test::golden_named("handshake_signed").framed_hex() +
                           test::golden_named("time_initial").framed_hex();
   const std::string raw = hex_to_raw(hex);
   auto expected = run_msgcraft({"decode", "--hex", hex});
   REQUIRE(expected.code == 0);
   REQUIRE(expected.lines().size() == 2);

   // Hex text on stdin, with line breaks and upper case; "-" and no argument both mean stdin.
   std::string wrapped;
   for (std::size_t i = 0; i < hex.size(); i += 64)
      wrapped += hex.substr(i, 64) + "\n";
   std::string upper = wrapped;
   for (auto& c : upper)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
   CHECK(run_msgcraft({"decode"}, wrapped).out == expected.out);
   CHECK(run_msgcraft({"decode", "-"}, upper).out == expected.out);
   CHECK(run_msgcraft({"decode", "--input-format", "hex"}, wrapped).out == expected.out);

   // Raw bytes on stdin: detected, or forced.
   CHECK(run_msgcraft({"decode"}, raw).out == expected.out);
   CHECK(run_msgcraft({"decode", "--input-format", "raw"}, raw).out == expected.out);
   // Forcing raw on hex text decodes the ASCII digits as bytes: a bad frame length.
   CHECK(run_msgcraft({"decode", "--input-format", "raw"}, hex).code == 1);

   // A file, by --file and by the positional argument.
   const std::string path = "msgcraft_decode_test_input.bin";
   {
      std::ofstream f(path, std::ios::binary);
      f << raw;
   }
   CHECK(run_msgcraft({"decode", "--file", path}).out == expected.out);
   CHECK(run_msgcraft({"decode", path}).out == expected.out);
   std::remove(path.c_str());
   auto missing = run_msgcraft({"decode", "--file", path});
   CHECK(missing.code == 1);
   CHECK(missing.err_lines().size() == 1);
}

TEST_CASE("msgcraft decode: an empty stream prints nothing and succeeds", "[msgcraft]") {
   auto r = run_msgcraft({"decode"}, "");
   CHECK(r.code == 0);
   CHECK(r.out.empty());
   CHECK(r.err.empty());
}
