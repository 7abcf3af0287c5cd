#include "node_process.hpp"

#include "support/control_request.hpp"

#include "codec/codec.hpp"
#include "types/block.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <signal.h>

#include <cstdlib>
#include <deque>
#include <fstream>
#include <sstream>
#include <thread>

namespace it {

const std::string& p2pnode_bin() {
   static const std::string b = P2PNODE_BIN;
   return b;
}
const std::string& p2pctl_bin() {
   static const std::string b = P2PCTL_BIN;
   return b;
}
const std::string& msgcraft_bin() {
   static const std::string b = MSGCRAFT_BIN;
   return b;
}

std::optional<rapidjson::Document> parse_object(const std::string& text) {
   rapidjson::Document d;
   d.Parse(text.c_str(), text.size());
   if (d.HasParseError() || !d.IsObject())
      return std::nullopt;
   return d;
}

std::string str_member(const rapidjson::Value& v, const char* key, std::string fallback) {
   if (!v.IsObject() || !v.HasMember(key))
      return fallback;
   const auto& m = v[key];
   if (m.IsString())
      return {m.GetString(), m.GetStringLength()};
   if (m.IsUint64())
      return std::to_string(m.GetUint64());
   if (m.IsInt64())
      return std::to_string(m.GetInt64());
   return fallback;
}

uint64_t uint_member(const rapidjson::Value& v, const char* key, uint64_t fallback) {
   if (!v.IsObject() || !v.HasMember(key))
      return fallback;
   const auto& m = v[key];
   if (m.IsUint64())
      return m.GetUint64();
   if (m.IsString()) {
      char* end = nullptr;
      const auto x = std::strtoull(m.GetString(), &end, 10);
      if (end && *end == 0 && m.GetStringLength() > 0)
         return x;
   }
   return fallback;
}

std::optional<node_status> parse_status(const rapidjson::Value& v) {
   if (!v.IsObject())
      return std::nullopt;
   for (const char* k : {"chain_id", "head_block_num", "head_block_id", "last_irreversible_block_num", "sync_state"})
      if (!v.HasMember(k))
         return std::nullopt;
   node_status s;
   s.chain_id = str_member(v, "chain_id");
   s.node_id = str_member(v, "node_id");
   s.head_num = static_cast<uint32_t>(uint_member(v, "head_block_num"));
   s.head_id = str_member(v, "head_block_id");
   s.head_producer = str_member(v, "head_block_producer");
   s.lib_num = static_cast<uint32_t>(uint_member(v, "last_irreversible_block_num"));
   s.lib_id = str_member(v, "last_irreversible_block_id");
   s.fork_db_head_num = static_cast<uint32_t>(uint_member(v, "fork_db_head_block_num", s.head_num));
   s.sync_state = str_member(v, "sync_state");
   s.peer_count = static_cast<uint32_t>(uint_member(v, "peer_count"));
   if (v.HasMember("producers") && v["producers"].IsArray())
      for (const auto& p : v["producers"].GetArray())
         if (p.IsString())
            s.producers.emplace_back(p.GetString());
   return s;
}

bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
   const auto deadline = std::chrono::steady_clock::now() + timeout;
   for (;;) {
      if (pred())
         return true;
      if (std::chrono::steady_clock::now() >= deadline)
         return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
   }
}

node_process::node_process(const std::filesystem::path& root, std::string name)
   : name_(std::move(name)), dir_(root / name_), port_(free_port()) {
   std::filesystem::create_directories(dir_);
   set("p2p-listen-endpoint", endpoint());
   // Every peer of a loopback cluster (and every fake peer) connects from 127.0.0.1; the Leap
   // default of one inbound connection per host would refuse all but the first.
   set("p2p-max-nodes-per-host", "20");
}

node_process::~node_process() {
   if (proc_.running()) {
      proc_.signal(SIGKILL);
      proc_.wait(std::chrono::seconds(5));
   }
}

std::string node_process::endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

node_process& node_process::set(std::string option, std::string value) {
   config_.emplace_back(std::move(option), std::move(value));
   return *this;
}

node_process& node_process::unset(const std::string& option) {
   std::erase_if(config_, [&](const auto& kv) { return kv.first == option; });
   return *this;
}

node_process& node_process::arg(std::string a) {
   args_.push_back(std::move(a));
   return *this;
}

void node_process::write_config() const {
   std::ofstream out(dir_ / "config.ini", std::ios::trunc);
   out << "# written by the integration tests\n";
   for (const auto& [k, v] : config_)
      out << k << " = " << v << '\n';
}

void node_process::spawn() {
   REQUIRE_FALSE(proc_.running());
   write_config();
   {
      std::ofstream log(log_path(), std::ios::app);
      log << "==== integration test: starting " << name_ << " ====\n";
   }
   std::vector<std::string> args = {"--data-dir", dir_.string()};
   args.insert(args.end(), args_.begin(), args_.end());
   proc_ = background_process(p2pnode_bin(), args, log_path(), log_path());
}

void node_process::start(std::chrono::milliseconds ready_within) {
   spawn();
   bool exited = false;
   const bool ready = wait_until(
      [&] {
         if (!proc_.running()) {
            exited = true;
            return true;
         }
         return status().has_value();
      },
      ready_within);
   INFO(name_ << " log:\n" << log_tail());
   if (exited)
      FAIL(name_ << ": p2pnode exited during start-up with status " << proc_.exit_status().value_or(-999));
   if (!ready)
      FAIL(name_ << ": control socket did not answer status within " << ready_within.count() << " ms");
}

std::optional<int> node_process::stop(std::chrono::milliseconds grace) {
   if (!proc_.running())
      return proc_.exit_status();
   proc_.signal(SIGTERM);
   auto st = proc_.wait(grace);
   if (!st) {
      proc_.signal(SIGKILL);
      proc_.wait(std::chrono::seconds(5));
      return std::nullopt;
   }
   return st;
}

void node_process::kill9() {
   proc_.signal(SIGKILL);
   proc_.wait(std::chrono::seconds(5));
}

std::optional<node_status> node_process::status() {
   auto reply = test::control_request(dir_ / "p2pnode.sock", R"({"cmd":"status"})", std::chrono::seconds(3));
   if (!reply)
      return std::nullopt;
   auto d = parse_object(*reply);
   if (!d || !d->HasMember("ok") || !(*d)["ok"].IsBool() || !(*d)["ok"].GetBool() || !d->HasMember("result"))
      return std::nullopt;
   return parse_status((*d)["result"]);
}

node_status node_process::require_status() {
   auto s = status();
   if (!s) {
      INFO(name_ << " log:\n" << log_tail());
      FAIL(name_ << ": no status from the control socket");
   }
   return *s;
}

run_result node_process::ctl(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
   std::vector<std::string> full = {"--data-dir", dir_.string(), "--json"};
   full.insert(full.end(), args.begin(), args.end());
   return run_tool(p2pctl_bin(), full, timeout);
}

std::vector<rapidjson::Document> node_process::peers() {
   std::vector<rapidjson::Document> v;
   auto r = ctl({"peers"});
   if (r.rc != 0)
      return v;
   for (const auto& line : r.lines())
      if (auto d = parse_object(line))
         v.push_back(std::move(*d));
   return v;
}

std::optional<std::string> node_process::block_json(uint32_t num) {
   auto r = ctl({"block", std::to_string(num)});
   if (r.rc != 0 || r.lines().empty())
      return std::nullopt;
   return r.lines().front();
}

namespace {

std::optional<std::string> id_of_block_value(const rapidjson::Value& v) {
   if (!v.IsObject())
      return std::nullopt;
   for (const char* k : {"id", "block_id"})
      if (v.HasMember(k) && v[k].IsString())
         return std::string(v[k].GetString());
   auto b = core::from_json<core::signed_block>(v);
   if (b)
      return b->calculate_id().to_string();
   return std::nullopt;
}

} // namespace

std::optional<std::string> node_process::block_id(uint32_t num) {
   auto text = block_json(num);
   if (!text)
      return std::nullopt;
   auto d = parse_object(*text);
   if (!d)
      return std::nullopt;
   if (auto id = id_of_block_value(*d))
      return id;
   for (const char* k : {"block", "result"})
      if (d->HasMember(k))
         if (auto id = id_of_block_value((*d)[k]))
            return id;
   return std::nullopt;
}

std::string node_process::log_text() const {
   std::ifstream in(log_path());
   std::ostringstream s;
   s << in.rdbuf();
   return s.str();
}

std::string node_process::log_tail(std::size_t lines) const {
   std::ifstream in(log_path());
   std::deque<std::string> last;
   for (std::string l; std::getline(in, l);) {
      last.push_back(std::move(l));
      if (last.size() > lines)
         last.pop_front();
   }
   std::string s;
   for (const auto& l : last)
      s += l + '\n';
   return s;
}

std::string logs_of(const std::vector<node_process*>& nodes, std::size_t lines) {
   std::string s;
   for (auto* n : nodes)
      s += "== " + n->name() + " (" + n->endpoint() + ") ==\n" + n->log_tail(lines);
   return s;
}

scratch_root::scratch_root(const std::string& test_name) {
   path_ = std::filesystem::temp_directory_path() / ("p2pit-" + test_name + "-" + std::to_string(::getpid()));
   std::filesystem::remove_all(path_);
   std::filesystem::create_directories(path_);
}

scratch_root::~scratch_root() {
   if (!std::getenv("P2P_IT_KEEP")) {
      std::error_code ec;
      std::filesystem::remove_all(path_, ec);
   }
}

} // namespace it
