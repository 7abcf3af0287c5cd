#include "chain/controller.hpp"

#include "chain/action_mroot.hpp"
#include "chain/block_validation.hpp"
#include "chain/qc_verification.hpp"
#include "chain/transaction_checks.hpp"
#include "codec/codec.hpp"
#include "crypto/sha256.hpp"
#include "types/merkle.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace core {

std::string_view to_string(block_status s) {
   switch (s) {
   case block_status::applied: return "applied";
   case block_status::forked: return "forked";
   case block_status::duplicate: return "duplicate";
   case block_status::old: return "old";
   case block_status::unlinkable: return "unlinkable";
   case block_status::invalid: return "invalid";
   case block_status::unavailable: return "unavailable";
   }
   return "unknown";
}

controller::controller(chain_store& store, const chain_clock& clock, controller_config cfg)
   : store_(store), clock_(clock), cfg_(std::move(cfg)), pool_(std::make_unique<recovery_pool>(cfg_.signature_threads)) {}

result<bool> controller::open() {
   auto meta = store_.metadata();
   if (!meta) {
      if (!cfg_.genesis)
         return unexpected{std::string("the store is empty and no genesis state was given")};
      genesis_ = *cfg_.genesis;
      chain_id_ = genesis_.compute_chain_id();
      auto gs = std::make_shared<block_state>();
      gs->bhs = block_header_state::genesis(genesis_);
      gs->block = std::make_shared<signed_block>(genesis_.genesis_block());
      gs->validated = true;
      if (auto r = store_.initialize({genesis_, chain_id_}, *gs); !r)
         return unexpected{r.error()};
      forkdb_ = std::make_unique<fork_database>(gs);
      head_ = gs;
      return true;
   }
   genesis_ = meta->genesis;
   chain_id_ = meta->chain_id;
   if (cfg_.genesis && cfg_.genesis->compute_chain_id() != chain_id_)
      return unexpected{fmt::format("the store holds chain {} but the genesis given is for chain {}", chain_id_.to_string(),
                                    cfg_.genesis->compute_chain_id().to_string())};
   auto lib = store_.lib_state();
   if (!lib)
      return unexpected{std::string("the store has no last irreversible block state")};
   auto root = std::make_shared<block_state>();
   root->bhs = *lib;
   root->block = store_.block_by_num(lib->block_num);
   if (!root->block)
      return unexpected{fmt::format("the store lacks its last irreversible block {}", lib->block_num)};
   root->validated = true;
   forkdb_ = std::make_unique<fork_database>(root);
   head_ = root;
   // Replay reversible blocks in block order (parents first); those that no longer link are dropped.
   auto rev = store_.load_reversible();
   std::sort(rev.begin(), rev.end(), [](const auto& a, const auto& b) { return a->block_num() < b->block_num(); });
   for (const auto& b : rev) {
      if (b->block_num() <= root->block_num())
         continue;
      accept_block(b->block);
   }
   return true;
}

block_state_ptr controller::linkable_block(const block_id_type& id) const {
   if (auto b = forkdb_->get(id))
      return b;
   return id == forkdb_->root()->id() ? forkdb_->root() : nullptr;
}

next_options controller::header_options(const signed_block& b) const {
   next_options opts;
   if (cfg_.reject_future_blocks)
      opts.now = block_timestamp::from_time_point(clock_.now());
   if (cfg_.project_action_mroots)
      opts.savanna_action_mroot = project_savanna_action_mroot(b);
   return opts;
}

result<block_state_ptr> controller::validate_header(const std::shared_ptr<const signed_block>& b) const {
   auto parent = linkable_block(b->previous);
   if (!parent)
      return unexpected{fmt::format("block {}: unlinkable (parent {} unknown)", b->block_num(), b->previous.to_string())};
   auto bhs = parent->bhs.next(*b, header_options(*b));
   if (!bhs)
      return unexpected{bhs.error()};
   if (auto qc = verify_block_qc(parent->bhs, *b); qc && !*qc)
      return unexpected{qc->error()};
   auto st = std::make_shared<block_state>();
   st->bhs = std::move(*bhs);
   st->block = b;
   return st;
}

block_result controller::accept_block(std::shared_ptr<const signed_block> b) {
   const block_id_type id = b->calculate_id();
   const uint32_t num = b->block_num();
   if (num <= last_irreversible_block_num())
      return {block_status::old, {}, nullptr};
   if (store_fault_)
      return {block_status::unavailable, fmt::format("the store cannot write: {}", store_fault_->error), nullptr};
   if (forkdb_->contains(id))
      return {block_status::duplicate, {}, forkdb_->get(id)};
   pre_accepted_block(b);
   auto r = add_to_fork_db(b);
   if (r.status != block_status::forked)
      return r;
   // Children that were waiting for this block.
   std::vector<std::shared_ptr<const signed_block>> waiting = unlinkable_.take_children(id);
   std::string err = switch_to_best();
   block_result out = r;
   if (forkdb_->get(id) == nullptr) {
      // Removed: invalid, or pruned by a waiting LIB advance committed before a fork switch.
      out = err.empty() ? block_result{block_status::old, {}, nullptr} : block_result{block_status::invalid, err, nullptr};
   } else if (auto on_head = forkdb_->search_on_branch(head_->id(), num); on_head && on_head->id() == id) {
      out.status = block_status::applied;
   }
   while (!waiting.empty()) {
      auto child = waiting.back();
      waiting.pop_back();
      accept_block(child);
   }
   return out;
}

block_result controller::add_to_fork_db(std::shared_ptr<const signed_block> b) {
   auto st = header_state(b, b->calculate_id());
   if (!st) {
      if (!linkable_block(b->previous)) {
         unlinkable_.add(b, b->calculate_id());
         return {block_status::unlinkable, st.error(), nullptr};
      }
      return {block_status::invalid, st.error(), nullptr};
   }
   auto res = forkdb_->add(*st);
   if (res != fork_database::add_result::added)
      return {block_status::duplicate, {}, nullptr};
   (*st)->attach_votes();
   integrate_received_qc(**st);
   store_.put_reversible(**st);
   accepted_block_header(*st);
   return {block_status::forked, {}, *st};
}

std::string controller::switch_to_best() {
   std::string first_error;
   for (int guard = 0; guard < 1000; ++guard) {
      block_state_ptr target = forkdb_->head();
      if (target->id() == head_->id())
         break;
      if (target->previous() == head_->id()) {
         if (auto e = apply_block(target); !e.empty()) {
            if (first_error.empty())
               first_error = e;
            forkdb_->remove(target->id());
            continue;
         }
         continue;
      }
      // Fork switch: pop to the common ancestor, then apply the new branch oldest first.
      auto pair = forkdb_->fetch_branch_pair(target->id(), head_->id());
      // A switch below a waiting LIB advance commits the advance first: that prunes every
      // branch not descending from the LIB, as committing at once would have.
      if (pair.ancestor->block_num() < head_->irreversible_blocknum()) {
         if (auto e = advance_lib(true); !e.empty()) {
            if (first_error.empty())
               first_error = e;
            break;
         }
         continue;
      }
      while (head_->id() != pair.ancestor->id())
         pop_head();
      std::string err;
      for (auto it = pair.a.rbegin(); it != pair.a.rend(); ++it) {
         err = apply_block(*it);
         if (!err.empty()) {
            forkdb_->remove((*it)->id());
            break;
         }
      }
      if (!err.empty()) {
         if (first_error.empty())
            first_error = err;
         // Back to the old branch (already validated once) or whatever is best now.
         while (head_->id() != pair.ancestor->id())
            pop_head();
         continue;
      }
   }
   if (auto e = advance_lib(false); !e.empty() && first_error.empty())
      first_error = e;
   return first_error;
}

void controller::prefetch_block_keys(const std::shared_ptr<const signed_block>& b) {
   const auto id = b->calculate_id();
   if (prefetched_.contains(id) || forkdb_->contains(id))
      return;
   auto job = std::make_shared<block_signature_job>();
   job->block = b;
   // The header state, everything of next() but the producer signature (the job checks that),
   // from the parent's: in the fork database, the root, or itself prefetched. A header that
   // fails here is left to accept_block to report.
   std::shared_ptr<const block_header_state> parent;
   if (auto p = linkable_block(b->previous))
      parent = std::shared_ptr<const block_header_state>(p, &p->bhs);
   else if (auto it = prefetched_.find(b->previous); it != prefetched_.end() && it->second->state)
      parent = it->second->state;
   if (parent) {
      next_options opts = header_options(*b);
      opts.verify_signee = false;
      if (auto s = parent->next(*b, opts)) {
         job->state = std::make_shared<const block_header_state>(std::move(*s));
         job->parent = std::move(parent);
      }
   }
   prefetched_.emplace(id, job);
   pool_->submit([job, chain_id = chain_id_] { job->run(chain_id); });
}

bool controller::block_keys_ready(const block_id_type& id) const {
   auto it = prefetched_.find(id);
   return it == prefetched_.end() || it->second->ready();
}

std::shared_ptr<block_signature_job> controller::prefetched_job(const signed_block& b, const block_id_type& id) const {
   auto it = prefetched_.find(id);
   if (it == prefetched_.end())
      return nullptr;
   // A block id covers the header and the transactions with their signatures, not the
   // producer signature or the block extensions (additional signatures): a job done for a
   // block that differs there says nothing about this one.
   const auto& done_for = *it->second->block;
   if (done_for.producer_signature != b.producer_signature || done_for.block_extensions != b.block_extensions)
      return nullptr;
   return it->second;
}

result<block_state_ptr> controller::header_state(const std::shared_ptr<const signed_block>& b, const block_id_type& id) {
   auto jp = prefetched_job(*b, id);
   // The prefetched state was built from the parent this block names (its id covers previous);
   // it holds while that parent is still linkable.
   if (!jp || !jp->state || !linkable_block(b->previous))
      return validate_header(b);
   auto& job = *jp;
   job.wait(chain_id_);
   if (!*job.signee) {
      prefetched_.erase(id); // so the genuine block, if it comes, is judged afresh
      return unexpected{job.signee->error()};
   }
   if (job.qc && !*job.qc) {
      prefetched_.erase(id);
      return unexpected{job.qc->error()};
   }
   auto st = std::make_shared<block_state>();
   st->bhs = *job.state;
   st->block = b;
   return st;
}

std::vector<result<public_key>> controller::recover_block_keys(const signed_block& b) {
   const auto id = b.calculate_id();
   if (auto job = prefetched_job(b, id)) {
      prefetched_.erase(id);
      job->wait(chain_id_);
      if (!job->state || *job->signee)
         return std::move(job->keys);
      // The job skipped the keys (its header state's signature failed; this block's header
      // passed another way): recover them here.
   }
   std::vector<result<public_key>> out;
   std::vector<recovery_request> jobs;
   std::vector<std::size_t> slot; ///< out index of each job
   for (const auto& receipt : b.transactions) {
      const auto* p = std::get_if<packed_transaction>(&receipt.trx);
      if (!p)
         continue;
      auto it = unapplied_ids_.find(p->id());
      if (it != unapplied_ids_.end() && !it->second.keys.empty() && it->second.signatures == p->signatures) {
         for (const auto& k : it->second.keys)
            out.emplace_back(k);
         continue;
      }
      const std::size_t first = jobs.size();
      append_signature_requests(*p, chain_id_, jobs);
      for (std::size_t j = first; j < jobs.size(); ++j) {
         slot.push_back(out.size());
         out.emplace_back(unexpected{std::string()});
      }
   }
   auto keys = pool_->recover(jobs);
   for (std::size_t j = 0; j < keys.size(); ++j)
      out[slot[j]] = std::move(keys[j]);
   return out;
}

std::string controller::apply_block(const block_state_ptr& b) {
   block_body_context ctx;
   ctx.chain_id = chain_id_;
   ctx.config = genesis_.initial_configuration;
   ctx.tapos_block = [this](uint32_t n) { return branch_id_for_num(n); };
   ctx.is_duplicate = [this](const transaction_id_type& id, time_point_sec exp) {
      return store_.has_transaction(id, exp) || reversible_trxs_.contains(id);
   };
   const auto recovered = recover_block_keys(*b->block);
   auto r = validate_block_body(*b->block, ctx, recovered);
   if (!r)
      return fmt::format("block {} {}: {}", b->block_num(), b->id().to_string(), r.error().to_string());
   if (!b->validated)
      forkdb_->mark_valid(b);
   head_ = b;
   for (const auto& receipt : b->block->transactions) {
      if (const auto* p = std::get_if<packed_transaction>(&receipt.trx)) {
         reversible_trxs_[p->id()] = b->block_num();
         auto shared = std::make_shared<const packed_transaction>(*p);
         if (unapplied_ids_.erase(p->id()) == 0)
            accepted_transaction(shared);
         applied_transaction(shared, b);
      }
   }
   if (!unapplied_.empty())
      std::erase_if(unapplied_, [&](const auto& t) { return !unapplied_ids_.contains(t->id()); });
   accepted_block(b);
   consider_voting(b);
   return {};
}

void controller::pop_head() {
   auto parent = forkdb_->get(head_->previous());
   if (!parent)
      parent = forkdb_->root();
   for (const auto& receipt : head_->block->transactions) {
      if (const auto* p = std::get_if<packed_transaction>(&receipt.trx)) {
         reversible_trxs_.erase(p->id());
         if (!unapplied_ids_.contains(p->id())) {
            unapplied_ids_[p->id()] = unapplied_entry{p->get_transaction().expiration, {}, {}};
            unapplied_.push_front(std::make_shared<const packed_transaction>(*p));
         }
      }
   }
   head_ = parent;
}

result<bool> controller::flush_lib() {
   if (auto e = advance_lib(true); !e.empty())
      return unexpected{std::move(e)};
   if (auto r = store_.persist_reversible(); !r) {
      note_store_failure(r.error());
      return unexpected{fmt::format("store: {}", r.error())};
   }
   return true;
}

result<bool> controller::mark_irreversible_through(uint32_t num) {
   if (num > head_->block_num())
      return unexpected{fmt::format("block {} is beyond the head {}", num, head_->block_num())};
   if (auto e = advance_lib_to(std::max(num, head_->irreversible_blocknum()), true); !e.empty())
      return unexpected{std::move(e)};
   return true;
}

std::string controller::advance_lib(bool force) { return advance_lib_to(head_->irreversible_blocknum(), force); }

std::string controller::advance_lib_to(uint32_t new_lib, bool force) {
   const auto& root = forkdb_->root();
   if (new_lib <= root->block_num())
      return {};
   const auto now = clock_.now();
   if (!force && cfg_.lib_commit_interval.count() > 0 &&
       now.us - last_lib_commit_.us < std::chrono::duration_cast<std::chrono::microseconds>(cfg_.lib_commit_interval).count())
      return {};
   auto branch = forkdb_->fetch_branch(head_->id()); // newest first
   lib_commit c;
   for (auto it = branch.rbegin(); it != branch.rend() && (*it)->block_num() <= new_lib; ++it)
      c.irreversible.push_back(*it);
   if (c.irreversible.empty())
      return {};
   for (const auto& b : c.irreversible) {
      c.removed_reversible.push_back(b->id());
      for (const auto& receipt : b->block->transactions)
         if (const auto* p = std::get_if<packed_transaction>(&receipt.trx))
            c.included_trxs.emplace_back(p->id(), p->get_transaction().expiration);
   }
   c.expired_before = time_point_sec{static_cast<uint32_t>(head_->timestamp().to_time_point().us / 1000000)};
   const block_id_type new_root = c.irreversible.back()->id();
   // Blocks pruned with the root move: every branch not descending from the new root.
   auto pruned = forkdb_->pruned_by_advance(new_root);
   c.removed_reversible.insert(c.removed_reversible.end(), pruned.begin(), pruned.end());
   if (auto r = store_.commit_lib(c); !r) {
      note_store_failure(r.error());
      return fmt::format("store: {}", r.error());
   }
   last_lib_commit_ = now;
   for (const auto& b : c.irreversible)
      irreversible_block(b);
   forkdb_->advance_root(new_root);
   for (const auto& b : c.irreversible)
      for (const auto& receipt : b->block->transactions)
         if (const auto* p = std::get_if<packed_transaction>(&receipt.trx))
            reversible_trxs_.erase(p->id());
   unlinkable_.prune(new_lib);
   // Prefetches of blocks that never got applied (forks, duplicates) up to the LIB.
   for (auto it = prefetched_.begin(); it != prefetched_.end() && block_num_from_id(it->first) <= new_lib;)
      it = prefetched_.erase(it);
   return {};
}

bool controller::is_known_transaction(const transaction_id_type& id, time_point_sec expiration) const {
   return store_.has_transaction(id, expiration) || reversible_trxs_.contains(id) || unapplied_ids_.contains(id);
}

std::optional<block_id_type> controller::branch_id_for_num(uint32_t num) const {
   if (num <= forkdb_->root()->block_num())
      return num == forkdb_->root()->block_num() ? std::optional(forkdb_->root()->id()) : store_.id_by_num(num);
   if (num > head_->block_num())
      return std::nullopt;
   auto b = forkdb_->search_on_branch(head_->id(), num);
   if (!b)
      return std::nullopt;
   return b->id();
}

std::optional<block_id_type> controller::block_id_for_num(uint32_t num) const { return branch_id_for_num(num); }

std::shared_ptr<const signed_block> controller::fetch_block_by_number(uint32_t num) const {
   if (num <= forkdb_->root()->block_num())
      return num == forkdb_->root()->block_num() ? forkdb_->root()->block : store_.block_by_num(num);
   auto b = forkdb_->search_on_branch(head_->id(), num);
   return b ? b->block : nullptr;
}

std::shared_ptr<const signed_block> controller::fetch_block_by_id(const block_id_type& id) const {
   if (auto b = linkable_block(id))
      return b->block;
   auto num = store_.num_by_id(id);
   return num ? store_.block_by_num(*num) : nullptr;
}

transaction_result controller::push_transaction(std::shared_ptr<const packed_transaction> trx) {
   return std::move(push_transactions(std::span<const std::shared_ptr<const packed_transaction>>(&trx, 1)).front());
}

std::vector<transaction_result>
controller::push_transactions(std::span<const std::shared_ptr<const packed_transaction>> trxs) {
   std::vector<transaction_result> out(trxs.size());
   // Every signature of the batch is recovered in one pass over the pool; the rules then run
   // in order, so a duplicate inside the batch is caught like any other.
   std::vector<recovery_request> jobs;
   std::vector<std::size_t> first_job(trxs.size() + 1, 0);
   std::vector<bool> known(trxs.size()); ///< before the batch: the store, reversible blocks, the queue
   for (std::size_t i = 0; i < trxs.size(); ++i) {
      out[i].id = trxs[i]->id();
      first_job[i] = jobs.size();
      known[i] = is_known_transaction(out[i].id, trxs[i]->get_transaction().expiration);
      if (!known[i])
         append_signature_requests(*trxs[i], chain_id_, jobs);
   }
   first_job[trxs.size()] = jobs.size();
   auto keys = pool_->recover(jobs);

   trx_check_context ctx;
   ctx.chain_id = chain_id_;
   ctx.config = genesis_.initial_configuration;
   ctx.pending_block_time = head_->timestamp().next().to_time_point();
   ctx.head_block_num = head_->block_num();
   ctx.tapos_block = [this](uint32_t n) { return branch_id_for_num(n); };
   // The duplicate rule is applied just below, once per transaction: only the queue changes
   // during the batch, so known[i] plus the queue is what is_known_transaction would say.
   for (std::size_t i = 0; i < trxs.size(); ++i) {
      auto& r = out[i];
      if (known[i] || unapplied_ids_.contains(r.id)) { // known before the batch, or queued earlier in it
         r.error = fmt::format("transaction {} is a duplicate", r.id.to_string());
         continue;
      }
      auto c = check_transaction(*trxs[i], ctx,
                                 std::span<const result<public_key>>(keys.data() + first_job[i], first_job[i + 1] - first_job[i]));
      if (c.code != trx_errc::ok) {
         r.error = fmt::format("{}: {}", to_string(c.code), c.detail);
         continue;
      }
      unapplied_entry e{trxs[i]->get_transaction().expiration, trxs[i]->signatures, {}};
      for (std::size_t k = first_job[i]; k < first_job[i + 1]; ++k)
         e.keys.push_back(*keys[k]); // check_transaction accepted: every signature recovered
      unapplied_ids_[r.id] = std::move(e);
      unapplied_.push_back(trxs[i]);
      r.accepted = true;
      accepted_transaction(trxs[i]);
   }
   return out;
}

std::size_t controller::drop_expired_transactions() {
   const uint32_t now = static_cast<uint32_t>(head_->timestamp().to_time_point().us / 1000000);
   std::size_t before = unapplied_.size();
   std::erase_if(unapplied_, [&](const auto& t) {
      if (t->get_transaction().expiration.secs < now) {
         unapplied_ids_.erase(t->id());
         return true;
      }
      return false;
   });
   return before - unapplied_.size();
}

result<block_state_ptr> controller::produce_block(const produce_options& o, const private_key& key) {
   if (store_fault_)
      return unexpected{fmt::format("the store cannot write: {}", store_fault_->error)};
   if (o.when <= head_->timestamp())
      return unexpected{fmt::format("slot {} is not after the head block's", o.when.to_string())};
   drop_expired_transactions();
   // After the critical transition block every block is a proper Savanna block.
   const bool proper = head_->bhs.is_proper_savanna() || head_->bhs.is_savanna_critical();
   auto blk = std::make_shared<signed_block>();
   blk->timestamp = o.when;
   blk->producer = o.producer;
   blk->previous = head_->id();
   if (proper) {
      blk->confirmed = 0;
      blk->schedule_version = proper_savanna_schedule_version;
   } else {
      blk->confirmed = o.confirmed;
      blk->schedule_version = head_->bhs.active_schedule.version;
      if (o.propose_schedule && head_->bhs.pending_schedule.schedule.producers.empty() &&
          producer_authority_schedule::from_legacy(*o.propose_schedule).producers != head_->bhs.active_schedule.producers) {
         auto s = *o.propose_schedule;
         s.version = head_->bhs.active_schedule.version + 1;
         blk->new_producers = s;
      }
   }
   // Transactions: re-check each against the block being built; skip what no longer passes.
   trx_check_context ctx;
   ctx.chain_id = chain_id_;
   ctx.config = genesis_.initial_configuration;
   ctx.pending_block_time = o.when.to_time_point();
   ctx.head_block_num = head_->block_num();
   ctx.tapos_block = [this](uint32_t n) { return branch_id_for_num(n); };
   std::unordered_map<transaction_id_type, bool> in_block;
   ctx.is_duplicate = [&](const transaction_id_type& id, time_point_sec exp) {
      return store_.has_transaction(id, exp) || reversible_trxs_.contains(id) || in_block.contains(id);
   };
   std::size_t taken = 0;
   for (auto it = unapplied_.begin(); it != unapplied_.end() && taken < o.max_transactions;) {
      const auto& t = *it;
      std::vector<recovery_request> jobs;
      append_signature_requests(*t, chain_id_, jobs);
      auto keys = pool_->recover(jobs);
      auto r = check_transaction(*t, ctx, keys);
      if (r.code == trx_errc::block_net_exceeded)
         break; // full: the rest waits for the next block
      if (r.code != trx_errc::ok) {
         unapplied_ids_.erase(t->id());
         it = unapplied_.erase(it);
         continue;
      }
      transaction_receipt rc;
      rc.status = transaction_status::executed;
      rc.cpu_usage_us = genesis_.initial_configuration.min_transaction_cpu_usage;
      rc.net_usage_words = static_cast<uint32_t>(r.net_usage_bytes / 8);
      ctx.block_net_used_bytes += r.net_usage_bytes;
      rc.trx = *t;
      blk->transactions.push_back(std::move(rc));
      in_block[t->id()] = true;
      ++taken;
      ++it;
   }
   blk->transaction_mroot = blk->calculate_transaction_mroot();
   if (proper) {
      if (auto r = finish_savanna_header(*blk, o); !r)
         return unexpected{r.error()};
   } else {
      blk->action_mroot = project_legacy_action_mroot(*blk);
      if (auto f = transition_extension(o)) {
         auto p = pack(*f);
         blk->header_extensions.emplace_back(finality_extension::extension_id, bytes(p.begin(), p.end()));
      }
   }
   // Sign what next() says the producer signs, then build the state with every check.
   next_options opts = header_options(*blk);
   opts.now.reset();
   opts.verify_signee = false;
   auto unsigned_state = head_->bhs.next(*blk, opts);
   if (!unsigned_state)
      return unexpected{unsigned_state.error()};
   blk->producer_signature = key.sign(unsigned_state->signing_digest());
   opts.verify_signee = true;
   auto bhs = head_->bhs.next(*blk, opts);
   if (!bhs)
      return unexpected{bhs.error()};
   auto st = std::make_shared<block_state>();
   st->bhs = std::move(*bhs);
   st->block = blk;
   if (forkdb_->add(st) != fork_database::add_result::added)
      return unexpected{std::string("produced block could not be added to the fork database")};
   st->attach_votes();
   store_.put_reversible(*st);
   accepted_block_header(st);
   if (auto e = switch_to_best(); !e.empty())
      return unexpected{e};
   if (head_->id() != st->id())
      return unexpected{std::string("produced block did not become the head")};
   return st;
}

} // namespace core
