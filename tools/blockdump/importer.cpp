#include "importer.hpp"

#include "chain/clock.hpp"

#include <fmt/format.h>

namespace blockdump {

core::result<std::unique_ptr<core::controller>> open_import_chain(core::chain_store& store,
                                                                  const std::optional<core::genesis_state>& genesis) {
   static const core::system_chain_clock clock; // stateless; outlives every controller
   core::controller_config cfg;
   cfg.genesis = genesis;
   cfg.reject_future_blocks = false;
   cfg.lib_commit_interval = std::chrono::milliseconds(250); // one fsync per 250 ms of import
   auto chain = std::make_unique<core::controller>(store, clock, cfg);
   if (auto o = chain->open(); !o)
      return core::unexpected{o.error()};
   return chain;
}

importer::importer(core::controller& chain)
   : chain_(chain), ahead_(chain, lookahead, [this](std::shared_ptr<const core::signed_block> b) { accept_now(std::move(b)); }) {}

void importer::offer(std::shared_ptr<const core::signed_block> b) { ahead_.offer(std::move(b)); }

void importer::accept_now(std::shared_ptr<const core::signed_block> b) {
   std::vector<core::block_id_type> linked;
   offer_one(b, linked);
   // Iterative, so a long chain of pending blocks does not recurse.
   while (!linked.empty()) {
      auto parent = linked.back();
      linked.pop_back();
      auto [lo, hi] = pending_.equal_range(parent);
      std::vector<std::shared_ptr<const core::signed_block>> kids;
      for (auto it = lo; it != hi; ++it)
         kids.push_back(it->second);
      pending_.erase(lo, hi);
      for (auto& k : kids)
         offer_one(k, linked);
   }
}

void importer::offer_one(const std::shared_ptr<const core::signed_block>& b, std::vector<core::block_id_type>& linked) {
   const auto id = b->calculate_id();
   const bool was_pending = pending_ids_.erase(id) > 0;
   auto r = chain_.accept_block(b);
   switch (r.status) {
   case core::block_status::applied: ++counts_.applied; break;
   case core::block_status::forked: ++counts_.forked; break;
   case core::block_status::duplicate:
   case core::block_status::old:
      if (was_pending) {
         // The controller linked it from its unlinkable cache when the parent arrived.
         auto head_at = chain_.fork_db().search_on_branch(chain_.head()->id(), b->block_num());
         const bool on_best = r.status == core::block_status::old || (head_at && head_at->id() == id);
         ++(on_best ? counts_.applied : counts_.forked);
      } else {
         ++(r.status == core::block_status::old ? counts_.old : counts_.duplicate);
      }
      break;
   case core::block_status::unlinkable:
      if (pending_ids_.insert(id).second)
         pending_.emplace(b->previous, b);
      else
         ++counts_.duplicate;
      return;
   case core::block_status::invalid:
   case core::block_status::unavailable: // the output store stopped writing: counted as finish() counts it
      if (counts_.invalid++ == 0)
         counts_.first_error = fmt::format("block {} {}: {}", b->block_num(), id.to_string(), r.error);
      return;
   }
   linked.push_back(id);
}

void importer::finish() {
   ahead_.drain();
   // The last LIB advance may be waiting for the commit interval. A store failure counts like
   // one met while accepting a block (an invalid block whose error names the store).
   if (auto f = chain_.flush_lib(); !f) {
      ++counts_.invalid;
      if (counts_.first_error.empty())
         counts_.first_error = f.error();
   }
   counts_.unlinkable += pending_.size();
   pending_.clear();
   pending_ids_.clear();
}

} // namespace blockdump
