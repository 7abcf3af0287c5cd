#pragma once
// Damage to a store's write-ahead log, as a disk error, a careless copy or `dd conv=notrunc`
// leaves it: the files, and overwriting or cutting them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace core::test {

/// The newest write-ahead log file (NNNNNN.log) of the store at `dir`.
inline std::filesystem::path newest_wal(const std::filesystem::path& dir) {
   std::vector<std::filesystem::path> logs;
   for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".log")
         logs.push_back(e.path());
   REQUIRE_FALSE(logs.empty());
   return *std::max_element(logs.begin(), logs.end());
}

/// Overwrites `n` bytes at `offset` with a pattern, keeping the file's size (dd conv=notrunc).
inline void overwrite(const std::filesystem::path& file, std::uintmax_t offset, std::size_t n) {
   std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
   REQUIRE(f);
   f.seekp(static_cast<std::streamoff>(offset));
   const std::string junk(n, '\xa5');
   f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
   REQUIRE(f);
}

} // namespace core::test
