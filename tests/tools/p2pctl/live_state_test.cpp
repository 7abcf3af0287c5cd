// What p2pctl shows of a peer's live state and of the sync manager outside a catch-up: the
// peer's head and LIB from the node's live fields, a peer being dialled as connecting with no
// address, and no requested range while in sync.
#include "fake_node.hpp"

#include <catch2/catch.hpp>

using test::fake_node;

TEST_CASE("p2pctl: peers shows a peer's live head and LIB, not its first handshake's", "[p2pctl]") {
   fake_node node;
   node.reply("peers",
              R"({"ok":true,"result":{"peers":[)"
              R"({"connection_id":3,"peer":"127.0.0.1:9877","remote_ip":"127.0.0.1","remote_port":9877,"outbound":true,)"
              R"("connecting":false,"syncing":false,"is_bp_peer":false,"is_socket_open":true,"is_blocks_only":false,)"
              R"("is_transactions_only":false,"connected_at":"2024-01-01T00:00:00.000","bytes_received":10,)"
              R"("bytes_sent":20,"latency_ms":1,"last_received_block":37,"head_block_num":37,)"
              R"("last_irreversible_block_num":25,"last_error":"",)"
              R"("last_handshake":{"head_num":1,"last_irreversible_block_num":1}}]}})");
   auto r = node.run({"peers"});
   REQUIRE(r.code == 0);
   const auto lines = r.lines();
   REQUIRE(lines.size() == 2);
   CHECK(lines[0] == "ID  PEER            ADDRESS         DIR  HEAD  LIB  LATENCY  IN  OUT  PROTO  VOTES  NACKS  NOTICES  STATE");
   // An older node reports no protocol fields: -.
   CHECK(lines[1] == " 3  127.0.0.1:9877  127.0.0.1:9877  out    37   25      1ms  10   20      -      -      -        -  open");
}

TEST_CASE("p2pctl: peers shows the protocol, votes, nacks and notices of a Spring connection", "[p2pctl]") {
   fake_node node;
   node.reply("peers",
              R"({"ok":true,"result":{"peers":[)"
              R"({"connection_id":3,"peer":"127.0.0.1:9877","remote_ip":"127.0.0.1","remote_port":9877,"outbound":true,)"
              R"("connecting":false,"syncing":false,"is_bp_peer":false,"is_socket_open":true,"is_blocks_only":false,)"
              R"("is_transactions_only":false,"connected_at":"2024-01-01T00:00:00.000","bytes_received":10,)"
              R"("bytes_sent":20,"latency_ms":1,"last_received_block":37,"head_block_num":37,)"
              R"("last_irreversible_block_num":25,"last_error":"","protocol_version":11,"first_available_block":1,)"
              R"("votes_received":5,"votes_relayed":40,"votes_rejected":0,"nacks_received":4,"nacks_sent":1,)"
              R"("notices_received":0,"notices_sent":7,"consecutive_nacks":3,"block_notices":true,)"
              R"("last_handshake":{"head_num":1,"last_irreversible_block_num":1}}]}})");
   auto r = node.run({"peers"});
   REQUIRE(r.code == 0);
   const auto lines = r.lines();
   REQUIRE(lines.size() == 2);
   CHECK(lines[1] == " 3  127.0.0.1:9877  127.0.0.1:9877  out    37   25      1ms  10   20     11   5/40    4/1      0/7  open,notices");
}

TEST_CASE("p2pctl: a peer being dialled shows as connecting, with no address", "[p2pctl]") {
   fake_node node;
   node.reply("peers",
              R"({"ok":true,"result":{"peers":[)"
              R"({"connection_id":0,"peer":"10.1.1.1:9876","remote_ip":"","remote_port":0,"outbound":true,)"
              R"("connecting":true,"syncing":false,"is_bp_peer":false,"is_socket_open":false,"is_blocks_only":false,)"
              R"("is_transactions_only":false,"connected_at":"","bytes_received":0,"bytes_sent":0,"latency_ms":null,)"
              R"("last_received_block":0,"head_block_num":0,"last_irreversible_block_num":0,"last_error":"",)"
              R"("last_handshake":null},)"
              R"({"connection_id":0,"peer":"10.1.1.2:9876","remote_ip":"","remote_port":0,"outbound":true,)"
              R"("connecting":false,"syncing":false,"is_bp_peer":false,"is_socket_open":false,"is_blocks_only":false,)"
              R"("is_transactions_only":false,"connected_at":"","bytes_received":0,"bytes_sent":0,"latency_ms":null,)"
              R"("last_received_block":0,"head_block_num":0,"last_irreversible_block_num":0,)"
              R"("last_error":"Connection refused","last_handshake":null}]}})");
   auto r = node.run({"peers"});
   REQUIRE(r.code == 0);
   const auto lines = r.lines();
   REQUIRE(lines.size() == 3);
   CHECK(lines[1] == " -  10.1.1.1:9876  -        out     -    -        -   0    0      -      -      -        -  connecting");
   CHECK(lines[2] == " -  10.1.1.2:9876  -        out     -    -        -   0    0      -      -      -        -  closed");
}

TEST_CASE("p2pctl: sync in sync shows no requested range", "[p2pctl]") {
   fake_node node;
   // As an older node answers: its initial numbers, which mean nothing outside lib_catchup.
   node.reply("sync", R"({"ok":true,"result":{"stage":"in_sync","known_lib_num":40,"last_requested_num":0,)"
                      R"("next_expected_num":1,"sync_source":null,"head_block_num":50,"last_irreversible_block_num":40}})");
   auto r = node.run({"sync"});
   REQUIRE(r.code == 0);
   CHECK(r.out == "stage                      : in_sync\n"
                  "known_lib_num              : 40\n"
                  "last_requested_num         : -\n"
                  "next_expected_num          : -\n"
                  "sync_source                : -\n"
                  "head_block_num             : 50\n"
                  "last_irreversible_block_num: 40\n");
   auto j = node.run({"--json", "sync"});
   REQUIRE(j.code == 0);
   CHECK(j.out.find(R"("next_expected_num":1)") != std::string::npos); // --json prints the reply as sent
}
