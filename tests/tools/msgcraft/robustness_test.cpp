// msgcraft on bad input: exit codes, the single stderr line, frames printed before a failure,
// and no crash on mutated or random bytes.
#include "run_msgcraft.hpp"

#include "support/golden.hpp"

#include <catch2/catch.hpp>

#include <random>

using test::run_msgcraft;

namespace {
std::string frame_hex(const char* name) { return test::golden_named(name).framed_hex(); }
} // namespace

TEST_CASE("msgcraft decode: a stream truncated mid-frame prints earlier frames, then fails", "[msgcraft]") {
   const std::string a = frame_hex("handshake_signed"), b = frame_hex("time_initial");
   const std::string c = frame_hex("block_0trx_plain");
   const std::string stream = a + b + c.substr(0, c.size() - 10);
   auto r = run_msgcraft({"decode", "--hex", stream});
   CHECK(r.code == 1);
   CHECK(r.lines().size() == 2);
   REQUIRE(r.err_lines().size() == 1);
   const std::size_t frame3_at = (a.size() + b.size()) / 2;
   CHECK(r.err.rfind("msgcraft: frame 3 at byte " + std::to_string(frame3_at) + ": truncated input", 0) == 0);

   // Ending inside the length prefix.
   auto p = run_msgcraft({"decode", "--hex", a + "0100"});
   CHECK(p.code == 1);
   CHECK(p.lines().size() == 1);
   CHECK(p.err.find("length prefix") != std::string::npos);
}

TEST_CASE("msgcraft decode: unknown index, bad length and wrong payload length fail with exit 1", "[msgcraft]") {
   const std::string good = frame_hex("sync_request_1_100");
   SECTION("unknown message index") {
      auto r = run_msgcraft({"decode", "--hex", good + "020000000e00"});
      CHECK(r.code == 1);
      CHECK(r.lines().size() == 1);
      REQUIRE(r.err_lines().size() == 1);
      CHECK(r.err.rfind("msgcraft: frame 2 at byte 13: unknown variant index", 0) == 0);
   }
   SECTION("zero length") {
      auto r = run_msgcraft({"decode", "--hex", "00000000"});
      CHECK(r.code == 1);
      CHECK(r.out.empty());
      CHECK(r.err_lines().size() == 1);
   }
   SECTION("length above 8 MiB") {
      auto r = run_msgcraft({"decode", "--hex", "01008000" + std::string(40, '0')});
      CHECK(r.code == 1);
      CHECK(r.err.find("message too large") != std::string::npos);
   }
   SECTION("payload longer than its message") {
      auto r = run_msgcraft({"decode", "--hex", "0a000000060100000064000000ff"});
      CHECK(r.code == 1);
      CHECK(r.err.find("trailing bytes") != std::string::npos);
      CHECK(r.err_lines().size() == 1);
   }
   SECTION("payload shorter than its message") {
      auto r = run_msgcraft({"decode", "--hex", "080000000601000000640000"});
      CHECK(r.code == 1);
      CHECK(r.err.find("truncated") != std::string::npos);
   }
   SECTION("--type object with trailing bytes") {
      auto r = run_msgcraft({"decode", "--type", "sync_request", "--hex", "010000006400000000"});
      CHECK(r.code == 1);
      CHECK(r.err.rfind("msgcraft: sync_request_message: trailing bytes", 0) == 0);
   }
}

TEST_CASE("msgcraft decode: bad hex and usage errors", "[msgcraft]") {
   auto odd = run_msgcraft({"decode", "--hex", "abc"});
   CHECK(odd.code == 1);
   CHECK(odd.err_lines().size() == 1);
   auto bad = run_msgcraft({"decode", "--hex", "0g"});
   CHECK(bad.code == 1);
   CHECK(bad.err.find("'g'") != std::string::npos);
   auto bad_stdin = run_msgcraft({"decode", "--input-format", "hex"}, "12 34 zz");
   CHECK(bad_stdin.code == 1);
   CHECK(bad_stdin.err_lines().size() == 1);

   auto unknown = run_msgcraft({"decode", "--type", "no_such_type", "--hex", "00"});
   CHECK(unknown.code == 2);
   CHECK(unknown.out.empty());
   CHECK(unknown.err.find("no_such_type") != std::string::npos);

   CHECK(run_msgcraft({"decode", "--hex", "00", "--file", "x"}).code == 2);
   CHECK(run_msgcraft({"decode", "--hex", "00", "-"}).code == 2);
   CHECK(run_msgcraft({"decode", "--hex", "00", "--input-format", "raw"}).code == 2);
   CHECK(run_msgcraft({"decode", "--input-format", "base64"}).code == 2);
   CHECK(run_msgcraft({}).code == 2);
   CHECK(run_msgcraft({"frobnicate"}).code == 2);

   auto help = run_msgcraft({"decode", "--help"});
   CHECK(help.code == 0);
   CHECK(help.out.find("--type") != std::string::npos);
}

TEST_CASE("msgcraft decode: mutated frames and random bytes never crash", "[msgcraft]") {
   std::mt19937 rng(20240601);
   std::vector<std::string> seeds;
   for (const auto& g : test::golden())
      if (!g.framed_hex().empty())
         seeds.push_back(g.framed_hex());
   int failures = 0;
   for (int i = 0; i < 400; ++i) {
      std::string hex = seeds[rng() % seeds.size()];
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) {
         const std::size_t at = rng() % hex.size();
         hex[at] = "0123456789abcdef"[rng() % 16];
      }
      if (rng() % 4 == 0)
         hex.resize((rng() % (hex.size() / 2)) * 2);
      for (const char* type : {"", "signed_block"}) {
         std::vector<std::string> args = {"decode", "--hex", hex};
         if (*type) {
            args.push_back("--type");
            args.push_back(type);
            hex = hex.size() > 10 ? hex.substr(10) : hex;
            args[2] = hex;
         }
         auto r = run_msgcraft(args);
         INFO(hex);
         REQUIRE((r.code == 0 || r.code == 1));
         if (r.code == 1) {
            ++failures;
            CHECK(r.err_lines().size() == 1);
         }
      }
   }
   CHECK(failures > 0);

   for (int i = 0; i < 200; ++i) {
      std::string raw(rng() % 300, '\0');
      for (auto& c : raw)
         c = static_cast<char>(rng());
      auto r = run_msgcraft({"decode", "--input-format", "raw"}, raw);
      REQUIRE((r.code == 0 || r.code == 1));
      auto e = run_msgcraft({"encode", "--type", "signed_block"}, raw);
      REQUIRE((e.code == 0 || e.code == 1 || e.code == 2));
   }
}

TEST_CASE("msgcraft encode: deeply nested JSON is rejected without exhausting the stack", "[msgcraft]") {
   const std::string deep = std::string(200000, '[') + std::string(200000, ']');
   auto r = run_msgcraft({"encode", "--type", "signed_block"}, deep);
   CHECK(r.code == 1);
   CHECK(r.err_lines().size() == 1);
}

TEST_CASE("msgcraft: an unknown command or option is named", "[msgcraft]") {
   auto cmd = run_msgcraft({"bogus"});
   CHECK(cmd.code == 2);
   CHECK(cmd.err.starts_with("msgcraft: unknown command \"bogus\" (commands: decode, encode, key, send"));
   auto opt = run_msgcraft({"decode", "--bogus", "--hex", "00"});
   CHECK(opt.code == 2);
   CHECK(opt.err == "msgcraft: unknown option --bogus for decode\n");
   auto key = run_msgcraft({"key", "bogus"});
   CHECK(key.code == 2);
   CHECK(key.err.starts_with("msgcraft: unknown command \"bogus\" for key (commands: new, public"));
}
