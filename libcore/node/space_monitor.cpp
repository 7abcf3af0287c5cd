#include "node/space_monitor.hpp"

#include <fmt/format.h>

#include <sys/statvfs.h>

namespace core {

std::optional<space_reading> read_space(const std::filesystem::path& path) {
   struct statvfs st {};
   if (::statvfs(path.c_str(), &st) != 0)
      return std::nullopt;
   const uint64_t unit = st.f_frsize ? st.f_frsize : st.f_bsize;
   return space_reading{static_cast<uint64_t>(st.f_blocks) * unit, static_cast<uint64_t>(st.f_bavail) * unit};
}

namespace {
std::string mib(uint64_t bytes) { return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20)); }
} // namespace

std::optional<std::string> space_exceeded(const space_reading& r, const space_limits& limits,
                                          const std::filesystem::path& path) {
   if (r.capacity == 0)
      return std::nullopt;
   if (limits.absolute_bytes > 0) {
      if (r.available >= limits.absolute_bytes)
         return std::nullopt;
      return fmt::format("{} has {} free of {}, below resource-monitor-space-absolute-gb ({})", path.string(),
                         mib(r.available), mib(r.capacity), mib(limits.absolute_bytes));
   }
   // Used, as nodeos counts it: what an unprivileged writer can no longer use.
   const uint64_t used = r.capacity - std::min(r.available, r.capacity);
   if (used * 100 <= static_cast<uint64_t>(limits.threshold_percent) * r.capacity)
      return std::nullopt;
   return fmt::format("{} is {:.1f}% used ({} free of {}), above resource-monitor-space-threshold ({}%)", path.string(),
                      100.0 * static_cast<double>(used) / static_cast<double>(r.capacity), mib(r.available),
                      mib(r.capacity), limits.threshold_percent);
}

} // namespace core
