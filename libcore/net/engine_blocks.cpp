// The engine's blocks and transactions (PROTOCOL.md §9): block reception and what each chain
// verdict tells the sync manager, the catch-up pipeline, block and transaction relay, and the
// batched evaluation of received transactions.
#include "net/engine.hpp"

#include "net/engine_peer.hpp"

#include <fmt/format.h>

namespace core {

// ---- blocks ---------------------------------------------------------------------------------

void engine::handle(peer& p, signed_block&& m, net_time now) {
   if (!p.connected)
      return;
   const auto id = m.calculate_id();
   const uint32_t num = m.block_num();
   ++counters_.received_blocks;
   ++p.blocks_received;
   p.last_block_at = now;
   p.last_block_recv_at = now;
   last_block_received_at_ = now;
   p.last_received_block = num;
   dispatch_.add_peer_block(id, p.id);
   sync_actions actions;
   if (chain_.knows_block(id)) {
      note_peer_has_block(p, id, num);
      send_block_nack(p, id); // Spring: the block is already here

      sync_.on_block(p.id, id, num, false, now, actions);
      run(actions, now);
      return;
   }
   if (num <= chain_.lib_num()) {
      // The peer thinks we need old blocks: stop its range and tell it where we are (§9).
      // Spring (protocol ≥ 10) answers with a nack instead.
      if (!sync_.syncing_from_peer()) {
         if (protocol_of(p) >= proto::block_nack && !cfg_.disable_block_nack) {
            send_block_nack(p, id);
         } else {
            send(p, sync_request_message{0, 0});
            send_handshake(p, now);
         }
      }
      return;
   }
   auto blk = std::make_shared<const signed_block>(std::move(m));
   if (sync_.stage() == sync_stage::lib_catchup || !sync_blocks_.empty()) {
      sync_.on_block(p.id, id, num, false, now, actions); // the range advances on receipt
      run(actions, now);
      // Catching up: recover the block's signatures on the pool now, apply it in order once
      // they are ready, so recovery for the blocks behind it runs while this one is applied.
      chain_.prefetch_block_keys(blk);
      sync_blocks_.push_back({std::move(blk), id, num, p.id});
      drain_sync_blocks(now);
      return;
   }
   apply_received(p.id, blk, id, num, false, now);
}

void engine::drain_sync_blocks(net_time now) {
   while (!sync_blocks_.empty() &&
          (sync_blocks_.size() > sync_pipeline_depth || chain_.block_keys_ready(sync_blocks_.front().id))) {
      auto b = std::move(sync_blocks_.front());
      sync_blocks_.pop_front();
      apply_received(b.cid, b.block, b.id, b.num, true, now);
   }
   if (!sync_blocks_.empty() && !drain_due_)
      drain_due_ = now + drain_tick;
}

void engine::apply_received(uint32_t cid, const std::shared_ptr<const signed_block>& blk, const block_id_type& id,
                            uint32_t num, bool receipt_reported, net_time now) {
   sync_actions actions;
   const uint32_t head_before = chain_.head_num();
   auto r = chain_.accept_block(blk);
   auto* p = find(cid);
   switch (r.verdict) {
   case block_verdict::applied:
   case block_verdict::forked:
      if (p)
         note_peer_has_block(*p, id, num);
      if (!receipt_reported)
         sync_.on_block(cid, id, num, false, now, actions);
      if (r.verdict == block_verdict::applied || chain_.head_num() != head_before)
         sync_.on_block(cid, chain_.head_id(), chain_.head_num(), true, now, actions);
      break;
   case block_verdict::duplicate:
   case block_verdict::old:
      if (!receipt_reported)
         sync_.on_block(cid, id, num, false, now, actions);
      break;
   case block_verdict::unlinkable:
      log_.debug("net", "{}unlinkable block {} {}", p ? prefix(*p) : std::string(), num, id.to_string());
      remember_unlinkable(id);
      // Spring 1.2 counts it in the sender's block status monitor, which closes the sender
      // once it is over Spring's 13 windows (votes on unknown blocks count there too).
      if (p && sync_.unlinkable_block(cid, now, actions))
         log_.warn("net", "{}block {} not accepted, closing connection: max violations reached", prefix(*p), num);
      else if (p && sync_.stage() != sync_stage::lib_catchup)
         send_handshake(*p, now);
      break;
   case block_verdict::invalid:
      log_.warn("net", "{}rejected block {}: {}", p ? prefix(*p) : std::string(), num, r.error);
      if (p)
         p->last_error = r.error;
      dispatch_.rejected_block(id);
      sync_.rejected_block(cid, num, now, actions);
      break;
   case block_verdict::unavailable:
      // Our fault, not the peer's: the block is dropped unjudged and fetched again once the
      // store writes (a later block does not link, or the sync timer re-requests the range).
      log_.debug("net", "{}block {} dropped: {}", p ? prefix(*p) : std::string(), num, r.error);
      break;
   }
   run(actions, now);
}

void engine::remember_unlinkable(const block_id_type& id) {
   // The chain keeps a few unlinkable blocks for when their parent arrives; who sent them is
   // remembered as long (Leap's rm_block on eviction), so a stream of blocks that never link
   // cannot grow the relay index.
   unlinkable_ids_.push_back(id);
   if (unlinkable_ids_.size() > unlinkable_memory) {
      dispatch_.rejected_block(unlinkable_ids_.front());
      unlinkable_ids_.pop_front();
   }
}

std::vector<dispatch_peer> engine::dispatch_peers() const {
   std::vector<dispatch_peer> out;
   out.reserve(peers_.size());
   for (const auto& [cid, p] : peers_) {
      const auto* s = sync_.peer(cid);
      dispatch_peer d;
      d.connection_id = cid;
      d.current = p->connected && p->open && !(s && s->syncing_from_us);
      d.blocks = p->kind != connection_kind::transactions_only;
      d.transactions = p->kind != connection_kind::blocks_only && cfg_.identity.accept_transactions;
      out.push_back(d);
   }
   return out;
}

void engine::on_block_validated(const std::shared_ptr<const signed_block>& b, const block_id_type& id, net_time now) {
   if (stopping_)
      return;
   auto to = dispatch_.relay_block(id, dispatch_peers(), sync_.stage() == sync_stage::lib_catchup);
   if (to.empty())
      return;
   // One serialized frame shared by every peer (and one notice frame for those that nacked).
   auto frame = std::make_shared<const std::vector<uint8_t>>(encode_frame(*b));
   frame_ptr notice;
   const uint32_t num = block_num_from_id(id);
   for (auto cid : to)
      if (auto* p = find(cid)) {
         if (wants_block_notice(*p, *b)) {
            if (!notice)
               notice = std::make_shared<const std::vector<uint8_t>>(encode_frame(block_notice_message{b->previous, id}));
            if (send(*p, notice, message_index_v<block_notice_message>)) {
               ++p->notices_sent;
               ++counters_.notices_sent;
               counters_.block_bytes_saved += frame->size() - notice->size();
            }
            p->last_block_at = now;
            continue;
         }
         send(*p, frame, message_index_v<signed_block>);
         p->last_block_at = now;
         note_peer_has_block(*p, id, num);
         ++counters_.relayed_blocks;
      }
}

// ---- transactions ---------------------------------------------------------------------------

void engine::handle(peer& p, packed_transaction&& m, net_time now) {
   if (!p.connected)
      return;
   ++counters_.received_transactions;
   ++p.transactions_received;
   const std::size_t bytes = m.packed_trx.size() + m.packed_context_free_data.size() + 65 * m.signatures.size();
   if (!cfg_.identity.accept_transactions || sync_.stage() == sync_stage::lib_catchup ||
       pending_trx_bytes_ + bytes > max_pending_trx_bytes) {
      ++counters_.dropped_transactions;
      return;
   }
   const auto id = m.id();
   if (dispatch_.add_peer_txn(id, m.get_transaction().expiration, p.id, now))
      return; // a duplicate: already known from some connection
   send_transaction_notices(m, transaction_message_bytes(m));
   // Evaluated in batches: the transactions of one read (or of several connections' reads)
   // share one pass over the signature-recovery pool.
   pending_trxs_.push_back({std::make_shared<const packed_transaction>(std::move(m)), p.id, bytes});
   pending_trx_bytes_ += bytes;
   if (!trx_due_)
      trx_due_ = now;
}

void engine::process_pending_transactions(net_time now) {
   if (stopping_ || pending_trxs_.empty())
      return;
   auto batch = std::move(pending_trxs_);
   pending_trxs_.clear();
   pending_trx_bytes_ = 0;
   std::vector<std::shared_ptr<const packed_transaction>> trxs;
   trxs.reserve(batch.size());
   for (const auto& b : batch)
      trxs.push_back(b.trx);
   auto results = chain_.push_transactions(trxs);
   for (std::size_t i = 0; i < batch.size() && i < results.size(); ++i) {
      if (results[i].accepted)
         relay_transaction(batch[i].trx, now);
      else if (auto* p = find(batch[i].cid))
         log_.debug("net", "{}transaction {} refused: {}", prefix(*p), results[i].id.to_string(), results[i].error);
   }
}

trx_outcome engine::push_transaction(std::shared_ptr<const packed_transaction> trx, net_time now) {
   const auto& t = trx->get_transaction();
   if (dispatch_.add_peer_txn(trx->id(), t.expiration, 0, now)) {
      trx_outcome r;
      r.id = trx->id();
      r.error = fmt::format("transaction {} is a duplicate", r.id.to_string());
      return r;
   }
   const std::shared_ptr<const packed_transaction> one[] = {trx};
   auto results = chain_.push_transactions(one);
   trx_outcome r = results.empty() ? trx_outcome{false, trx->id(), "not evaluated"} : results.front();
   if (r.accepted)
      relay_transaction(trx, now);
   return r;
}

void engine::relay_transaction(const std::shared_ptr<const packed_transaction>& trx, net_time now) {
   auto to = dispatch_.relay_transaction(trx->id(), trx->get_transaction().expiration, dispatch_peers(), now);
   if (to.empty())
      return;
   auto frame = std::make_shared<const std::vector<uint8_t>>(encode_frame(*trx));
   for (auto cid : to)
      if (auto* p = find(cid)) {
         send(*p, frame, message_index_v<packed_transaction>);
         ++counters_.relayed_transactions;
      }
}

} // namespace core
