// msgcraft send against an in-test fake node: handshake bytes, messages sent, lines printed, stop
// conditions and exit codes; and peer_session driven directly from C++.
#include "run_msgcraft.hpp"
#include "send_fake_node.hpp"

#include "peer_session.hpp"

#include "types/devnet.hpp"
#include "codec/hex.hpp"
#include "crypto/recover.hpp"
#include "net/peer_identity.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>

using namespace std::chrono_literals;
using test::fake_node;
using test::fake_peer_conn;
using test::run_msgcraft;

namespace {

constexpr auto wait_time = 5s;
constexpr int64_t xmt = 1700000000000000000; ///< a ping's transmit time (ns)

rapidjson::Document parse(const std::string& line) {
   rapidjson::Document d;
   d.Parse(line.c_str());
   INFO(line);
   REQUIRE_FALSE(d.HasParseError());
   REQUIRE(d.IsObject());
   return d;
}

std::vector<uint8_t> cat(std::initializer_list<std::vector<uint8_t>> parts) {
   std::vector<uint8_t> out;
   for (const auto& p : parts)
      out.insert(out.end(), p.begin(), p.end());
   return out;
}

std::vector<uint8_t> hex(std::string_view h) { return core::from_hex(h).value(); }

core::checksum256 digest(std::string_view h) { return core::checksum256::from_string(h).value(); }

/// Runs `msgcraft send <node> args...` against a node running `script`; returns the run and the
/// bytes the node received.
struct exchange {
   test::msgcraft_result run;
   std::vector<uint8_t> received;
};
exchange send_to(fake_node::script script, std::vector<std::string> args, const std::string& stdin_text = "") {
   fake_node node;
   node.start(std::move(script));
   args.insert(args.begin(), {"send", node.address()});
   exchange x;
   x.run = run_msgcraft(std::move(args), stdin_text);
   x.received = node.join();
   return x;
}

const std::regex timestamp_re(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)");

} // namespace

TEST_CASE("msgcraft send: signed handshake carries the flags, token = sha256(time), sig recovers --key", "[msgcraft]") {
   const std::string chain = "aca376f206b8fc25a6ed44dbdc66547c36c6c33e3a119ffbeaef943642f0e906";
   const std::string node_id = "1a2b3c4d00000000000000000000000000000000000000000000000000000001";
   const std::string head = "0000007800000000000000000000000000000000000000000000000000000abc";
   const std::string lib = "0000006400000000000000000000000000000000000000000000000000000def";
   auto x = send_to(
      [](fake_peer_conn& c) {
         c.wait_frames(1, wait_time);
         c.close();
      },
      {"--key", std::string(core::devnet_private_key_wif), "--chain-id", chain, "--node-id", node_id, "--head-num",
       "120", "--head-id", head, "--lib-num", "100", "--lib-id", lib, "--timeout", "5"});
   INFO(x.run.err);
   CHECK(x.run.code == 0);
   const auto frames = test::decode_frames(x.received);
   REQUIRE(frames.size() == 1);
   const auto& h = std::get<core::handshake_message>(frames[0]);
   CHECK(h.network_version == 1212);
   CHECK(h.chain_id == digest(chain));
   CHECK(h.node_id == digest(node_id));
   CHECK(h.head_num == 120);
   CHECK(h.head_id == digest(head));
   CHECK(h.last_irreversible_block_num == 100);
   CHECK(h.last_irreversible_block_id == digest(lib));
   CHECK(h.p2p_address == "msgcraft:0 - 1a2b3c4");
   CHECK(h.os == "linux");
   CHECK(h.agent == "msgcraft");
   CHECK(h.generation == 1);
   const auto key = core::public_key::from_string(core::devnet_public_key).value();
   CHECK(h.key == key);
   CHECK(h.token == core::handshake_token(h.time));
   auto recovered = core::recover_key(h.sig, h.token);
   REQUIRE(recovered);
   CHECK(*recovered == key);
   const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
   CHECK(h.time > now_ns - int64_t{60'000'000'000});
   CHECK(h.time <= now_ns);
   // The peer's close ends the run: one final line.
   const auto lines = x.run.lines();
   REQUIRE(lines.size() == 1);
   auto d = parse(lines[0]);
   CHECK(std::string(d["event"].GetString()) == "closed");
   CHECK(std::regex_match(d["t"].GetString(), timestamp_re));
}

TEST_CASE("msgcraft send: unsigned handshake has zero key, sig and token, with defaults and overrides", "[msgcraft]") {
   const auto script = [](fake_peer_conn& c) {
      c.wait_frames(1, wait_time);
      c.close();
   };
   SECTION("defaults") {
      auto x = send_to(script, {});
      CHECK(x.run.code == 0);
      const auto frames = test::decode_frames(x.received);
      REQUIRE(frames.size() == 1);
      const auto& h = std::get<core::handshake_message>(frames[0]);
      CHECK(h.key == core::public_key{});
      CHECK(h.sig == core::signature{});
      CHECK(h.token == core::checksum256{});
      CHECK(h.chain_id == core::devnet_genesis().compute_chain_id());
      CHECK(h.node_id != core::checksum256{});
      CHECK(h.p2p_address == "msgcraft:0 - " + h.node_id.to_string().substr(0, 7));
      CHECK(h.head_num == 0);
      CHECK(h.head_id == core::block_id_type{});
      CHECK(h.last_irreversible_block_num == 0);
      CHECK(h.network_version == 1212);
      CHECK(h.generation == 1);
      CHECK(h.time > 0);
   }
   SECTION("overrides") {
      auto x = send_to(script, {"--time-ns", "1700000000000000000", "--network-version", "1206", "--generation", "3",
                                "--agent", "probe", "--os", "osx", "--p2p-address", "10.0.0.1:9876:blk - abcdef0"});
      CHECK(x.run.code == 0);
      const auto frames = test::decode_frames(x.received);
      REQUIRE(frames.size() == 1);
      const auto& h = std::get<core::handshake_message>(frames[0]);
      CHECK(h.time == 1700000000000000000);
      CHECK(h.network_version == 1206);
      CHECK(h.generation == 3);
      CHECK(h.agent == "probe");
      CHECK(h.os == "osx");
      CHECK(h.p2p_address == "10.0.0.1:9876:blk - abcdef0");
      CHECK(h.token == core::checksum256{});
   }
   SECTION("--time-ns with --key signs that time") {
      auto x = send_to(script, {"--time-ns", "1700000000000000000", "--key",
                                "PVT_K1_2bfGi9rYsXQSXXTvJbDAPhHLQUojjaNLomdm3cEJ1XTzMqUt3V"});
      CHECK(x.run.code == 0);
      const auto frames = test::decode_frames(x.received);
      REQUIRE(frames.size() == 1);
      const auto& h = std::get<core::handshake_message>(frames[0]);
      CHECK(h.time == 1700000000000000000);
      CHECK(h.token == core::handshake_token(1700000000000000000));
      CHECK(core::recover_key(h.sig, h.token).value() == core::public_key::from_string(core::devnet_public_key).value());
   }
}

TEST_CASE("msgcraft send: JSON, hex frames and --raw-hex bytes go out in command-line order", "[msgcraft]") {
   const auto sync1 = hex("09000000060100000064000000");
   const auto sync2 = hex("090000000602000000c8000000");
   const auto garbage = hex("ffffff7f0102");
   core::go_away_message ga;
   ga.reason = core::go_away_reason::benign_other;
   const auto go_away = core::encode_frame(ga);
   const auto expected = cat({sync1, garbage, sync2, go_away});
   auto x = send_to(
      [n = expected.size()](fake_peer_conn& c) {
         c.wait_bytes(n, wait_time);
         c.close();
      },
      {"--no-handshake", R"({"which":6,"type":"sync_request_message","size":9,"message":{"start_block":1,"end_block":100}})",
       "--raw-hex", "ffffff7f0102", "090000000602000000c8000000",
       R"({"type":"go_away","message":{"reason":"benign_other","node_id":"0000000000000000000000000000000000000000000000000000000000000000"}})"});
   INFO(x.run.err);
   CHECK(x.run.code == 0);
   CHECK(core::to_hex(x.received) == core::to_hex(expected));
}

TEST_CASE("msgcraft send: --file and stdin lines, comments and blank lines skipped", "[msgcraft]") {
   const std::string path = "msgcraft_send_test_messages.txt";
   {
      std::ofstream f(path);
      f << "# a comment\n\n09000000060100000064000000\n"
        << R"({"type":"sync_request_message","message":{"start_block":2,"end_block":200}})" << "\n";
   }
   const auto expected = cat({hex("09000000060100000064000000"), hex("090000000602000000c8000000"),
                              hex("0900000006030000002c010000")});
   const auto script = [n = expected.size()](fake_peer_conn& c) {
      c.wait_bytes(n, wait_time);
      c.close();
   };
   SECTION("--file") {
      auto x = send_to(script, {"--no-handshake", "--file", path, "0900000006030000002c010000"});
      INFO(x.run.err);
      CHECK(x.run.code == 0);
      CHECK(core::to_hex(x.received) == core::to_hex(expected));
   }
   SECTION("--file - reads stdin") {
      auto x = send_to(script, {"--no-handshake", "--file", "-", "0900000006030000002c010000"},
                       "09000000060100000064000000\n090000000602000000c8000000\n");
      INFO(x.run.err);
      CHECK(x.run.code == 0);
      CHECK(core::to_hex(x.received) == core::to_hex(expected));
   }
   std::remove(path.c_str());
}

TEST_CASE("msgcraft send: received frames print as timestamped decode JSON lines", "[msgcraft]") {
   auto x = send_to(
      [](fake_peer_conn& c) {
         c.send_message(core::sync_request_message{1, 100});
         c.send_message(core::go_away_message{core::go_away_reason::wrong_chain, {}});
      },
      {"--no-handshake", "--count", "2"});
   INFO(x.run.err);
   CHECK(x.run.code == 0);
   const auto lines = x.run.lines();
   REQUIRE(lines.size() == 2);
   auto a = parse(lines[0]);
   CHECK(std::regex_match(a["t"].GetString(), timestamp_re));
   CHECK(std::string(a["dir"].GetString()) == "in");
   CHECK(a["which"].GetUint() == 6);
   CHECK(std::string(a["type"].GetString()) == "sync_request_message");
   CHECK(a["size"].GetUint() == 9);
   CHECK(a["message"]["start_block"].GetUint() == 1);
   CHECK(a["message"]["end_block"].GetUint() == 100);
   auto b = parse(lines[1]);
   CHECK(std::string(b["type"].GetString()) == "go_away_message");
   CHECK(std::string(b["message"]["reason"].GetString()) == "wrong_chain");
   // The printed line, without "t" and "dir", is what msgcraft decode prints for the frame.
   const auto decoded = run_msgcraft({"decode", "--hex", "09000000060100000064000000"});
   CHECK(lines[0].substr(lines[0].find("\"which\"")) == decoded.out.substr(1, decoded.out.size() - 2));
}

TEST_CASE("msgcraft send: --type prints and counts only that type", "[msgcraft]") {
   auto x = send_to(
      [](fake_peer_conn& c) {
         c.send_message(core::go_away_message{});
         c.send_message(core::sync_request_message{1, 2});
         c.send_message(core::chain_size_message{});
         c.send_message(core::sync_request_message{3, 4});
         c.send_message(core::sync_request_message{5, 6});
      },
      {"--no-handshake", "--type", "sync_request", "--type", "chain_size_message", "--count", "3"});
   INFO(x.run.err);
   CHECK(x.run.code == 0);
   const auto lines = x.run.lines();
   REQUIRE(lines.size() == 3);
   CHECK(std::string(parse(lines[0])["type"].GetString()) == "sync_request_message");
   CHECK(std::string(parse(lines[1])["type"].GetString()) == "chain_size_message");
   CHECK(parse(lines[2])["message"]["start_block"].GetUint() == 3);
}

TEST_CASE("msgcraft send: --until-go-away stops after the go_away with exit 0", "[msgcraft]") {
   const auto start = std::chrono::steady_clock::now();
   auto x = send_to(
      [](fake_peer_conn& c) {
         c.wait_frames(1, wait_time);
         c.send_message(core::sync_request_message{1, 2});
         c.send_message(core::go_away_message{core::go_away_reason::self, {}});
      },
      {"--until-go-away", "--timeout", "8"});
   INFO(x.run.err);
   CHECK(x.run.code == 0);
   CHECK(std::chrono::steady_clock::now() - start < 6s);
   const auto lines = x.run.lines();
   REQUIRE(lines.size() == 2);
   CHECK(std::string(parse(lines[1])["message"]["reason"].GetString()) == "self");
}

TEST_CASE("msgcraft send: timeout is success without --count and failure with it", "[msgcraft]") {
   const auto idle = [](fake_peer_conn&) {};
   SECTION("no --count: exit 0") {
      auto x = send_to(idle, {"--no-handshake", "--timeout", "0.3"});
      CHECK(x.run.code == 0);
      CHECK(x.run.out.empty());
   }
   SECTION("--count not reached: exit 1, saying why") {
      auto x = send_to(idle, {"--no-handshake", "--timeout", "0.3", "--count", "1"});
      CHECK(x.run.code == 1);
      CHECK(x.run.err == "msgcraft send: timed out after 0 of the 1 message --count asked for\n");
   }
   SECTION("a peer that accepts and hangs up at once: exit 1, saying why") {
      auto x = send_to([](fake_peer_conn& c) { c.close(); }, {"--no-handshake", "--count", "1"});
      CHECK(x.run.code == 1);
      CHECK(x.run.err.starts_with("msgcraft send: the peer closed the connection"));
   }
   SECTION("--until-go-away --count 1 --type go_away: a missing go_away is exit 1") {
      auto x = send_to([](fake_peer_conn& c) { c.send_message(core::sync_request_message{1, 2}); },
                       {"--no-handshake", "--timeout", "0.3", "--until-go-away", "--count", "1", "--type", "go_away"});
      CHECK(x.run.code == 1);
      CHECK(x.run.out.empty());
   }
}

TEST_CASE("msgcraft send: the peer closing before --count prints a closed line and exits 1", "[msgcraft]") {
   auto x = send_to(
      [](fake_peer_conn& c) {
         c.send_message(core::sync_request_message{1, 2});
         c.close();
      },
      {"--no-handshake", "--count", "2", "--timeout", "5"});
   CHECK(x.run.code == 1);
   CHECK(x.run.err ==
         "msgcraft send: the peer closed the connection (closed by peer) after 1 of the 2 messages --count asked for\n");
   const auto lines = x.run.lines();
   REQUIRE(lines.size() == 2);
   auto d = parse(lines[1]);
   CHECK(std::string(d["event"].GetString()) == "closed");
   CHECK(std::string(d["reason"].GetString()) == "closed by peer");
}

TEST_CASE("msgcraft send: connection refused exits 3", "[msgcraft]") {
   auto r = run_msgcraft({"send", "127.0.0.1:" + std::to_string(test::unused_port())});
   CHECK(r.code == 3);
   CHECK(r.out.empty());
   REQUIRE(r.err_lines().size() == 1);
   CHECK(r.err.rfind("msgcraft send: cannot connect to 127.0.0.1:", 0) == 0);
}

TEST_CASE("msgcraft send: a ping from the peer is answered as nodeos does", "[msgcraft]") {
   SECTION("auto reply") {
      auto x = send_to(
         [](fake_peer_conn& c) {
            c.send_message(core::time_message{0, 0, xmt, 0});
            c.wait_frames(1, wait_time);
            c.close();
         },
         {"--no-handshake", "--timeout", "5"});
      CHECK(x.run.code == 0);
      const auto frames = test::decode_frames(x.received);
      REQUIRE(frames.size() == 1);
      const auto& t = std::get<core::time_message>(frames[0]);
      CHECK(t.org == xmt);
      CHECK(t.rec > xmt);
      CHECK(t.xmt >= t.rec);
      CHECK(t.dst == 0);
      // The ping itself is printed.
      REQUIRE(x.run.lines().size() == 2);
      CHECK(std::string(parse(x.run.lines()[0])["type"].GetString()) == "time_message");
   }
   SECTION("--no-auto-time sends nothing") {
      auto x = send_to(
         [](fake_peer_conn& c) {
            c.send_message(core::time_message{0, 0, xmt, 0});
            c.wait_bytes(1, 300ms);
            c.close();
         },
         {"--no-handshake", "--no-auto-time", "--timeout", "5"});
      CHECK(x.run.code == 0);
      CHECK(x.received.empty());
   }
}

TEST_CASE("msgcraft send: --echo-sent prints sent frames with dir out", "[msgcraft]") {
   auto x = send_to(
      [](fake_peer_conn& c) {
         c.wait_frames(2, wait_time);
         c.send_message(core::time_message{0, 0, 1700000000000000000, 0});
         c.wait_frames(3, wait_time);
         c.send_message(core::go_away_message{});
      },
      {"--echo-sent", "--until-go-away", "--raw-hex", "09000000060100000064000000"});
   INFO(x.run.out);
   CHECK(x.run.code == 0);
   const auto lines = x.run.lines();
   REQUIRE(lines.size() == 5);
   auto hs = parse(lines[0]);
   CHECK(std::string(hs["dir"].GetString()) == "out");
   CHECK(std::string(hs["type"].GetString()) == "handshake_message");
   auto raw = parse(lines[1]);
   CHECK(std::string(raw["raw"].GetString()) == "09000000060100000064000000");
   CHECK(std::string(parse(lines[2])["dir"].GetString()) == "in");
   auto reply = parse(lines[3]);
   CHECK(std::string(reply["dir"].GetString()) == "out");
   CHECK(reply["auto"].GetBool());
   CHECK(std::string(reply["type"].GetString()) == "time_message");
   CHECK(std::string(parse(lines[4])["type"].GetString()) == "go_away_message");
}

TEST_CASE("msgcraft send: an undecodable frame prints an error line with its offset and exits 1", "[msgcraft]") {
   auto x = send_to(
      [](fake_peer_conn& c) {
         c.send_message(core::sync_request_message{1, 2});
         c.send(hex("020000006300")); // unknown message index 99
      },
      {"--no-handshake", "--timeout", "5"});
   CHECK(x.run.code == 1);
   const auto lines = x.run.lines();
   REQUIRE(lines.size() == 2);
   auto d = parse(lines[1]);
   CHECK(d.HasMember("error"));
   CHECK(d["offset"].GetUint() == 13);
   CHECK(x.run.err.rfind("msgcraft send: undecodable frame at byte 13: ", 0) == 0);
}

TEST_CASE("msgcraft send: bad command lines exit 2, bad messages exit 1 before connecting", "[msgcraft]") {
   const std::string target = "127.0.0.1:" + std::to_string(test::unused_port());
   CHECK(run_msgcraft({"send", "no-port"}).code == 2);
   CHECK(run_msgcraft({"send", "127.0.0.1:99999"}).code == 2);
   CHECK(run_msgcraft({"send", target, "--type", "no_such_type"}).code == 2);
   CHECK(run_msgcraft({"send", target, "--type", "transaction"}).code == 2);
   CHECK(run_msgcraft({"send", target, "--chain-id", "abc"}).code == 2);
   CHECK(run_msgcraft({"send", target, "--key", "not-a-key"}).code == 2);
   CHECK(run_msgcraft({"send", target, "--count", "0"}).code == 2);
   auto bad_json = run_msgcraft({"send", target, R"({"type":"sync_request","message":{"start_block":"x"}})"});
   CHECK(bad_json.code == 1);
   CHECK(bad_json.err.rfind("msgcraft send: message 1: ", 0) == 0);
   auto bad_hex = run_msgcraft({"send", target, "0900000006010000006400"});
   CHECK(bad_hex.code == 1);
   CHECK(bad_hex.err.find("--raw-hex") != std::string::npos);
}

TEST_CASE("peer_session: a C++ test drives the fake peer directly", "[msgcraft]") {
   fake_node node;
   node.start([](fake_peer_conn& c) {
      c.wait_frames(2, wait_time);
      c.send_message(core::sync_request_message{7, 8});
      c.send_message(core::go_away_message{core::go_away_reason::forked, {}});
   });
   auto s = msgcraft::peer_session::connect("127.0.0.1", node.port(), 2000ms);
   REQUIRE(s);
   msgcraft::handshake_options opts;
   opts.chain.head_num = 5;
   auto h = s->send_handshake(opts);
   REQUIRE(h);
   CHECK(h->head_num == 5);
   REQUIRE(s->send(core::notice_message{}));
   auto first = s->receive(wait_time);
   REQUIRE(first);
   CHECK(first->which == 6);
   CHECK(std::get<core::sync_request_message>(first->message).start_block == 7);
   auto ga = s->receive_message<core::go_away_message>(msgcraft::peer_session::clock::now() + wait_time);
   REQUIRE(ga);
   CHECK(ga->reason == core::go_away_reason::forked);
   s->close();
   const auto received = test::decode_frames(node.join());
   REQUIRE(received.size() == 2);
   CHECK(std::get<core::handshake_message>(received[0]) == *h);
   CHECK(std::holds_alternative<core::notice_message>(received[1]));
}

TEST_CASE("msgcraft send: --delay-ms receives and prints between sends", "[msgcraft]") {
   auto x = send_to(
      [](fake_peer_conn& c) {
         c.wait_frames(1, wait_time);
         c.send_message(core::sync_request_message{1, 2});
         c.wait_frames(2, wait_time);
         c.close();
      },
      {"--echo-sent", "--delay-ms", "1000", "09000000060100000064000000"});
   INFO(x.run.out);
   CHECK(x.run.code == 0);
   const auto lines = x.run.lines();
   REQUIRE(lines.size() == 4);
   CHECK(std::string(parse(lines[0])["type"].GetString()) == "handshake_message");
   auto in = parse(lines[1]);
   CHECK(std::string(in["dir"].GetString()) == "in");
   CHECK(in["message"]["end_block"].GetUint() == 2);
   auto out = parse(lines[2]);
   CHECK(std::string(out["dir"].GetString()) == "out");
   CHECK(out["message"]["end_block"].GetUint() == 100);
   CHECK(std::string(parse(lines[3])["event"].GetString()) == "closed");
}
