#include "chain/transaction_checks.hpp"

#include "codec/codec.hpp"
#include "crypto/recover.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace core {

namespace {
/// config::fixed_net_overhead_of_packed_trx: bytes billed on top of packed_trx.
constexpr uint64_t fixed_net_overhead_of_packed_trx_bytes = 16;
/// config::transaction_id_net_usage: bytes billed to retire a delayed transaction.
constexpr uint64_t transaction_id_net_usage_bytes = 32;
constexpr uint64_t word_bytes = 8;

trx_check_result fail(trx_errc code, std::string detail) {
   trx_check_result r;
   r.code = code;
   r.detail = std::move(detail);
   return r;
}

std::string hex_prefix(const checksum256& d) { return d.to_string().substr(0, 16); }
} // namespace

std::string_view to_string(trx_errc e) {
   switch (e) {
   case trx_errc::ok: return "ok";
   case trx_errc::no_signatures: return "no_signatures";
   case trx_errc::invalid_signature: return "invalid_signature";
   case trx_errc::duplicate_signature_key: return "duplicate_signature_key";
   case trx_errc::bad_extension: return "bad_extension";
   case trx_errc::expired: return "expired";
   case trx_errc::expiration_too_far: return "expiration_too_far";
   case trx_errc::tapos_unknown_block: return "tapos_unknown_block";
   case trx_errc::tapos_mismatch: return "tapos_mismatch";
   case trx_errc::cfa_has_authorization: return "cfa_has_authorization";
   case trx_errc::no_authorization: return "no_authorization";
   case trx_errc::delay_too_long: return "delay_too_long";
   case trx_errc::net_usage_words_overflow: return "net_usage_words_overflow";
   case trx_errc::too_large: return "too_large";
   case trx_errc::block_net_exceeded: return "block_net_exceeded";
   case trx_errc::duplicate: return "duplicate";
   }
   return "unknown";
}

void append_signature_requests(const packed_transaction& t, const checksum256& chain_id,
                               std::vector<recovery_request>& out) {
   if (t.signatures.empty())
      return;
   const auto digest = t.sig_digest(chain_id);
   for (const auto& s : t.signatures)
      out.push_back({&s, digest});
}

uint64_t billable_net_usage_bytes(const packed_transaction& t, const chain_config& cfg) {
   const uint64_t unprunable = fixed_net_overhead_of_packed_trx_bytes + t.packed_trx.size();
   uint64_t prunable = pack(t.signatures).size() + t.packed_context_free_data.size();
   if (cfg.context_free_discount_net_usage_den > 0 &&
       cfg.context_free_discount_net_usage_num < cfg.context_free_discount_net_usage_den) {
      prunable *= cfg.context_free_discount_net_usage_num;
      prunable = (prunable + cfg.context_free_discount_net_usage_den - 1) / cfg.context_free_discount_net_usage_den;
   }
   uint64_t net = uint64_t(cfg.base_per_transaction_net_usage) + unprunable + prunable;
   if (t.get_transaction().delay_sec.value > 0)
      net += uint64_t(cfg.base_per_transaction_net_usage) + transaction_id_net_usage_bytes;
   return (net + word_bytes - 1) / word_bytes * word_bytes;
}

trx_check_result check_transaction(const packed_transaction& t, const trx_check_context& ctx,
                                   std::span<const result<public_key>> recovered) {
   const transaction& trx = t.get_transaction();

   // Keys (transaction_metadata::start_recover_keys -> transaction::get_signature_keys, run
   // before the transaction is pushed).
   if (t.signatures.empty())
      return fail(trx_errc::no_signatures, "transaction has no signatures");
   if (recovered.size() != t.signatures.size())
      return fail(trx_errc::invalid_signature, fmt::format("{} signatures but {} recovery results",
                                                           t.signatures.size(), recovered.size()));
   std::vector<public_key> keys;
   keys.reserve(recovered.size());
   for (std::size_t i = 0; i < recovered.size(); ++i) {
      if (!recovered[i])
         return fail(trx_errc::invalid_signature, fmt::format("signature {}: {}", i, recovered[i].error()));
      const auto& k = *recovered[i];
      if (std::find(keys.begin(), keys.end(), k) != keys.end())
         return fail(trx_errc::duplicate_signature_key,
                     fmt::format("signature {}: more than one signature by key {}", i, k.to_string()));
      keys.push_back(k);
   }

   // transaction_context::init_for_input_trx
   if (!trx.transaction_extensions.empty())
      return fail(trx_errc::bad_extension, fmt::format("no transaction extensions supported for input transactions "
                                                       "(first id {})",
                                                       trx.transaction_extensions.front().first));
   // transaction_header::validate
   if (trx.max_net_usage_words.value >= std::numeric_limits<uint32_t>::max() / word_bytes)
      return fail(trx_errc::net_usage_words_overflow,
                  fmt::format("max_net_usage_words {} overflows when expanded", trx.max_net_usage_words.value));

   // controller::validate_expiration
   const int64_t exp_us = int64_t(trx.expiration.secs) * 1'000'000;
   if (exp_us < ctx.pending_block_time.us)
      return fail(trx_errc::expired, fmt::format("expiration {} is before block time {}", trx.expiration.to_string(),
                                                 ctx.pending_block_time.to_string()));
   if (exp_us > ctx.pending_block_time.us + int64_t(ctx.config.max_transaction_lifetime) * 1'000'000)
      return fail(trx_errc::expiration_too_far,
                  fmt::format("expiration {} is more than {} s after block time {}", trx.expiration.to_string(),
                              ctx.config.max_transaction_lifetime, ctx.pending_block_time.to_string()));

   // controller::validate_tapos: block_summary slot ref_block_num holds the latest block <= head
   // with those low 16 bits; slots never written hold the zero id.
   {
      const uint32_t back = uint16_t(ctx.head_block_num - trx.ref_block_num);
      block_id_type ref_id{};
      if (back < ctx.head_block_num) {
         const uint32_t num = ctx.head_block_num - back;
         auto id = ctx.tapos_block ? ctx.tapos_block(num) : std::nullopt;
         if (!id)
            return fail(trx_errc::tapos_unknown_block,
                        fmt::format("ref_block_num {} resolves to block {}, which is not known", trx.ref_block_num, num));
         ref_id = *id;
      }
      const uint16_t want_num = uint16_t(block_num_from_id(ref_id));
      if (trx.ref_block_num != want_num || trx.ref_block_prefix != ref_block_prefix(ref_id))
         return fail(trx_errc::tapos_mismatch,
                     fmt::format("ref_block_num {} prefix {} does not match block {}", trx.ref_block_num,
                                 trx.ref_block_prefix, hex_prefix(ref_id)));
   }

   // transaction_context::validate_referenced_accounts (the parts that need no state)
   for (std::size_t i = 0; i < trx.context_free_actions.size(); ++i)
      if (!trx.context_free_actions[i].authorization.empty())
         return fail(trx_errc::cfa_has_authorization,
                     fmt::format("context-free action {} has {} authorizations", i,
                                 trx.context_free_actions[i].authorization.size()));
   const bool one_auth = std::any_of(trx.actions.begin(), trx.actions.end(),
                                     [](const action& a) { return !a.authorization.empty(); });
   if (!one_auth)
      return fail(trx_errc::no_authorization, "transaction must have at least one authorization");

   if (trx.delay_sec.value > ctx.config.max_transaction_delay)
      return fail(trx_errc::delay_too_long, fmt::format("delay_sec {} exceeds max_transaction_delay {}",
                                                        trx.delay_sec.value, ctx.config.max_transaction_delay));

   // transaction_context::init: net_limit = min(block remaining, max_transaction_net_usage,
   // max_net_usage_words * 8 when set), rounded down to words; account limits need state.
   const uint64_t net = billable_net_usage_bytes(t, ctx.config);
   {
      uint64_t limit = ctx.config.max_block_net_usage > ctx.block_net_used_bytes
                          ? ctx.config.max_block_net_usage - ctx.block_net_used_bytes
                          : 0;
      bool due_to_block = true;
      if (ctx.config.max_transaction_net_usage <= limit) {
         limit = ctx.config.max_transaction_net_usage;
         due_to_block = false;
      }
      const uint64_t trx_limit = uint64_t(trx.max_net_usage_words.value) * word_bytes;
      if (trx_limit > 0 && trx_limit <= limit) {
         limit = trx_limit;
         due_to_block = false;
      }
      limit = limit / word_bytes * word_bytes;
      if (net > limit)
         return fail(due_to_block ? trx_errc::block_net_exceeded : trx_errc::too_large,
                     fmt::format("net usage {} bytes exceeds the limit of {} bytes", net, limit));
   }

   // transaction_context::record_transaction
   if (ctx.is_duplicate && ctx.is_duplicate(t.id(), trx.expiration))
      return fail(trx_errc::duplicate, fmt::format("duplicate transaction {}", t.id().to_string()));

   trx_check_result r;
   r.keys = std::move(keys);
   r.net_usage_bytes = net;
   return r;
}

trx_check_result check_transaction(const packed_transaction& t, const trx_check_context& ctx) {
   std::vector<result<public_key>> rec;
   if (!t.signatures.empty()) {
      const auto digest = t.sig_digest(ctx.chain_id);
      for (const auto& s : t.signatures)
         rec.push_back(recover_key(s, digest));
   }
   return check_transaction(t, ctx, rec);
}

} // namespace core
