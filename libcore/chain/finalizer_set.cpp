#include "chain/finalizer_set.hpp"

#include "chain/vote.hpp"

#include <algorithm>

namespace core {

result<finalizer_set> finalizer_set::open(std::filesystem::path path, const std::vector<key_pair>& keys) {
   auto stored = read_safety_file(path);
   if (!stored)
      return unexpected{stored.error()};
   finalizer_set s(std::move(path));
   for (const auto& k : keys)
      s.finalizers_.insert_or_assign(k.pub, finalizer{k.priv, std::nullopt});
   for (auto& e : *stored) {
      if (auto it = s.finalizers_.find(e.key); it != s.finalizers_.end())
         it->second.fsi = e.fsi;
      else
         s.inactive_.push_back(std::move(e));
   }
   return s;
}

std::optional<finalizer_safety_information> finalizer_set::safety_info(const bls::public_key& k) const {
   auto it = finalizers_.find(k);
   if (it == finalizers_.end())
      return std::nullopt;
   return it->second.fsi;
}

std::vector<safety_file_entry> finalizer_set::entries() const {
   std::vector<safety_file_entry> out = inactive_;
   for (const auto& [pub, f] : finalizers_)
      if (f.fsi)
         out.push_back({pub, *f.fsi});
   return out;
}

result<std::vector<vote_message>> finalizer_set::vote(const block_header_state& b) {
   std::vector<vote_message> votes;
   if (finalizers_.empty() || !b.is_proper_savanna())
      return votes;
   const auto& sv = *b.savanna;
   auto named = [&](const bls::public_key& k) {
      auto in = [&](const finalizer_policy_ptr& p) {
         return p && std::ranges::any_of(p->finalizers, [&](const finalizer_authority& a) { return a.public_key == k; });
      };
      return in(sv.active_finalizer_policy) || (sv.pending_finalizer_policy && in(sv.pending_finalizer_policy->second));
   };
   for (auto& [pub, f] : finalizers_) {
      if (!named(pub))
         continue;
      if (!f.fsi) {
         const auto& core = sv.core;
         finalizer_safety_information start;
         if (core.last_final_block_num() < core.current_block_num())
            start.lock = core.get_block_reference(core.last_final_block_num());
         f.fsi = start;
      }
      if (auto v = finalizer_vote(b, f.key, *f.fsi))
         votes.push_back(std::move(*v));
   }
   if (votes.empty())
      return votes;
   if (auto w = write_safety_file(path_, entries()); !w)
      return unexpected{w.error()};
   return votes;
}

} // namespace core
