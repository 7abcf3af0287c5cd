#pragma once
/// A control_surface with no node behind it: what it reports is in its fields, and what the
/// control socket asks of it is recorded (the control_commands tests and fuzz target).
#include "node/control_surface.hpp"

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace test {

struct fake_surface : core::control_surface {
   core::node_status st;
   std::vector<core::peer_status> peer_list;
   core::sync_status sy;
   core::peer_counters ctr;
   std::shared_ptr<const core::signed_block> block;
   std::vector<std::string> connects, disconnects;
   std::string refuse_connect;           ///< when set, connect() fails with it
   std::vector<core::transaction_id_type> pushed;
   std::string refuse_trx;               ///< when set, push_transaction() refuses with it
   std::ostringstream log_text;
   core::node_log nlog{log_text};

   core::node_status status() const override { return st; }
   std::vector<core::peer_status> peers() const override { return peer_list; }
   std::vector<core::bp_gossip_peer_view> gossip;
   std::vector<core::bp_gossip_peer_view> bp_gossip_peers() const override { return gossip; }
   core::sync_status sync_state() const override { return sy; }
   const core::peer_counters& counters() const override { return ctr; }
   std::shared_ptr<const core::signed_block> block_by_num(uint32_t num) const override {
      return block && block->block_num() == num ? block : nullptr;
   }
   std::shared_ptr<const core::signed_block> block_by_id(const core::block_id_type& id) const override {
      return block && block->calculate_id() == id ? block : nullptr;
   }
   core::result<std::string> connect(const std::string& address) override {
      if (!refuse_connect.empty())
         return core::unexpected(refuse_connect);
      connects.push_back(address);
      return std::string("added");
   }
   core::result<std::string> disconnect(const std::string& address) override {
      disconnects.push_back(address);
      return std::string("removed");
   }
   core::trx_outcome push_transaction(std::shared_ptr<const core::packed_transaction> trx) override {
      pushed.push_back(trx->id());
      return {refuse_trx.empty(), trx->id(), refuse_trx};
   }
   std::optional<core::finalizer_policy> activated;
   std::string refuse_activation; ///< when set, activate_savanna() fails with it
   core::result<std::string> activate_savanna(const core::finalizer_policy& p) override {
      if (!refuse_activation.empty())
         return core::unexpected(refuse_activation);
      activated = p;
      return std::string("next block");
   }
   core::node_log& log() override { return nlog; }
};

} // namespace test
