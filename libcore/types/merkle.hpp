#pragma once
/// Merkle roots: the legacy (pre-Savanna) ones of chain/merkle_legacy.hpp and
/// incremental_merkle_legacy.hpp, and Savanna's of chain/merkle.hpp and incremental_merkle.hpp.
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

/// Savanna's parent node: sha256(l ‖ r), no canonical flags (detail::hash_combine).
checksum256 savanna_merkle_parent(const checksum256& l, const checksum256& r);

/// Savanna merkle (calculate_merkle): 0 leaves → zero digest; 1 leaf → the leaf; otherwise the
/// largest power-of-two prefix is a full tree, combined with the root of the rest.
checksum256 savanna_merkle(std::span<const checksum256> leaves);

/// Savanna's incremental merkle tree (incremental_merkle_tree): the roots of the full
/// power-of-two subtrees, largest first. Its root after appending leaves 1..n equals
/// savanna_merkle(leaves 1..n). Appending is O(log n).
struct savanna_incremental_merkle {
   uint64_t mask = 0;              ///< bit k set: a subtree of 2^k leaves is held
   std::vector<checksum256> trees; ///< their roots, largest first (popcount(mask) of them)

   void append(const checksum256& leaf);
   checksum256 root() const;
   uint64_t leaf_count() const { return mask; }

   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(mask), CEREAL_NVP(trees));
   }
   bool operator==(const savanna_incremental_merkle&) const = default;
};

} // namespace core
