// Savanna votes (protocol 9, PROTOCOL.md §16): the node's own votes and the relay of received
// ones, as Spring 1.2's net_plugin sends them (bcast_vote_message / bcast_vote_msg).
#include "net/engine.hpp"

#include "net/engine_peer.hpp"

namespace core {

void engine::broadcast_vote(const vote_message& v, net_time) {
   if (stopping_)
      return;
   relay_vote(v, 0);
}

void engine::relay_vote(const vote_message& v, uint32_t exclude) {
   // Spring sends no vote while it syncs from a peer, and only to current block connections;
   // the send path drops it for a peer below protocol 9.
   if (sync_.syncing_from_peer())
      return;
   frame_ptr frame;
   for (auto& [cid, p] : peers_) {
      if (cid == exclude || !p->open || !p->connected || p->kind == connection_kind::transactions_only)
         continue;
      if (const auto* s = sync_.peer(cid); s && s->syncing_from_us)
         continue;
      if (!frame)
         frame = std::make_shared<const std::vector<uint8_t>>(encode_frame(v));
      send(*p, frame, message_index_v<vote_message>);
   }
}

} // namespace core
