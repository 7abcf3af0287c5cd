// `p2pctl top` without a terminal (how it is scripted and tested): one frame after two samples,
// rates from the byte counters' change between them, rows sorted by --sort, and the watch
// stream's connection events.
#include "fake_node.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <thread>

using test::fake_node;
using namespace std::chrono_literals;

namespace {

std::string peers_reply(uint64_t bytes_in_1) {
   return R"({"ok":true,"result":{"peers":[)"
          R"({"connection_id":1,"peer":"a:9877","remote_ip":"127.0.0.1","remote_port":9877,"is_socket_open":true,)"
          R"("syncing":false,"is_bp_peer":true,"bytes_received":)" +
          std::to_string(bytes_in_1) +
          R"(,"bytes_sent":500,"latency_ms":3.5,"last_received_block":40,"blocks_received":40,)"
          R"("transactions_received":7,"votes_received":120,)"
          R"("last_handshake":{"network_version":1216,"agent":"\"Spring Agent\""}},)"
          R"({"connection_id":2,"peer":"b:9878","remote_ip":"10.0.0.2","remote_port":9878,"is_socket_open":true,)"
          R"("syncing":true,"bytes_received":10,"bytes_sent":20,"latency_ms":12.25,"last_received_block":41,)"
          R"("last_handshake":{"network_version":1206,"agent":"leap"}}]}})";
}

const std::string status_reply =
   R"({"ok":true,"result":{"chain_id":"cf057bbfb72640471fd910bcb67639c22df9f92470936cddc1ade0e2f2e7dc4f",)"
   R"("head_block_num":42,"head_block_producer":"prodb","last_irreversible_block_num":40,"sync_state":"in_sync",)"
   R"("producers":[],"peer_count":2}})";

} // namespace

TEST_CASE("p2pctl: top --once prints one frame with rates, sorted rows and connection events", "[p2pctl]") {
   fake_node node;
   node.reply("watch", R"({"ok":true,"result":{"watching":true}})");
   node.reply("status", status_reply);
   node.reply("peers", peers_reply(1000));
   node.events({R"({"event":"peer","action":"connected","connection_id":2,"peer":"b:9878","reason":""})",
                R"({"event":"block","block_num":42})",
                R"({"event":"peer","action":"closed","connection_id":3,"peer":"c:9879","reason":"duplicate"})"});
   // The first sample is taken at once; the second 0.6 s later sees 3,072 more bytes in on peer 1.
   auto run = std::async(std::launch::async, [&] { return node.run({"top", "--once", "--interval", "0.6", "--sort", "latency"}); });
   std::this_thread::sleep_for(300ms);
   node.reply("peers", peers_reply(1000 + 3072));
   const auto r = run.get();
   INFO(r.out << r.err);
   REQUIRE(r.code == 0);
   const auto lines = r.lines();
   REQUIRE(lines.size() >= 9);
   CHECK(lines[0] == "head 42 (prodb)  LIB 40  sync in_sync  producers ");
   CHECK(lines[1] == "chain cf057bbfb7264047  peers 2");
   // LATENCY sorts biggest first: peer 2 (12.25 ms) above peer 1 (3.5 ms).
   CHECK(lines[3].find("LATENCYv") != std::string::npos);
   REQUIRE(lines[4].rfind("2 ", 0) == 0);
   REQUIRE(lines[5].rfind("1 ", 0) == 0);
   CHECK(lines[4].find("10.0.0.2:9878") != std::string::npos);
   CHECK(lines[4].find("1206") != std::string::npos);
   CHECK(lines[4].find("syncing") != std::string::npos);
   // 3,072 bytes in 0.6 s: 5.0K/s; nothing sent; the counts of blocks, transactions and votes.
   CHECK(lines[5].find("5.0K") != std::string::npos);
   CHECK(lines[5].find(" 0B ") != std::string::npos);
   CHECK(lines[5].find("\"Spring Agent\"") != std::string::npos);
   CHECK(lines[5].find("1216") != std::string::npos);
   CHECK(lines[5].find("120") != std::string::npos);
   CHECK(lines[5].find("open,bp") != std::string::npos);
   CHECK(lines[7] == "recent connection events");
   CHECK(lines[8].find("connected #2 b:9878") != std::string::npos);
   REQUIRE(lines.size() == 10);
   CHECK(lines[9].find("closed #3 c:9879 (duplicate)") != std::string::npos);
   // One watch connection, with status and peers asked on it twice.
   CHECK(node.requests() == std::vector<std::string>{R"({"cmd":"watch"})", R"({"cmd":"status"})", R"({"cmd":"peers"})",
                                                     R"({"cmd":"status"})", R"({"cmd":"peers"})"});
}

TEST_CASE("p2pctl: top refuses an unknown sort column and reports a refused request", "[p2pctl]") {
   fake_node node;
   node.reply("watch", R"({"ok":true,"result":{"watching":true}})");
   node.reply("status", status_reply);
   auto bad = node.run({"top", "--once", "--sort", "colour"});
   CHECK(bad.code == 2);
   CHECK(bad.err.find("no column colour") != std::string::npos);
   CHECK(node.run({"top", "--once", "--interval", "0"}).code == 2);
   // peers is not answered by this fake node: the refusal is reported, exit 1.
   auto refused = node.run({"top", "--once", "--interval", "0.1"});
   CHECK(refused.code == 1);
   CHECK(refused.err.find("unknown command") != std::string::npos);
}
