// A deliberately fragile peer for the msgcraft fuzz tests. It listens on 127.0.0.1:PORT and
// behaves like a lenient node: answers a handshake with its own, answers pings, closes a
// connection on a frame that does not decode. Its planted bug depends on the mode:
//   crash     aborts on a sync_request_message whose end_block is 4294967295 (the default)
//   sturdy    no bug
//   chatty    sends a vote_message (index 9) to every peer after its handshake, whatever the
//             peer's version: a protocol contradiction
//   hang      stops answering everyone after a notice_message with more than 2 block ids
// Usage: fragile_peer PORT [MODE]
#include "net/frame.hpp"
#include "net/messages.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

enum class mode { crash, sturdy, chatty, hang };

struct conn {
   core::frame_decoder decoder;
   bool handshake_sent = false;
};

int64_t now_ns() {
   return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void send_all(int fd, const std::vector<uint8_t>& bytes) {
   std::size_t done = 0;
   while (done < bytes.size()) {
      const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0)
         return;
      done += static_cast<std::size_t>(n);
   }
}

core::handshake_message own_handshake(const core::handshake_message& theirs) {
   core::handshake_message h;
   h.network_version = 1212;
   h.chain_id = theirs.chain_id;
   h.node_id.data.fill(0x42);
   h.time = now_ns();
   h.p2p_address = "fragile:0 - 4242424";
   h.os = "linux";
   h.agent = "fragile peer";
   h.generation = 1;
   return h;
}

/// Handles one message; false closes the connection.
bool handle(int fd, conn& c, const core::net_message& m, mode md, bool& hung) {
   if (const auto* s = std::get_if<core::sync_request_message>(&m))
      if (md == mode::crash && s->end_block == 0xffffffffu)
         std::abort(); // the planted bug
   if (const auto* n = std::get_if<core::notice_message>(&m))
      if (md == mode::hang && n->known_blocks.ids.size() > 2)
         hung = true;
   if (const auto* h = std::get_if<core::handshake_message>(&m)) {
      if (!c.handshake_sent) {
         send_all(fd, core::encode_frame(own_handshake(*h)));
         c.handshake_sent = true;
         if (md == mode::chatty) {
            core::vote_message v;
            send_all(fd, core::encode_frame(v));
         }
      }
   }
   if (const auto* t = std::get_if<core::time_message>(&m))
      if (t->org == 0 && t->xmt != 0)
         send_all(fd, core::encode_frame(core::time_message{t->xmt, now_ns(), now_ns(), 0}));
   return !std::holds_alternative<core::go_away_message>(m);
}

} // namespace

int main(int argc, char** argv) {
   if (argc < 2) {
      std::fprintf(stderr, "usage: fragile_peer PORT [crash|sturdy|chatty|hang]\n");
      return 2;
   }
   const std::string mode_name = argc > 2 ? argv[2] : "crash";
   const mode md = mode_name == "sturdy" ? mode::sturdy
                   : mode_name == "chatty" ? mode::chatty
                   : mode_name == "hang"   ? mode::hang
                                           : mode::crash;
   const int lfd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
   const int one = 1;
   ::setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
   sockaddr_in a{};
   a.sin_family = AF_INET;
   a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
   a.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[1])));
   if (::bind(lfd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(lfd, 16) != 0) {
      std::perror("fragile_peer: bind/listen");
      return 1;
   }
   std::fprintf(stderr, "fragile_peer: listening on port %s, mode %s\n", argv[1], mode_name.c_str());
   std::map<int, std::unique_ptr<conn>> conns;
   bool hung = false;
   for (;;) {
      if (hung) { // stuck: accepts nothing, answers nothing
         std::this_thread::sleep_for(std::chrono::seconds(1));
         continue;
      }
      std::vector<pollfd> fds{{lfd, POLLIN, 0}};
      for (const auto& [fd, _] : conns)
         fds.push_back({fd, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), 1000) <= 0)
         continue;
      if (fds[0].revents & POLLIN) {
         const int fd = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
         if (fd >= 0)
            conns.emplace(fd, std::make_unique<conn>());
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
         if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
         const int fd = fds[i].fd;
         auto& c = *conns.at(fd);
         uint8_t buf[65536];
         const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
         bool keep = n > 0;
         if (keep)
            c.decoder.feed(std::span<const uint8_t>(buf, static_cast<std::size_t>(n)));
         while (keep) {
            auto f = c.decoder.next();
            if (!f) {
               keep = false;
               break;
            }
            if (!f->has_value())
               break;
            auto m = core::decode_payload((*f)->payload);
            keep = m && handle(fd, c, *m, md, hung);
         }
         if (!keep) {
            ::close(fd);
            conns.erase(fd);
         }
      }
   }
}
