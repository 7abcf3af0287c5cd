#pragma once
/// Leap 5's sync manager (PROTOCOL.md §9) as a socket-free state machine: it is fed
/// handshakes, notices, block receipts and timer ticks, and answers with sync_actions.
/// Time is injected through `now` arguments (the node's clock, net_time.hpp). Thread affinity:
/// one thread.
#include "net/net_time.hpp"
#include "net/sync_types.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string_view>

namespace core {

enum class sync_stage { lib_catchup, head_catchup, in_sync };
std::string_view to_string(sync_stage s);

struct sync_config {
   uint32_t sync_fetch_span = 1000;                   ///< blocks per sync_request (sync-fetch-span)
   uint32_t sync_peer_limit = 3;                      ///< lowest-latency peers to round-robin (sync-peer-limit)
   std::chrono::milliseconds keepalive_interval{10000}; ///< p2p-keepalive-interval-ms
   std::chrono::milliseconds response_timeout{5000};  ///< resp_expected_period for a sync range
   std::chrono::milliseconds rejection_window{2};     ///< block_status_monitor window
   uint32_t max_rejection_windows = 13;               ///< windows with rejections before closing
};

/// Blocks a peer is behind because of network latency: round(ping / 500 ms); 0 when unknown.
uint32_t latency_blocks(uint64_t latency_ns);

class sync_manager {
public:
   using time_point = net_time;

   sync_manager(const sync_chain_view& chain, sync_config cfg);

   // ---- connection bookkeeping ----
   /// Adds or refreshes a connection snapshot. For a known connection the manager-owned
   /// field syncing_from_us is kept.
   void upsert_peer(const sync_peer& p);
   const sync_peer* peer(uint32_t cid) const;
   void set_syncing_from_us(uint32_t cid, bool v);
   /// The connection closed: recompute the known LIB; re-request if it was the sync source.
   void peer_closed(uint32_t cid, time_point now, sync_actions& out);

   // ---- messages ----
   /// A handshake arrived (every generation); p carries the handshake's LIB/head.
   void recv_handshake(const sync_peer& p, time_point now, sync_actions& out);
   /// A catch_up or last_irr_catch_up notice arrived (ids.size() > 2 closes the connection).
   void recv_notice(uint32_t cid, const notice_message& msg, time_point now, sync_actions& out);
   /// Start or continue lib_catchup towards `target` (a peer's LIB), preferring connection cid.
   void start_sync(uint32_t cid, uint32_t target, time_point now, sync_actions& out);

   // ---- blocks ----
   /// A block from cid was received (applied=false, after header checks) or applied (applied=true).
   void on_block(uint32_t cid, const block_id_type& id, uint32_t num, bool applied, time_point now,
                 sync_actions& out);
   /// A block from cid failed validation.
   void rejected_block(uint32_t cid, uint32_t num, time_point now, sync_actions& out);
   /// A vote on a block we do not know came from cid: counted in its block status monitor
   /// (Spring's block_status_monitor_.rejected()), which closes it once a block is rejected
   /// with the windows over the limit; no close here.
   void rejected_vote(uint32_t cid, time_point now);
   /// A block from cid that does not link (Spring 1.2's rejected_block with
   /// closing_mode::handshake): counted in its block status monitor; when the monitor is at the
   /// limit the connection is closed without a go_away (true), else the caller goes on.
   bool unlinkable_block(uint32_t cid, time_point now, sync_actions& out);
   /// Consecutive rejection windows of cid's block status monitor (0 when unknown).
   uint32_t rejection_windows(uint32_t cid) const;
   /// Fires the sync response timer: 5 s without progress reassigns the range.
   void on_timer(time_point now, sync_actions& out);

   // ---- state ----
   sync_stage stage() const { return stage_; }
   bool syncing_from_peer() const { return stage_ == sync_stage::lib_catchup; }
   uint32_t known_lib_num() const { return known_lib_num_; }
   uint32_t last_requested_num() const { return last_requested_num_; }
   uint32_t next_expected_num() const { return next_expected_num_; }
   std::optional<uint32_t> sync_source() const { return source_; }
   std::optional<time_point> deadline() const { return deadline_; }
   uint32_t min_blocks_distance() const { return min_blocks_distance_; }
   std::size_t peer_count() const { return peers_.size(); }

private:
   struct peer_record {
      sync_peer snap;
      block_id_type fork_head; ///< head the peer advertised when we entered head_catchup
      uint32_t fork_head_num = 0;
      uint32_t sync_ordinal = 0; ///< value of sync_ordinal_ when last chosen (0 = never)
      uint32_t last_requested_block = 0;
      // block_status_monitor
      bool monitor_accepted = true;
      time_point window_start{};
      uint32_t rejection_windows = 0;
   };

   bool current(const peer_record& r) const { return r.snap.connected && !r.snap.syncing_from_us; }
   bool is_sync_required() const;
   bool is_sync_request_ahead_allowed(uint32_t num) const;
   void set_stage(sync_stage s) { stage_ = s; }
   void reset_lib_num(uint32_t cid, bool closing, time_point now, sync_actions& out);
   bool verify_catchup(peer_record& r, uint32_t num, const block_id_type& id, sync_actions& out);
   void request_next_chunk(std::optional<uint32_t> preferred, time_point now, sync_actions& out);
   std::optional<uint32_t> find_next_sync_node();
   void reassign_fetch(uint32_t cid, time_point now, sync_actions& out);
   /// Counts a rejected block from cid in its block status monitor (rejected_vote); when the
   /// monitor is at the limit, marks cid closing and closes it without a go_away (true). The
   /// callers reset the sync source as their Spring counterparts do.
   bool count_rejection(uint32_t cid, time_point now, sync_actions& out);
   peer_record* find(uint32_t cid);

   const sync_chain_view& chain_;
   sync_config cfg_;
   uint32_t min_blocks_distance_;
   std::map<uint32_t, peer_record> peers_;
   sync_stage stage_ = sync_stage::in_sync;
   uint32_t known_lib_num_ = 0;      ///< highest LIB among current peers
   uint32_t last_requested_num_ = 0; ///< end of the last requested range (0 = none outstanding)
   uint32_t next_expected_num_ = 1;
   std::optional<uint32_t> source_;
   uint32_t sync_ordinal_ = 0;
   std::optional<time_point> deadline_; ///< response deadline of the source's range
};

} // namespace core
