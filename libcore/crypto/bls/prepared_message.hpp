#pragma once
/// A message made ready for many signature checks: hashed to G2 once (signature_dst), with the
/// Miller loop's lines for that point computed ahead. The votes on one block all sign its
/// finality digest (or the digest's weak form), so a node checking them prepares each digest
/// once; each vote then costs no hash and half the Miller loop (verify.hpp).
///
/// About 20 KB (68 lines of three Fp2 elements each): keep a few, not one per block.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace core::bls {

namespace detail {
struct g2_lines;
}

class public_key;
class signature;

class prepared_message {
public:
   explicit prepared_message(std::span<const uint8_t> message);
   prepared_message(prepared_message&&) noexcept;
   prepared_message& operator=(prepared_message&&) noexcept;
   ~prepared_message();

   const std::vector<uint8_t>& message() const { return message_; }

private:
   friend bool verify(const public_key& key, const prepared_message& message, const signature& sig);

   std::vector<uint8_t> message_;
   std::unique_ptr<const detail::g2_lines> lines_;
};

} // namespace core::bls
