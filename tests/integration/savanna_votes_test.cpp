// Votes, nacks and notices on a live Savanna network, against fake 1216 peers (msgcraft's
// peer_session) that speak the protocol themselves. The network: node1 produces (eosio) and
// holds finalizer key 1, node2 peers node1 and holds key 2; the Savanna policy names keys 1, 2
// and 3 with threshold 2, and key 3 is the test's own (no node votes with it), so a vote with it
// reaches the signature check and anything with key 3 a peer receives can only be a relay of
// what the test sent. Each test case runs its own network. The test cannot compute a block's
// finality digest, so it checks relayed votes' signatures through the QCs: each QC's signature
// must be the sum of the signatures of the votes it counts.
#include "support/fake_peer.hpp"
#include "support/savanna.hpp"

#include "crypto/bls/aggregate.hpp"
#include "crypto/sha256.hpp"
#include "types/block.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

using namespace std::chrono_literals;

namespace {

/// Starts the two nodes and switches the chain to Savanna; returns when both finalise.
void start_savanna_pair(it::cluster& c) {
   auto& n1 = c.add("node1");
   auto& n2 = c.add("node2");
   it::make_producer(n1, {"eosio"});
   it::make_finalizer(n1, 1);
   it::make_finalizer(n2, 2);
   n2.set("p2p-peer-address", n1.endpoint());
   n1.start();
   n2.start();
   IT_WAIT_REQUIRE(c.logs(), 20s, [&] {
      auto s = n2.status();
      return s && s->head_num >= 4 && s->peer_count == 1;
   }());
   it::activate_savanna({&n1}, {1, 2, 3}, 2);
   IT_WAIT_REQUIRE(c.logs(), 60s, it::savanna_final(c.all()));
}

bool is_handshake(const core::net_message& m) { return std::holds_alternative<core::handshake_message>(m); }

bool has_key(const core::vote_message& v, int n) {
   return v.finalizer_key.data == it::devnet_finalizer_key(n).get_public_key().bytes();
}

/// A strong vote with devnet key `key` on `block`, signing `message` (not the block's finality
/// digest unless the caller computed it: the signature is well-formed but does not verify).
core::vote_message forged_vote(const core::block_id_type& block, int key, std::string_view message) {
   const auto k = it::devnet_finalizer_key(key);
   core::vote_message v;
   v.block_id = block;
   v.strong = true;
   v.finalizer_key.data = k.get_public_key().bytes();
   const auto digest = core::sha256(message);
   v.sig.data = k.sign(digest.data).bytes();
   return v;
}

/// `p2pctl peers` entry of the connection whose handshake carried `agent`.
std::optional<rapidjson::Document> peer_by_agent(it::node_process& n, const std::string& agent) {
   for (auto& p : n.peers())
      if (p.HasMember("last_handshake") && p["last_handshake"].IsObject() &&
          it::str_member(p["last_handshake"], "agent") == agent)
         return std::move(p);
   return std::nullopt;
}

} // namespace

TEST_CASE("savanna votes: a 1216 peer receives the node's own and relayed votes, each on a known block "
          "with a key in the policy, once",
          "[integration][savanna][votes]") {
   it::cluster c("savanna-votes-relay");
   start_savanna_pair(c);
   auto& n1 = c[0];

   auto peer = it::connect_fake_peer(n1, it::chain_of(n1.require_status()), 1216, "votes test relay");
   std::size_t own = 0, relayed = 0;
   CHECK(peer.read_until(
      [&](const core::net_message& m) {
         if (const auto* v = std::get_if<core::vote_message>(&m)) {
            own += has_key(*v, 1);
            relayed += has_key(*v, 2);
         }
         return own >= 10 && relayed >= 10;
      },
      20s));
   INFO(c.logs());
   CHECK(peer.closed.empty());
   CHECK(own >= 10);
   CHECK(relayed >= 10); // node2's votes, relayed by node1

   std::map<uint32_t, std::optional<std::string>> ids; // node1's block at each height
   std::set<std::pair<std::string, int>> seen;
   for (const auto& v : peer.all<core::vote_message>()) {
      const uint32_t num = core::block_num_from_id(v.block_id);
      INFO("vote on block " << num << " " << v.block_id.to_string());
      const int key = has_key(v, 1) ? 1 : has_key(v, 2) ? 2 : has_key(v, 3) ? 3 : 0;
      CHECK(key != 0); // a key in the policy
      CHECK(key != 3); // nobody votes with the test's key
      if (!ids.count(num))
         ids[num] = n1.block_id(num);
      CHECK(ids[num] == v.block_id.to_string()); // a block node1 has, on its chain
      CHECK(v.strong);                           // one branch: every vote is strong
      CHECK(seen.insert({v.block_id.to_string(), key}).second); // each vote once
   }
   // The signatures verify: the QCs node1 put in the blocks it sent (which node2 checked when it
   // applied them) are, byte for byte, the sum of the votes' signatures the peer received.
   std::size_t qcs_matched = 0;
   for (const auto& b : peer.all<core::signed_block>()) {
      auto ext = core::decode_block_extensions(b.block_extensions);
      REQUIRE(ext);
      if (!ext->qc)
         continue;
      const auto& qc = ext->qc->qc;
      const auto& votes = qc.active_policy_sig.strong_votes;
      if (!votes || qc.pending_policy_sig)
         continue;
      core::bls::aggregate_signature sum;
      bool complete = true;
      for (int key = 1; key <= 3; ++key) {
         if (!votes->test(static_cast<std::size_t>(key - 1)))
            continue;
         const auto it = std::find_if(peer.received.begin(), peer.received.end(), [&](const core::net_message& m) {
            const auto* v = std::get_if<core::vote_message>(&m);
            return v && core::block_num_from_id(v->block_id) == qc.block_num && has_key(*v, key);
         });
         if (it == peer.received.end()) {
            complete = false; // a vote sent before the peer connected
            break;
         }
         auto sig = core::bls::signature::from_bytes(std::get<core::vote_message>(*it).sig.data);
         REQUIRE(sig);
         sum.add(*sig);
      }
      if (!complete)
         continue;
      INFO("QC on block " << qc.block_num << " in block " << b.block_num());
      CHECK(sum.to_signature().bytes() == qc.active_policy_sig.sig.data);
      ++qcs_matched;
   }
   CHECK(qcs_matched >= 5);

   // The node counts what it sent on the connection.
   auto entry = peer_by_agent(n1, "votes test relay");
   REQUIRE(entry);
   CHECK(it::uint_member(*entry, "protocol_version") == 11);
   CHECK(it::uint_member(*entry, "votes_relayed") >= own + relayed);
}

TEST_CASE("savanna votes: a bad signature or an unknown key closes the sender at once without a go_away, a vote "
          "on an unknown block does not, and none is relayed",
          "[integration][savanna][votes]") {
   it::cluster c("savanna-votes-bad");
   start_savanna_pair(c);
   auto& n1 = c[0];
   const auto chain = it::chain_of(n1.require_status());
   auto observer = it::connect_fake_peer(n1, chain, 1216, "votes test observer");
   const auto head = n1.require_status();
   const auto known = *core::block_id_type::from_string(head.head_id);

   {
      // Key 3 is in the policy and has not voted on the block: the signature is checked.
      auto bad_sig = it::connect_fake_peer(n1, chain, 1216, "votes test bad signature");
      REQUIRE(bad_sig.session->send(forged_vote(known, 3, "not the finality digest")));
      CHECK(bad_sig.wait_closed(5s));
      CHECK(bad_sig.count<core::go_away_message>() == 0);

      // Key 4 is in no policy.
      auto unknown_key = it::connect_fake_peer(n1, chain, 1216, "votes test unknown key");
      REQUIRE(unknown_key.session->send(forged_vote(known, 4, "anything")));
      CHECK(unknown_key.wait_closed(5s));
      CHECK(unknown_key.count<core::go_away_message>() == 0);

      const auto log = n1.log_text();
      CHECK(log.find("invalid vote (invalid_signature) on block " + std::to_string(head.head_num)) !=
            std::string::npos);
      CHECK(log.find("invalid vote (unknown_public_key) on block " + std::to_string(head.head_num)) !=
            std::string::npos);
   }
   {
      // A block at the head's height that the node does not have.
      const auto unknown = core::make_block_id(core::sha256("no such block"), head.head_num);
      auto sender = it::connect_fake_peer(n1, chain, 1216, "votes test unknown block");
      REQUIRE(sender.session->send(forged_vote(unknown, 3, "no such block")));
      // Still open, and still served: node1 goes on relaying votes to it.
      const auto before = sender.count<core::vote_message>();
      sender.drain(3s);
      INFO(c.logs());
      CHECK(sender.closed.empty());
      CHECK(sender.count<core::vote_message>() > before);
      auto entry = peer_by_agent(n1, "votes test unknown block");
      REQUIRE(entry);
      CHECK(it::uint_member(*entry, "votes_received") == 1);
      CHECK(it::uint_member(*entry, "votes_rejected") == 1);
   }

   // The observer got the network's votes, and not one of the test's.
   observer.drain(1500ms);
   INFO(c.logs());
   CHECK(observer.closed.empty());
   std::size_t network_votes = 0;
   for (const auto& v : observer.all<core::vote_message>()) {
      INFO("vote on block " << core::block_num_from_id(v.block_id));
      CHECK(!has_key(v, 3));
      CHECK(!has_key(v, 4));
      network_votes += has_key(v, 1) || has_key(v, 2);
   }
   CHECK(network_votes >= 4);
   // node2 never saw them either: its votes_received counts node1's votes only.
   for (auto& p : c[1].peers())
      CHECK(it::uint_member(p, "votes_rejected") == 0);
}

TEST_CASE("savanna votes: votes on unknown blocks over 13 windows and then a block that does not link close the "
          "sender without a go_away, a few such votes do not (Spring 1.2's block status monitor)",
          "[integration][savanna][votes]") {
   // Spring 1.2 (net_plugin.cpp, broadcast_vote_message): a vote_result_t::unknown_block only
   // marks the sender's block_status_monitor rejected; the close comes with the next rejected
   // block (an unlinkable one: closing_mode::handshake), once the monitor has counted 13
   // windows of 2 ms. Below that the sender gets a handshake and stays.
   it::cluster c("savanna-votes-monitor");
   start_savanna_pair(c);
   auto& n1 = c[0];
   const auto chain = it::chain_of(n1.require_status());
   auto many = it::connect_fake_peer(n1, chain, 1216, "votes test many unknown");
   auto few = it::connect_fake_peer(n1, chain, 1216, "votes test few unknown");

   // A block of node1's chain given a parent nobody has, 10 blocks ahead of the head (above the
   // LIB however long the test takes): it does not link.
   const auto is_block = [](const core::net_message& m) { return std::holds_alternative<core::signed_block>(m); };
   REQUIRE(many.read_until(is_block, 5s));
   const auto head = n1.require_status().head_num;
   auto orphan = std::get<core::signed_block>(many.received.back());
   orphan.previous = core::make_block_id(core::sha256("no such parent"), head + 10);

   const auto unknown_vote = [&](int i) {
      const auto id = core::make_block_id(core::sha256("no such block " + std::to_string(i)), head);
      return forged_vote(id, 3, "no such block");
   };
   // 30 votes 10 ms apart (a window is 2 ms): far more than 13 windows even if a few arrive in
   // one read. The other peer sends 3.
   for (int i = 0; i < 30; ++i) {
      REQUIRE(many.session->send(unknown_vote(i)));
      if (i < 3)
         REQUIRE(few.session->send(unknown_vote(100 + i)));
      std::this_thread::sleep_for(10ms);
   }
   // The votes alone close nobody.
   many.drain(1s);
   INFO(c.logs());
   REQUIRE(many.closed.empty());
   REQUIRE(few.closed.empty());
   auto entry = peer_by_agent(n1, "votes test many unknown");
   REQUIRE(entry);
   CHECK(it::uint_member(*entry, "votes_rejected") == 30);

   // Then the block that does not link: the few-votes peer gets a handshake and stays...
   const auto handshakes = few.count<core::handshake_message>();
   REQUIRE(few.session->send(orphan));
   CHECK(few.read_until(is_handshake, 5s));
   CHECK(few.count<core::handshake_message>() > handshakes);
   few.drain(1s);
   CHECK(few.closed.empty());
   // ...and the many-votes peer is closed, with no go_away (Spring's close(), reconnect allowed).
   REQUIRE(many.session->send(orphan));
   CHECK(many.wait_closed(5s));
   CHECK(many.count<core::go_away_message>() == 0);
   CHECK(n1.log_text().find("closing connection: max violations reached") != std::string::npos);
   CHECK(!peer_by_agent(n1, "votes test many unknown"));
   CHECK(peer_by_agent(n1, "votes test few unknown"));
}

TEST_CASE("savanna votes: a 1216 peer gets a nack for a block the node has, block_notice after more than 2 "
          "consecutive nacks, blocks again after a nack reset, and a request for an unknown notice",
          "[integration][savanna][nack]") {
   it::cluster c("savanna-nack");
   start_savanna_pair(c);
   // node2 produces nothing: every block it relays is one it did not produce, which Spring
   // announces with a notice to a peer that nacks.
   auto& n2 = c[1];
   auto peer = it::connect_fake_peer(n2, it::chain_of(n2.require_status()), 1216, "nack test");

   const auto is_block = [](const core::net_message& m) { return std::holds_alternative<core::signed_block>(m); };
   REQUIRE(peer.read_until(is_block, 5s));
   const auto first = std::get<core::signed_block>(peer.received.back());
   // It sends the node a block the node has: a nack.
   REQUIRE(peer.session->send(first));
   CHECK(peer.read_until(
      [&](const core::net_message& m) {
         const auto* n = std::get_if<core::block_nack_message>(&m);
         return n && n->id == first.calculate_id();
      },
      5s));

   // It nacks every block it receives from now on: the first sets the base, each next one is
   // consecutive; after the fourth (3 consecutive, more than 2) the node sends notices.
   std::vector<uint32_t> nacked;
   REQUIRE(peer.read_until(
      [&](const core::net_message& m) {
         if (const auto* b = std::get_if<core::signed_block>(&m)) {
            REQUIRE(peer.session->send(core::block_nack_message{b->calculate_id()}));
            nacked.push_back(b->block_num());
         }
         return nacked.size() == 4;
      },
      10s));
   for (std::size_t i = 1; i < nacked.size(); ++i)
      CHECK(nacked[i] == nacked[i - 1] + 1);
   std::vector<core::block_notice_message> notices;
   std::size_t blocks_after = 0;
   peer.read_until(
      [&](const core::net_message& m) {
         blocks_after += std::holds_alternative<core::signed_block>(m);
         if (const auto* n = std::get_if<core::block_notice_message>(&m))
            notices.push_back(*n);
         return notices.size() == 4;
      },
      10s);
   INFO(c.logs());
   CHECK(blocks_after == 0);
   REQUIRE(notices.size() == 4);
   CHECK(core::block_num_from_id(notices.front().id) == nacked.back() + 1);
   for (const auto& n : notices) {
      const uint32_t num = core::block_num_from_id(n.id);
      CHECK(core::block_num_from_id(n.previous) + 1 == num);
      CHECK(n2.block_id(num) == n.id.to_string());
      CHECK(n2.block_id(num - 1) == n.previous.to_string());
   }

   // A nack reset: blocks again.
   REQUIRE(peer.session->send(core::block_nack_message{}));
   CHECK(peer.read_until(is_block, 5s));

   // A notice of a block whose parent the node lacks: it asks the peer for that branch (and
   // resets its own nack state with the peer first, as Spring does).
   const auto s = n2.require_status();
   const auto prev = core::make_block_id(core::sha256("unknown parent"), s.head_num + 1);
   const auto id = core::make_block_id(core::sha256("unknown child"), s.head_num + 2);
   REQUIRE(peer.session->send(core::block_notice_message{prev, id}));
   std::optional<core::request_message> req;
   CHECK(peer.read_until(
      [&](const core::net_message& m) {
         if (const auto* r = std::get_if<core::request_message>(&m))
            req = *r;
         return req.has_value();
      },
      5s));
   REQUIRE(req);
   REQUIRE(req->req_blocks.ids.size() == 2);
   CHECK(req->req_blocks.ids[0] == prev);
   CHECK(peer.closed.empty());

   auto entry = peer_by_agent(n2, "nack test");
   REQUIRE(entry);
   CHECK(it::uint_member(*entry, "nacks_sent") >= 1);
   CHECK(it::uint_member(*entry, "nacks_received") >= 5);
   CHECK(it::uint_member(*entry, "notices_sent") >= 4);
}
