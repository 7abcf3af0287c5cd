// Every p2pctl command against a scripted fake node: the request it sends, its text and --json
// output, and its exit code.
#include "fake_node.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <future>
#include <thread>

#include <unistd.h>

using test::fake_node;

namespace {
const std::string id64 = "0000002a9f1e0cde35ffba4ab97c33e4b9e71d7c9c3d2bd60d91ab2bb8e7a6a1";
}

TEST_CASE("p2pctl: status as aligned key/value lines and as JSON", "[p2pctl]") {
   fake_node node;
   node.reply("status", R"({"ok":true,"result":{"chain_id":"cf05","head_block_num":42,"sync_state":"in_sync",)"
                        R"("network_version":1212,"producers":["eosio","alice"],"p2p_address":null}})");
   auto r = node.run({"status"});
   REQUIRE(r.code == 0);
   CHECK(r.err.empty());
   CHECK(r.out == "chain_id       : cf05\n"
                  "head_block_num : 42\n"
                  "sync_state     : in_sync\n"
                  "network_version: 1212\n"
                  "producers      : eosio, alice\n"
                  "p2p_address    : -\n");
   auto j = node.run({"status", "--json"}); // shared flags may follow the command
   REQUIRE(j.code == 0);
   CHECK(j.out == R"({"chain_id":"cf05","head_block_num":42,"sync_state":"in_sync","network_version":1212,)"
                  R"("producers":["eosio","alice"],"p2p_address":null})"
                  "\n");
   CHECK(node.requests() == std::vector<std::string>{R"({"cmd":"status"})", R"({"cmd":"status"})"});
}

TEST_CASE("p2pctl: peers as a table and one JSON line per peer", "[p2pctl]") {
   fake_node node;
   node.reply("peers",
              R"({"ok":true,"result":{"peers":[)"
              R"({"connection_id":1,"peer":"127.0.0.1:9877","remote_ip":"127.0.0.1","remote_port":9877,"outbound":true,)"
              R"("connecting":false,"syncing":true,"is_bp_peer":true,"is_socket_open":true,"is_blocks_only":false,)"
              R"("is_transactions_only":false,"connected_at":"2024-01-01T00:00:00.000","bytes_received":123456,)"
              R"("bytes_sent":789,"latency_ms":12,"last_received_block":40,"last_error":"",)"
              R"("last_handshake":{"head_num":41,"last_irreversible_block_num":30}},)"
              R"({"connection_id":12,"peer":"","remote_ip":"10.0.0.2","remote_port":40000,"outbound":false,)"
              R"("connecting":true,"syncing":false,"is_bp_peer":false,"is_socket_open":true,"is_blocks_only":true,)"
              R"("is_transactions_only":false,"connected_at":"2024-01-01T00:00:01.000","bytes_received":0,)"
              R"("bytes_sent":0,"latency_ms":null,"last_received_block":0,"last_error":"","last_handshake":null}]}})");
   auto r = node.run({"peers"});
   REQUIRE(r.code == 0);
   const auto lines = r.lines();
   REQUIRE(lines.size() == 3);
   CHECK(lines[0] == "ID  PEER            ADDRESS         DIR  HEAD  LIB  LATENCY      IN  OUT  PROTO  VOTES  NACKS  NOTICES  STATE");
   CHECK(lines[1] == " 1  127.0.0.1:9877  127.0.0.1:9877  out    41   30     12ms  123456  789      -      -      -        -  syncing,bp");
   CHECK(lines[2] == "12                  10.0.0.2:40000  in      -    -        -       0    0      -      -      -        -  connecting,blocks-only");
   auto j = node.run({"--json", "peers"});
   REQUIRE(j.code == 0);
   const auto jl = j.lines();
   REQUIRE(jl.size() == 2);
   CHECK(jl[0].rfind(R"({"connection_id":1,"peer":"127.0.0.1:9877",)", 0) == 0);
   CHECK(jl[1].rfind(R"({"connection_id":12,)", 0) == 0);
   CHECK(jl[1].find(R"("last_handshake":null})") != std::string::npos);
}

TEST_CASE("p2pctl: connect and disconnect", "[p2pctl]") {
   fake_node node;
   node.reply("connect", R"({"ok":true,"result":{"address":"127.0.0.1:9877","status":"added connection"}})");
   node.reply("disconnect", R"({"ok":false,"error":"no known connection","result":{"address":"10.1.1.1:1"}})");
   auto c = node.run({"connect", "127.0.0.1:9877"});
   CHECK(c.code == 0);
   CHECK(c.out == "127.0.0.1:9877: added connection\n");
   auto d = node.run({"disconnect", "10.1.1.1:1"});
   CHECK(d.code == 1);
   CHECK(d.out.empty());
   CHECK(d.err == "p2pctl: no known connection\n");
   auto dj = node.run({"--json", "disconnect", "10.1.1.1:1"});
   CHECK(dj.code == 1);
   CHECK(dj.out == R"({"ok":false,"error":"no known connection","result":{"address":"10.1.1.1:1"}})"
                   "\n");
   CHECK(dj.err == "p2pctl: no known connection\n");
   CHECK(node.requests() == std::vector<std::string>{R"({"cmd":"connect","address":"127.0.0.1:9877"})",
                                                     R"({"cmd":"disconnect","address":"10.1.1.1:1"})",
                                                     R"({"cmd":"disconnect","address":"10.1.1.1:1"})"});
   auto missing = node.run({"connect"});
   CHECK(missing.code == 2);
   CHECK(node.requests().size() == 3);
}

TEST_CASE("p2pctl: sync as key/value lines", "[p2pctl]") {
   fake_node node;
   node.reply("sync", R"({"ok":true,"result":{"stage":"lib_catchup","known_lib_num":100,"last_requested_num":60,)"
                      R"("next_expected_num":51,"sync_source":null,"head_block_num":50,"last_irreversible_block_num":40}})");
   auto r = node.run({"sync"});
   REQUIRE(r.code == 0);
   CHECK(r.out == "stage                      : lib_catchup\n"
                  "known_lib_num              : 100\n"
                  "last_requested_num         : 60\n"
                  "next_expected_num          : 51\n"
                  "sync_source                : -\n"
                  "head_block_num             : 50\n"
                  "last_irreversible_block_num: 40\n");
   CHECK(node.requests() == std::vector<std::string>{R"({"cmd":"sync"})"});
}

TEST_CASE("p2pctl: block by number or id, pretty JSON", "[p2pctl]") {
   fake_node node;
   node.reply("block", R"({"ok":true,"result":{"producer":"eosio","transactions":[],"id":")" + id64 +
                          R"(","block_num":42}})");
   auto r = node.run({"block", "42"});
   REQUIRE(r.code == 0);
   CHECK(r.out == "{\n  \"producer\": \"eosio\",\n  \"transactions\": [],\n  \"id\": \"" + id64 +
                     "\",\n  \"block_num\": 42\n}\n");
   std::string upper = id64;
   for (auto& ch : upper)
      ch = char(std::toupper(static_cast<unsigned char>(ch)));
   auto j = node.run({"--json", "block", upper});
   REQUIRE(j.code == 0);
   CHECK(j.out == R"({"producer":"eosio","transactions":[],"id":")" + id64 + R"(","block_num":42})"
                  "\n");
   CHECK(node.requests() ==
         std::vector<std::string>{R"({"cmd":"block","num":42})", R"({"cmd":"block","id":")" + id64 + "\"}"});
   for (const std::string& bad : std::vector<std::string>{"-1", "12abc", "4294967296", "", "0x10", std::string(63, 'a')}) {
      INFO(bad);
      CHECK(node.run({"block", bad}).code == 2);
   }
   CHECK(node.requests().size() == 2);
}

TEST_CASE("p2pctl: push-transaction from JSON or hex", "[p2pctl]") {
   fake_node node;
   node.reply("push_transaction", R"({"ok":true,"result":{"id":"abcd","accepted":true}})");
   auto r = node.run({"push-transaction"},
                     "  {\"signatures\":[],\"compression\":\"none\",\n \"packed_context_free_data\":\"\",\"packed_trx\":\"00ff\"}\n");
   REQUIRE(r.code == 0);
   CHECK(r.out == "abcd accepted\n");
   const auto file = node.dir / "trx.hex";
   std::ofstream(file) << "\n00FF 1234\nab\n";
   auto h = node.run({"--json", "push-transaction", file.string()});
   REQUIRE(h.code == 0);
   CHECK(h.out == R"({"id":"abcd","accepted":true})"
                  "\n");
   auto dash = node.run({"push-transaction", "-"}, "0a0b");
   CHECK(dash.code == 0);
   CHECK(node.requests() == std::vector<std::string>{
                               R"({"cmd":"push_transaction","trx":{"signatures":[],"compression":"none",)"
                               R"("packed_context_free_data":"","packed_trx":"00ff"}})",
                               R"({"cmd":"push_transaction","hex":"00ff1234ab"})",
                               R"({"cmd":"push_transaction","hex":"0a0b"})"});

   node.reply("push_transaction", R"({"ok":false,"error":"expired transaction","result":{"id":"abcd","accepted":false}})");
   auto refused = node.run({"push-transaction"}, "00");
   CHECK(refused.code == 1);
   CHECK(refused.out.empty());
   CHECK(refused.err == "p2pctl: expired transaction\n");

   // Bad input never reaches the node.
   const auto before = node.requests().size();
   for (const std::string bad : {"", "  \n", "{not json", "[1,2]", "0g", "abc"}) {
      INFO(bad);
      auto b = node.run({"push-transaction"}, bad);
      CHECK(b.code == 1);
      CHECK(b.err.rfind("p2pctl: stdin: ", 0) == 0);
   }
   auto nofile = node.run({"push-transaction", (node.dir / "missing").string()});
   CHECK(nofile.code == 1);
   CHECK(nofile.err.find("cannot open") != std::string::npos);
   CHECK(node.requests().size() == before);
}

TEST_CASE("p2pctl: metrics prints the raw text", "[p2pctl]") {
   fake_node node;
   node.reply("metrics", R"({"ok":true,"result":{"text":"# TYPE p2p_peers gauge\np2p_peers 3"}})");
   auto r = node.run({"metrics"});
   REQUIRE(r.code == 0);
   CHECK(r.out == "# TYPE p2p_peers gauge\np2p_peers 3\n");
   auto j = node.run({"metrics", "--json"});
   CHECK(j.out == R"({"text":"# TYPE p2p_peers gauge\np2p_peers 3"})"
                  "\n");
   CHECK(node.requests() == std::vector<std::string>{R"({"cmd":"metrics"})", R"({"cmd":"metrics"})"});
}

TEST_CASE("p2pctl: watch prints events until --count", "[p2pctl]") {
   fake_node node;
   node.reply("watch", R"({"ok":true,"result":{"watching":true}})");
   node.events({R"({"event":"block","block_num":7,"id":"0007","producer":"eosio","timestamp":"2024-01-01T00:00:03.500","transactions":2})",
                R"({"event":"lib","block_num":5,"id":"0005"})",
                R"({"event":"peer","action":"closed","connection_id":3,"peer":"127.0.0.1:9877","reason":"duplicate"})",
                R"({"event":"peer","action":"connected","connection_id":4,"peer":"127.0.0.1:9878","reason":""})",
                R"({"event":"future_kind","x":1})"});
   auto r = node.run({"watch", "--count", "5"});
   REQUIRE(r.code == 0);
   CHECK(r.lines() == std::vector<std::string>{
                         "block  #7  0007  producer=eosio  time=2024-01-01T00:00:03.500  trx=2",
                         "lib    #5  0005",
                         "peer   closed  #3  127.0.0.1:9877  (duplicate)",
                         "peer   connected  #4  127.0.0.1:9878",
                         R"({"event":"future_kind","x":1})",
                     });
   auto j = node.run({"--json", "watch", "-n", "2"});
   REQUIRE(j.code == 0);
   CHECK(j.lines() == std::vector<std::string>{
                         R"({"event":"block","block_num":7,"id":"0007","producer":"eosio","timestamp":"2024-01-01T00:00:03.500","transactions":2})",
                         R"({"event":"lib","block_num":5,"id":"0005"})"});
   CHECK(node.requests() == std::vector<std::string>{R"({"cmd":"watch"})", R"({"cmd":"watch"})"});
   CHECK(node.run({"watch", "--count", "0"}).code == 2);
}

TEST_CASE("p2pctl: the socket comes from --socket, --data-dir or P2PNODE_SOCKET", "[p2pctl]") {
   fake_node node;
   node.reply("status", R"({"ok":true,"result":{"head_block_num":1}})");
   auto d = test::run_p2pctl({"--data-dir", node.dir.string(), "status"});
   CHECK(d.code == 0);
   CHECK(d.out == "head_block_num: 1\n");
   ::setenv("P2PNODE_SOCKET", node.socket().c_str(), 1);
   auto e = test::run_p2pctl({"--json", "status"});
   ::unsetenv("P2PNODE_SOCKET");
   CHECK(e.code == 0);
   CHECK(e.out == "{\"head_block_num\":1}\n");
   CHECK(node.requests().size() == 2);
   auto both = test::run_p2pctl({"--data-dir", node.dir.string(), "--socket", node.socket(), "status"});
   CHECK(both.code == 2);
   CHECK(node.requests().size() == 2);
}

TEST_CASE("p2pctl: watch ends with exit 0 on SIGINT", "[p2pctl]") {
   fake_node node;
   node.reply("watch", R"({"ok":true,"result":{"watching":true}})");
   node.events({R"({"event":"lib","block_num":5,"id":"0005"})"});
   auto watching = std::async(std::launch::async, [&] { return node.run({"watch"}); });
   // The request is sent after the SIGINT handler is installed, so once it arrived a SIGINT
   // reaches the watch and not the default disposition.
   const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
   while (node.requests().empty() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
   REQUIRE(node.requests().size() == 1);
   ::kill(::getpid(), SIGINT);
   REQUIRE(watching.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
   auto r = watching.get();
   CHECK(r.code == 0);
   CHECK(r.err.empty());
   // Events already received are printed; nothing else.
   CHECK((r.out.empty() || r.out == "lib    #5  0005\n"));
}
