#pragma once
/// Mutations of one frame payload (message index + message). Structure-aware ones edit the
/// values the schema walk located (codec/schema_walk.hpp); `bytes` edits blindly. Pure
/// functions of (payload, pool of seeds, rng): no I/O, deterministic under a seed.
#include "fuzz/rng.hpp"
#include "fuzz/seeds.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace msgcraft::fuzz {

enum class mutation : uint8_t {
   int_boundary,   ///< an integer or enum at 0, 1, max, min, max-1, a first unknown enumerator
   count_mismatch, ///< a vector count or string/bytes length that disagrees with the content
   varint_form,    ///< a varuint32 spelled overlong, above 32 bits, or cut short
   variant_index,  ///< an unknown variant or message index
   extension_id,   ///< an unknown, repeated or reordered header/block/transaction extension
   bool_value,     ///< a bool or optional flag other than 0/1
   string_length,  ///< a string at and past 384 characters, empty, with NUL or invalid UTF-8
   splice,         ///< a value replaced by a value of the same type from another seed
   elements,       ///< vector elements repeated, removed or swapped (count kept consistent)
   bytes,          ///< plain byte edits: bit flips, inserted, deleted or repeated bytes, truncation
};
inline constexpr std::size_t mutation_count = 10;
std::string_view to_string(mutation m);

struct mutated {
   std::vector<uint8_t> payload;
   mutation kind = mutation::bytes;
   std::string what; ///< "int_boundary sync_request_message.end_block=4294967295"
};

/// Applies mutation `m` to `payload`; nullopt when it has nothing to work on (no integer, no
/// vector, ...). `pool` provides values to splice.
std::optional<mutated> apply_mutation(mutation m, std::span<const uint8_t> payload, std::span<const seed> pool,
                                      rng& r);

/// A mutation chosen uniformly among those that apply (`bytes` always does).
mutated mutate_payload(std::span<const uint8_t> payload, std::span<const seed> pool, rng& r);

/// The varuint32 encoding of v in exactly `bytes` bytes (1..5, non-minimal when longer than
/// needed); empty when v does not fit.
std::vector<uint8_t> varuint32_bytes(uint32_t v, std::size_t bytes = 0);

} // namespace msgcraft::fuzz
