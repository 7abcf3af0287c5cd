#pragma once
/// Decoding limits, the same numbers fc and net_plugin enforce (PROTOCOL.md §1).
#include <cstddef>

namespace core::limits {

/// Largest frame payload nodeos accepts: 2 * def_send_buffer_size (4 MiB).
inline constexpr std::size_t max_message_bytes = 8 * 1024 * 1024;
/// fc MAX_NUM_ARRAY_ELEMENTS.
inline constexpr std::size_t max_array_elements = 1024 * 1024;
/// fc MAX_SIZE_OF_BYTE_ARRAYS.
inline constexpr std::size_t max_byte_array_bytes = 20 * 1024 * 1024;
/// Decompressed packed_trx / context-free data cap (chain packed_transaction, 1 MiB).
inline constexpr std::size_t max_decompressed_bytes = 1024 * 1024;
/// Handshake p2p_address / os / agent length cap (net_plugin max_handshake_str_length).
inline constexpr std::size_t max_handshake_str_length = 384;

} // namespace core::limits
