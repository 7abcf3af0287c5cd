// msgcraft pcap on captures the test writes itself: every link framing and both file formats,
// and the hard cases (split, reordered, duplicated and conflicting segments, a capture that
// starts mid-stream, a snaplen that cuts payloads, sequence numbers that wrap), read back
// frame for frame.
#include "capture_writer.hpp"

#include "fuzz/seeds.hpp"
#include "pcap/capture_file.hpp"
#include "pcap/frame_scanner.hpp"
#include "pcap/packet.hpp"
#include "pcap/tcp_stream.hpp"
#include "peer_session.hpp"

#include "net/frame.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

namespace {

struct sent_frame {
   bool to_server;
   uint64_t offset; ///< in its direction's stream
   std::vector<uint8_t> payload;
};

/// A session's frames: every built-in seed (handshakes, blocks, transactions, Spring messages)
/// alternating directions, a few at a time.
struct session {
   std::vector<test::sent_bytes> sent;
   std::vector<sent_frame> frames;
};

session make_session() {
   msgcraft::handshake_options o;
   o.node_id.data.fill(7);
   const auto seeds = msgcraft::fuzz::builtin_seeds(msgcraft::build_handshake(o, 1'700'000'000'000'000'000));
   session s;
   uint64_t offset[2] = {0, 0};
   double ts = 1'700'000'000.0;
   for (int round = 0; round < 3; ++round)
      for (std::size_t i = 0; i < seeds.size(); ++i) {
         const bool to_server = (i + round) % 2 == 0;
         const auto frame = core::frame_payload(seeds[i].payload);
         auto& off = offset[to_server ? 0 : 1];
         s.frames.push_back({to_server, off, seeds[i].payload});
         off += frame.size();
         // Two frames in one chunk now and then (a peer's write queue).
         if (!s.sent.empty() && s.sent.back().to_server == to_server && i % 3 == 0)
            s.sent.back().bytes.insert(s.sent.back().bytes.end(), frame.begin(), frame.end());
         else
            s.sent.push_back({ts += 0.001, to_server, frame});
      }
   return s;
}

struct read_back {
   std::vector<sent_frame> frames;
   std::vector<std::string> notes;
   msgcraft::pcap::capture_stats stats;
};

read_back read(const std::filesystem::path& file, msgcraft::pcap::capture_options opts = {}) {
   read_back r;
   std::map<std::pair<unsigned, bool>, int> unused;
   auto stats = msgcraft::pcap::read_capture(
      file.string(), opts,
      [&](msgcraft::pcap::located_frame&& f) { r.frames.push_back({f.to_server, f.frame.offset, f.frame.payload}); },
      [&](const msgcraft::pcap::located_note& n) { r.notes.push_back(n.note.kind + ": " + n.note.what); });
   REQUIRE(stats);
   r.stats = *stats;
   return r;
}

std::vector<sent_frame> in_direction(const std::vector<sent_frame>& v, bool to_server) {
   std::vector<sent_frame> out;
   for (const auto& f : v)
      if (f.to_server == to_server)
         out.push_back(f);
   return out;
}

/// Same frames per direction (offsets of a mid-stream capture are relative; compare payloads).
void check_frames(const std::vector<sent_frame>& got, const std::vector<sent_frame>& want) {
   for (bool dir : {true, false}) {
      const auto g = in_direction(got, dir), w = in_direction(want, dir);
      INFO("to_server " << dir);
      REQUIRE(g.size() == w.size());
      for (std::size_t i = 0; i < g.size(); ++i)
         CHECK(g[i].payload == w[i].payload);
   }
}

std::filesystem::path temp_file(const std::string& name) {
   return std::filesystem::temp_directory_path() / ("msgcraft_pcap_unit_" + name);
}

const auto client4 = test::tcp_peer::ipv4(10, 0, 0, 2, 40512);
const auto server4 = test::tcp_peer::ipv4(10, 0, 0, 1, 9876);

} // namespace

TEST_CASE("pcap: every framing and format, IPv4 and IPv6, sequence numbers that wrap", "[msgcraft][pcap]") {
   const auto s = make_session();
   const auto segs = test::tcp_session(s.sent, 1448, 0xfffff000u, 0xffffff00u);
   for (auto format : {test::capture_format::pcap, test::capture_format::pcapng})
      for (auto framing : {test::link_framing::ethernet, test::link_framing::ethernet_vlan, test::link_framing::linux_sll,
                           test::link_framing::raw_ip})
         for (bool v6 : {false, true}) {
            INFO("format " << int(format) << " framing " << int(framing) << " v6 " << v6);
            const auto c = v6 ? test::tcp_peer::ipv6_loopback_like(2, 40512) : client4;
            const auto sv = v6 ? test::tcp_peer::ipv6_loopback_like(1, 9876) : server4;
            const auto file = temp_file("formats");
            test::write_capture(file, format, framing, c, sv, segs);
            auto r = read(file);
            check_frames(r.frames, s.frames);
            CHECK(r.notes.empty());
            REQUIRE(r.stats.streams.size() == 1);
            CHECK(r.stats.streams[0].client.port == 40512);
            CHECK(r.stats.streams[0].syn_seen);
            std::filesystem::remove(file);
         }
}

TEST_CASE("pcap: split, reordered and duplicated segments give exactly the frames sent", "[msgcraft][pcap]") {
   const auto s = make_session();
   auto segs = test::tcp_session(s.sent, 1448, 1000, 2000);
   std::mt19937 g(11);
   // split every data segment into pieces of 1 to 200 bytes
   std::vector<test::tcp_seg> split;
   for (const auto& seg : segs) {
      if (seg.payload.empty()) {
         split.push_back(seg);
         continue;
      }
      for (std::size_t at = 0; at < seg.payload.size();) {
         const std::size_t n = std::min<std::size_t>(1 + g() % 200, seg.payload.size() - at);
         auto piece = seg;
         piece.seq = seg.seq + static_cast<uint32_t>(at);
         piece.payload.assign(seg.payload.begin() + static_cast<std::ptrdiff_t>(at),
                              seg.payload.begin() + static_cast<std::ptrdiff_t>(at + n));
         split.push_back(std::move(piece));
         at += n;
      }
   }
   // reorder within windows of 5 (after the handshake), and duplicate one segment in 7 later on
   for (std::size_t i = 3; i + 5 < split.size(); i += 5)
      std::shuffle(split.begin() + static_cast<std::ptrdiff_t>(i), split.begin() + static_cast<std::ptrdiff_t>(i + 5), g);
   std::vector<test::tcp_seg> damaged = split;
   for (std::size_t i = damaged.size() - 1; i > 3; --i)
      if (i % 7 == 0)
         damaged.insert(damaged.begin() + static_cast<std::ptrdiff_t>(std::min(i + 3, damaged.size())), damaged[i]);
   const auto file = temp_file("split");
   test::write_capture(file, test::capture_format::pcapng, test::link_framing::ethernet, client4, server4, damaged);
   auto r = read(file);
   check_frames(r.frames, s.frames);
   CHECK(r.notes.empty()); // a retransmission of the same bytes is no news
   std::filesystem::remove(file);
}

TEST_CASE("pcap: a retransmission whose bytes differ is reported, the first copy kept", "[msgcraft][pcap]") {
   const auto s = make_session();
   auto segs = test::tcp_session(s.sent, 1448, 1000, 2000);
   auto copy = segs[5];
   REQUIRE_FALSE(copy.payload.empty());
   copy.payload[0] ^= 0xff;
   copy.ts += 0.5;
   segs.insert(segs.begin() + 8, copy);
   const auto file = temp_file("conflict");
   test::write_capture(file, test::capture_format::pcap, test::link_framing::ethernet, client4, server4, segs);
   auto r = read(file);
   check_frames(r.frames, s.frames);
   REQUIRE(r.notes.size() == 1);
   CHECK(r.notes[0].find("overlap: a retransmitted segment") == 0);
   std::filesystem::remove(file);
}

TEST_CASE("pcap: a capture that starts mid-stream resynchronises and says so", "[msgcraft][pcap]") {
   const auto s = make_session();
   const auto segs = test::tcp_session(s.sent, 1448, 1000, 2000);
   // Drop the handshake and the first 9 data segments; the 10th starts inside a frame or at one.
   std::vector<test::tcp_seg> late(segs.begin() + 3 + 9, segs.end());
   uint64_t first[2] = {UINT64_MAX, UINT64_MAX};
   for (const auto& seg : late)
      if (!seg.payload.empty()) {
         auto& f = first[seg.to_server ? 0 : 1];
         f = std::min<uint64_t>(f, seg.seq - (seg.to_server ? 1001u : 2001u));
      }
   std::vector<sent_frame> want;
   for (const auto& f : s.frames)
      if (f.offset >= first[f.to_server ? 0 : 1])
         want.push_back(f);
   const auto file = temp_file("midstream");
   test::write_capture(file, test::capture_format::pcap, test::link_framing::linux_sll, client4, server4, late);
   auto r = read(file);
   check_frames(r.frames, want);
   REQUIRE_FALSE(r.notes.empty());
   CHECK(r.notes[0].find("resync: the capture starts mid-stream; resynchronised at byte") == 0);
   REQUIRE(r.stats.streams.size() == 1);
   CHECK_FALSE(r.stats.streams[0].syn_seen);
   CHECK(r.stats.streams[0].server.port == 9876); // the listen port tells the sides apart
   std::filesystem::remove(file);
}

TEST_CASE("pcap: payloads cut by the snaplen are reported, the frames around them are read", "[msgcraft][pcap]") {
   const auto s = make_session();
   auto segs = test::tcp_session(s.sent, 1448, 1000, 2000);
   std::vector<std::pair<uint64_t, uint64_t>> missing[2];
   for (std::size_t i = 3; i < segs.size(); i += 11)
      if (segs[i].payload.size() > 40) {
         segs[i].snap_payload = 20;
         const uint64_t start = segs[i].seq - (segs[i].to_server ? 1001u : 2001u);
         missing[segs[i].to_server ? 0 : 1].emplace_back(start + 20, start + segs[i].payload.size());
      }
   std::vector<sent_frame> want;
   for (const auto& f : s.frames) {
      const uint64_t end = f.offset + 4 + f.payload.size();
      bool hit = false;
      for (const auto& [a, b] : missing[f.to_server ? 0 : 1])
         hit |= f.offset < b && a < end;
      if (!hit)
         want.push_back(f);
   }
   REQUIRE(want.size() < s.frames.size());
   const auto file = temp_file("snaplen");
   test::write_capture(file, test::capture_format::pcapng, test::link_framing::ethernet_vlan, client4, server4, segs);
   auto r = read(file);
   check_frames(r.frames, want);
   CHECK(r.stats.truncated_packets == missing[0].size() + missing[1].size());
   bool told = false;
   for (const auto& n : r.notes)
      told |= n.find("cut off by the snaplen") != std::string::npos;
   CHECK(told);
   std::filesystem::remove(file);
}

TEST_CASE("pcap: --any-port reads a connection that opens with a handshake, and no other", "[msgcraft][pcap]") {
   const auto s = make_session();
   const auto segs = test::tcp_session(s.sent, 1448, 1000, 2000);
   const auto file = temp_file("anyport");
   const auto c = test::tcp_peer::ipv4(10, 0, 0, 2, 51000), sv = test::tcp_peer::ipv4(10, 0, 0, 1, 19876);
   test::write_capture(file, test::capture_format::pcap, test::link_framing::ethernet, c, sv, segs);
   CHECK(read(file).frames.empty()); // not on port 9876
   msgcraft::pcap::capture_options any;
   any.any_port = true;
   check_frames(read(file, any).frames, s.frames);
   msgcraft::pcap::capture_options port;
   port.ports = {19876};
   check_frames(read(file, port).frames, s.frames);

   // Traffic that is not the protocol is left alone.
   std::vector<test::sent_bytes> http = {{1.0, true, std::vector<uint8_t>(3000, 'G')}, {1.1, false, std::vector<uint8_t>(5000, 'H')}};
   test::write_capture(file, test::capture_format::pcap, test::link_framing::ethernet, c, sv,
                       test::tcp_session(http, 1448, 5, 6));
   auto r = read(file, any);
   CHECK(r.frames.empty());
   CHECK(r.stats.streams.empty());
   std::filesystem::remove(file);
}

TEST_CASE("pcap: tcp_stream and frame_scanner on their own", "[msgcraft][pcap]") {
   const auto f1 = core::encode_frame(core::sync_request_message{1, 2});
   const auto f2 = core::encode_frame(core::time_message{0, 0, 5, 0});
   std::vector<uint8_t> stream = f1;
   stream.insert(stream.end(), f2.begin(), f2.end());
   msgcraft::pcap::frame_scanner scanner(true);
   msgcraft::pcap::tcp_stream tcp(scanner);
   tcp.segment(99, true, {}, 0, 1.0);                                          // SYN
   tcp.segment(100 + 5, false, std::span(stream).subspan(5), static_cast<uint32_t>(stream.size() - 5), 2.0); // early
   CHECK(scanner.take_frames().empty());
   tcp.segment(100, false, std::span(stream).first(5), 5, 3.0);
   auto frames = scanner.take_frames();
   REQUIRE(frames.size() == 2);
   CHECK(frames[0].ts == 3.0);
   CHECK(frames[1].which == 3);
   CHECK(frames[1].offset == f1.size());

   // A frame that does not decode is reported, and the stream goes on at the next frame.
   msgcraft::pcap::frame_scanner s2(true);
   const std::vector<uint8_t> bad = {2, 0, 0, 0, 100, 1};
   s2.data(0, bad, 1.0);
   s2.data(bad.size(), f2, 1.5);
   CHECK(s2.take_frames().size() == 1);
   auto notes = s2.take_notes();
   REQUIRE(notes.size() == 1);
   CHECK(notes[0].kind == "undecodable");
}

TEST_CASE("pcap: IPv6 extension headers that run past the captured bytes are a cut packet", "[msgcraft][pcap]") {
   // Found by fuzz_pcap: the extension headers fit the 28 bytes the IPv6 header announces, but the
   // capture kept only 2 of them, and the TCP header was then read from past the packet's end.
   std::vector<uint8_t> p(40, 0);
   p[0] = 0x60;
   p[5] = 28; // payload length: an 8-byte hop-by-hop header and a 20-byte TCP header
   p[6] = 0;  // next header: hop-by-hop options
   p[7] = 64;
   p.push_back(6); // its next header: TCP
   p.push_back(0); // its length: 8 bytes
   const auto parsed = msgcraft::pcap::parse_packet(msgcraft::pcap::linktype::raw, p, 68);
   const auto* skipped = std::get_if<msgcraft::pcap::skipped_packet>(&parsed);
   REQUIRE(skipped != nullptr);
   CHECK(skipped->truncated);
   CHECK(skipped->why == "IPv6 extension header cut short by the capture");

   // Captured whole, the same packet is a segment with an empty payload.
   p.resize(40 + 8 + 20, 0);
   p[48 + 12] = 5 << 4; // TCP header length 20
   const auto whole = msgcraft::pcap::parse_packet(msgcraft::pcap::linktype::raw, p, 68);
   const auto* seg = std::get_if<msgcraft::pcap::tcp_segment>(&whole);
   REQUIRE(seg != nullptr);
   CHECK(seg->payload.empty());
   CHECK(seg->wire_payload == 0);
}
