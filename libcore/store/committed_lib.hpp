#pragma once
/// The LIB a store last committed, recorded outside RocksDB (the file `committed-lib` in the
/// store's directory) after each synced commit. RocksDB's recovery may drop a torn tail of its
/// write-ahead log, never a commit this record names, so a store that recovers a LIB below the
/// record has lost irreversible blocks (a damaged or truncated log), and open refuses it.
///
/// The record is written after the commit it names is durable, so it never runs ahead of the
/// store; it is not fsynced itself (after a power cut it may name an earlier commit, which
/// weakens the check but never fails a sound store). Two 64-byte slots are written in turn,
/// each with a sequence number and a CRC-32: a write torn by a crash damages one slot, and the
/// other still names the commit before.
#include "codec/result.hpp"
#include "crypto/checksum.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>

namespace core {

struct committed_lib {
   uint64_t sequence = 0; ///< of the slot it was read from; the next write uses sequence + 1
   uint32_t block_num = 0;
   checksum256 id;
};

/// Path of the record inside a store directory.
std::filesystem::path committed_lib_path(const std::filesystem::path& store_dir);

/// The newest intact slot; nullopt when the file is absent (a store from before the record) or
/// holds no intact slot. Error: the file exists but cannot be read.
result<std::optional<committed_lib>> read_committed_lib(const std::filesystem::path& store_dir);

/// Writes `c` into slot c.sequence % 2 (creating the file). `sync`: fsync the file and, when it
/// was created, its directory (done once, when a store is created). Error: one line.
result<bool> write_committed_lib(const std::filesystem::path& store_dir, const committed_lib& c, bool sync);

} // namespace core
