#pragma once
/// Feeds blocks into a controller in any order: a block whose parent is unknown waits in a
/// pending map keyed by its previous id (the controller's own unlinkable cache holds only 30)
/// and is offered again when its parent is accepted. Counts every block by outcome.
/// Thread affinity: the controller's thread.
#include "chain/block_lookahead.hpp"
#include "chain/controller.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace blockdump {

/// The controller import and data-dir output feed blocks through, opened on `store`: wall-clock
/// time, blocks of any age or timestamp accepted (a log is imported long after it was produced),
/// an empty store initialised from `genesis` (required then; else checked against the store's). Error: one line (damaged store, chain id mismatch).
core::result<std::unique_ptr<core::controller>> open_import_chain(core::chain_store& store,
                                                                  const std::optional<core::genesis_state>& genesis);

struct import_counts {
   uint64_t applied = 0;    ///< on the best branch when accepted
   uint64_t forked = 0;     ///< valid, on another branch
   uint64_t duplicate = 0;  ///< already in the fork database
   uint64_t old = 0;        ///< at or below the LIB
   uint64_t invalid = 0;    ///< failed validation
   uint64_t unlinkable = 0; ///< still waiting for a parent at finish()
   std::string first_error; ///< of the first invalid block
   uint64_t total() const { return applied + forked + duplicate + old + invalid + unlinkable; }
};

class importer {
public:
   /// Blocks whose signatures are recovered ahead of the one being accepted.
   static constexpr std::size_t lookahead = 128;

   explicit importer(core::controller& chain);
   importer(const importer&) = delete;
   importer& operator=(const importer&) = delete;

   /// Offers one block (and then every pending block it makes linkable). Its signatures are
   /// recovered on the controller's pool while up to `lookahead` blocks offered before it are
   /// accepted, so a block is accepted only once that many follow it, or at finish().
   void offer(std::shared_ptr<const core::signed_block> b);
   /// Accepts the blocks still in the lookahead, commits the LIB advance the controller may
   /// hold back, and counts the blocks still pending as unlinkable; call once after the last
   /// offer.
   void finish();
   const import_counts& counts() const { return counts_; }
   std::size_t pending() const { return pending_.size(); }

private:
   /// offer() without the lookahead.
   void accept_now(std::shared_ptr<const core::signed_block> b);
   void offer_one(const std::shared_ptr<const core::signed_block>& b, std::vector<core::block_id_type>& linked);

   core::controller& chain_;
   import_counts counts_;
   core::block_lookahead ahead_;
   /// previous id → blocks waiting for it.
   std::unordered_multimap<core::block_id_type, std::shared_ptr<const core::signed_block>> pending_;
   /// Ids of the blocks in pending_ (the controller may link them from its own cache first).
   std::unordered_set<core::block_id_type> pending_ids_;
};

} // namespace blockdump
