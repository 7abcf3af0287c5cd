#include "chain/vote.hpp"

namespace core {

std::optional<vote_message> finalizer_vote(const block_header_state& b, const bls::private_key& key,
                                           finalizer_safety_information& fsi) {
   if (!b.is_proper_savanna())
      return std::nullopt;
   const auto decision = decide_vote(fsi, b).decision;
   if (decision == vote_decision::no_vote)
      return std::nullopt;
   vote_message v;
   v.block_id = b.id;
   v.strong = decision == vote_decision::strong_vote;
   v.finalizer_key.data = key.get_public_key().bytes();
   const auto& digest = b.savanna->finality_digest;
   const auto signed_sig = v.strong ? key.sign(digest.data) : key.sign(make_weak_digest(digest));
   v.sig.data = signed_sig.bytes();
   return v;
}

} // namespace core
