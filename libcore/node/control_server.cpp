#include "node/control_server.hpp"

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <array>
#include <deque>
#include <exception>
#include <thread>
#include <vector>

namespace core {

namespace asio = boost::asio;
using local_protocol = asio::local::stream_protocol;
using line_ptr = std::shared_ptr<const std::string>;

/// Pause before accepting again after an accept error (e.g. out of file descriptors).
constexpr std::chrono::milliseconds accept_retry_delay{100};

namespace {

std::string error_line(std::string_view what) {
   rapidjson::StringBuffer sb;
   rapidjson::Writer<rapidjson::StringBuffer> w(sb);
   w.StartObject();
   w.Key("ok");
   w.Bool(false);
   w.Key("error");
   w.String(what.data(), static_cast<rapidjson::SizeType>(what.size()));
   w.EndObject();
   return sb.GetString();
}

/// Whether something accepts connections on the Unix socket `path` (never blocks: a full backlog
/// also counts as a live listener).
bool accepts_connections(const std::string& path) {
   const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
   if (fd < 0)
      return false;
   sockaddr_un addr{};
   addr.sun_family = AF_UNIX;
   std::memcpy(addr.sun_path, path.data(), path.size());
   const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
   const int e = errno;
   ::close(fd);
   return rc == 0 || e == EAGAIN || e == EINPROGRESS;
}

line_ptr make_line(std::string_view json) {
   std::string s;
   s.reserve(json.size() + 1);
   s.append(json);
   s.push_back('\n');
   return std::make_shared<const std::string>(std::move(s));
}

} // namespace

/// One connected client: the only code that touches its socket. Reads request lines, queues
/// replies and events, closes itself on any error.
class control_session : public std::enable_shared_from_this<control_session> {
public:
   static constexpr std::size_t read_chunk_bytes = 64 * 1024;

   control_session(local_protocol::socket s, std::weak_ptr<control_server::state> owner)
      : socket_(std::move(s)), owner_(std::move(owner)) {}

   void start() { read_some(); }
   /// Queues `line` then closes once everything queued is written; reads no more.
   void reject(std::string_view json) {
      reading_ = false;
      close_after_flush_ = true;
      partial_.clear();
      partial_.shrink_to_fit();
      send(make_line(json));
   }
   /// Queues one line; closes the client instead when its queue would pass the cap.
   void send(line_ptr line);
   void close();

   bool subscriber() const { return subscriber_; }
   bool closed() const { return closed_; }

private:
   void read_some();
   void on_read(const boost::system::error_code& ec, std::size_t n);
   /// Returns false when the session closed or stopped reading.
   bool handle_line(std::string_view line);
   void write_next();

   local_protocol::socket socket_;
   std::weak_ptr<control_server::state> owner_;
   std::array<char, read_chunk_bytes> chunk_{};
   std::string partial_; ///< bytes of the current, unfinished request line
   std::deque<line_ptr> queue_;
   std::size_t queued_bytes_ = 0;
   bool writing_ = false;
   bool reading_ = true;
   bool subscriber_ = false;
   bool close_after_flush_ = false;
   bool closed_ = false;
};

class control_server::state : public std::enable_shared_from_this<control_server::state> {
public:
   state(asio::io_context& io, std::filesystem::path p, handler h)
      : path_(std::move(p)), handler_(std::move(h)), acceptor_(io) {}

   result<bool> start();
   void stop();
   void publish(std::string_view event_line);
   control_reply answer(std::string_view request);
   void remove(const control_session* s) {
      std::erase_if(sessions_, [s](const auto& p) { return p.get() == s; });
   }
   std::size_t client_count() const { return sessions_.size(); }
   std::size_t subscriber_count() const {
      return static_cast<std::size_t>(
         std::count_if(sessions_.begin(), sessions_.end(), [](const auto& s) { return s->subscriber(); }));
   }

private:
   void accept_next();

   /// The network thread, once known (the first accept); every later call must come from it.
   void check_thread() const { assert(owner_ == std::thread::id{} || owner_ == std::this_thread::get_id()); }

   std::thread::id owner_;
   std::filesystem::path path_;
   handler handler_;
   local_protocol::acceptor acceptor_;
   std::vector<std::shared_ptr<control_session>> sessions_;
   bool created_file_ = false;
   bool stopped_ = false;
};

// ---- session ----

void control_session::read_some() {
   socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                              std::size_t n) { self->on_read(ec, n); });
}

void control_session::on_read(const boost::system::error_code& ec, std::size_t n) {
   if (closed_ || !reading_)
      return;
   if (ec) {
      // End of input: answer what was asked, then close. Any other error: close now.
      if (ec == asio::error::eof) {
         reading_ = false;
         close_after_flush_ = true;
         if (!writing_ && queue_.empty())
            close();
      } else {
         close();
      }
      return;
   }
   std::string_view data(chunk_.data(), n);
   while (!data.empty()) {
      const auto nl = data.find('\n');
      if (nl == std::string_view::npos) {
         if (partial_.size() + data.size() > control_server::max_request_line_bytes) {
            reject(error_line("request line too long"));
            return;
         }
         partial_.append(data);
         break;
      }
      const auto piece = data.substr(0, nl);
      data.remove_prefix(nl + 1);
      bool go_on;
      if (partial_.empty()) {
         go_on = handle_line(piece);
      } else {
         partial_.append(piece);
         std::string line = std::move(partial_);
         partial_.clear();
         go_on = handle_line(line);
      }
      if (!go_on)
         return;
   }
   read_some();
}

bool control_session::handle_line(std::string_view line) {
   if (line.size() > control_server::max_request_line_bytes) {
      reject(error_line("request line too long"));
      return false;
   }
   if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
   if (line.find_first_not_of(" \t\r") == std::string_view::npos)
      return true; // blank line: not a request
   auto owner = owner_.lock();
   if (!owner) {
      close();
      return false;
   }
   control_reply reply = owner->answer(line);
   if (closed_ || !reading_)
      return false; // the handler stopped the server, or the session closed meanwhile
   send(make_line(reply.line));
   if (closed_)
      return false;
   if (reply.subscribe)
      subscriber_ = true;
   return true;
}

void control_session::send(line_ptr line) {
   if (closed_)
      return;
   if (!queue_.empty() && queued_bytes_ + line->size() > control_server::max_queue_bytes) {
      close();
      return;
   }
   queued_bytes_ += line->size();
   queue_.push_back(std::move(line));
   if (!writing_)
      write_next();
}

void control_session::write_next() {
   if (closed_)
      return;
   if (queue_.empty()) {
      writing_ = false;
      if (close_after_flush_)
         close();
      return;
   }
   writing_ = true;
   const line_ptr front = queue_.front();
   asio::async_write(socket_, asio::buffer(*front),
                     [self = shared_from_this(), front](const boost::system::error_code& ec, std::size_t) {
                        if (self->closed_)
                           return;
                        if (ec) {
                           self->close();
                           return;
                        }
                        self->queued_bytes_ -= front->size();
                        self->queue_.pop_front();
                        self->write_next();
                     });
}

void control_session::close() {
   if (closed_)
      return;
   closed_ = true;
   reading_ = false;
   boost::system::error_code ec;
   socket_.shutdown(local_protocol::socket::shutdown_both, ec);
   socket_.close(ec);
   queue_.clear();
   queued_bytes_ = 0;
   if (auto owner = owner_.lock())
      owner->remove(this);
}

// ---- server state ----

result<bool> control_server::state::start() {
   if (stopped_)
      return unexpected(fmt::format("control socket {}: server was stopped", path_.string()));
   if (acceptor_.is_open())
      return unexpected(fmt::format("control socket {}: already started", path_.string()));
   const std::string p = path_.string();
   if (p.empty())
      return unexpected(std::string("control socket: empty path"));
   if (p.size() >= sizeof(sockaddr_un::sun_path))
      return unexpected(fmt::format("control socket path too long ({} bytes, at most {}): {}", p.size(),
                                    sizeof(sockaddr_un::sun_path) - 1, p));
   std::error_code fec;
   const auto st = std::filesystem::symlink_status(path_, fec);
   if (std::filesystem::exists(st)) {
      if (!std::filesystem::is_socket(st))
         return unexpected(fmt::format("control socket {}: exists and is not a socket", p));
      if (accepts_connections(p))
         return unexpected(fmt::format("another process is listening on {}", p));
      std::filesystem::remove(path_, fec);
      if (fec)
         return unexpected(fmt::format("control socket {}: cannot remove stale socket: {}", p, fec.message()));
   }
   boost::system::error_code ec;
   acceptor_.open(local_protocol(), ec);
   if (!ec)
      acceptor_.bind(local_protocol::endpoint(p), ec);
   if (ec) {
      acceptor_.close(ec);
      return unexpected(fmt::format("control socket {}: bind: {}", p, ec.message()));
   }
   created_file_ = true;
   const auto undo = [&](std::string what) -> result<bool> {
      acceptor_.close(ec);
      std::error_code rec;
      std::filesystem::remove(path_, rec);
      created_file_ = false;
      return unexpected(fmt::format("control socket {}: {}", p, what));
   };
   // Only the node's user may talk to it; nobody can connect before listen().
   if (::chmod(p.c_str(), S_IRUSR | S_IWUSR) != 0)
      return undo("chmod: " + std::generic_category().message(errno));
   acceptor_.listen(asio::socket_base::max_listen_connections, ec);
   if (ec)
      return undo("listen: " + ec.message());
   accept_next();
   return true;
}

void control_server::state::accept_next() {
   acceptor_.async_accept([self = shared_from_this()](const boost::system::error_code& ec, local_protocol::socket s) {
      if (self->owner_ == std::thread::id{})
         self->owner_ = std::this_thread::get_id();
      self->check_thread();
      if (self->stopped_ || !self->acceptor_.is_open())
         return;
      if (!ec) {
         auto session = std::make_shared<control_session>(std::move(s), self);
         if (self->sessions_.size() >= max_clients) {
            session->reject(error_line("too many clients"));
         } else {
            self->sessions_.push_back(session);
            session->start();
         }
         self->accept_next();
         return;
      }
      // Errors (descriptor exhaustion, a client gone before accept) do not end the loop, but
      // the next attempt waits a little so that a persistent one cannot spin the thread.
      auto timer = std::make_shared<asio::steady_timer>(self->acceptor_.get_executor(), accept_retry_delay);
      timer->async_wait([self, timer](const boost::system::error_code&) {
         if (!self->stopped_)
            self->accept_next();
      });
   });
}

control_reply control_server::state::answer(std::string_view request) {
   check_thread();
   try {
      return handler_(request);
   } catch (const std::exception& e) {
      return {error_line(e.what()), false};
   } catch (...) {
      return {error_line("internal error"), false};
   }
}

void control_server::state::publish(std::string_view event_line) {
   check_thread();
   if (stopped_)
      return;
   const line_ptr line = make_line(event_line);
   const auto snapshot = sessions_; // send() may close a session, which removes it
   for (const auto& s : snapshot)
      if (s->subscriber())
         s->send(line);
}

void control_server::state::stop() {
   check_thread();
   stopped_ = true;
   boost::system::error_code ec;
   acceptor_.close(ec);
   const auto snapshot = std::move(sessions_);
   sessions_.clear();
   for (const auto& s : snapshot)
      s->close();
   if (created_file_) {
      std::error_code fec;
      std::filesystem::remove(path_, fec);
      created_file_ = false;
   }
}

// ---- control_server ----

control_server::control_server(asio::io_context& io, std::filesystem::path socket_path, handler h)
   : path_(socket_path), state_(std::make_shared<state>(io, std::move(socket_path), std::move(h))) {}

control_server::~control_server() { stop(); }

result<bool> control_server::start() { return state_->start(); }
void control_server::publish(std::string_view event_line) { state_->publish(event_line); }
void control_server::stop() { state_->stop(); }
std::size_t control_server::client_count() const { return state_->client_count(); }
std::size_t control_server::subscriber_count() const { return state_->subscriber_count(); }

} // namespace core
