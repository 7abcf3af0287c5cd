#pragma once
/// msgcraft::peer_session: a scriptable fake peer over one outbound TCP connection, for
/// `msgcraft send` and for integration tests that drive a node directly.
///
/// Blocking POSIX socket (TCP_NODELAY) with poll(2) deadlines; the received bytes go through the
/// sans-I/O core::frame_decoder. Single-threaded: every member is called from one thread. Besides
/// answering the peer's time_message pings (auto_time, on by default) it does nothing on its own.
#include "codec/result.hpp"
#include "crypto/checksum.hpp"
#include "crypto/private_key.hpp"
#include "net/frame.hpp"
#include "net/messages.hpp"
#include "net/peer_identity.hpp"
#include "net/peer_timing.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace msgcraft {

/// The devnet's chain id (core::devnet_genesis().compute_chain_id()), the default --chain-id.
core::checksum256 devnet_chain_id();

/// What `msgcraft send` puts in its handshake; defaults are the command's defaults.
struct handshake_options {
   core::checksum256 chain_id = devnet_chain_id();
   core::checksum256 node_id = core::make_node_id();
   std::optional<core::private_key> key; ///< signs the token as nodeos does; none: key/sig/token zero
   core::handshake_chain_info chain;     ///< head/LIB advertised (zero by default)
   uint16_t network_version = core::proto::default_network_version; ///< whole value, 1212
   std::string server_address = "msgcraft:0"; ///< p2p_address = "<this> - <7 hex of node_id>"
   std::optional<std::string> p2p_address;     ///< replaces the whole p2p_address when set
   std::string agent = "msgcraft";
   std::string os = "linux";
   int16_t generation = 1;
   std::optional<int64_t> time_ns; ///< handshake time; default: the wall clock (ns since epoch)
};

/// The handshake core::make_handshake builds from `opts` at time `now_ns` (opts.time_ns wins).
core::handshake_message build_handshake(const handshake_options& opts, int64_t now_ns);

/// One received frame, decoded.
struct received_frame {
   std::chrono::system_clock::time_point at; ///< when its last byte was read
   uint32_t which = 0;                       ///< message index
   std::vector<uint8_t> payload;             ///< index + body (the frame without its length)
   std::size_t offset = 0;                   ///< stream offset of the frame's length prefix
   core::net_message message;
};

enum class receive_status : uint8_t {
   frame,   ///< `frame` holds the next message
   timeout, ///< the deadline passed with no complete frame
   closed,  ///< the peer closed the connection (or it failed); `reason` says how
   error,   ///< undecodable bytes; `reason` and `offset` say what and where. The session stays failed.
};

/// receive()'s answer; behaves like std::optional<received_frame> (true when a frame arrived).
struct receive_result {
   receive_status status = receive_status::timeout;
   std::optional<received_frame> frame;
   std::string reason;      ///< closed / error: one line
   std::size_t offset = 0;  ///< error: stream byte offset of the bad frame (or field)

   explicit operator bool() const { return status == receive_status::frame; }
   const received_frame& operator*() const { return *frame; }
   const received_frame* operator->() const { return &*frame; }
};

class peer_session {
public:
   using clock = std::chrono::steady_clock;

   /// Resolves `host` (name, IPv4, IPv6 with or without brackets) and connects within `timeout`.
   /// Error: one line ("connection refused", "timed out after 5000 ms", ...).
   static core::result<peer_session> connect(const std::string& host, uint16_t port,
                                             std::chrono::milliseconds timeout);

   peer_session(peer_session&& o) noexcept;
   peer_session& operator=(peer_session&& o) noexcept;
   peer_session(const peer_session&) = delete;
   peer_session& operator=(const peer_session&) = delete;
   ~peer_session();

   /// Sends build_handshake(opts, now) and returns it.
   core::result<core::handshake_message> send_handshake(const handshake_options& opts);
   /// Sends one message as a frame.
   core::result<bool> send(const core::net_message& msg);
   template <class T>
   core::result<bool> send(const T& msg) { return send(core::net_message{msg}); }
   /// Sends `bytes` unchanged (a frame, several, or anything malformed).
   core::result<bool> send_raw(std::span<const uint8_t> bytes);
   /// Starts a time loop as nodeos's send_time does; false when one is already in progress.
   core::result<bool> send_ping();

   /// The next frame, or timeout / closed / error. With auto_time a ping from the peer (org == 0)
   /// is answered before the frame is returned (the frame is still returned).
   receive_result receive(clock::time_point deadline);
   receive_result receive(std::chrono::milliseconds within) { return receive(clock::now() + within); }

   /// The next message of type T before `deadline`, skipping others; nullopt on timeout or close.
   template <class T>
   std::optional<T> receive_message(clock::time_point deadline) {
      for (;;) {
         auto r = receive(deadline);
         if (!r)
            return std::nullopt;
         if (const T* m = std::get_if<T>(&r->message))
            return *m;
      }
   }

   /// Answer the peer's pings (default true).
   void set_auto_time(bool on) { auto_time_ = on; }
   /// Called with every frame written, `automatic` for the session's own time replies.
   void on_sent(std::function<void(std::span<const uint8_t> bytes, bool automatic)> hook) {
      on_sent_ = std::move(hook);
   }
   /// Shuts the connection down; later sends fail and receive() reports closed.
   void close();
   bool is_open() const { return fd_ >= 0; }
   const core::time_sync_state& time_state() const { return time_; }
   /// Socket file descriptor (for poll in callers that wait on more than the session).
   int native_handle() const { return fd_; }

private:
   explicit peer_session(int fd) : fd_(fd) {}
   core::result<bool> write_all(std::span<const uint8_t> bytes, bool automatic);
   /// Handles session-level reactions to a frame (auto time reply, handshake seen).
   void observe(const core::net_message& msg);

   static constexpr std::size_t read_chunk_bytes = 64 * 1024;

   int fd_ = -1;
   core::frame_decoder decoder_;
   bool auto_time_ = true;
   bool handshake_received_ = false;
   bool failed_ = false;
   std::string closed_reason_; ///< set once the peer closed (reported by every later receive)
   std::string error_reason_;
   std::size_t error_offset_ = 0;
   core::time_sync_state time_;
   std::function<void(std::span<const uint8_t>, bool)> on_sent_;
};

} // namespace msgcraft
