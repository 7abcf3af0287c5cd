#pragma once
// Producers with K1 keys for the BP gossip tests: a schedule of proda, prodb, prodc, and signed
// gossip entries (by the producer's key, or by a stranger's).
#include "codec/codec.hpp"
#include "crypto/private_key.hpp"
#include "net/bp_gossip.hpp"
#include "types/producer_schedule.hpp"

#include <fmt/format.h>

#include <map>

namespace test {

struct gossip_keys {
   core::checksum256 chain_id;
   std::map<core::name, core::private_key> keys;
   core::private_key stranger = core::private_key::generate();

   gossip_keys() {
      chain_id.data.fill(0xc1);
      for (auto n : {core::name(core::name::string_to_value("proda")), core::name(core::name::string_to_value("prodb")),
                     core::name(core::name::string_to_value("prodc"))})
         keys[n] = core::private_key::generate();
   }
   core::producer_authority_schedule schedule(uint32_t version = 1) const {
      core::producer_authority_schedule s;
      s.version = version;
      for (const auto& [n, k] : keys)
         s.producers.push_back({n, core::block_signing_authority_v0{1, {{k.get_public_key(), 1}}}});
      return s;
   }
   core::producer_key_lookup lookup() const {
      auto s = schedule();
      return [s](core::name n) { return core::producer_keys_in(n, s, nullptr); };
   }
   core::digest_signer signer() const {
      return [this](const core::public_key& pk, const core::checksum256& d) -> std::optional<core::signature> {
         for (const auto& [n, k] : keys)
            if (k.get_public_key() == pk)
               return k.sign(d);
         return std::nullopt;
      };
   }
   core::signed_bp_peer entry(core::name producer, const std::string& endpoint, uint32_t expiration_slot,
                              bool wrong_key = false, const std::string& outbound_ip = "10.1.1.1") const {
      core::signed_bp_peer p;
      p.version = core::varuint32{1};
      p.producer_name = producer;
      p.info = core::bp_peer_info_v1{endpoint, outbound_ip, core::block_timestamp{expiration_slot}};
      core::byte_writer w;
      core::pack_to(w, *p.info);
      p.bp_peer_info.assign(w.bytes().begin(), w.bytes().end());
      auto it = keys.find(producer);
      const auto& k = wrong_key || it == keys.end() ? stranger : it->second;
      p.sig = k.sign(p.digest(chain_id));
      return p;
   }
   /// The initial message of `producer`: one entry with no bp_peer_info.
   core::gossip_bp_peers_message initial(core::name producer) const {
      core::signed_bp_peer p;
      p.version = core::varuint32{1};
      p.producer_name = producer;
      p.sig = keys.at(producer).sign(p.digest(chain_id));
      return core::gossip_bp_peers_message{{p}};
   }
};

} // namespace test
