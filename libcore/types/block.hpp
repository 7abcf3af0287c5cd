#pragma once
/// Blocks (chain/block_header.hpp, block.hpp): block_header, signed_block_header, transaction
/// receipts and signed_block, with ids, digests and header/block extensions (PROTOCOL.md §3.7).
#include "codec/json_archive.hpp"
#include "codec/wire_types.hpp"
#include "crypto/checksum.hpp"
#include "crypto/signature.hpp"
#include "types/finality_extension.hpp"
#include "types/name.hpp"
#include "types/producer_schedule.hpp"
#include "types/time_types.hpp"
#include "types/transaction.hpp"

#include <cereal/cereal.hpp>

#include <optional>
#include <variant>
#include <vector>

namespace core {

using block_id_type = checksum256;

/// Block number encoded in the first 4 bytes of a block id (big-endian).
uint32_t block_num_from_id(const block_id_type& id);
/// Replaces the first 4 bytes of a digest with the big-endian block number.
block_id_type make_block_id(const checksum256& digest, uint32_t block_num);
/// ref_block_prefix of a block id: bytes 8..11 read as a little-endian u32.
uint32_t ref_block_prefix(const block_id_type& id);

struct block_header {
   block_timestamp timestamp;
   name producer;
   uint16_t confirmed = 1;
   block_id_type previous;
   checksum256 transaction_mroot;
   checksum256 action_mroot;
   uint32_t schedule_version = 0;
   std::optional<producer_schedule> new_producers;
   extensions_type header_extensions;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(timestamp), CEREAL_NVP(producer), CEREAL_NVP(confirmed), CEREAL_NVP(previous),
         CEREAL_NVP(transaction_mroot), CEREAL_NVP(action_mroot), CEREAL_NVP(schedule_version),
         CEREAL_NVP(new_producers), CEREAL_NVP(header_extensions));
   }
   bool operator==(const block_header&) const = default;

   /// sha256(pack(block_header)), the header digest.
   checksum256 digest() const;
   uint32_t block_num() const { return block_num_from_id(previous) + 1; }
   /// A proper Savanna block (schedule_version 0x80000000); transition blocks are not.
   bool is_proper_savanna() const { return schedule_version == proper_savanna_schedule_version; }
   /// digest() with its first 4 bytes replaced by the big-endian block number.
   block_id_type calculate_id() const { return make_block_id(digest(), block_num()); }
};

struct signed_block_header : block_header {
   signature producer_signature;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(cereal::base_class<block_header>(this), CEREAL_NVP(producer_signature));
   }
   bool operator==(const signed_block_header&) const = default;
};

enum class transaction_status : uint8_t { executed = 0, soft_fail = 1, hard_fail = 2, delayed = 3, expired = 4 };
std::string_view enum_name(transaction_status s);

struct transaction_receipt_header {
   transaction_status status = transaction_status::executed;
   uint32_t cpu_usage_us = 0;
   varuint32 net_usage_words;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(status), CEREAL_NVP(cpu_usage_us), CEREAL_NVP(net_usage_words));
   }
   bool operator==(const transaction_receipt_header&) const = default;
};

struct transaction_receipt : transaction_receipt_header {
   /// Index 0: the id of a deferred transaction; index 1: the transaction itself.
   std::variant<transaction_id_type, packed_transaction> trx;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(cereal::base_class<transaction_receipt_header>(this), CEREAL_NVP(trx));
   }
   bool operator==(const transaction_receipt&) const = default;

   /// sha256(status ‖ cpu_usage_us ‖ varuint net_usage_words ‖ trx id or packed_digest).
   checksum256 digest() const;
};

struct signed_block : signed_block_header {
   std::vector<transaction_receipt> transactions;
   extensions_type block_extensions;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(cereal::base_class<signed_block_header>(this), CEREAL_NVP(transactions), CEREAL_NVP(block_extensions));
   }
   bool operator==(const signed_block&) const = default;

   /// Merkle root of the receipt digests: Savanna's merkle for a proper Savanna block, the
   /// legacy one otherwise (controller calculate_trx_merkle).
   checksum256 calculate_transaction_mroot() const;
};

/// leap-util print-log's derived fields: block_num, id, ref_block_prefix (first).
void json_prefix_fields(json_output_archive& ar, const signed_block& b);

// ---- extensions ---------------------------------------------------------------------------------

/// Header extension 0.
struct protocol_feature_activation {
   static constexpr uint16_t extension_id = 0;
   std::vector<checksum256> protocol_features;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(protocol_features));
   }
   bool operator==(const protocol_feature_activation&) const = default;
};

/// Header extension 1 (producer_schedule_change_extension) is a producer_authority_schedule.
inline constexpr uint16_t producer_schedule_change_extension_id = 1;

/// Block extension 2.
struct additional_block_signatures_extension {
   static constexpr uint16_t extension_id = 2;
   std::vector<signature> signatures;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(signatures));
   }
   bool operator==(const additional_block_signatures_extension&) const = default;
};

/// The header extensions nodeos understands, decoded; others are kept as bytes.
struct decoded_header_extensions {
   std::optional<protocol_feature_activation> feature_activation;
   std::optional<producer_authority_schedule> new_producer_schedule;
   std::optional<finality_extension> finality; ///< extension 2 (Savanna)
   std::vector<std::pair<uint16_t, bytes>> unknown;
};

/// Decodes header extensions 0, 1 and 2. Fails (as nodeos does) on a decoding error, on ids
/// out of ascending order, or on a repeated id.
result<decoded_header_extensions, decode_error> decode_header_extensions(const extensions_type& exts);

struct decoded_block_extensions {
   std::optional<additional_block_signatures_extension> additional_signatures;
   std::optional<quorum_certificate_extension> qc; ///< extension 3 (Savanna)
   std::vector<std::pair<uint16_t, bytes>> unknown;
};
result<decoded_block_extensions, decode_error> decode_block_extensions(const extensions_type& exts);

/// Legacy DPoS producer-signature digest:
/// sha256(pack(pair(sha256(pack(pair(header_digest, blockroot_merkle_root))), pending_schedule_hash))).
checksum256 legacy_signing_digest(const checksum256& header_digest, const checksum256& blockroot_merkle_root,
                                  const checksum256& pending_schedule_hash);

} // namespace core
