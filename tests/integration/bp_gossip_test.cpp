// BP gossip (protocol 11, PROTOCOL.md §16), as Spring 1.2's p2p-bp-gossip-endpoint: two producer
// nodes that only know a relay node (itself a producer with p2p-bp-gossip-endpoint, as Spring
// needs: a node without it neither reads nor relays BP gossip) learn each other's endpoint
// through it once the schedule names them, and connect directly.
#include "support/devnet.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <thread>

using namespace std::chrono_literals;

namespace {

const std::vector<std::string> schedule = {"proda", "prodb", "prodc"};

bool flag(const rapidjson::Value& v, const char* key) { return v.HasMember(key) && v[key].IsTrue(); }

/// The producers whose endpoints `n` learnt (p2pctl bp-gossip-peers --json: one object a line).
std::set<std::string> learnt(it::node_process& n, std::string& text) {
   std::set<std::string> out;
   auto r = n.ctl({"bp-gossip-peers", "--json"}, 5s);
   for (const auto& line : r.lines()) {
      text += n.name() + " learnt: " + line + "\n";
      if (auto d = it::parse_object(line))
         out.insert(it::str_member(*d, "producer_name") + "@" + it::str_member(*d, "server_endpoint"));
   }
   return out;
}

/// Node ids of `n`'s peers with a completed handshake, and of those shown as BP-gossip peers.
struct links {
   std::set<std::string> linked, gossip, dialled;
};
links links_of(it::node_process& n, std::string& text) {
   links l;
   for (const auto& p : n.peers()) {
      text += n.name() + ": " + it::str_member(p, "peer") + (flag(p, "outbound") ? " out" : " in") +
              " bp_gossip=" + it::str_member(p, "bp_gossip") + " " + it::str_member(p, "last_error") + "\n";
      if (flag(p, "outbound"))
         l.dialled.insert(it::str_member(p, "peer"));
      if (!flag(p, "connecting") && p.HasMember("last_handshake") && p["last_handshake"].IsObject()) {
         const auto id = it::str_member(p["last_handshake"], "node_id");
         l.linked.insert(id);
         if (flag(p, "is_bp_gossip_peer"))
            l.gossip.insert(id);
      }
   }
   return l;
}

} // namespace

TEST_CASE("bp gossip: two producers learn each other through a relay producer and connect directly",
          "[integration][bp_gossip]") {
   it::cluster c("bpgossip");
   auto& relay = c.add("relay"); // eosio (bootstrap), then prodc
   auto& a = c.add("a");         // proda
   auto& b = c.add("b");         // prodb
   it::make_producer(relay, {"eosio", "prodc"}, schedule);
   it::make_producer(a, {"proda"}, schedule);
   it::make_producer(b, {"prodb"}, schedule);
   relay.set("p2p-bp-gossip-endpoint", "prodc," + relay.endpoint() + ",127.0.0.1");
   a.set("p2p-bp-gossip-endpoint", "proda," + a.endpoint() + ",127.0.0.1");
   b.set("p2p-bp-gossip-endpoint", "prodb," + b.endpoint() + ",127.0.0.1");
   for (auto* n : {&a, &b}) {
      n->set("p2p-peer-address", relay.endpoint()); // a and b know only the relay
      n->set("connection-cleanup-period", "2");
   }
   relay.start();
   a.start();
   b.start();

   std::string text;
   auto state = [&] {
      text.clear();
      const auto la = learnt(a, text), lb = learnt(b, text), lr = learnt(relay, text);
      return la.contains("prodb@" + b.endpoint()) && lb.contains("proda@" + a.endpoint()) &&
             lr.contains("proda@" + a.endpoint()) && lr.contains("prodb@" + b.endpoint());
   };
   IT_WAIT_REQUIRE(text + c.logs(20), 90s, state());

   const auto id_a = a.require_status().node_id, id_b = b.require_status().node_id;
   auto linked = [&] {
      text.clear();
      const auto la = links_of(a, text), lb = links_of(b, text);
      // One of the two crossing dials may be refused as a duplicate; the link is there either way.
      return la.linked.contains(id_b) && lb.linked.contains(id_a) && la.gossip.contains(id_b) &&
             lb.gossip.contains(id_a);
   };
   IT_WAIT_REQUIRE(text + c.logs(20), 60s, linked());
   // Each dialled the other's gossiped endpoint (neither was configured with it).
   text.clear();
   const auto la = links_of(a, text), lb = links_of(b, text);
   INFO(text);
   CHECK(la.dialled.contains(b.endpoint()));
   CHECK(lb.dialled.contains(a.endpoint()));
   CHECK_FALSE(la.dialled.contains(a.endpoint())); // never itself
}
