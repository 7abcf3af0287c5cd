// gossip_bp_peers in the engine (protocol 11, PROTOCOL.md §16), as Spring 1.2's net_plugin runs
// it: who gets the initial message, who becomes a BP-gossip peer, relay of new entries, the
// close for a bad message, dialling the producers learnt, expiry.
#include "bp_gossip_support.hpp"
#include "engine_harness.hpp"

using namespace test;
using core::operator""_n;

namespace {

struct gossip_harness : engine_harness {
   gossip_keys k;
   explicit gossip_harness(bool enabled = true) : engine_harness(5, 3) {
      cfg.identity.chain_id = k.chain_id;
      cfg.identity.network_version = 1216;
      chain.schedules.active = k.schedule();
      if (enabled)
         cfg.bp_gossip_endpoints = {*core::parse_bp_gossip_endpoint("proda,a.example:9876,10.0.0.1")};
      cfg.signer = k.signer();
   }
   uint32_t gossip_peer(uint8_t who, uint16_t protocol = core::proto::gossip_bp_peers) {
      return handshaken_peer(who, 3, 5, "", protocol);
   }
   uint32_t expiry(uint32_t from_head = 7200) const { return chain.producer_schedules().head_time.slot + from_head; }
};

} // namespace

TEST_CASE("engine: a BP-gossip node sends its signed initial gossip_bp_peers after the handshake, to protocol 11 and above",
          "[net][engine][bp_gossip]") {
   gossip_harness h;
   h.start();
   const auto p10 = h.gossip_peer(1, core::proto::block_nack);
   const auto p11 = h.gossip_peer(2);
   CHECK(h.sent_to_of<core::gossip_bp_peers_message>(p10).empty());
   auto sent = h.sent_to_of<core::gossip_bp_peers_message>(p11);
   REQUIRE(sent.size() == 1);
   REQUIRE(core::is_initial_bp_gossip(sent[0]));
   CHECK(sent[0].peers[0].producer_name == "proda"_n);
   // It verifies against proda's schedule key.
   core::bp_gossip_index idx;
   CHECK(idx.validate(sent[0], h.k.chain_id, h.chain.producer_schedules().head_time, h.k.lookup()) ==
         core::bp_gossip_verdict::valid);
   CHECK(sent[0].peers.size() == 1);
}

TEST_CASE("engine: a node without p2p-bp-gossip-endpoint sends no BP gossip and ignores what it receives",
          "[net][engine][bp_gossip]") {
   gossip_harness h(false);
   h.start();
   const auto p = h.gossip_peer(1);
   h.deliver(p, h.k.initial("prodb"_n));
   h.deliver(p, core::gossip_bp_peers_message{}); // even a bad one (Spring returns first)
   CHECK(h.sent_to_of<core::gossip_bp_peers_message>(p).empty());
   CHECK(h.close_of(p) == nullptr);
   CHECK(h.eng->bp_gossip_peers().empty());
}

TEST_CASE("engine: a scheduled producer's initial message makes it a BP-gossip peer, answered with every entry",
          "[net][engine][bp_gossip]") {
   gossip_harness h;
   h.start();
   const auto p = h.gossip_peer(1);
   h.clear();
   h.deliver(p, h.k.initial("prodb"_n));
   auto sent = h.sent_to_of<core::gossip_bp_peers_message>(p);
   REQUIRE(sent.size() == 1);
   REQUIRE(sent[0].peers.size() == 1);
   CHECK(sent[0].peers[0].producer_name == "proda"_n);
   REQUIRE(sent[0].peers[0].info);
   CHECK(sent[0].peers[0].info->server_endpoint == "a.example:9876");
   CHECK(sent[0].peers[0].info->outbound_ip_address == "10.0.0.1");
   const auto st = h.eng->peers();
   REQUIRE(st.size() == 1);
   CHECK(st[0].is_bp_gossip_peer);
   CHECK(st[0].bp_gossip == "gossip");
   CHECK(st[0].bp_gossip_received == 1);
   // A stranger's initial message is dropped, not answered, and the sender stays.
   const auto q = h.gossip_peer(2);
   h.clear();
   auto stranger = h.k.initial("prodb"_n);
   stranger.peers[0].producer_name = "prodx"_n;
   stranger.peers[0].sig = h.k.stranger.sign(stranger.peers[0].digest(h.k.chain_id));
   const auto dropped = h.eng->counters().bp_gossip_entries_dropped;
   h.deliver(q, stranger);
   CHECK(h.eng->counters().bp_gossip_entries_dropped == dropped + 1);
   CHECK(h.sent_to_of<core::gossip_bp_peers_message>(q).empty());
   CHECK(h.close_of(q) == nullptr);
}

TEST_CASE("engine: a malformed gossip_bp_peers closes its sender with go_away fatal_other (Spring)",
          "[net][engine][bp_gossip]") {
   gossip_harness h;
   h.start();
   const auto p = h.gossip_peer(1);
   h.clear();
   h.deliver(p, core::gossip_bp_peers_message{{h.k.entry("prodc"_n, "c:1", h.expiry()),
                                               h.k.entry("prodb"_n, "b:1", h.expiry())}}); // not sorted
   const auto* c = h.close_of(p);
   REQUIRE(c);
   REQUIRE(c->why.go_away);
   CHECK(*c->why.go_away == core::go_away_reason::fatal_other);
   CHECK(h.eng->counters().bp_gossip_rejected == 1);
   CHECK(h.eng->counters().bp_gossip_entries_received == 2);
   CHECK(h.eng->counters().bp_gossip_entries_dropped == 2); // a malformed message loses them all
   CHECK(h.eng->counters().bp_gossip_entries_learnt == 0);
}

TEST_CASE("engine: new entries are relayed to every BP-gossip peer, and the producer's endpoint is dialled",
          "[net][engine][bp_gossip]") {
   gossip_harness h;
   h.start();
   const auto b = h.gossip_peer(1);
   const auto c = h.gossip_peer(2);
   const auto plain = h.gossip_peer(3); // at protocol 11, but never proved to be a producer
   h.deliver(b, h.k.initial("prodb"_n));
   h.deliver(c, h.k.initial("prodc"_n));
   h.clear();
   const core::gossip_bp_peers_message from_b{{h.k.entry("prodb"_n, "b.example:9876", h.expiry())}};
   const auto before = h.eng->counters();
   h.deliver(b, from_b);
   CHECK(h.eng->counters().bp_gossip_entries_received == before.bp_gossip_entries_received + 1);
   CHECK(h.eng->counters().bp_gossip_entries_learnt == before.bp_gossip_entries_learnt + 1);
   CHECK(h.eng->counters().bp_gossip_entries_dropped == before.bp_gossip_entries_dropped);
   // Both BP-gossip peers get the whole list: proda's entry and prodb's.
   CHECK(h.eng->counters().bp_gossip_sent == before.bp_gossip_sent + 2);
   CHECK(h.eng->counters().bp_gossip_entries_sent == before.bp_gossip_entries_sent + 4);
   auto to_c = h.sent_to_of<core::gossip_bp_peers_message>(c);
   REQUIRE(to_c.size() == 1);
   REQUIRE(to_c[0].peers.size() == 2); // proda's own and prodb's, sorted by producer
   CHECK(to_c[0].peers[0].producer_name == "proda"_n);
   CHECK(to_c[0].peers[1].producer_name == "prodb"_n);
   CHECK(to_c[0].peers[1] == from_b.peers[0]);          // relayed as signed
   CHECK(h.sent_to_of<core::gossip_bp_peers_message>(b).size() == 1); // Spring sends to all BP-gossip peers
   CHECK(h.sent_to_of<core::gossip_bp_peers_message>(plain).empty());
   CHECK(h.dials() == std::vector<std::string>{"b.example:9876"});
   auto learnt = h.eng->bp_gossip_peers();
   REQUIRE(learnt.size() == 2);
   CHECK(learnt[1].producer_name == "prodb"_n);
   CHECK(learnt[1].server_endpoint == "b.example:9876");
   // The same entries again change nothing: no relay, no dial.
   h.clear();
   h.deliver(c, from_b);
   CHECK(h.sent_to_of<core::gossip_bp_peers_message>(b).empty());
   CHECK(h.dials().empty());
}

TEST_CASE("engine: a learnt endpoint is dropped once it expires, and its connection with it",
          "[net][engine][bp_gossip]") {
   gossip_harness h;
   h.start();
   const auto b = h.gossip_peer(1);
   h.deliver(b, h.k.initial("prodb"_n));
   h.deliver(b, core::gossip_bp_peers_message{{h.k.entry("prodb"_n, "b.example:9876", h.expiry(100))}});
   REQUIRE(h.dials() == std::vector<std::string>{"b.example:9876"});
   const auto out = h.connect_outbound("b.example:9876");
   h.clear();
   h.chain.head_time = core::block_timestamp{h.expiry(100)};
   h.advance(4s); // the expire timer
   CHECK(h.eng->bp_gossip_peers().size() == 1); // only ours
   CHECK(h.close_of(out) != nullptr);
}

TEST_CASE("engine: gossip received before the node's own key is scheduled is answered once it is (validating)",
          "[net][engine][bp_gossip]") {
   gossip_harness h;
   auto s = h.k.schedule();
   std::erase_if(s.producers, [](const auto& p) { return p.producer_name == "proda"_n; });
   h.chain.schedules.active = s;
   h.start();
   const auto p = h.gossip_peer(1);
   CHECK(h.sent_to_of<core::gossip_bp_peers_message>(p).empty()); // nothing signed yet
   h.deliver(p, h.k.initial("prodb"_n));
   REQUIRE(h.eng->peers().size() == 1);
   CHECK(h.eng->peers()[0].bp_gossip == "validating");
   h.clear();
   h.chain.schedules.active = h.k.schedule();
   h.advance(4s);
   auto sent = h.sent_to_of<core::gossip_bp_peers_message>(p);
   REQUIRE(sent.size() == 1);
   CHECK(core::is_initial_bp_gossip(sent[0]));
}
