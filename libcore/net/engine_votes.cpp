// Savanna votes (protocol 9, PROTOCOL.md §16): the node's own votes and the relay of received
// ones, as Spring 1.2's net_plugin sends them (bcast_vote_message / bcast_vote_msg).
#include "net/engine.hpp"

#include "net/engine_peer.hpp"

#include <fmt/format.h>

namespace core {

void engine::handle(peer& p, vote_message&& m, net_time now) {
   if (!p.connected || !cfg_.accept_votes)
      return;
   ++p.votes_received;
   ++counters_.received_votes;
   const auto status = chain_.process_vote(m);
   switch (status) {
   case vote_status::success: relay_vote(m, p.id); return;
   case vote_status::duplicate: ++counters_.duplicate_votes; return;
   case vote_status::unknown_block:
      // Spring tracks it in the peer's block status monitor (the rejected-block windows that
      // close a peer once a block is rejected too), and does not close for it.
      ++p.votes_rejected;
      ++counters_.rejected_votes;
      sync_.rejected_vote(p.id, now);
      log_.debug("net", "{}vote on unknown block {}", prefix(p), block_num_from_id(m.block_id));
      return;
   case vote_status::unknown_public_key:
   case vote_status::invalid_signature:
      // Spring closes the connection at once, without a go_away.
      ++p.votes_rejected;
      ++counters_.rejected_votes;
      p.last_error = fmt::format("invalid vote: {}", to_string(status));
      log_.warn("net", "{}invalid vote ({}) on block {}, closing connection", prefix(p), to_string(status),
                block_num_from_id(m.block_id));
      close(p, disconnect_reason::plain(disconnect_op::protocol, p.last_error));
      return;
   }
}

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
      if (send(*p, frame, message_index_v<vote_message>)) {
         ++p->votes_relayed;
         ++counters_.relayed_votes;
      }
   }
}

} // namespace core
