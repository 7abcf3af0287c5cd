#include "chain/block_signature_job.hpp"

#include "chain/block_validation.hpp"
#include "chain/qc_verification.hpp"
#include "crypto/recover.hpp"

namespace core {

void block_signature_job::run(const checksum256& chain_id) {
   if (claimed_.exchange(true, std::memory_order_acq_rel))
      return;
   if (state)
      signee = state->verify_signee();
   if (state && parent && *signee)
      qc = verify_block_qc(*parent, *block);
   if (!state || *signee) {
      const auto requests = block_signature_requests(*block, chain_id);
      keys.reserve(requests.size());
      for (const auto& r : requests)
         keys.push_back(recover_key(*r.sig, r.digest));
   }
   done_.store(true, std::memory_order_release);
   done_.notify_all();
}

void block_signature_job::wait(const checksum256& chain_id) {
   run(chain_id); // no-op when a worker claimed it
   done_.wait(false, std::memory_order_acquire);
}

void block_signature_job::skip() {
   claimed_.store(true, std::memory_order_release);
   done_.store(true, std::memory_order_release);
   done_.notify_all();
}

} // namespace core
