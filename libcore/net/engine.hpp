#pragma once
/// The protocol engine: every rule of the p2p protocol (PROTOCOL.md §7–§9) for all of a node's
/// connections, without sockets and without a clock — after Bitcoin Core's PeerManager /
/// NetEventsInterface split. Its shell (node/peer_manager) feeds it events for peer handles
/// (connection ids) — connected, a decoded message, closed, a dial failed, a timer tick — each
/// with the current time, and performs the actions it queues (engine_actions.hpp): send a
/// frame to X, close X for a reason, dial Y, report a peer event; a relay is one frame sent to
/// peers Z. It reaches the local chain only through engine_chain and a connection's transport
/// only through transport_view. Tests drive it in virtual time (tests/unit/net/engine_*_test.cpp)
/// and so does the fuzzer (tests/fuzz/fuzz_engine.cpp).
///
/// Where the rules live: engine.cpp — connections, outbound dialling, timers, status;
/// engine_messages.cpp — one handle() per message, and block serving; engine_blocks.cpp —
/// block reception, the catch-up pipeline, relay, transactions.
/// Adding a message handler: replace its handle() overload in engine_messages.cpp (the dispatch
/// is an exhaustive std::visit: a message without one does not compile), gate it in
/// message_gate.hpp when it is newer than protocol 7, and test it in tests/unit/net/.
///
/// Thread affinity: one thread. Calls nest (a block offered to the chain comes back through
/// on_block_validated); actions accumulate until the shell takes them, and once the engine has
/// asked to close a connection it queues nothing more for it.
#include "net/bp_gossip.hpp"
#include "net/dispatch_manager.hpp"
#include "net/engine_actions.hpp"
#include "net/engine_chain.hpp"
#include "net/frame.hpp"
#include "net/handshake_checks.hpp"
#include "net/net_time.hpp"
#include "net/node_log.hpp"
#include "net/outbound_peers.hpp"
#include "net/peer_identity.hpp"
#include "net/peer_timing.hpp"
#include "net/sync_manager.hpp"
#include "net/sync_serve.hpp"

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace core {

struct engine_config {
   peer_identity identity;
   std::vector<std::string> peers;         ///< p2p-peer-address: host:port[:trx|:blk]
   uint32_t max_clients = 25;              ///< inbound connections; 0 = unlimited
   uint32_t max_nodes_per_host = 1;        ///< inbound connections from one IP
   auth_config auth;
   std::chrono::seconds cleanup_period{30};
   std::chrono::seconds dedup_expire{10};
   sync_config sync;
   /// p2p-auto-bp-peer: account → host:port of block producers to connect to while they are
   /// within two schedule positions of one of `own_producers`.
   std::vector<std::pair<name, std::string>> auto_bp_peers;
   std::set<name> own_producers;
   std::string peer_log_format = "[\"${_name}\" - ${_cid} ${_ip}:${_port}] ";
   /// p2p-disable-block-nack: never send block_nack or block_notice (Spring's option).
   bool disable_block_nack = false;
   /// p2p-accept-votes (Spring: chain's vote-threads > 0): false drops received votes unread.
   bool accept_votes = true;
   /// p2p-bp-gossip-endpoint (Spring 1.2): this node's producer endpoints; any enables BP gossip
   /// (engine_bp_gossip.cpp).
   std::vector<bp_gossip_endpoint> bp_gossip_endpoints;
   /// Signs with the node's signature-provider keys (its BP gossip entries); unset: none.
   digest_signer signer;
};

/// A new connection as its shell knows it.
struct connection_info {
   bool outbound = false;
   std::string address;     ///< the configured address (outbound) or "ip:port"
   std::string remote_ip;
   uint16_t remote_port = 0;
   uint64_t serve_rate = 0; ///< bytes/s of sync blocks served to it (its listen endpoint's cap), 0 = none
   uint64_t dial = 0;       ///< outbound: the id of the dial_address it completes
};

/// What the engine may ask about a connection's transport.
class transport_view {
public:
   virtual ~transport_view() = default;
   /// Bytes queued for writing and not yet written.
   virtual std::size_t queued_bytes(uint32_t connection_id) const = 0;
};

/// One connection as p2pctl peers / net_api connections show it. The shell fills the
/// transport fields (bytes, socket state).
struct peer_status {
   uint32_t connection_id = 0;  ///< 0: a configured peer with no connection
   std::string peer;            ///< configured address (outbound) or "ip:port"
   std::string remote_ip;
   uint16_t remote_port = 0;
   bool outbound = false;
   bool connecting = false;     ///< dialling, or connected without a valid handshake yet
   bool syncing = false;        ///< we are syncing from it (it is the sync source)
   bool is_bp_peer = false;
   bool is_bp_gossip_peer = false; ///< its gossip_bp_peers was verified (Spring's bp_gossip connection)
   std::string bp_gossip;          ///< "", "validating" (before our own entries are signed) or "gossip"
   uint64_t bp_gossip_received = 0, bp_gossip_sent = 0; ///< gossip_bp_peers messages
   bool is_socket_open = false;
   bool is_blocks_only = false;
   bool is_transactions_only = false;
   net_time connected_at{0};
   uint64_t bytes_received = 0;
   uint64_t bytes_sent = 0;
   uint64_t write_queue_bytes = 0;      ///< queued or being written now
   uint64_t write_queue_high_water = 0; ///< the most ever queued on the connection
   std::optional<double> latency_ms;
   uint32_t last_received_block = 0;
   /// The peer's head and LIB as last known: the highest of what its handshakes and notices
   /// said and of what the blocks it sent or was sent imply (Leap's connection status).
   uint32_t head_num = 0;
   uint32_t lib_num = 0;
   std::string last_error;
   std::optional<handshake_message> last_handshake;
   // Spring (protocols 8–12)
   uint16_t protocol_version = 0; ///< negotiated: the lower of ours and the peer's (0 before its handshake)
   uint32_t earliest_block = 0;   ///< its advertised earliest block (proto ≥ 8), 0 = not advertised
   uint64_t blocks_received = 0;       ///< signed_block messages from it
   uint64_t transactions_received = 0; ///< packed_transaction messages from it
   uint64_t votes_received = 0;
   uint64_t votes_relayed = 0;    ///< votes sent to it (ours and relayed)
   uint64_t votes_rejected = 0;   ///< unknown block, unknown key or bad signature
   uint64_t nacks_received = 0, nacks_sent = 0, notices_received = 0, notices_sent = 0;
   uint32_t consecutive_nacks = 0;
   bool block_notices = false;    ///< it gets block_notice instead of blocks (over the nack threshold)
};

struct peer_counters {
   uint64_t failed_connections = 0; ///< outbound dials that failed
   uint64_t dropped_transactions = 0;
   uint64_t relayed_blocks = 0;
   uint64_t relayed_transactions = 0;
   uint64_t received_blocks = 0;
   uint64_t received_transactions = 0;
   uint64_t gated_messages = 0;     ///< not sent: newer than the connection's protocol
   uint64_t received_votes = 0;
   uint64_t relayed_votes = 0;      ///< vote frames sent (the node's own and relayed)
   uint64_t duplicate_votes = 0;
   uint64_t rejected_votes = 0;     ///< unknown block, unknown key or bad signature
   uint64_t nacks_sent = 0, nacks_received = 0, notices_sent = 0, notices_received = 0;
   uint64_t block_bytes_saved = 0;  ///< block bytes not sent because a notice went instead
   /// gossip_bp_peers messages received, sent, and received malformed (the sender closed).
   uint64_t bp_gossip_received = 0, bp_gossip_sent = 0, bp_gossip_rejected = 0;
   /// Entries in the gossip_bp_peers messages read (initial ones included), those of them
   /// dropped by the checks (a producer with no key, a key not the producer's, expired, or in
   /// a malformed message), those that were new or re-signed (learnt), and entries sent.
   uint64_t bp_gossip_entries_received = 0, bp_gossip_entries_dropped = 0, bp_gossip_entries_learnt = 0,
            bp_gossip_entries_sent = 0;
   uint64_t trx_notices_received = 0, trx_notices_sent = 0; ///< transaction_notice (protocol 12)
};

/// The payload length of a packed_transaction message, its index included (Spring's
/// message_length, which decides a transaction_notice); engine_trx_notice.cpp.
std::size_t transaction_message_bytes(const packed_transaction& t);

class engine {
public:
   /// Blocks received while catching up whose signature recovery may run ahead of the one
   /// being applied: the catch-up pipeline holds at most this many.
   static constexpr std::size_t sync_pipeline_depth = 128;
   /// Leap's max_trx_in_progress_size: received transactions awaiting evaluation, in bytes;
   /// more are dropped.
   static constexpr std::size_t max_pending_trx_bytes = 100u << 20;
   /// Unlinkable blocks whose senders are remembered (Leap's unlinkable cache size).
   static constexpr std::size_t unlinkable_memory = 30;
   /// Sync blocks queued on one connection before waiting for its socket to drain.
   static constexpr std::size_t serve_queue_bytes = 4u << 20;
   /// How often the sync manager's response deadline is checked.
   static constexpr std::chrono::milliseconds sync_tick{250};
   /// Leap's expire timer: transaction and block state indexes are swept this often.
   static constexpr std::chrono::seconds expire_period{3};
   /// While a rate-capped or queue-bound range is being served, it is pumped this often.
   static constexpr std::chrono::milliseconds serve_tick{2};
   /// While the catch-up pipeline waits for recovered signatures, it is checked this often.
   static constexpr std::chrono::milliseconds drain_tick{1};
   /// Spring's consecutive_block_nacks_threshold: a peer that sent more consecutive nacks than
   /// this gets block_notice messages instead of blocks.
   static constexpr uint32_t nack_notice_threshold = 2;
   /// Spring resets every peer's nack count when a connection that sent a block within this
   /// long of the last block received closes.
   static constexpr std::chrono::seconds nack_reset_window{3};
   /// Spring main's def_trx_notice_min_size: a received transaction message at least this long
   /// (bytes after the length prefix) is announced with transaction_notice (protocol 12).
   static constexpr std::size_t trx_notice_min_bytes = 4096;
   /// Spring main's def_max_trx_entries_per_conn_size: transaction entries (dispatch_manager's
   /// accounting) one connection may add within a dedup period before it is closed.
   static constexpr std::size_t max_trx_entry_bytes_per_connection = 100u << 20;

   engine(engine_chain& chain, const transport_view& transport, engine_config cfg, node_log& log);
   ~engine();
   engine(const engine&) = delete;
   engine& operator=(const engine&) = delete;

   // ---- events from the shell ----
   /// Dials the configured peers and starts the periodic work (heartbeat, sync deadline,
   /// expiry, connection monitor).
   void start(net_time now);
   /// Closes every connection (a plain close, as nodeos does on shutdown); dials nothing more.
   void stop();
   void on_connected(uint32_t cid, const connection_info& info, net_time now);
   void on_message(uint32_t cid, net_message&& m, net_time now);
   /// The connection closed (for `why`, recorded by its single close path); called once.
   void on_closed(uint32_t cid, const disconnect_reason& why, net_time now);
   /// The dial_address with id `dial` failed; `resolving`: the name did not resolve.
   void on_dial_failed(const std::string& address, uint64_t dial, const std::string& why, bool resolving,
                       net_time now);
   /// Runs the work due at `now` (see next_tick).
   void on_tick(net_time now);
   /// The chain validated the header of block `id` (received or produced): relay it now,
   /// before full application (§9).
   void on_block_validated(const std::shared_ptr<const signed_block>& b, const block_id_type& id, net_time now);

   // ---- operator requests ----
   /// Adds an outbound peer and dials it; "already connected" when it is configured.
   result<std::string> connect(const std::string& address);
   /// Removes an outbound peer (no reconnect) and closes its connection.
   result<std::string> disconnect(const std::string& address);
   /// p2p-auto-bp-peer: connects to the configured producers within two positions of ours in
   /// `schedule` and drops the automatic connections to those no longer there (Leap 5's
   /// auto_bp_peering). Called when the schedule changes.
   void update_auto_bp_peers(const producer_authority_schedule& schedule);
   /// A transaction from the local operator: validated by the chain and relayed to every peer.
   trx_outcome push_transaction(std::shared_ptr<const packed_transaction> trx, net_time now);
   /// The node's own vote: sent to every current block-carrying peer whose protocol allows
   /// votes (message_gate.hpp), unless we are syncing from a peer (Spring's bcast_vote_message).
   void broadcast_vote(const vote_message& v, net_time now);
   /// The BP peers learnt through gossip (Spring's /v1/net/bp_gossip_peers), by producer.
   std::vector<bp_gossip_peer_view> bp_gossip_peers() const { return bp_gossip_.view(); }
   bool bp_gossip_enabled() const { return !cfg_.bp_gossip_endpoints.empty(); }

   // ---- output ----
   /// The actions queued since the last call, in order.
   std::vector<engine_action> take_actions();
   bool has_actions() const { return !actions_.empty(); }
   /// When on_tick next has work (now or earlier: as soon as possible); nullopt before start()
   /// and after stop().
   std::optional<net_time> next_tick() const;

   // ---- state ----
   std::vector<peer_status> peers() const;
   const sync_manager& sync() const { return sync_; }
   const dispatch_manager& dispatch() const { return dispatch_; }
   const peer_identity& identity() const { return cfg_.identity; }
   const peer_counters& counters() const { return counters_; }
   std::size_t connection_count() const;        ///< connections with a valid handshake
   std::size_t inbound_count() const;           ///< accepted connections still open
   std::size_t open_count() const;              ///< connections the engine has not closed
   std::size_t tracked_count() const { return peers_.size(); } ///< connections not yet reported closed
   std::size_t sync_pipeline_size() const { return sync_blocks_.size(); }
   std::size_t pending_trx_bytes() const { return pending_trx_bytes_; }
   std::size_t outbound_count() const { return outbound_.entries().size(); }
   /// The outbound peers with a dial in progress (what peers() reports as connecting with no
   /// connection id), without building the whole status.
   std::vector<std::string> dialling() const;
   std::string p2p_address() const { return handshake_p2p_address(cfg_.identity, connection_kind::both); }

private:
   struct peer;

   // engine.cpp: connections, dialling, timers, actions
   peer* find(uint32_t cid);
   const peer* find(uint32_t cid) const;
   void dial(outbound_peers::entry& o);
   /// The single send path: drops what the connection may not carry (message_gate.hpp) and
   /// anything to a connection being closed.
   /// False when nothing was queued.
   bool send(peer& p, frame_ptr frame, uint32_t which, bool sync_priority = false);
   template <class T>
   bool send(peer& p, const T& msg) {
      return send(p, std::make_shared<const std::vector<uint8_t>>(encode_frame(msg)), message_index_v<T>);
   }
   /// The connection's protocol: the lower of ours and the peer's (0 before its handshake).
   uint16_t protocol_of(const peer& p) const;
   void close(peer& p, disconnect_reason why);
   void send_handshake(peer& p, net_time now);
   void send_ping(peer& p, net_time now);
   handshake_chain_info chain_info() const;
   sync_peer sync_snapshot(const peer& p) const;
   /// Performs the sync manager's actions.
   void run(sync_actions& actions, net_time now);
   std::string prefix(const peer& p) const;
   /// The address is a configured p2p-auto-bp-peer (host:port, any suffix ignored).
   bool is_bp_address(std::string_view address) const;
   void heartbeat(net_time now);
   /// The peer has block `id` (it sent it or was sent it): its live head and LIB follow.
   void note_peer_has_block(peer& p, const block_id_type& id, uint32_t num);

   // engine_messages.cpp: one handler per net_message alternative, and serving
   void handle(peer& p, handshake_message&& m, net_time now);
   void handle(peer& p, chain_size_message&& m, net_time now);
   void handle(peer& p, go_away_message&& m, net_time now);
   void handle(peer& p, time_message&& m, net_time now);
   void handle(peer& p, notice_message&& m, net_time now);
   void handle(peer& p, request_message&& m, net_time now);
   void handle(peer& p, sync_request_message&& m, net_time now);
   void handle(peer& p, signed_block&& m, net_time now);
   void handle(peer& p, packed_transaction&& m, net_time now);
   void handle(peer& p, vote_message&& m, net_time now);
   void handle(peer& p, block_nack_message&& m, net_time now);
   void handle(peer& p, block_notice_message&& m, net_time now);
   void handle(peer& p, gossip_bp_peers_message&& m, net_time now);
   void handle(peer& p, transaction_notice_message&& m, net_time now);
   handshake_context handshake_context_for(const peer& p, const handshake_message& m) const;
   void serve_range(peer& p, const serve_plan& plan, net_time now);
   void pump_serving(net_time now);

   // engine_blocks.cpp: blocks and transactions
   /// Offers a received block to the chain and feeds the outcome to the sync manager
   /// (`receipt_reported`: its receipt already counted as sync progress).
   void apply_received(uint32_t cid, const std::shared_ptr<const signed_block>& blk, const block_id_type& id,
                       uint32_t num, bool receipt_reported, net_time now);
   /// Applies queued catch-up blocks whose signatures are recovered (all beyond the depth).
   void drain_sync_blocks(net_time now);
   void remember_unlinkable(const block_id_type& id);
   void process_pending_transactions(net_time now);
   std::vector<dispatch_peer> dispatch_peers() const;
   void relay_transaction(const std::shared_ptr<const packed_transaction>& trx, net_time now);
   /// Sends vote `v` to the peers Spring's bcast_vote_msg picks, all but `exclude` (0: none).
   void relay_vote(const vote_message& v, uint32_t exclude);

   // engine_nack.cpp: block_nack / block_notice (protocol 10)
   /// Spring's send_block_nack: tells `p` we already have block `id` (a null id resets its count).
   void send_block_nack(peer& p, const block_id_type& id);
   /// Every current peer's nack count is reset (a recent block source closed).
   void send_block_nack_resets();
   /// The relay of block `b` to `p` goes as a block_notice (it nacked enough blocks).
   bool wants_block_notice(const peer& p, const signed_block& b) const;
   /// request{normal, [req_id, peer_head_id]} (protocol 10): the branch from req_id.
   void serve_nack_request(peer& p, const block_id_type& req_id, const block_id_type& peer_head_id, net_time now);

   // engine_trx_notice.cpp: transaction_notice (protocol 12)
   /// Spring main's bcast_transaction_notify: tells every current transaction peer at protocol
   /// 12 or above that we have transaction `trx` (received, `wire_bytes` long) so it does not
   /// send it to us.
   void send_transaction_notices(const packed_transaction& trx, std::size_t wire_bytes);

   // engine_bp_gossip.cpp: gossip_bp_peers (protocol 11)
   /// Spring's send_gossip_bp_peers_initial_message: after a peer's first handshake.
   void send_bp_gossip_initial(peer& p);
   /// Spring's send_gossip_bp_peers_message_to_bp_peers: every entry to the BP-gossip peers,
   /// our initial message to the configured BP peers and those still validating.
   void send_bp_gossip_to_bp_peers();
   /// Counts one gossip_bp_peers message of `entries` entries sent to `p`.
   void count_bp_gossip_sent(peer& p, std::size_t entries);
   /// The expire timer's part: drops expired entries, signs our own (when the keys changed or
   /// they expire soon), connects to the producers learnt.
   void bp_gossip_tick(net_time now);
   /// Signs our entries again; true when the initial message is there.
   bool sign_bp_gossip();
   /// Spring's connect_to_active_bp_peers (and on_active_schedule's drops): an outbound peer for
   /// each learnt endpoint of a producer in the active or pending schedule, none for the others.
   void connect_bp_gossip_peers();
   std::vector<public_key> producer_keys(name producer) const;

   engine_chain& chain_;
   const transport_view& transport_;
   engine_config cfg_;
   node_log& log_;
   sync_manager sync_;
   dispatch_manager dispatch_;
   outbound_peers outbound_;
   peer_counters counters_;
   std::vector<engine_action> actions_;
   std::map<uint32_t, std::unique_ptr<peer>> peers_;
   bool started_ = false;
   bool stopping_ = false;

   struct pending_trx {
      std::shared_ptr<const packed_transaction> trx;
      uint32_t cid = 0;
      std::size_t bytes = 0;
   };
   std::vector<pending_trx> pending_trxs_; ///< received, not yet evaluated (one batch)
   std::size_t pending_trx_bytes_ = 0;
   struct sync_block {
      std::shared_ptr<const signed_block> block;
      block_id_type id;
      uint32_t num = 0;
      uint32_t cid = 0;
   };
   /// Blocks received while catching up, in arrival order, their signatures being recovered.
   std::deque<sync_block> sync_blocks_;
   /// Ids of the last unlinkable blocks received, oldest first.
   std::deque<block_id_type> unlinkable_ids_;

   // When each periodic job is next due; the optional ones only while they have work.
   net_time heartbeat_due_{0}, sync_due_{0}, expire_due_{0}, monitor_due_{0};
   std::optional<net_time> serve_due_, drain_due_, trx_due_;
   /// When the last block arrived from any peer (Spring's last_block_received_time).
   std::optional<net_time> last_block_received_at_;

   bp_gossip_index bp_gossip_;
   /// Our signed initial gossip_bp_peers (unset: not signed yet, Spring's !bp_gossip_initialized).
   std::optional<gossip_bp_peers_message> bp_gossip_initial_;
   /// The producer keys our entries were last signed against.
   std::vector<public_key> bp_gossip_keys_;
};

} // namespace core
