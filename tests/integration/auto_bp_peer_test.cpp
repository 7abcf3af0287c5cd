// p2p-auto-bp-peer (PROTOCOL.md §10): once the active schedule names a node's producer, the node
// connects by itself to the configured producers within two schedule positions of it, and to
// no other configured producer.
#include "support/devnet.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

using namespace std::chrono_literals;

namespace {

/// The schedule the bootstrap producer hands over to. Positions 0..5; proda's neighbours are
/// prodb, prodc (after it) and prode, prodf (before it); prodd, three away, is not one.
const std::vector<std::string> schedule = {"proda", "prodb", "prodc", "prodd", "prode", "prodf"};

/// The active schedule `p2pctl status` reports (empty when the node does not answer).
std::vector<std::string> active_schedule(it::node_process& n) {
   std::vector<std::string> v;
   auto r = n.ctl({"status"}, 5s);
   if (r.rc != 0 || r.lines().empty())
      return v;
   auto d = it::parse_object(r.lines().front());
   if (!d)
      return v;
   const rapidjson::Value& s = d->HasMember("result") ? (*d)["result"] : *d;
   if (s.IsObject() && s.HasMember("active_schedule") && s["active_schedule"].IsArray())
      for (const auto& p : s["active_schedule"].GetArray())
         if (p.IsString())
            v.emplace_back(p.GetString());
   return v;
}

bool flag(const rapidjson::Value& v, const char* key) { return v.HasMember(key) && v[key].IsTrue(); }

/// One node's connections as `p2pctl peers` shows them.
struct peer_view {
   std::set<std::string> dialled;         ///< outbound peers it has configured (connected or not)
   std::set<std::string> linked_node_ids; ///< node ids of peers with a completed handshake
   std::set<std::string> bp_node_ids;     ///< of those, the ones shown as is_bp_peer
   std::string text;                      ///< for failure messages
};

peer_view view_of(it::node_process& n) {
   peer_view v;
   for (const auto& p : n.peers()) {
      const auto peer = it::str_member(p, "peer");
      v.text += n.name() + ": " + peer + (flag(p, "outbound") ? " out" : " in") +
                (flag(p, "connecting") ? " connecting" : "") + (flag(p, "is_bp_peer") ? " bp" : "") + " " +
                it::str_member(p, "last_error") + "\n";
      if (flag(p, "outbound"))
         v.dialled.insert(peer);
      if (!flag(p, "connecting") && p.HasMember("last_handshake") && p["last_handshake"].IsObject()) {
         const auto id = it::str_member(p["last_handshake"], "node_id");
         v.linked_node_ids.insert(id);
         if (flag(p, "is_bp_peer"))
            v.bp_node_ids.insert(id);
      }
   }
   return v;
}

} // namespace

TEST_CASE("auto bp peer: producers connect to their schedule neighbours by themselves, not to others",
          "[integration][auto_bp]") {
   it::cluster c("autobp");
   auto& boot = c.add("boot");
   auto& a = c.add("a"); // proda
   auto& b = c.add("b"); // prodb, prodc
   auto& d = c.add("d"); // prodd
   auto& e = c.add("e"); // prode, prodf
   const std::vector<it::node_process*> producers = {&a, &b, &d, &e};
   const std::map<std::string, it::node_process*> runs = {{"proda", &a}, {"prodb", &b}, {"prodc", &b},
                                                          {"prodd", &d}, {"prode", &e}, {"prodf", &e}};
   // A configured producer that is in no schedule; nothing listens there, so a dial would show as
   // a failing outbound peer.
   const std::string stranger = "127.0.0.1:" + std::to_string(it::free_port());

   it::make_producer(boot, {"eosio"}, schedule);
   it::make_producer(a, {"proda"}, schedule);
   it::make_producer(b, {"prodb", "prodc"}, schedule);
   it::make_producer(d, {"prodd"}, schedule);
   it::make_producer(e, {"prode", "prodf"}, schedule);
   for (auto* n : producers) {
      // Blocks come from the bootstrap node; the producers are told nothing about each other
      // except through p2p-auto-bp-peer (every node gets the whole list, its own entries too).
      n->set("p2p-peer-address", boot.endpoint());
      for (const auto& [account, node] : runs)
         n->set("p2p-auto-bp-peer", account + "," + node->endpoint());
      n->set("p2p-auto-bp-peer", "prodx," + stranger);
      // The bootstrap node starts last: retry it within seconds once the dials back off.
      n->set("connection-cleanup-period", "2");
   }

   // Before the handover (schedule: eosio) none of them is a scheduled producer: no automatic
   // connections, only the failing dial to the bootstrap node.
   for (auto* n : producers)
      n->start();
   std::this_thread::sleep_for(2s);
   for (auto* n : producers) {
      const auto v = view_of(*n);
      INFO(v.text);
      CHECK(v.dialled == std::set<std::string>{boot.endpoint()});
   }

   boot.start();
   const auto boot_started = std::chrono::steady_clock::now();
   auto since_boot = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - boot_started).count(); };
   IT_WAIT_REQUIRE(c.logs(), 45s, std::all_of(producers.begin(), producers.end(), [&](it::node_process* n) {
                      return active_schedule(*n) == schedule;
                   }));

   const double handover_s = since_boot();
   std::map<std::string, std::string> node_ids; // endpoint -> node id
   for (auto* n : c.all())
      node_ids[n->endpoint()] = n->require_status().node_id;
   // Neighbours by node: every pair but a–d (proda and prodd are three positions apart).
   const std::map<it::node_process*, std::vector<it::node_process*>> neighbours = {
      {&a, {&b, &e}}, {&b, {&a, &d, &e}}, {&d, {&b, &e}}, {&e, {&a, &b, &d}}};

   std::map<it::node_process*, peer_view> views;
   auto all_linked = [&] {
      for (auto* n : producers)
         views[n] = view_of(*n);
      for (const auto& [n, want] : neighbours)
         for (auto* m : want)
            if (!views[n].dialled.contains(m->endpoint()) || !views[n].linked_node_ids.contains(node_ids[m->endpoint()]))
               return false;
      return true;
   };
   auto texts = [&] {
      std::string s;
      for (auto* n : producers)
         s += views[n].text;
      return s + c.logs(15);
   };
   IT_WAIT_REQUIRE(texts(), 30s, all_linked());
   INFO("schedule active everywhere " << handover_s << " s after the bootstrap node started, neighbours linked after "
                                      << since_boot() << " s");

   for (const auto& [n, want] : neighbours) {
      const auto& v = views[n];
      INFO(texts());
      // It dialled exactly the bootstrap node and its neighbours (each once, however many of its
      // producers they run). Each link to a neighbour, whichever side's dial it is (one of two
      // crossing dials is refused as a duplicate), is a bp peer on this side; the bootstrap
      // node's is not.
      std::set<std::string> expected = {boot.endpoint()};
      for (auto* m : want)
         expected.insert(m->endpoint());
      CHECK(v.dialled == expected);
      for (auto* m : want)
         CHECK(v.bp_node_ids.contains(node_ids[m->endpoint()]));
      CHECK_FALSE(v.bp_node_ids.contains(node_ids[boot.endpoint()]));
   }
   // proda and prodd are configured for each other but not neighbours: no connection either way;
   // prodx is in no schedule: nobody dials it.
   for (auto* n : producers) {
      INFO(texts());
      CHECK_FALSE(views[n].dialled.contains(stranger));
      CHECK_FALSE(views[n].dialled.contains(n->endpoint()));
   }
   CHECK_FALSE(views[&a].linked_node_ids.contains(node_ids[d.endpoint()]));
   CHECK_FALSE(views[&d].linked_node_ids.contains(node_ids[a.endpoint()]));

   // It stays that way: a few seconds later (blocks from the new producers meanwhile) a and d
   // are still not connected and every neighbour link is still up.
   std::this_thread::sleep_for(3s);
   CHECK(all_linked());
   {
      INFO(texts());
      CHECK_FALSE(views[&a].dialled.contains(d.endpoint()));
      CHECK_FALSE(views[&a].linked_node_ids.contains(node_ids[d.endpoint()]));
      CHECK_FALSE(views[&d].linked_node_ids.contains(node_ids[a.endpoint()]));
   }
}
