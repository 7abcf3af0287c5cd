#include "types/merkle.hpp"

#include "crypto/sha256.hpp"

#include <bit>
#include <cstring>

namespace core {

checksum256 canonical_left(checksum256 d) {
   d.data[0] &= 0x7f;
   return d;
}
checksum256 canonical_right(checksum256 d) {
   d.data[0] |= 0x80;
   return d;
}

checksum256 merkle_parent(const checksum256& l, const checksum256& r) {
   uint8_t buf[64];
   std::memcpy(buf, l.data.data(), 32);
   std::memcpy(buf + 32, r.data.data(), 32);
   buf[0] &= 0x7f;
   buf[32] |= 0x80;
   return sha256(std::span<const uint8_t>(buf, 64));
}

checksum256 legacy_merkle(std::vector<checksum256> ids) {
   if (ids.empty())
      return {};
   while (ids.size() > 1) {
      if (ids.size() % 2)
         ids.push_back(ids.back());
      for (std::size_t i = 0; i < ids.size() / 2; ++i)
         ids[i] = merkle_parent(ids[2 * i], ids[2 * i + 1]);
      ids.resize(ids.size() / 2);
   }
   return ids.front();
}

namespace {
std::size_t max_depth(uint64_t node_count) {
   if (node_count == 0)
      return 0;
   return std::countr_zero(std::bit_ceil(node_count)) + 1;
}
} // namespace

const checksum256& incremental_merkle::append(const checksum256& leaf) {
   bool partial = false;
   const std::size_t depth = max_depth(node_count + 1);
   std::size_t current_depth = depth - 1;
   uint64_t index = node_count;
   checksum256 top = leaf;
   auto active = active_nodes.begin();
   std::vector<checksum256> updated;
   updated.reserve(depth);
   while (current_depth > 0) {
      if (!(index & 1)) {
         if (!partial)
            updated.push_back(top);
         top = merkle_parent(top, top);
         partial = true;
      } else {
         const checksum256& left = *active++;
         if (partial)
            updated.push_back(left);
         top = merkle_parent(left, top);
      }
      --current_depth;
      index >>= 1;
   }
   updated.push_back(top);
   active_nodes = std::move(updated);
   ++node_count;
   return active_nodes.back();
}

checksum256 savanna_merkle_parent(const checksum256& l, const checksum256& r) {
   return sha256({std::span<const uint8_t>(l.data), std::span<const uint8_t>(r.data)});
}

namespace {
/// Root of a full tree over 2^k leaves (k ≥ 1), level by level in a scratch copy.
checksum256 pow2_root(std::span<const checksum256> leaves) {
   std::vector<checksum256> level(leaves.begin(), leaves.end());
   while (level.size() > 1) {
      for (std::size_t i = 0; i < level.size() / 2; ++i)
         level[i] = savanna_merkle_parent(level[2 * i], level[2 * i + 1]);
      level.resize(level.size() / 2);
   }
   return level.front();
}
} // namespace

checksum256 savanna_merkle(std::span<const checksum256> leaves) {
   if (leaves.empty())
      return {};
   // Right spine: full power-of-two prefixes, then what remains (iteratively, innermost last).
   std::vector<checksum256> prefixes;
   while (leaves.size() > 1) {
      const std::size_t full = std::bit_floor(leaves.size());
      if (full == leaves.size())
         break;
      prefixes.push_back(pow2_root(leaves.first(full)));
      leaves = leaves.subspan(full);
   }
   checksum256 acc = leaves.size() == 1 ? leaves.front() : pow2_root(leaves);
   for (auto it = prefixes.rbegin(); it != prefixes.rend(); ++it)
      acc = savanna_merkle_parent(*it, acc);
   return acc;
}

void savanna_incremental_merkle::append(const checksum256& leaf) {
   // Carry like binary addition: the new leaf merges with the held subtrees of size 1, 2, 4...
   checksum256 carry = leaf;
   std::size_t k = 0;
   while (mask & (uint64_t(1) << k)) {
      carry = savanna_merkle_parent(trees.back(), carry);
      trees.pop_back();
      mask &= ~(uint64_t(1) << k);
      ++k;
   }
   trees.push_back(carry);
   mask |= uint64_t(1) << k;
}

checksum256 savanna_incremental_merkle::root() const {
   if (trees.empty())
      return {};
   checksum256 acc = trees.back();
   for (std::size_t i = trees.size() - 1; i-- > 0;)
      acc = savanna_merkle_parent(trees[i], acc);
   return acc;
}

} // namespace core
