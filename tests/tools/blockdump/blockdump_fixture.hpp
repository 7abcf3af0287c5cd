#pragma once
// Shared helpers for the blockdump tests: run in-process, the real log, scratch directories.
#include "blockdump.hpp"

#include "blocklog/nodeos_block_log.hpp"
#include "support/golden.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace test {

struct blockdump_outcome {
   int rc;
   std::string out, err;
   std::vector<std::string> lines() const {
      std::vector<std::string> v;
      std::istringstream in(out);
      for (std::string l; std::getline(in, l);)
         v.push_back(l);
      return v;
   }
};

inline blockdump_outcome run_blockdump(const std::vector<std::string>& args) {
   std::ostringstream out, err;
   int rc = blockdump::run(args, out, err);
   return {rc, out.str(), err.str()};
}

/// The real nodeos v2 log (3 blocks).
inline std::string real_blocks_dir() { return shared_path("protocol/data/leap-blocklog-snapshots"); }

/// The real log's blocks, decoded.
inline std::vector<core::signed_block> real_log_blocks() {
   auto log = core::nodeos_block_log::open(real_blocks_dir() + "/blocks.log");
   REQUIRE(log);
   std::vector<core::signed_block> v;
   auto cur = log->begin();
   while (true) {
      auto e = cur.next();
      REQUIRE(e);
      if (!e->has_value())
         break;
      auto b = log->decode(**e);
      REQUIRE(b);
      v.push_back(std::move(*b));
   }
   REQUIRE(v.size() == 3);
   return v;
}

/// A fresh, empty directory unique to this process and `name`.
inline std::filesystem::path scratch_dir(const std::string& name) {
   auto d = std::filesystem::temp_directory_path() / ("blockdump_" + name + "_" + std::to_string(::getpid()));
   std::filesystem::remove_all(d);
   std::filesystem::create_directories(d);
   return d;
}

} // namespace test
