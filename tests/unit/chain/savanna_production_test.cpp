// A Savanna chain produced here in virtual time: a legacy devnet switched to Savanna by a
// transition block carrying a policy of 21 finalizers, proper blocks built by the controller,
// the finalizers' votes (Spring's voting rules, BLS-signed) aggregated into QCs that the next
// block carries, and the LIB following the 2-chain rule. A second node that only receives the
// blocks must reach the same state, checking every QC's aggregate signature. A tampered copy of
// one of its blocks (QC signature, QC bitset, finalizer or proposer policy diff, producer
// signature) is refused with an error naming the block and the reason.
#include "chain/controller.hpp"
#include "chain/qc_verification.hpp"
#include "chain/vote.hpp"

#include "codec/codec.hpp"
#include "crypto/bls/private_key.hpp"
#include "crypto/sha256.hpp"

#include "support/test_keys.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace core;

namespace {

using test::dev_genesis;
using test::dev_key;

bls::private_key finalizer_key(std::size_t i) {
   const auto seed = sha256(fmt::format("finalizer.{}", i));
   auto k = bls::private_key::from_seed(seed.data);
   REQUIRE(k);
   return *k;
}

/// `n` finalizers of weight 1 with Spring's threshold (more than two thirds of the weight).
finalizer_policy policy_of(const std::vector<bls::private_key>& keys) {
   finalizer_policy p;
   for (std::size_t i = 0; i < keys.size(); ++i)
      p.finalizers.push_back({fmt::format("fin.{}", i), 1, keys[i].get_public_key()});
   p.threshold = keys.size() * 2 / 3 + 1;
   return p;
}

/// One node: a controller producing as eosio with the devnet key, in virtual time.
struct node {
   memory_chain_store store;
   manual_chain_clock clock{dev_genesis().initial_timestamp};
   std::unique_ptr<controller> chain;
   std::map<uint32_t, uint32_t> lib_at; ///< block num -> the LIB its state implies, as produced

   node() {
      controller_config cfg;
      cfg.genesis = dev_genesis();
      cfg.signature_threads = 2;
      cfg.project_action_mroots = true;
      chain = std::make_unique<controller>(store, clock, cfg);
      REQUIRE(chain->open());
   }

   /// Produces the next slot's block, signed by whoever the head's state schedules there
   /// (eosio, or a producer named in `keys`).
   block_state_ptr produce(controller::produce_options o = {}) {
      o.when = block_timestamp{chain->head()->timestamp().slot + 1};
      o.producer = chain->head()->bhs.producer_for_block_at(o.when).producer_name;
      clock.set(o.when.to_time_point());
      auto b = chain->produce_block(o, o.producer == "eosio"_n ? dev_key() : test::key_for(o.producer.to_string()));
      if (!b)
         FAIL(b.error());
      lib_at[(*b)->block_num()] = (*b)->irreversible_blocknum();
      return *b;
   }
   uint32_t head_num() const { return chain->head()->block_num(); }
   uint32_t lib() const { return chain->last_irreversible_block_num(); }
};

/// The finalizers of a test network: keys and each one's safety information.
struct finalizers {
   std::vector<bls::private_key> keys;
   std::vector<std::optional<finalizer_safety_information>> fsi;

   explicit finalizers(std::size_t n, std::size_t first = 0) {
      for (std::size_t i = 0; i < n; ++i)
         keys.push_back(finalizer_key(first + i));
      fsi.resize(n);
   }
   /// Finalizer i's vote on `b` (its safety information starts at `start`, as Spring's does
   /// at the switch to Savanna).
   std::optional<vote_message> vote(std::size_t i, const block_state& b, const block_ref& start) {
      if (!fsi[i])
         fsi[i] = finalizer_safety_information::at(start);
      return finalizer_vote(b.bhs, keys[i], *fsi[i]);
   }
};

std::optional<quorum_certificate> qc_of(const signed_block& b) {
   auto bx = decode_block_extensions(b.block_extensions);
   REQUIRE(bx);
   if (!bx->qc)
      return std::nullopt;
   return bx->qc->qc;
}

/// Switches `n` to Savanna with `policy` and produces until the head is a proper Savanna
/// block. Returns the Savanna genesis block's state.
block_state_ptr switch_to_savanna(node& n, const finalizer_policy& policy) {
   for (int i = 0; i < 3; ++i)
      n.produce();
   controller::produce_options o;
   o.activate_savanna = policy;
   auto genesis = n.produce(o);
   REQUIRE(genesis->bhs.savanna);
   REQUIRE_FALSE(genesis->is_proper_savanna());
   for (int guard = 0; !n.chain->head()->is_proper_savanna(); ++guard) {
      REQUIRE(guard < 10);
      n.produce();
   }
   return genesis;
}

/// Every finalizer in `who` votes on the head; returns how many votes were counted (with
/// `all_count`, each must be).
int vote_on_head(node& n, finalizers& f, const block_ref& start, const std::vector<std::size_t>& who, bool all_count = true) {
   int counted = 0;
   for (auto i : who) {
      auto v = f.vote(i, *n.chain->head(), start);
      if (!v)
         continue;
      auto s = n.chain->process_vote(*v);
      if (all_count) {
         INFO("finalizer " << i << ": " << to_string(s));
         CHECK(s == vote_status::success);
      }
      counted += s == vote_status::success;
   }
   return counted;
}

std::vector<std::size_t> first(std::size_t k) {
   std::vector<std::size_t> out(k);
   for (std::size_t i = 0; i < k; ++i)
      out[i] = i;
   return out;
}

/// Offers every block of `from` above the genesis to a fresh node; each must be applied, and
/// the receiving node must reach the same head and LIB.
void check_received_by_fresh_node(node& from) {
   node to;
   for (uint32_t num = 2; num <= from.head_num(); ++num) {
      auto b = from.chain->fetch_block_by_number(num);
      REQUIRE(b);
      to.clock.set(b->timestamp.to_time_point());
      auto r = to.chain->accept_block(b);
      INFO("block " << num << ": " << r.error);
      REQUIRE(r.status == block_status::applied);
      CHECK(to.chain->head()->irreversible_blocknum() == from.lib_at.at(num));
   }
   CHECK(to.chain->head()->id() == from.chain->head()->id());
   CHECK(to.lib() == from.lib());
}

} // namespace

TEST_CASE("savanna production: 21 finalizers vote, each block carries a strong QC on its parent, LIB trails by two",
          "[chain][savanna]") {
   node n;
   finalizers f(21);
   const auto policy = policy_of(f.keys);
   REQUIRE(policy.threshold == 15);
   auto genesis = switch_to_savanna(n, policy);
   const auto start = genesis->bhs.make_block_ref();

   for (int round = 0; round < 12; ++round) {
      const auto voted_on = n.chain->head();
      CHECK(vote_on_head(n, f, start, first(21)) == 21);
      auto qc = n.chain->best_qc(voted_on->id());
      REQUIRE(qc);
      CHECK(qc->is_strong());
      auto b = n.produce();
      REQUIRE(b->is_proper_savanna());
      auto carried = qc_of(*b->block);
      REQUIRE(carried);
      CHECK(carried->block_num == voted_on->block_num());
      CHECK(carried->active_policy_sig.strong_votes->count() == 21);
      CHECK_FALSE(carried->active_policy_sig.weak_votes);
      CHECK(verify_block_qc(voted_on->bhs, *b->block).value());
      const auto claim = b->bhs.savanna->core.latest_qc_claim();
      CHECK(claim.block_num == voted_on->block_num());
      CHECK(claim.is_strong_qc);
      if (round >= 1) { // 2-chain: the parent's claimed block is final
         CHECK(b->irreversible_blocknum() == voted_on->block_num() - 1);
         CHECK(n.lib() == b->block_num() - 2);
      }
   }
   check_received_by_fresh_node(n);
}

TEST_CASE("savanna production: short of the threshold there is no QC and LIB waits", "[chain][savanna]") {
   node n;
   finalizers f(21);
   auto genesis = switch_to_savanna(n, policy_of(f.keys));
   const auto start = genesis->bhs.make_block_ref();
   for (int round = 0; round < 3; ++round) {
      vote_on_head(n, f, start, first(21));
      n.produce();
   }
   const uint32_t lib = n.lib();
   const auto claim = n.chain->head()->bhs.savanna->core.latest_qc_claim();

   // 14 of 21 strong votes: one short of 15.
   const auto voted_on = n.chain->head();
   CHECK(vote_on_head(n, f, start, first(14)) == 14);
   CHECK_FALSE(n.chain->best_qc(voted_on->id()));
   auto b = n.produce();
   CHECK_FALSE(qc_of(*b->block));
   CHECK(b->bhs.savanna->core.latest_qc_claim() == claim); // the parent's claim, repeated
   CHECK(n.lib() == lib);

   // The 15th vote arrives late: the next block carries the QC on voted_on.
   auto v = f.vote(14, *voted_on, start);
   REQUIRE(v);
   CHECK(n.chain->process_vote(*v) == vote_status::success);
   REQUIRE(n.chain->best_qc(voted_on->id()));
   auto c = n.produce();
   auto carried = qc_of(*c->block);
   REQUIRE(carried);
   CHECK(carried->block_num == voted_on->block_num());
   CHECK(carried->active_policy_sig.strong_votes->count() == 15);
   CHECK(n.lib() > lib);
   check_received_by_fresh_node(n);
}

TEST_CASE("savanna production: a vote is counted once, and only with a policy key and a good signature",
          "[chain][savanna]") {
   node n;
   finalizers f(21);
   auto genesis = switch_to_savanna(n, policy_of(f.keys));
   const auto start = genesis->bhs.make_block_ref();
   const auto head = n.chain->head();
   auto v = f.vote(0, *head, start);
   REQUIRE(v);
   CHECK(n.chain->process_vote(*v) == vote_status::success);
   CHECK(n.chain->process_vote(*v) == vote_status::duplicate);

   // A key outside the policy.
   finalizers outsider(1, 100);
   auto o = outsider.vote(0, *head, start);
   REQUIRE(o);
   CHECK(n.chain->process_vote(*o) == vote_status::unknown_public_key);

   // Finalizer 1's key with finalizer 2's signature.
   auto v1 = f.vote(1, *head, start);
   auto v2 = f.vote(2, *head, start);
   REQUIRE(v1);
   REQUIRE(v2);
   auto forged = *v1;
   forged.sig = v2->sig;
   CHECK(n.chain->process_vote(forged) == vote_status::invalid_signature);
   // A strong signature presented as weak.
   auto flipped = *v2;
   flipped.strong = false;
   CHECK(n.chain->process_vote(flipped) == vote_status::invalid_signature);
   CHECK(n.chain->process_vote(*v2) == vote_status::success);

   auto unknown = *v1;
   unknown.block_id.data[3] ^= 1;
   CHECK(n.chain->process_vote(unknown) == vote_status::unknown_block);
}

TEST_CASE("savanna production: a new finalizer policy becomes pending, then active, and QCs follow it",
          "[chain][savanna]") {
   node n;
   finalizers f(26); // the first policy is 0..20, the next 5..25
   const std::vector<bls::private_key> old_keys(f.keys.begin(), f.keys.begin() + 21);
   const std::vector<bls::private_key> new_keys(f.keys.begin() + 5, f.keys.end());
   auto genesis = switch_to_savanna(n, policy_of(old_keys));
   const auto start = genesis->bhs.make_block_ref();
   for (int round = 0; round < 2; ++round) {
      vote_on_head(n, f, start, first(21));
      n.produce();
   }
   controller::produce_options o;
   o.propose_finalizers = policy_of(new_keys);
   vote_on_head(n, f, start, first(21));
   auto proposing = n.produce(o);
   CHECK(proposing->bhs.savanna->active_finalizer_policy->generation == 1);

   bool saw_pending = false, saw_pending_qc = false;
   uint32_t active_at = 0;
   for (int round = 0; round < 12; ++round) {
      const auto voted_on = n.chain->head();
      const auto& sv = *voted_on->bhs.savanna;
      const bool pending = sv.pending_finalizer_policy.has_value();
      saw_pending |= pending;
      // Everyone votes: finalizers only in the new policy count once it is pending or active,
      // those only in the old one until the new one is active.
      const int counted = vote_on_head(n, f, start, first(26), false);
      if (sv.active_finalizer_policy->generation == 1)
         CHECK(counted == (pending ? 26 : 21));
      else
         CHECK(counted == 21);
      auto b = n.produce();
      auto qc = qc_of(*b->block);
      REQUIRE(qc);
      CHECK(qc->block_num == voted_on->block_num());
      CHECK(qc->is_strong());
      CHECK(qc->pending_policy_sig.has_value() == pending);
      saw_pending_qc |= qc->pending_policy_sig.has_value();
      if (!active_at && b->bhs.savanna->active_finalizer_policy->generation == 2)
         active_at = b->block_num();
   }
   CHECK(saw_pending);
   CHECK(saw_pending_qc);
   REQUIRE(active_at != 0);
   CHECK(n.chain->head()->bhs.savanna->active_finalizer_policy->finalizers.size() == 21);
   CHECK(n.chain->head()->bhs.savanna->active_finalizer_policy->finalizers.front().description == "fin.0");
   CHECK(n.chain->head()->bhs.savanna->active_finalizer_policy->finalizers.front().public_key == f.keys[5].get_public_key());
   CHECK(n.lib() == n.head_num() - 2);

   // Under the new policy a finalizer of the old one only is unknown, and the new ones alone
   // make the QC.
   auto v = f.vote(0, *n.chain->head(), start);
   REQUIRE(v);
   CHECK(n.chain->process_vote(*v) == vote_status::unknown_public_key);
   std::vector<std::size_t> newcomers;
   for (std::size_t i = 5; i < 26; ++i)
      newcomers.push_back(i);
   CHECK(vote_on_head(n, f, start, newcomers) == 21);
   const auto lib = n.lib();
   n.produce();
   CHECK(n.lib() == lib + 1);
   check_received_by_fresh_node(n);
}

TEST_CASE("savanna production: a proposer policy change hands production to the new schedule",
          "[chain][savanna]") {
   node n;
   finalizers f(21);
   auto genesis = switch_to_savanna(n, policy_of(f.keys));
   const auto start = genesis->bhs.make_block_ref();
   vote_on_head(n, f, start, first(21));
   n.produce();
   producer_schedule s;
   for (auto p : {"prod.a"_n, "prod.b"_n})
      s.producers.push_back({p, test::key_for(p.to_string()).get_public_key()});
   controller::produce_options o;
   o.propose_schedule = s;
   vote_on_head(n, f, start, first(21));
   auto proposing = n.produce(o);
   auto fx = proposing->bhs.header_exts.finality;
   REQUIRE(fx);
   CHECK(fx->new_proposer_policy_diff.has_value());

   std::set<name> producers;
   for (int round = 0; round < 60; ++round) {
      vote_on_head(n, f, start, first(21));
      producers.insert(n.produce()->block->producer);
   }
   CHECK(producers.count("prod.a"_n) == 1);
   CHECK(producers.count("prod.b"_n) == 1);
   CHECK(n.chain->head()->block->producer != "eosio"_n);
   CHECK(n.lib() == n.head_num() - 2);
   check_received_by_fresh_node(n);
}

TEST_CASE("savanna production: a fork is decided by the newest QC, and a vote across branches is weak",
          "[chain][savanna]") {
   node a;
   finalizers f(21);
   auto genesis = switch_to_savanna(a, policy_of(f.keys));
   const auto start = genesis->bhs.make_block_ref();
   for (int round = 0; round < 4; ++round) {
      vote_on_head(a, f, start, first(21));
      a.produce();
   }
   node b; // has every block so far, but no votes
   for (uint32_t num = 2; num <= a.head_num(); ++num) {
      auto blk = a.chain->fetch_block_by_number(num);
      b.clock.set(blk->timestamp.to_time_point());
      REQUIRE(b.chain->accept_block(blk).status == block_status::applied);
   }
   const auto fork_point = a.chain->head();
   REQUIRE(b.chain->head()->id() == fork_point->id());

   // a: the finalizers vote on the fork point; its child x carries their QC.
   CHECK(vote_on_head(a, f, start, first(21)) == 21);
   auto x = a.produce();
   REQUIRE(qc_of(*x->block));
   // b: one slot later, y on the same parent, without that QC (it repeats the parent's claim).
   b.clock.set(block_timestamp{x->timestamp().slot + 1}.to_time_point());
   controller::produce_options o;
   o.when = block_timestamp{x->timestamp().slot + 1};
   o.producer = "eosio"_n;
   auto y = b.chain->produce_block(o, dev_key());
   REQUIRE(y);
   CHECK_FALSE(qc_of(*(*y)->block));
   REQUIRE((*y)->previous() == fork_point->id());

   // Each node sees the other's block: x wins on both (newer QC claim beats the later slot).
   a.clock.set((*y)->timestamp().to_time_point());
   auto ra = a.chain->accept_block((*y)->block);
   INFO(ra.error);
   CHECK(ra.status == block_status::forked);
   CHECK(a.chain->head()->id() == x->id());
   auto rb = b.chain->accept_block(x->block);
   INFO(rb.error);
   CHECK(rb.status == block_status::applied);
   CHECK(b.chain->head()->id() == x->id());
   CHECK(b.lib() == a.lib());

   // A finalizer that voted on x may vote on y (it extends its lock, the fork point) but only
   // weakly: its last vote is on another branch, newer than y's QC.
   CHECK(vote_on_head(a, f, start, first(21)) == 21);
   int weak = 0;
   for (std::size_t i = 0; i < 21; ++i) {
      auto v = f.vote(i, **y, start);
      REQUIRE(v);
      CHECK_FALSE(v->strong);
      weak += a.chain->process_vote(*v) == vote_status::success;
   }
   CHECK(weak == 21);
   auto weak_qc = a.chain->best_qc((*y)->id());
   REQUIRE(weak_qc);
   CHECK_FALSE(weak_qc->is_strong());
   REQUIRE(weak_qc->active_policy_sig.weak_votes);
   CHECK(weak_qc->active_policy_sig.weak_votes->count() == 21);
   // As a block would carry it: well-formed, and its aggregate verifies (the strong half empty).
   auto policies = (*y)->bhs.qc_policies_for((*y)->block_num());
   REQUIRE(policies);
   CHECK(verify_qc_basic(*weak_qc, *policies));
   CHECK(verify_qc_signature(*weak_qc, *policies));
   // The weak QC does not move a's head off x's branch, whose claim is strong and as new.
   CHECK(a.chain->head()->id() == x->id());
}

namespace {

/// A node that produced `rounds` proper Savanna blocks, each carrying a strong QC of 21
/// finalizers on its parent, and a way to offer a fresh node a tampered copy of one of them.
struct tampering {
   node a;
   finalizers f{21};
   block_state_ptr genesis = switch_to_savanna(a, policy_of(f.keys));
   block_ref start = genesis->bhs.make_block_ref();

   /// One more block, after every finalizer voted on the head.
   block_state_ptr produce(controller::produce_options o = {}) {
      vote_on_head(a, f, start, first(21));
      return a.produce(std::move(o));
   }

   /// Five more blocks; returns the last one and the QC it carries on its parent.
   std::pair<signed_block, quorum_certificate> block_with_qc() {
      for (int round = 0; round < 5; ++round)
         produce();
      const auto b = a.chain->fetch_block_by_number(a.head_num());
      auto qc = qc_of(*b);
      REQUIRE(qc);
      return {*b, *qc};
   }

   /// A fresh node given every block of `a` below `b`'s number, then `b`: `b` must be invalid,
   /// with an error that names it and says `reason`, and the head must stay on its parent.
   void require_refused(const signed_block& b, const std::string& reason) {
      const uint32_t target = b.block_num();
      node to;
      for (uint32_t num = 2; num < target; ++num) {
         auto blk = a.chain->fetch_block_by_number(num);
         REQUIRE(blk);
         to.clock.set(blk->timestamp.to_time_point());
         REQUIRE(to.chain->accept_block(blk).status == block_status::applied);
      }
      to.clock.set(b.timestamp.to_time_point());
      auto r = to.chain->accept_block(std::make_shared<const signed_block>(b));
      INFO(r.error);
      CHECK(r.status == block_status::invalid);
      CHECK(r.error.find(fmt::format("block {}:", target)) != std::string::npos);
      CHECK(r.error.find(reason) != std::string::npos);
      CHECK(to.head_num() == target - 1);
   }
};

/// `b` with its QC extension replaced by `qc` (the header, so the id and signature, unchanged).
signed_block with_qc(const signed_block& b, const quorum_certificate& qc) {
   signed_block out = b;
   auto it = std::find_if(out.block_extensions.begin(), out.block_extensions.end(),
                          [](const auto& e) { return e.first == quorum_certificate_extension::extension_id; });
   REQUIRE(it != out.block_extensions.end());
   const auto p = pack(quorum_certificate_extension{qc});
   it->second.assign(p.begin(), p.end());
   return out;
}

/// `b` with its finality extension changed by `edit`, signed again by its producer: a block a
/// scheduled producer could sign, whose content is wrong.
template <class Edit>
signed_block with_finality(const signed_block& b, Edit edit) {
   signed_block out = b;
   auto hx = decode_header_extensions(out.header_extensions);
   REQUIRE(hx);
   REQUIRE(hx->finality);
   auto fx = *hx->finality;
   edit(fx);
   const auto p = pack(fx);
   REQUIRE(out.header_extensions.size() == 1);
   out.header_extensions.front().second.assign(p.begin(), p.end());
   const auto& key = out.producer == "eosio"_n ? dev_key() : test::key_for(out.producer.to_string());
   out.producer_signature = key.sign(out.calculate_id());
   return out;
}

} // namespace

TEST_CASE("savanna tampering: a QC with another QC's aggregate signature is refused", "[chain][savanna]") {
   tampering t;
   auto [b, qc] = t.block_with_qc();
   auto earlier = qc_of(*t.a.chain->fetch_block_by_number(t.a.head_num() - 1));
   REQUIRE(earlier);
   qc.active_policy_sig.sig = earlier->active_policy_sig.sig;
   t.require_refused(with_qc(b, qc), "aggregate signature does not verify");
}

TEST_CASE("savanna tampering: a QC bitset that drops a voter no longer matches the signature", "[chain][savanna]") {
   tampering t;
   auto [b, qc] = t.block_with_qc();
   qc.active_policy_sig.strong_votes->set(3, false); // 20 of 21: still above the threshold
   t.require_refused(with_qc(b, qc), "aggregate signature does not verify");
}

TEST_CASE("savanna tampering: a QC bitset below the threshold is refused", "[chain][savanna]") {
   tampering t;
   auto [b, qc] = t.block_with_qc();
   for (std::size_t i = 0; i < 7; ++i) // 14 of 21, threshold 15
      qc.active_policy_sig.strong_votes->set(i, false);
   t.require_refused(with_qc(b, qc), "strong quorum not met: strong weight 14, threshold 15");
}

TEST_CASE("savanna tampering: a QC bitset sized for another policy is refused", "[chain][savanna]") {
   tampering t;
   auto [b, qc] = t.block_with_qc();
   vote_bitset longer(22);
   for (std::size_t i = 0; i < 21; ++i)
      longer.set(i, qc.active_policy_sig.strong_votes->test(i));
   qc.active_policy_sig.strong_votes = longer;
   t.require_refused(with_qc(b, qc), "vote bitset has 22 bits for 21 finalizers");
}

TEST_CASE("savanna tampering: a finalizer policy diff that does not advance the generation is refused",
          "[chain][savanna]") {
   tampering t;
   t.produce();
   finalizers next(21, 100);
   controller::produce_options o;
   o.propose_finalizers = policy_of(next.keys);
   auto proposing = t.produce(o);
   auto b = with_finality(*proposing->block, [](finality_extension& fx) {
      REQUIRE(fx.new_finalizer_policy_diff);
      REQUIRE(fx.new_finalizer_policy_diff->generation == 2);
      fx.new_finalizer_policy_diff->generation = 1;
   });
   t.require_refused(b, "new finalizer policy generation 1 is not greater than the previous 1");
}

TEST_CASE("savanna tampering: a proposer policy diff that leaves no proposers is refused", "[chain][savanna]") {
   tampering t;
   t.produce();
   producer_schedule s;
   for (auto p : {"prod.a"_n, "prod.b"_n})
      s.producers.push_back({p, test::key_for(p.to_string()).get_public_key()});
   controller::produce_options o;
   o.propose_schedule = s;
   auto proposing = t.produce(o);
   auto b = with_finality(*proposing->block, [](finality_extension& fx) {
      REQUIRE(fx.new_proposer_policy_diff);
      REQUIRE_FALSE(fx.new_proposer_policy_diff->producer_auth_diff.insert_indexes.empty());
      fx.new_proposer_policy_diff->producer_auth_diff.insert_indexes.clear();
   });
   t.require_refused(b, "proposer policy diff leaves no proposers");
}

TEST_CASE("savanna tampering: a block signed by a key outside the proposer policy is refused", "[chain][savanna]") {
   tampering t;
   auto b = t.block_with_qc().first;
   b.producer_signature = test::key_for("mallory").sign(b.calculate_id());
   t.require_refused(b, "outside the signing authority of eosio");
}
