#include "net/sync_manager.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace core {

namespace {
constexpr uint64_t block_interval_ns = 500'000'000; ///< one block slot (500 ms)

/// notice{known_trx, known_blocks{mode, head, [head id, earliest id if proto ≥ 8]}} (§3.5).
notice_message head_notice(const sync_chain_view& chain, const sync_peer& p, id_list_mode mode) {
   notice_message note;
   if (mode == id_list_mode::last_irr_catch_up) {
      note.known_trx.mode = id_list_mode::last_irr_catch_up;
      note.known_trx.pending = chain.lib_num();
   }
   note.known_blocks.mode = mode;
   note.known_blocks.pending = chain.fork_db_head_num();
   note.known_blocks.ids.push_back(chain.fork_db_head_id());
   if (p.protocol_version >= proto::block_range)
      note.known_blocks.ids.push_back(make_block_id(checksum256{}, chain.earliest_available_block_num()));
   return note;
}
} // namespace

std::string_view to_string(sync_stage s) {
   switch (s) {
   case sync_stage::lib_catchup: return "lib catchup";
   case sync_stage::head_catchup: return "head catchup";
   case sync_stage::in_sync: return "in sync";
   }
   return "unknown";
}

uint32_t latency_blocks(uint64_t latency_ns) {
   if (latency_ns == unknown_latency_ns)
      return 0;
   return static_cast<uint32_t>(std::lround(static_cast<double>(latency_ns) / static_cast<double>(block_interval_ns)));
}

sync_manager::sync_manager(const sync_chain_view& chain, sync_config cfg)
    : chain_(chain), cfg_(cfg),
      min_blocks_distance_(static_cast<uint32_t>(cfg.keepalive_interval.count() / 500 / 2)) {}

sync_manager::peer_record* sync_manager::find(uint32_t cid) {
   auto it = peers_.find(cid);
   return it == peers_.end() ? nullptr : &it->second;
}

const sync_peer* sync_manager::peer(uint32_t cid) const {
   auto it = peers_.find(cid);
   return it == peers_.end() ? nullptr : &it->second.snap;
}

void sync_manager::upsert_peer(const sync_peer& p) {
   auto [it, inserted] = peers_.try_emplace(p.connection_id);
   const bool syncing = it->second.snap.syncing_from_us;
   it->second.snap = p;
   if (!inserted)
      it->second.snap.syncing_from_us = syncing;
}

void sync_manager::set_syncing_from_us(uint32_t cid, bool v) {
   if (auto* r = find(cid))
      r->snap.syncing_from_us = v;
}

bool sync_manager::is_sync_required() const {
   return last_requested_num_ < known_lib_num_ || next_expected_num_ < last_requested_num_;
}

bool sync_manager::is_sync_request_ahead_allowed(uint32_t num) const {
   if (num >= last_requested_num_ && last_requested_num_ < known_lib_num_) {
      // Stay within one span of the applied head so received blocks do not pile up unapplied.
      const uint32_t head = chain_.head_num();
      const uint32_t not_applied = num > head ? num - head : 0;
      return not_applied < cfg_.sync_fetch_span;
   }
   return false;
}

void sync_manager::reset_lib_num(uint32_t cid, bool closing, time_point now, sync_actions& out) {
   if (stage_ == sync_stage::in_sync)
      source_.reset();
   if (!closing) {
      if (auto* r = find(cid); r && r->snap.lib_num > known_lib_num_)
         known_lib_num_ = r->snap.lib_num;
      return;
   }
   // A closed connection's LIB no longer counts: recompute from the remaining ones.
   known_lib_num_ = chain_.lib_num();
   for (const auto& [id, r] : peers_)
      if (id != cid && r.snap.blocks_connection && current(r) && r.snap.lib_num > known_lib_num_)
         known_lib_num_ = r.snap.lib_num;
   if (source_ == cid) {
      last_requested_num_ = 0;
      next_expected_num_ = std::max(chain_.lib_num() + 1, next_expected_num_);
      source_.reset();
      deadline_.reset();
      if (auto* r = find(cid))
         r->snap.connected = false;
      request_next_chunk(std::nullopt, now, out);
   }
}

void sync_manager::peer_closed(uint32_t cid, time_point now, sync_actions& out) {
   reset_lib_num(cid, true, now, out);
   peers_.erase(cid);
}

void sync_manager::recv_handshake(const sync_peer& p, time_point now, sync_actions& out) {
   upsert_peer(p);
   auto& r = peers_.at(p.connection_id);
   if (!r.snap.blocks_connection)
      return;
   reset_lib_num(p.connection_id, false, now, out);

   const uint32_t latency = latency_blocks(r.snap.latency_ns);
   const uint32_t head = chain_.fork_db_head_num();
   const uint32_t lib = chain_.lib_num();
   const sync_peer& s = r.snap;

   // 0. same head: in step.
   if (chain_.fork_db_head_id() == s.head_id) {
      r.snap.syncing_from_us = false;
      return;
   }
   // 1. the peer's LIB is beyond my head: it will send a last_irr_catch_up notice.
   if (head < s.lib_num) {
      r.snap.syncing_from_us = false;
      if (s.handshake_sent)
         out.send_handshake(s.connection_id);
      return;
   }
   // 2. my LIB is beyond the peer's head: tell it to sync from me.
   if (uint64_t(lib) > uint64_t(s.head_num) + latency + min_blocks_distance_) {
      if (s.generation > 1 || s.protocol_version > 0) {
         out.send(s.connection_id, head_notice(chain_, s, id_list_mode::last_irr_catch_up));
         r.snap.syncing_from_us = true;
      }
      return;
   }
   // 3. the peer's head is ahead of mine.
   if (uint64_t(head) + latency < s.head_num) {
      r.snap.syncing_from_us = false;
      verify_catchup(r, s.head_num, s.head_id, out);
      return;
   }
   // 4. my head is ahead of the peer's.
   if (uint64_t(head) >= uint64_t(s.head_num) + latency) {
      if (s.generation > 1 || s.protocol_version > 0)
         out.send(s.connection_id, head_notice(chain_, s, id_list_mode::catch_up));
      r.snap.syncing_from_us = false;
      auto mine = chain_.id_for_num(s.head_num);
      if (mine && *mine != s.head_id) {
         request_message req;
         req.req_blocks.mode = id_list_mode::catch_up;
         out.send(s.connection_id, req);
      }
      return;
   }
   // 5. within network latency.
   r.snap.syncing_from_us = false;
}

bool sync_manager::verify_catchup(peer_record& r, uint32_t num, const block_id_type& id, sync_actions& out) {
   request_message req;
   req.req_blocks.mode = id_list_mode::catch_up;
   for (const auto& [cid, other] : peers_) {
      if (!other.snap.blocks_connection)
         continue;
      if (other.fork_head == id || other.fork_head_num > num) {
         req.req_blocks.mode = id_list_mode::none;
         break;
      }
   }
   if (req.req_blocks.mode == id_list_mode::catch_up) {
      if (stage_ == sync_stage::lib_catchup || num < chain_.lib_num()) {
         out.send_handshake(r.snap.connection_id);
         return false;
      }
      set_stage(sync_stage::head_catchup);
      r.fork_head = id;
      r.fork_head_num = num;
      req.req_blocks.ids.push_back(chain_.fork_db_head_id());
   } else {
      r.fork_head = block_id_type{};
      r.fork_head_num = 0;
   }
   out.send(r.snap.connection_id, req);
   return true;
}

void sync_manager::recv_notice(uint32_t cid, const notice_message& msg, time_point now, sync_actions& out) {
   auto* r = find(cid);
   if (!r)
      return;
   const auto& ids = msg.known_blocks.ids;
   if (ids.size() > 2) {
      out.close(cid, go_away_reason::fatal_other);
      return;
   }
   if (!ids.empty()) {
      r->snap.head_id = ids[0];
      r->snap.head_num = block_num_from_id(ids[0]);
   }
   if (ids.size() > 1)
      r->snap.peer_start_block_num = block_num_from_id(ids[1]);

   if (msg.known_blocks.mode == id_list_mode::catch_up) {
      if (ids.empty())
         return;
      if (!chain_.knows_block(ids.front()))
         verify_catchup(*r, msg.known_blocks.pending, ids.front(), out);
      else
         out.send_handshake(cid);
   } else if (msg.known_blocks.mode == id_list_mode::last_irr_catch_up) {
      r->snap.lib_num = msg.known_trx.pending;
      reset_lib_num(cid, false, now, out);
      start_sync(cid, msg.known_trx.pending, now, out);
   }
}

void sync_manager::start_sync(uint32_t cid, uint32_t target, time_point now, sync_actions& out) {
   if (target > known_lib_num_)
      known_lib_num_ = target;
   const uint32_t lib = chain_.lib_num();
   if (!is_sync_required() || target <= lib) {
      out.send_handshake(cid);
      return;
   }
   set_stage(sync_stage::lib_catchup);
   next_expected_num_ = std::max(lib + 1, next_expected_num_);
   request_next_chunk(cid, now, out);
}

std::optional<uint32_t> sync_manager::find_next_sync_node() {
   std::vector<peer_record*> conns;
   for (auto& [cid, r] : peers_) {
      const auto& s = r.snap;
      if (s.blocks_connection && current(r) && !s.has_go_away && s.peer_start_block_num <= next_expected_num_ &&
          s.head_num >= known_lib_num_)
         conns.push_back(&r);
   }
   if (conns.empty())
      return std::nullopt;
   if (conns.size() > cfg_.sync_peer_limit) {
      std::stable_sort(conns.begin(), conns.end(),
                       [](const peer_record* a, const peer_record* b) { return a->snap.latency_ns < b->snap.latency_ns; });
      conns.resize(cfg_.sync_peer_limit);
   }
   ++sync_ordinal_;
   // Round robin: the peer chosen least recently (0 = never) among the lowest-latency ones.
   peer_record* the_one = conns.front();
   for (auto* r : conns)
      if (r->sync_ordinal < the_one->sync_ordinal)
         the_one = r;
   the_one->sync_ordinal = sync_ordinal_;
   return the_one->snap.connection_id;
}

void sync_manager::request_next_chunk(std::optional<uint32_t> preferred, time_point now, sync_actions& out) {
   if (uint64_t(chain_.fork_db_head_num()) + cfg_.sync_fetch_span < last_requested_num_ && source_) {
      if (auto* s = find(*source_); s && current(*s))
         return;
   }
   std::optional<uint32_t> next;
   if (preferred) {
      if (auto* p = find(*preferred); p && current(*p))
         next = preferred;
   }
   if (!next)
      next = find_next_sync_node();
   if (!next) {
      source_.reset();
      deadline_.reset();
      known_lib_num_ = chain_.lib_num();
      last_requested_num_ = 0;
      set_stage(sync_stage::in_sync);
      return;
   }
   bool sent = false;
   if (last_requested_num_ != known_lib_num_) {
      const uint32_t start = next_expected_num_;
      const uint32_t end = static_cast<uint32_t>(
         std::min<uint64_t>(uint64_t(start) + cfg_.sync_fetch_span - 1, known_lib_num_));
      if (end > 0 && end >= start) {
         last_requested_num_ = end;
         source_ = next;
         find(*next)->last_requested_block = end;
         deadline_ = now + cfg_.response_timeout;
         out.send(*next, sync_request_message{start, end});
         sent = true;
      }
   }
   if (!sent)
      out.send_handshakes_all();
}

void sync_manager::on_block(uint32_t cid, const block_id_type& id, uint32_t num, bool applied, time_point now,
                            sync_actions& out) {
   auto* r = find(cid);
   if (r) {
      r->monitor_accepted = true;
      r->rejection_windows = 0;
   }
   if (stage_ == sync_stage::head_catchup) {
      source_.reset();
      bool still_behind = false;
      for (auto& [pid, p] : peers_) {
         if (!p.snap.blocks_connection || p.fork_head == block_id_type{})
            continue;
         if (p.fork_head_num < num || p.fork_head == id) {
            p.fork_head = block_id_type{};
            p.fork_head_num = 0;
         } else {
            still_behind = true;
         }
      }
      if (!still_behind) {
         set_stage(sync_stage::in_sync);
         out.send_handshakes_all();
      }
      return;
   }
   if (stage_ != sync_stage::lib_catchup)
      return;

   if (applied) {
      if (num >= known_lib_num_) {
         set_stage(sync_stage::in_sync);
         source_.reset();
         deadline_.reset();
         out.send_handshakes_all();
      } else if (is_sync_request_ahead_allowed(num)) {
         request_next_chunk(std::nullopt, now, out);
      }
      return;
   }

   if (r && source_ == cid) {
      if (num >= r->last_requested_block)
         deadline_.reset();
      else
         deadline_ = now + cfg_.response_timeout;
   }
   if (last_requested_num_ == 0)
      next_expected_num_ = chain_.lib_num() + 1; // the range was dropped after a rejection
   else if (num >= next_expected_num_)
      next_expected_num_ = num + 1;
   if (num >= last_requested_num_ && is_sync_request_ahead_allowed(num))
      request_next_chunk(std::nullopt, now, out);
}

void sync_manager::rejected_vote(uint32_t cid, time_point now) {
   // Spring's block_status_monitor::rejected(): the first rejection after an accepted block
   // opens a window and counts none; each later one at least a window after the window's
   // start opens the next and counts it.
   if (auto* r = find(cid)) {
      if (r->monitor_accepted) {
         r->monitor_accepted = false;
         r->window_start = now;
         r->rejection_windows = 0;
      } else if (now - r->window_start >= cfg_.rejection_window) {
         ++r->rejection_windows;
         r->window_start = now;
      }
   }
}

bool sync_manager::count_rejection(uint32_t cid, time_point now, sync_actions& out) {
   rejected_vote(cid, now);
   auto* r = find(cid);
   if (!r || r->rejection_windows < cfg_.max_rejection_windows)
      return false;
   r->snap.connected = false;
   out.close(cid, go_away_reason::no_reason);
   return true;
}

bool sync_manager::unlinkable_block(uint32_t cid, time_point now, sync_actions& out) {
   if (!count_rejection(cid, now, out))
      return false;
   if (source_ == cid) {
      source_.reset();
      deadline_.reset();
   }
   return true;
}

uint32_t sync_manager::rejection_windows(uint32_t cid) const {
   auto it = peers_.find(cid);
   return it == peers_.end() ? 0 : it->second.rejection_windows;
}

void sync_manager::rejected_block(uint32_t cid, uint32_t num, time_point now, sync_actions& out) {
   const bool closed = count_rejection(cid, now, out);
   last_requested_num_ = 0;
   if (num < next_expected_num_)
      next_expected_num_ = chain_.lib_num();
   if (closed) {
      source_.reset();
      deadline_.reset();
   } else {
      out.send_handshake(cid);
   }
}

void sync_manager::reassign_fetch(uint32_t cid, time_point now, sync_actions& out) {
   auto* r = find(cid);
   if (!r)
      return;
   r->last_requested_block = 0;
   out.send(cid, sync_request_message{0, 0});
   out.close(cid, go_away_reason::benign_other);
   r->snap.connected = false; // closing: not eligible any more
   deadline_.reset();
   if (source_ == cid) {
      last_requested_num_ = 0;
      source_.reset();
      request_next_chunk(std::nullopt, now, out);
   }
}

void sync_manager::on_timer(time_point now, sync_actions& out) {
   if (deadline_ && now >= *deadline_ && source_)
      reassign_fetch(*source_, now, out);
}

} // namespace core
