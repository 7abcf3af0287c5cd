#include "fuzz/exec_target.hpp"

#include "peer_session.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <thread>

namespace msgcraft::fuzz {

namespace {

using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

std::string signal_name(int sig) {
   const char* abbrev = ::sigabbrev_np(sig);
   return abbrev ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", sig);
}

exit_info from_status(int status) {
   exit_info e;
   if (WIFSIGNALED(status))
      e.signal = WTERMSIG(status);
   else if (WIFEXITED(status))
      e.code = WEXITSTATUS(status);
   return e;
}

} // namespace

std::string exit_info::text() const {
   if (signal != 0)
      return fmt::format("signal {} ({})", signal, signal_name(signal));
   if (code > 128 && code < 128 + 65)
      return fmt::format("exit {} (signal {}, {}, through the shell)", code, code - 128, signal_name(code - 128));
   return fmt::format("exit {}", code);
}

bool port_accepts(const std::string& host, uint16_t port, milliseconds timeout) {
   return peer_session::connect(host, port, timeout).has_value();
}

exec_target::exec_target(std::string command, std::string host, uint16_t port, std::filesystem::path log_dir)
   : command_(std::move(command)), host_(std::move(host)), port_(port), log_dir_(std::move(log_dir)) {}

exec_target::~exec_target() { stop(milliseconds(2000)); }

std::filesystem::path exec_target::log_path() const {
   return log_dir_ / fmt::format("target-{}.log", std::max(starts_, 1u));
}

std::string exec_target::log_tail(std::size_t max_bytes) const {
   std::ifstream f(log_path(), std::ios::binary);
   if (!f)
      return {};
   f.seekg(0, std::ios::end);
   const auto size = static_cast<std::size_t>(f.tellg());
   const std::size_t from = size > max_bytes ? size - max_bytes : 0;
   f.seekg(static_cast<std::streamoff>(from));
   std::string out(size - from, '\0');
   f.read(out.data(), static_cast<std::streamsize>(out.size()));
   return out;
}

core::result<bool> exec_target::start(milliseconds ready_within) {
   if (pid_ > 0)
      return true;
   std::error_code ec;
   std::filesystem::create_directories(log_dir_, ec);
   ++starts_;
   const std::string log = log_path().string();
   const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
   if (log_fd < 0)
      return core::unexpected{fmt::format("cannot write {}: {}", log, std::strerror(errno))};
   const pid_t pid = ::fork();
   if (pid < 0) {
      ::close(log_fd);
      return core::unexpected{fmt::format("fork: {}", std::strerror(errno))};
   }
   if (pid == 0) {
      ::setpgid(0, 0);
      const int null_fd = ::open("/dev/null", O_RDONLY);
      if (null_fd >= 0)
         ::dup2(null_fd, 0);
      ::dup2(log_fd, 1);
      ::dup2(log_fd, 2);
      ::execl("/bin/sh", "sh", "-c", command_.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
   }
   ::setpgid(pid, pid);
   ::close(log_fd);
   pid_ = pid;

   const auto deadline = steady::now() + ready_within;
   while (steady::now() < deadline) {
      if (auto e = poll()) {
         std::string tail = log_tail(2000);
         while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r'))
            tail.pop_back();
         const auto nl = tail.rfind('\n');
         return core::unexpected{fmt::format("the target exited before accepting connections ({}){}", e->text(),
                                             tail.empty() ? "" : ": " + tail.substr(nl == std::string::npos ? 0 : nl + 1))};
      }
      if (port_accepts(host_, port_, milliseconds(250)))
         return true;
      std::this_thread::sleep_for(milliseconds(50));
   }
   stop(milliseconds(1000));
   return core::unexpected{fmt::format("the target did not accept connections on {}:{} within {} ms (log: {})", host_,
                                       port_, ready_within.count(), log)};
}

std::optional<exit_info> exec_target::poll() {
   if (pid_ <= 0)
      return std::nullopt;
   int status = 0;
   const pid_t r = ::waitpid(pid_, &status, WNOHANG);
   if (r != pid_)
      return std::nullopt;
   pid_ = -1;
   return from_status(status);
}

std::optional<exit_info> exec_target::wait_exit(milliseconds within) {
   const auto deadline = steady::now() + within;
   for (;;) {
      if (auto e = poll())
         return e;
      if (pid_ <= 0 || steady::now() >= deadline)
         return std::nullopt;
      std::this_thread::sleep_for(milliseconds(10));
   }
}

std::optional<exit_info> exec_target::stop(milliseconds grace) {
   if (pid_ <= 0)
      return std::nullopt;
   const pid_t pid = pid_;
   ::kill(-pid, SIGTERM);
   if (auto e = wait_exit(grace))
      return e;
   ::kill(-pid, SIGKILL);
   int status = 0;
   ::waitpid(pid, &status, 0);
   pid_ = -1;
   return from_status(status);
}

} // namespace msgcraft::fuzz
