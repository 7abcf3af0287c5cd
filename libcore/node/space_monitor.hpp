#pragma once
/// The store's filesystem, watched as nodeos's resource_monitor_plugin watches it (same option
/// names and bounds): space used above `threshold_percent`, or free space below
/// `absolute_bytes` when that is set, counts as exceeded. nodeos then shuts down; p2pnode stops
/// writing the store (no blocks accepted or produced) and resumes once space is back, so that
/// a full disk never reaches RocksDB.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace core {

struct space_limits {
   uint32_t threshold_percent = 90;     ///< resource-monitor-space-threshold, 6..99
   uint64_t absolute_bytes = 0;         ///< resource-monitor-space-absolute-gb in bytes; 0: unused
};

struct space_reading {
   uint64_t capacity = 0;   ///< bytes of the filesystem
   uint64_t available = 0;  ///< bytes an unprivileged writer may still use (statvfs f_bavail)
};

/// The filesystem holding `path`; nullopt when it cannot be read (then nothing is decided).
std::optional<space_reading> read_space(const std::filesystem::path& path);

/// Why `r` exceeds `limits`, in one line naming `path`; nullopt when it does not.
std::optional<std::string> space_exceeded(const space_reading& r, const space_limits& limits,
                                          const std::filesystem::path& path);

} // namespace core
