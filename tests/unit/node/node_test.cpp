// The node composed in-process (no event loop running): control commands answered straight
// from handle_control_request.
#include "node/control_commands.hpp"
#include "node/node.hpp"

#include "types/devnet.hpp"
#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "crypto/private_key.hpp"

#include "../store/temp_dir.hpp"
#include "support/test_transactions.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <sstream>

using namespace core;

namespace {

rapidjson::Document ask(node& n, const std::string& line) {
   auto reply = handle_control_request(n, line);
   rapidjson::Document d;
   d.Parse(reply.line.c_str());
   INFO(reply.line);
   REQUIRE(d.IsObject());
   REQUIRE(d.HasMember("ok"));
   return d;
}

std::string error_of(node& n, const std::string& line) {
   auto d = ask(n, line);
   CHECK_FALSE(d["ok"].GetBool());
   REQUIRE(d.HasMember("error"));
   return d["error"].GetString();
}

struct node_fixture {
   core::test::temp_dir dir;
   std::ostringstream log;
   std::unique_ptr<node> n;
   node_fixture() {
      node_config cfg;
      cfg.data_dir = (dir.path / "data").string();
      cfg.control_socket = (dir.path / "ctl.sock").string();
      cfg.p2p_listen_endpoint.push_back(endpoint_spec{"127.0.0.1", 0, ""});
      auto r = node::open(cfg, log);
      if (!r)
         FAIL(r.error());
      n = std::move(*r);
      auto s = n->start();
      if (!s)
         FAIL(s.error());
   }
};

/// A transaction valid on the devnet at block 1: TAPO block 1, expiring 10 minutes after genesis.
packed_transaction devnet_trx(const controller& c, const std::string& memo) {
   const auto head = c.head();
   const time_point_sec expiration{uint32_t(head->timestamp().to_time_point().us / 1'000'000 + 600)};
   auto key = private_key::from_string(devnet_private_key_wif);
   REQUIRE(key);
   return ::test::signed_transfer(c.chain_id(), head->block_num(), head->id(), expiration, memo, *key, "alice"_n);
}

} // namespace

TEST_CASE("node: status, sync and metrics describe a new devnet node", "[node]") {
   node_fixture f;
   auto d = ask(*f.n, R"({"cmd":"status"})");
   REQUIRE(d["ok"].GetBool());
   const auto& s = d["result"];
   CHECK(std::string(s["chain_id"].GetString()) == devnet_genesis().compute_chain_id().to_string());
   CHECK(s["head_block_num"].GetUint() == 1u);
   CHECK(s["last_irreversible_block_num"].GetUint() == 1u);
   CHECK(std::string(s["sync_state"].GetString()) == "in_sync");
   CHECK(s["network_version"].GetUint() == 1216u); // the default: Spring 1.2
   CHECK(s["peer_count"].GetUint() == 0u);
   CHECK(std::string(s["node_id"].GetString()) == f.n->net().identity().node_id.to_string());

   auto y = ask(*f.n, R"({"cmd":"sync"})");
   CHECK(std::string(y["result"]["stage"].GetString()) == "in_sync");
   CHECK(y["result"]["sync_source"].IsNull());

   auto m = ask(*f.n, R"({"cmd":"metrics"})");
   const std::string text = m["result"]["text"].GetString();
   CHECK(text.find("\nnodeos_head_block_num 1\n") != std::string::npos);
   CHECK(text.find("\nnodeos_last_irreversible 1\n") != std::string::npos);
   CHECK(text.find("# TYPE nodeos_p2p_peers gauge") != std::string::npos);
}

TEST_CASE("node: sync outside lib_catchup reports no requested range", "[node]") {
   node_fixture f;
   auto y = ask(*f.n, R"({"cmd":"sync"})");
   REQUIRE(y["ok"].GetBool());
   CHECK(std::string(y["result"]["stage"].GetString()) == "in_sync");
   CHECK(y["result"]["next_expected_num"].IsNull());
   CHECK(y["result"]["last_requested_num"].IsNull());
   CHECK(y["result"]["head_block_num"].GetUint() == 1u);
}

TEST_CASE("node: block by number and id, and clear errors for unknown blocks", "[node]") {
   node_fixture f;
   auto b = ask(*f.n, R"({"cmd":"block","num":1})");
   REQUIRE(b["ok"].GetBool());
   CHECK(b["result"]["block_num"].GetUint() == 1u);
   const std::string id = b["result"]["id"].GetString();
   CHECK(id == f.n->chain().head()->id().to_string());
   auto by_id = ask(*f.n, R"({"cmd":"block","id":")" + id + "\"}");
   CHECK(std::string(by_id["result"]["id"].GetString()) == id);
   CHECK(error_of(*f.n, R"({"cmd":"block","num":999})").find("999") != std::string::npos);
   CHECK(error_of(*f.n, R"({"cmd":"block","id":"zz"})").find("bad block id") != std::string::npos);
   CHECK(error_of(*f.n, R"({"cmd":"block"})").find("num") != std::string::npos);
}

TEST_CASE("node: bad requests get one-line errors", "[node]") {
   node_fixture f;
   CHECK(error_of(*f.n, "not json") == "request is not a JSON object");
   CHECK(error_of(*f.n, "[1,2]") == "request is not a JSON object");
   CHECK(error_of(*f.n, R"({"command":"status"})") == "request has no \"cmd\"");
   CHECK(error_of(*f.n, R"({"cmd":"reboot"})") == "unknown command \"reboot\"");
   CHECK(error_of(*f.n, R"({"cmd":"push_transaction","hex":"xyz"})").find("not hexadecimal") != std::string::npos);
   CHECK(error_of(*f.n, R"({"cmd":"push_transaction","hex":"00"})").find("push_transaction") != std::string::npos);
   CHECK(error_of(*f.n, R"({"cmd":"push_transaction","trx":{"signatures":7}})").find("push_transaction") !=
         std::string::npos);
   CHECK(error_of(*f.n, R"({"cmd":"push_transaction"})").find("\"trx\"") != std::string::npos);
   CHECK(error_of(*f.n, R"({"cmd":"connect"})").find("address") != std::string::npos);
   CHECK(error_of(*f.n, R"({"cmd":"connect","address":"nohost"})").find("host:port") != std::string::npos);
   CHECK(error_of(*f.n, R"({"cmd":"disconnect","address":"127.0.0.1:1"})") == "no known connection");
}

TEST_CASE("node: connect and disconnect manage outbound peers", "[node]") {
   node_fixture f;
   auto c = ask(*f.n, R"({"cmd":"connect","address":"127.0.0.1:9"})");
   REQUIRE(c["ok"].GetBool());
   CHECK(std::string(c["result"]["status"].GetString()) == "added connection");
   CHECK(error_of(*f.n, R"({"cmd":"connect","address":"127.0.0.1:9"})") == "already connected");
   auto peers = ask(*f.n, R"({"cmd":"peers"})");
   REQUIRE(peers["result"]["peers"].Size() == 1);
   CHECK(std::string(peers["result"]["peers"][0]["peer"].GetString()) == "127.0.0.1:9");
   CHECK(peers["result"]["peers"][0]["outbound"].GetBool());
   auto d = ask(*f.n, R"({"cmd":"disconnect","address":"127.0.0.1:9"})");
   CHECK(std::string(d["result"]["status"].GetString()) == "connection removed");
   CHECK(ask(*f.n, R"({"cmd":"peers"})")["result"]["peers"].Size() == 0);
}

TEST_CASE("node: push_transaction accepts a valid transaction once, by JSON or hex", "[node]") {
   node_fixture f;
   auto trx = devnet_trx(f.n->chain(), "one");
   auto d = ask(*f.n, R"({"cmd":"push_transaction","trx":)" + to_json(trx) + "}");
   INFO(d["ok"].GetBool());
   REQUIRE(d["ok"].GetBool());
   CHECK(std::string(d["result"]["id"].GetString()) == trx.id().to_string());
   CHECK(d["result"]["accepted"].GetBool());
   CHECK(f.n->chain().unapplied_transaction_count() == 1u);

   // The same transaction again: refused as a duplicate, with its id.
   auto again = ask(*f.n, R"({"cmd":"push_transaction","hex":")" + to_hex(pack(trx)) + "\"}");
   CHECK_FALSE(again["ok"].GetBool());
   CHECK(std::string(again["error"].GetString()).find("duplicate") != std::string::npos);
   CHECK(std::string(again["result"]["id"].GetString()) == trx.id().to_string());

   auto other = devnet_trx(f.n->chain(), "two");
   auto h = ask(*f.n, R"({"cmd":"push_transaction","hex":")" + to_hex(pack(other)) + "\"}");
   CHECK(h["ok"].GetBool());
   CHECK(f.n->chain().unapplied_transaction_count() == 2u);
}

TEST_CASE("node: a second node on the same data dir is refused", "[node]") {
   node_fixture f;
   node_config cfg;
   cfg.data_dir = (f.dir.path / "data").string();
   cfg.control_socket = (f.dir.path / "ctl2.sock").string();
   std::ostringstream log;
   auto r = node::open(cfg, log);
   REQUIRE_FALSE(r);
   INFO(r.error());
   CHECK(r.error() == fmt::format("data dir {} is in use by another p2pnode (pid {})", cfg.data_dir, ::getpid()));
}

TEST_CASE("node: p2p-auto-bp-peer connects to schedule neighbours and drops those the schedule moves away", "[node]") {
   core::test::temp_dir dir;
   std::ostringstream log;
   node_config cfg;
   cfg.data_dir = (dir.path / "data").string();
   cfg.control_socket = (dir.path / "ctl.sock").string();
   cfg.p2p_listen_endpoint.push_back(endpoint_spec{"127.0.0.1", 0, ""});
   cfg.producer_name = {"proda"_n};
   auto key = private_key::from_string(devnet_private_key_wif);
   REQUIRE(key);
   cfg.signature_provider.emplace_back(key->get_public_key(), *key);
   // Ports nothing listens on: the dials fail and are retried, which is all this test needs.
   const std::vector<name> others = {"prodb"_n, "prodc"_n, "prodd"_n, "prode"_n, "prodf"_n, "prodg"_n};
   for (std::size_t i = 0; i < others.size(); ++i)
      cfg.p2p_auto_bp_peer.emplace_back(others[i], endpoint_spec{"127.0.0.1", uint16_t(1 + i), ""});
   auto opened = node::open(cfg, log);
   REQUIRE(opened);
   auto& n = **opened;
   REQUIRE(n.start());
   auto schedule = [&](std::vector<name> order) {
      producer_schedule s;
      for (auto p : order)
         s.producers.push_back({p, key->get_public_key()});
      return producer_authority_schedule::from_legacy(s);
   };
   auto lines_with = [&](const std::string& what) {
      std::vector<std::string> out;
      std::istringstream in(log.str());
      for (std::string l; std::getline(in, l);)
         if (l.find(what) != std::string::npos)
            out.push_back(l);
      return out;
   };
   // proda at position 0 of 7: neighbours prodb, prodc (after) and prodf, prodg (before, wrapping).
   n.net().update_auto_bp_peers(schedule({"proda"_n, "prodb"_n, "prodc"_n, "prodd"_n, "prode"_n, "prodf"_n, "prodg"_n}));
   auto connecting = lines_with("schedule neighbour, connecting");
   REQUIRE(connecting.size() == 4);
   for (uint16_t port : {1, 2, 5, 6})
      CHECK(lines_with(fmt::format("auto-bp-peer 127.0.0.1:{}: schedule neighbour, connecting", port)).size() == 1);
   // The schedule moves proda to position 3: prodb (port 1) and prodg (port 6) leave, prodd and
   // prode (ports 3, 4) join; prodc and prodf stay connected (not dialled again).
   n.net().update_auto_bp_peers(schedule({"prodb"_n, "prodc"_n, "prodd"_n, "proda"_n, "prode"_n, "prodf"_n, "prodg"_n}));
   CHECK(lines_with("no longer a schedule neighbour").size() == 2);
   CHECK(lines_with("auto-bp-peer 127.0.0.1:1: no longer a schedule neighbour").size() == 1);
   CHECK(lines_with("auto-bp-peer 127.0.0.1:6: no longer a schedule neighbour").size() == 1);
   CHECK(lines_with("schedule neighbour, connecting").size() == 6);
   CHECK(lines_with("auto-bp-peer 127.0.0.1:3: schedule neighbour, connecting").size() == 1);
   CHECK(lines_with("auto-bp-peer 127.0.0.1:4: schedule neighbour, connecting").size() == 1);
   // Out of the schedule altogether: every auto BP peer goes.
   n.net().update_auto_bp_peers(schedule({"prodb"_n, "prodc"_n, "prodd"_n}));
   CHECK(lines_with("no longer a schedule neighbour").size() == 6);
}
