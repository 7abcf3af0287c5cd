#pragma once
// A fake chain for sync/dispatch tests: blocks 1..fork_db_head with ids bid(n).
#include "net/sync_types.hpp"

#include <map>

namespace test {

inline core::block_id_type bid(uint32_t n, uint8_t tag = 0xaa) {
   core::checksum256 d;
   d.data.fill(tag);
   return core::make_block_id(d, n);
}

struct fake_chain : core::sync_chain_view {
   uint32_t head = 0, fhead = 0, lib = 0, earliest = 1;
   std::map<uint32_t, core::block_id_type> overrides; ///< ids that differ from bid(n)

   core::block_id_type id(uint32_t n) const {
      auto it = overrides.find(n);
      return it != overrides.end() ? it->second : bid(n);
   }
   void set_all(uint32_t n) { head = fhead = n; }
   uint32_t head_num() const override { return head; }
   core::block_id_type head_id() const override { return id(head); }
   uint32_t fork_db_head_num() const override { return fhead; }
   core::block_id_type fork_db_head_id() const override { return id(fhead); }
   uint32_t lib_num() const override { return lib; }
   core::block_id_type lib_id() const override { return id(lib); }
   std::optional<core::block_id_type> id_for_num(uint32_t n) const override {
      if (n == 0 || n > fhead || n < earliest)
         return std::nullopt;
      return id(n);
   }
   bool knows_block(const core::block_id_type& b) const override {
      auto n = core::block_num_from_id(b);
      return n >= 1 && n <= fhead && id(n) == b;
   }
   uint32_t earliest_available_block_num() const override { return earliest; }
};

} // namespace test
