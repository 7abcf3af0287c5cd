#pragma once
// Shared pieces of the networked-node benchmarks (bench_net_*): real p2pnode processes on
// loopback, a blocking client for their control socket, fake peers (msgcraft::peer_session) that
// look like current peers, signed transactions and small statistics. Figures only; no asserts.
#include "types/devnet.hpp"
#include "codec/codec.hpp"
#include "crypto/private_key.hpp"
#include "net/frame.hpp"
#include "bench_support.hpp"
#include "peer_session.hpp"
#include "support/control_request.hpp"
#include "support/test_transactions.hpp"
#include "types/block.hpp"
#include "types/transaction.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace bench {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

inline double seconds_between(steady::time_point a, steady::time_point b) {
   return std::chrono::duration<double>(b - a).count();
}

/// The producer options of every producing bench node (the devnet's producer and key).
inline std::vector<std::string> producer_args() {
   return {"--producer-name", "eosio", "--signature-provider",
           fmt::format("{}=KEY:{}", core::devnet_public_key, core::devnet_private_key_wif), "--enable-stale-production"};
}

/// A fresh scratch directory under the temp directory (removed first if it exists).
inline std::filesystem::path scratch_dir(const std::string& name) {
   auto d = std::filesystem::temp_directory_path() / fmt::format("{}_{}", name, ::getpid());
   std::filesystem::remove_all(d);
   std::filesystem::create_directories(d);
   return d;
}

/// A loopback TCP port that was free a moment ago (bind to port 0, read it back, close).
inline uint16_t free_port() {
   const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   sockaddr_in a{};
   a.sin_family = AF_INET;
   a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   socklen_t len = sizeof a;
   if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
       ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("free_port: cannot bind");
   ::close(fd);
   return ntohs(a.sin_port);
}

/// Runs `bin args...` to completion with stdout/stderr appended to `log`; returns the exit code
/// (-1 when it did not exit normally).
inline int run_to_completion(const std::string& bin, const std::vector<std::string>& args,
                             const std::filesystem::path& log);

/// Starts `bin args...` with stdin from /dev/null and stdout/stderr appended to `log`.
inline pid_t spawn_process(const std::string& bin, std::vector<std::string> args, const std::filesystem::path& log) {
   std::vector<char*> argv;
   std::string b = bin;
   argv.push_back(b.data());
   for (auto& a : args)
      argv.push_back(a.data());
   argv.push_back(nullptr);
   const std::string log_path = log.string();
   posix_spawn_file_actions_t fa;
   posix_spawn_file_actions_init(&fa);
   posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
   posix_spawn_file_actions_addopen(&fa, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
   posix_spawn_file_actions_adddup2(&fa, 1, 2);
   pid_t pid = -1;
   const int rc = ::posix_spawn(&pid, b.c_str(), &fa, nullptr, argv.data(), environ);
   posix_spawn_file_actions_destroy(&fa);
   if (rc != 0)
      throw std::runtime_error(fmt::format("posix_spawn {}: {}", bin, std::strerror(rc)));
   return pid;
}

inline int run_to_completion(const std::string& bin, const std::vector<std::string>& args,
                             const std::filesystem::path& log) {
   const pid_t pid = spawn_process(bin, args, log);
   int status = 0;
   if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
      return -1;
   return WEXITSTATUS(status);
}

/// VmRSS of a process in KiB (0 when unreadable).
inline uint64_t vm_rss_kib(pid_t pid) {
   std::ifstream in(fmt::format("/proc/{}/status", pid));
   for (std::string line; std::getline(in, line);)
      if (line.starts_with("VmRSS:"))
         return std::stoull(line.substr(6));
   return 0;
}

/// The part of a node's `status` reply the benches use.
struct node_status {
   uint32_t head_num = 0;
   std::string head_id;
   uint32_t lib_num = 0;
   std::string lib_id;
   std::string sync_state;
   uint32_t peer_count = 0;
   uint64_t unapplied_transactions = 0;
};

using test::control_request;

inline std::optional<node_status> parse_status(const std::string& line) {
   rapidjson::Document d;
   d.Parse(line.data(), line.size());
   if (d.HasParseError() || !d.IsObject() || !d.HasMember("ok") || !d["ok"].IsBool() || !d["ok"].GetBool() ||
       !d.HasMember("result") || !d["result"].IsObject())
      return std::nullopt;
   const auto& r = d["result"];
   node_status s;
   auto u = [&](const char* k) -> uint64_t { return r.HasMember(k) && r[k].IsUint64() ? r[k].GetUint64() : 0; };
   auto str = [&](const char* k) -> std::string { return r.HasMember(k) && r[k].IsString() ? r[k].GetString() : ""; };
   s.head_num = uint32_t(u("head_block_num"));
   s.head_id = str("head_block_id");
   s.lib_num = uint32_t(u("last_irreversible_block_num"));
   s.lib_id = str("last_irreversible_block_id");
   s.sync_state = str("sync_state");
   s.peer_count = uint32_t(u("peer_count"));
   s.unapplied_transactions = u("unapplied_transactions");
   return s;
}

/// A p2pnode process on loopback with its own data dir; SIGTERM (then SIGKILL) on destruction.
class node_process {
public:
   node_process(std::string name, std::filesystem::path data_dir, uint16_t port)
      : name_(std::move(name)), data_dir_(std::move(data_dir)), port_(port) {}
   node_process(const node_process&) = delete;
   node_process& operator=(const node_process&) = delete;
   ~node_process() { stop(); }

   /// Starts p2pnode with the common options plus `extra`.
   void start(const std::vector<std::string>& extra, uint32_t sync_fetch_span = 1000) {
      std::vector<std::string> args = {"--data-dir", data_dir_.string(), "--p2p-listen-endpoint", endpoint(),
                                       "--p2p-max-nodes-per-host", std::to_string(max_nodes_per_host), "--sync-fetch-span",
                                       std::to_string(sync_fetch_span), "--log-level", "warn"};
      args.insert(args.end(), extra.begin(), extra.end());
      std::filesystem::create_directories(data_dir_);
      started_at_ = steady::now();
      pid_ = spawn_process(P2PNODE_BINARY, args, log_path());
   }
   /// Waits until the control socket answers (false after `timeout`, or when the process died).
   bool wait_ready(std::chrono::milliseconds timeout = 10s) {
      const auto deadline = steady::now() + timeout;
      while (steady::now() < deadline) {
         if (status())
            return true;
         if (!alive())
            return false;
         std::this_thread::sleep_for(20ms);
      }
      return false;
   }
   bool alive() const {
      if (pid_ <= 0)
         return false;
      int st = 0;
      return ::waitpid(pid_, &st, WNOHANG) == 0;
   }
   void stop() {
      if (pid_ <= 0)
         return;
      ::kill(pid_, SIGTERM);
      const auto deadline = steady::now() + 5s;
      int st = 0;
      while (::waitpid(pid_, &st, WNOHANG) == 0) {
         if (steady::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &st, 0);
            break;
         }
         std::this_thread::sleep_for(10ms);
      }
      pid_ = -1;
   }

   std::optional<node_status> status() const {
      auto r = control_request(data_dir_ / "p2pnode.sock", R"({"cmd":"status"})");
      return r ? parse_status(*r) : std::nullopt;
   }
   /// Polls status every `period` until `pred` holds; the time it held, or nullopt on timeout.
   std::optional<steady::time_point> wait_for(const std::function<bool(const node_status&)>& pred,
                                              std::chrono::milliseconds timeout,
                                              std::chrono::milliseconds period = 50ms) const {
      const auto deadline = steady::now() + timeout;
      for (;;) {
         if (auto s = status(); s && pred(*s))
            return steady::now();
         if (steady::now() > deadline)
            return std::nullopt;
         std::this_thread::sleep_for(period);
      }
   }

   /// --p2p-max-nodes-per-host: every bench peer comes from 127.0.0.1.
   uint32_t max_nodes_per_host = 100;

   const std::string& name() const { return name_; }
   std::string endpoint() const { return fmt::format("127.0.0.1:{}", port_); }
   uint16_t port() const { return port_; }
   const std::filesystem::path& data_dir() const { return data_dir_; }
   std::filesystem::path log_path() const { return data_dir_.parent_path() / (name_ + ".log"); }
   pid_t pid() const { return pid_; }
   steady::time_point started_at() const { return started_at_; }

   /// The node's log lines containing `needle` (at most `max`), for the bottleneck notes.
   std::vector<std::string> log_lines(const std::string& needle, std::size_t max = 5) const {
      std::vector<std::string> out;
      std::ifstream in(log_path());
      for (std::string line; std::getline(in, line) && out.size() < max;)
         if (line.find(needle) != std::string::npos)
            out.push_back(line);
      return out;
   }
   std::size_t log_line_count() const {
      std::ifstream in(log_path());
      std::size_t n = 0;
      for (std::string line; std::getline(in, line);)
         ++n;
      return n;
   }

private:
   std::string name_;
   std::filesystem::path data_dir_;
   uint16_t port_;
   pid_t pid_ = -1;
   steady::time_point started_at_{};
};

/// Prints up to `max` lines of a node's log (warnings explain most slow figures).
inline void print_log_tail(const node_process& n, std::size_t max = 8) {
   std::ifstream in(n.log_path());
   std::vector<std::string> lines;
   for (std::string line; std::getline(in, line);)
      lines.push_back(std::move(line));
   const std::size_t from = lines.size() > max ? lines.size() - max : 0;
   if (lines.empty())
      return;
   fmt::print("  {} log: {} lines{}\n", n.name(), lines.size(), from ? fmt::format(", last {}", max) : "");
   for (std::size_t i = from; i < lines.size(); ++i)
      fmt::print("    {}\n", lines[i].substr(0, 300));
}

/// Handshake options that make a fake peer look current to a node in state `s`.
inline msgcraft::handshake_options current_peer_handshake(const node_status& s, const std::string& agent) {
   msgcraft::handshake_options o;
   auto head = core::block_id_type::from_string(s.head_id);
   auto lib = core::block_id_type::from_string(s.lib_id);
   if (!head || !lib)
      throw std::runtime_error("bad block id in status");
   o.chain.head_num = s.head_num;
   o.chain.head_id = *head;
   o.chain.lib_num = s.lib_num;
   o.chain.lib_id = *lib;
   o.agent = agent;
   return o;
}

/// Connects a fake peer to `port` and handshakes as a current peer of a node in state `s`; waits
/// for the node's handshake back. Throws on failure.
inline msgcraft::peer_session connect_current_peer(uint16_t port, const node_status& s, const std::string& agent,
                                                   core::handshake_message* theirs = nullptr) {
   auto c = msgcraft::peer_session::connect("127.0.0.1", port, 5000ms);
   if (!c)
      throw std::runtime_error("fake peer connect: " + c.error());
   if (auto r = c->send_handshake(current_peer_handshake(s, agent)); !r)
      throw std::runtime_error("fake peer handshake: " + r.error());
   auto h = c->receive_message<core::handshake_message>(steady::now() + 5s);
   if (!h)
      throw std::runtime_error("fake peer: no handshake from the node");
   if (theirs)
      *theirs = *h;
   return std::move(*c);
}

/// Reads whatever is already waiting on a fake peer's socket (answering pings); never blocks.
inline void drain(msgcraft::peer_session& s) {
   while (s.receive(steady::now()))
      ;
}

/// A unique transfer-like transaction with TAPO to (ref_num, ref_id), expiring `lifetime` from
/// now, signed once by `key`; unique by `nonce` in the action data.
inline core::packed_transaction make_signed_transaction(const core::checksum256& chain_id, uint32_t ref_num,
                                                        const core::block_id_type& ref_id, uint64_t nonce,
                                                        const core::private_key& key,
                                                        core::time_point_sec expiration) {
   using core::operator""_n;
   return test::signed_transfer(chain_id, ref_num, ref_id, expiration, fmt::format("bench-net nonce {}", nonce), key, "eosio"_n);
}

inline core::time_point_sec seconds_from_now(int64_t s) {
   const auto now_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
   return core::time_point_sec{uint32_t(now_s + s)};
}

/// The q-quantile (0..1) of `v` (sorted in place); 0 when empty.
inline double quantile(std::vector<double>& v, double q) {
   if (v.empty())
      return 0;
   std::sort(v.begin(), v.end());
   const auto i = std::size_t(q * double(v.size() - 1) + 0.5);
   return v[std::min(i, v.size() - 1)];
}

inline const char* verdict(bool met) { return met ? "met" : "NOT met"; }

} // namespace bench
