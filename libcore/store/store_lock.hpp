#pragma once
/// Who holds a RocksDB store's lock (the fcntl lock on its LOCK file), read from /proc/locks so
/// that asking never opens the LOCK file: closing any descriptor of it would release the POSIX
/// locks this very process holds on it.
#include <filesystem>
#include <optional>

namespace core {

/// The id of the process holding a lock on `store_dir`/LOCK, -1 when the lock's owner is not
/// known (an open-file-description lock), nullopt when nobody holds one (or there is no LOCK).
std::optional<int> store_lock_holder(const std::filesystem::path& store_dir);

} // namespace core
