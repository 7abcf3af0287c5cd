#pragma once
/// The node's control socket: a Unix stream socket speaking JSON lines (see p2pctl(1)).
///
/// One request line in, one reply line out, in order. A reply may turn its client into a "watch"
/// subscriber, which then also receives every line given to publish(). Requests are answered by
/// the handler; the server knows nothing of their meaning.
///
/// Concurrency: one network thread. The handler and every member (except the constructor and
/// start(), which may run before the io_context does) are called on the thread running `io`.
/// A slow or broken client never stalls that thread: writes are asynchronous with a per-client
/// queue of at most max_queue_bytes, and a client over it is closed.
#include "codec/result.hpp"

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace core {

/// What the handler answers to one request line.
struct control_reply {
   std::string line;       ///< one JSON object, no newline
   bool subscribe = false; ///< the client becomes a "watch" subscriber after this reply
};

class control_server {
public:
   /// Called once per non-blank request line (without its newline or a trailing '\r').
   /// A thrown std::exception becomes the reply {"ok":false,"error":what()}.
   using handler = std::function<control_reply(std::string_view request_line)>;

   /// A longer request line is answered {"ok":false,"error":"request line too long"} and its
   /// client closed.
   static constexpr std::size_t max_request_line_bytes = 32 * 1024 * 1024;
   /// Further clients get {"ok":false,"error":"too many clients"} and are closed.
   static constexpr std::size_t max_clients = 64;
   /// Per-client write queue cap; a client whose queue would exceed it is closed. One line larger
   /// than the cap is still sent when it is the only thing queued.
   static constexpr std::size_t max_queue_bytes = 8 * 1024 * 1024;

   control_server(boost::asio::io_context& io, std::filesystem::path socket_path, handler h);
   ~control_server(); ///< stop()
   control_server(const control_server&) = delete;
   control_server& operator=(const control_server&) = delete;

   /// Binds (mode 0600), listens and starts accepting. Fails when the path is too long for a Unix
   /// socket, exists and is not a socket, or another process accepts connections on it; a stale
   /// socket file is replaced. The error is one line naming the path.
   result<bool> start();
   /// Sends `event_line` (one JSON object, no newline) to every watch subscriber.
   void publish(std::string_view event_line);
   /// Closes the listener and every client and unlinks the socket file (if start() created it).
   /// Idempotent.
   void stop();
   /// Connected clients (subscribers included).
   std::size_t client_count() const;
   /// Watch subscribers among them.
   std::size_t subscriber_count() const;
   const std::filesystem::path& path() const { return path_; }

   class state; ///< shared with in-flight asio handlers; outlives the server while they run

private:
   std::filesystem::path path_;
   std::shared_ptr<state> state_;
};

} // namespace core
