#include "chain/fork_database.hpp"

#include <algorithm>
#include <limits>
#include <tuple>

namespace core {

namespace {

uint64_t le_word(const checksum256& h, std::size_t word) {
   uint64_t v = 0;
   for (std::size_t i = 0; i < 8; ++i)
      v |= uint64_t(h.data[word * 8 + i]) << (8 * i);
   return v;
}

} // namespace

bool sha256_less(const checksum256& a, const checksum256& b) {
   for (std::size_t w = 0; w < 4; ++w) {
      const uint64_t x = le_word(a, w), y = le_word(b, w);
      if (x != y)
         return x < y;
   }
   return false;
}

// ---------------------------------------------------------------------------------------------
// fork_database

bool fork_database::order_less::operator()(const order_key& a, const order_key& b) const {
   if (a.proper != b.proper)
      return a.proper;
   if (a.proper) {
      if (a.qc_slot != b.qc_slot)
         return a.qc_slot > b.qc_slot;
      if (a.slot != b.slot)
         return a.slot > b.slot;
      return b.id < a.id;
   }
   if (a.validated != b.validated)
      return a.validated;
   if (a.lib != b.lib)
      return a.lib > b.lib;
   if (a.num != b.num)
      return a.num > b.num;
   return sha256_less(a.id, b.id);
}

fork_database::order_key fork_database::key_of(const block_state& b, bool validated) {
   order_key k{};
   k.id = b.id();
   k.proper = b.is_proper_savanna();
   if (k.proper) {
      k.qc_slot = b.latest_qc_block_timestamp().slot;
      k.slot = b.timestamp().slot;
   } else {
      k.validated = validated;
      k.lib = b.irreversible_blocknum();
      k.num = b.block_num();
   }
   return k;
}

fork_database::order_key fork_database::key_of(const node& n) { return key_of(*n.state, n.validated); }

bool fork_database::first_preferred(const block_state& a, const block_state& b) {
   if (a.is_proper_savanna() || b.is_proper_savanna())
      return order_less{}(key_of(a, false), key_of(b, false));
   return std::tuple(a.irreversible_blocknum(), a.block_num()) > std::tuple(b.irreversible_blocknum(), b.block_num());
}

block_state_ptr fork_database::best_validated_in_order() const {
   for (const auto& k : best_)
      if (const auto& n = index_.at(k.id); n.validated)
         return n.state;
   return root_;
}

fork_database::fork_database(block_state_ptr root)
    : root_(std::move(root)), head_(root_), best_valid_(root_) {}

block_state_ptr fork_database::get(const block_id_type& id) const {
   auto it = index_.find(id);
   return it == index_.end() ? nullptr : it->second.state;
}

block_state_ptr fork_database::get_with_root(const block_id_type& id) const {
   if (id == root_->id())
      return root_;
   return get(id);
}

block_state_ptr fork_database::parent_of(const block_state& b) const {
   if (b.previous() == root_->id())
      return root_;
   return get(b.previous());
}

fork_database::add_result fork_database::add(block_state_ptr b) {
   const block_id_type& id = b->id();
   if (id == root_->id() || index_.contains(id))
      return add_result::duplicate;
   if (b->block_num() <= root_->block_num())
      return add_result::not_after_root;
   if (b->previous() != root_->id() && !index_.contains(b->previous()))
      return add_result::unlinkable;

   node n{b, b->validated};
   best_.insert(key_of(n));
   index_.emplace(id, std::move(n));
   children_.emplace(b->previous(), id);

   // Leap's add_impl: the top of the best-branch index becomes `head` when it is validated.
   if (const order_key& top = *best_.begin(); index_.at(top.id).validated)
      best_valid_ = index_.at(top.id).state;
   if (first_preferred(*b, *head_))
      head_ = std::move(b);
   return add_result::added;
}

void fork_database::mark_valid(const block_state_ptr& b) {
   auto it = index_.find(b->id());
   if (it == index_.end() || it->second.validated)
      return;
   best_.erase(key_of(it->second));
   it->second.validated = true;
   it->second.state->validated = true;
   best_.insert(key_of(it->second));

   // Leap's mark_valid_impl: move only to a candidate strictly better on (LIB, block_num). The
   // top of the index is validated for legacy blocks (they order validated first); proper
   // Savanna blocks do not order by validation, so their candidate is the block just marked.
   const block_state_ptr& top = index_.at(best_.begin()->id).state;
   const block_state_ptr& candidate = top->is_proper_savanna() ? it->second.state : top;
   if (first_preferred(*candidate, *best_valid_))
      best_valid_ = candidate;
   if (first_preferred(*candidate, *head_))
      head_ = candidate;
}

void fork_database::unlink_child(const block_id_type& parent, const block_id_type& child) {
   auto [first, last] = children_.equal_range(parent);
   for (auto it = first; it != last; ++it) {
      if (it->second == child) {
         children_.erase(it);
         return;
      }
   }
}

void fork_database::erase_one(const block_id_type& id) {
   auto it = index_.find(id);
   if (it == index_.end())
      return;
   best_.erase(key_of(it->second));
   index_.erase(it);
}

void fork_database::erase_subtree(const block_id_type& id, std::vector<block_id_type>& out) {
   auto top = index_.find(id);
   if (top == index_.end())
      return;
   unlink_child(top->second.state->previous(), id);
   const std::size_t start = out.size();
   out.push_back(id);
   // Breadth-first over an explicit queue (the tail of `out`): no recursion on long branches.
   for (std::size_t i = start; i < out.size(); ++i) {
      auto [first, last] = children_.equal_range(out[i]);
      for (auto it = first; it != last; ++it)
         out.push_back(it->second);
   }
   for (std::size_t i = start; i < out.size(); ++i) {
      children_.erase(out[i]);
      erase_one(out[i]);
   }
}

void fork_database::repair_heads() {
   auto gone = [this](const block_state_ptr& b) { return b != root_ && !index_.contains(b->id()); };
   if (!best_.empty() && best_.begin()->proper) {
      // Spring's Savanna head: the top of the index.
      if (gone(best_valid_))
         best_valid_ = best_validated_in_order();
      if (gone(head_))
         head_ = index_.at(best_.begin()->id).state;
      return;
   }
   if (gone(best_valid_)) {
      best_valid_ = root_;
      if (!best_.empty() && best_.begin()->validated)
         best_valid_ = index_.at(best_.begin()->id).state;
   }
   if (gone(head_)) {
      // Leap's pending_head(): the best unvalidated block if strictly better than `head`.
      head_ = best_valid_;
      constexpr uint32_t max = std::numeric_limits<uint32_t>::max();
      auto u = best_.lower_bound(order_key{false, false, max, max, 0, 0, block_id_type{}});
      if (u != best_.end()) {
         const block_state_ptr& cand = index_.at(u->id).state;
         if (first_preferred(*cand, *best_valid_))
            head_ = cand;
      }
   }
}

std::vector<block_id_type> fork_database::remove(const block_id_type& id) {
   std::vector<block_id_type> removed;
   erase_subtree(id, removed);
   if (!removed.empty())
      repair_heads();
   return removed;
}

std::vector<block_state_ptr> fork_database::fetch_branch(const block_id_type& tip) const {
   std::vector<block_state_ptr> out;
   for (auto it = index_.find(tip); it != index_.end(); it = index_.find(it->second.state->previous()))
      out.push_back(it->second.state);
   return out;
}

block_state_ptr fork_database::search_on_branch(const block_id_type& tip, uint32_t num) const {
   block_state_ptr cur = get_with_root(tip);
   while (cur && cur->block_num() > num)
      cur = parent_of(*cur);
   return cur && cur->block_num() == num ? cur : nullptr;
}

fork_database::branch_pair fork_database::fetch_branch_pair(const block_id_type& a, const block_id_type& b) const {
   block_state_ptr x = get_with_root(a), y = get_with_root(b);
   if (!x || !y)
      return {};
   branch_pair out;
   while (x && y && x->block_num() > y->block_num()) {
      out.a.push_back(x);
      x = parent_of(*x);
   }
   while (x && y && y->block_num() > x->block_num()) {
      out.b.push_back(y);
      y = parent_of(*y);
   }
   while (x && y && x->id() != y->id()) {
      out.a.push_back(x);
      out.b.push_back(y);
      x = parent_of(*x);
      y = parent_of(*y);
   }
   if (!x || !y)
      return {}; // only reachable if the parent links were broken
   out.ancestor = std::move(x);
   return out;
}

std::vector<block_state_ptr> fork_database::path_to_root(const block_id_type& new_root) const {
   std::vector<block_state_ptr> path;
   block_state_ptr target = get(new_root);
   if (!target)
      return path;
   path.push_back(std::move(target));
   while (path.back()->previous() != root_->id())
      path.push_back(index_.at(path.back()->previous()).state);
   return path;
}

std::vector<block_id_type> fork_database::pruned_by_advance(const block_id_type& new_root) const {
   std::vector<block_id_type> out;
   for (const auto& p : path_to_root(new_root)) {
      auto [first, last] = children_.equal_range(p->previous());
      for (auto it = first; it != last; ++it) {
         if (it->second == p->id())
            continue;
         // Breadth-first over the tail of `out`, as erase_subtree walks it.
         const std::size_t start = out.size();
         out.push_back(it->second);
         for (std::size_t i = start; i < out.size(); ++i) {
            auto [cf, cl] = children_.equal_range(out[i]);
            for (auto c = cf; c != cl; ++c)
               out.push_back(c->second);
         }
      }
   }
   return out;
}

std::vector<block_id_type> fork_database::advance_root(const block_id_type& new_root) {
   std::vector<block_id_type> pruned;
   auto path = path_to_root(new_root);
   if (path.empty())
      return pruned;
   std::vector<block_id_type> siblings;
   for (const auto& p : path) {
      siblings.clear();
      auto [first, last] = children_.equal_range(p->previous());
      for (auto it = first; it != last; ++it)
         if (it->second != p->id())
            siblings.push_back(it->second);
      for (const auto& s : siblings)
         erase_subtree(s, pruned);
   }
   for (const auto& p : path) {
      children_.erase(p->previous());
      erase_one(p->id());
   }
   root_ = path.front();
   repair_heads();
   return pruned;
}

std::vector<block_state_ptr> fork_database::all() const {
   std::vector<block_state_ptr> out;
   out.reserve(index_.size());
   for (const auto& [id, n] : index_)
      out.push_back(n.state);
   return out;
}

// ---------------------------------------------------------------------------------------------
// unlinkable_cache

void unlinkable_cache::add(std::shared_ptr<const signed_block> b, const block_id_type& id) {
   if (!b || std::any_of(entries_.begin(), entries_.end(), [&](const entry& e) { return e.id == id; }))
      return;
   entries_.push_back({id, std::move(b)});
   if (entries_.size() <= capacity_)
      return;
   auto oldest = std::min_element(entries_.begin(), entries_.end(), [](const entry& x, const entry& y) {
      return x.block->timestamp.slot < y.block->timestamp.slot;
   });
   entries_.erase(oldest);
}

std::vector<std::shared_ptr<const signed_block>> unlinkable_cache::take_children(const block_id_type& parent) {
   std::vector<std::shared_ptr<const signed_block>> out;
   for (const auto& e : entries_)
      if (e.block->previous == parent)
         out.push_back(e.block);
   if (!out.empty())
      std::erase_if(entries_, [&](const entry& e) { return e.block->previous == parent; });
   return out;
}

void unlinkable_cache::prune(uint32_t lib) {
   std::erase_if(entries_, [&](const entry& e) { return e.block->block_num() <= lib; });
}

} // namespace core
