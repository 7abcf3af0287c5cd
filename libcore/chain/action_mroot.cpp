#include "chain/action_mroot.hpp"

#include "codec/codec.hpp"
#include "crypto/sha256.hpp"
#include "types/merkle.hpp"

namespace core {

std::vector<checksum256> project_action_digests(const signed_block& b) {
   std::vector<checksum256> out;
   byte_writer w;
   for (const auto& receipt : b.transactions) {
      const auto* p = std::get_if<packed_transaction>(&receipt.trx);
      if (!p)
         continue;
      for (const auto& a : p->get_transaction().actions) {
         w.clear();
         pack_to(w, a);
         out.push_back(sha256(w.bytes()));
      }
   }
   return out;
}

checksum256 project_legacy_action_mroot(const signed_block& b) { return legacy_merkle(project_action_digests(b)); }

checksum256 project_savanna_action_mroot(const signed_block& b) { return savanna_merkle(project_action_digests(b)); }

} // namespace core
