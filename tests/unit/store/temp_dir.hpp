#pragma once
// A fresh directory under the system temp dir, removed with everything in it on destruction.
#include <filesystem>
#include <random>
#include <string>

#include <unistd.h>

namespace core::test {

struct temp_dir {
   std::filesystem::path path;
   temp_dir() {
      std::random_device rd;
      path = std::filesystem::temp_directory_path() /
             ("store-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
      std::filesystem::create_directories(path);
   }
   ~temp_dir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
   }
   temp_dir(const temp_dir&) = delete;
   temp_dir& operator=(const temp_dir&) = delete;
};

} // namespace core::test
