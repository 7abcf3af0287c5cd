#pragma once
/// A fake peer the test drives from C++ (msgcraft's peer_session): it handshakes with a node at
/// a chosen version and chain position, sends what the test tells it to, and keeps everything
/// it receives, in order. Header-only: only the test executable links msgcraft_lib.
#include "node_process.hpp"

#include "net/messages.hpp"
#include "peer_session.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace it {

struct fake_peer {
   std::unique_ptr<msgcraft::peer_session> session;
   std::vector<core::net_message> received; ///< everything, in order
   std::string closed;                      ///< why the node closed it ("" while open)

   /// Reads until `pred` holds for a received message or `within` passes; true when it held.
   template <class Pred>
   bool read_until(Pred pred, std::chrono::milliseconds within) {
      const auto deadline = msgcraft::peer_session::clock::now() + within;
      while (closed.empty()) {
         auto r = session->receive(deadline);
         if (r.status == msgcraft::receive_status::timeout)
            return false;
         if (!r) {
            closed = r.reason.empty() ? "closed" : r.reason;
            return false;
         }
         received.push_back(r->message);
         if (pred(received.back()))
            return true;
      }
      return false;
   }
   /// Reads whatever arrives within `within`.
   void drain(std::chrono::milliseconds within) {
      read_until([](const core::net_message&) { return false; }, within);
   }
   /// Reads until the node closes the connection or `within` passes; true when it closed.
   bool wait_closed(std::chrono::milliseconds within) {
      drain(within);
      return !closed.empty();
   }
   template <class T>
   std::size_t count() const {
      std::size_t n = 0;
      for (const auto& m : received)
         n += std::holds_alternative<T>(m);
      return n;
   }
   template <class T>
   std::vector<T> all() const {
      std::vector<T> out;
      for (const auto& m : received)
         if (const auto* t = std::get_if<T>(&m))
            out.push_back(*t);
      return out;
   }
};

/// Where the fake peer says its chain is.
struct fake_peer_chain {
   std::string chain_id; ///< hex
   uint32_t head_num = 0;
   std::string head_id;
   uint32_t lib_num = 0;
   std::string lib_id;
};

/// The chain position `s` reports (head and LIB as the node has them).
inline fake_peer_chain chain_of(const node_status& s) {
   return {s.chain_id, s.head_num, s.head_id, s.lib_num, s.lib_id};
}

/// Connects to `n` as a peer advertising `network_version` at `at`, with `agent`, and waits for
/// the node's handshake (the first received message).
inline fake_peer connect_fake_peer(node_process& n, const fake_peer_chain& at, uint16_t network_version,
                                   const std::string& agent) {
   fake_peer p;
   auto session = msgcraft::peer_session::connect("127.0.0.1", n.port(), std::chrono::milliseconds(5000));
   REQUIRE(session);
   p.session = std::make_unique<msgcraft::peer_session>(std::move(*session));
   msgcraft::handshake_options h;
   h.chain_id = *core::checksum256::from_string(at.chain_id);
   h.network_version = network_version;
   h.chain.head_num = at.head_num;
   h.chain.head_id = *core::block_id_type::from_string(at.head_id);
   h.chain.lib_num = at.lib_num;
   h.chain.lib_id = *core::block_id_type::from_string(at.lib_id);
   h.agent = agent;
   REQUIRE(p.session->send_handshake(h));
   REQUIRE(p.read_until([](const core::net_message& m) { return std::holds_alternative<core::handshake_message>(m); },
                        std::chrono::seconds(10)));
   return p;
}

} // namespace it
