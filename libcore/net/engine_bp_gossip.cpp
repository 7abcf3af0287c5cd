// BP gossip (protocol 11, PROTOCOL.md §16) as Spring 1.2's net_plugin runs it
// (connection::handle_message(gossip_bp_peers_message), send_gossip_bp_peers_*,
// update_bp_producer_peers, connect_to_active_bp_peers, expire). Only a node with
// p2p-bp-gossip-endpoint takes part: it sends its signed initial message to each peer at
// protocol 11 or above after the handshake; a peer whose entries verify becomes a BP-gossip
// peer, answered with every entry we know; new entries go to every BP-gossip peer, and the
// node dials the endpoints of the producers in the schedule. Other nodes ignore the message.
#include "net/engine.hpp"

#include "net/engine_peer.hpp"

#include <fmt/format.h>

namespace core {

std::vector<public_key> engine::producer_keys(name producer) const {
   const auto s = chain_.producer_schedules();
   return producer_keys_in(producer, s.active, s.pending ? &*s.pending : nullptr);
}

void engine::send_bp_gossip_initial(peer& p) {
   if (!bp_gossip_enabled() || protocol_of(p) < proto::gossip_bp_peers)
      return;
   if (!bp_gossip_initial_) {
      log_.debug("net", "{}no initial gossip_bp_peers_message to send", prefix(p));
      return;
   }
   if (send(p, *bp_gossip_initial_))
      count_bp_gossip_sent(p, bp_gossip_initial_->peers.size());
}

void engine::count_bp_gossip_sent(peer& p, std::size_t entries) {
   ++p.bp_gossip_sent;
   ++counters_.bp_gossip_sent;
   counters_.bp_gossip_entries_sent += entries;
}

void engine::handle(peer& p, gossip_bp_peers_message&& m, net_time now) {
   if (!p.connected || !bp_gossip_enabled())
      return; // Spring: only a node with p2p-bp-gossip-endpoint reads it
   ++p.bp_gossip_received;
   ++counters_.bp_gossip_received;
   if (!bp_gossip_initial_) {
      // Our own entries are not signed yet (no key in the schedule): answer later.
      p.bp_gossip = peer::bp_gossip_state::validating;
      log_.debug("net", "{}gossip_bp_peers received before BP gossip is ready", prefix(p));
      return;
   }
   const bool initial = is_initial_bp_gossip(m);
   const auto entries = m.peers.size();
   counters_.bp_gossip_entries_received += entries;
   const auto schedules = chain_.producer_schedules();
   const auto keys = [&](name producer) {
      return producer_keys_in(producer, schedules.active, schedules.pending ? &*schedules.pending : nullptr);
   };
   const auto verdict = bp_gossip_.validate(m, cfg_.identity.chain_id, schedules.head_time, keys);
   counters_.bp_gossip_entries_dropped += verdict == bp_gossip_verdict::bad ? entries : entries - m.peers.size();
   if (verdict == bp_gossip_verdict::bad) {
      ++counters_.bp_gossip_rejected;
      p.no_retry = go_away_reason::fatal_other;
      p.last_error = "bad gossip_bp_peers_message";
      log_.warn("net", "{}bad gossip_bp_peers_message, closing", prefix(p));
      close(p, disconnect_reason::sent(go_away_reason::fatal_other, disconnect_op::protocol, p.last_error));
      return;
   }
   if (m.peers.empty())
      return; // none from a producer we know
   if (p.bp_gossip != peer::bp_gossip_state::gossip) {
      log_.info("net", "{}BP gossip peer ({})", prefix(p), m.peers.front().producer_name.to_string());
      p.bp_gossip = peer::bp_gossip_state::gossip;
   }
   if (initial) {
      // It proved to be a producer: it gets every entry we know.
      auto all = bp_gossip_.message();
      if (send(p, all))
         count_bp_gossip_sent(p, all.peers.size());
      return;
   }
   if (const auto learnt = bp_gossip_.update(m)) {
      counters_.bp_gossip_entries_learnt += learnt;
      connect_bp_gossip_peers();
      send_bp_gossip_to_bp_peers();
   }
   (void)now;
}

void engine::send_bp_gossip_to_bp_peers() {
   frame_ptr all;
   const auto entries = bp_gossip_.size();
   for (auto& [cid, p] : peers_) {
      if (!p->open || !p->connected || protocol_of(*p) < proto::gossip_bp_peers)
         continue;
      if (p->bp_gossip == peer::bp_gossip_state::gossip) {
         if (!all)
            all = std::make_shared<const std::vector<uint8_t>>(encode_frame(bp_gossip_.message()));
         if (send(*p, all, message_index_v<gossip_bp_peers_message>))
            count_bp_gossip_sent(*p, entries);
      } else if (p->bp_gossip == peer::bp_gossip_state::validating ||
                 is_bp_address(p->outbound ? p->address : p->last_recv ? p->last_recv->p2p_address : std::string())) {
         send_bp_gossip_initial(*p);
      }
   }
}

bool engine::sign_bp_gossip() {
   const auto schedules = chain_.producer_schedules();
   const auto keys = [&](name producer) {
      return producer_keys_in(producer, schedules.active, schedules.pending ? &*schedules.pending : nullptr);
   };
   const digest_signer no_signer = [](const public_key&, const checksum256&) { return std::optional<signature>{}; };
   auto own = sign_own_bp_gossip(cfg_.bp_gossip_endpoints, cfg_.identity.chain_id, schedules.head_time, keys,
                                 cfg_.signer ? cfg_.signer : no_signer);
   for (auto account : own.unsigned_accounts)
      log_.warn("net", "BP gossip: no key of {} in the producer schedule that a signature-provider holds",
                account.to_string());
   for (auto& e : own.entries)
      bp_gossip_.put(std::move(e));
   if (own.initial)
      bp_gossip_initial_ = std::move(own.initial);
   return bp_gossip_initial_.has_value();
}

void engine::bp_gossip_tick(net_time) {
   if (!bp_gossip_enabled())
      return;
   const auto schedules = chain_.producer_schedules();
   std::set<name> own;
   std::vector<public_key> own_keys;
   for (const auto& e : cfg_.bp_gossip_endpoints)
      if (own.insert(e.account).second)
         for (auto& k : producer_keys_in(e.account, schedules.active, schedules.pending ? &*schedules.pending : nullptr))
            own_keys.push_back(k);
   const bool expiring = bp_gossip_.expire(schedules.head_time, own);
   // Spring re-signs when its peer key changes on chain and when its entries expire soon.
   if (expiring || own_keys != bp_gossip_keys_ || !bp_gossip_initial_) {
      const bool was_ready = bp_gossip_initial_.has_value();
      bp_gossip_keys_ = own_keys;
      if (own_keys.empty() && !was_ready)
         return;
      const bool ready = sign_bp_gossip();
      if (ready && !was_ready) {
         // Peers that handshook before we could sign get our initial message now.
         for (auto& [cid, p] : peers_)
            if (p->open && p->connected && p->bp_gossip != peer::bp_gossip_state::gossip)
               send_bp_gossip_initial(*p);
      } else if (ready) {
         send_bp_gossip_to_bp_peers();
      }
   }
   connect_bp_gossip_peers();
}

void engine::connect_bp_gossip_peers() {
   if (!bp_gossip_enabled() || stopping_ || sync_.syncing_from_peer())
      return;
   const auto schedules = chain_.producer_schedules();
   std::set<name> producers;
   for (const auto& p : schedules.active.producers)
      producers.insert(p.producer_name);
   if (schedules.pending)
      for (const auto& p : schedules.pending->producers)
         producers.insert(p.producer_name);
   for (const auto& e : cfg_.bp_gossip_endpoints)
      producers.erase(e.account); // never ourselves
   auto wanted = bp_gossip_.endpoints_of(producers);
   for (const auto& e : cfg_.bp_gossip_endpoints)
      wanted.erase(e.server_endpoint);
   std::vector<std::string> drop;
   for (const auto& o : outbound_.entries())
      if (o->bp_gossip && !wanted.contains(o->address))
         drop.push_back(o->address);
   for (const auto& a : drop) {
      log_.info("net", "BP gossip peer {}: no longer a scheduled producer's, disconnecting", a);
      (void)disconnect(a);
   }
   for (const auto& a : wanted) {
      if (outbound_.find(a))
         continue;
      auto& o = outbound_.add(a);
      o.bp_gossip = true;
      log_.info("net", "BP gossip peer {}: a scheduled producer's, connecting", a);
      dial(o);
   }
}

} // namespace core
