#include "net/bp_gossip.hpp"

#include "codec/codec.hpp"
#include "crypto/recover.hpp"
#include "net/peer_identity.hpp"

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>

#include <algorithm>

namespace core {

namespace {

/// Spring's net_utils::max_p2p_address_length.
constexpr std::size_t max_p2p_address_length = 253 + 6 + 30;

std::string_view trim(std::string_view s) {
   while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
      s.remove_prefix(1);
   while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
      s.remove_suffix(1);
   return s;
}

/// host:port with no :trx / :blk type (Spring's valid_endpoint over split_host_port_type).
bool valid_endpoint(std::string_view address) {
   if (address.size() > max_p2p_address_length)
      return false;
   auto parts = split_peer_address(trim(address));
   return !parts.host.empty() && !parts.port.empty() && !parts.type.starts_with("trx") &&
          !parts.type.starts_with("blk");
}

const std::string& endpoint_of(const signed_bp_peer& p) { return p.info->server_endpoint; }

} // namespace

result<bp_gossip_endpoint> parse_bp_gossip_endpoint(std::string_view text) {
   const auto usage = "must be bp-account-name,inbound-server-endpoint,outbound-ip-address";
   auto c1 = text.find(',');
   if (c1 == std::string_view::npos)
      return unexpected{fmt::format("p2p-bp-gossip-endpoint \"{}\" {}", text, usage)};
   auto c2 = text.find(',', c1 + 1);
   if (c2 == std::string_view::npos)
      return unexpected{fmt::format("p2p-bp-gossip-endpoint \"{}\" {}: the second comma is missing", text, usage)};
   auto account = name::from_string(trim(text.substr(0, c1)));
   if (!account || account->empty())
      return unexpected{fmt::format("p2p-bp-gossip-endpoint \"{}\": invalid account", text)};
   bp_gossip_endpoint e;
   e.account = *account;
   e.server_endpoint = std::string(trim(text.substr(c1 + 1, c2 - c1 - 1)));
   auto parts = split_peer_address(e.server_endpoint);
   if (parts.host.empty() || parts.port.empty() || !parts.type.empty() ||
       e.server_endpoint.size() > max_p2p_address_length)
      return unexpected{fmt::format("p2p-bp-gossip-endpoint \"{}\": invalid inbound server endpoint \"{}\", syntax host:port",
                                    text, e.server_endpoint)};
   e.outbound_ip_address = std::string(trim(text.substr(c2 + 1)));
   if (e.outbound_ip_address.size() > max_p2p_address_length)
      return unexpected{fmt::format("p2p-bp-gossip-endpoint \"{}\": outbound-ip-address too long, must be less than {}",
                                    text, max_p2p_address_length)};
   boost::system::error_code ec;
   (void)boost::asio::ip::make_address(e.outbound_ip_address, ec);
   if (ec)
      return unexpected{fmt::format("p2p-bp-gossip-endpoint \"{}\": invalid outbound ip address \"{}\", syntax ip-address",
                                    text, e.outbound_ip_address)};
   return e;
}

std::optional<std::string> check_bp_gossip_endpoints(const std::vector<bp_gossip_endpoint>& endpoints) {
   std::map<name, std::size_t> per_account;
   for (std::size_t i = 0; i < endpoints.size(); ++i) {
      const auto& e = endpoints[i];
      for (std::size_t j = 0; j < i; ++j)
         if (endpoints[j].account == e.account && endpoints[j].outbound_ip_address == e.outbound_ip_address)
            return fmt::format("duplicate p2p-bp-gossip-endpoint for {}, outbound ip address {}", e.account.to_string(),
                               e.outbound_ip_address);
      if (++per_account[e.account] > max_bp_gossip_peers_per_producer)
         return fmt::format("too many p2p-bp-gossip-endpoint for {}, max {}", e.account.to_string(),
                            max_bp_gossip_peers_per_producer);
   }
   return std::nullopt;
}

std::vector<public_key> producer_keys_in(name producer, const producer_authority_schedule& active,
                                         const producer_authority_schedule* pending) {
   std::vector<public_key> keys;
   auto add = [&](const producer_authority_schedule& s) {
      for (const auto& p : s.producers) {
         if (p.producer_name != producer)
            continue;
         for (const auto& kw : std::get<block_signing_authority_v0>(p.authority).keys)
            if (std::find(keys.begin(), keys.end(), kw.key) == keys.end())
               keys.push_back(kw.key);
      }
   };
   add(active);
   if (pending)
      add(*pending);
   return keys;
}

bool is_initial_bp_gossip(const gossip_bp_peers_message& m) {
   return m.peers.size() == 1 && m.peers[0].bp_peer_info.empty();
}

bp_gossip_verdict bp_gossip_index::validate(gossip_bp_peers_message& m, const checksum256& chain_id,
                                            block_timestamp head_time, const producer_key_lookup& keys) const {
   if (m.peers.empty())
      return bp_gossip_verdict::bad;
   const bool initial = is_initial_bp_gossip(m);
   if (!initial) {
      const signed_bp_peer* prev = nullptr;
      std::size_t same_producer = 0;
      for (const auto& p : m.peers) {
         if (p.producer_name.empty() || !p.info || !valid_endpoint(endpoint_of(p)))
            return bp_gossip_verdict::bad;
         if (prev) {
            if (prev->producer_name == p.producer_name) {
               // Spring counts the entries after a producer's first: one more than the maximum passes.
               if (++same_producer > max_bp_gossip_peers_per_producer)
                  return bp_gossip_verdict::bad;
               if (endpoint_of(*prev) == endpoint_of(p))
                  return bp_gossip_verdict::bad;
            } else if (prev->producer_name > p.producer_name) {
               return bp_gossip_verdict::bad;
            } else {
               same_producer = 0;
            }
         }
         prev = &p;
      }
   }
   const block_timestamp latest{head_time.slot + bp_gossip_max_expiration_slots};
   bool invalid = false;
   std::erase_if(m.peers, [&](const signed_bp_peer& p) {
      if (invalid || sigs_.contains(p.sig))
         return false; // already checked when it was stored
      if (p.sig.type() == signature::sig_type::webauthn) {
         invalid = true;
         return false;
      }
      // The producer's keys are looked up before the signature is recovered (Spring recovers
      // first): a message of many entries of unknown producers then costs no recovery each,
      // and an unrecoverable signature of an unknown producer is dropped rather than fatal.
      const auto expected = keys(p.producer_name);
      if (expected.empty())
         return true; // not a producer (or no longer): dropped, not fatal
      auto key = recover_key(p.sig, p.digest(chain_id));
      if (!key) {
         invalid = true;
         return false;
      }
      if (std::find(expected.begin(), expected.end(), *key) == expected.end())
         return true; // not its key: dropped, not fatal
      if (initial)
         return false;
      return !(p.info->expiration > head_time && p.info->expiration < latest);
   });
   return invalid ? bp_gossip_verdict::bad : bp_gossip_verdict::valid;
}

void bp_gossip_index::put(signed_bp_peer p) {
   key k{p.producer_name, p.info->server_endpoint, p.info->outbound_ip_address};
   if (auto it = entries_.find(k); it != entries_.end()) {
      sigs_.erase(it->second.sig);
      sigs_.insert(p.sig);
      it->second = std::move(p);
      return;
   }
   sigs_.insert(p.sig);
   entries_.emplace(std::move(k), std::move(p));
}

std::size_t bp_gossip_index::update(const gossip_bp_peers_message& m) {
   std::size_t changed = 0;
   for (const auto& p : m.peers) {
      if (!p.info)
         continue;
      key k{p.producer_name, p.info->server_endpoint, p.info->outbound_ip_address};
      if (auto it = entries_.find(k); it != entries_.end()) {
         if (it->second.sig != p.sig && p.info->expiration >= it->second.info->expiration) {
            put(p);
            ++changed;
         }
         continue;
      }
      // A producer at the maximum loses the entry that expires first.
      auto lo = entries_.lower_bound(key{p.producer_name, {}, {}});
      auto oldest = entries_.end();
      std::size_t count = 0;
      for (auto it = lo; it != entries_.end() && std::get<0>(it->first) == p.producer_name; ++it, ++count)
         if (oldest == entries_.end() || it->second.info->expiration < oldest->second.info->expiration)
            oldest = it;
      if (count >= max_bp_gossip_peers_per_producer && oldest != entries_.end()) {
         sigs_.erase(oldest->second.sig);
         entries_.erase(oldest);
      }
      put(p);
      ++changed;
   }
   return changed;
}

bool bp_gossip_index::expire(block_timestamp head_time, const std::set<name>& own) {
   bool own_expiring = false;
   for (auto it = entries_.begin(); it != entries_.end();) {
      const auto exp = it->second.info->expiration;
      if (exp <= head_time) {
         sigs_.erase(it->second.sig);
         it = entries_.erase(it);
         continue;
      }
      if (exp.slot <= head_time.slot + bp_gossip_resign_slots && own.contains(it->second.producer_name))
         own_expiring = true;
      ++it;
   }
   return own_expiring;
}

std::set<std::string> bp_gossip_index::endpoints_of(const std::set<name>& accounts) const {
   std::set<std::string> out;
   for (const auto& [k, p] : entries_)
      if (accounts.contains(std::get<0>(k)))
         out.insert(std::get<1>(k));
   return out;
}

bool bp_gossip_index::has_producer(name producer) const {
   auto it = entries_.lower_bound(key{producer, {}, {}});
   return it != entries_.end() && std::get<0>(it->first) == producer;
}

gossip_bp_peers_message bp_gossip_index::message() const {
   gossip_bp_peers_message m;
   m.peers.reserve(entries_.size());
   for (const auto& [k, p] : entries_)
      m.peers.push_back(p);
   return m;
}

std::vector<bp_gossip_peer_view> bp_gossip_index::view() const {
   std::vector<bp_gossip_peer_view> out;
   for (const auto& [k, p] : entries_)
      out.push_back({p.producer_name, p.info->server_endpoint, p.info->outbound_ip_address, p.info->expiration});
   return out;
}

own_bp_gossip sign_own_bp_gossip(const std::vector<bp_gossip_endpoint>& endpoints, const checksum256& chain_id,
                                 block_timestamp head_time, const producer_key_lookup& keys,
                                 const digest_signer& signer) {
   own_bp_gossip out;
   const block_timestamp expiration{head_time.slot + bp_gossip_expiration_slots};
   std::map<name, std::optional<public_key>> signing_key;
   auto sign = [&](signed_bp_peer& p) -> bool {
      auto& k = signing_key[p.producer_name];
      const auto digest = p.digest(chain_id);
      if (k) {
         if (auto s = signer(*k, digest)) {
            p.sig = *s;
            return true;
         }
         return false;
      }
      for (const auto& candidate : keys(p.producer_name)) {
         if (auto s = signer(candidate, digest)) {
            k = candidate;
            p.sig = *s;
            return true;
         }
      }
      return false;
   };
   for (const auto& e : endpoints) {
      if (out.unsigned_accounts.contains(e.account))
         continue;
      if (!out.initial) {
         signed_bp_peer empty;
         empty.version = varuint32{1};
         empty.producer_name = e.account;
         if (!sign(empty)) {
            out.unsigned_accounts.insert(e.account);
            continue;
         }
         out.initial = gossip_bp_peers_message{{std::move(empty)}};
      }
      signed_bp_peer p;
      p.version = varuint32{1};
      p.producer_name = e.account;
      p.info = bp_peer_info_v1{e.server_endpoint, e.outbound_ip_address, expiration};
      byte_writer w;
      pack_to(w, *p.info);
      const auto& b = w.bytes();
      p.bp_peer_info.assign(b.begin(), b.end());
      if (!sign(p)) {
         out.unsigned_accounts.insert(e.account);
         continue;
      }
      out.entries.push_back(std::move(p));
   }
   return out;
}

} // namespace core
