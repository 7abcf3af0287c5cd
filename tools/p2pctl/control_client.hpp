#pragma once
/// A blocking client for a p2pnode control socket: one Unix stream connection, JSON lines.
/// Plain POSIX sockets; every wait is bounded by a timeout or an interrupt flag.
#include "codec/result.hpp"

#include <chrono>
#include <csignal>
#include <optional>
#include <string>
#include <string_view>

namespace p2pctl {

/// Why a control-socket operation failed; `message` is one line without the socket path.
struct client_error {
   enum class kind { unreachable, closed, timeout, interrupted, io };
   kind what = kind::io;
   std::string message;
};

class control_client {
public:
   /// A reply line longer than this is an error (a block or the metrics text stays far below).
   static constexpr std::size_t max_line_bytes = 256 * 1024 * 1024;

   /// Connects to `path`, waiting at most `timeout` (a full listen backlog is retried).
   static core::result<control_client, client_error> connect(const std::string& path,
                                                             std::chrono::milliseconds timeout);
   control_client(control_client&& o) noexcept;
   control_client& operator=(control_client&&) = delete;
   control_client(const control_client&) = delete;
   ~control_client();

   /// Writes `line` and a newline, waiting at most `timeout` for the socket to take it.
   core::result<bool, client_error> send_line(std::string_view line, std::chrono::milliseconds timeout);
   /// The next line without its newline. Waits at most `timeout` (forever when nullopt); returns
   /// kind::interrupted as soon as `*interrupted` becomes non-zero.
   core::result<std::string, client_error> read_line(std::optional<std::chrono::milliseconds> timeout,
                                                     const volatile std::sig_atomic_t* interrupted = nullptr);

private:
   explicit control_client(int fd) : fd_(fd) {}
   int fd_ = -1;
   std::string buf_; ///< received bytes not yet returned as lines
};

} // namespace p2pctl
