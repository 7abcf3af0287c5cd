#pragma once
/// Packet captures written by the tests themselves (no capture tool needed): a TCP session
/// given as the bytes each side sent becomes segments (SYN handshake, data, FINs), the tests
/// damage them (split, reorder, duplicate, drop the start, cut to a snaplen), and they are
/// written as pcap or pcapng with Ethernet (optionally 802.1Q), Linux cooked or raw IP framing,
/// over IPv4 or IPv6. Written here, independently of the reader under test.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

namespace test {

struct tcp_peer {
   bool v6 = false;
   std::array<uint8_t, 16> addr{};
   uint16_t port = 0;
   static tcp_peer ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port);
   static tcp_peer ipv6_loopback_like(uint8_t last, uint16_t port); ///< fd00::<last>
};

/// One TCP segment of a session, before it is framed into a packet.
struct tcp_seg {
   double ts = 0;
   bool to_server = true;
   uint32_t seq = 0;
   uint32_t ack = 0;
   uint8_t flags = 0; ///< 0x02 SYN, 0x10 ACK, 0x01 FIN, 0x18 PSH|ACK
   std::vector<uint8_t> payload;
   uint32_t snap_payload = UINT32_MAX; ///< payload bytes kept in the capture (snaplen damage)
};

/// What each side sent, in order, with a time each.
struct sent_bytes {
   double ts = 0;
   bool to_server = true;
   std::vector<uint8_t> bytes;
};

/// SYN, SYN-ACK, ACK, then every chunk as segments of at most `mss` bytes, then FIN both ways.
/// Initial sequence numbers are `client_isn` / `server_isn` (near 2^32 to test wrapping).
std::vector<tcp_seg> tcp_session(const std::vector<sent_bytes>& sent, std::size_t mss, uint32_t client_isn,
                                 uint32_t server_isn);

/// A frame one side sent: where it starts in that side's stream, and its payload.
struct sent_frame {
   bool to_server = true;
   uint64_t offset = 0;
   std::vector<uint8_t> payload; ///< message index + message
};

/// The frames in what each side sent (split on their length prefixes).
std::vector<sent_frame> frames_sent(const std::vector<sent_bytes>& sent);

/// The frames a reader of `segments` can report: those whose every byte is in the capture.
/// Stream offsets count from client_isn + 1 / server_isn + 1.
std::vector<sent_frame> frames_captured(const std::vector<sent_frame>& frames, const std::vector<tcp_seg>& segments,
                                        uint32_t client_isn, uint32_t server_isn);

enum class link_framing { ethernet, ethernet_vlan, linux_sll, raw_ip };
enum class capture_format { pcap, pcapng };

/// Writes the segments between `client` and `server` as a capture.
void write_capture(const std::filesystem::path& file, capture_format format, link_framing framing,
                   const tcp_peer& client, const tcp_peer& server, const std::vector<tcp_seg>& segments);

} // namespace test
