#pragma once
/// The digests the last few blocks' votes sign, prepared for signature checks. Every vote on a
/// block signs its finality digest (strong) or the digest's weak form, so a node that prepares
/// each once (bls::prepared_message: the hash to G2 and half the Miller loop) checks the other
/// votes in about two thirds of the time. A prepared message is about 20 KB, so only a few are
/// kept, the least recently used going first; votes arrive for the newest blocks.
#include "crypto/bls/prepared_message.hpp"

#include <cstddef>
#include <cstdint>
#include <list>
#include <span>

namespace core {

class vote_digests {
public:
   explicit vote_digests(std::size_t capacity = 8) : capacity_(capacity == 0 ? 1 : capacity) {}

   /// `message` prepared: found, or prepared now. The reference is valid until the next get().
   const bls::prepared_message& get(std::span<const uint8_t> message);

   std::size_t size() const { return entries_.size(); }
   /// Messages prepared since construction (a get() that found nothing).
   uint64_t prepared() const { return prepared_; }

private:
   std::size_t capacity_;
   std::list<bls::prepared_message> entries_; ///< most recently used first
   uint64_t prepared_ = 0;
};

} // namespace core
