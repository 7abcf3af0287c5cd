// The control socket's commands over a fake control_surface: every reply is built from what
// the surface says and every action goes through it, with no node, chain or socket behind it.
#include "node/control_commands.hpp"

#include "support/fake_control_surface.hpp"

#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "crypto/sha256.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <sstream>

using namespace core;

namespace {

using test::fake_surface;

rapidjson::Document ask(fake_surface& s, const std::string& line, bool* subscribe = nullptr) {
   auto reply = handle_control_request(s, line);
   if (subscribe)
      *subscribe = reply.subscribe;
   rapidjson::Document d;
   d.Parse(reply.line.c_str());
   INFO(reply.line);
   REQUIRE(d.IsObject());
   REQUIRE(d.HasMember("ok"));
   return d;
}

std::string str(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

packed_transaction a_transaction(std::string_view memo) {
   transaction t;
   t.expiration = time_point_sec{1'700'000'000};
   action a;
   a.account = "eosio.token"_n;
   a.name = "transfer"_n;
   a.data.assign(memo.begin(), memo.end());
   t.actions.push_back(std::move(a));
   return packed_transaction::make(t, {});
}

} // namespace

TEST_CASE("control_commands: status is the surface's node_status, field by field", "[node]") {
   fake_surface s;
   s.st.chain_id = sha256(std::string_view("chain"));
   s.st.head_block_num = 37;
   s.st.lib_num = 30;
   s.st.fork_db_head_num = 38;
   s.st.stage = sync_stage::head_catchup;
   s.st.network_version = 1212;
   s.st.agent = "test agent";
   s.st.peer_count = 2;
   s.st.producers = {"alice"_n, "bob"_n};
   s.st.unapplied_transactions = 5;
   s.st.produced_blocks = 9;
   auto d = ask(s, R"({"cmd":"status"})");
   REQUIRE(d["ok"].GetBool());
   const auto& r = d["result"];
   CHECK(str(r["chain_id"]) == s.st.chain_id.to_string());
   CHECK(r["head_block_num"].GetUint() == 37u);
   CHECK(r["last_irreversible_block_num"].GetUint() == 30u);
   CHECK(r["fork_db_head_block_num"].GetUint() == 38u);
   CHECK(str(r["sync_state"]) == "head_catchup");
   CHECK(r["network_version"].GetUint() == 1212u);
   CHECK(str(r["agent"]) == "test agent");
   CHECK(r["peer_count"].GetUint() == 2u);
   REQUIRE(r["producers"].Size() == 2);
   CHECK(str(r["producers"][1]) == "bob");
   CHECK(r["unapplied_transactions"].GetUint() == 5u);
   CHECK(r["produced_blocks"].GetUint() == 9u);
}

TEST_CASE("control_commands: status carries finality — LIB lag, consensus, last QC, votes", "[node]") {
   fake_surface s;
   s.st.head_block_num = 40;
   s.st.lib_num = 38;
   s.st.lib_lag_blocks = 2;
   s.st.lib_lag_ms = 1000;
   s.st.savanna = true;
   s.st.last_qc_block_num = 39;
   s.st.last_qc_strong = true;
   s.st.finalizer_keys = 1;
   s.st.votes_sent = 12;
   s.st.votes_received = 30;
   s.st.votes_counted = 28;
   auto d = ask(s, R"({"cmd":"status"})");
   REQUIRE(d["ok"].GetBool());
   const auto& r = d["result"];
   CHECK(r["lib_lag_blocks"].GetUint() == 2u);
   CHECK(r["lib_lag_ms"].GetUint() == 1000u);
   CHECK(str(r["consensus"]) == "savanna");
   CHECK(r["last_qc_block_num"].GetUint() == 39u);
   CHECK(str(r["last_qc"]) == "strong");
   CHECK(r["finalizer_keys"].GetUint() == 1u);
   CHECK(r["votes_sent"].GetUint() == 12u);
   CHECK(r["votes_received"].GetUint() == 30u);
   CHECK(r["votes_counted"].GetUint() == 28u);
   s.st.savanna = false;
   s.st.last_qc_block_num.reset();
   auto legacy = ask(s, R"({"cmd":"status"})");
   CHECK(str(legacy["result"]["consensus"]) == "dpos");
   CHECK(legacy["result"]["last_qc_block_num"].IsNull());
   CHECK(str(legacy["result"]["last_qc"]) == "none");
}

TEST_CASE("control_commands: activate_savanna hands the policy to the surface, bad input is refused", "[node]") {
   fake_surface s;
   const std::string key = "PUB_BLS_82P3oM1u0IEv64u9i4vSzvg1-QDl4Fb2n50Mp8Sk7Fr1Tz0MJypzL39nSd5VPFgFC9WqrjopRbBm1Pf0RkP018fo1k2rXaJY7Wtzd9RKlE8PoQ6XhDm4PyZlIupQg_gOuiMhcg";
   auto d = ask(s, R"({"cmd":"activate_savanna","policy":{"generation":7,"threshold":1,"finalizers":[{"description":"n1","weight":1,"public_key":")" +
                      key + R"("}]}})");
   REQUIRE(d["ok"].GetBool());
   REQUIRE(s.activated);
   CHECK(s.activated->generation == 1); // a Savanna genesis policy is generation 1 whatever was sent
   CHECK(s.activated->threshold == 1);
   REQUIRE(s.activated->finalizers.size() == 1);
   CHECK(s.activated->finalizers[0].public_key.to_string() == key);
   CHECK(d["result"]["finalizers"].GetUint() == 1u);
   auto missing = ask(s, R"({"cmd":"activate_savanna"})");
   CHECK_FALSE(missing["ok"].GetBool());
   auto bad_key = ask(s, R"({"cmd":"activate_savanna","policy":{"generation":1,"threshold":1,"finalizers":[{"description":"n1","weight":1,"public_key":"PUB_BLS_nope"}]}})");
   CHECK_FALSE(bad_key["ok"].GetBool());
   s.refuse_activation = "the chain is already Savanna";
   auto refused = ask(s, R"({"cmd":"activate_savanna","policy":{"generation":1,"threshold":1,"finalizers":[{"description":"n1","weight":1,"public_key":")" +
                            key + R"("}]}})");
   CHECK_FALSE(refused["ok"].GetBool());
   CHECK(str(refused["error"]).find("already Savanna") != std::string::npos);
}

TEST_CASE("control_commands: peers lists a configured peer being dialled and a connected one", "[node]") {
   fake_surface s;
   peer_status dialled;
   dialled.peer = "10.0.0.1:9876";
   dialled.outbound = true;
   dialled.connecting = true;
   dialled.last_error = "connection refused";
   peer_status live;
   live.connection_id = 4;
   live.peer = "10.0.0.2:40000";
   live.remote_ip = "10.0.0.2";
   live.remote_port = 40000;
   live.connected_at = net_time{std::chrono::seconds(1'700'000'000)};
   live.latency_ms = 1.5;
   live.head_num = 37;
   live.lib_num = 30;
   live.last_handshake = handshake_message{};
   live.last_handshake->head_num = 12;
   live.protocol_version = 11;
   live.blocks_received = 40;
   live.transactions_received = 6;
   live.votes_received = 8;
   live.votes_relayed = 9;
   live.votes_rejected = 1;
   live.nacks_sent = 2;
   live.consecutive_nacks = 3;
   live.block_notices = true;
   live.write_queue_bytes = 1024;
   live.write_queue_high_water = 3'000'000;
   s.peer_list = {dialled, live};
   auto d = ask(s, R"({"cmd":"peers"})");
   REQUIRE(d["ok"].GetBool());
   const auto& p = d["result"]["peers"];
   REQUIRE(p.Size() == 2);
   CHECK(p[0]["connection_id"].GetUint() == 0u);
   CHECK(p[0]["connecting"].GetBool());
   CHECK(str(p[0]["connected_at"]).empty());
   CHECK(p[0]["latency_ms"].IsNull());
   CHECK(p[0]["last_handshake"].IsNull());
   CHECK(str(p[0]["last_error"]) == "connection refused");
   CHECK(p[1]["connection_id"].GetUint() == 4u);
   CHECK_FALSE(p[1]["outbound"].GetBool());
   CHECK(str(p[1]["connected_at"]) == "2023-11-14T22:13:20.000");
   CHECK(p[1]["latency_ms"].GetDouble() == 1.5);
   CHECK(p[1]["head_block_num"].GetUint() == 37u);
   CHECK(p[1]["last_irreversible_block_num"].GetUint() == 30u);
   CHECK(p[1]["last_handshake"]["head_num"].GetUint() == 12u);
   CHECK(p[1]["protocol_version"].GetUint() == 11u);
   CHECK(p[1]["blocks_received"].GetUint() == 40u);
   CHECK(p[1]["transactions_received"].GetUint() == 6u);
   CHECK(p[1]["votes_received"].GetUint() == 8u);
   CHECK(p[1]["votes_relayed"].GetUint() == 9u);
   CHECK(p[1]["votes_rejected"].GetUint() == 1u);
   CHECK(p[1]["nacks_sent"].GetUint() == 2u);
   CHECK(p[1]["consecutive_nacks"].GetUint() == 3u);
   CHECK(p[1]["block_notices"].GetBool());
   CHECK(p[1]["write_queue_bytes"].GetUint64() == 1024u);
   CHECK(p[1]["write_queue_high_water"].GetUint64() == 3'000'000u);
   CHECK(p[0]["write_queue_high_water"].GetUint64() == 0u);
   CHECK(p[0]["protocol_version"].GetUint() == 0u); // no handshake yet
}

TEST_CASE("control_commands: bp_gossip_peers lists the learnt endpoints as Spring's /v1/net/bp_gossip_peers", "[node]") {
   fake_surface s;
   s.gossip = {{"proda"_n, "a.example:9876", "10.0.0.1", block_timestamp{1}},
               {"prodb"_n, "b.example:9876", "10.0.0.2", block_timestamp{2}}};
   peer_status gossiper;
   gossiper.connection_id = 3;
   gossiper.is_bp_gossip_peer = true;
   gossiper.bp_gossip = "gossip";
   gossiper.bp_gossip_received = 2;
   s.peer_list = {gossiper};
   auto d = ask(s, R"({"cmd":"bp_gossip_peers"})");
   REQUIRE(d["ok"].GetBool());
   const auto& g = d["result"]["bp_gossip_peers"];
   REQUIRE(g.Size() == 2);
   CHECK(str(g[0]["producer_name"]) == "proda");
   CHECK(str(g[0]["server_endpoint"]) == "a.example:9876");
   CHECK(str(g[0]["outbound_ip_address"]) == "10.0.0.1");
   CHECK(str(g[1]["expiration"]) == "2000-01-01T00:00:01.000");
   auto pd = ask(s, R"({"cmd":"peers"})");
   const auto& p = pd["result"]["peers"][0];
   CHECK(p["is_bp_gossip_peer"].GetBool());
   CHECK(str(p["bp_gossip"]) == "gossip");
   CHECK(p["bp_gossip_received"].GetUint() == 2u);
}

TEST_CASE("control_commands: sync shows the requested range only when the surface has one", "[node]") {
   fake_surface s;
   s.sy.stage = sync_stage::in_sync;
   const auto idle_doc = ask(s, R"({"cmd":"sync"})"); // the document owns the values read below
   const auto& idle = idle_doc["result"];
   CHECK(str(idle["stage"]) == "in_sync");
   CHECK(idle["last_requested_num"].IsNull());
   CHECK(idle["next_expected_num"].IsNull());
   CHECK(idle["sync_source"].IsNull());
   s.sy = {sync_stage::lib_catchup, 500, 200, 101, 3, 100, 90};
   auto d = ask(s, R"({"cmd":"sync"})");
   const auto& r = d["result"];
   CHECK(str(r["stage"]) == "lib_catchup");
   CHECK(r["known_lib_num"].GetUint() == 500u);
   CHECK(r["last_requested_num"].GetUint() == 200u);
   CHECK(r["next_expected_num"].GetUint() == 101u);
   CHECK(r["sync_source"].GetUint() == 3u);
   CHECK(r["head_block_num"].GetUint() == 100u);
   CHECK(r["last_irreversible_block_num"].GetUint() == 90u);
}

TEST_CASE("control_commands: connect and disconnect act through the surface and log what changed", "[node]") {
   fake_surface s;
   auto d = ask(s, R"({"cmd":"connect","address":"10.0.0.3:9876"})");
   REQUIRE(d["ok"].GetBool());
   CHECK(str(d["result"]["status"]) == "added");
   CHECK(s.connects == std::vector<std::string>{"10.0.0.3:9876"});
   CHECK(s.log_text.str().find("connect 10.0.0.3:9876: added") != std::string::npos);
   CHECK(ask(s, R"({"cmd":"disconnect","address":"10.0.0.3:9876"})")["ok"].GetBool());
   CHECK(s.disconnects == std::vector<std::string>{"10.0.0.3:9876"});

   s.refuse_connect = "already a peer: 10.0.0.4:9876";
   auto refused = ask(s, R"({"cmd":"connect","address":"10.0.0.4:9876"})");
   CHECK_FALSE(refused["ok"].GetBool());
   CHECK(str(refused["error"]) == s.refuse_connect);
   CHECK(s.log_text.str().find("10.0.0.4") == std::string::npos);

   auto no_address = ask(s, R"({"cmd":"connect"})");
   CHECK_FALSE(no_address["ok"].GetBool());
   CHECK(s.connects.size() == 1);
}

TEST_CASE("control_commands: block asks the surface by number or id", "[node]") {
   fake_surface s;
   signed_block b;
   b.previous = sha256(std::string_view("parent"));
   b.producer = "eosio"_n;
   s.block = std::make_shared<const signed_block>(b);
   const auto num = s.block->block_num();
   auto by_num = ask(s, R"({"cmd":"block","num":)" + std::to_string(num) + "}");
   REQUIRE(by_num["ok"].GetBool());
   CHECK(str(by_num["result"]["producer"]) == "eosio");
   auto by_id = ask(s, R"({"cmd":"block","id":")" + s.block->calculate_id().to_string() + "\"}");
   CHECK(by_id["ok"].GetBool());
   auto missing = ask(s, R"({"cmd":"block","num":)" + std::to_string(num + 1) + "}");
   CHECK_FALSE(missing["ok"].GetBool());
   CHECK(str(missing["error"]).find("not on this node's chain") != std::string::npos);
}

TEST_CASE("control_commands: push_transaction hands a decoded transaction to the surface and returns its verdict", "[node]") {
   fake_surface s;
   const auto trx = a_transaction("one");
   auto ok = ask(s, R"({"cmd":"push_transaction","hex":")" + to_hex(pack(trx)) + "\"}");
   REQUIRE(ok["ok"].GetBool());
   CHECK(str(ok["result"]["id"]) == trx.id().to_string());
   CHECK(ok["result"]["accepted"].GetBool());

   s.refuse_trx = "expired transaction";
   const auto second = a_transaction("two");
   auto refused = ask(s, R"({"cmd":"push_transaction","trx":)" + to_json(second) + "}");
   CHECK_FALSE(refused["ok"].GetBool());
   CHECK(str(refused["error"]) == "expired transaction");
   CHECK(str(refused["result"]["id"]) == second.id().to_string());
   CHECK_FALSE(refused["result"]["accepted"].GetBool());

   // Input that does not decode never reaches the surface.
   CHECK_FALSE(ask(s, R"({"cmd":"push_transaction","hex":"0102"})")["ok"].GetBool());
   CHECK_FALSE(ask(s, R"({"cmd":"push_transaction","trx":{"signatures":7}})")["ok"].GetBool());
   CHECK(s.pushed == std::vector<transaction_id_type>{trx.id(), second.id()});
}

TEST_CASE("control_commands: metrics count handshaken peers and inbound connections from the surface", "[node]") {
   fake_surface s;
   peer_status dialled;
   dialled.peer = "10.0.0.1:9876";
   dialled.outbound = true;
   dialled.connecting = true;
   peer_status out;
   out.connection_id = 1;
   out.outbound = true;
   out.peer = "10.0.0.5:9876";
   peer_status in;
   in.connection_id = 2;
   in.peer = "10.0.0.6:5000";
   in.bytes_sent = 777;
   in.write_queue_bytes = 55;
   in.write_queue_high_water = 2'000'000;
   in.protocol_version = 11;
   in.votes_relayed = 42;
   in.nacks_received = 5;
   in.notices_sent = 3;
   in.earliest_block = 17;
   peer_status handshaking; // inbound, no valid handshake yet
   handshaking.connection_id = 3;
   handshaking.connecting = true;
   handshaking.peer = "10.0.0.7:5001";
   s.peer_list = {dialled, out, in, handshaking};
   s.ctr.dropped_transactions = 11;
   s.ctr.relayed_votes = 99;
   s.ctr.rejected_votes = 4;
   s.ctr.notices_sent = 6;
   s.st.head_block_num = 37;
   const auto text = prometheus_metrics(s);
   CHECK(text.find("\nnodeos_p2p_peers 2\n") != std::string::npos);
   CHECK(text.find("\nnodeos_p2p_clients 2\n") != std::string::npos);
   CHECK(text.find("\nnodeos_p2p_transactions_dropped 11\n") != std::string::npos);
   CHECK(text.find("\nnodeos_head_block_num 37\n") != std::string::npos);
   CHECK(text.find("nodeos_p2p_bytes_sent{connid=\"2\",peer=\"10.0.0.6:5000\"} 777\n") != std::string::npos);
   CHECK(text.find("nodeos_p2p_write_queue_bytes{connid=\"2\",peer=\"10.0.0.6:5000\"} 55\n") != std::string::npos);
   CHECK(text.find("nodeos_p2p_write_queue_high_water{connid=\"2\",peer=\"10.0.0.6:5000\"} 2000000\n") != std::string::npos);
   CHECK(text.find("peer=\"10.0.0.1:9876\"") == std::string::npos);
   // Spring's protocols: totals and per connection (Spring's name where it has one).
   CHECK(text.find("\nnodeos_p2p_votes_relayed_total 99\n") != std::string::npos);
   CHECK(text.find("\nnodeos_p2p_votes_rejected_total 4\n") != std::string::npos);
   CHECK(text.find("\nnodeos_p2p_block_notices_sent_total 6\n") != std::string::npos);
   CHECK(text.find("nodeos_p2p_protocol_version{connid=\"2\",peer=\"10.0.0.6:5000\"} 11\n") != std::string::npos);
   CHECK(text.find("nodeos_p2p_votes_relayed{connid=\"2\",peer=\"10.0.0.6:5000\"} 42\n") != std::string::npos);
   CHECK(text.find("nodeos_p2p_block_nacks_received{connid=\"2\",peer=\"10.0.0.6:5000\"} 5\n") != std::string::npos);
   CHECK(text.find("nodeos_p2p_block_notices_sent{connid=\"2\",peer=\"10.0.0.6:5000\"} 3\n") != std::string::npos);
   CHECK(text.find("nodeos_p2p_first_available_block{connid=\"2\",peer=\"10.0.0.6:5000\"} 17\n") != std::string::npos);
   auto d = ask(s, R"({"cmd":"metrics"})");
   CHECK(str(d["result"]["text"]) == text);
}

TEST_CASE("control_commands: metrics carry BP gossip and transaction_notice series", "[node]") {
   fake_surface s;
   peer_status gossiper;
   gossiper.connection_id = 4;
   gossiper.peer = "10.0.0.8:9876";
   gossiper.is_bp_gossip_peer = true;
   gossiper.bp_gossip_received = 3;
   gossiper.bp_gossip_sent = 2;
   peer_status plain;
   plain.connection_id = 5;
   plain.peer = "10.0.0.9:9876";
   peer_status gone = gossiper; // a BP-gossip peer being dialled again: no connection
   gone.connection_id = 0;
   s.peer_list = {gossiper, plain, gone};
   s.gossip = {{"proda"_n, "a:9876", "10.0.0.1", {}}, {"prodb"_n, "b:9876", "10.0.0.2", {}},
               {"prodb"_n, "b2:9876", "10.0.0.3", {}}};
   s.ctr.bp_gossip_received = 9;
   s.ctr.bp_gossip_sent = 8;
   s.ctr.bp_gossip_rejected = 1;
   s.ctr.bp_gossip_entries_received = 21;
   s.ctr.bp_gossip_entries_dropped = 5;
   s.ctr.bp_gossip_entries_learnt = 4;
   s.ctr.bp_gossip_entries_sent = 30;
   s.ctr.trx_notices_received = 12;
   s.ctr.trx_notices_sent = 13;
   const auto text = prometheus_metrics(s);
   INFO(text);
   CHECK(text.find("# TYPE nodeos_p2p_bp_gossip_peers gauge\nnodeos_p2p_bp_gossip_peers 3\n") != std::string::npos);
   CHECK(text.find("\nnodeos_p2p_bp_gossip_connections 1\n") != std::string::npos);
   CHECK(text.find("# TYPE nodeos_p2p_bp_gossip_messages_received_total counter\n"
                   "nodeos_p2p_bp_gossip_messages_received_total 9\n") != std::string::npos);
   CHECK(text.find("\nnodeos_p2p_bp_gossip_messages_sent_total 8\n") != std::string::npos);
   CHECK(text.find("\nnodeos_p2p_bp_gossip_messages_rejected_total 1\n") != std::string::npos);
   CHECK(text.find("\nnodeos_p2p_bp_gossip_entries_received_total 21\n") != std::string::npos);
   CHECK(text.find("\nnodeos_p2p_bp_gossip_entries_rejected_total 5\n") != std::string::npos);
   CHECK(text.find("\nnodeos_p2p_bp_gossip_entries_learnt_total 4\n") != std::string::npos);
   CHECK(text.find("\nnodeos_p2p_bp_gossip_entries_relayed_total 30\n") != std::string::npos);
   CHECK(text.find("\nnodeos_p2p_transaction_notices_received_total 12\n") != std::string::npos);
   CHECK(text.find("\nnodeos_p2p_transaction_notices_sent_total 13\n") != std::string::npos);
   CHECK(text.find("nodeos_p2p_bp_gossip_peer{connid=\"4\",peer=\"10.0.0.8:9876\"} 1\n") != std::string::npos);
   CHECK(text.find("nodeos_p2p_bp_gossip_peer{connid=\"5\",peer=\"10.0.0.9:9876\"} 0\n") != std::string::npos);
   CHECK(text.find("nodeos_p2p_bp_gossip_received{connid=\"4\",peer=\"10.0.0.8:9876\"} 3\n") != std::string::npos);
   CHECK(text.find("nodeos_p2p_bp_gossip_sent{connid=\"4\",peer=\"10.0.0.8:9876\"} 2\n") != std::string::npos);
   CHECK(text.find("connid=\"0\"") == std::string::npos);
}

TEST_CASE("control_commands: watch subscribes the client, and other commands do not", "[node]") {
   fake_surface s;
   bool subscribe = false;
   CHECK(ask(s, R"({"cmd":"watch"})", &subscribe)["ok"].GetBool());
   CHECK(subscribe);
   ask(s, R"({"cmd":"status"})", &subscribe);
   CHECK_FALSE(subscribe);
   auto unknown = ask(s, R"({"cmd":"reboot"})", &subscribe);
   CHECK_FALSE(unknown["ok"].GetBool());
   CHECK(str(unknown["error"]) == "unknown command \"reboot\"");
   CHECK_FALSE(subscribe);
   CHECK(peer_event_json({false, 3, "10.0.0.2:9876", "no handshake"}) ==
         R"({"event":"peer","action":"closed","connection_id":3,"peer":"10.0.0.2:9876","reason":"no handshake"})");
}
