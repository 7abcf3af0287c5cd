#include "chain/vote_digests.hpp"

#include <algorithm>

namespace core {

const bls::prepared_message& vote_digests::get(std::span<const uint8_t> message) {
   auto it = std::find_if(entries_.begin(), entries_.end(), [&](const bls::prepared_message& m) {
      return std::equal(m.message().begin(), m.message().end(), message.begin(), message.end());
   });
   if (it != entries_.end()) {
      entries_.splice(entries_.begin(), entries_, it);
      return entries_.front();
   }
   entries_.emplace_front(message);
   ++prepared_;
   if (entries_.size() > capacity_)
      entries_.pop_back();
   return entries_.front();
}

} // namespace core
