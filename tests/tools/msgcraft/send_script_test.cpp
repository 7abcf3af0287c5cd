// The file form `msgcraft send -f` reads (send_script.hpp): messages, hex frames, raw bytes and
// the send_handshake setting, parsed and then sent byte for byte to an in-test fake node.
#include "run_msgcraft.hpp"
#include "send_fake_node.hpp"

#include "send_script.hpp"

#include "codec/hex.hpp"
#include "net/frame.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace std::chrono_literals;

TEST_CASE("send script: messages, hex frames, raw bytes and settings", "[msgcraft]") {
   const std::string text = "# a comment\n"
                            "\n"
                            "{\"send_handshake\":false}\n"
                            "{\"type\":\"sync_request\",\"message\":{\"start_block\":1,\"end_block\":2}}\n"
                            "  {\"raw\":\"00000000ff\"}\n"
                            "09000000060100000002000000\n";
   auto s = msgcraft::script_from_lines(text, "f");
   REQUIRE(s);
   CHECK(s->send_handshake == false);
   REQUIRE(s->items.size() == 3);
   CHECK(s->items[0].bytes == core::encode_frame(core::sync_request_message{1, 2}));
   CHECK_FALSE(s->items[0].raw);
   CHECK(s->items[1].bytes == std::vector<uint8_t>{0, 0, 0, 0, 0xff});
   CHECK(s->items[1].raw);
   CHECK(msgcraft::raw_script_line({0xab, 0x01}) == "{\"raw\":\"ab01\"}");

   auto none = msgcraft::script_from_lines("{\"type\":\"time\",\"message\":{\"org\":0,\"rec\":0,\"xmt\":1,\"dst\":0}}", "f");
   REQUIRE(none);
   CHECK_FALSE(none->send_handshake.has_value());

   for (const auto& [bad, what] : std::vector<std::pair<std::string, std::string>>{
           {"{\"raw\":\"0g\"}", "f line 1: \"raw\": invalid hex"},
           {"{\"raw\":\"\"}", "f line 1: \"raw\" holds no bytes"},
           {"{\"raw\":12}", "f line 1: \"raw\" must be a hex string"},
           {"x\n{\"send_handshake\":\"no\"}", "f line 1:"},
           {"# ok\n{\"send_handshake\":1}", "f line 2: a setting line is"},
        }) {
      auto r = msgcraft::script_from_lines(bad, "f");
      INFO(bad);
      REQUIRE_FALSE(r);
      CHECK(r.error().starts_with(what));
   }
}

TEST_CASE("msgcraft send -f: a script without handshake sends exactly its bytes", "[msgcraft]") {
   const std::string path = "send_script_test.txt";
   {
      std::ofstream f(path);
      f << "{\"send_handshake\":false}\n{\"raw\":\"0100000003\"}\n"
           "{\"type\":\"sync_request\",\"message\":{\"start_block\":3,\"end_block\":4}}\n";
   }
   test::fake_node node;
   node.start([](test::fake_peer_conn& c) {
      c.wait_bytes(5 + 13, 5s);
      c.close();
   });
   auto r = test::run_msgcraft({"send", node.address(), "-f", path, "--timeout", "5"});
   const auto received = node.join();
   std::remove(path.c_str());
   INFO(r.err);
   CHECK(r.code == 0);
   auto want = std::vector<uint8_t>{1, 0, 0, 0, 3};
   const auto frame = core::encode_frame(core::sync_request_message{3, 4});
   want.insert(want.end(), frame.begin(), frame.end());
   CHECK(received == want);
}
