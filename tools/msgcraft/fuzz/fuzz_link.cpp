#include "fuzz/fuzz_link.hpp"

#include "codec/schema_walk.hpp"
#include "net/frame.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace msgcraft::fuzz {

core::result<fuzz_link> fuzz_link::open(const std::string& host, uint16_t port, std::chrono::milliseconds timeout) {
   auto s = peer_session::connect(host, port, timeout);
   if (!s)
      return core::unexpected{s.error()};
   return fuzz_link(std::move(*s));
}

core::result<bool> fuzz_link::send_handshake(const handshake_options& opts) {
   auto h = session_.send_handshake(opts);
   if (!h)
      return core::unexpected{h.error()};
   checker_.sent_handshake(h->network_version);
   handshake_ = std::move(*h);
   return true;
}

bool fuzz_link::send_frame(const fuzz_frame& f) {
   if (history_.size() >= max_history_frames)
      history_.erase(history_.begin());
   history_.push_back(f);
   // A handshake among the frames advertises a version too (the highest one counts).
   if (!f.declared_length)
      if (auto m = core::decode_payload(f.payload))
         if (const auto* h = std::get_if<core::handshake_message>(&*m))
            checker_.sent_handshake(h->network_version);
   // A time_message among the frames may be answered, even a damaged one by a lenient peer:
   // its xmt follows the message index, org and rec.
   const auto index = core::read_varuint32_at(f.payload);
   const std::size_t xmt_at = index.bytes + 16;
   if (index.bytes != 0 && index.value == core::message_index_v<core::time_message> && f.payload.size() >= xmt_at + 8) {
      int64_t xmt = 0;
      std::memcpy(&xmt, f.payload.data() + xmt_at, sizeof xmt);
      checker_.sent_ping(xmt);
   }
   return session_.send_raw(f.bytes()).has_value();
}

bool fuzz_link::ping() {
   const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
   last_xmt_ = std::max(now, last_xmt_ + 1);
   checker_.sent_ping(last_xmt_);
   return session_.send(core::time_message{0, 0, last_xmt_, 0}).has_value();
}

wait_result fuzz_link::wait_pong(clock::time_point deadline) { return read_until(deadline, true); }
wait_result fuzz_link::settle(clock::time_point deadline) { return read_until(deadline, false); }

wait_result fuzz_link::read_until(clock::time_point deadline, bool want_pong) {
   for (;;) {
      auto r = session_.receive(deadline);
      switch (r.status) {
      case receive_status::frame: {
         if (auto c = checker_.received(r->message))
            return {wait_status::contradiction, {}, std::move(c)};
         if (const auto* g = std::get_if<core::go_away_message>(&r->message))
            go_away_ = fmt::format("go_away {}", core::enum_name(g->reason));
         if (const auto* t = std::get_if<core::time_message>(&r->message))
            if (want_pong && t->org == last_xmt_ && last_xmt_ != 0)
               return {wait_status::pong, {}, {}};
         break;
      }
      case receive_status::timeout: return {wait_status::timeout, {}, {}};
      case receive_status::closed:
         return {wait_status::closed, go_away_.empty() ? std::string("closed without go_away") : go_away_, {}};
      case receive_status::error:
         return {wait_status::contradiction, {},
                 checker_.undecodable(fmt::format("undecodable frame at byte {}: {}", r.offset, r.reason))};
      }
   }
}

} // namespace msgcraft::fuzz
