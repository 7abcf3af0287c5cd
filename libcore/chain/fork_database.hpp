#pragma once
/// The fork database (Leap 5 chain/fork_database.cpp for legacy DPoS, Spring's for Savanna):
/// every reversible block that links to the root (the last irreversible block), on every
/// branch, and the best head.
///
/// Best-branch ordering. Proper Savanna blocks come before legacy and transition blocks (they
/// descend from the critical block, which no legacy branch can outrank), and among themselves
/// follow Spring: higher latest QC block timestamp, then higher timestamp, then higher id
/// (bytewise). Legacy and transition blocks follow Leap 5: validated first, then higher
/// irreversible_blocknum (the DPoS LIB, capped at the Savanna genesis on transition blocks), then
/// higher block_num, then lower id by sha256_less (see PROTOCOL.md §11). Two heads are tracked:
/// - best_validated() is Leap's `head`: add() sets it to the top of the ordering when that block
///   is validated; mark_valid() moves it only to a block strictly better on (dpos LIB, block_num).
/// - head() is the target the controller applies towards (Leap's pending_head, kept first-seen):
///   add() makes a block the head only if it is strictly better on (dpos LIB, block_num) than the
///   current head, so ties keep the first-seen head.
/// When remove()/advance_root() drop a tracked head, it is recomputed as Leap's pending_head():
/// the best unvalidated block if strictly better on (dpos LIB, block_num) than the best
/// validated one, else the best validated one (the root when none).
/// Among proper Savanna blocks "better" is the ordering itself (Spring's head is the top of
/// the index): head() is the best block, best_validated() the best validated one.
/// Complexity: add/get/mark_valid O(log n); branch walks O(branch length); remove and
/// advance_root O(removed blocks + path length). No recursion. Not thread-safe: owned and used by
/// one thread (the controller's).
#include "chain/block_state.hpp"

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace core {

/// sha256_less (fc::sha256 operator<): compares the 32 bytes as four little-endian u64 words,
/// word 0 (bytes 0..7) first, so byte 7 outweighs byte 0 and any byte of a later word.
bool sha256_less(const checksum256& a, const checksum256& b);

class fork_database {
public:
   enum class add_result { added, duplicate, unlinkable, not_after_root };

   /// Starts with `root` (the LIB); the root is the head until a block is added.
   explicit fork_database(block_state_ptr root);

   const block_state_ptr& root() const { return root_; }
   /// The block to apply towards (see above; the root when empty).
   const block_state_ptr& head() const { return head_; }
   /// Leap's head: the best validated block as tracked above (the root when none).
   block_state_ptr best_validated() const { return best_valid_; }

   /// Adds a block whose previous is the root or a block in the database. Checked in order:
   /// duplicate (id already held, root included), not_after_root (block_num <= root's),
   /// unlinkable (unknown previous). Nothing changes unless `added`. Precondition: b not null.
   add_result add(block_state_ptr b);
   /// A block in the database; the root is not returned (nullptr).
   block_state_ptr get(const block_id_type& id) const;
   bool contains(const block_id_type& id) const { return get(id) != nullptr; }
   /// The block on the branch ending at `tip` (a block or the root) with number `num` (root
   /// included); nullptr when there is none.
   block_state_ptr search_on_branch(const block_id_type& tip, uint32_t num) const;

   /// Marks a block validated (sets b->validated) and re-evaluates both heads; a no-op for a
   /// block not in the database or already marked.
   void mark_valid(const block_state_ptr& b);
   /// Removes a block and all its descendants (an invalid block) and returns their ids (the
   /// block first, then breadth-first); re-evaluates the heads. Unknown id or root: no-op.
   std::vector<block_id_type> remove(const block_id_type& id);

   /// Blocks from `tip` back to (excluding) the root, newest first; empty for an unknown tip.
   std::vector<block_state_ptr> fetch_branch(const block_id_type& tip) const;
   /// The two branches from `a` and `b` back to (excluding) their common ancestor, newest
   /// first; the common ancestor is `ancestor` (possibly the root, or `a`/`b` itself when one
   /// descends from the other). Unknown `a` or `b`: empty branches and a null ancestor.
   struct branch_pair {
      std::vector<block_state_ptr> a, b;
      block_state_ptr ancestor;
   };
   branch_pair fetch_branch_pair(const block_id_type& a, const block_id_type& b) const;

   /// Moves the root to `new_root` (a block in the database): it and its ancestors leave the
   /// database (they are irreversible now) and so does every block that does not descend from
   /// it. Returns the ids of those pruned non-descendants only (not the old root..new_root
   /// chain). Unknown id: no-op, empty result.
   std::vector<block_id_type> advance_root(const block_id_type& new_root);
   /// What advance_root(new_root) would return, without changing anything: the blocks that do
   /// not descend from new_root (and are not its ancestors). O(pruned + path length).
   std::vector<block_id_type> pruned_by_advance(const block_id_type& new_root) const;

   std::size_t size() const { return index_.size(); }
   /// All blocks (not the root), in no particular order.
   std::vector<block_state_ptr> all() const;

private:
   /// Position in the best-branch ordering; copied at insertion so that a caller flipping
   /// block_state::validated cannot corrupt the ordered index.
   struct order_key {
      bool proper;      ///< a proper Savanna block
      bool validated;   ///< legacy ordering only
      uint32_t lib;     ///< legacy: irreversible_blocknum()
      uint32_t num;     ///< legacy
      uint32_t qc_slot; ///< Savanna: latest QC block timestamp
      uint32_t slot;    ///< Savanna: timestamp
      block_id_type id;
   };
   struct order_less {
      bool operator()(const order_key& a, const order_key& b) const;
   };
   struct node {
      block_state_ptr state;
      bool validated;
   };

   static order_key key_of(const node& n);
   static order_key key_of(const block_state& b, bool validated);
   /// Leap's first_preferred: strictly better on (dpos LIB, block_num); for proper Savanna
   /// blocks, strictly better in the ordering.
   static bool first_preferred(const block_state& a, const block_state& b);
   /// The best validated block in the ordering (the root when none). O(blocks before it).
   block_state_ptr best_validated_in_order() const;
   /// The parent of a database block: another database block or the root (nullptr if neither).
   block_state_ptr parent_of(const block_state& b) const;
   /// A database block or the root.
   block_state_ptr get_with_root(const block_id_type& id) const;
   /// Erases `id` and its whole subtree, appending the erased ids to `out`.
   void erase_subtree(const block_id_type& id, std::vector<block_id_type>& out);
   /// `new_root`, its parent, ... back to the root's child (newest first); empty when unknown.
   std::vector<block_state_ptr> path_to_root(const block_id_type& new_root) const;
   /// Erases one block from every index (its children stay indexed under its id).
   void erase_one(const block_id_type& id);
   void unlink_child(const block_id_type& parent, const block_id_type& child);
   /// Recomputes best_valid_ and head_ when the blocks they point at left the database.
   void repair_heads();

   block_state_ptr root_;
   block_state_ptr head_;
   block_state_ptr best_valid_;
   std::unordered_map<block_id_type, node> index_;
   std::set<order_key, order_less> best_;
   /// parent id (root included) → child ids.
   std::unordered_multimap<block_id_type, block_id_type> children_;
};

/// Blocks whose parent is unknown yet, kept until the parent arrives (net_plugin keeps 30,
/// evicting the oldest by timestamp).
class unlinkable_cache {
public:
   static constexpr std::size_t default_capacity = 30;
   explicit unlinkable_cache(std::size_t capacity = default_capacity) : capacity_(capacity) {}

   /// Adds (ignores duplicates by id); when that exceeds the capacity, evicts the entry with the
   /// oldest timestamp (possibly `b` itself; the earliest added among equal timestamps).
   void add(std::shared_ptr<const signed_block> b, const block_id_type& id);
   /// Removes and returns the cached children of `parent`.
   std::vector<std::shared_ptr<const signed_block>> take_children(const block_id_type& parent);
   /// Drops entries with block_num ≤ lib.
   void prune(uint32_t lib);
   std::size_t size() const { return entries_.size(); }

private:
   struct entry {
      block_id_type id;
      std::shared_ptr<const signed_block> block;
   };
   std::size_t capacity_;
   std::vector<entry> entries_;
};

} // namespace core
