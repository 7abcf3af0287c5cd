#pragma once
/// This node's identity on the p2p network and the handshake it sends (PROTOCOL.md §3.1, §7,
/// L5:net populate_handshake / send_handshake). Pure: time and chain numbers are arguments.
#include "crypto/checksum.hpp"
#include "crypto/private_key.hpp"
#include "crypto/public_key.hpp"
#include "net/messages.hpp"
#include "net/net_time.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace core {

/// What a connection carries; advertised as a ":trx" / ":blk" suffix of p2p_address.
enum class connection_kind : uint8_t { both, transactions_only, blocks_only };
std::string_view to_string(connection_kind k);

/// Local node information, fixed at start-up.
struct peer_identity {
   checksum256 chain_id;
   checksum256 node_id;         ///< random per process (make_node_id)
   std::string server_address;  ///< p2p-server-address, or the listen endpoint with 0.0.0.0 → hostname
   std::string agent = "EOS Test Agent";
   std::string os = "linux";
   uint16_t network_version = proto::spring_network_version; ///< 1216 (proto 11)
   bool accept_transactions = true; ///< p2p-accept-transactions; false appends ":blk"
   /// peer-private-key pairs. fc orders keys the same way, so begin() is Leap's signing key.
   std::map<public_key, private_key> peer_private_keys;
};

/// 32 random bytes from the OS (nodeos: fc::rand_pseudo_bytes at start-up).
checksum256 make_node_id();

/// The "host:port" a listen endpoint advertises when no p2p-server-address is set:
/// the optional ":rate-cap" is dropped, "0.0.0.0" / "[::]" / "::" become `hostname`.
std::string server_address_from_listen_endpoint(std::string_view endpoint, std::string_view hostname);

/// `<server_address>[:trx|:blk] - <first 7 hex of node_id>` (":blk" also when not accepting
/// transactions, and both suffixes then, as Leap does).
std::string handshake_p2p_address(const peer_identity& local, connection_kind kind);

/// Leap's split_host_port_type: "host:port[:trx|:blk][ - xxxxxxx]" → parts; `[v6]` hosts allowed.
struct peer_address_parts {
   std::string host;
   std::string port;
   std::string type; ///< "trx", "blk", other or empty
};
peer_address_parts split_peer_address(std::string_view address);
/// Connection type an incoming peer's p2p_address asks for (unknown type → both).
connection_kind connection_kind_from_address(std::string_view address);

/// Chain numbers advertised in a handshake. head = the fork-database head (best block),
/// not the applied head (§3.1 field 11).
struct handshake_chain_info {
   uint32_t lib_num = 0;
   block_id_type lib_id;
   uint32_t head_num = 0;
   block_id_type head_id;
};

/// sha256 of the 8-byte little-endian time (the handshake token).
checksum256 handshake_token(int64_t time_ns);

/// The handshake exactly as populate_handshake fills it: network_version = 1205 + net_version
/// (`net_version` is the connection's protocol number, 7 normally, 1 after a 2.1 downgrade),
/// key = first peer-private-key (or the empty key), token = sha256(time), sig = that key's
/// signature of the token; when no signature can be made, token, key and sig stay zero.
handshake_message make_handshake(const peer_identity& local, const handshake_chain_info& chain,
                                 connection_kind kind, uint16_t net_version, int16_t generation,
                                 net_time now);

/// Minimum age of the last handshake before an identical one (same head id) is sent again.
inline constexpr std::chrono::milliseconds handshake_resend_delay{50};

/// populate_handshake's skip rule: the head id is unchanged and the last one is < 50 ms old.
bool should_skip_handshake(const handshake_message& last_sent, const block_id_type& head_id, net_time now);

/// The generation after `sent_count` handshakes (Leap send_handshake: at INT16_MAX the counter is
/// reset to 1 before the increment, so the sequence is 1, 2, …, 32767, 2, 3, …).
int16_t next_handshake_generation(int16_t sent_count);

/// Per-connection handshake sending state (last_handshake_sent, sent_handshake_count,
/// net_version). Reset on close.
struct handshake_sender {
   handshake_message last_sent; ///< time 0 until the first is sent
   int16_t sent_count = 0;
   uint16_t net_version = proto::leap_initial;

   handshake_sender() = default;
   explicit handshake_sender(uint16_t proto_version) : net_version(proto_version) {}

   /// The next handshake to send, or nullopt when the skip rule applies. Records it as sent.
   std::optional<handshake_message> next(const peer_identity& local, const handshake_chain_info& chain,
                                         connection_kind kind, net_time now);
   /// EOSIO 2.1 peer: advertise proto 1 from now on and restart the generation count.
   void downgrade_to_explicit_sync();
   /// State after a close: last_sent cleared, count 0. net_version is kept (Leap's _close keeps
   /// a downgrade for the next connection attempt).
   void reset();
};

} // namespace core
