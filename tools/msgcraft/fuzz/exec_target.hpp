#pragma once
/// `msgcraft fuzz --exec 'CMD ARGS'`: the target process, run by /bin/sh -c in its own process
/// group, its stdout and stderr appended to one log per start (sanitizer reports survive), ready
/// once its port accepts a TCP connection, restarted after it dies.
#include "codec/result.hpp"

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace msgcraft::fuzz {

/// How a process ended.
struct exit_info {
   int code = 0;   ///< exit code (when signal == 0)
   int signal = 0; ///< the signal that killed it
   /// A non-zero exit or a signal. A shell reports its child's signal N as exit 128+N.
   bool crash() const { return signal != 0 || code != 0; }
   /// "exit 1", "signal 6 (SIGABRT)", "exit 134 (signal 6, SIGABRT, through the shell)".
   std::string text() const;
};

class exec_target {
public:
   /// `log_dir` receives "target-<n>.log" for the n-th start (from 1).
   exec_target(std::string command, std::string host, uint16_t port, std::filesystem::path log_dir);
   ~exec_target();
   exec_target(const exec_target&) = delete;
   exec_target& operator=(const exec_target&) = delete;

   /// Starts the command and waits until host:port accepts a connection. Error: one line (the
   /// process exited first, with its exit and the last lines of its log, or the wait timed out).
   core::result<bool> start(std::chrono::milliseconds ready_within);
   /// The exit of a process that has ended (reaped here); nullopt while it runs or when none.
   std::optional<exit_info> poll();
   /// Waits up to `within` for the process to end.
   std::optional<exit_info> wait_exit(std::chrono::milliseconds within);
   /// SIGTERM to the process group, SIGKILL after `grace`; returns its exit (nullopt if none ran).
   std::optional<exit_info> stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
   bool running() const { return pid_ > 0; }

   unsigned starts() const { return starts_; }
   std::filesystem::path log_path() const;
   /// The last `max_bytes` of the current (or last) log.
   std::string log_tail(std::size_t max_bytes = 64 * 1024) const;

private:
   std::string command_;
   std::string host_;
   uint16_t port_;
   std::filesystem::path log_dir_;
   pid_t pid_ = -1;
   unsigned starts_ = 0;
};

/// True when a TCP connection to host:port succeeds within `timeout`.
bool port_accepts(const std::string& host, uint16_t port, std::chrono::milliseconds timeout);

} // namespace msgcraft::fuzz
