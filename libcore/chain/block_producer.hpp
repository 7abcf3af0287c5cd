#pragma once
/// Block production for configured producers, as Leap's producer_plugin decides it: at each
/// 500 ms slot where one of our producers is scheduled on the head state (the legacy schedule,
/// or after the switch Savanna's proposer policies), build on the head, confirm the blocks
/// since our last produced one (the watermark; legacy only), and sign.
///
/// Production starts once the head is current (its next slot is not in the past) or
/// immediately with enable_stale_production. Time comes from the controller's clock via the
/// slot the caller passes. Thread affinity: the controller's thread.
#include "chain/controller.hpp"

#include <map>
#include <optional>
#include <vector>

namespace core {

struct producer_identity {
   name producer;
   private_key key;
};

struct block_producer_config {
   std::vector<producer_identity> producers;
   /// Schedule to propose (e.g. the bootstrap producer handing over to N producers).
   std::optional<producer_schedule> propose_schedule;
   bool enable_stale_production = false;
   std::size_t max_transactions_per_block = 1000;
   /// Switch a legacy chain to Savanna: the next block produced here becomes the Savanna
   /// genesis with this finalizer policy (controller::produce_options::activate_savanna).
   std::optional<finalizer_policy> activate_savanna;
};

class block_producer {
public:
   block_producer(controller& chain, block_producer_config cfg);

   /// Produces the block for `slot` when it is ours; nullptr when it is not (not scheduled,
   /// production not enabled yet, already produced at or after this slot, or head not older).
   result<block_state_ptr> on_slot(block_timestamp slot, time_point now);

   /// Keeps watermarks of our producers' blocks applied from elsewhere.
   void on_accepted_block(const block_state_ptr& b);

   /// Sets (or clears) block_producer_config::activate_savanna: the next block produced here on
   /// a legacy head becomes the Savanna genesis with this policy.
   void set_activate_savanna(std::optional<finalizer_policy> p) { cfg_.activate_savanna = std::move(p); }

   bool production_enabled() const { return enabled_; }
   const block_producer_config& config() const { return cfg_; }

private:
   const producer_identity* identity_for(const producer_authority& scheduled) const;

   controller& chain_;
   block_producer_config cfg_;
   bool enabled_;
   /// Producer → (block number, timestamp) of the last block it produced that we know of.
   std::map<name, std::pair<uint32_t, block_timestamp>> watermarks_;
};

} // namespace core
