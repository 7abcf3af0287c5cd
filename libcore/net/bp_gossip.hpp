#pragma once
/// BP gossip (protocol 11, PROTOCOL.md §16; Spring 1.2 net_plugin auto_bp_peering.hpp and
/// gossip_bps_index.hpp): the signed peer endpoints of block producers a node has learnt, the
/// checks a received gossip_bp_peers_message must pass, and the node's own p2p-bp-gossip-endpoint
/// entries. Pure: the producers' keys, the head block time and the signer are arguments.
///
/// Where we differ from Spring: Spring checks an entry's signature against the producer's
/// peer key registered on chain with the system contract's `regpeerkey` (read through the
/// read-only action `getpeerkeys`). p2pnode runs no contracts, so it checks it against the
/// producer's block-signing keys in the active and pending producer schedules (Savanna: the
/// active and pending proposer policies). A producer that signs its gossip with its block
/// signing key is accepted by both.
#include "net/messages.hpp"
#include "types/name.hpp"
#include "types/producer_schedule.hpp"
#include "types/time_types.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace core {

/// Spring's max_bp_gossip_peers_per_producer: endpoints kept (and configurable) per producer.
inline constexpr std::size_t max_bp_gossip_peers_per_producer = 8;
/// Spring's bp_gossip_peer_expiration: an entry is signed to expire this long after the head
/// block time, in block slots (1 hour).
inline constexpr uint32_t bp_gossip_expiration_slots = 3600 * 2;
/// Spring's my_bp_gossip_peer_expiration: the node re-signs its own entries when they would
/// expire within this long (30 minutes).
inline constexpr uint32_t bp_gossip_resign_slots = 1800 * 2;
/// Spring's bp_gossip_peer_expiration_variance: an entry expiring later than this after the
/// head block time is dropped (1 hour 15 minutes).
inline constexpr uint32_t bp_gossip_max_expiration_slots = bp_gossip_expiration_slots + 900 * 2;

/// One p2p-bp-gossip-endpoint value: `bp_account,inbound_endpoint,outbound_ip_address`.
struct bp_gossip_endpoint {
   name account;
   std::string server_endpoint;     ///< host:port others dial
   std::string outbound_ip_address; ///< the IP this node dials from (for their firewalls)
   bool operator==(const bp_gossip_endpoint&) const = default;
};

/// Parses one p2p-bp-gossip-endpoint value with Spring's checks (set_bp_producer_peers).
result<bp_gossip_endpoint> parse_bp_gossip_endpoint(std::string_view text);
/// Checks a whole list: no account twice with the same outbound IP, at most
/// max_bp_gossip_peers_per_producer per account. Returns the first error.
std::optional<std::string> check_bp_gossip_endpoints(const std::vector<bp_gossip_endpoint>& endpoints);

/// The block-signing keys of a producer in the schedules the node checks against (empty: not
/// a producer there).
using producer_key_lookup = std::function<std::vector<public_key>(name)>;
/// Signs a digest with the private key of `key`; nullopt when the node does not hold it.
using digest_signer = std::function<std::optional<signature>(const public_key& key, const checksum256& digest)>;

/// The producers' block-signing keys of the active schedule and the pending one (if any),
/// as a producer_key_lookup reads them.
std::vector<public_key> producer_keys_in(name producer, const producer_authority_schedule& active,
                                         const producer_authority_schedule* pending);

/// A gossip_bp_peers_message is the initial one (Spring's first_msg): one entry with no
/// bp_peer_info, signed by the sender's producer to prove who it is.
bool is_initial_bp_gossip(const gossip_bp_peers_message& m);

/// What a received gossip_bp_peers_message is worth.
enum class bp_gossip_verdict : uint8_t {
   valid, ///< entries that failed the key or expiry check were removed (not fatal)
   bad,   ///< malformed: the sender is closed with go_away fatal_other (Spring)
};

/// One learnt entry as p2pctl bp-gossip-peers (Spring's /v1/net/bp_gossip_peers) shows it.
struct bp_gossip_peer_view {
   name producer_name;
   std::string server_endpoint;
   std::string outbound_ip_address;
   block_timestamp expiration;
};

class bp_gossip_index {
public:
   /// Spring's by_producer key: producer, server endpoint, outbound IP.
   using key = std::tuple<name, std::string, std::string>;

   /// Spring's validate_gossip_bp_peers_message. Bad: no entries; an entry with no producer, an
   /// undecodable bp_peer_info or an endpoint that is not host:port; entries not sorted by
   /// producer; more than max_bp_gossip_peers_per_producer + 1 in a row for one producer
   /// (Spring counts from 0); the same endpoint twice in a row; a WebAuthn signature, or a
   /// scheduled producer's signature that recovers no key. Removed (not fatal): an entry of a
   /// producer with no key (checked before any recovery, so entries of unknown producers cost
   /// nothing), whose key is not the producer's, or that is expired at `head_time` or expires more than
   /// bp_gossip_max_expiration_slots after it. An entry whose signature is already here was
   /// checked before and stays.
   bp_gossip_verdict validate(gossip_bp_peers_message& m, const checksum256& chain_id, block_timestamp head_time,
                              const producer_key_lookup& keys) const;
   /// Spring's update_gossip_bps (m validated, not the initial message): new entries are added
   /// (the one that expires first goes when a producer already has the maximum), entries
   /// re-signed with a later or equal expiration replace ours. Returns how many entries were
   /// added or replaced (0: nothing changed).
   std::size_t update(const gossip_bp_peers_message& m);
   /// Adds or replaces one entry (`p.info` set).
   void put(signed_bp_peer p);
   /// Spring's expire_gossip_bp_peers: drops the entries expired at `head_time`; true when an
   /// entry of one of `own` expires within bp_gossip_resign_slots (time to re-sign).
   bool expire(block_timestamp head_time, const std::set<name>& own);

   /// Server endpoints of the entries of `accounts`.
   std::set<std::string> endpoints_of(const std::set<name>& accounts) const;
   bool has_producer(name producer) const;
   /// Every entry, in Spring's by_producer order: the full message sent to BP-gossip peers.
   gossip_bp_peers_message message() const;
   std::vector<bp_gossip_peer_view> view() const;
   std::size_t size() const { return entries_.size(); }

private:
   std::map<key, signed_bp_peer> entries_;
   std::set<signature> sigs_; ///< Spring's by_sig index
};

/// The node's own signed entries for its p2p-bp-gossip-endpoint values (Spring's
/// update_bp_producer_peers), expiring bp_gossip_expiration_slots after `head_time`, and its
/// initial message (one entry with empty bp_peer_info). The key of each account is the first of
/// its block-signing keys the signer holds. Accounts with no such key are skipped (logged by the
/// caller); `initial` is unset when none could be signed.
struct own_bp_gossip {
   std::vector<signed_bp_peer> entries;
   std::optional<gossip_bp_peers_message> initial;
   std::set<name> unsigned_accounts; ///< no key in the schedules, or none the node holds
};
own_bp_gossip sign_own_bp_gossip(const std::vector<bp_gossip_endpoint>& endpoints, const checksum256& chain_id,
                                 block_timestamp head_time, const producer_key_lookup& keys,
                                 const digest_signer& signer);

} // namespace core
