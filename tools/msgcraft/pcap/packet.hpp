#pragma once
/// One captured packet taken apart down to TCP: link layer (Ethernet with 802.1Q/802.1ad VLAN
/// tags, Linux cooked v1 and v2, raw IP, BSD loopback), IPv4 or IPv6 (extension headers
/// skipped), then TCP. Socket-free and libpcap-free: it reads bytes and a link type.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace msgcraft::pcap {

/// The link types handled (pcap LINKTYPE_* values).
namespace linktype {
inline constexpr int null_loopback = 0;
inline constexpr int ethernet = 1;
inline constexpr int raw = 101;
inline constexpr int raw_ipv4 = 228;
inline constexpr int raw_ipv6 = 229;
inline constexpr int loop = 108;
inline constexpr int linux_sll = 113;
inline constexpr int linux_sll2 = 276;
/// DLT_RAW as libpcap reports it on Linux.
inline constexpr int dlt_raw = 12;
inline constexpr int dlt_raw_bsd = 14;
} // namespace linktype

/// An address and port, printed "1.2.3.4:9876" or "[::1]:9876".
struct endpoint {
   bool v6 = false;
   uint8_t addr[16] = {};
   uint16_t port = 0;
   std::string to_string() const;
   friend bool operator==(const endpoint&, const endpoint&) = default;
   friend auto operator<=>(const endpoint&, const endpoint&) = default;
};

struct tcp_segment {
   endpoint src, dst;
   uint32_t seq = 0;
   bool syn = false, ack = false, fin = false, rst = false;
   std::span<const uint8_t> payload; ///< the captured part of the payload
   uint32_t wire_payload = 0;        ///< payload bytes on the wire (more than captured: truncated)
};

/// Why a packet yields no TCP segment: not an error for other traffic, a note for truncation.
struct skipped_packet {
   std::string why;
   bool truncated = false; ///< the capture cut the headers off (snaplen)
};

/// Parses `data` (the captured bytes of a packet of `wire_len` bytes) of link type `link`.
std::variant<tcp_segment, skipped_packet> parse_packet(int link, std::span<const uint8_t> data, uint32_t wire_len);

} // namespace msgcraft::pcap
