#pragma once
// The protocol engine in virtual time: a fake chain, a fake transport, a manual clock, and
// helpers that play peers (connect, handshake, send messages) and read what the engine asked
// its shell to do (the frames it sent each connection, decoded; closes; dials).
#include "net/engine.hpp"

#include "support/fake_engine_chain.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace test {

using namespace std::chrono_literals;

inline const core::net_time t0 = std::chrono::duration_cast<core::net_time>(std::chrono::seconds(1'800'000'000));

inline core::checksum256 hash_of(uint8_t fill) {
   core::checksum256 c;
   c.data.fill(fill);
   return c;
}

struct fake_transport : core::transport_view {
   std::map<uint32_t, std::size_t> queued;
   std::size_t queued_bytes(uint32_t cid) const override {
      auto it = queued.find(cid);
      return it == queued.end() ? 0 : it->second;
   }
};

struct engine_harness {
   core::manual_net_clock clock{t0};
   fake_engine_chain chain;
   fake_transport transport;
   std::ostringstream log_text;
   core::node_log log{log_text, core::log_level::debug, &clock};
   core::engine_config cfg;
   std::unique_ptr<core::engine> eng;
   /// Everything the engine asked for, in order, since the last clear().
   std::vector<core::engine_action> actions;
   uint32_t next_cid = 1;
   uint16_t next_port = 40000;
   /// The id of the last dial the engine asked for, by address (kept across clear()).
   std::map<std::string, uint64_t> dial_ids;

   explicit engine_harness(uint32_t blocks = 1, uint32_t lib = 1) : chain(blocks, lib) {
      cfg.identity.chain_id = hash_of(0xc1);
      cfg.identity.node_id = hash_of(0x10);
      cfg.identity.server_address = "me.example:9876";
   }

   core::engine& start() {
      eng = std::make_unique<core::engine>(chain, transport, cfg, log);
      // As the controller's accepted_block_header signal does: the relay runs inside accept_block.
      chain.on_header_valid = [this](const std::shared_ptr<const core::signed_block>& b) {
         eng->on_block_validated(b, b->calculate_id(), clock.now());
      };
      eng->start(clock.now());
      collect();
      return *eng;
   }
   void collect() {
      for (auto& a : eng->take_actions()) {
         if (const auto* d = std::get_if<core::dial_address>(&a))
            dial_ids[d->address] = d->dial;
         actions.push_back(std::move(a));
      }
   }
   void clear() { actions.clear(); }

   // ---- peers ----
   uint32_t connect_inbound(const std::string& ip = "10.0.0.1", uint64_t serve_rate = 0) {
      const uint32_t cid = next_cid++;
      core::connection_info info{false, ip + ":" + std::to_string(next_port), ip, next_port, serve_rate};
      ++next_port;
      eng->on_connected(cid, info, clock.now());
      collect();
      return cid;
   }
   /// Completes the dial the engine asked for `address` (the last one, or the dial with id `dial`).
   uint32_t connect_outbound(const std::string& address, std::optional<uint64_t> dial = {}) {
      const uint32_t cid = next_cid++;
      eng->on_connected(cid, core::connection_info{true, address, "10.9.9.9", 9876, 0, dial.value_or(dial_ids[address])},
                        clock.now());
      collect();
      return cid;
   }
   /// Fails the dial the engine asked for `address` (the last one, or the dial with id `dial`).
   void dial_failed(const std::string& address, const std::string& why, bool resolving = false,
                    std::optional<uint64_t> dial = {}) {
      eng->on_dial_failed(address, dial.value_or(dial_ids[address]), why, resolving, clock.now());
      collect();
   }
   /// A valid handshake from a peer whose node id is filled with `who`.
   /// `protocol`: the peer's protocol number (network_version − 1205).
   core::handshake_message handshake_from(uint8_t who, uint32_t lib, uint32_t head, int16_t generation = 1,
                                          const std::string& address = "peer.example:9876",
                                          uint16_t protocol = core::proto::leap_initial) const {
      core::peer_identity peer;
      peer.chain_id = cfg.identity.chain_id;
      peer.node_id = hash_of(who);
      peer.server_address = address;
      core::handshake_chain_info ci;
      ci.lib_num = lib;
      ci.lib_id = lib <= chain.head_num() ? chain.id(lib) : core::make_block_id(hash_of(0xee), lib);
      ci.head_num = head;
      ci.head_id = head <= chain.head_num() ? chain.id(head) : core::make_block_id(hash_of(0xef), head);
      return core::make_handshake(peer, ci, core::connection_kind::both, protocol, generation, clock.now());
   }
   void deliver(uint32_t cid, core::net_message m) {
      eng->on_message(cid, std::move(m), clock.now());
      collect();
   }
   /// An inbound peer that completed its handshake at lib/head.
   uint32_t handshaken_peer(uint8_t who, uint32_t lib, uint32_t head, const std::string& ip = "",
                            uint16_t protocol = core::proto::leap_initial) {
      const uint32_t cid = connect_inbound(ip.empty() ? "10.0.0." + std::to_string(who) : ip);
      deliver(cid, handshake_from(who, lib, head, 1, "peer.example:9876", protocol));
      return cid;
   }
   void closed_by_shell(uint32_t cid, core::disconnect_reason why = core::disconnect_reason::plain(
                                         core::disconnect_op::read, "closed by peer")) {
      eng->on_closed(cid, why, clock.now());
      collect();
   }
   /// Moves the clock, running every tick the engine asks for on the way.
   void advance(core::net_time d) {
      const auto end = clock.now() + d;
      while (true) {
         auto next = eng->next_tick();
         if (!next || *next > end)
            break;
         clock.set(std::max(clock.now(), *next));
         eng->on_tick(clock.now());
         collect();
      }
      clock.set(end);
   }

   // ---- what the engine asked for ----
   /// The messages sent to `cid`, decoded, in order.
   std::vector<core::net_message> sent_to(uint32_t cid) const {
      std::vector<core::net_message> out;
      for (const auto& a : actions)
         if (const auto* s = std::get_if<core::send_frame>(&a); s && s->to == cid) {
            auto m = core::decode_payload(std::span<const uint8_t>(*s->frame).subspan(core::frame_header_bytes));
            REQUIRE(m);
            out.push_back(std::move(*m));
         }
      return out;
   }
   template <class T>
   std::vector<T> sent_to_of(uint32_t cid) const {
      std::vector<T> out;
      for (auto& m : sent_to(cid))
         if (auto* t = std::get_if<T>(&m))
            out.push_back(std::move(*t));
      return out;
   }
   /// Bytes of frames sent to `cid`.
   std::size_t bytes_to(uint32_t cid) const {
      std::size_t n = 0;
      for (const auto& a : actions)
         if (const auto* s = std::get_if<core::send_frame>(&a); s && s->to == cid)
            n += s->frame->size();
      return n;
   }
   const core::close_connection* close_of(uint32_t cid) const {
      for (const auto& a : actions)
         if (const auto* c = std::get_if<core::close_connection>(&a); c && c->connection_id == cid)
            return c;
      return nullptr;
   }
   std::vector<std::string> dials() const {
      std::vector<std::string> out;
      for (const auto& a : actions)
         if (const auto* d = std::get_if<core::dial_address>(&a))
            out.push_back(d->address);
      return out;
   }
   /// The block that would extend the fake chain (the same one each call).
   std::shared_ptr<const core::signed_block> next_block() const { return chain.next_blocks(1).front(); }
   bool logged(const std::string& text) const { return log_text.str().find(text) != std::string::npos; }
};

} // namespace test
