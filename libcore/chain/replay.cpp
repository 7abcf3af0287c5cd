#include "chain/replay.hpp"


#include <algorithm>
#include <cstring>

namespace core {

// ---- block_history ----

std::size_t block_history::id_hash::operator()(const transaction_id_type& id) const {
   std::size_t h;
   std::memcpy(&h, id.data.data(), sizeof h);
   return h;
}

block_history::block_history() : recent_(tapos_window_blocks) {}

std::optional<block_id_type> block_history::id_for_num(uint32_t num) const {
   const auto& [n, id] = recent_[num % tapos_window_blocks];
   if (n != num || num == 0)
      return std::nullopt;
   return id;
}

void block_history::expire(block_timestamp t) {
   // Leap drops a transaction id from the duplicate index once it has expired at the pending block.
   const uint32_t now_s = static_cast<uint32_t>(t.to_time_point().us / 1'000'000);
   while (!by_expiration_.empty() && by_expiration_.begin()->first < now_s) {
      live_ids_.erase(by_expiration_.begin()->second);
      by_expiration_.erase(by_expiration_.begin());
   }
}

void block_history::record_block(uint32_t num, const block_id_type& id) { recent_[num % tapos_window_blocks] = {num, id}; }

void block_history::record_transactions(std::span<const validated_transaction> trxs) {
   for (const auto& t : trxs) {
      live_ids_.insert(t.id);
      by_expiration_.emplace(t.expiration.secs, t.id);
   }
}

block_body_context block_history::context(const checksum256& chain_id, const chain_config& config) const {
   block_body_context ctx;
   ctx.chain_id = chain_id;
   ctx.config = config;
   ctx.tapos_block = [this](uint32_t num) { return id_for_num(num); };
   ctx.is_duplicate = [this](const transaction_id_type& id, time_point_sec) { return contains_transaction(id); };
   return ctx;
}

// ---- chain_replayer ----

chain_replayer::chain_replayer(block_header_state start, replay_config cfg, recovery_pool& pool, block_handler on_block)
   : cfg_(std::move(cfg)), pool_(pool), on_block_(std::move(on_block)),
     lookahead_(cfg_.lookahead_blocks ? cfg_.lookahead_blocks : std::max<std::size_t>(8, 4 * (pool.size() + 1))),
     ctx_(history_.context(cfg_.chain_id, cfg_.config)) {
   history_.record_block(start.block_num, start.id);
   head_ = std::make_shared<const block_header_state>(std::move(start));
   tail_ = head_;
}

chain_replayer::~chain_replayer() {
   // Jobs own what they touch (shared_ptr), but waiting keeps the pool's queue from outliving us.
   for (auto& j : in_flight_)
      j->sig.wait(cfg_.chain_id);
}

bool chain_replayer::push(std::shared_ptr<const signed_block> b) {
   if (failed_)
      return false;
   while (in_flight_.size() >= lookahead_)
      if (!complete_front())
         return false;

   auto j = std::make_shared<job>();
   j->sig.block = std::move(b);
   // Everything of next() but the producer signature, which the job checks (next() checks it last).
   next_options opts;
   opts.verify_signee = false;
   if (cfg_.savanna_action_mroot)
      opts.savanna_action_mroot = cfg_.savanna_action_mroot(*j->sig.block);
   auto s = tail_->next(*j->sig.block, opts);
   if (s) {
      j->sig.state = std::make_shared<const block_header_state>(std::move(*s));
      j->sig.parent = tail_;
      tail_ = j->sig.state;
      pool_.submit([j, chain_id = cfg_.chain_id] { j->sig.run(chain_id); });
   } else {
      j->header_error = std::move(s.error());
      j->sig.skip();
      failed_ = true; // later blocks cannot link to this one
   }
   in_flight_.push_back(std::move(j));
   return true;
}

bool chain_replayer::complete_front() {
   auto j = std::move(in_flight_.front());
   in_flight_.pop_front();
   j->sig.wait(cfg_.chain_id);

   auto& sj = j->sig;
   replayed_block out;
   out.block = sj.block;
   if (!sj.state) {
      out.error = std::move(j->header_error);
   } else if (!*sj.signee) {
      out.error = std::move(sj.signee->error());
   } else if (sj.qc && !*sj.qc) {
      out.error = std::move(sj.qc->error());
   } else {
      out.qc_verified = sj.qc.has_value();
      out.state = sj.state;
      history_.expire(sj.block->timestamp);
      auto r = validate_block_body(*sj.block, ctx_, sj.keys);
      if (r) {
         history_.record_transactions(*r);
         history_.record_block(sj.state->block_num, sj.state->id);
         head_ = sj.state;
      } else {
         out.error = r.error().to_string();
      }
   }
   const bool ok = out.error.empty();
   if (!ok) {
      failed_ = true;
      stopped_ = true;
      // Blocks after a failure are never reported; let their jobs finish in the destructor.
   }
   if (on_block_)
      on_block_(out);
   return ok;
}

bool chain_replayer::finish() {
   while (!in_flight_.empty() && !stopped_)
      if (!complete_front())
         return false;
   return !failed_;
}

} // namespace core
