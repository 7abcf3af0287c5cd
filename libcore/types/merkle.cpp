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

} // namespace core
