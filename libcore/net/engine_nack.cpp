// block_nack and block_notice (protocol 10, PROTOCOL.md §16), as Spring 1.2's net_plugin uses
// them: a peer that sends a block we already have gets a nack; a peer that nacked more than
// nack_notice_threshold consecutive blocks gets a block_notice instead of each relayed block
// (unless we produced it); a notice of a block whose parent we lack makes us request the branch.
#include "net/engine.hpp"

#include "net/engine_peer.hpp"

namespace core {

void engine::send_block_nack(peer& p, const block_id_type& id) {
   if (protocol_of(p) < proto::block_nack || cfg_.disable_block_nack || sync_.syncing_from_peer())
      return;
   if (send(p, block_nack_message{id})) {
      ++p.nacks_sent;
      ++counters_.nacks_sent;
   }
}

void engine::send_block_nack_resets() {
   for (auto& [cid, p] : peers_)
      if (p->open && p->connected && p->kind != connection_kind::transactions_only)
         send_block_nack(*p, block_id_type{});
}

bool engine::wants_block_notice(const peer& p, const signed_block& b) const {
   return protocol_of(p) >= proto::block_nack && !cfg_.disable_block_nack &&
          p.consecutive_nacks > nack_notice_threshold && !cfg_.own_producers.contains(b.producer);
}

void engine::handle(peer& p, block_nack_message&& m, net_time now) {
   if (!p.connected)
      return;
   ++p.nacks_received;
   ++counters_.nacks_received;
   const uint32_t num = block_num_from_id(m.id);
   if (num == 0) { // the peer asks for blocks again
      p.consecutive_nacks = 0;
      p.last_nack = m.id;
      return;
   }
   p.last_block_at = now;
   const bool before_lib = num <= chain_.lib_num();
   if (before_lib || dispatch_.have_block(m.id) || chain_.knows_block(m.id)) {
      if (num - 1 == block_num_from_id(p.last_nack))
         ++p.consecutive_nacks;
      else
         p.consecutive_nacks = 0;
      if (!before_lib) {
         dispatch_.add_peer_block(m.id, p.id);
         note_peer_has_block(p, m.id, num);
      }
   }
   p.last_nack = m.id;
}

void engine::handle(peer& p, block_notice_message&& m, net_time now) {
   if (!p.connected)
      return;
   ++p.notices_received;
   ++counters_.notices_received;
   const uint32_t num = block_num_from_id(m.id);
   if (num == 0 || num - 1 != block_num_from_id(m.previous)) {
      // Spring closes (no go_away) on a notice whose ids do not follow each other.
      p.last_error = "invalid block_notice_message";
      close(p, disconnect_reason::plain(disconnect_op::protocol, "invalid block_notice_message"));
      return;
   }
   if (num <= chain_.lib_num())
      return;
   p.last_block_at = now;
   const auto have = [&](const block_id_type& id) { return dispatch_.have_block(id) || chain_.knows_block(id); };
   if (have(m.id)) {
      dispatch_.add_peer_block(m.id, p.id);
      note_peer_has_block(p, m.id, num);
      return;
   }
   if (have(m.previous))
      return; // the block itself comes from whoever relays it
   for (const auto& [cid, other] : peers_)
      if (other->open && other->nack_request == m.previous)
         return; // already requested
   log_.info("net", "{}received unknown block notice, requesting blocks from {}", prefix(p), num - 1);
   request_message req;
   req.req_blocks.mode = id_list_mode::normal;
   req.req_blocks.ids = {m.previous, chain_.head_id()};
   req.req_trx.mode = id_list_mode::none;
   send_block_nack(p, block_id_type{}); // it sends us blocks again
   p.nack_request = m.previous;
   send(p, req);
}

void engine::serve_nack_request(peer& p, const block_id_type& req_id, const block_id_type& peer_head_id, net_time now) {
   // Spring's blk_send_branch_from_nack_request: from the requested block to our head, or from
   // our LIB when the peer's head is on another fork (an unknown head: just the requested branch).
   const uint32_t head = chain_.head_num();
   const uint32_t peer_head_num = block_num_from_id(peer_head_id);
   const auto ours = chain_.id_for_num(peer_head_num);
   const bool on_fork = peer_head_num <= head && ours && *ours != peer_head_id;
   const uint32_t first = on_fork ? chain_.lib_num() : block_num_from_id(req_id);
   if (first == 0 || first > head)
      return;
   serve_range(p, serve_plan{false, first, head, false}, now);
}

} // namespace core
