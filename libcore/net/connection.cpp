#include "net/connection.hpp"

#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cassert>

namespace core {

namespace asio = boost::asio;

connection::connection(asio::ip::tcp::socket socket, uint32_t id, bool outbound, connection_events& events)
   : socket_(std::move(socket)), close_timer_(socket_.get_executor()), id_(id), outbound_(outbound), events_(events) {
   boost::system::error_code ec;
   auto ep = socket_.remote_endpoint(ec);
   if (!ec) {
      remote_ip_ = ep.address().to_string();
      remote_port_ = ep.port();
   }
}

void connection::check_thread() const {
   assert(owner_ == std::thread::id{} || owner_ == std::this_thread::get_id());
}

void connection::start() {
   owner_ = std::this_thread::get_id();
   boost::system::error_code ec;
   socket_.set_option(asio::ip::tcp::no_delay(true), ec);
   read_some();
}

void connection::read_some() {
   socket_.async_read_some(asio::buffer(read_buf_), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                                 std::size_t n) { self->on_read(ec, n); });
}

void connection::on_read(const boost::system::error_code& ec, std::size_t n) {
   check_thread();
   if (closing_)
      return;
   if (ec) {
      close(disconnect_reason::io_error(disconnect_op::read, ec.value(),
                                        ec == asio::error::eof ? "closed by peer" : ec.message()));
      return;
   }
   bytes_in_ += n;
   decoder_.feed(std::span<const uint8_t>(read_buf_.data(), n));
   while (!closing_) {
      auto f = decoder_.next();
      if (!f) {
         close(disconnect_reason::plain(disconnect_op::read, "bad frame: " + f.error().message()));
         return;
      }
      if (!f->has_value())
         break;
      auto msg = decode_payload((*f)->payload);
      if (!msg) {
         close(disconnect_reason::plain(disconnect_op::read,
                                        fmt::format("bad {} message: {}", message_type_name((*f)->which),
                                                    msg.error().message())));
         return;
      }
      events_.on_message(*this, std::move(*msg), (*f)->payload);
   }
   if (closing_)
      return;
   if (queued_bytes_ > max_write_queue_bytes) {
      close(disconnect_reason::plain(disconnect_op::write,
                                     fmt::format("write queue {} bytes above {}", queued_bytes_, max_write_queue_bytes)));
      return;
   }
   read_some();
}

void connection::send(frame_ptr frame, bool sync_priority) {
   check_thread();
   if (closing_ || !frame)
      return;
   queued_bytes_ += frame->size();
   queued_high_water_ = std::max(queued_high_water_, queued_bytes_);
   (sync_priority ? sync_queue_ : queue_).push_back(std::move(frame));
   if (queued_bytes_ > 2 * max_write_queue_bytes) {
      close(disconnect_reason::plain(disconnect_op::write, fmt::format("write queue {} bytes", queued_bytes_)));
      return;
   }
   write_next();
}

void connection::write_next() {
   if (writing_)
      return;
   std::vector<asio::const_buffer> bufs;
   in_flight_.clear();
   for (auto* q : {&sync_queue_, &queue_}) {
      while (!q->empty() && bufs.size() < 64) {
         in_flight_.push_back(std::move(q->front()));
         q->pop_front();
         bufs.emplace_back(in_flight_.back()->data(), in_flight_.back()->size());
      }
   }
   if (bufs.empty()) {
      if (closing_)
         finish_close();
      return;
   }
   writing_ = true;
   // Asio's own completion conditions write at most 64 KiB per system call, and only the first
   // call happens now: the rest waits for this handler to return. A relayed block is sent from
   // inside block application, which then writes the store (an fdatasync), so a 1 MB block
   // would reach every peer only after that. Each call here offers everything queued; the
   // kernel takes what the socket's send buffer holds.
   const auto whole_write = [](const boost::system::error_code& ec, std::size_t) -> std::size_t {
      return ec ? 0 : max_write_call_bytes;
   };
   asio::async_write(socket_, bufs, whole_write, [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
      self->writing_ = false;
      self->bytes_out_ += n;
      for (const auto& f : self->in_flight_)
         self->queued_bytes_ -= f->size();
      self->in_flight_.clear();
      if (ec) {
         if (!self->closing_)
            self->close(disconnect_reason::io_error(disconnect_op::write, ec.value(), ec.message()));
         else
            self->finish_close();
         return;
      }
      self->write_next();
   });
}

void connection::close(disconnect_reason why) {
   check_thread();
   if (closing_)
      return;
   closing_ = true;
   reason_ = std::move(why);
   // Drop what is not yet on the wire; a go_away we owe the peer goes out alone.
   for (auto* q : {&sync_queue_, &queue_}) {
      for (const auto& f : *q)
         queued_bytes_ -= f->size();
      q->clear();
   }
   if (reason_.go_away && !reason_.go_away_received && socket_.is_open()) {
      go_away_message g;
      g.reason = *reason_.go_away;
      g.node_id = reason_.go_away_node_id;
      auto frame = std::make_shared<const std::vector<uint8_t>>(encode_frame(g));
      queued_bytes_ += frame->size();
      queue_.push_back(frame);
      write_next();
      // A peer that does not read must not hold the connection open.
      close_timer_.expires_after(close_linger);
      close_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
         if (!ec && !self->reported_) {
            boost::system::error_code ignored;
            self->socket_.close(ignored); // the pending write fails and finish_close() runs
         }
      });
      return; // finish_close() once written
   }
   if (!writing_)
      finish_close();
   else {
      boost::system::error_code ec;
      socket_.cancel(ec);
   }
}

void connection::finish_close() {
   if (reported_)
      return;
   reported_ = true;
   close_timer_.cancel();
   boost::system::error_code ec;
   socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
   socket_.close(ec);
   events_.on_closed(*this, reason_);
}

} // namespace core
