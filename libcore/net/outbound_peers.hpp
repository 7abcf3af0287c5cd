#pragma once
/// The outbound half of the peer list (PROTOCOL.md §7 end; L5:net connection_monitor,
/// resolve_and_connect, auto_bp_peering): the peers this node dials — configured, added by the
/// operator or by p2p-auto-bp-peer — with each one's reconnect back-off and when it is due to be
/// dialled again. Pure: time is an argument and dialling is the caller's.
#include "net/go_away_policy.hpp"
#include "net/peer_identity.hpp"
#include "types/name.hpp"
#include "types/producer_schedule.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace core {

/// Delay before an outbound peer is dialled again after a close or a failed dial that allows
/// it (Leap 5's connection timer after _close).
inline constexpr std::chrono::milliseconds reconnect_delay{100};

class outbound_peers {
public:
   struct entry {
      std::string address; ///< as configured: host:port[:trx|:blk]
      peer_address_parts parts;
      reconnect_backoff backoff;
      go_away_reason no_retry = go_away_reason::no_reason;
      uint32_t connection_id = 0; ///< the open connection, 0 = none
      bool dialing = false;
      uint64_t dial = 0;  ///< the id of the last dial started (the one in progress when dialing)
      std::string last_error;
      bool auto_bp = false;              ///< added (and removed) by p2p-auto-bp-peer
      bool bp_gossip = false;            ///< added (and removed) by BP gossip (p2p-bp-gossip-endpoint)
      std::optional<net_time> retry_at;  ///< a reconnect is due then
   };

   explicit outbound_peers(std::chrono::seconds cleanup_period) : cleanup_period_(cleanup_period) {}

   entry* find(std::string_view address);
   /// Adds `address` (the caller checks it is new).
   entry& add(std::string address, bool auto_bp = false);
   /// Forgets `address`; returns its open connection id (0 = none), nullopt when unknown.
   std::optional<uint32_t> remove(std::string_view address);
   const std::vector<std::unique_ptr<entry>>& entries() const { return entries_; }

   /// Marks a dial started and gives it a new id (e.dial, never reused, even for an address
   /// removed and added again); false when `e` is already dialling or connected.
   bool start_dial(entry& e);
   /// Whether `dial` is the dial in progress for `e` (not one from before it was removed).
   static bool current_dial(const entry& e, uint64_t dial) { return e.dialing && e.dial == dial; }
   void on_connected(entry& e, uint32_t connection_id);
   /// A dial failed: counts as a close for the back-off; a reconnect is due after reconnect_delay.
   void on_dial_failed(entry& e, std::string why, net_time now);
   /// The connection of `e` closed with `no_retry`; a reconnect is due after reconnect_delay when
   /// the reason allows one (returns whether it does).
   bool on_closed(entry& e, std::string reason, go_away_reason no_retry, net_time now);

   /// Addresses whose reconnect delay has passed and whose back-off allows a dial now.
   std::vector<std::string> take_due(net_time now);
   /// The connection monitor's pass: idle entries whose back-off allows a dial now.
   std::vector<std::string> monitor(net_time now) const;
   /// Earliest retry_at, if any.
   std::optional<net_time> next_retry() const;

private:
   bool may_dial(const entry& e, net_time now) const;

   std::chrono::seconds cleanup_period_;
   std::vector<std::unique_ptr<entry>> entries_;
   uint64_t last_dial_ = 0;
};

/// p2p-auto-bp-peer: the addresses of the configured producers (`bp_addresses`, account →
/// host:port) within two schedule positions of one of `own` in `schedule`, own ones excluded.
std::set<std::string> auto_bp_neighbours(const producer_authority_schedule& schedule, const std::set<name>& own,
                                         const std::vector<std::pair<name, std::string>>& bp_addresses);

} // namespace core
