#pragma once
/// Legacy (pre-Savanna) merkle roots: chain/merkle.cpp `merkle` and incremental_merkle.hpp.
#include "codec/wire_types.hpp"
#include <cereal/cereal.hpp>
#include "crypto/checksum.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace core {

/// Leaf with bit 0x80 of byte 0 cleared / set (make_canonical_left / _right).
checksum256 canonical_left(checksum256 d);
checksum256 canonical_right(checksum256 d);
/// sha256(canonical_left(l) ‖ canonical_right(r)).
checksum256 merkle_parent(const checksum256& l, const checksum256& r);

/// Legacy merkle: 0 leaves → zero digest; 1 leaf → the leaf; odd levels duplicate the last.
checksum256 legacy_merkle(std::vector<checksum256> leaves);

/// Leap's legacy incremental merkle of block ids (block_header_state blockroot_merkle).
/// Its root after appending ids 1..n equals legacy_merkle(ids 1..n).
struct incremental_merkle {
   std::vector<checksum256> active_nodes;
   uint64_t node_count = 0;

   /// Appends a leaf and returns the new root.
   const checksum256& append(const checksum256& leaf);
   checksum256 root() const { return node_count ? active_nodes.back() : checksum256{}; }

   template <class Ar>
   void serialize(Ar& ar) {
      ar(cereal::make_nvp("_active_nodes", active_nodes), cereal::make_nvp("_node_count", node_count));
   }
   bool operator==(const incremental_merkle&) const = default;
};

} // namespace core
