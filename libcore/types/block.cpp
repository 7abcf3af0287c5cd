#include "types/block.hpp"

#include "codec/codec.hpp"
#include "crypto/sha256.hpp"
#include "types/merkle.hpp"

#include <cstring>

namespace core {

uint32_t block_num_from_id(const block_id_type& id) {
   return uint32_t(id.data[0]) << 24 | uint32_t(id.data[1]) << 16 | uint32_t(id.data[2]) << 8 | uint32_t(id.data[3]);
}

block_id_type make_block_id(const checksum256& digest, uint32_t n) {
   block_id_type id = digest;
   id.data[0] = uint8_t(n >> 24);
   id.data[1] = uint8_t(n >> 16);
   id.data[2] = uint8_t(n >> 8);
   id.data[3] = uint8_t(n);
   return id;
}

uint32_t ref_block_prefix(const block_id_type& id) {
   uint32_t v;
   std::memcpy(&v, id.data.data() + 8, 4);
   return v;
}

checksum256 block_header::digest() const { return sha256(pack(*this)); }

std::string_view enum_name(transaction_status s) {
   switch (s) {
   case transaction_status::executed: return "executed";
   case transaction_status::soft_fail: return "soft_fail";
   case transaction_status::hard_fail: return "hard_fail";
   case transaction_status::delayed: return "delayed";
   case transaction_status::expired: return "expired";
   }
   return {};
}

checksum256 transaction_receipt::digest() const {
   byte_writer w;
   w.write_u8(static_cast<uint8_t>(status));
   w.write_int(cpu_usage_us);
   w.write_varuint32(net_usage_words.value);
   checksum256 x = std::holds_alternative<transaction_id_type>(trx) ? std::get<transaction_id_type>(trx)
                                                                    : std::get<packed_transaction>(trx).packed_digest();
   w.write(x.data.data(), x.data.size());
   return sha256(w.bytes());
}

checksum256 signed_block::calculate_transaction_mroot() const {
   std::vector<checksum256> leaves;
   leaves.reserve(transactions.size());
   for (const auto& r : transactions)
      leaves.push_back(r.digest());
   return is_proper_savanna() ? savanna_merkle(leaves) : legacy_merkle(std::move(leaves));
}

void json_prefix_fields(json_output_archive& ar, const signed_block& b) {
   auto id = b.calculate_id();
   ar.field("block_num", b.block_num());
   ar.field("id", id);
   ar.field("ref_block_prefix", ref_block_prefix(id));
}

namespace {
template <class Out, class F>
result<Out, decode_error> walk_extensions(const extensions_type& exts, F&& on_ext) {
   Out out;
   int last = -1;
   for (std::size_t i = 0; i < exts.size(); ++i) {
      const auto& [id, data] = exts[i];
      if (int(id) <= last) {
         decode_error e{decode_errc::bad_value, 0, fmt::format("extensions[{}]", i),
                        fmt::format("extension id {} not in strictly ascending order", id)};
         return unexpected{e};
      }
      last = id;
      std::span<const uint8_t> in(reinterpret_cast<const uint8_t*>(data.data()), data.size());
      if (auto err = on_ext(out, id, in); err.code != decode_errc::ok) {
         err.field = fmt::format("extensions[{}]{}{}", i, err.field.empty() ? "" : ".", err.field);
         return unexpected{err};
      }
   }
   return out;
}

template <class T>
decode_error decode_into(std::optional<T>& slot, std::span<const uint8_t> in) {
   auto r = unpack<T>(in);
   if (!r)
      return r.error();
   slot = std::move(*r);
   return {};
}
} // namespace

result<decoded_header_extensions, decode_error> decode_header_extensions(const extensions_type& exts) {
   return walk_extensions<decoded_header_extensions>(
      exts, [](decoded_header_extensions& out, uint16_t id, std::span<const uint8_t> in) -> decode_error {
         if (id == protocol_feature_activation::extension_id)
            return decode_into(out.feature_activation, in);
         if (id == producer_schedule_change_extension_id)
            return decode_into(out.new_producer_schedule, in);
         if (id == finality_extension::extension_id)
            return decode_into(out.finality, in);
         out.unknown.emplace_back(id, bytes(in.begin(), in.end()));
         return {};
      });
}

result<decoded_block_extensions, decode_error> decode_block_extensions(const extensions_type& exts) {
   return walk_extensions<decoded_block_extensions>(
      exts, [](decoded_block_extensions& out, uint16_t id, std::span<const uint8_t> in) -> decode_error {
         if (id == additional_block_signatures_extension::extension_id)
            return decode_into(out.additional_signatures, in);
         if (id == quorum_certificate_extension::extension_id)
            return decode_into(out.qc, in);
         out.unknown.emplace_back(id, bytes(in.begin(), in.end()));
         return {};
      });
}

checksum256 legacy_signing_digest(const checksum256& header_digest, const checksum256& blockroot_merkle_root,
                                  const checksum256& pending_schedule_hash) {
   uint8_t buf[64];
   std::memcpy(buf, header_digest.data.data(), 32);
   std::memcpy(buf + 32, blockroot_merkle_root.data.data(), 32);
   checksum256 header_bmroot = sha256(std::span<const uint8_t>(buf, 64));
   std::memcpy(buf, header_bmroot.data.data(), 32);
   std::memcpy(buf + 32, pending_schedule_hash.data.data(), 32);
   return sha256(std::span<const uint8_t>(buf, 64));
}

} // namespace core
