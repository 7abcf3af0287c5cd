#pragma once
/// The fake node the control_request fuzz target asks, and its seeds name: one block (asked by
/// number or id), one peer and one BP gossip entry to report.
#include "support/fake_control_surface.hpp"

#include "crypto/sha256.hpp"

#include <memory>
#include <string_view>

namespace fuzz {

inline void populate(test::fake_surface& f) {
   core::signed_block b;
   b.previous = core::sha256(std::string_view("fuzz parent"));
   b.producer = core::name::from_string("eosio").value();
   f.block = std::make_shared<const core::signed_block>(b);
   f.st.head_block_num = f.block->block_num();
   f.st.head_block_id = f.block->calculate_id();
   core::peer_status p;
   p.peer = "10.0.0.2:9876";
   p.connection_id = 1;
   f.peer_list.push_back(p);
   core::bp_gossip_peer_view g;
   g.producer_name = core::name::from_string("bpa").value();
   g.server_endpoint = "bpa.example:9876";
   f.gossip.push_back(g);
}

} // namespace fuzz
