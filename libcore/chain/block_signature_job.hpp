#pragma once
/// The signature work of one block, done once by whichever thread claims it first: a recovery
/// pool worker, or the thread that needs the result (wait() runs an unclaimed job itself, so
/// waiting for a job never leaves a core idle). Used by chain_replayer and by the controller's
/// prefetch while a node syncs.
#include "chain/block_header_state.hpp"
#include "codec/result.hpp"
#include "crypto/public_key.hpp"
#include "types/block.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace core {

struct block_signature_job {
   std::shared_ptr<const signed_block> block;
   /// The block's state as next() built it without its producer signature; when set, run()
   /// checks the signature (verify_signee) and recovers the transaction keys only if it passes.
   std::shared_ptr<const block_header_state> state;
   /// The parent's state; with `state`, run() verifies the block's QC signature against the
   /// policies the parent holds for the certified block.
   std::shared_ptr<const block_header_state> parent;

   // ---- filled by run() ----
   std::optional<result<public_key>> signee; ///< set when `state` is
   /// Set when the block carries a QC and `state` and `parent` are set: its signature verified.
   std::optional<result<bool>> qc;
   /// recover_key of every request of block_signature_requests(*block, chain_id), in order.
   std::vector<result<public_key>> keys;

   /// Does the work unless another thread claimed it.
   void run(const checksum256& chain_id);
   /// run(), then waits until whoever claimed the job has finished it.
   void wait(const checksum256& chain_id);
   bool ready() const { return done_.load(std::memory_order_acquire); }
   /// Marks a job that needs no work (e.g. the header failed before any was queued) as done.
   void skip();

private:
   std::atomic<bool> claimed_{false};
   std::atomic<bool> done_{false};
};

} // namespace core
