#include "capture_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace test {

namespace {

using bytes = std::vector<uint8_t>;

void put16be(bytes& b, uint16_t v) {
   b.push_back(static_cast<uint8_t>(v >> 8));
   b.push_back(static_cast<uint8_t>(v));
}
void put32be(bytes& b, uint32_t v) {
   put16be(b, static_cast<uint16_t>(v >> 16));
   put16be(b, static_cast<uint16_t>(v));
}
void put16le(bytes& b, uint16_t v) {
   b.push_back(static_cast<uint8_t>(v));
   b.push_back(static_cast<uint8_t>(v >> 8));
}
void put32le(bytes& b, uint32_t v) {
   put16le(b, static_cast<uint16_t>(v));
   put16le(b, static_cast<uint16_t>(v >> 16));
}

/// The Internet checksum of `b` (ones' complement of the ones' complement sum), with `sum` added.
uint16_t checksum(std::span<const uint8_t> b, uint32_t sum = 0) {
   for (std::size_t i = 0; i + 1 < b.size(); i += 2)
      sum += uint32_t(b[i]) << 8 | b[i + 1];
   if (b.size() % 2)
      sum += uint32_t(b.back()) << 8;
   while (sum >> 16)
      sum = (sum & 0xffff) + (sum >> 16);
   return static_cast<uint16_t>(~sum);
}

bytes tcp_header(const tcp_peer& src, const tcp_peer& dst, const tcp_seg& s) {
   bytes t;
   put16be(t, src.port);
   put16be(t, dst.port);
   put32be(t, s.seq);
   put32be(t, s.ack);
   t.push_back(5 << 4);
   t.push_back(s.flags);
   put16be(t, 65535);
   put16be(t, 0); // checksum, filled below
   put16be(t, 0);
   // checksum over the pseudo header, header and payload
   uint32_t sum = 0;
   const std::size_t alen = src.v6 ? 16 : 4;
   for (std::size_t i = 0; i < alen; i += 2) {
      sum += uint32_t(src.addr[i]) << 8 | src.addr[i + 1];
      sum += uint32_t(dst.addr[i]) << 8 | dst.addr[i + 1];
   }
   const uint32_t tcp_len = static_cast<uint32_t>(t.size() + s.payload.size());
   sum += 6 + (tcp_len & 0xffff) + (tcp_len >> 16);
   bytes all = t;
   all.insert(all.end(), s.payload.begin(), s.payload.end());
   const uint16_t c = checksum(all, sum);
   t[16] = static_cast<uint8_t>(c >> 8);
   t[17] = static_cast<uint8_t>(c);
   return t;
}

/// The whole IP packet (header + TCP header + payload).
bytes ip_packet(const tcp_peer& src, const tcp_peer& dst, const tcp_seg& s) {
   const bytes tcp = tcp_header(src, dst, s);
   bytes p;
   if (!src.v6) {
      const uint16_t total = static_cast<uint16_t>(20 + tcp.size() + s.payload.size());
      p = {0x45, 0};
      put16be(p, total);
      put16be(p, 0);      // id
      put16be(p, 0x4000); // don't fragment
      p.push_back(64);
      p.push_back(6);
      put16be(p, 0);
      p.insert(p.end(), src.addr.begin(), src.addr.begin() + 4);
      p.insert(p.end(), dst.addr.begin(), dst.addr.begin() + 4);
      const uint16_t c = checksum(p);
      p[10] = static_cast<uint8_t>(c >> 8);
      p[11] = static_cast<uint8_t>(c);
   } else {
      p = {0x60, 0, 0, 0};
      put16be(p, static_cast<uint16_t>(tcp.size() + s.payload.size()));
      p.push_back(6);
      p.push_back(64);
      p.insert(p.end(), src.addr.begin(), src.addr.end());
      p.insert(p.end(), dst.addr.begin(), dst.addr.end());
   }
   p.insert(p.end(), tcp.begin(), tcp.end());
   p.insert(p.end(), s.payload.begin(), s.payload.end());
   return p;
}

bytes link_packet(link_framing framing, bool v6, const bytes& ip) {
   const uint16_t ethertype = v6 ? 0x86dd : 0x0800;
   bytes f;
   switch (framing) {
   case link_framing::ethernet:
   case link_framing::ethernet_vlan:
      f = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1};
      if (framing == link_framing::ethernet_vlan) {
         put16be(f, 0x8100);
         put16be(f, 42); // VLAN 42
      }
      put16be(f, ethertype);
      break;
   case link_framing::linux_sll:
      put16be(f, 0); // to us
      put16be(f, 1); // ARPHRD_ETHER
      put16be(f, 6);
      for (int i = 0; i < 8; ++i)
         f.push_back(i < 6 ? 0x02 : 0);
      put16be(f, ethertype);
      break;
   case link_framing::raw_ip: break;
   }
   f.insert(f.end(), ip.begin(), ip.end());
   return f;
}

int linktype_of(link_framing framing) {
   switch (framing) {
   case link_framing::ethernet:
   case link_framing::ethernet_vlan: return 1;
   case link_framing::linux_sll: return 113;
   case link_framing::raw_ip: return 101;
   }
   return 1;
}

uint64_t nanos(double ts) { return static_cast<uint64_t>(std::llround(ts * 1e9)); }

} // namespace

tcp_peer tcp_peer::ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port) {
   tcp_peer p;
   p.addr[0] = a;
   p.addr[1] = b;
   p.addr[2] = c;
   p.addr[3] = d;
   p.port = port;
   return p;
}

tcp_peer tcp_peer::ipv6_loopback_like(uint8_t last, uint16_t port) {
   tcp_peer p;
   p.v6 = true;
   p.addr[0] = 0xfd;
   p.addr[15] = last;
   p.port = port;
   return p;
}

std::vector<tcp_seg> tcp_session(const std::vector<sent_bytes>& sent, std::size_t mss, uint32_t client_isn,
                                 uint32_t server_isn) {
   std::vector<tcp_seg> out;
   const double t0 = sent.empty() ? 0 : sent.front().ts - 0.001;
   out.push_back({t0, true, client_isn, 0, 0x02, {}});
   out.push_back({t0, false, server_isn, client_isn + 1, 0x12, {}});
   out.push_back({t0, true, client_isn + 1, server_isn + 1, 0x10, {}});
   uint32_t next[2] = {client_isn + 1, server_isn + 1};
   double last = t0;
   for (const auto& c : sent) {
      for (std::size_t at = 0; at < c.bytes.size(); at += mss) {
         const std::size_t n = std::min(mss, c.bytes.size() - at);
         tcp_seg s{c.ts, c.to_server, next[c.to_server ? 0 : 1], next[c.to_server ? 1 : 0], 0x18,
                   bytes(c.bytes.begin() + static_cast<std::ptrdiff_t>(at),
                         c.bytes.begin() + static_cast<std::ptrdiff_t>(at + n))};
         next[c.to_server ? 0 : 1] += static_cast<uint32_t>(n);
         out.push_back(std::move(s));
      }
      last = c.ts;
   }
   out.push_back({last + 0.001, true, next[0], next[1], 0x11, {}});
   out.push_back({last + 0.001, false, next[1], next[0] + 1, 0x11, {}});
   return out;
}

std::vector<sent_frame> frames_sent(const std::vector<sent_bytes>& sent) {
   std::vector<uint8_t> stream[2];
   for (const auto& c : sent)
      stream[c.to_server ? 0 : 1].insert(stream[c.to_server ? 0 : 1].end(), c.bytes.begin(), c.bytes.end());
   // In the order the frames were sent: walk both streams by chunk end.
   std::vector<sent_frame> out;
   std::size_t at[2] = {0, 0}, have[2] = {0, 0};
   for (const auto& c : sent) {
      const int d = c.to_server ? 0 : 1;
      have[d] += c.bytes.size();
      while (have[d] - at[d] >= 4) {
         uint32_t len = 0;
         std::memcpy(&len, stream[d].data() + at[d], 4);
         if (have[d] - at[d] < 4 + std::size_t(len))
            break;
         out.push_back({d == 0, at[d],
                        std::vector<uint8_t>(stream[d].begin() + static_cast<std::ptrdiff_t>(at[d] + 4),
                                             stream[d].begin() + static_cast<std::ptrdiff_t>(at[d] + 4 + len))});
         at[d] += 4 + len;
      }
   }
   return out;
}

std::vector<sent_frame> frames_captured(const std::vector<sent_frame>& frames, const std::vector<tcp_seg>& segments,
                                        uint32_t client_isn, uint32_t server_isn) {
   std::vector<std::pair<uint64_t, uint64_t>> have[2];
   for (const auto& s : segments) {
      if (s.payload.empty())
         continue;
      const uint64_t start = static_cast<uint32_t>(s.seq - (s.to_server ? client_isn + 1 : server_isn + 1));
      const uint64_t kept = std::min<uint64_t>(s.payload.size(), s.snap_payload);
      have[s.to_server ? 0 : 1].emplace_back(start, start + kept);
   }
   for (auto& v : have) {
      std::sort(v.begin(), v.end());
      std::vector<std::pair<uint64_t, uint64_t>> merged;
      for (const auto& r : v)
         if (!merged.empty() && r.first <= merged.back().second)
            merged.back().second = std::max(merged.back().second, r.second);
         else
            merged.push_back(r);
      v = std::move(merged);
   }
   std::vector<sent_frame> out;
   for (const auto& f : frames) {
      const uint64_t end = f.offset + 4 + f.payload.size();
      for (const auto& [a, b] : have[f.to_server ? 0 : 1])
         if (a <= f.offset && end <= b) {
            out.push_back(f);
            break;
         }
   }
   return out;
}

void write_capture(const std::filesystem::path& file, capture_format format, link_framing framing,
                   const tcp_peer& client, const tcp_peer& server, const std::vector<tcp_seg>& segments) {
   constexpr uint32_t snaplen = 262144;
   const int linktype = linktype_of(framing);
   bytes out;
   if (format == capture_format::pcap) {
      put32le(out, 0xa1b23c4d); // nanosecond timestamps
      put16le(out, 2);
      put16le(out, 4);
      put32le(out, 0);
      put32le(out, 0);
      put32le(out, snaplen);
      put32le(out, static_cast<uint32_t>(linktype));
   } else {
      bytes shb;
      put32le(shb, 0x0a0d0d0a);
      put32le(shb, 28);
      put32le(shb, 0x1a2b3c4d);
      put16le(shb, 1);
      put16le(shb, 0);
      put32le(shb, 0xffffffff); // section length unknown
      put32le(shb, 0xffffffff);
      put32le(shb, 28);
      bytes idb;
      put32le(idb, 1);
      put32le(idb, 32);
      put16le(idb, static_cast<uint16_t>(linktype));
      put16le(idb, 0);
      put32le(idb, snaplen);
      put16le(idb, 9); // if_tsresol: 10^-9
      put16le(idb, 1);
      idb.insert(idb.end(), {9, 0, 0, 0});
      put16le(idb, 0); // opt_endofopt
      put16le(idb, 0);
      put32le(idb, 32);
      out.insert(out.end(), shb.begin(), shb.end());
      out.insert(out.end(), idb.begin(), idb.end());
   }
   for (const auto& s : segments) {
      const auto& src = s.to_server ? client : server;
      const auto& dst = s.to_server ? server : client;
      const bytes full = link_packet(framing, client.v6, ip_packet(src, dst, s));
      const std::size_t cut = s.snap_payload >= s.payload.size() ? 0 : s.payload.size() - s.snap_payload;
      const bytes kept(full.begin(), full.end() - static_cast<std::ptrdiff_t>(cut));
      const uint64_t ns = nanos(s.ts);
      if (format == capture_format::pcap) {
         put32le(out, static_cast<uint32_t>(ns / 1'000'000'000));
         put32le(out, static_cast<uint32_t>(ns % 1'000'000'000));
         put32le(out, static_cast<uint32_t>(kept.size()));
         put32le(out, static_cast<uint32_t>(full.size()));
         out.insert(out.end(), kept.begin(), kept.end());
      } else {
         const std::size_t padded = (kept.size() + 3) / 4 * 4;
         const uint32_t total = static_cast<uint32_t>(32 + padded);
         put32le(out, 6);
         put32le(out, total);
         put32le(out, 0); // interface 0
         put32le(out, static_cast<uint32_t>(ns >> 32));
         put32le(out, static_cast<uint32_t>(ns));
         put32le(out, static_cast<uint32_t>(kept.size()));
         put32le(out, static_cast<uint32_t>(full.size()));
         out.insert(out.end(), kept.begin(), kept.end());
         out.insert(out.end(), padded - kept.size(), 0);
         put32le(out, total);
      }
   }
   std::ofstream f(file, std::ios::binary | std::ios::trunc);
   f.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
   if (!f)
      throw std::runtime_error("cannot write " + file.string());
}

} // namespace test
