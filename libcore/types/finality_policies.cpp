#include "types/finality_policies.hpp"

#include "codec/codec.hpp"
#include "crypto/sha256.hpp"
#include "types/finality_extension.hpp"

#include <cstring>
#include <limits>

namespace core {

uint64_t finalizer_policy::total_weight() const {
   uint64_t sum = 0;
   for (const auto& f : finalizers)
      sum = f.weight > std::numeric_limits<uint64_t>::max() - sum ? std::numeric_limits<uint64_t>::max() : sum + f.weight;
   return sum;
}

std::optional<std::string> finalizer_policy::check_proposal() const {
   if (finalizers.empty())
      return std::string("a finalizer policy needs at least one finalizer");
   if (finalizers.size() > max_finalizers)
      return fmt::format("{} finalizers exceed the maximum {}", finalizers.size(), max_finalizers);
   uint64_t sum = 0;
   for (std::size_t i = 0; i < finalizers.size(); ++i) {
      const auto& f = finalizers[i];
      if (f.description.size() > 256)
         return fmt::format("finalizer {}: description longer than 256 bytes", i);
      if (f.weight > std::numeric_limits<uint64_t>::max() - sum)
         return std::string("the finalizers' weights overflow");
      sum += f.weight;
      for (std::size_t j = 0; j < i; ++j)
         if (finalizers[j].public_key == f.public_key)
            return fmt::format("finalizer {} ({}) repeats the key of finalizer {}", i, f.description, j);
   }
   if (threshold > sum || threshold <= sum / 2)
      return fmt::format("threshold {} must be above half the total weight {} and at most the total", threshold, sum);
   return std::nullopt;
}

checksum256 finalizer_policy::digest() const { return sha256(pack(*this)); }

finalizer_policy_diff finalizer_policy::create_diff(const finalizer_policy& target) const {
   return {target.generation, target.threshold, make_ordered_diff(finalizers, target.finalizers)};
}

result<finalizer_policy> finalizer_policy::apply_diff(const finalizer_policy_diff& diff) const {
   auto list = apply_ordered_diff(finalizers, diff.finalizers_diff);
   if (!list)
      return unexpected{"finalizer policy diff: " + list.error()};
   if (list->size() > max_finalizers)
      return unexpected{fmt::format("finalizer policy diff: {} finalizers exceed the maximum {}", list->size(), max_finalizers)};
   return finalizer_policy{diff.generation, diff.threshold, std::move(*list)};
}

proposer_policy_diff proposer_policy::create_diff(const proposer_policy& target) const {
   return {target.proposer_schedule.version, target.proposal_time,
           make_ordered_diff(proposer_schedule.producers, target.proposer_schedule.producers)};
}

result<proposer_policy> proposer_policy::apply_diff(const proposer_policy_diff& diff) const {
   auto list = apply_ordered_diff(proposer_schedule.producers, diff.producer_auth_diff);
   if (!list)
      return unexpected{"proposer policy diff: " + list.error()};
   if (list->size() > max_proposers)
      return unexpected{fmt::format("proposer policy diff: {} proposers exceed the maximum {}", list->size(), max_proposers)};
   proposer_policy out;
   out.proposal_time = diff.proposal_time;
   out.proposer_schedule.version = diff.version;
   out.proposer_schedule.producers = std::move(*list);
   return out;
}

weak_digest make_weak_digest(const checksum256& finality_digest) {
   weak_digest w;
   std::memcpy(w.data(), finality_digest.data.data(), 32);
   std::memcpy(w.data() + 32, "WEAK", 4);
   return w;
}

} // namespace core
