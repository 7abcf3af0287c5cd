#pragma once
/// The net_plugin messages (protocol.hpp of Leap 5 and Spring) and the net_message variant.
/// Wire indices are explicit (message_index_v) and checked against the variant order at
/// compile time (PROTOCOL.md §2, §3).
#include "codec/json_archive.hpp"
#include "codec/wire_types.hpp"
#include "crypto/checksum.hpp"
#include "crypto/public_key.hpp"
#include "crypto/signature.hpp"
#include "types/block.hpp"
#include "types/bls_wire.hpp"
#include "types/vote_message.hpp"
#include "types/name.hpp"
#include "types/transaction.hpp"

#include <cereal/cereal.hpp>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace core {

struct handshake_message {
   uint16_t network_version = 0;
   checksum256 chain_id;
   checksum256 node_id;
   public_key key;
   int64_t time = 0; ///< nanoseconds since the Unix epoch
   checksum256 token; ///< sha256 of the 8-byte little-endian time, or zero when unsigned
   signature sig;
   std::string p2p_address;
   uint32_t last_irreversible_block_num = 0;
   block_id_type last_irreversible_block_id;
   uint32_t head_num = 0;
   block_id_type head_id;
   std::string os;
   std::string agent;
   int16_t generation = 0;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(network_version), CEREAL_NVP(chain_id), CEREAL_NVP(node_id), CEREAL_NVP(key), CEREAL_NVP(time),
         CEREAL_NVP(token), CEREAL_NVP(sig), CEREAL_NVP(p2p_address), CEREAL_NVP(last_irreversible_block_num),
         CEREAL_NVP(last_irreversible_block_id), CEREAL_NVP(head_num), CEREAL_NVP(head_id), CEREAL_NVP(os),
         CEREAL_NVP(agent), CEREAL_NVP(generation));
   }
   bool operator==(const handshake_message&) const = default;
};

struct chain_size_message {
   uint32_t last_irreversible_block_num = 0;
   block_id_type last_irreversible_block_id;
   uint32_t head_num = 0;
   block_id_type head_id;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(last_irreversible_block_num), CEREAL_NVP(last_irreversible_block_id), CEREAL_NVP(head_num),
         CEREAL_NVP(head_id));
   }
   bool operator==(const chain_size_message&) const = default;
};

/// go_away reasons: an unreflected C++ enum, so 4 bytes on the wire.
enum class go_away_reason : uint32_t {
   no_reason = 0,
   self = 1,
   duplicate = 2,
   wrong_chain = 3,
   wrong_version = 4,
   forked = 5,
   unlinkable = 6,
   bad_transaction = 7,
   validation = 8,
   benign_other = 9,
   fatal_other = 10,
   authentication = 11,
};
std::string_view enum_name(go_away_reason r);
/// nodeos's reason_str text ("self connect", "chain is forked", ...).
std::string_view reason_str(go_away_reason r);

struct go_away_message {
   go_away_reason reason = go_away_reason::no_reason;
   checksum256 node_id;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(reason), CEREAL_NVP(node_id));
   }
   bool operator==(const go_away_message&) const = default;
};

/// NTP-like latency probe; all times in nanoseconds since the Unix epoch.
struct time_message {
   int64_t org = 0;
   int64_t rec = 0;
   int64_t xmt = 0;
   int64_t dst = 0;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(org), CEREAL_NVP(rec), CEREAL_NVP(xmt), CEREAL_NVP(dst));
   }
   bool operator==(const time_message&) const = default;
};

/// id_list_modes: unreflected enum, 4 bytes on the wire.
enum class id_list_mode : uint32_t { none = 0, catch_up = 1, last_irr_catch_up = 2, normal = 3 };
std::string_view enum_name(id_list_mode m);

struct select_ids {
   id_list_mode mode = id_list_mode::none;
   uint32_t pending = 0;
   std::vector<checksum256> ids;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(mode), CEREAL_NVP(pending), CEREAL_NVP(ids));
   }
   bool operator==(const select_ids&) const = default;
};

struct notice_message {
   select_ids known_trx;
   select_ids known_blocks;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(known_trx), CEREAL_NVP(known_blocks));
   }
   bool operator==(const notice_message&) const = default;
};

struct request_message {
   select_ids req_trx;
   select_ids req_blocks;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(req_trx), CEREAL_NVP(req_blocks));
   }
   bool operator==(const request_message&) const = default;
};

/// Inclusive block range; {0, 0} cancels.
struct sync_request_message {
   uint32_t start_block = 0;
   uint32_t end_block = 0;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(start_block), CEREAL_NVP(end_block));
   }
   bool operator==(const sync_request_message&) const = default;
};

// ---- Spring (decoded and encoded, never originated by the node) --------------------------------

// vote_message (index 9) is a chain type: types/vote_message.hpp.

struct block_nack_message {
   block_id_type id;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(id));
   }
   bool operator==(const block_nack_message&) const = default;
};

struct block_notice_message {
   block_id_type previous;
   block_id_type id;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(previous), CEREAL_NVP(id));
   }
   bool operator==(const block_notice_message&) const = default;
};

/// The contents of signed_bp_peer::bp_peer_info (later versions append fields).
struct bp_peer_info_v1 {
   std::string server_endpoint;     ///< where to connect to the producer's node
   std::string outbound_ip_address; ///< where its connections come from (for firewalls)
   block_timestamp expiration;      ///< head block time after which the entry is dropped
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(server_endpoint), CEREAL_NVP(outbound_ip_address), CEREAL_NVP(expiration));
   }
   bool operator==(const bp_peer_info_v1&) const = default;
};

/// One producer's peer address, signed by its block-signing key (Spring's
/// gossip_bp_peers_message::signed_bp_peer). bp_peer_info stays the bytes that were signed;
/// `info` is their bp_peer_info_v1 prefix, decoded on unpack (unset when it does not decode).
struct signed_bp_peer {
   varuint32 version;
   name producer_name;
   bytes bp_peer_info; ///< packed bp_peer_info_v1 (or a later version extending it)
   signature sig;
   std::optional<bp_peer_info_v1> info; ///< not on the wire
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(version), CEREAL_NVP(producer_name), CEREAL_NVP(bp_peer_info), CEREAL_NVP(sig));
   }
   bool operator==(const signed_bp_peer&) const = default;
   decode_errc finish_unpack(std::string& detail);
   /// What `sig` signs: sha256(pack(chain_id) ‖ pack(version, producer_name, bp_peer_info)).
   checksum256 digest(const checksum256& chain_id) const;
};
/// Adds the decoded "info" object after the wire fields.
void json_suffix_fields(json_output_archive& ar, const signed_bp_peer& p);

struct gossip_bp_peers_message {
   std::vector<signed_bp_peer> peers;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(peers));
   }
   bool operator==(const gossip_bp_peers_message&) const = default;
};

struct transaction_notice_message {
   transaction_id_type id;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(id));
   }
   bool operator==(const transaction_notice_message&) const = default;
};

// ---- the variant --------------------------------------------------------------------------------

using net_message = std::variant<handshake_message,         // 0
                                 chain_size_message,        // 1
                                 go_away_message,           // 2
                                 time_message,              // 3
                                 notice_message,            // 4
                                 request_message,           // 5
                                 sync_request_message,      // 6
                                 signed_block,              // 7
                                 packed_transaction,        // 8
                                 vote_message,              // 9
                                 block_nack_message,        // 10
                                 block_notice_message,      // 11
                                 gossip_bp_peers_message,   // 12
                                 transaction_notice_message // 13
                                 >;

/// The wire index of each message type, stated explicitly.
template <class T>
inline constexpr uint32_t message_index_v = [] {
   static_assert(sizeof(T) == 0, "not a net message");
   return 0u;
}();
template <> inline constexpr uint32_t message_index_v<handshake_message> = 0;
template <> inline constexpr uint32_t message_index_v<chain_size_message> = 1;
template <> inline constexpr uint32_t message_index_v<go_away_message> = 2;
template <> inline constexpr uint32_t message_index_v<time_message> = 3;
template <> inline constexpr uint32_t message_index_v<notice_message> = 4;
template <> inline constexpr uint32_t message_index_v<request_message> = 5;
template <> inline constexpr uint32_t message_index_v<sync_request_message> = 6;
template <> inline constexpr uint32_t message_index_v<signed_block> = 7;
template <> inline constexpr uint32_t message_index_v<packed_transaction> = 8;
template <> inline constexpr uint32_t message_index_v<vote_message> = 9;
template <> inline constexpr uint32_t message_index_v<block_nack_message> = 10;
template <> inline constexpr uint32_t message_index_v<block_notice_message> = 11;
template <> inline constexpr uint32_t message_index_v<gossip_bp_peers_message> = 12;
template <> inline constexpr uint32_t message_index_v<transaction_notice_message> = 13;

namespace detail {
template <std::size_t... I>
constexpr bool indices_match(std::index_sequence<I...>) {
   return ((message_index_v<std::variant_alternative_t<I, net_message>> == I) && ...);
}
} // namespace detail
static_assert(detail::indices_match(std::make_index_sequence<std::variant_size_v<net_message>>{}),
              "net_message alternative order must match the explicit wire indices");
inline constexpr uint32_t message_count = std::variant_size_v<net_message>;

/// "handshake_message", "signed_block", ... for a wire index; empty when unknown.
std::string_view message_type_name(uint32_t index);
/// Wire index for a type name (also accepts the short forms without "_message"); -1 when unknown.
int message_index_by_name(std::string_view name);

/// Protocol version numbers (network_version = 1205 + proto), PROTOCOL.md §6.
namespace proto {
inline constexpr uint16_t net_version_base = 1205;
inline constexpr uint16_t explicit_sync = 1;
inline constexpr uint16_t leap_initial = 7;
inline constexpr uint16_t block_range = 8;
inline constexpr uint16_t savanna = 9;
inline constexpr uint16_t block_nack = 10;
inline constexpr uint16_t gossip_bp_peers = 11;
inline constexpr uint16_t trx_notice = 12;
/// Default advertised network_version of the msgcraft tools (1212, Leap 5).
inline constexpr uint16_t default_network_version = net_version_base + leap_initial;
/// p2pnode's default: Spring 1.2's network_version (1216, proto 11).
inline constexpr uint16_t spring_network_version = net_version_base + gossip_bp_peers;
/// The network_version values p2pnode may advertise: Leap 5 (1212) to Spring main (1217).
inline constexpr uint16_t min_node_network_version = net_version_base + leap_initial;
inline constexpr uint16_t max_node_network_version = net_version_base + trx_notice;
} // namespace proto

} // namespace core
