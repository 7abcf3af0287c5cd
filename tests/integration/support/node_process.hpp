#pragma once
/// One real p2pnode on loopback for the integration tests: its data dir and config.ini, the
/// process, and the control socket / p2pctl queries. Not thread-safe; one test thread.
#include "process.hpp"

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace it {

/// Where the programs under test are (compile definitions set by CMake).
const std::string& p2pnode_bin();
const std::string& p2pctl_bin();
const std::string& msgcraft_bin();

/// `p2pctl --json status`, the fields the tests use.
struct node_status {
   std::string chain_id;
   std::string node_id;
   uint32_t head_num = 0;
   std::string head_id;
   std::string head_producer;
   uint32_t lib_num = 0;
   std::string lib_id;
   uint32_t fork_db_head_num = 0;
   std::string sync_state;
   uint32_t peer_count = 0;
   std::vector<std::string> producers;
};
/// Parses a status object; nullopt when a field is missing or has the wrong type.
std::optional<node_status> parse_status(const rapidjson::Value& v);

/// Polls `pred` every 100 ms until it is true or `timeout` passes; returns its last value.
bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout);

class node_process {
public:
   /// A node named `name` (its folder under `root`), listening on a free loopback port.
   node_process(const std::filesystem::path& root, std::string name);
   ~node_process();
   node_process(const node_process&) = delete;
   node_process& operator=(const node_process&) = delete;

   const std::string& name() const { return name_; }
   const std::filesystem::path& data_dir() const { return dir_; }
   uint16_t port() const { return port_; }
   /// "127.0.0.1:<port>", what peers put in p2p-peer-address.
   std::string endpoint() const;
   std::filesystem::path log_path() const { return dir_ / "p2pnode.log"; }

   /// Adds a config.ini line `name = value` (written at start()).
   node_process& set(std::string option, std::string value);
   /// Removes every line of `option`.
   node_process& unset(const std::string& option);
   /// Adds a command-line argument (after --data-dir).
   node_process& arg(std::string a);

   /// Writes config.ini, starts p2pnode and waits (bounded) until the control socket answers
   /// status. Fails the test (with the log tail) when the process exits or never answers.
   void start(std::chrono::milliseconds ready_within = std::chrono::seconds(20));
   /// Starts the process without waiting for the control socket (to test start-up failures).
   void spawn();
   /// SIGTERM, then SIGKILL after `grace`; the exit code (nullopt when it had to be killed).
   std::optional<int> stop(std::chrono::milliseconds grace = std::chrono::seconds(15));
   /// SIGKILL and reap.
   void kill9();
   bool running() { return proc_.running(); }
   background_process& process() { return proc_; }

   /// Status through the control socket ({"cmd":"status"}); nullopt when unreachable or bad.
   std::optional<node_status> status();
   /// Status, failing the test if the node does not answer.
   node_status require_status();
   /// Runs `p2pctl --data-dir D --json args...`.
   run_result ctl(const std::vector<std::string>& args, std::chrono::milliseconds timeout = std::chrono::seconds(10));
   /// `p2pctl --json peers`, one object per peer (empty when the call fails).
   std::vector<rapidjson::Document> peers();
   /// Id of block `num` on this node's chain through `p2pctl --json block NUM`; nullopt if unknown.
   std::optional<std::string> block_id(uint32_t num);
   /// The block's JSON text (`p2pctl --json block NUM`), nullopt if unknown.
   std::optional<std::string> block_json(uint32_t num);

   std::string log_text() const;
   /// The last `lines` lines of the log.
   std::string log_tail(std::size_t lines = 30) const;

private:
   void write_config() const;

   std::string name_;
   std::filesystem::path dir_;
   uint16_t port_;
   std::vector<std::pair<std::string, std::string>> config_;
   std::vector<std::string> args_;
   background_process proc_;
};

/// "== name ==\n<tail>" of every node, for INFO on failure.
std::string logs_of(const std::vector<node_process*>& nodes, std::size_t lines = 25);

/// A per-test scratch root in /tmp, removed at the end unless P2P_IT_KEEP is set.
class scratch_root {
public:
   explicit scratch_root(const std::string& test_name);
   ~scratch_root();
   const std::filesystem::path& path() const { return path_; }

private:
   std::filesystem::path path_;
};

/// Reads a JSON document; nullopt unless it parses to an object.
std::optional<rapidjson::Document> parse_object(const std::string& text);
/// Member as string / unsigned (numbers printed as strings accepted); fallback when absent.
std::string str_member(const rapidjson::Value& v, const char* key, std::string fallback = "");
uint64_t uint_member(const rapidjson::Value& v, const char* key, uint64_t fallback = 0);

} // namespace it

/// Waits (it::wait_until) for a condition; on timeout fails the test (REQUIRE) or records the
/// failure and goes on (CHECK), with the condition's text and `logs` evaluated at that moment.
#define IT_WAIT_REQUIRE(logs, timeout, ...)                                                        \
   do {                                                                                            \
      if (!::it::wait_until([&]() -> bool { return (__VA_ARGS__); }, timeout))                     \
         FAIL("not within " #timeout ": " #__VA_ARGS__ "\n" << (logs));                            \
   } while (0)
#define IT_WAIT_CHECK(logs, timeout, ...)                                                          \
   do {                                                                                            \
      if (!::it::wait_until([&]() -> bool { return (__VA_ARGS__); }, timeout))                     \
         FAIL_CHECK("not within " #timeout ": " #__VA_ARGS__ "\n" << (logs));                      \
   } while (0)
