#pragma once
/// The fork database (Leap 5 chain/fork_database.cpp, legacy DPoS): every reversible block that
/// links to the root (the last irreversible block), on every branch, and the best head.
///
/// Best head ordering: validated first, then higher dpos_irreversible_blocknum, then higher
/// block_num, then lower id by sha256_less (the four little-endian u64 words compared in order;
/// see PROTOCOL.md §11). add() makes a block the head only if it is strictly better on
/// (dpos LIB, block_num) than the current head — ties keep the first-seen head. Not thread-safe:
/// owned and used by one thread (the controller's).
#include "chain/block_state.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace core {

/// sha256_less: compares the 32 bytes as four little-endian u64 words, first word first.
bool sha256_less(const checksum256& a, const checksum256& b);

class fork_database {
public:
   enum class add_result { added, duplicate, unlinkable, not_after_root };

   /// Starts with `root` (the LIB); the root is the head until a block is added.
   explicit fork_database(block_state_ptr root);

   const block_state_ptr& root() const { return root_; }
   /// Best block by the ordering above (the root when empty).
   const block_state_ptr& head() const { return head_; }
   /// Best *validated* block (the root when none), used as the applied-chain target.
   block_state_ptr best_validated() const;

   /// Adds a block whose previous is the root or a block in the database.
   add_result add(block_state_ptr b);
   block_state_ptr get(const block_id_type& id) const;
   bool contains(const block_id_type& id) const { return get(id) != nullptr; }
   /// The block on the branch ending at `tip` with number `num` (root included).
   block_state_ptr search_on_branch(const block_id_type& tip, uint32_t num) const;

   /// Marks a block validated and re-evaluates the head.
   void mark_valid(const block_state_ptr& b);
   /// Removes a block and all its descendants (an invalid block); re-evaluates the head.
   std::vector<block_id_type> remove(const block_id_type& id);

   /// Blocks from `tip` back to (excluding) the root, newest first.
   std::vector<block_state_ptr> fetch_branch(const block_id_type& tip) const;
   /// The two branches from `a` and `b` back to (excluding) their common ancestor, newest
   /// first; the common ancestor is `ancestor`.
   struct branch_pair {
      std::vector<block_state_ptr> a, b;
      block_state_ptr ancestor;
   };
   branch_pair fetch_branch_pair(const block_id_type& a, const block_id_type& b) const;

   /// Moves the root to `new_root` (a block in the database): its ancestors leave the database
   /// and so does every block that does not descend from it. Returns the removed ids (the old
   /// root's chain up to new_root excluded) of pruned branches only.
   std::vector<block_id_type> advance_root(const block_id_type& new_root);

   std::size_t size() const { return index_.size(); }
   /// All blocks (not the root), in no particular order.
   std::vector<block_state_ptr> all() const;

private:
   /// True when a is a better head than b.
   static bool better(const block_state& a, const block_state& b);
   void recompute_head();

   block_state_ptr root_;
   block_state_ptr head_;
   std::unordered_map<block_id_type, block_state_ptr> index_;
   std::unordered_multimap<block_id_type, block_id_type> children_;
};

/// Blocks whose parent is unknown yet, kept until the parent arrives (net_plugin keeps 30,
/// evicting the oldest by timestamp).
class unlinkable_cache {
public:
   static constexpr std::size_t default_capacity = 30;
   explicit unlinkable_cache(std::size_t capacity = default_capacity) : capacity_(capacity) {}

   /// Adds (ignores duplicates); evicts the entry with the oldest timestamp when full.
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
