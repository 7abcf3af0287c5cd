#include "peer_session.hpp"

#include "types/devnet.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace msgcraft {

namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

int64_t wall_ns() {
   return duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// Milliseconds to pass to poll(2) until `deadline` (0 when it has passed).
int poll_ms(peer_session::clock::time_point deadline) {
   const auto left = deadline - peer_session::clock::now();
   if (left <= peer_session::clock::duration::zero())
      return 0;
   const auto ms = duration_cast<milliseconds>(left).count() + 1;
   return ms > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(ms);
}

std::string errno_text(int e) {
   std::string s = std::strerror(e);
   if (!s.empty())
      s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
   return s;
}

/// One non-blocking connect attempt, then back to blocking mode. Error: errno text.
core::result<int> connect_one(const addrinfo& ai, peer_session::clock::time_point deadline, milliseconds timeout) {
   const int fd = ::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC, ai.ai_protocol);
   if (fd < 0)
      return core::unexpected{errno_text(errno)};
   const int flags = ::fcntl(fd, F_GETFL);
   ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
   int rc = ::connect(fd, ai.ai_addr, ai.ai_addrlen);
   if (rc != 0 && errno != EINPROGRESS) {
      const int e = errno;
      ::close(fd);
      return core::unexpected{errno_text(e)};
   }
   if (rc != 0) {
      pollfd p{fd, POLLOUT, 0};
      do {
         rc = ::poll(&p, 1, poll_ms(deadline));
      } while (rc < 0 && errno == EINTR);
      if (rc == 0) {
         ::close(fd);
         return core::unexpected{fmt::format("timed out after {} ms", timeout.count())};
      }
      int err = 0;
      socklen_t len = sizeof err;
      if (rc < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
         err = errno;
      if (err != 0) {
         ::close(fd);
         return core::unexpected{errno_text(err)};
      }
   }
   ::fcntl(fd, F_SETFL, flags);
   const int one = 1;
   ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
   return fd;
}

} // namespace

core::checksum256 devnet_chain_id() { return core::devnet_genesis().compute_chain_id(); }

core::handshake_message build_handshake(const handshake_options& opts, int64_t now_ns) {
   core::peer_identity local;
   local.chain_id = opts.chain_id;
   local.node_id = opts.node_id;
   local.server_address = opts.server_address;
   local.agent = opts.agent;
   local.os = opts.os;
   local.network_version = opts.network_version;
   if (opts.key)
      local.peer_private_keys.emplace(opts.key->get_public_key(), *opts.key);
   const int64_t t = opts.time_ns.value_or(now_ns);
   auto h = core::make_handshake(local, opts.chain, core::connection_kind::both, core::proto::leap_initial,
                                 opts.generation, core::net_time{t});
   h.network_version = opts.network_version;
   if (opts.p2p_address)
      h.p2p_address = *opts.p2p_address;
   return h;
}

core::result<peer_session> peer_session::connect(const std::string& host_arg, uint16_t port,
                                                 std::chrono::milliseconds timeout) {
   std::string host = host_arg;
   if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
   const auto deadline = clock::now() + timeout;
   addrinfo hints{};
   hints.ai_family = AF_UNSPEC;
   hints.ai_socktype = SOCK_STREAM;
   addrinfo* list = nullptr;
   const std::string service = std::to_string(port);
   if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list); rc != 0)
      return core::unexpected{fmt::format("cannot resolve {}: {}", host, ::gai_strerror(rc))};
   std::string last_error = "no address";
   int fd = -1;
   for (const addrinfo* ai = list; ai && fd < 0; ai = ai->ai_next) {
      auto r = connect_one(*ai, deadline, timeout);
      if (r)
         fd = *r;
      else
         last_error = r.error();
   }
   ::freeaddrinfo(list);
   if (fd < 0)
      return core::unexpected{last_error};
   return peer_session(fd);
}

peer_session::peer_session(peer_session&& o) noexcept
   : fd_(o.fd_), decoder_(std::move(o.decoder_)), auto_time_(o.auto_time_),
     handshake_received_(o.handshake_received_), failed_(o.failed_), closed_reason_(std::move(o.closed_reason_)),
     error_reason_(std::move(o.error_reason_)), error_offset_(o.error_offset_), time_(o.time_),
     on_sent_(std::move(o.on_sent_)) {
   o.fd_ = -1;
}

peer_session& peer_session::operator=(peer_session&& o) noexcept {
   if (this != &o) {
      close();
      fd_ = o.fd_;
      o.fd_ = -1;
      decoder_ = std::move(o.decoder_);
      auto_time_ = o.auto_time_;
      handshake_received_ = o.handshake_received_;
      failed_ = o.failed_;
      closed_reason_ = std::move(o.closed_reason_);
      error_reason_ = std::move(o.error_reason_);
      error_offset_ = o.error_offset_;
      time_ = o.time_;
      on_sent_ = std::move(o.on_sent_);
   }
   return *this;
}

peer_session::~peer_session() { close(); }

void peer_session::close() {
   if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
      if (closed_reason_.empty())
         closed_reason_ = "closed locally";
   }
}

core::result<bool> peer_session::write_all(std::span<const uint8_t> bytes, bool automatic) {
   if (fd_ < 0)
      return core::unexpected{std::string("not connected")};
   std::size_t done = 0;
   while (done < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n < 0) {
         if (errno == EINTR)
            continue;
         return core::unexpected{errno_text(errno)};
      }
      done += static_cast<std::size_t>(n);
   }
   if (on_sent_)
      on_sent_(bytes, automatic);
   return true;
}

core::result<core::handshake_message> peer_session::send_handshake(const handshake_options& opts) {
   auto h = build_handshake(opts, wall_ns());
   auto r = write_all(core::encode_frame(h), false);
   if (!r)
      return core::unexpected{r.error()};
   return h;
}

core::result<bool> peer_session::send(const core::net_message& msg) {
   return write_all(core::frame_payload(core::encode_payload(msg)), false);
}

core::result<bool> peer_session::send_raw(std::span<const uint8_t> bytes) { return write_all(bytes, false); }

core::result<bool> peer_session::send_ping() {
   auto ping = core::start_ping(time_, core::net_time{wall_ns()});
   if (!ping)
      return false;
   return write_all(core::encode_frame(*ping), false);
}

void peer_session::observe(const core::net_message& msg) {
   if (std::holds_alternative<core::handshake_message>(msg))
      handshake_received_ = true;
   const auto* t = std::get_if<core::time_message>(&msg);
   if (!t || !auto_time_)
      return;
   auto r = core::on_time_message(time_, *t, core::net_time{wall_ns()}, handshake_received_);
   // Only the reply to the peer's ping; a completed loop of ours needs nothing automatic.
   if (r.outcome == core::time_outcome::replied && r.reply && fd_ >= 0)
      (void)write_all(core::encode_frame(*r.reply), true); // a failed write shows up as a close on read
}

receive_result peer_session::receive(clock::time_point deadline) {
   receive_result out;
   for (;;) {
      if (failed_) {
         out.status = receive_status::error;
         out.reason = error_reason_;
         out.offset = error_offset_;
         return out;
      }
      auto next = decoder_.next();
      if (!next) {
         failed_ = true;
         error_reason_ = next.error().message();
         error_offset_ = decoder_.consumed();
         continue;
      }
      if (next->has_value()) {
         const auto& f = **next;
         auto msg = core::decode_payload(f.payload);
         if (!msg) {
            failed_ = true;
            core::decode_error e = msg.error();
            e.offset += f.offset + core::frame_header_bytes;
            error_reason_ = e.message();
            error_offset_ = f.offset;
            continue;
         }
         received_frame rf{std::chrono::system_clock::now(), f.which,
                           std::vector<uint8_t>(f.payload.begin(), f.payload.end()), f.offset, std::move(*msg)};
         observe(rf.message);
         out.status = receive_status::frame;
         out.frame = std::move(rf);
         return out;
      }
      if (fd_ < 0 || !closed_reason_.empty()) {
         out.status = receive_status::closed;
         out.reason = closed_reason_.empty() ? "not connected" : closed_reason_;
         if (decoder_.buffered() != 0)
            out.reason += fmt::format(" ({} bytes of an incomplete frame left)", decoder_.buffered());
         return out;
      }
      pollfd p{fd_, POLLIN, 0};
      int rc = ::poll(&p, 1, poll_ms(deadline));
      if (rc < 0 && errno == EINTR)
         continue;
      if (rc == 0) {
         out.status = receive_status::timeout;
         return out;
      }
      uint8_t buf[read_chunk_bytes];
      const ssize_t n = rc < 0 ? -1 : ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0) {
         decoder_.feed(std::span<const uint8_t>(buf, static_cast<std::size_t>(n)));
      } else if (n == 0) {
         closed_reason_ = "closed by peer";
      } else if (errno != EINTR && errno != EAGAIN) {
         closed_reason_ = errno_text(errno);
      }
   }
}

} // namespace msgcraft
