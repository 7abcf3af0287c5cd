// engine: connections, handshakes as the engine assembles their context, the heartbeat, time
// messages, go_away, outbound dialling and back-off, operator requests and what p2pctl peers
// shows — in virtual time, without sockets.
#include "engine_harness.hpp"

#include <algorithm>

using namespace core;
using namespace test;

namespace {

bool has_line(const engine_harness& h, const std::string& level, const std::string& text) {
   std::istringstream in(h.log_text.str());
   for (std::string l; std::getline(in, l);)
      if (l.rfind(level, 0) == 0 && l.find(text) != std::string::npos)
         return true;
   return false;
}

const peer_status* status_of(const std::vector<peer_status>& all, const std::string& peer) {
   auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.peer == peer; });
   return it == all.end() ? nullptr : &*it;
}

} // namespace

TEST_CASE("engine: an outbound connection opens with a handshake and a ping, an inbound one waits", "[net]") {
   engine_harness h;
   h.cfg.peers = {"10.9.9.9:9876"};
   h.start();
   REQUIRE(h.dials() == std::vector<std::string>{"10.9.9.9:9876"});
   const auto out = h.connect_outbound("10.9.9.9:9876");
   const auto msgs = h.sent_to(out);
   REQUIRE(msgs.size() == 2);
   CHECK(std::holds_alternative<handshake_message>(msgs[0]));
   CHECK(std::holds_alternative<time_message>(msgs[1]));
   const auto in = h.connect_inbound();
   CHECK(h.sent_to(in).empty());
   h.deliver(in, h.handshake_from(2, 1, 1));
   CHECK(h.sent_to_of<handshake_message>(in).size() == 1);
   CHECK(h.eng->connection_count() == 1);
}

TEST_CASE("engine: a handshake tells the chain's LIB, its fork database head, the node's identity and the time", "[net]") {
   engine_harness h(20, 8);
   h.chain.fork_db_head = make_block_id(hash_of(0xfd), 22); // two blocks not yet applied
   h.cfg.peers = {"10.9.9.9:9876"};
   h.cfg.identity.agent = "engine test";
   h.start();
   h.advance(std::chrono::seconds(5));
   const auto out = h.connect_outbound("10.9.9.9:9876");
   const auto hs = h.sent_to_of<handshake_message>(out);
   REQUIRE(hs.size() == 1);
   CHECK(hs[0].chain_id == h.cfg.identity.chain_id);
   CHECK(hs[0].node_id == h.cfg.identity.node_id);
   CHECK(hs[0].p2p_address == "me.example:9876 - " + h.cfg.identity.node_id.to_string().substr(0, 7));
   CHECK(hs[0].agent == "engine test");
   CHECK(hs[0].last_irreversible_block_num == 8);
   CHECK(hs[0].last_irreversible_block_id == h.chain.id(8));
   CHECK(hs[0].head_num == 22);
   CHECK(hs[0].head_id == *h.chain.fork_db_head);
   CHECK(hs[0].time == h.clock.now().count());
   CHECK(hs[0].generation == 1);

   // The next one, the answer to the peer's handshake, carries the chain as it is then, one generation on.
   h.clear();
   h.chain.lib = 10;
   h.chain.fork_db_head.reset();
   h.deliver(out, h.handshake_from(2, 30, 40));
   const auto again = h.sent_to_of<handshake_message>(out);
   REQUIRE_FALSE(again.empty());
   CHECK(again.back().last_irreversible_block_num == 10);
   CHECK(again.back().head_num == 20);
   CHECK(again.back().head_id == h.chain.id(20));
   CHECK(again.back().generation == 2);
}

TEST_CASE("engine: p2p-max-nodes-per-host closes the extra connection from one address", "[net]") {
   engine_harness h;
   h.cfg.max_nodes_per_host = 2;
   h.start();
   const auto a = h.connect_inbound("10.0.0.5");
   const auto b = h.connect_inbound("10.0.0.5");
   const auto c = h.connect_inbound("10.0.0.5");
   const auto d = h.connect_inbound("10.0.0.6");
   CHECK(h.close_of(a) == nullptr);
   CHECK(h.close_of(b) == nullptr);
   REQUIRE(h.close_of(c));
   CHECK(h.close_of(c)->why.op == disconnect_op::limit);
   CHECK(h.close_of(d) == nullptr);
}

TEST_CASE("engine: max-clients refuses a handshake beyond the limit, except from a configured BP", "[net]") {
   engine_harness h;
   h.cfg.max_clients = 1;
   h.cfg.auto_bp_peers = {{name(name::string_to_value("prodb")), "bp.example:9876"}};
   h.start();
   h.handshaken_peer(2, 1, 1);
   const auto second = h.connect_inbound("10.0.0.3");
   h.deliver(second, h.handshake_from(3, 1, 1));
   REQUIRE(h.close_of(second));
   CHECK(h.close_of(second)->why.op == disconnect_op::limit);
   const auto bp = h.connect_inbound("10.0.0.4");
   h.deliver(bp, h.handshake_from(4, 1, 1, 1, "bp.example:9876"));
   CHECK(h.close_of(bp) == nullptr);
   CHECK(h.eng->connection_count() == 2);
}

TEST_CASE("engine: a second connection from a node already connected gets go_away duplicate", "[net]") {
   engine_harness h;
   h.start();
   h.handshaken_peer(2, 1, 1);
   const auto again = h.connect_inbound("10.0.0.9");
   h.deliver(again, h.handshake_from(2, 1, 1));
   const auto* c = h.close_of(again);
   REQUIRE(c);
   REQUIRE(c->why.go_away);
   CHECK(*c->why.go_away == go_away_reason::duplicate);
}

TEST_CASE("engine: a handshake whose LIB is not on our chain gets go_away forked", "[net]") {
   engine_harness h(10, 5);
   h.start();
   const auto peer = h.connect_inbound();
   auto hs = h.handshake_from(2, 3, 10);
   hs.last_irreversible_block_id = make_block_id(hash_of(0x77), 3);
   h.deliver(peer, hs);
   const auto* c = h.close_of(peer);
   REQUIRE(c);
   REQUIRE(c->why.go_away);
   CHECK(*c->why.go_away == go_away_reason::forked);
}

TEST_CASE("engine: a connection with no handshake within two keepalive intervals is closed", "[net]") {
   engine_harness h;
   h.start();
   const auto peer = h.connect_inbound();
   h.advance(21s); // heartbeats at 10 s and 20 s: 20 s is not more than two intervals
   CHECK(h.close_of(peer) == nullptr);
   h.advance(10s);
   const auto* c = h.close_of(peer);
   REQUIRE(c);
   CHECK(c->why.op == disconnect_op::handshake);
   CHECK(c->why.detail == "no handshake received");
}

TEST_CASE("engine: heartbeat: a handshake when no block came, a close after two silent intervals", "[net]") {
   engine_harness h;
   h.start();
   const auto peer = h.handshaken_peer(2, 1, 1);
   h.clear();
   h.advance(10s);
   CHECK(h.sent_to_of<handshake_message>(peer).size() == 1);
   CHECK(h.close_of(peer) == nullptr);
   h.advance(20s);
   const auto* c = h.close_of(peer);
   REQUIRE(c);
   CHECK(c->why.op == disconnect_op::heartbeat);
}

TEST_CASE("engine: a peer's ping is answered with its xmt as org", "[net]") {
   engine_harness h;
   h.start();
   const auto peer = h.handshaken_peer(2, 1, 1);
   h.clear();
   const int64_t xmt = (t0 - 1s).count();
   h.deliver(peer, time_message{0, 0, xmt, 0});
   const auto replies = h.sent_to_of<time_message>(peer);
   REQUIRE(replies.size() == 1);
   CHECK(replies[0].org == xmt);
   CHECK(replies[0].xmt == h.clock.now().count());
}

TEST_CASE("engine: an outbound peer is dialled again 100 ms after a close that allows it", "[net]") {
   engine_harness h;
   h.cfg.peers = {"10.9.9.9:9876"};
   h.start();
   const auto out = h.connect_outbound("10.9.9.9:9876");
   h.clear();
   h.closed_by_shell(out);
   h.advance(99ms);
   CHECK(h.dials().empty());
   h.advance(2ms);
   CHECK(h.dials() == std::vector<std::string>{"10.9.9.9:9876"});
}

TEST_CASE("engine: go_away authentication received: closed, and never dialled again", "[net]") {
   engine_harness h;
   h.cfg.peers = {"10.9.9.9:9876"};
   h.start();
   const auto out = h.connect_outbound("10.9.9.9:9876");
   h.deliver(out, go_away_message{go_away_reason::authentication, {}});
   const auto* c = h.close_of(out);
   REQUIRE(c);
   CHECK(c->why.go_away_received);
   const auto why = c->why;
   h.clear();
   h.closed_by_shell(out, why);
   h.advance(2min);
   CHECK(h.dials().empty());
}

TEST_CASE("engine: a failed dial is logged at info level, as nodeos does, and retried", "[net]") {
   engine_harness h;
   h.cfg.peers = {"127.0.0.1:9"};
   h.start();
   h.clear();
   h.dial_failed("127.0.0.1:9", "Connection refused");
   CHECK(has_line(h, "info", "connection failed to 127.0.0.1:9, Connection refused"));
   CHECK(h.eng->counters().failed_connections == 1);
   h.advance(101ms);
   CHECK(h.dials() == std::vector<std::string>{"127.0.0.1:9"});
   h.dial_failed("127.0.0.1:9", "Host not found", true);
   CHECK(has_line(h, "warn", "Unable to resolve 127.0.0.1:9: Host not found"));
}

TEST_CASE("engine: after ten immediate closes an outbound peer waits the cleanup period", "[net]") {
   engine_harness h;
   h.cfg.peers = {"10.9.9.9:9876"};
   h.start();
   for (int i = 0; i < 10; ++i) {
      h.clear();
      const auto out = h.connect_outbound("10.9.9.9:9876");
      h.closed_by_shell(out);
      h.advance(150ms);
      if (i < 9)
         REQUIRE(h.dials().size() == 1);
   }
   CHECK(h.dials().empty()); // the tenth close in a row: back off
   h.clear();
   h.advance(60s); // the connection monitor's first pass a cleanup period after the last close
   CHECK(h.dials() == std::vector<std::string>{"10.9.9.9:9876"});
}

TEST_CASE("engine: connect and disconnect manage outbound peers", "[net]") {
   engine_harness h;
   h.start();
   REQUIRE(h.eng->connect("10.1.1.1:9876"));
   h.collect();
   CHECK(h.dials() == std::vector<std::string>{"10.1.1.1:9876"});
   CHECK(h.eng->connect("10.1.1.1:9876").error() == "already connected");
   CHECK_FALSE(h.eng->connect("nohost"));
   const auto out = h.connect_outbound("10.1.1.1:9876");
   h.clear();
   REQUIRE(h.eng->disconnect("10.1.1.1:9876"));
   h.collect();
   REQUIRE(h.close_of(out));
   h.closed_by_shell(out);
   h.advance(1min);
   CHECK(h.dials().empty());
   CHECK(h.eng->disconnect("10.1.1.1:9876").error() == "no known connection");
}

TEST_CASE("engine: a peer's head and LIB follow its notices and the blocks it has", "[net]") {
   engine_harness h(40, 20);
   h.start();
   const auto peer = h.handshaken_peer(2, 1, 1);
   auto st = h.eng->peers();
   REQUIRE(st.size() == 1);
   CHECK(st[0].head_num == 1);
   CHECK(st[0].lib_num == 1);
   notice_message n;
   n.known_blocks.mode = id_list_mode::catch_up;
   n.known_blocks.pending = 30;
   n.known_blocks.ids.push_back(h.chain.id(30));
   h.deliver(peer, n);
   CHECK(h.eng->peers()[0].head_num == 30);
   notice_message lib;
   lib.known_trx.mode = id_list_mode::last_irr_catch_up;
   lib.known_trx.pending = 25;
   lib.known_blocks.mode = id_list_mode::last_irr_catch_up;
   lib.known_blocks.pending = 30;
   lib.known_blocks.ids.push_back(h.chain.id(30));
   h.deliver(peer, lib);
   CHECK(h.eng->peers()[0].lib_num == 25);
   h.deliver(peer, *h.chain.best[36]); // block 37, which we have
   st = h.eng->peers();
   CHECK(st[0].head_num == 37);
   CHECK(st[0].lib_num == 25); // the fake chain says block 37 implies LIB 25
   CHECK(st[0].last_handshake->head_num == 1);
   CHECK(st[0].blocks_received == 1); // counted per peer, for p2pctl top
   CHECK(st[0].transactions_received == 0);
}

TEST_CASE("engine: a peer being dialled shows as connecting, one that failed shows why", "[net]") {
   engine_harness h;
   h.cfg.peers = {"10.9.9.9:9876"};
   h.start();
   auto st = h.eng->peers();
   REQUIRE(st.size() == 1);
   CHECK(st[0].connection_id == 0);
   CHECK(st[0].connecting);
   CHECK(h.eng->dialling() == std::vector<std::string>{"10.9.9.9:9876"});
   h.dial_failed("10.9.9.9:9876", "Connection refused");
   st = h.eng->peers();
   CHECK_FALSE(st[0].connecting);
   CHECK(st[0].last_error == "Connection refused");
   CHECK(h.eng->dialling().empty());
   h.advance(150ms);
   CHECK(h.eng->peers()[0].connecting);
   CHECK(h.eng->dialling() == std::vector<std::string>{"10.9.9.9:9876"});
   const auto out = h.connect_outbound("10.9.9.9:9876");
   const auto all = h.eng->peers();
   const auto* s = status_of(all, "10.9.9.9:9876");
   REQUIRE(s);
   CHECK(s->connection_id == out);
   CHECK(s->connecting); // connected, no handshake yet
   CHECK(s->is_socket_open);
   CHECK(h.eng->dialling().empty()); // a connection, not a dial
}

TEST_CASE("engine: the result of a dial from before a peer was removed and added again is told apart", "[net]") {
   engine_harness h;
   h.start();
   REQUIRE(h.eng->connect("10.1.1.1:9876"));
   h.collect();
   const uint64_t first = h.dial_ids.at("10.1.1.1:9876");
   REQUIRE(h.eng->disconnect("10.1.1.1:9876")); // while its dial runs
   REQUIRE(h.eng->connect("10.1.1.1:9876"));
   h.collect();
   const uint64_t second = h.dial_ids.at("10.1.1.1:9876");
   CHECK(second != first);
   CHECK(h.dials() == std::vector<std::string>{"10.1.1.1:9876", "10.1.1.1:9876"});
   h.clear();

   // The old dial fails: logged and counted, but the new dial is still the one in progress, so
   // no third dial starts.
   h.dial_failed("10.1.1.1:9876", "Connection refused", false, first);
   CHECK(h.eng->counters().failed_connections == 1);
   CHECK(h.eng->dialling() == std::vector<std::string>{"10.1.1.1:9876"});
   CHECK(h.eng->peers()[0].connecting);
   h.advance(5s);
   CHECK(h.dials().empty());

   // Had the old dial connected instead, that connection is not the peer's: it is closed.
   const auto stale = h.connect_outbound("10.1.1.1:9876", first);
   REQUIRE(h.close_of(stale));
   CHECK(h.close_of(stale)->why.op == disconnect_op::local);
   CHECK(h.eng->dialling() == std::vector<std::string>{"10.1.1.1:9876"});
   h.closed_by_shell(stale);

   // The new dial's connection is.
   const auto fresh = h.connect_outbound("10.1.1.1:9876", second);
   CHECK_FALSE(h.close_of(fresh));
   CHECK(h.eng->dialling().empty());
   const auto all = h.eng->peers();
   const auto* s = status_of(all, "10.1.1.1:9876");
   REQUIRE(s);
   CHECK(s->connection_id == fresh);
}

TEST_CASE("engine: nothing is queued for a connection once the engine closed it", "[net]") {
   engine_harness h(5, 1);
   h.start();
   const auto a = h.handshaken_peer(2, 1, 5);
   const auto b = h.handshaken_peer(3, 1, 5);
   h.deliver(a, go_away_message{go_away_reason::benign_other, {}});
   REQUIRE(h.close_of(a));
   h.clear();
   h.deliver(a, time_message{0, 0, (t0 - 1s).count(), 0});
   h.eng->on_block_validated(h.next_block(), h.next_block()->calculate_id(), h.clock.now());
   h.collect();
   h.advance(1min);
   CHECK(h.sent_to(a).empty());
   CHECK_FALSE(h.sent_to(b).empty());
}

TEST_CASE("engine: stop closes every connection and dials nothing more", "[net]") {
   engine_harness h;
   h.cfg.peers = {"10.9.9.9:9876"};
   h.start();
   const auto in = h.handshaken_peer(2, 1, 1);
   h.clear();
   h.eng->stop();
   h.collect();
   REQUIRE(h.close_of(in));
   CHECK(h.close_of(in)->why.op == disconnect_op::local);
   CHECK_FALSE(h.eng->next_tick());
   h.dial_failed("10.9.9.9:9876", "refused");
   h.closed_by_shell(in);
   CHECK(h.dials().empty());
}
