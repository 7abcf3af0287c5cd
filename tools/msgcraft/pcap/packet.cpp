#include "pcap/packet.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>

#include <algorithm>

namespace msgcraft::pcap {

namespace {

uint16_t be16(std::span<const uint8_t> d, std::size_t at) { return static_cast<uint16_t>(d[at] << 8 | d[at + 1]); }
uint32_t be32(std::span<const uint8_t> d, std::size_t at) {
   return uint32_t(d[at]) << 24 | uint32_t(d[at + 1]) << 16 | uint32_t(d[at + 2]) << 8 | d[at + 3];
}

constexpr uint16_t ethertype_ipv4 = 0x0800;
constexpr uint16_t ethertype_ipv6 = 0x86dd;
constexpr uint8_t ip_proto_tcp = 6;

skipped_packet cut(std::string what) { return {std::move(what), true}; }
skipped_packet other(std::string what) { return {std::move(what), false}; }

std::variant<tcp_segment, skipped_packet> parse_tcp(std::span<const uint8_t> d, endpoint src, endpoint dst,
                                                    uint32_t wire_tcp_len) {
   if (d.size() < 20)
      return cut("TCP header cut short by the capture");
   const std::size_t header = std::size_t(d[12] >> 4) * 4;
   if (header < 20 || wire_tcp_len < header)
      return other("bad TCP header length");
   if (d.size() < header)
      return cut("TCP options cut short by the capture");
   tcp_segment s;
   src.port = be16(d, 0);
   dst.port = be16(d, 2);
   s.src = src;
   s.dst = dst;
   s.seq = be32(d, 4);
   const uint8_t flags = d[13];
   s.fin = flags & 0x01;
   s.syn = flags & 0x02;
   s.rst = flags & 0x04;
   s.ack = flags & 0x10;
   s.wire_payload = wire_tcp_len - static_cast<uint32_t>(header);
   s.payload = d.subspan(header, std::min<std::size_t>(d.size() - header, s.wire_payload));
   return s;
}

std::variant<tcp_segment, skipped_packet> parse_ipv4(std::span<const uint8_t> d) {
   if (d.size() < 20)
      return cut("IPv4 header cut short by the capture");
   const std::size_t header = std::size_t(d[0] & 0x0f) * 4;
   const uint16_t total = be16(d, 2);
   if (header < 20 || total < header)
      return other("bad IPv4 header");
   if (d.size() < header)
      return cut("IPv4 options cut short by the capture");
   if (d[9] != ip_proto_tcp)
      return other("not TCP");
   const uint16_t frag = be16(d, 6);
   if ((frag & 0x1fff) != 0 || (frag & 0x2000) != 0)
      return other("an IPv4 fragment (not reassembled)");
   endpoint src, dst;
   std::copy_n(d.begin() + 12, 4, src.addr);
   std::copy_n(d.begin() + 16, 4, dst.addr);
   const auto captured = d.subspan(header, std::min<std::size_t>(d.size(), total) - header);
   return parse_tcp(captured, src, dst, total - static_cast<uint32_t>(header));
}

std::variant<tcp_segment, skipped_packet> parse_ipv6(std::span<const uint8_t> d) {
   if (d.size() < 40)
      return cut("IPv6 header cut short by the capture");
   uint8_t next = d[6];
   const uint32_t payload = be16(d, 4);
   endpoint src, dst;
   src.v6 = dst.v6 = true;
   std::copy_n(d.begin() + 8, 16, src.addr);
   std::copy_n(d.begin() + 24, 16, dst.addr);
   std::size_t at = 40;
   uint32_t left = payload;
   for (int hops = 0; hops < 8; ++hops) {
      if (next == ip_proto_tcp) {
         // The extension headers skipped fit the packet on the wire, not always the capture.
         if (at > d.size())
            return cut("IPv6 extension header cut short by the capture");
         const auto captured = d.subspan(at, std::min<std::size_t>(d.size() - at, left));
         return parse_tcp(captured, src, dst, left);
      }
      if (next == 44)
         return other("an IPv6 fragment (not reassembled)");
      if (next != 0 && next != 43 && next != 60 && next != 51)
         return other("not TCP");
      if (d.size() < at + 2)
         return cut("IPv6 extension header cut short by the capture");
      const std::size_t len = next == 51 ? (std::size_t(d[at + 1]) + 2) * 4 : (std::size_t(d[at + 1]) + 1) * 8;
      if (len > left)
         return other("bad IPv6 extension header");
      next = d[at];
      at += len;
      left -= static_cast<uint32_t>(len);
   }
   return other("too many IPv6 extension headers");
}

std::variant<tcp_segment, skipped_packet> parse_ip(std::span<const uint8_t> d) {
   if (d.empty())
      return cut("no IP header in the capture");
   switch (d[0] >> 4) {
   case 4: return parse_ipv4(d);
   case 6: return parse_ipv6(d);
   default: return other("not IP");
   }
}

std::variant<tcp_segment, skipped_packet> by_ethertype(uint16_t type, std::span<const uint8_t> d) {
   if (type == ethertype_ipv4 || type == ethertype_ipv6)
      return parse_ip(d);
   return other(fmt::format("ethertype {:#06x}", type));
}

} // namespace

std::string endpoint::to_string() const {
   char text[INET6_ADDRSTRLEN] = {};
   ::inet_ntop(v6 ? AF_INET6 : AF_INET, addr, text, sizeof text);
   return v6 ? fmt::format("[{}]:{}", text, port) : fmt::format("{}:{}", text, port);
}

std::variant<tcp_segment, skipped_packet> parse_packet(int link, std::span<const uint8_t> d, uint32_t) {
   switch (link) {
   case linktype::ethernet: {
      if (d.size() < 14)
         return cut("Ethernet header cut short by the capture");
      std::size_t at = 12;
      uint16_t type = be16(d, at);
      for (int tags = 0; (type == 0x8100 || type == 0x88a8 || type == 0x9100) && tags < 4; ++tags) {
         at += 4;
         if (d.size() < at + 2)
            return cut("VLAN tag cut short by the capture");
         type = be16(d, at);
      }
      return by_ethertype(type, d.subspan(at + 2));
   }
   case linktype::linux_sll:
      if (d.size() < 16)
         return cut("Linux cooked header cut short by the capture");
      return by_ethertype(be16(d, 14), d.subspan(16));
   case linktype::linux_sll2:
      if (d.size() < 20)
         return cut("Linux cooked v2 header cut short by the capture");
      return by_ethertype(be16(d, 0), d.subspan(20));
   case linktype::null_loopback:
   case linktype::loop:
      if (d.size() < 4)
         return cut("loopback header cut short by the capture");
      return parse_ip(d.subspan(4));
   case linktype::raw:
   case linktype::raw_ipv4:
   case linktype::raw_ipv6:
   case linktype::dlt_raw:
   case linktype::dlt_raw_bsd: return parse_ip(d);
   default: return other(fmt::format("link type {} is not handled", link));
   }
}

} // namespace msgcraft::pcap
