#pragma once
/// A scripted fake p2pnode for p2pctl tests: a real core::control_server on a background
/// io_context thread whose handler answers each "cmd" with a canned reply line and records
/// every request line it received.
#include "node/control_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace test {

class fake_node {
public:
   fake_node();
   ~fake_node();

   /// The reply line to `cmd` (default: {"ok":false,"error":"unknown command"}).
   void reply(const std::string& cmd, const std::string& line);
   /// Lines published to a client right after it subscribes with "watch".
   void events(std::vector<std::string> lines);
   /// Every request line received so far, in order.
   std::vector<std::string> requests() const;
   const std::string& socket() const { return socket_; }
   /// Runs p2pctl with `--socket <ours>` prepended.
   struct run_result {
      int code = -1;
      std::string out, err;
      std::vector<std::string> lines() const;
   };
   run_result run(std::vector<std::string> args, const std::string& stdin_text = "") const;

   std::filesystem::path dir;

private:
   core::control_reply handle(std::string_view line);

   std::string socket_;
   boost::asio::io_context io_;
   boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
   std::unique_ptr<core::control_server> server_;
   std::thread thread_;
   mutable std::mutex mutex_;
   std::map<std::string, std::string> replies_;
   std::vector<std::string> events_;
   std::vector<std::string> requests_;
};

/// Runs p2pctl in-process with exactly `args`.
fake_node::run_result run_p2pctl(std::vector<std::string> args, const std::string& stdin_text = "");

} // namespace test
