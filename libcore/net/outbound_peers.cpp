#include "net/outbound_peers.hpp"

#include <algorithm>

namespace core {

outbound_peers::entry* outbound_peers::find(std::string_view address) {
   for (auto& e : entries_)
      if (e->address == address)
         return e.get();
   return nullptr;
}

outbound_peers::entry& outbound_peers::add(std::string address, bool auto_bp) {
   auto e = std::make_unique<entry>();
   e->parts = split_peer_address(address);
   e->address = std::move(address);
   e->auto_bp = auto_bp;
   entries_.push_back(std::move(e));
   return *entries_.back();
}

std::optional<uint32_t> outbound_peers::remove(std::string_view address) {
   auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e->address == address; });
   if (it == entries_.end())
      return std::nullopt;
   const uint32_t cid = (*it)->connection_id;
   entries_.erase(it);
   return cid;
}

bool outbound_peers::start_dial(entry& e) {
   if (e.dialing || e.connection_id != 0)
      return false;
   e.dialing = true;
   e.dial = ++last_dial_;
   return true;
}

void outbound_peers::on_connected(entry& e, uint32_t connection_id) {
   e.dialing = false;
   e.no_retry = go_away_reason::no_reason;
   e.connection_id = connection_id;
}

void outbound_peers::on_dial_failed(entry& e, std::string why, net_time now) {
   e.dialing = false;
   e.last_error = std::move(why);
   e.backoff.on_closed(now);
   e.retry_at = now + reconnect_delay;
}

bool outbound_peers::on_closed(entry& e, std::string reason, go_away_reason no_retry, net_time now) {
   e.connection_id = 0;
   e.last_error = std::move(reason);
   e.no_retry = no_retry;
   e.backoff.on_closed(now);
   if (!reconnect_allowed(no_retry))
      return false;
   e.retry_at = now + reconnect_delay;
   return true;
}

bool outbound_peers::may_dial(const entry& e, net_time now) const {
   return decide_reconnect(e.backoff, e.no_retry, now, cleanup_period_) == reconnect_decision::connect;
}

std::vector<std::string> outbound_peers::take_due(net_time now) {
   std::vector<std::string> due;
   for (auto& e : entries_) {
      if (!e->retry_at || *e->retry_at > now)
         continue;
      e->retry_at.reset();
      if (may_dial(*e, now))
         due.push_back(e->address);
   }
   return due;
}

std::vector<std::string> outbound_peers::monitor(net_time now) const {
   std::vector<std::string> due;
   for (const auto& e : entries_)
      if (e->connection_id == 0 && !e->dialing && may_dial(*e, now))
         due.push_back(e->address);
   return due;
}

std::optional<net_time> outbound_peers::next_retry() const {
   std::optional<net_time> next;
   for (const auto& e : entries_)
      if (e->retry_at && (!next || *e->retry_at < *next))
         next = e->retry_at;
   return next;
}

std::set<std::string> auto_bp_neighbours(const producer_authority_schedule& schedule, const std::set<name>& own,
                                         const std::vector<std::pair<name, std::string>>& bp_addresses) {
   std::set<name> neighbours;
   const auto n = schedule.producers.size();
   for (std::size_t i = 0; i < n; ++i) {
      if (!own.contains(schedule.producers[i].producer_name))
         continue;
      for (std::size_t d = 1; d <= 2 && d < n; ++d) {
         neighbours.insert(schedule.producers[(i + d) % n].producer_name);
         neighbours.insert(schedule.producers[(i + n - d) % n].producer_name);
      }
   }
   for (const auto& o : own)
      neighbours.erase(o);
   std::set<std::string> wanted;
   for (const auto& [account, address] : bp_addresses)
      if (neighbours.contains(account))
         wanted.insert(address);
   return wanted;
}

} // namespace core
