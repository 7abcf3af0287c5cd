#include "fake_node.hpp"

#include "p2pctl.hpp"

#include <boost/asio/post.hpp>
#include <rapidjson/document.h>

#include <unistd.h>

#include <atomic>
#include <future>
#include <sstream>
#include <stdexcept>

namespace test {

fake_node::fake_node() {
   static std::atomic<int> n{0};
   dir = std::filesystem::temp_directory_path() / ("p2pctl-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
   std::filesystem::remove_all(dir);
   std::filesystem::create_directories(dir);
   socket_ = (dir / "p2pnode.sock").string();
   server_ = std::make_unique<core::control_server>(io_, socket_, [this](std::string_view l) { return handle(l); });
   auto r = server_->start();
   if (!r)
      throw std::runtime_error(r.error());
   thread_ = std::thread([this] { io_.run(); });
}

fake_node::~fake_node() {
   std::promise<void> done;
   boost::asio::post(io_, [&] {
      server_.reset();
      done.set_value();
   });
   done.get_future().wait();
   work_.reset();
   io_.stop();
   thread_.join();
   std::error_code ec;
   std::filesystem::remove_all(dir, ec);
}

void fake_node::reply(const std::string& cmd, const std::string& line) {
   std::lock_guard lock(mutex_);
   replies_[cmd] = line;
}

void fake_node::events(std::vector<std::string> lines) {
   std::lock_guard lock(mutex_);
   events_ = std::move(lines);
}

std::vector<std::string> fake_node::requests() const {
   std::lock_guard lock(mutex_);
   return requests_;
}

core::control_reply fake_node::handle(std::string_view line) {
   std::lock_guard lock(mutex_);
   requests_.emplace_back(line);
   rapidjson::Document d;
   d.Parse(line.data(), line.size());
   std::string cmd;
   if (!d.HasParseError() && d.IsObject() && d.HasMember("cmd") && d["cmd"].IsString())
      cmd = d["cmd"].GetString();
   const auto it = replies_.find(cmd);
   const std::string reply = it != replies_.end() ? it->second : R"({"ok":false,"error":"unknown command"})";
   if (cmd != "watch")
      return {reply, false};
   // Events follow the subscription reply: posted, so they are published after it is queued.
   boost::asio::post(io_, [this, events = events_] {
      for (const auto& e : events)
         server_->publish(e);
   });
   return {reply, true};
}

namespace {
std::vector<std::string> split_lines(const std::string& s) {
   std::vector<std::string> out;
   std::istringstream in(s);
   for (std::string line; std::getline(in, line);)
      out.push_back(line);
   return out;
}
} // namespace

std::vector<std::string> fake_node::run_result::lines() const { return split_lines(out); }

fake_node::run_result fake_node::run(std::vector<std::string> args, const std::string& stdin_text) const {
   args.insert(args.begin(), {"--socket", socket_});
   return run_p2pctl(std::move(args), stdin_text);
}

fake_node::run_result run_p2pctl(std::vector<std::string> args, const std::string& stdin_text) {
   std::istringstream in(stdin_text);
   std::ostringstream out, err;
   fake_node::run_result r;
   r.code = p2pctl::run(args, in, out, err);
   r.out = out.str();
   r.err = err.str();
   return r;
}

} // namespace test
