// go_away receive handling, the reconnect table, the outbound back-off and the disconnect record.
#include "net/disconnect_reason.hpp"
#include "net/go_away_policy.hpp"

#include <catch2/catch.hpp>

using namespace core;
using namespace std::chrono_literals;

namespace {
const net_time t0{1'700'000'000'000'000'000};
}

TEST_CASE("go_away_policy: received go_away table", "[net]") {
   using R = go_away_reason;
   struct row {
      R reason;
      bool reconnect_now;
      bool monitor_may_reconnect;
   };
   const row table[] = {
      {R::no_reason, false, true},      {R::self, false, false},         {R::duplicate, false, true},
      {R::wrong_chain, false, false},   {R::wrong_version, true, true},  {R::forked, false, false},
      {R::unlinkable, false, false},    {R::bad_transaction, false, false}, {R::validation, false, false},
      {R::benign_other, true, true},    {R::fatal_other, false, false},  {R::authentication, false, false},
   };
   for (const auto& r : table) {
      INFO(enum_name(r.reason));
      auto o = on_go_away_received(R::no_reason, go_away_message{r.reason, checksum256{}});
      CHECK(o.no_retry == r.reason);
      CHECK(o.reconnect_now == r.reconnect_now);
      CHECK(reconnect_allowed(o.no_retry) == r.monitor_may_reconnect);
   }
}

TEST_CASE("go_away_policy: duplicate remembers node_id, wrong_version retries once", "[net]") {
   checksum256 id;
   id.data.fill(0x42);
   auto d = on_go_away_received(go_away_reason::no_reason, go_away_message{go_away_reason::duplicate, id});
   REQUIRE(d.peer_node_id);
   CHECK(*d.peer_node_id == id);
   CHECK_FALSE(on_go_away_received(go_away_reason::no_reason, go_away_message{go_away_reason::forked, id}).peer_node_id);

   auto first = on_go_away_received(go_away_reason::no_reason, go_away_message{go_away_reason::wrong_version, {}});
   CHECK(first.no_retry == go_away_reason::wrong_version);
   CHECK(first.reconnect_now);
   auto second = on_go_away_received(first.no_retry, go_away_message{go_away_reason::wrong_version, {}});
   CHECK(second.no_retry == go_away_reason::fatal_other);
   CHECK_FALSE(second.reconnect_now);
   CHECK_FALSE(reconnect_allowed(second.no_retry));

   // benign_other after an earlier go_away: stored, but no immediate reconnect.
   auto b = on_go_away_received(go_away_reason::duplicate, go_away_message{go_away_reason::benign_other, {}});
   CHECK(b.no_retry == go_away_reason::benign_other);
   CHECK_FALSE(b.reconnect_now);
}

TEST_CASE("go_away_policy: back-off after more than 9 immediate closes", "[net]") {
   reconnect_backoff b;
   net_time now = t0;
   for (int i = 0; i < 9; ++i) {
      b.on_closed(now);
      CHECK(decide_reconnect(b, go_away_reason::no_reason, now + 1ms) == reconnect_decision::connect);
      now += 1s;
   }
   b.on_closed(now); // 10th consecutive close
   CHECK(b.consecutive_immediate_closes == 10);
   CHECK(decide_reconnect(b, go_away_reason::no_reason, now + 1s) == reconnect_decision::wait);
   // Leap waits while last_close > now − period: a full period after the close, it dials.
   CHECK(decide_reconnect(b, go_away_reason::no_reason, now + 30s - 1ns) == reconnect_decision::wait);
   CHECK(decide_reconnect(b, go_away_reason::no_reason, now + 30s) == reconnect_decision::connect);
   CHECK(decide_reconnect(b, go_away_reason::no_reason, now + 4s, 5s) == reconnect_decision::wait);
   CHECK(decide_reconnect(b, go_away_reason::no_reason, now + 5s, 5s) == reconnect_decision::connect);

   // A complete message resets the count.
   b.on_message_received();
   CHECK(decide_reconnect(b, go_away_reason::no_reason, now + 1s) == reconnect_decision::connect);

   // benign_other always waits a cleanup period after the last close.
   CHECK(decide_reconnect(b, go_away_reason::benign_other, now + 1s) == reconnect_decision::wait);
   CHECK(decide_reconnect(b, go_away_reason::benign_other, now + 31s) == reconnect_decision::connect);
   reconnect_backoff never_closed;
   CHECK(decide_reconnect(never_closed, go_away_reason::benign_other, now) == reconnect_decision::wait);

   // Forbidden reasons give up regardless of timing.
   CHECK(decide_reconnect(b, go_away_reason::wrong_chain, now + 1h) == reconnect_decision::give_up);
   CHECK(decide_reconnect(b, go_away_reason::duplicate, now + 1s) == reconnect_decision::connect);
}

TEST_CASE("disconnect_reason: one record, one log line", "[net]") {
   auto a = disconnect_reason::sent(go_away_reason::duplicate, disconnect_op::handshake, "dup of 1a2b3c4");
   CHECK(to_string(a) == "op=handshake go_away=duplicate(sent) detail=dup of 1a2b3c4");
   auto b = disconnect_reason::io_error(disconnect_op::read, 104, "Connection reset by peer");
   CHECK(to_string(b) == "op=read error=104 detail=Connection reset by peer");
   auto c = disconnect_reason::received(go_away_reason::benign_other, "");
   CHECK(to_string(c) == "op=protocol go_away=benign_other(received)");
   auto d = disconnect_reason::plain(disconnect_op::limit, "max-clients 25");
   CHECK_FALSE(d.go_away);
   CHECK_FALSE(d.error_code);
   CHECK(to_string(d) == "op=limit detail=max-clients 25");
}
