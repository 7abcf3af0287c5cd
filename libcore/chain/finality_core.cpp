#include "chain/finality_core.hpp"

#include "codec/codec.hpp"
#include "crypto/sha256.hpp"
#include "types/merkle.hpp"

#include <fmt/format.h>

namespace core {

finality_core finality_core::genesis(const block_id_type& id, block_timestamp timestamp) {
   const uint32_t num = block_num_from_id(id);
   finality_core c;
   c.links.push_back({num, num, false});
   c.genesis_timestamp = timestamp;
   return c;
}

block_timestamp finality_core::last_final_block_timestamp() const {
   return is_genesis_core() ? genesis_timestamp : get_block_reference(last_final_block_num()).timestamp;
}

block_timestamp finality_core::latest_qc_block_timestamp() const {
   return is_genesis_core() ? genesis_timestamp : get_block_reference(links.back().target_block_num).timestamp;
}

bool finality_core::extends(const block_id_type& id) const {
   const uint32_t num = block_num_from_id(id);
   return num >= last_final_block_num() && num < current_block_num() && get_block_reference(num).block_id == id;
}

bool finality_core::is_genesis_block_num(uint32_t num) const {
   return links.front().source_block_num == links.front().target_block_num && links.front().source_block_num == num;
}

const block_ref& finality_core::get_block_reference(uint32_t num) const { return refs[num - last_final_block_num()]; }

const qc_link& finality_core::get_qc_link_from(uint32_t num) const { return links[num - links.front().source_block_num]; }

checksum256 finality_core::reversible_blocks_mroot() const {
   if (refs.size() <= 1)
      return {};
   std::vector<checksum256> leaves;
   leaves.reserve(refs.size() - 1);
   byte_writer w;
   for (std::size_t i = 1; i < refs.size(); ++i) {
      w.clear();
      w.write_int(refs[i].block_num());
      refs[i].timestamp.pack(w);
      refs[i].finality_digest.pack(w);
      refs[i - 1].timestamp.pack(w);
      leaves.push_back(sha256(w.bytes()));
   }
   return savanna_merkle(leaves);
}

finality_core::metadata finality_core::next_metadata(const qc_claim& claim) const {
   // Weak claims change nothing; a strong claim on C makes final the block C claims (2-chain).
   if (!claim.is_strong_qc)
      return {last_final_block_num(), claim.block_num};
   return {get_qc_link_from(claim.block_num).target_block_num, claim.block_num};
}

result<finality_core> finality_core::next(const block_ref& current_block, const qc_claim& claim) const {
   const uint32_t current = current_block_num();
   if (current_block.block_num() != current)
      return unexpected{fmt::format("finality core: block {} is not the core's block {}", current_block.block_num(), current)};
   if (!refs.empty() && !(refs.back().timestamp < current_block.timestamp))
      return unexpected{fmt::format("finality core: block {} timestamp does not follow block {}", current,
                                    refs.back().block_num())};
   if (claim.block_num > current)
      return unexpected{fmt::format("QC claim on block {} is beyond the previous block {}", claim.block_num, current)};
   if (claim < latest_qc_claim())
      return unexpected{fmt::format("QC claim ({}, {}) is weaker than the previous block's ({}, {})", claim.block_num,
                                    claim.is_strong_qc ? "strong" : "weak", latest_qc_claim().block_num,
                                    latest_qc_claim().is_strong_qc ? "strong" : "weak")};

   uint32_t new_last_final = last_final_block_num();
   uint32_t new_links_front = links.front().source_block_num;
   if (claim.is_strong_qc) {
      const auto& link = get_qc_link_from(claim.block_num);
      new_last_final = link.target_block_num;
      new_links_front = link.source_block_num;
   }

   finality_core out;
   out.links.assign(links.begin() + (new_links_front - links.front().source_block_num), links.end());
   out.links.push_back({current + 1, claim.block_num, claim.is_strong_qc});
   out.refs.reserve(refs.size() + 1);
   out.refs.assign(refs.begin() + (new_last_final - last_final_block_num()), refs.end());
   out.refs.push_back(current_block);
   return out;
}

void finality_core::pack_for_digest(byte_writer& w) const {
   pack_to(w, links);
   w.write_varuint32(static_cast<uint32_t>(refs.size()));
   for (const auto& r : refs) {
      r.block_id.pack(w);
      r.timestamp.pack(w);
      r.finality_digest.pack(w);
   }
   genesis_timestamp.pack(w);
}

} // namespace core
