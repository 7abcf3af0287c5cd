#pragma once
/// Child processes for the integration tests: run a tool to completion with a deadline and
/// captured output, or start a long-running one with its output going to files.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace it {

/// What a finished tool run printed and returned. rc is the exit code, or -1 when it was killed
/// at the deadline (timed_out) or by a signal.
struct run_result {
   int rc = -1;
   std::string out;
   std::string err;
   bool timed_out = false;
   std::chrono::milliseconds elapsed{0};
   /// stdout split into non-empty lines.
   std::vector<std::string> lines() const;
};

/// Runs `bin args...`, collecting stdout and stderr; SIGKILLs it at `timeout`.
run_result run_tool(const std::string& bin, const std::vector<std::string>& args,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// A child started in the background, stdout and stderr appended to files.
class background_process {
public:
   background_process() = default;
   /// Starts `bin args...`; `out` / `err` are appended to (err may equal out).
   background_process(const std::string& bin, const std::vector<std::string>& args,
                      const std::filesystem::path& out, const std::filesystem::path& err);
   background_process(background_process&& o) noexcept;
   background_process& operator=(background_process&& o) noexcept;
   background_process(const background_process&) = delete;
   background_process& operator=(const background_process&) = delete;
   /// SIGKILLs a child still running.
   ~background_process();

   pid_t pid() const { return pid_; }
   /// True while the child has not been reaped.
   bool running();
   /// Sends `sig` (no-op when not running).
   void signal(int sig);
   /// Waits up to `timeout` for the child to exit; its exit code, -signal when killed by a
   /// signal, nullopt on timeout.
   std::optional<int> wait(std::chrono::milliseconds timeout);
   /// Exit status once reaped (as wait returns it).
   std::optional<int> exit_status() const { return status_; }

private:
   void reap(int raw);
   pid_t pid_ = -1;
   std::optional<int> status_;
};

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
uint16_t free_port();

} // namespace it
