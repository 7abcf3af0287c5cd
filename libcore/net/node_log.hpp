#pragma once
/// The node's log: one line per event on a stream (stderr by default), nodeos-like
/// `level timestamp component message`, filtered by --log-level. Per-connection lines start with
/// the peer-log-format prefix expanded for that connection.
#include "net/net_time.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

namespace core {

enum class log_level : uint8_t { debug, info, warn, error };
/// "debug" / "info" / "warn" / "error" (anything else: info).
log_level parse_log_level(std::string_view s);
std::string_view to_string(log_level l);

class node_log {
public:
   /// Lines are stamped with `clock`'s time (the node's clock; the system's when none is given).
   explicit node_log(std::ostream& out, log_level min = log_level::info, const net_clock* clock = nullptr)
      : out_(out), min_(min), clock_(clock) {}
   bool enabled(log_level l) const { return l >= min_; }
   void set_level(log_level l) { min_ = l; }
   /// Writes one line (a newline inside `msg` is replaced by a space).
   void write(log_level l, std::string_view component, std::string_view msg);

   template <class... A>
   void debug(std::string_view comp, fmt::format_string<A...> f, A&&... a) { emit(log_level::debug, comp, f, std::forward<A>(a)...); }
   template <class... A>
   void info(std::string_view comp, fmt::format_string<A...> f, A&&... a) { emit(log_level::info, comp, f, std::forward<A>(a)...); }
   template <class... A>
   void warn(std::string_view comp, fmt::format_string<A...> f, A&&... a) { emit(log_level::warn, comp, f, std::forward<A>(a)...); }
   template <class... A>
   void error(std::string_view comp, fmt::format_string<A...> f, A&&... a) { emit(log_level::error, comp, f, std::forward<A>(a)...); }

private:
   template <class... A>
   void emit(log_level l, std::string_view comp, fmt::format_string<A...> f, A&&... a) {
      if (enabled(l))
         write(l, comp, fmt::format(f, std::forward<A>(a)...));
   }
   std::ostream& out_;
   log_level min_;
   const net_clock* clock_;
};

/// What peer-log-format's variables expand to for one connection.
struct peer_log_fields {
   std::string name;  ///< ${_name}: the peer's p2p_address from its handshake, else its address
   std::string peer;  ///< ${_peer}: the configured address (outbound) or ip:port
   uint32_t cid = 0;  ///< ${_cid}
   std::string ip;    ///< ${_ip}
   uint16_t port = 0; ///< ${_port}
   std::string lip;   ///< ${_lip}: local ip
   uint16_t lport = 0;///< ${_lport}
};

/// Expands ${_name}, ${_peer}, ${_cid}, ${_ip}, ${_port}, ${_lip}, ${_lport} in `format`;
/// unknown variables are kept as written.
std::string expand_peer_log_format(std::string_view format, const peer_log_fields& f);

} // namespace core
