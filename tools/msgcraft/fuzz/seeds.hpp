#pragma once
/// What the fuzzer mutates: frame payloads (varuint32 message index + message), each laid out
/// by the net_message schema. Built-in seeds cover every message of protocols 7–12 (indices
/// 0–13); a corpus directory or a capture adds real ones.
#include "codec/result.hpp"
#include "codec/schema_walk.hpp"
#include "net/messages.hpp"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace msgcraft::fuzz {

struct seed {
   std::string origin;           ///< "builtin:sync_request_message", "corpus:F#3", "pcap:F#12"
   std::vector<uint8_t> payload; ///< message index + message
   core::wire_walk walk;         ///< payload laid out by core::net_message_schema()
   uint32_t which = 0;           ///< message index (first varuint32), even when it is unknown
   bool decodes = false;         ///< core::decode_payload accepts it
};

/// A seed from a payload (walked and checked here).
seed make_seed(std::string origin, std::vector<uint8_t> payload);

/// Two or more valid messages of every index 0–13, deterministic. `own` is the session's
/// handshake (the handshake seeds are variations of it); `chain_id` signs the transaction.
/// Messages 9–13 are written from their wire layout (PROTOCOL.md §3.11), not from the structs,
/// so they stay valid whatever C++ types decode them.
std::vector<seed> builtin_seeds(const core::handshake_message& own);

/// The node id of a campaign run without --node-id: derived from its --seed, not random. The
/// handshake and go_away seeds carry the node id, and the mutations depend on the bytes they
/// change (a byte is never replaced by its own value), so a random one would make the same
/// --seed send different cases.
core::checksum256 campaign_node_id(uint64_t seed);

/// Every frame of every regular file in `dir` (sorted by name): raw frames, hex frames, or
/// lines as `msgcraft send -f` reads them. Frames that do not decode are kept (and mutated).
/// Error: one line naming the file.
core::result<std::vector<seed>> corpus_seeds(const std::filesystem::path& dir);

/// Frames of one byte stream; a bad length ends it.
std::vector<seed> seeds_from_stream(std::span<const uint8_t> bytes, const std::string& origin);

} // namespace msgcraft::fuzz
