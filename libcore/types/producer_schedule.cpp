#include "types/producer_schedule.hpp"

#include "codec/codec.hpp"
#include "crypto/sha256.hpp"

namespace core {

producer_authority_schedule producer_authority_schedule::from_legacy(const producer_schedule& s) {
   producer_authority_schedule out;
   out.version = s.version;
   for (const auto& p : s.producers)
      out.producers.push_back({p.producer_name, block_signing_authority_v0{1, {{p.block_signing_key, 1}}}});
   return out;
}

checksum256 schedule_hash(const producer_schedule& s) { return sha256(pack(s)); }
checksum256 schedule_hash(const producer_authority_schedule& s) { return sha256(pack(s)); }

} // namespace core
