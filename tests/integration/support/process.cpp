#include "process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace it {

namespace {

using clock = std::chrono::steady_clock;

std::vector<char*> make_argv(const std::string& bin, std::vector<std::string>& args) {
   std::vector<char*> argv;
   argv.push_back(const_cast<char*>(bin.c_str()));
   for (auto& a : args)
      argv.push_back(a.data());
   argv.push_back(nullptr);
   return argv;
}

int decode_status(int raw) {
   if (WIFEXITED(raw))
      return WEXITSTATUS(raw);
   if (WIFSIGNALED(raw))
      return -WTERMSIG(raw);
   return -1;
}

} // namespace

std::vector<std::string> run_result::lines() const {
   std::vector<std::string> v;
   std::istringstream in(out);
   for (std::string l; std::getline(in, l);)
      if (!l.empty())
         v.push_back(l);
   return v;
}

run_result run_tool(const std::string& bin, const std::vector<std::string>& args_in,
                    std::chrono::milliseconds timeout) {
   int out_pipe[2], err_pipe[2];
   if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe failed");
   posix_spawn_file_actions_t fa;
   posix_spawn_file_actions_init(&fa);
   posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
   posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
   posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
   auto args = args_in;
   auto argv = make_argv(bin, args);
   const auto start = clock::now();
   pid_t pid = -1;
   const int rc = ::posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv.data(), environ);
   posix_spawn_file_actions_destroy(&fa);
   ::close(out_pipe[1]);
   ::close(err_pipe[1]);
   run_result r;
   if (rc != 0) {
      ::close(out_pipe[0]);
      ::close(err_pipe[0]);
      r.err = "posix_spawn " + bin + " failed: " + std::to_string(rc);
      return r;
   }
   const auto deadline = start + timeout;
   pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
   int open_fds = 2;
   char buf[65536];
   while (open_fds > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
      if (left <= 0) {
         r.timed_out = true;
         break;
      }
      const int n = ::poll(fds, 2, static_cast<int>(left));
      if (n < 0 && errno == EINTR)
         continue;
      if (n <= 0)
         continue;
      for (int i = 0; i < 2; ++i) {
         if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
         const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
         if (got > 0) {
            (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(got));
         } else if (got == 0 || errno != EINTR) {
            ::close(fds[i].fd);
            fds[i].fd = -1;
            --open_fds;
         }
      }
   }
   if (r.timed_out)
      ::kill(pid, SIGKILL);
   for (auto& f : fds)
      if (f.fd >= 0)
         ::close(f.fd);
   int raw = 0;
   ::waitpid(pid, &raw, 0);
   r.rc = r.timed_out ? -1 : decode_status(raw);
   r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
   return r;
}

background_process::background_process(const std::string& bin, const std::vector<std::string>& args_in,
                                       const std::filesystem::path& out, const std::filesystem::path& err) {
   posix_spawn_file_actions_t fa;
   posix_spawn_file_actions_init(&fa);
   posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
   posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
   if (err == out)
      posix_spawn_file_actions_adddup2(&fa, 1, 2);
   else
      posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
   auto args = args_in;
   auto argv = make_argv(bin, args);
   const int rc = ::posix_spawn(&pid_, bin.c_str(), &fa, nullptr, argv.data(), environ);
   posix_spawn_file_actions_destroy(&fa);
   if (rc != 0)
      throw std::runtime_error("posix_spawn " + bin + " failed: " + std::to_string(rc));
}

background_process::background_process(background_process&& o) noexcept : pid_(o.pid_), status_(o.status_) {
   o.pid_ = -1;
}

background_process& background_process::operator=(background_process&& o) noexcept {
   if (this != &o) {
      if (running()) {
         ::kill(pid_, SIGKILL);
         wait(std::chrono::seconds(5));
      }
      pid_ = o.pid_;
      status_ = o.status_;
      o.pid_ = -1;
   }
   return *this;
}

background_process::~background_process() {
   if (running()) {
      ::kill(pid_, SIGKILL);
      wait(std::chrono::seconds(5));
   }
}

void background_process::reap(int raw) {
   status_ = decode_status(raw);
}

bool background_process::running() {
   if (pid_ < 0 || status_)
      return false;
   int raw = 0;
   const pid_t r = ::waitpid(pid_, &raw, WNOHANG);
   if (r == pid_) {
      reap(raw);
      return false;
   }
   return r == 0;
}

void background_process::signal(int sig) {
   if (running())
      ::kill(pid_, sig);
}

std::optional<int> background_process::wait(std::chrono::milliseconds timeout) {
   const auto deadline = clock::now() + timeout;
   while (running()) {
      if (clock::now() >= deadline)
         return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
   }
   return status_;
}

uint16_t free_port() {
   const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   if (fd < 0)
      throw std::runtime_error("socket failed");
   sockaddr_in a{};
   a.sin_family = AF_INET;
   a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   a.sin_port = 0;
   socklen_t len = sizeof a;
   if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
       ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      ::close(fd);
      throw std::runtime_error("bind to 127.0.0.1:0 failed");
   }
   ::close(fd);
   return ntohs(a.sin_port);
}

} // namespace it
