// connection over real loopback sockets: frames in and out, priority, go_away on close, and a
// bad frame closing only its own connection.
#include "net/connection.hpp"

#include "codec/hex.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include <cstring>
#include <thread>

#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

using namespace core;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
struct recorder : connection_events {
   std::vector<net_message> messages;
   std::vector<disconnect_reason> closed;
   void on_message(connection&, net_message&& m, std::span<const uint8_t>) override { messages.push_back(std::move(m)); }
   void on_closed(connection&, const disconnect_reason& why) override { closed.push_back(why); }
};

/// A connected socket pair on loopback.
std::pair<tcp::socket, tcp::socket> socket_pair(asio::io_context& io) {
   tcp::acceptor acc(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
   tcp::socket a(io), b(io);
   a.connect(acc.local_endpoint());
   acc.accept(b);
   return {std::move(a), std::move(b)};
}

void run_for(asio::io_context& io, std::chrono::milliseconds d) {
   io.restart();
   io.run_for(d);
}
} // namespace

TEST_CASE("connection: frames both ways with sync frames first", "[net]") {
   asio::io_context io;
   auto [sa, sb] = socket_pair(io);
   recorder ra, rb;
   auto a = std::make_shared<connection>(std::move(sa), 1, true, ra);
   auto b = std::make_shared<connection>(std::move(sb), 2, false, rb);
   a->start();
   b->start();
   a->send_message(time_message{0, 0, 123, 0});
   a->send_message(sync_request_message{1, 100});
   run_for(io, std::chrono::milliseconds(200));
   REQUIRE(rb.messages.size() == 2);
   CHECK(std::get<time_message>(rb.messages[0]).xmt == 123);
   CHECK(std::get<sync_request_message>(rb.messages[1]).end_block == 100);
   CHECK(a->bytes_sent() == b->bytes_received());
   CHECK(a->queued_bytes() == 0);
}

TEST_CASE("connection: close with a go_away writes it before closing", "[net]") {
   asio::io_context io;
   auto [sa, sb] = socket_pair(io);
   recorder ra, rb;
   auto a = std::make_shared<connection>(std::move(sa), 1, true, ra);
   auto b = std::make_shared<connection>(std::move(sb), 2, false, rb);
   a->start();
   b->start();
   a->close(disconnect_reason::sent(go_away_reason::wrong_chain, disconnect_op::handshake, "chain id differs"));
   run_for(io, std::chrono::milliseconds(200));
   REQUIRE(rb.messages.size() == 1);
   CHECK(std::get<go_away_message>(rb.messages[0]).reason == go_away_reason::wrong_chain);
   REQUIRE(ra.closed.size() == 1);
   CHECK(*ra.closed[0].go_away == go_away_reason::wrong_chain);
   REQUIRE(rb.closed.size() == 1); // the peer sees EOF
   CHECK(rb.closed[0].op == disconnect_op::read);
   a->close(disconnect_reason::plain(disconnect_op::local, "again"));
   CHECK(ra.closed.size() == 1); // reported once
}

TEST_CASE("connection: an oversize frame, an unknown index or garbage closes only that connection", "[net]") {
   for (const std::string& bad : {std::string("01008000"), std::string("020000000e00"), std::string("0300000006ffff")}) {
      INFO(bad);
      asio::io_context io;
      auto [s1, s2] = socket_pair(io);
      auto [s3, s4] = socket_pair(io);
      recorder r_bad, r_good;
      auto victim = std::make_shared<connection>(std::move(s2), 2, false, r_bad);
      auto healthy = std::make_shared<connection>(std::move(s4), 4, false, r_good);
      victim->start();
      healthy->start();
      auto raw = *from_hex(bad);
      asio::write(s1, asio::buffer(raw));
      auto ok = encode_frame(sync_request_message{5, 6});
      asio::write(s3, asio::buffer(ok));
      run_for(io, std::chrono::milliseconds(200));
      REQUIRE(r_bad.closed.size() == 1);
      CHECK(r_bad.closed[0].op == disconnect_op::read);
      CHECK(r_bad.messages.empty());
      CHECK(r_good.closed.empty());
      CHECK(r_good.messages.size() == 1);
      CHECK(healthy->is_open());
   }
}

TEST_CASE("connection: the write queue high-water mark, and the close at twice the cap for a peer that never reads", "[net]") {
   asio::io_context io;
   auto [sa, sb] = socket_pair(io);
   auto [sc, sd] = socket_pair(io);
   recorder ra, rb, rc;
   // A reading peer: the mark is what was queued at once; the queue empties.
   auto a = std::make_shared<connection>(std::move(sa), 1, true, ra);
   auto b = std::make_shared<connection>(std::move(sb), 2, false, rb);
   a->start();
   b->start();
   CHECK(a->queued_bytes_high_water() == 0);
   const auto ping = std::make_shared<const std::vector<uint8_t>>(encode_frame(time_message{0, 0, 1, 0}));
   a->send(ping);
   a->send(ping);
   CHECK(a->queued_bytes_high_water() == 2 * ping->size());
   run_for(io, std::chrono::milliseconds(200));
   CHECK(rb.messages.size() == 2);
   CHECK(a->queued_bytes() == 0);
   CHECK(a->queued_bytes_high_water() == 2 * ping->size());

   // A peer that never reads (sd stays unread): the queue grows past the kernel's buffers until
   // an enqueue takes it above 2 x max_write_queue_bytes, which closes the connection.
   auto c = std::make_shared<connection>(std::move(sc), 3, false, rc);
   c->start();
   const auto mib = std::make_shared<const std::vector<uint8_t>>(1024 * 1024, uint8_t{0});
   const std::size_t sends = 2 * connection::max_write_queue_bytes / mib->size() + 64;
   std::size_t sent = 0;
   for (; sent < sends && c->is_open(); ++sent) {
      c->send(mib);
      run_for(io, std::chrono::milliseconds(1));
   }
   run_for(io, std::chrono::milliseconds(100));
   REQUIRE(rc.closed.size() == 1);
   CHECK(rc.closed[0].op == disconnect_op::write);
   CHECK(sent < sends);
   CHECK(c->queued_bytes_high_water() > 2 * connection::max_write_queue_bytes);
   CHECK(c->queued_bytes_high_water() <= 2 * connection::max_write_queue_bytes + mib->size());
   CHECK(c->bytes_sent() < sent * mib->size());
}

TEST_CASE("connection: a large frame goes to the socket in one call, not 64 KiB at a time", "[net]") {
   // The node relays a block from inside its application, which then blocks the thread (the
   // store's fdatasync): what the first write call hands the kernel is what peers get meanwhile.
   asio::io_context io;
   auto [sa, sb] = socket_pair(io);
   const int fd = sa.native_handle();
   const int out_buf = 4 * 1024 * 1024;
   ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &out_buf, sizeof out_buf);
   recorder ra;
   auto a = std::make_shared<connection>(std::move(sa), 1, true, ra);
   a->start();
   const auto block = std::make_shared<const std::vector<uint8_t>>(1024 * 1024, uint8_t{7});
   a->send(block); // no io.run(): the thread is busy elsewhere
   int unsent = 0, readable = 0;
   ::ioctl(fd, SIOCOUTQ, &unsent);
   std::this_thread::sleep_for(std::chrono::milliseconds(20));
   ::ioctl(sb.native_handle(), FIONREAD, &readable);
   INFO("in the send queue " << unsent << ", readable " << readable);
   CHECK(std::size_t(unsent) + std::size_t(readable) > 512 * 1024);
}
