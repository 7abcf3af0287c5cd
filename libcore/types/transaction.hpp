#pragma once
/// Transactions (chain/transaction.hpp, action.hpp): action, transaction and the wire form
/// packed_transaction, with their ids and digests (PROTOCOL.md §3.9, §3.10, §5).
#include "codec/json_archive.hpp"
#include "codec/lazy_value.hpp"
#include "codec/wire_types.hpp"
#include "crypto/checksum.hpp"
#include "crypto/signature.hpp"
#include "types/name.hpp"
#include "types/time_types.hpp"

#include <cereal/cereal.hpp>

#include <memory>
#include <string_view>
#include <vector>

namespace core {

using extensions_type = std::vector<std::pair<uint16_t, bytes>>;
using transaction_id_type = checksum256;

struct permission_level {
   name actor;
   name permission;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(actor), CEREAL_NVP(permission));
   }
   auto operator<=>(const permission_level&) const = default;
};
template <>
struct min_packed_size<permission_level> {
   static constexpr std::size_t value = 16;
};

struct action {
   core::name account;
   core::name name;
   std::vector<permission_level> authorization;
   bytes data;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(account), CEREAL_NVP(name), CEREAL_NVP(authorization), CEREAL_NVP(data));
   }
   bool operator==(const action&) const = default;
};
template <>
struct min_packed_size<action> {
   static constexpr std::size_t value = 18;
};

struct transaction_header {
   time_point_sec expiration;
   uint16_t ref_block_num = 0;
   uint32_t ref_block_prefix = 0;
   varuint32 max_net_usage_words;
   uint8_t max_cpu_usage_ms = 0;
   varuint32 delay_sec;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(expiration), CEREAL_NVP(ref_block_num), CEREAL_NVP(ref_block_prefix),
         CEREAL_NVP(max_net_usage_words), CEREAL_NVP(max_cpu_usage_ms), CEREAL_NVP(delay_sec));
   }
   bool operator==(const transaction_header&) const = default;
};

struct transaction : transaction_header {
   std::vector<action> context_free_actions;
   std::vector<action> actions;
   extensions_type transaction_extensions;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(cereal::base_class<transaction_header>(this), CEREAL_NVP(context_free_actions), CEREAL_NVP(actions),
         CEREAL_NVP(transaction_extensions));
   }
   bool operator==(const transaction&) const = default;

   /// sha256(pack(transaction)).
   transaction_id_type id() const;
};

/// sig_digest = sha256(chain_id ‖ packed transaction ‖ cfd_digest); cfd_digest is zero when
/// there is no context-free data.
checksum256 signing_digest(const checksum256& chain_id, std::span<const uint8_t> packed_trx,
                           const checksum256& cfd_digest);
/// sha256(pack(vector<bytes>)) of context-free data, or the zero digest when it is empty.
checksum256 context_free_data_digest(const std::vector<bytes>& cfd);

enum class compression_type : uint8_t { none = 0, zlib = 1 };
std::string_view enum_name(compression_type c);
inline bool enum_valid(compression_type c) { return c == compression_type::none || c == compression_type::zlib; }

/// zlib-compresses (best compression, as nodeos).
bytes zlib_compress(std::span<const uint8_t> in);
/// Inflates at most max_out bytes; errors: decompress_failed / decompressed_too_large.
decode_errc zlib_decompress(std::span<const uint8_t> in, std::size_t max_out, std::vector<uint8_t>& out);

/// packed_transaction on the wire (net message 8, and inside transaction receipts).
///
/// Decoding checks what nodeos checks on receipt: it inflates zlib parts and validates the
/// transaction and context-free data bytes (limits, trailing bytes) with a walk that stores
/// nothing, so every decode error is reported by the decode. The decoded transaction,
/// context-free data and id are materialised on first use (get_transaction(), id(), ...), once,
/// safely from several threads; copies share them.
///
/// The wire fields are the source of that lazily decoded state: after decoding or make(), change
/// them only by decoding again or calling finish_unpack() (otherwise derived state is unspecified,
/// and decoding a packed_trx that was changed to invalid bytes throws std::logic_error).
struct packed_transaction {
   std::vector<signature> signatures;
   compression_type compression = compression_type::none;
   bytes packed_context_free_data;
   bytes packed_trx;

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(signatures), CEREAL_NVP(compression), CEREAL_NVP(packed_context_free_data),
         CEREAL_NVP(packed_trx));
   }

   /// Builds the wire form from a transaction (compressing both parts when asked).
   static packed_transaction make(const transaction& trx, std::vector<signature> sigs,
                                  std::vector<bytes> context_free_data = {},
                                  compression_type c = compression_type::none);

   /// Inflates and validates packed_trx / packed_context_free_data. Called by the archives after
   /// the wire fields are read; returns decode_errc::ok or the failure with detail.
   decode_errc finish_unpack(std::string& detail);
   bool unpacked() const { return form_ != trx_form::unchecked; }
   /// Whether the transaction bytes are their own minimal re-encoding (no varuint32 spelled in
   /// more bytes than needed). Valid only when unpacked().
   bool canonical() const { return form_ == trx_form::canonical; }

   /// Valid only when unpacked(). Decoded on first use.
   const transaction& get_transaction() const { return contents().trx; }
   /// sha256(pack(get_transaction())), as nodeos: the hash of the transaction bytes, or of their
   /// re-encoding when they hold non-minimal varuint32s. Computed on first use (for canonical
   /// bytes without decoding the transaction).
   const transaction_id_type& id() const;
   const std::vector<bytes>& context_free_data() const { return contents().cfd; }
   /// The packed transaction bytes (decompressed when compression is zlib).
   std::span<const uint8_t> transaction_bytes() const;

   /// sha256(chain_id ‖ pack(get_transaction()) ‖ cfd digest).
   checksum256 sig_digest(const checksum256& chain_id) const;
   /// sha256(compression ‖ pack(packed_trx) ‖ sha256(pack(signatures) ‖ pack(packed_cfd))).
   checksum256 packed_digest() const;

   bool operator==(const packed_transaction& o) const {
      return signatures == o.signatures && compression == o.compression &&
             packed_context_free_data == o.packed_context_free_data && packed_trx == o.packed_trx;
   }

private:
   enum class trx_form : uint8_t { unchecked, canonical, noncanonical };
   /// The zlib parts, inflated at decode (only for compression zlib).
   struct inflated_parts {
      std::vector<uint8_t> trx;
      std::vector<uint8_t> cfd;
   };
   struct decoded {
      transaction trx;
      std::vector<bytes> cfd;
      transaction_id_type id;
      checksum256 cfd_digest;            ///< context_free_data_digest(cfd)
      std::vector<uint8_t> repacked_trx; ///< only when the transaction bytes are not canonical
   };
   const decoded& contents() const;
   std::span<const uint8_t> context_free_bytes() const;
   decoded decode_contents() const;

   trx_form form_ = trx_form::unchecked;
   std::shared_ptr<const inflated_parts> inflated_;
   lazy_value<decoded> contents_;
   lazy_value<transaction_id_type> id_; ///< canonical bytes only; otherwise contents_ has the id
};

/// Derived JSON fields as nodeos's abi_serializer prints them: id first, transaction last.
void json_prefix_fields(json_output_archive& ar, const packed_transaction& t);
void json_suffix_fields(json_output_archive& ar, const packed_transaction& t);

} // namespace core
