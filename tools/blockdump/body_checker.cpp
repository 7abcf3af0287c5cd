#include "body_checker.hpp"

#include <cstring>

namespace blockdump {

body_checker::body_checker(const core::checksum256& chain_id, const core::chain_config& config, uint32_t known_from)
   : known_from_(known_from), ctx_(history_.context(chain_id, config)) {
   if (known_from_ > 0)
      ctx_.tapos_block = [this](uint32_t num) -> std::optional<core::block_id_type> {
         if (num >= known_from_)
            return history_.id_for_num(num);
         auto it = assumed_.find(num);
         return it == assumed_.end() ? std::nullopt : std::optional(it->second);
      };
}

void body_checker::assume_unknown_references(const core::signed_block& b) {
   // Resolves ref_block_num as check_transaction does (the latest block <= head with those low bits).
   const uint32_t head = b.block_num() - 1;
   for (const auto& receipt : b.transactions) {
      const auto* pt = std::get_if<core::packed_transaction>(&receipt.trx);
      if (!pt || !pt->unpacked())
         continue;
      const auto& trx = pt->get_transaction();
      const uint32_t back = uint16_t(head - trx.ref_block_num);
      if (back >= head || head - back >= known_from_)
         continue;
      const uint32_t num = head - back;
      core::block_id_type id{};
      id.data[0] = uint8_t(num >> 24);
      id.data[1] = uint8_t(num >> 16);
      id.data[2] = uint8_t(num >> 8);
      id.data[3] = uint8_t(num);
      std::memcpy(id.data.data() + 8, &trx.ref_block_prefix, 4); // little-endian, as ref_block_prefix() reads it
      assumed_.try_emplace(num, id);
   }
}

std::string body_checker::check_and_record(const core::signed_block& b, const core::block_id_type& id) {
   if (known_from_ > 0)
      assume_unknown_references(b);
   history_.expire(b.timestamp);
   auto r = core::validate_block_body(b, ctx_, pool_);
   if (!r)
      return r.error().to_string();
   history_.record_transactions(*r);
   history_.record_block(b.block_num(), id);
   return {};
}

} // namespace blockdump
