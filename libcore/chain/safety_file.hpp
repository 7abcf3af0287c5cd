#pragma once
/// The finalizer safety file, in Spring's format (chain/finalizer.cpp, version 1), so a Spring
/// node and this one can hand a finalizer's safety information to each other:
///
///   u64 magic 0x5AFE11115AFE1111, u64 version (1), u64 count, then per finalizer: its BLS
///   public key (fc::raw: varint 96, 96 bytes), last_vote and lock (block id, timestamp,
///   finality digest: block_ref without its policy generations), other_branch_latest_time;
///   then the CRC-32 (zlib's) of everything before it.
///
/// Version 0 files (Spring 1.0 release candidates: a bool "votes forked since the latest strong
/// vote" in place of other_branch_latest_time, no checksum) are read as Spring reads them.
///
/// Spring rewrites its file in place; this one is written whole to a temporary file, synced,
/// renamed over the old one and the directory synced, so a crash at any moment leaves either
/// the old file or the new one, never a torn one.
#include "chain/finalizer.hpp"
#include "codec/result.hpp"
#include "crypto/bls/public_key.hpp"

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace core {

inline constexpr uint64_t safety_file_magic = 0x5AFE11115AFE1111ull;
inline constexpr uint64_t safety_file_version = 1;

struct safety_file_entry {
   bls::public_key key;
   finalizer_safety_information fsi;
   bool operator==(const safety_file_entry&) const = default;
};

/// The file's bytes for `entries` (version 1).
std::vector<uint8_t> encode_safety_file(std::span<const safety_file_entry> entries);
/// Entries from a file's bytes (version 0 or 1). Error: one line (bad magic, a version newer than
/// 1, truncation, a bad key, a bad checksum, trailing bytes).
result<std::vector<safety_file_entry>> decode_safety_file(std::span<const uint8_t> bytes);

/// Reads the file at `path`; a missing file is no entries (a finalizer's first start).
/// Error: one line naming the file.
result<std::vector<safety_file_entry>> read_safety_file(const std::filesystem::path& path);
/// Replaces the file at `path` durably (temporary file, fsync, rename, fsync of the directory,
/// which is created when missing). Error: one line naming the file; the old file is then intact.
result<bool> write_safety_file(const std::filesystem::path& path, std::span<const safety_file_entry> entries);

} // namespace core
