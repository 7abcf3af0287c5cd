#include "probe/runner.hpp"

#include "fuzz/seeds.hpp"

#include "codec/byte_writer.hpp"
#include "crypto/private_key.hpp"
#include "crypto/sha256.hpp"
#include "net/frame.hpp"
#include "net/handshake_checks.hpp"
#include "net/peer_identity.hpp"

#include <fmt/format.h>

#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <thread>

namespace msgcraft::probe {

namespace {

using std::chrono::milliseconds;
using clock_type = peer_session::clock;

int64_t now_ns() {
   return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<uint8_t> with_length(std::vector<uint8_t> frame, uint32_t length) {
   std::memcpy(frame.data(), &length, sizeof length);
   return frame;
}

/// One connection of a check. Closing it waits (briefly) for the peer to close its side, so
/// the next check's connection is not refused by a per-host limit that still counts this one.
struct link {
   explicit link(peer_session session) : s(std::move(session)) {}
   link(link&&) = default;
   link& operator=(link&&) = default;
   ~link() {
      if (!s.is_open())
         return;
      ::shutdown(s.native_handle(), SHUT_WR);
      const auto deadline = clock_type::now() + linger;
      while (s.receive(deadline).status == receive_status::frame) {
      }
   }
   static constexpr milliseconds linger{1000};
   peer_session s;
   int64_t last_xmt = 0;
};

class prober {
public:
   explicit prober(const probe_config& cfg) : cfg_(cfg) {}

   std::optional<link> connect() {
      auto s = peer_session::connect(cfg_.host, cfg_.port, cfg_.connect_timeout);
      if (!s) {
         last_error_ = s.error();
         return std::nullopt;
      }
      return link{std::move(*s)};
   }

   core::handshake_message valid_handshake() const { return build_handshake(cfg_.handshake, now_ns()); }

   void send(link& l, std::span<const uint8_t> bytes) { (void)l.s.send_raw(bytes); }
   template <class T>
   void send_msg(link& l, const T& m) {
      send(l, core::encode_frame(m));
   }

   int64_t ping(link& l) {
      l.last_xmt = std::max(now_ns(), l.last_xmt + 1);
      send_msg(l, core::time_message{0, 0, l.last_xmt, 0});
      return l.last_xmt;
   }

   /// Pings (unless `ping_first` is false: one was sent already) and reads until the peer
   /// closes, or the ping is answered and (with `settle`) the connection has been quiet for
   /// cfg.settle, or cfg.timeout.
   observation observe(link& l, bool ping_first = true, bool settle = true) {
      observation o;
      if (ping_first)
         ping(l);
      const auto deadline = clock_type::now() + cfg_.timeout;
      auto quiet_until = clock_type::time_point::max();
      for (;;) {
         auto r = l.s.receive(std::min(deadline, quiet_until));
         if (r.status == receive_status::timeout)
            break;
         if (r.status == receive_status::closed) {
            o.closed = true;
            break;
         }
         if (r.status == receive_status::error) {
            o.closed = true;
            o.note = "undecodable frame: " + r.reason;
            break;
         }
         record(o, r->which, r->message, l.last_xmt);
         if (o.answered && !settle)
            break;
         if (o.answered)
            quiet_until = clock_type::now() + cfg_.settle;
      }
      return o;
   }

   /// A connection that sent `hs`, observed.
   observation handshake_exchange(const core::handshake_message& hs, std::optional<link>* keep = nullptr) {
      auto l = connect();
      if (!l)
         return skip("cannot connect: " + last_error_);
      send_msg(*l, hs);
      auto o = observe(*l);
      if (keep)
         *keep = std::move(l);
      return o;
   }

   /// A connection with a valid handshake whose answer arrived; nullopt (and `why`) otherwise.
   std::optional<link> session(std::string& why, const core::handshake_message* hs = nullptr) {
      auto l = connect();
      if (!l) {
         why = "cannot connect: " + last_error_;
         return std::nullopt;
      }
      send_msg(*l, hs ? *hs : valid_handshake());
      auto o = observe(*l);
      if (o.handshakes.empty() || !o.answered || o.closed) {
         why = "the peer did not accept a valid handshake (" + describe(o) + ")";
         return std::nullopt;
      }
      return l;
   }

   /// After a check: a new connection with a valid handshake is answered. Connections the
   /// peer refuses at once (its per-host limit still counting the old ones) are tried again.
   bool survived() {
      for (int attempt = 0; attempt < 20; ++attempt) {
         if (attempt)
            std::this_thread::sleep_for(milliseconds(100));
         auto l = connect();
         if (!l)
            continue;
         send_msg(*l, valid_handshake());
         auto o = observe(*l, true, false);
         if (o.answered && !o.closed)
            return true;
         if (!o.closed) // no answer on an open connection: not alive
            return false;
      }
      return false;
   }

   observation run(const check_def& c) {
      switch (c.run) {
      case scenario::handshake_valid: return check_valid();
      case scenario::wrong_chain: return varied([](auto& h) { h.chain_id = core::sha256("msgcraft probe: another chain"); });
      case scenario::self_connect:
         if (!peer_)
            return skip("needs the peer's handshake");
         return varied([&](auto& h) { h.node_id = peer_->node_id; });
      case scenario::duplicate: return check_duplicate();
      case scenario::p2p_address_empty: return varied([](auto& h) { h.p2p_address.clear(); });
      case scenario::p2p_address_384: return varied([](auto& h) { h.p2p_address.resize(384, 'a'); });
      case scenario::p2p_address_385: return varied([](auto& h) { h.p2p_address.resize(385, 'a'); });
      case scenario::os_empty: return varied([](auto& h) { h.os.clear(); });
      case scenario::agent_385: return varied([](auto& h) { h.agent.assign(385, 'a'); });
      case scenario::lib_above_head:
         return varied([](auto& h) {
            h.last_irreversible_block_num = 10;
            h.head_num = 5;
         });
      case scenario::bad_token: return varied([](auto& h) { h.token = core::sha256("msgcraft probe token"); });
      case scenario::forked: return check_forked();
      case scenario::eosio21_downgrade: return varied([](auto& h) { h.network_version = 1210; });
      case scenario::version_unknown: return varied([](auto& h) { h.network_version = 1400; });
      case scenario::auth_unsigned:
         return varied([](auto& h) {
            h.key = core::public_key{};
            h.sig = core::signature{};
            h.token = core::checksum256{};
         });
      case scenario::auth_bad_signature: return check_bad_signature();
      case scenario::time_ping: return in_session([&](link& l) { return observe(l); });
      case scenario::time_before_handshake: {
         auto l = connect();
         if (!l)
            return skip("cannot connect: " + last_error_);
         return observe(*l);
      }
      case scenario::time_zero_xmt:
         return in_session([&](link& l) {
            send_msg(l, core::time_message{0, 0, 0, 0});
            return observe(l);
         });
      case scenario::time_duplicate:
         return in_session([&](link& l) {
            const auto twice = core::encode_frame(core::time_message{0, 0, now_ns(), 0});
            send(l, twice);
            send(l, twice);
            l.last_xmt = now_ns() + 1000;
            return observe(l);
         });
      case scenario::frame_zero_length: return after_bytes({0, 0, 0, 0});
      case scenario::frame_oversize: return after_bytes({0x01, 0x00, 0x80, 0x00});
      case scenario::frame_unknown_index: return after_bytes({0x01, 0x00, 0x00, 0x00, 100});
      case scenario::frame_length_short: {
         auto f = core::encode_frame(core::time_message{0, 0, now_ns(), 0});
         return after_bytes(with_length(f, static_cast<uint32_t>(f.size() - 4 - 1)));
      }
      case scenario::frame_length_long: {
         auto f = core::encode_frame(core::time_message{0, 0, now_ns(), 0});
         return after_bytes(with_length(f, static_cast<uint32_t>(f.size() - 4 + 1)));
      }
      case scenario::frame_split:
         return in_session([&](link& l) {
            l.last_xmt = now_ns();
            const auto f = core::encode_frame(core::time_message{0, 0, l.last_xmt, 0});
            for (uint8_t b : f) {
               send(l, std::span<const uint8_t>(&b, 1));
               std::this_thread::sleep_for(milliseconds(5));
            }
            return observe(l, false);
         });
      case scenario::sync_in_range: return check_sync_in_range();
      case scenario::sync_out_of_range: {
         const uint32_t from = (peer_ ? peer_->head_num : 0) + 1000;
         return after_message(core::sync_request_message{from, from + 10});
      }
      case scenario::sync_cancel: return after_message(core::sync_request_message{0, 0});
      case scenario::request_catch_up: return check_catch_up();
      case scenario::request_normal: return check_request_normal();
      case scenario::request_too_many_ids: {
         core::request_message r;
         r.req_blocks = {core::id_list_mode::catch_up, 0, {block_id(1), block_id(2), block_id(3)}};
         return after_message(r);
      }
      case scenario::request_trx_ids: {
         core::request_message r;
         r.req_trx = {core::id_list_mode::none, 0, {core::sha256("msgcraft probe trx")}};
         return after_message(r);
      }
      case scenario::request_stop: return after_message(core::request_message{});
      case scenario::notice_too_many_ids: {
         core::notice_message n;
         n.known_blocks = {core::id_list_mode::catch_up, 3, {block_id(1), block_id(2), block_id(3)}};
         return after_message(n);
      }
      case scenario::notice_normal: {
         core::notice_message n;
         n.known_blocks = {core::id_list_mode::normal, 1, {block_id(7)}};
         return after_message(n);
      }
      case scenario::block_below_lib: return check_below_lib();
      case scenario::gate_vote: return after_seed("builtin:vote_message(strong)");
      case scenario::gate_block_nack: return after_seed("builtin:block_nack_message(reset)");
      case scenario::gate_block_notice: {
         core::byte_writer w;
         w.write_varuint32(11);
         const auto prev = block_id(4), id = block_id(9); // 9 does not follow 4
         w.write(prev.data.data(), prev.data.size());
         w.write(id.data.data(), id.data.size());
         return after_bytes(core::frame_payload(w.bytes()));
      }
      case scenario::gate_gossip_bp_peers: return after_seed("builtin:gossip_bp_peers_message(empty)");
      case scenario::gate_transaction_notice: return after_seed("builtin:transaction_notice_message(transfer)");
      case scenario::gate_unsolicited: {
         observation o = in_session([&](link& l) { return observe(l); });
         o.messages = all_received_;
         return o;
      }
      }
      return skip("unknown scenario");
   }

   /// The handshake to a valid one: learnt before the checks (for self_connect, ranges, ...).
   bool learn_peer() {
      std::string why;
      auto l = session(why);
      if (l)
         return true;
      if (!peer_)
         peer_error_ = why;
      return false;
   }

   const std::optional<core::handshake_message>& peer() const { return peer_; }
   const std::string& peer_error() const { return peer_error_; }
   const std::string& last_error() const { return last_error_; }

private:
   static observation skip(std::string why) {
      observation o;
      o.skipped = std::move(why);
      return o;
   }

   static core::block_id_type block_id(uint32_t num) {
      return core::make_block_id(core::sha256(fmt::format("msgcraft probe block {}", num)), num);
   }

   void record(observation& o, uint32_t which, const core::net_message& m, int64_t xmt) {
      all_received_.push_back(which);
      if (const auto* t = std::get_if<core::time_message>(&m)) {
         if (t->org == 0)
            return; // the peer's own ping (peer_session answers it)
         o.replies.push_back(*t);
         if (t->org == xmt)
            o.answered = true;
         return;
      }
      o.messages.push_back(which);
      if (const auto* h = std::get_if<core::handshake_message>(&m)) {
         o.handshakes.push_back(*h);
         if (!peer_ && h->network_version != 1206)
            peer_ = *h;
      } else if (const auto* g = std::get_if<core::go_away_message>(&m)) {
         if (!o.go_away)
            o.go_away = g->reason;
      } else if (const auto* b = std::get_if<core::signed_block>(&m)) {
         o.blocks.push_back(b->block_num());
         known_ids_[b->block_num()] = b->calculate_id();
      } else if (const auto* s = std::get_if<core::sync_request_message>(&m)) {
         o.sync_requests.push_back(*s);
      }
   }

   template <class F>
   observation varied(F change) {
      auto h = valid_handshake();
      change(h);
      return handshake_exchange(h);
   }

   template <class F>
   observation in_session(F body, const core::handshake_message* hs = nullptr) {
      std::string why;
      auto l = session(why, hs);
      if (!l)
         return skip(why);
      return body(*l);
   }

   observation after_bytes(std::vector<uint8_t> bytes) {
      return in_session([&](link& l) {
         send(l, bytes);
         return observe(l);
      });
   }
   template <class T>
   observation after_message(const T& m) {
      return after_bytes(core::encode_frame(m));
   }
   observation after_seed(std::string_view origin) {
      for (const auto& s : fuzz::builtin_seeds(valid_handshake()))
         if (s.origin == origin)
            return after_bytes(core::frame_payload(s.payload));
      return skip(fmt::format("no seed {}", origin));
   }

   observation check_valid() {
      auto o = handshake_exchange(valid_handshake());
      if (!o.handshakes.empty() && !peer_)
         peer_ = o.handshakes.front();
      return o;
   }

   observation check_duplicate() {
      auto h = valid_handshake();
      h.node_id = core::checksum256{};
      h.node_id.data[31] = 1; // below any real node id: the peer keeps the first connection
      std::string why;
      auto first = session(why, &h);
      if (!first)
         return skip(why);
      auto second = connect();
      if (!second)
         return skip("cannot open a second connection: " + last_error_);
      send_msg(*second, h);
      auto o = observe(*second);
      if (o.closed && !o.go_away && o.handshakes.empty())
         return skip("the peer closed the second connection at once: one connection per host "
                     "(p2p-max-nodes-per-host)");
      const auto still = observe(*first);
      o.second_ok = still.answered && !still.closed;
      o.note = o.second_ok ? "the first connection stays" : "the first connection: " + describe(still);
      return o;
   }

   observation check_forked() {
      if (!peer_ || peer_->last_irreversible_block_num == 0)
         return skip("the peer's LIB is 0");
      return varied([&](auto& h) {
         const uint32_t lib = peer_->last_irreversible_block_num;
         h.last_irreversible_block_num = lib;
         h.last_irreversible_block_id = core::make_block_id(core::sha256("msgcraft probe: a fork"), lib);
         h.head_num = lib;
         h.head_id = h.last_irreversible_block_id;
      });
   }

   observation check_bad_signature() {
      const auto signer = core::private_key::from_secret(core::sha256("msgcraft probe signer").bytes()).value();
      const auto other = core::private_key::from_secret(core::sha256("msgcraft probe other").bytes()).value();
      return varied([&](auto& h) {
         h.key = signer.get_public_key();
         h.token = core::sha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&h.time), sizeof h.time));
         h.sig = other.sign(h.token);
      });
   }

   /// The last block number worth asking for: the peer's LIB, else its head.
   uint32_t top() const { return !peer_ ? 0 : peer_->last_irreversible_block_num ? peer_->last_irreversible_block_num : peer_->head_num; }

   observation check_sync_in_range() {
      const uint32_t to = top();
      if (to == 0)
         return skip("the peer has no block");
      const uint32_t from = to > 4 ? to - 4 : 1;
      auto o = after_message(core::sync_request_message{from, to});
      for (uint32_t n = from; n <= to; ++n)
         o.wanted.push_back(n);
      return o;
   }

   /// Ids of blocks [from, to] of the peer's chain (asked for on their own connection).
   bool learn_ids(uint32_t from, uint32_t to) {
      bool all = true;
      for (uint32_t n = from; n <= to; ++n)
         all &= known_ids_.count(n) > 0;
      if (all)
         return true;
      in_session([&](link& l) {
         send_msg(l, core::sync_request_message{from, to});
         return observe(l);
      });
      for (uint32_t n = from; n <= to; ++n)
         if (!known_ids_.count(n))
            return false;
      return true;
   }

   /// A session whose handshake claims block n (a block of the peer's chain) as LIB and head:
   /// Leap serves a catch_up request only to a peer whose LIB is known.
   core::handshake_message claiming(uint32_t n) {
      auto h = valid_handshake();
      h.last_irreversible_block_num = h.head_num = n;
      h.last_irreversible_block_id = h.head_id = known_ids_.at(n);
      return h;
   }

   observation check_catch_up() {
      const uint32_t to = top();
      if (to < 3)
         return skip("the peer has fewer than 3 blocks");
      const uint32_t n = to - 2;
      if (!learn_ids(n, n))
         return skip(fmt::format("the peer did not serve block {}", n));
      const auto hs = claiming(n);
      auto o = in_session(
         [&](link& l) {
            core::request_message r;
            r.req_blocks = {core::id_list_mode::catch_up, 0, {known_ids_.at(n)}};
            send_msg(l, r);
            return observe(l);
         },
         &hs);
      o.wanted = {n + 1};
      return o;
   }

   observation check_request_normal() {
      const uint32_t to = top();
      if (to < 2)
         return skip("the peer has fewer than 2 blocks");
      const uint32_t n = to - 1;
      if (!learn_ids(n, n))
         return skip(fmt::format("the peer did not serve block {}", n));
      core::request_message r;
      r.req_blocks = {core::id_list_mode::normal, 0, {known_ids_.at(n)}};
      auto o = after_message(r);
      o.wanted = {n};
      return o;
   }

   observation check_below_lib() {
      if (!peer_ || peer_->last_irreversible_block_num == 0)
         return skip("the peer's LIB is 0");
      for (const auto& s : fuzz::builtin_seeds(valid_handshake()))
         if (s.origin == "builtin:signed_block(block 1)")
            return after_bytes(core::frame_payload(s.payload));
      return skip("no block seed");
   }

   const probe_config& cfg_;
   std::optional<core::handshake_message> peer_;
   std::string peer_error_;
   std::string last_error_;
   std::vector<uint32_t> all_received_;
   std::map<uint32_t, core::block_id_type> known_ids_;
};

} // namespace

probe_summary run_probe(const probe_config& cfg, const std::function<void(flavour, const probe_summary&)>& on_start,
                        const std::function<void(const check_result&)>& on_result) {
   probe_summary out;
   prober p(cfg);
   if (!p.learn_peer() && !p.peer()) {
      if (!peer_session::connect(cfg.host, cfg.port, cfg.connect_timeout)) {
         out.unreachable = true;
         out.error = p.last_error();
         return out;
      }
   }
   out.peer = p.peer();
   out.expect = cfg.expect.value_or(out.peer && core::to_protocol_version(out.peer->network_version) >= core::proto::savanna
                                       ? flavour::spring
                                       : flavour::leap5);
   on_start(out.expect, out);
   for (const auto* c : cfg.checks) {
      check_result r;
      r.def = c;
      r.seen = p.run(*c);
      r.skipped = !r.seen.skipped.empty();
      r.ok = r.skipped || c->expect(out.expect).holds(r.seen);
      if (!r.skipped) {
         r.survived = p.survived();
         if (!r.survived) {
            r.ok = false;
            r.seen.note += (r.seen.note.empty() ? "" : "; ") + std::string("the peer answered no new connection afterwards");
         }
      }
      on_result(r);
      out.results.push_back(std::move(r));
      if (!out.results.back().survived)
         break;
   }
   return out;
}

} // namespace msgcraft::probe
