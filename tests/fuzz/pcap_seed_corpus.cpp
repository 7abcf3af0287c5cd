// fuzz_pcap_seed_corpus <out-dir>: seeds for fuzz_pcap, written at test time into <out-dir>/pcap
// by the tests' own capture writer (tests/tools/msgcraft/capture_writer): a session of msgcraft's
// built-in messages both ways, in every file format, link framing and IP version the reader
// handles, and damaged as captures are (a start missed, segments reordered and duplicated, a
// retransmission that differs, a lost segment, a snaplen that cuts payloads, another port).
// Exit 0 on success, 2 on usage error.
#include "capture_writer.hpp"

#include "fuzz/seeds.hpp"
#include "peer_session.hpp"

#include "net/frame.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

/// Largest payload of a message put in the session: keeps each seed a few KB (libFuzzer's
/// default input size limit is the largest seed).
constexpr std::size_t max_seed_message_bytes = 1024;

std::vector<test::sent_bytes> session() {
   msgcraft::handshake_options o;
   o.node_id.data.fill(7);
   std::vector<test::sent_bytes> sent;
   double ts = 1'700'000'000.0;
   std::size_t i = 0;
   for (const auto& s : msgcraft::fuzz::builtin_seeds(msgcraft::build_handshake(o, 1'700'000'000'000'000'000))) {
      if (s.payload.size() > max_seed_message_bytes)
         continue;
      const bool to_server = i++ % 2 == 0;
      const auto frame = core::frame_payload(s.payload);
      sent.push_back({ts += 0.001, to_server, frame});
   }
   return sent;
}

std::string seed_name(test::capture_format format, test::link_framing framing, bool v6) {
   static const char* framings[] = {"ethernet", "vlan", "sll", "raw_ip"};
   return std::string(format == test::capture_format::pcap ? "pcap_" : "pcapng_") + framings[int(framing)] +
          (v6 ? "_ipv6" : "_ipv4");
}

} // namespace

int main(int argc, char** argv) {
   if (argc != 2) {
      std::fprintf(stderr, "usage: fuzz_pcap_seed_corpus <out-dir>\n");
      return 2;
   }
   const fs::path dir = fs::path(argv[1]) / "pcap";
   fs::remove_all(dir);
   fs::create_directories(dir);
   const auto sent = session();
   const auto segs = test::tcp_session(sent, 512, 0xfffff000u, 2000);
   const auto client4 = test::tcp_peer::ipv4(10, 0, 0, 2, 40512), server4 = test::tcp_peer::ipv4(10, 0, 0, 1, 9876);
   const auto client6 = test::tcp_peer::ipv6_loopback_like(2, 40512),
              server6 = test::tcp_peer::ipv6_loopback_like(1, 9876);
   int n = 0;
   const auto write = [&](const std::string& name, test::capture_format format, test::link_framing framing, bool v6,
                          const std::vector<test::tcp_seg>& s) {
      test::write_capture(dir / name, format, framing, v6 ? client6 : client4, v6 ? server6 : server4, s);
      ++n;
   };
   using test::capture_format;
   using test::link_framing;
   // Every format, framing and IP version, undamaged.
   for (auto format : {capture_format::pcap, capture_format::pcapng})
      for (auto framing : {link_framing::ethernet, link_framing::ethernet_vlan, link_framing::linux_sll,
                           link_framing::raw_ip})
         for (bool v6 : {false, true})
            write(seed_name(format, framing, v6), format, framing, v6, segs);
   // Damaged, over Ethernet and IPv4 in pcap.
   const auto damaged = [&](const std::string& name, std::vector<test::tcp_seg> s) {
      write(name, capture_format::pcap, link_framing::ethernet, false, s);
   };
   damaged("mid_stream", {segs.begin() + 5, segs.end()});
   {
      auto s = segs;
      for (std::size_t i = 3; i + 1 < s.size(); i += 4)
         std::swap(s[i], s[i + 1]);
      for (std::size_t i = 4; i < s.size(); i += 7)
         s.insert(s.begin() + static_cast<std::ptrdiff_t>(i), s[i]);
      damaged("reordered_duplicated", s);
   }
   {
      auto s = segs;
      for (std::size_t i = 4; i < s.size(); ++i)
         if (!s[i].payload.empty()) {
            auto copy = s[i];
            copy.payload.back() ^= 0xff;
            s.insert(s.begin() + static_cast<std::ptrdiff_t>(i + 1), copy);
            break;
         }
      damaged("retransmission_differs", s);
   }
   {
      auto s = segs;
      s.erase(s.begin() + static_cast<std::ptrdiff_t>(s.size() / 2));
      damaged("segment_lost", s);
   }
   {
      auto s = segs;
      for (std::size_t i = 0; i < s.size(); i += 3)
         s[i].snap_payload = 20;
      damaged("snaplen", s);
   }
   // A connection on another port (read with --any-port only).
   test::write_capture(dir / "other_port", capture_format::pcapng, link_framing::ethernet,
                       test::tcp_peer::ipv4(10, 0, 0, 2, 40513), test::tcp_peer::ipv4(10, 0, 0, 1, 8888), segs);
   ++n;
   std::printf("fuzz_pcap_seed_corpus: %d captures in %s\n", n, dir.c_str());
   return 0;
}
