// BP gossip's pure part (net/bp_gossip.hpp): p2p-bp-gossip-endpoint parsing, the checks on a
// received gossip_bp_peers_message, the index's update and expiry, as Spring 1.2's
// auto_bp_peering.hpp does them.
#include "bp_gossip_support.hpp"

#include "net/bp_gossip.hpp"

#include <catch2/catch.hpp>

using namespace core;
using namespace test;

TEST_CASE("bp_gossip: p2p-bp-gossip-endpoint parses as Spring's bp_account,inbound_endpoint,outbound_ip", "[net][bp_gossip]") {
   auto e = parse_bp_gossip_endpoint("myprod,myhostname.com:9876,198.51.100.1");
   REQUIRE(e);
   CHECK(e->account == "myprod"_n);
   CHECK(e->server_endpoint == "myhostname.com:9876");
   CHECK(e->outbound_ip_address == "198.51.100.1");
   CHECK(parse_bp_gossip_endpoint("myprod, h:1 , 2001:db8::1"));
   CHECK_FALSE(parse_bp_gossip_endpoint("myprod"));                         // no comma
   CHECK_FALSE(parse_bp_gossip_endpoint("myprod,h:9876"));                  // second comma missing
   CHECK_FALSE(parse_bp_gossip_endpoint("MYPROD,h:9876,1.2.3.4"));          // invalid account
   CHECK_FALSE(parse_bp_gossip_endpoint("myprod,h,1.2.3.4"));               // no port
   CHECK_FALSE(parse_bp_gossip_endpoint("myprod,h:9876:trx,1.2.3.4"));      // a type
   CHECK_FALSE(parse_bp_gossip_endpoint("myprod,h:9876,not-an-ip"));        // outbound not an IP
   CHECK_FALSE(parse_bp_gossip_endpoint("myprod,h:9876," + std::string(300, '1')));
   std::vector<bp_gossip_endpoint> list{*parse_bp_gossip_endpoint("a,h:1,1.1.1.1"),
                                        *parse_bp_gossip_endpoint("a,h:2,1.1.1.1")};
   CHECK(check_bp_gossip_endpoints(list)); // same account and outbound IP twice
   list.pop_back();
   for (int i = 2; i <= 8; ++i)
      list.push_back(*parse_bp_gossip_endpoint(fmt::format("a,h:{},1.1.1.{}", i, i)));
   CHECK_FALSE(check_bp_gossip_endpoints(list)); // eight: the maximum
   list.push_back(*parse_bp_gossip_endpoint("a,h:9,1.1.1.9"));
   CHECK(check_bp_gossip_endpoints(list));
}

TEST_CASE("bp_gossip: entries signed by the producer's schedule key pass, others are dropped", "[net][bp_gossip]") {
   gossip_keys k;
   bp_gossip_index idx;
   const block_timestamp head{1000};
   gossip_bp_peers_message m{{k.entry("proda"_n, "a.example:9876", head.slot + 7200),
                              k.entry("prodb"_n, "b.example:9876", head.slot + 7200, /*wrong key*/ true),
                              k.entry("prodx"_n, "x.example:9876", head.slot + 7200)}}; // not scheduled
   REQUIRE(idx.validate(m, k.chain_id, head, k.lookup()) == bp_gossip_verdict::valid);
   REQUIRE(m.peers.size() == 1);
   CHECK(m.peers[0].producer_name == "proda"_n);
   CHECK(idx.update(m));
   CHECK(idx.size() == 1);
   CHECK_FALSE(idx.update(m)); // nothing new
}

TEST_CASE("bp_gossip: expired entries and entries expiring too far ahead are dropped", "[net][bp_gossip]") {
   gossip_keys k;
   bp_gossip_index idx;
   const block_timestamp head{100000};
   gossip_bp_peers_message m{{k.entry("proda"_n, "a.example:1", head.slot),                       // expired
                              k.entry("proda"_n, "a.example:2", head.slot + 1),                   // valid
                              k.entry("proda"_n, "a.example:3", head.slot + 9000 - 1),            // just in
                              k.entry("proda"_n, "a.example:4", head.slot + 9000)}};               // too far
   REQUIRE(idx.validate(m, k.chain_id, head, k.lookup()) == bp_gossip_verdict::valid);
   REQUIRE(m.peers.size() == 2);
   CHECK(m.peers[0].info->server_endpoint == "a.example:2");
   CHECK(m.peers[1].info->server_endpoint == "a.example:3");
   idx.update(m);
   CHECK_FALSE(idx.expire(block_timestamp{head.slot + 1}, {"prodb"_n}));
   CHECK(idx.size() == 1);
   CHECK(idx.expire(block_timestamp{head.slot + 1}, {"proda"_n}) == false); // 9000 slots away: not soon
   CHECK(idx.expire(block_timestamp{head.slot + 9000 - 3600}, {"proda"_n})); // within 30 minutes
   idx.expire(block_timestamp{head.slot + 9000}, {});
   CHECK(idx.size() == 0);
}

TEST_CASE("bp_gossip: malformed messages are bad (Spring closes with fatal_other)", "[net][bp_gossip]") {
   gossip_keys k;
   bp_gossip_index idx;
   const block_timestamp head{1000};
   const uint32_t exp = head.slot + 7200;
   auto check_bad = [&](gossip_bp_peers_message m) {
      CHECK(idx.validate(m, k.chain_id, head, k.lookup()) == bp_gossip_verdict::bad);
   };
   check_bad({}); // empty
   check_bad({{k.entry("prodb"_n, "b:1", exp), k.entry("proda"_n, "a:1", exp)}}); // not sorted
   check_bad({{k.entry("proda"_n, "a:1", exp), k.entry("proda"_n, "a:1", exp, false, "1.1.1.2")}}); // same endpoint
   check_bad({{k.entry("proda"_n, "a:1:trx", exp)}}); // a type in the endpoint
   check_bad({{k.entry("proda"_n, "nohost", exp)}});
   auto undecodable = k.entry("proda"_n, "a:1", exp);
   undecodable.bp_peer_info.resize(3);
   undecodable.info.reset();
   check_bad({{undecodable}});
   auto noname = k.entry("proda"_n, "a:1", exp);
   noname.producer_name = name{};
   check_bad({{noname}});
   auto webauthn = k.entry("proda"_n, "a:1", exp);
   webauthn.sig = signature(signature::webauthn{});
   check_bad({{webauthn}});
   auto unrecoverable = k.entry("proda"_n, "a:1", exp);
   unrecoverable.sig = signature{};
   check_bad({{unrecoverable}});
   // Spring counts a producer's entries after its first: nine in a row pass, ten do not.
   gossip_bp_peers_message nine;
   for (int i = 0; i < 9; ++i)
      nine.peers.push_back(k.entry("proda"_n, fmt::format("a:{}", i), exp, false, fmt::format("1.1.1.{}", i)));
   CHECK(idx.validate(nine, k.chain_id, head, k.lookup()) == bp_gossip_verdict::valid);
   nine.peers.push_back(k.entry("proda"_n, "a:9", exp, false, "1.1.1.9"));
   check_bad(nine);
}

TEST_CASE("bp_gossip: a re-signed entry replaces an older one, and a producer keeps at most eight",
          "[net][bp_gossip]") {
   gossip_keys k;
   bp_gossip_index idx;
   const block_timestamp head{1000};
   gossip_bp_peers_message first{{k.entry("proda"_n, "a:1", head.slot + 100)}};
   REQUIRE(idx.update(first));
   gossip_bp_peers_message older{{k.entry("proda"_n, "a:1", head.slot + 50)}};
   CHECK_FALSE(idx.update(older)); // an earlier expiration does not replace
   gossip_bp_peers_message newer{{k.entry("proda"_n, "a:1", head.slot + 200)}};
   CHECK(idx.update(newer));
   REQUIRE(idx.view().size() == 1);
   CHECK(idx.view()[0].expiration.slot == head.slot + 200);
   for (int i = 2; i <= 9; ++i) {
      gossip_bp_peers_message m{{k.entry("proda"_n, fmt::format("a:{}", i), head.slot + 300 + i)}};
      CHECK(idx.update(m));
   }
   CHECK(idx.size() == max_bp_gossip_peers_per_producer);
   CHECK_FALSE(idx.endpoints_of({"proda"_n}).contains("a:1")); // the one that expired first went
   CHECK(idx.endpoints_of({"proda"_n}).contains("a:9"));
   // The whole index as one message passes a peer's checks (sorted, ≤ 8 per producer).
   auto all = idx.message();
   bp_gossip_index other;
   CHECK(other.validate(all, k.chain_id, head, k.lookup()) == bp_gossip_verdict::valid);
   CHECK(all.peers.size() == max_bp_gossip_peers_per_producer);
}

TEST_CASE("bp_gossip: the node's own entries are signed with its schedule key and verify", "[net][bp_gossip]") {
   gossip_keys k;
   const block_timestamp head{1000};
   std::vector<bp_gossip_endpoint> eps{*parse_bp_gossip_endpoint("proda,a.example:9876,10.0.0.1"),
                                       *parse_bp_gossip_endpoint("proda,a2.example:9876,10.0.0.2"),
                                       *parse_bp_gossip_endpoint("prodx,x.example:9876,10.0.0.3")};
   auto own = sign_own_bp_gossip(eps, k.chain_id, head, k.lookup(), k.signer());
   REQUIRE(own.initial);
   CHECK(is_initial_bp_gossip(*own.initial));
   REQUIRE(own.entries.size() == 2);
   CHECK(own.unsigned_accounts == std::set<name>{"prodx"_n}); // not in the schedule
   CHECK(own.entries[0].info->expiration.slot == head.slot + bp_gossip_expiration_slots);
   bp_gossip_index idx;
   gossip_bp_peers_message m{own.entries};
   REQUIRE(idx.validate(m, k.chain_id, head, k.lookup()) == bp_gossip_verdict::valid);
   CHECK(m.peers.size() == 2);
   auto init = *own.initial;
   REQUIRE(idx.validate(init, k.chain_id, head, k.lookup()) == bp_gossip_verdict::valid);
   CHECK(init.peers.size() == 1);
   // A signer without the key signs nothing.
   auto none = sign_own_bp_gossip(eps, k.chain_id, head, k.lookup(),
                                  [](const public_key&, const checksum256&) { return std::optional<signature>{}; });
   CHECK_FALSE(none.initial);
   CHECK(none.entries.empty());
}

TEST_CASE("bp_gossip: entries of unknown producers are dropped without recovering their signatures",
          "[net][bp_gossip]") {
   gossip_keys k;
   bp_gossip_index idx;
   const block_timestamp head{1000};
   // 20,000 entries of producers in no schedule, whose signatures do not even recover: a message
   // of ~1.6 MB that must cost no signature recovery each.
   auto e = k.entry("proda"_n, "x.example:1", head.slot + 7200);
   e.sig = signature{};
   gossip_bp_peers_message m;
   for (uint64_t i = 1; i <= 20000; ++i) {
      e.producer_name = name(i << 4);
      m.peers.push_back(e);
   }
   REQUIRE(idx.validate(m, k.chain_id, head, k.lookup()) == bp_gossip_verdict::valid);
   CHECK(m.peers.empty());
   // The same unrecoverable signature on a scheduled producer's entry is bad.
   gossip_bp_peers_message one{{e}};
   one.peers[0].producer_name = "proda"_n;
   CHECK(idx.validate(one, k.chain_id, head, k.lookup()) == bp_gossip_verdict::bad);
}
