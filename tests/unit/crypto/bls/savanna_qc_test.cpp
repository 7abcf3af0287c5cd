// Spring's own Savanna chain (shared/protocol/data/spring-deep-mind): every quorum certificate in
// its blocks verifies, and re-signing the certified finality digests with the finalizer's key
// (Spring's test key, KeyGen of sha256("finalizeraa")) gives Spring's signatures byte for byte.
#include "bls_test_util.hpp"

#include "codec/codec.hpp"
#include "crypto/bls/private_key.hpp"
#include "crypto/bls/verify.hpp"
#include "crypto/sha256.hpp"
#include "support/golden.hpp"
#include "types/block.hpp"

using namespace core::bls;

namespace {

constexpr uint16_t quorum_certificate_extension_id = 3;

struct accepted_block {
   uint32_t num = 0;
   std::vector<uint8_t> block, finality_data, finalizer_policy;
};

std::vector<accepted_block> accepted_blocks() {
   std::ifstream f(test::shared_path("protocol/data/spring-deep-mind/deep-mind.log"));
   REQUIRE(f.good());
   std::vector<accepted_block> out;
   for (std::string line; std::getline(f, line);) {
      std::istringstream s(line);
      std::vector<std::string> w;
      for (std::string x; s >> x;)
         w.push_back(x);
      // DMLOG ACCEPTED_BLOCK_V2 <id> <num> <lib> <block> <finality_data> <proposer_policy> <finalizer_policy>
      if (w.size() == 9 && w[1] == "ACCEPTED_BLOCK_V2")
         out.push_back({uint32_t(std::stoul(w[3])), bls_test::unhex(w[5]), bls_test::unhex(w[6]), bls_test::unhex(w[8])});
   }
   return out;
}

/// finalizer_policy_with_string_key: the keys, in policy order.
std::vector<public_key> policy_keys(const std::vector<uint8_t>& bytes) {
   core::byte_reader r(bytes);
   r.read_int<uint32_t>(); // generation
   r.read_int<uint64_t>(); // threshold
   std::vector<public_key> keys;
   for (uint32_t n = r.read_varuint32(); n > 0 && r.ok(); --n) {
      r.take(r.read_varuint32()); // description
      r.read_int<uint64_t>();     // weight
      const auto text = r.take(r.read_varuint32());
      auto k = public_key::parse(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
      REQUIRE(k);
      keys.push_back(*k);
   }
   REQUIRE(r.ok());
   return keys;
}

/// finality_data_t's latest_qc_claim_finality_digest: after three u32 and two digests, and the
/// claimed block number.
std::vector<uint8_t> claimed_finality_digest(const std::vector<uint8_t>& fd) {
   REQUIRE(fd.size() >= 12 + 64 + 4 + 32);
   return {fd.begin() + 80, fd.begin() + 112};
}

std::vector<bool> read_bitset(core::byte_reader& r) {
   const uint32_t bits = r.read_varuint32();
   const auto bytes = r.take((bits + 7) / 8);
   std::vector<bool> out(bits);
   for (uint32_t i = 0; i < bits && r.ok(); ++i)
      out[i] = (bytes[i / 8] >> (i % 8)) & 1;
   return out;
}

} // namespace

TEST_CASE("bls savanna: Spring's quorum certificates verify and re-sign byte for byte", "[crypto][bls]") {
   const private_key finalizer = *private_key::from_seed(core::sha256(std::string_view("finalizeraa")).data);
   int certificates = 0;
   for (const auto& b : accepted_blocks()) {
      INFO("block " << b.num);
      const auto keys = policy_keys(b.finalizer_policy);
      REQUIRE(keys.size() == 1);
      // KeyGen with Spring's quirks gives the key in Spring's finalizer policy.
      CHECK(keys[0] == finalizer.get_public_key());

      const auto block = core::unpack<core::signed_block>(b.block);
      REQUIRE(block);
      for (const auto& [id, payload] : block->block_extensions) {
         if (id != quorum_certificate_extension_id)
            continue;
         // qc_t{u32 block_num, qc_sig_t{optional<bitset> strong, optional<bitset> weak, sig}, optional<qc_sig_t>}
         core::byte_reader r(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(payload.data()), payload.size()));
         r.read_int<uint32_t>();
         std::vector<bool> strong, weak;
         if (r.read_bool())
            strong = read_bitset(r);
         if (r.read_bool())
            weak = read_bitset(r);
         signature sig;
         sig.unpack(r);
         REQUIRE(r.ok());
         REQUIRE_FALSE(r.read_bool()); // no pending policy in this chain
         REQUIRE(weak.empty());

         aggregate_public_key voters;
         for (std::size_t i = 0; i < strong.size(); ++i)
            if (strong[i])
               voters.add(keys.at(i));
         const auto digest = claimed_finality_digest(b.finality_data);
         CHECK(verify(voters, digest, sig));
         CHECK(finalizer.sign(digest) == sig);
         auto other = digest;
         other[0] ^= 1;
         CHECK_FALSE(verify(voters, other, sig));
         ++certificates;
      }
   }
   CHECK(certificates == 13);
}
