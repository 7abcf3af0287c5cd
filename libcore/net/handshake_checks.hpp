#pragma once
/// Validation of a received handshake (PROTOCOL.md §7; L5:net is_valid, handle_message(handshake),
/// authenticate_peer). Pure: everything the checks look at is passed in a plain context, and the
/// result is a verdict the connection acts on (send go_away, plain disconnect, resend handshake).
#include "crypto/public_key.hpp"
#include "net/messages.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace core {

/// Longest p2p_address / os / agent accepted (max_handshake_str_length).
inline constexpr std::size_t max_handshake_str_length = 384;

/// `network_version` → protocol number: v − 1205 for 1205 ≤ v ≤ 1205 + 106, else 0.
uint16_t to_protocol_version(uint16_t network_version);
inline constexpr uint16_t net_version_range = 106;

/// is_valid rules, in Leap's order. Any failure → go_away fatal_other.
enum class handshake_rule : uint8_t {
   lib_above_head,
   p2p_address_empty,
   p2p_address_too_long,
   os_empty,
   os_too_long,
   agent_too_long,
   token_mismatch, ///< sig or token non-zero but token ≠ sha256(time)
};
std::string_view to_string(handshake_rule r);

struct handshake_invalid {
   handshake_rule rule;
   std::string detail;
   static constexpr go_away_reason reason = go_away_reason::fatal_other;
};
/// The first rule `msg` breaks, or nullopt when it is well formed.
std::optional<handshake_invalid> is_valid(const handshake_message& msg);

/// allowed-connection bitmask (None 0, Producers 1, Specified 2, Any 4).
enum class allowed_connection : uint8_t { none = 0, producers = 1, specified = 2, any = 4 };
constexpr allowed_connection operator|(allowed_connection a, allowed_connection b) {
   return static_cast<allowed_connection>(static_cast<uint8_t>(a) | static_cast<uint8_t>(b));
}
constexpr bool has(allowed_connection set, allowed_connection bit) {
   return (static_cast<uint8_t>(set) & static_cast<uint8_t>(bit)) != 0;
}

struct auth_config {
   allowed_connection mode = allowed_connection::any;
   std::vector<public_key> peer_keys;   ///< peer-key
   std::set<public_key> own_keys;       ///< public halves of peer-private-key
   /// Producer keys known to the producer side (Leap: producer_plugin::is_producer_key); may be empty.
   std::function<bool(const public_key&)> is_producer_key;
};

enum class auth_failure : uint8_t {
   none_allowed,           ///< allowed-connection = none
   unauthorized_key,       ///< msg.key is not a peer-key, own key or producer key
   missing_signature,      ///< sig or token is zero while keys are required
   token_mismatch,         ///< token ≠ sha256(time)
   unrecoverable_signature,///< no canonical key recovers from (sig, token)
   key_mismatch,           ///< recovered key ≠ msg.key
};
std::string_view to_string(auth_failure f);

/// authenticate_peer: nullopt = accepted.
std::optional<auth_failure> authenticate_peer(const handshake_message& msg, const auth_config& cfg);

/// Another connection as the duplicate check sees it.
struct peer_connection_view {
   bool connected = false;           ///< socket open and state connected
   checksum256 node_id;              ///< its last received handshake's node_id
   int64_t last_handshake_sent_time = 0; ///< ns
   int64_t last_handshake_recv_time = 0; ///< ns
};

/// Inputs of the first-handshake checks for one connection.
struct handshake_context {
   checksum256 own_node_id;
   checksum256 chain_id;
   std::string listen_address;   ///< this connection's listen address (proto-5 tie-break)
   bool incoming = false;        ///< accepted by our listener (Leap 5 checks duplicates only then)
   uint16_t local_net_version = proto::leap_initial; ///< this connection's protocol number (1 after a downgrade)
   int64_t last_handshake_sent_time = 0; ///< ns; 0 if none sent yet on this connection
   int16_t sent_handshake_count = 0;
   checksum256 conn_node_id;     ///< stored peer node_id, echoed in a duplicate go_away
   bool connection_limit_exceeded = false; ///< max-clients with the auto-BP exemption, decided by the caller
   std::vector<peer_connection_view> others; ///< every other connection
   auth_config auth;
   uint32_t lib_num = 0;         ///< my LIB
   /// My block id at a number (nullopt = unknown, e.g. beyond head or below the log's start).
   std::function<std::optional<block_id_type>(uint32_t)> block_id_for_num;
};

/// What the connection does next.
enum class handshake_verdict : uint8_t {
   accept,                ///< keep going; hand to the sync manager
   accept_send_handshake, ///< as accept, and send our handshake (none sent yet)
   accept_downgrade,      ///< EOSIO 2.1 peer: net_version := 1, count := 0, send handshake
   go_away,               ///< send go_away(reason), store it as no_retry, close after the write
   disconnect,            ///< close without a go_away (connection limit)
};
std::string_view to_string(handshake_verdict v);

struct handshake_result {
   handshake_verdict verdict = handshake_verdict::accept;
   go_away_reason reason = go_away_reason::no_reason; ///< for go_away
   checksum256 go_away_node_id;  ///< go_away's node_id field (duplicate: ctx.conn_node_id)
   uint16_t peer_protocol = 0;   ///< to_protocol_version(msg.network_version), once the chain matched
   std::string detail;           ///< one line for the log / disconnect_reason
   bool closes() const { return verdict == handshake_verdict::go_away || verdict == handshake_verdict::disconnect; }
};

/// The duplicate rule of §7 3c for one other connection: true if `msg` duplicates it.
bool is_duplicate_of(const handshake_message& msg, const handshake_context& ctx, const peer_connection_view& other);

/// §7 step 3 (generation-1 handshake) in Leap's order: self, connection limit, duplicate
/// (incoming only), wrong chain, authentication, forked, 2.1 downgrade / send handshake.
/// `msg` is assumed to have passed is_valid.
handshake_result check_first_handshake(const handshake_message& msg, const handshake_context& ctx);

/// Steps 1 and 3: is_valid (fatal_other), then check_first_handshake when generation == 1.
handshake_result check_handshake(const handshake_message& msg, const handshake_context& ctx);

} // namespace core
