#pragma once
/// One peer connection over Boost.Asio TCP: the only code that touches a peer's socket.
///
/// Owns the socket, a bounded receive path (a 64 KiB read chunk feeding the sans-I/O
/// frame_decoder, which holds at most one partial frame of ≤ 8 MiB), and a write queue of shared
/// immutable frames (one serialized block is shared by every peer). Sync blocks go in a priority
/// queue sent before other traffic. Every close goes through close(), which records the reason
/// and reports it once through connection_events::on_closed.
///
/// Concurrency: one network thread. Every member is called on the thread running the
/// io_context the socket belongs to (checked in debug builds).
#include "net/disconnect_reason.hpp"
#include "net/frame.hpp"
#include "net/messages.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace core {

class connection;

/// What a connection reports to its owner (the peer manager).
class connection_events {
public:
   virtual ~connection_events() = default;
   /// A complete, decoded message; `payload` (index + body) is valid during the call.
   virtual void on_message(connection& c, net_message&& m, std::span<const uint8_t> payload) = 0;
   /// The connection has closed; called exactly once.
   virtual void on_closed(connection& c, const disconnect_reason& why) = 0;
};

class connection : public std::enable_shared_from_this<connection> {
public:
   using frame_ptr = std::shared_ptr<const std::vector<uint8_t>>;

   static constexpr std::size_t read_chunk_bytes = 64 * 1024;
   /// Leap's def_max_write_queue_size: close when exceeded while reading (and 2× on enqueue).
   static constexpr std::size_t max_write_queue_bytes = 40 * 1024 * 1024;
   /// Most bytes offered to one send system call (Asio's default is 64 KiB).
   static constexpr std::size_t max_write_call_bytes = 16 * 1024 * 1024;
   /// Longest a close waits for its go_away to be written to a peer that does not read.
   static constexpr std::chrono::seconds close_linger{2};

   connection(boost::asio::ip::tcp::socket socket, uint32_t id, bool outbound, connection_events& events);

   /// Sets TCP_NODELAY and starts reading.
   void start();
   /// Queues a whole frame (length prefix included).
   void send(frame_ptr frame, bool sync_priority = false);
   template <class T>
   void send_message(const T& msg) {
      send(std::make_shared<const std::vector<uint8_t>>(encode_frame(msg)));
   }
   /// Closes once: when `why` carries a go_away to send, it is written first (bounded by the
   /// socket's state), then the socket closes. Later calls are ignored.
   void close(disconnect_reason why);

   uint32_t id() const { return id_; }
   bool outbound() const { return outbound_; }
   bool is_open() const { return !closing_; }
   const std::string& remote_ip() const { return remote_ip_; }
   uint16_t remote_port() const { return remote_port_; }
   uint64_t bytes_received() const { return bytes_in_; }
   uint64_t bytes_sent() const { return bytes_out_; }
   /// Bytes queued or being written (what the caps above apply to).
   std::size_t queued_bytes() const { return queued_bytes_; }
   /// The most queued_bytes() has ever been on this connection.
   std::size_t queued_bytes_high_water() const { return queued_high_water_; }

private:
   void read_some();
   void on_read(const boost::system::error_code& ec, std::size_t n);
   void write_next();
   void finish_close();
   void check_thread() const;

   boost::asio::ip::tcp::socket socket_;
   boost::asio::steady_timer close_timer_;
   const uint32_t id_;
   const bool outbound_;
   connection_events& events_;
   frame_decoder decoder_;
   std::array<uint8_t, read_chunk_bytes> read_buf_{};
   std::deque<frame_ptr> sync_queue_, queue_;
   std::vector<frame_ptr> in_flight_;
   std::size_t queued_bytes_ = 0;
   std::size_t queued_high_water_ = 0;
   bool writing_ = false;
   bool closing_ = false;
   bool reported_ = false;
   disconnect_reason reason_;
   std::string remote_ip_;
   uint16_t remote_port_ = 0;
   uint64_t bytes_in_ = 0, bytes_out_ = 0;
   std::thread::id owner_;
};

} // namespace core
