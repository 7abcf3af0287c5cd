// msgcraft probe against real p2pnode processes: our node passes its own probe (Leap 5
// expectations), and a node behind a proxy that answers one check wrongly fails that check
// and no other.
#include "support/devnet.hpp"
#include "support/tcp_proxy.hpp"

#include "codec/codec.hpp"
#include "net/frame.hpp"
#include "net/messages.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <map>

using namespace std::chrono_literals;

namespace {

struct probe_outcome {
   it::run_result run;
   std::map<std::string, bool> ok;      ///< check -> ok
   std::map<std::string, bool> skipped; ///< check -> skipped
};

probe_outcome probe(const std::string& endpoint, const std::string& chain_id, std::vector<std::string> extra = {}) {
   std::vector<std::string> args = {"probe", endpoint, "--expect", "leap5", "--chain-id", chain_id};
   args.insert(args.end(), extra.begin(), extra.end());
   probe_outcome o;
   o.run = it::run_tool(it::msgcraft_bin(), args, 300s);
   for (const auto& l : o.run.lines()) {
      auto d = it::parse_object(l);
      REQUIRE(d);
      const std::string check = it::str_member(*d, "check");
      REQUIRE_FALSE(check.empty());
      o.ok[check] = (*d)["ok"].GetBool();
      o.skipped[check] = d->HasMember("skipped");
   }
   return o;
}

/// A node with a chain of its own (LIB 11, head 12).
it::node_process& seeded_node(it::cluster& c) {
   auto& n = c.add("node");
   it::seed_chain(n.data_dir(), 12);
   n.set("genesis-json", (n.data_dir() / "genesis.json").string()); // the harness allows 20 connections per host
   n.start();
   return n;
}

/// A frame's go_away reason rewritten (a peer that says the wrong thing).
std::vector<uint8_t> rewrite_go_away(std::vector<uint8_t> frame, core::go_away_reason from, core::go_away_reason to) {
   if (frame.size() >= 9 && frame[4] == core::message_index_v<core::go_away_message>) {
      uint32_t r = 0;
      std::memcpy(&r, frame.data() + 5, 4);
      if (r == static_cast<uint32_t>(from)) {
         const auto v = static_cast<uint32_t>(to);
         std::memcpy(frame.data() + 5, &v, 4);
      }
   }
   return frame;
}

/// A handshake that advertised 1206 (the EOSIO 2.1 downgrade) rewritten to advertise 1212.
std::vector<uint8_t> hide_downgrade(std::vector<uint8_t> frame) {
   if (frame.size() >= 7 && frame[4] == core::message_index_v<core::handshake_message> && frame[5] == 0xb6 &&
       frame[6] == 0x04) // 1206 little-endian
      frame[5] = 0xbc;  // 1212
   return frame;
}

} // namespace

TEST_CASE("msgcraft probe: p2pnode passes its own probe", "[integration][probe]") {
   it::cluster c("probe_self");
   auto& n = seeded_node(c);
   const auto chain_id = n.require_status().chain_id;
   auto p = probe(n.endpoint(), chain_id);
   INFO(p.run.out << p.run.err << n.log_tail(40));
   CHECK(p.run.rc == 0);
   CHECK(p.ok.size() >= 40);
   for (const auto& [check, ok] : p.ok) {
      INFO(check);
      CHECK(ok);
      CHECK_FALSE(p.skipped[check]); // the node has blocks, a LIB, and room for two connections
   }
   CHECK(n.running());
}

TEST_CASE("msgcraft probe: a peer that answers one check wrongly fails that check and no other",
          "[integration][probe]") {
   it::cluster c("probe_wrong");
   auto& n = seeded_node(c);
   const auto chain_id = n.require_status().chain_id;
   struct variant {
      const char* check;
      it::tcp_proxy::rewriter rewrite;
   };
   const std::vector<variant> variants = {
      {"handshake.wrong_chain",
       [](std::vector<uint8_t> f) {
          return rewrite_go_away(std::move(f), core::go_away_reason::wrong_chain, core::go_away_reason::fatal_other);
       }},
      {"handshake.eosio21_downgrade", hide_downgrade},
   };
   for (const auto& v : variants) {
      it::tcp_proxy proxy(n.port(), v.rewrite);
      auto p = probe("127.0.0.1:" + std::to_string(proxy.port()), chain_id);
      INFO(v.check << "\n" << p.run.out << p.run.err);
      CHECK(p.run.rc == 1);
      REQUIRE(p.ok.count(v.check) == 1);
      CHECK_FALSE(p.ok[v.check]);
      for (const auto& [check, ok] : p.ok)
         if (check != v.check) {
            INFO(check);
            CHECK(ok);
         }
   }
}
