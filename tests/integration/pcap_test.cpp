// msgcraft pcap on captures of a real session: two p2pnodes sync through a recording proxy, the
// test writes what each side sent as pcap and pcapng (several framings, IPv4 and IPv6), damages
// the segments (split, reordered, duplicated, start dropped, payloads cut by a snaplen), and
// msgcraft pcap must report exactly the frames the capture holds.
#include "recorded_session.hpp"

#include "codec/codec.hpp"
#include "net/frame.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <random>

using namespace std::chrono_literals;

namespace {

constexpr uint32_t client_isn = 0xfffff000u; // both wrap within the session
constexpr uint32_t server_isn = 0xffffff00u;

std::string compact(const rapidjson::Value& v) {
   rapidjson::StringBuffer sb;
   rapidjson::Writer<rapidjson::StringBuffer> w(sb);
   v.Accept(w);
   return sb.GetString();
}

/// (to_server, which, size, message JSON) of a frame.
struct seen {
   bool to_server;
   uint32_t which;
   std::size_t size;
   std::string message;
   bool operator==(const seen&) const = default;
};

std::vector<seen> expected(const std::vector<test::sent_frame>& frames) {
   std::vector<seen> out;
   for (const auto& f : frames) {
      auto m = core::decode_payload(f.payload);
      REQUIRE(m);
      const auto json = std::visit([](const auto& msg) { return core::to_json(msg); }, *m);
      out.push_back({f.to_server, static_cast<uint32_t>(m->index()), f.payload.size(), json});
   }
   return out;
}

std::vector<seen> pcap_frames(const it::run_result& r) {
   std::vector<seen> out;
   for (const auto& l : r.lines()) {
      auto d = it::parse_object(l);
      REQUIRE(d);
      REQUIRE(d->HasMember("ts"));
      REQUIRE(d->HasMember("src"));
      out.push_back({it::str_member(*d, "dir") == "c2s", static_cast<uint32_t>(it::uint_member(*d, "which")),
                     static_cast<std::size_t>(it::uint_member(*d, "size")), compact((*d)["message"])});
   }
   return out;
}

std::vector<seen> in_direction(const std::vector<seen>& v, bool to_server) {
   std::vector<seen> out;
   for (const auto& s : v)
      if (s.to_server == to_server)
         out.push_back(s);
   return out;
}

} // namespace

TEST_CASE("msgcraft pcap: a recorded p2pnode session reads back frame for frame, however damaged",
          "[integration][pcap]") {
   it::cluster c("pcap_session");
   const auto sent = it::record_sync_session(c);
   const auto frames = test::frames_sent(sent);
   REQUIRE(frames.size() >= 35); // handshakes, notices, sync requests, 30 blocks with transactions, pings
   const auto segs = test::tcp_session(sent, 1448, client_isn, server_isn);
   const auto client = test::tcp_peer::ipv4(127, 0, 0, 2, 43210), server = test::tcp_peer::ipv4(127, 0, 0, 1, 9876);
   const auto client6 = test::tcp_peer::ipv6_loopback_like(2, 43210), server6 = test::tcp_peer::ipv6_loopback_like(1, 9876);

   std::mt19937 g(5);
   auto split = [&](std::vector<test::tcp_seg> v) {
      std::vector<test::tcp_seg> out;
      for (const auto& s : v) {
         if (s.payload.size() < 2) {
            out.push_back(s);
            continue;
         }
         for (std::size_t at = 0; at < s.payload.size();) {
            const std::size_t n = std::min<std::size_t>(1 + g() % 700, s.payload.size() - at);
            auto p = s;
            p.seq = s.seq + static_cast<uint32_t>(at);
            p.payload.assign(s.payload.begin() + static_cast<std::ptrdiff_t>(at),
                             s.payload.begin() + static_cast<std::ptrdiff_t>(at + n));
            out.push_back(std::move(p));
            at += n;
         }
      }
      return out;
   };
   auto reorder_and_duplicate = [&](std::vector<test::tcp_seg> v) {
      for (std::size_t i = 3; i + 4 < v.size(); i += 4)
         std::shuffle(v.begin() + static_cast<std::ptrdiff_t>(i), v.begin() + static_cast<std::ptrdiff_t>(i + 4), g);
      for (std::size_t i = v.size() - 1; i > 3; --i)
         if (i % 5 == 0)
            v.insert(v.begin() + static_cast<std::ptrdiff_t>(std::min(i + 6, v.size())), v[i]);
      return v;
   };
   auto drop_start = [](std::vector<test::tcp_seg> v) {
      v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(v.size() / 4, v.size())));
      return v;
   };
   auto snaplen = [](std::vector<test::tcp_seg> v) {
      for (std::size_t i = 5; i < v.size(); i += 9)
         if (v[i].payload.size() > 100)
            v[i].snap_payload = 60;
      return v;
   };

   struct variant {
      std::string name;
      test::capture_format format;
      test::link_framing framing;
      bool v6;
      std::vector<test::tcp_seg> segments;
   };
   const std::vector<variant> variants = {
      {"as sent, pcap, Ethernet, IPv4", test::capture_format::pcap, test::link_framing::ethernet, false, segs},
      {"as sent, pcapng, Linux cooked, IPv6", test::capture_format::pcapng, test::link_framing::linux_sll, true, segs},
      {"split, reordered, duplicated, pcap, VLAN", test::capture_format::pcap, test::link_framing::ethernet_vlan, false,
       reorder_and_duplicate(split(segs))},
      {"start dropped, pcapng, raw IPv6", test::capture_format::pcapng, test::link_framing::raw_ip, true, drop_start(segs)},
      {"cut by a snaplen, pcap, Ethernet, IPv4", test::capture_format::pcap, test::link_framing::ethernet, false,
       snaplen(segs)},
   };
   for (const auto& v : variants) {
      INFO(v.name);
      const auto file = c.root() / "capture";
      test::write_capture(file, v.format, v.framing, v.v6 ? client6 : client, v.v6 ? server6 : server, v.segments);
      const auto want = expected(test::frames_captured(frames, v.segments, client_isn, server_isn));
      auto r = it::run_tool(it::msgcraft_bin(), {"pcap", file.string()}, 60s);
      INFO(r.err);
      REQUIRE(r.rc == 0);
      const auto got = pcap_frames(r);
      for (bool dir : {true, false}) {
         INFO("to the server: " << dir);
         const auto g2 = in_direction(got, dir), w2 = in_direction(want, dir);
         CHECK(g2.size() == w2.size());
         CHECK(g2 == w2);
      }
      if (v.name.starts_with("start dropped"))
         CHECK(r.err.find("the capture starts mid-stream; resynchronised at byte") != std::string::npos);
      if (v.name.starts_with("cut by a snaplen")) {
         CHECK(want.size() < frames.size());
         CHECK(r.err.find("cut off by the snaplen") != std::string::npos);
      }
   }

   // --summary: handshakes both ways, the blocks served, the bytes.
   const auto file = c.root() / "capture.pcap";
   test::write_capture(file, test::capture_format::pcap, test::link_framing::ethernet, client, server, segs);
   auto s = it::run_tool(it::msgcraft_bin(), {"pcap", "--summary", file.string()}, 60s);
   REQUIRE(s.rc == 0);
   REQUIRE(s.lines().size() == 1);
   auto d = it::parse_object(s.lines()[0]);
   REQUIRE(d);
   CHECK((*d)["handshakes"].Size() >= 2);
   CHECK((*d)["frames"]["s2c"]["signed_block"].GetUint() >= 29);
   CHECK(std::string((*d)["server"].GetString()) == "127.0.0.1:9876");
}
