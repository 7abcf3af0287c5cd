#include "chain/block_validation.hpp"

#include "codec/codec.hpp"

#include <fmt/format.h>

#include <cstring>
#include <unordered_set>

namespace core {

namespace {
struct id_hash {
   std::size_t operator()(const transaction_id_type& id) const {
      std::size_t h;
      std::memcpy(&h, id.data.data(), sizeof h);
      return h;
   }
};

unexpected<block_body_failure> failure(block_errc code, std::optional<std::size_t> index, std::string detail,
                                       trx_errc trx_code = trx_errc::ok) {
   return unexpected(block_body_failure{code, index, trx_code, std::move(detail)});
}

const transaction_id_type& receipt_id(const transaction_receipt& r) {
   if (const auto* id = std::get_if<transaction_id_type>(&r.trx))
      return *id;
   return std::get<packed_transaction>(r.trx).id();
}
} // namespace

std::string_view to_string(block_errc e) {
   switch (e) {
   case block_errc::ok: return "ok";
   case block_errc::block_too_large: return "block_too_large";
   case block_errc::transaction_mroot_mismatch: return "transaction_mroot_mismatch";
   case block_errc::duplicate_transaction: return "duplicate_transaction";
   case block_errc::receipt_mismatch: return "receipt_mismatch";
   case block_errc::bad_transaction: return "bad_transaction";
   }
   return "unknown";
}

std::string block_body_failure::to_string() const {
   std::string s;
   if (receipt_index)
      s = fmt::format("receipt {}: ", *receipt_index);
   s += core::to_string(code);
   if (code == block_errc::bad_transaction)
      s += fmt::format("/{}", core::to_string(trx_code));
   if (!detail.empty())
      s += ": " + detail;
   return s;
}

std::vector<recovery_request> block_signature_requests(const signed_block& b, const checksum256& chain_id) {
   std::vector<recovery_request> requests;
   for (const auto& receipt : b.transactions)
      if (const auto* pt = std::get_if<packed_transaction>(&receipt.trx))
         append_signature_requests(*pt, chain_id, requests);
   return requests;
}

result<std::vector<validated_transaction>, block_body_failure>
validate_block_body(const signed_block& b, const block_body_context& ctx, recovery_pool& pool) {
   return validate_block_body(b, ctx, pool.recover(block_signature_requests(b, ctx.chain_id)));
}

result<std::vector<validated_transaction>, block_body_failure>
validate_block_body(const signed_block& b, const block_body_context& ctx,
                    std::span<const result<public_key>> recovered) {
   const std::size_t packed_size = pack(b).size();
   if (packed_size > ctx.config.max_block_net_usage)
      return failure(block_errc::block_too_large, std::nullopt,
                     fmt::format("{} bytes, max_block_net_usage {}", packed_size, ctx.config.max_block_net_usage));

   // controller::apply_block: calculate_trx_merkle(...) == header transaction_mroot
   if (auto root = b.calculate_transaction_mroot(); root != b.transaction_mroot)
      return failure(block_errc::transaction_mroot_mismatch, std::nullopt,
                     fmt::format("computed {}, header {}", root.to_string(), b.transaction_mroot.to_string()));

   std::unordered_set<transaction_id_type, id_hash> seen;
   seen.reserve(b.transactions.size());
   for (std::size_t i = 0; i < b.transactions.size(); ++i)
      if (!seen.insert(receipt_id(b.transactions[i])).second)
         return failure(block_errc::duplicate_transaction, i,
                        fmt::format("transaction {} appears twice", receipt_id(b.transactions[i]).to_string()));

   // first[i] is receipt i's first recovered key (block_signature_requests' order).
   std::vector<std::size_t> first(b.transactions.size() + 1, 0);
   for (std::size_t i = 0; i < b.transactions.size(); ++i) {
      const auto* pt = std::get_if<packed_transaction>(&b.transactions[i].trx);
      first[i + 1] = first[i] + (pt ? pt->signatures.size() : 0);
   }
   if (first.back() != recovered.size())
      return failure(block_errc::bad_transaction, std::nullopt,
                     fmt::format("{} recovered keys given for {} signatures", recovered.size(), first.back()),
                     trx_errc::invalid_signature);

   trx_check_context tctx;
   tctx.chain_id = ctx.chain_id;
   tctx.pending_block_time = b.timestamp.to_time_point();
   tctx.config = ctx.config;
   tctx.head_block_num = b.block_num() - 1;
   tctx.tapos_block = ctx.tapos_block;
   tctx.is_duplicate = ctx.is_duplicate;

   std::vector<validated_transaction> accepted;
   for (std::size_t i = 0; i < b.transactions.size(); ++i) {
      const auto& receipt = b.transactions[i];
      const uint64_t billed_bytes = uint64_t(receipt.net_usage_words.value) * 8;
      const auto* pt = std::get_if<packed_transaction>(&receipt.trx);
      if (!pt) {
         tctx.block_net_used_bytes += billed_bytes;
         continue;
      }
      auto r = check_transaction(*pt, tctx, recovered.subspan(first[i], first[i + 1] - first[i]));
      if (!r.ok())
         return failure(block_errc::bad_transaction, i, std::move(r.detail), r.code);

      // controller::apply_block compares each replayed receipt header with the block's.
      const auto& trx = pt->get_transaction();
      const auto want_status = trx.delay_sec.value > 0 ? transaction_status::delayed : transaction_status::executed;
      if (receipt.status != want_status)
         return failure(block_errc::receipt_mismatch, i,
                        fmt::format("status {}, expected {}", enum_name(receipt.status), enum_name(want_status)));
      if (billed_bytes != r.net_usage_bytes)
         return failure(block_errc::receipt_mismatch, i,
                        fmt::format("net_usage_words {}, expected {}", receipt.net_usage_words.value,
                                    r.net_usage_bytes / 8));
      tctx.block_net_used_bytes += r.net_usage_bytes;
      accepted.push_back({pt->id(), trx.expiration});
   }
   return accepted;
}

} // namespace core
