#pragma once
/// The wire shapes of the net messages (codec/schema.hpp) and of the string leaves inside them.
/// Include this header, not codec/schema.hpp, to describe a wire type: the leaf shapes below
/// must be visible wherever schema_of<T> is first instantiated.
#include "codec/schema.hpp"
#include "crypto/checksum.hpp"
#include "crypto/public_key.hpp"
#include "crypto/signature.hpp"
#include "types/bls_wire.hpp"
#include "types/name.hpp"
#include "types/time_types.hpp"
#include "types/transaction.hpp"

#include <cstdint>
#include <span>

namespace core {

template <std::size_t N>
struct schema_leaf<basic_checksum<N>> {
   static schema_node make() {
      schema_node n;
      n.kind = schema_kind::raw_bytes;
      n.type_name = N == 20 ? "checksum160" : N == 32 ? "checksum256" : "checksum512";
      n.size = N;
      n.display = schema_display::hex;
      return n;
   }
};

/// variant<K1 point(33), R1 point(33), WA{point(33), u8 user_presence, string rpid}> (PROTOCOL.md §4).
template <>
struct schema_leaf<public_key> {
   static schema_node make();
};

/// variant<K1 compact(65), R1 compact(65), WA{compact(65), bytes auth_data, string client_json}>.
template <>
struct schema_leaf<signature> {
   static schema_node make();
};

/// A BLS public key (96 bytes) or signature (192 bytes): varuint32 that must equal the size, then
/// the affine point in Spring's raw little-endian form (types/bls_wire.hpp).
template <std::size_t N>
struct schema_leaf<bls_bytes<N>> {
   static schema_node make() {
      schema_node n;
      n.kind = schema_kind::sized_bytes;
      n.type_name = N == 96 ? "bls_public_key" : "bls_signature";
      n.size = N;
      n.display = schema_display::hex;
      return n;
   }
};

/// u64, shown as the account name.
template <>
struct schema_leaf<name> {
   static schema_node make();
};

template <>
struct schema_leaf<time_point> {
   static schema_node make();
};

template <>
struct schema_leaf<time_point_sec> {
   static schema_node make();
};

template <>
struct schema_leaf<block_timestamp> {
   static schema_node make();
};

/// transaction_receipt::trx is variant<transaction_id_type, packed_transaction>.
template <>
struct schema_type_name<packed_transaction> {
   static constexpr std::string_view value = "packed_transaction";
};

/// The net_message variant: the frame payload is its varuint32 index then the message. The
/// alternatives are named after the messages ("handshake_message", ...).
const schema_node& net_message_schema();

/// The shape of message `index`; nullptr when no message has that index.
const schema_node* message_schema(uint32_t index);

} // namespace core
