#pragma once
/// One p2pnode per data dir: an flock(2) on DIR/p2pnode.lock, held for the node's lifetime and
/// released by the kernel when the process ends however it ends (kill -9 included). The file
/// holds the holder's pid, so the node that is refused can name it.
#include "codec/result.hpp"

#include <filesystem>

namespace core {

class data_dir_lock {
public:
   /// Takes the lock without waiting. Error: "data dir DIR is in use by another p2pnode (pid N)"
   /// when a process holds it, or why the lock file cannot be opened.
   static result<data_dir_lock> acquire(const std::filesystem::path& data_dir);

   data_dir_lock(data_dir_lock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
   data_dir_lock& operator=(data_dir_lock&& other) noexcept;
   data_dir_lock(const data_dir_lock&) = delete;
   data_dir_lock& operator=(const data_dir_lock&) = delete;
   ~data_dir_lock();

   static constexpr const char* file_name = "p2pnode.lock";

private:
   explicit data_dir_lock(int fd) : fd_(fd) {}
   int fd_ = -1;
};

} // namespace core
