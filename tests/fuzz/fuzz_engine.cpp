// libFuzzer target: the protocol engine driven by several fake peers (after Bitcoin Core's
// process_messages). The input picks a sequence of events — connections opening and closing,
// dials completing or failing, messages (built from chosen fields, or decoded from raw bytes)
// from any peer in any order, time steps with their ticks, chain changes, operator requests —
// and after every event the engine's invariants are checked:
//   - no crash, no sanitizer report;
//   - no action towards a connection that closed, or that the engine already asked to close;
//     every frame it sends decodes;
//   - no dial of an outbound peer it is dialling already;
//   - every queue and index stays within its bound: the catch-up pipeline, the pending
//     transactions, the connection and sync records, the relay index's unknown blocks, the
//     transaction ids of the last dedup window;
//   - a tick leaves no work due at once (the shell never spins).
#include "fuzz_check.hpp"
#include "net/engine.hpp"
#include "net/message_gate.hpp"
#include "support/fake_engine_chain.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <deque>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

using namespace core;
using namespace std::chrono_literals;
using test::make_block;

namespace {

constexpr std::size_t max_steps = 600;
constexpr uint32_t max_connections = 24;
const net_time t0 = std::chrono::duration_cast<net_time>(std::chrono::seconds(1'800'000'000));

checksum256 hash_of(uint8_t fill) {
   checksum256 c;
   c.data.fill(fill);
   return c;
}

struct fuzz_transport : transport_view {
   std::map<uint32_t, std::size_t> queued;
   std::size_t queued_bytes(uint32_t cid) const override {
      auto it = queued.find(cid);
      return it == queued.end() ? 0 : it->second;
   }
};

class driver {
public:
   explicit driver(FuzzedDataProvider& in)
      : in_(in), chain_(in.ConsumeIntegralInRange<uint32_t>(1, 40)), log_(null_out_, log_level::debug, &clock_) {
      chain_.lib = in.ConsumeIntegralInRange<uint32_t>(1, chain_.head_num());
      cfg_.identity.chain_id = hash_of(0xc1);
      cfg_.identity.node_id = hash_of(0x80);
      cfg_.identity.server_address = "me.example:9876";
      cfg_.identity.accept_transactions = in.ConsumeBool() || in.ConsumeBool();
      cfg_.max_clients = in.ConsumeIntegralInRange<uint32_t>(0, 6);
      cfg_.max_nodes_per_host = in.ConsumeIntegralInRange<uint32_t>(1, 3);
      cfg_.sync.sync_fetch_span = in.ConsumeIntegralInRange<uint32_t>(1, 60);
      cfg_.sync.sync_peer_limit = in.ConsumeIntegralInRange<uint32_t>(1, 4);
      cfg_.peers = {"10.9.0.1:9876", "10.9.0.2:9876:blk"};
      cfg_.auto_bp_peers = {{name(name::string_to_value("proda")), "10.9.1.1:9876"},
                            {name(name::string_to_value("prodb")), "10.9.1.2:9876"}};
      cfg_.own_producers = {name(name::string_to_value("prodc"))};
      outbound_bound_ = cfg_.peers.size() + cfg_.auto_bp_peers.size();
      eng_ = std::make_unique<engine>(chain_, transport_, cfg_, log_);
      chain_.on_header_valid = [this](const std::shared_ptr<const signed_block>& b) {
         eng_->on_block_validated(b, b->calculate_id(), clock_.now());
      };
      eng_->start(clock_.now());
      check();
      dialling_ = dialling();
   }

   void run() {
      for (std::size_t step = 0; step < max_steps && in_.remaining_bytes() > 0; ++step) {
         switch (in_.ConsumeIntegralInRange<int>(0, 10)) {
         case 0: accept(); break;
         case 1: complete_dial(); break;
         case 2: peer_hangs_up(); break;
         case 3: finish_close(); break;
         case 4: advance(); break;
         case 5:
         case 6: deliver(structured_message()); break;
         case 7: deliver_raw(); break;
         case 8: transport_.queued[pick_live()] = in_.ConsumeBool() ? engine::serve_queue_bytes : 0; break;
         case 9: change_chain(); break;
         case 10: operator_request(); break;
         }
         check();
         dialling_ = dialling();
      }
      eng_->stop();
      check();
      for (auto cid : std::set<uint32_t>(live_))
         close_reported(cid);
      FUZZ_CHECK(eng_->tracked_count() == 0);
   }

private:
   // ---- events ---------------------------------------------------------------------------------

   void accept() {
      if (live_.size() >= max_connections)
         return;
      const uint32_t cid = next_cid_++;
      const std::string ip = "10.0.0." + std::to_string(in_.ConsumeIntegralInRange<int>(1, 4));
      connection_info info{false, ip + ":" + std::to_string(40000 + cid), ip, uint16_t(40000 + cid),
                           in_.ConsumeBool() ? in_.ConsumeIntegralInRange<uint64_t>(100, 100'000) : 0};
      live_.insert(cid);
      ++opened_;
      eng_->on_connected(cid, info, clock_.now());
   }

   void complete_dial() {
      if (dials_.empty())
         return;
      const auto [address, dial] = dials_.front();
      dials_.pop_front();
      if (in_.ConsumeBool() || live_.size() >= max_connections) {
         eng_->on_dial_failed(address, dial, "Connection refused", in_.ConsumeBool(), clock_.now());
         return;
      }
      const uint32_t cid = next_cid_++;
      live_.insert(cid);
      ++opened_;
      eng_->on_connected(cid, connection_info{true, address, "10.9.9.9", 9876, 0, dial}, clock_.now());
   }

   void peer_hangs_up() {
      if (live_.empty())
         return;
      close_reported(pick_live());
   }

   void finish_close() {
      if (closing_.empty())
         return;
      close_reported(*closing_.begin());
   }

   void close_reported(uint32_t cid) {
      if (!live_.contains(cid))
         return;
      live_.erase(cid);
      closing_.erase(cid);
      transport_.queued.erase(cid);
      gone_.insert(cid);
      eng_->on_closed(cid, disconnect_reason::plain(disconnect_op::read, "closed by peer"), clock_.now());
   }

   void advance() {
      const auto step = std::chrono::milliseconds(in_.ConsumeIntegralInRange<int>(0, 15'000));
      const auto end = clock_.now() + step;
      for (int ticks = 0; ticks < 20'000; ++ticks) {
         auto next = eng_->next_tick();
         if (!next || *next > end)
            break;
         clock_.set(std::max(clock_.now(), *next));
         eng_->on_tick(clock_.now());
         const auto after = eng_->next_tick();
         FUZZ_CHECK(!after || *after > clock_.now());
      }
      clock_.set(end); // the actions of every tick are checked in order by run()'s check()
   }

   void deliver(std::optional<net_message> m) {
      if (!m || live_.empty())
         return;
      const uint32_t cid = pick_live();
      if (std::holds_alternative<packed_transaction>(*m))
         recent_trx_.push_back(clock_.now());
      eng_->on_message(cid, std::move(*m), clock_.now());
   }

   void deliver_raw() {
      const auto bytes = in_.ConsumeBytes<uint8_t>(in_.ConsumeIntegralInRange<std::size_t>(1, 512));
      auto m = decode_payload(bytes);
      if (m)
         deliver(std::move(*m));
   }

   void change_chain() {
      switch (in_.ConsumeIntegralInRange<int>(0, 5)) {
      case 0: chain_.extend_to(std::min<uint32_t>(chain_.head_num() + in_.ConsumeIntegralInRange<uint32_t>(1, 5), 200)); break;
      case 1: chain_.lib = std::max(chain_.lib, in_.ConsumeIntegralInRange<uint32_t>(1, chain_.head_num())); break;
      case 2: chain_.invalid.insert(block_on_top(in_.ConsumeIntegralInRange<uint16_t>(0, 3))->calculate_id()); break;
      case 3: chain_.keys_pending.insert(block_on_top(in_.ConsumeIntegralInRange<uint16_t>(0, 3))->calculate_id()); break;
      case 4: chain_.keys_pending.clear(); break;
      case 5: chain_.accept_transactions = !chain_.accept_transactions; break;
      }
   }

   void operator_request() {
      switch (in_.ConsumeIntegralInRange<int>(0, 4)) {
      case 0: {
         const auto address = "10.8.0." + std::to_string(in_.ConsumeIntegralInRange<int>(1, 3)) + ":9876";
         if (eng_->connect(address))
            ++outbound_bound_;
         break;
      }
      case 1: (void)eng_->disconnect(in_.ConsumeBool() ? "10.9.0.1:9876" : "10.8.0.1:9876"); break;
      case 2: {
         recent_trx_.push_back(clock_.now());
         (void)eng_->push_transaction(make_trx(), clock_.now());
         break;
      }
      case 3: {
         producer_schedule s;
         for (const char* p : {"proda", "prodb", "prodc", "prodd", "prode", "prodf"})
            if (in_.ConsumeBool())
               s.producers.push_back({name(name::string_to_value(p)), {}});
         eng_->update_auto_bp_peers(producer_authority_schedule::from_legacy(s));
         break;
      }
      case 4: {
         auto b = block_on_top(0);
         eng_->on_block_validated(b, b->calculate_id(), clock_.now());
         break;
      }
      }
   }

   // ---- messages -------------------------------------------------------------------------------

   uint32_t small_num() { return in_.ConsumeIntegralInRange<uint32_t>(0, chain_.head_num() + 30); }

   block_id_type some_id() {
      const uint32_t n = small_num();
      if (n >= 1 && n <= chain_.head_num() && in_.ConsumeBool())
         return chain_.id(n);
      return make_block_id(hash_of(in_.ConsumeIntegral<uint8_t>()), n);
   }

   std::shared_ptr<const signed_block> block_on_top(uint16_t tag) {
      return make_block(chain_.id(chain_.head_num()), tag);
   }

   std::shared_ptr<const packed_transaction> make_trx() {
      transaction t;
      const auto secs = std::chrono::duration_cast<std::chrono::seconds>(clock_.now()).count();
      t.expiration = time_point_sec{uint32_t(secs + in_.ConsumeIntegralInRange<int>(-5, 120))};
      action a;
      a.account = name(name::string_to_value("eosio.token"));
      a.name = name(name::string_to_value("transfer"));
      const auto memo = in_.ConsumeIntegral<uint16_t>();
      a.data = {char(memo & 0xff), char(memo >> 8)};
      t.actions.push_back(std::move(a));
      return std::make_shared<const packed_transaction>(packed_transaction::make(t, {}));
   }

   std::optional<net_message> structured_message() {
      switch (in_.ConsumeIntegralInRange<int>(0, 8)) {
      case 0: {
         peer_identity peer;
         peer.chain_id = in_.ConsumeIntegralInRange<int>(0, 15) == 0 ? hash_of(0xc2) : cfg_.identity.chain_id;
         peer.node_id = hash_of(in_.ConsumeIntegralInRange<uint8_t>(1, 12));
         static const char* const addresses[] = {"peer.example:9876", "peer.example:9876:blk", "peer.example:9876:trx",
                                                 "10.9.1.1:9876"};
         peer.server_address = addresses[in_.ConsumeIntegralInRange<int>(0, 3)];
         handshake_chain_info ci;
         ci.head_num = small_num();
         ci.lib_num = std::min(ci.head_num, small_num());
         ci.head_id = ci.head_num >= 1 && ci.head_num <= chain_.head_num() && in_.ConsumeBool() ? chain_.id(ci.head_num)
                                                                                              : some_id();
         ci.lib_id = ci.lib_num >= 1 && ci.lib_num <= chain_.head_num() && in_.ConsumeBool() ? chain_.id(ci.lib_num)
                                                                                           : some_id();
         static const uint16_t protos[] = {1, 4, 7, 8, 9, 12};
         return net_message(make_handshake(peer, ci, connection_kind::both, protos[in_.ConsumeIntegralInRange<int>(0, 5)],
                                           in_.ConsumeIntegralInRange<int16_t>(1, 4), clock_.now()));
      }
      case 1: {
         notice_message n;
         n.known_trx.mode = static_cast<id_list_mode>(in_.ConsumeIntegralInRange<int>(0, 3));
         n.known_trx.pending = small_num();
         n.known_blocks.mode = static_cast<id_list_mode>(in_.ConsumeIntegralInRange<int>(0, 3));
         n.known_blocks.pending = small_num();
         for (int i = in_.ConsumeIntegralInRange<int>(0, 3); i > 0; --i)
            n.known_blocks.ids.push_back(some_id());
         return net_message(std::move(n));
      }
      case 2: {
         request_message r;
         r.req_blocks.mode = static_cast<id_list_mode>(in_.ConsumeIntegralInRange<int>(0, 3));
         for (int i = in_.ConsumeIntegralInRange<int>(0, 2); i > 0; --i)
            r.req_blocks.ids.push_back(some_id());
         return net_message(std::move(r));
      }
      case 3: return net_message(sync_request_message{small_num(), small_num()});
      case 4: {
         const auto previous = in_.ConsumeBool() ? chain_.id(chain_.head_num()) : some_id();
         return net_message(*make_block(previous, in_.ConsumeIntegralInRange<uint16_t>(0, 3)));
      }
      case 5: return net_message(*make_trx());
      case 6: {
         const int64_t now = clock_.now().count();
         return net_message(time_message{in_.ConsumeBool() ? 0 : now - 1'000'000, in_.ConsumeBool() ? 0 : now,
                                         in_.ConsumeBool() ? now : in_.ConsumeIntegral<int64_t>(), 0});
      }
      case 7: return net_message(go_away_message{static_cast<go_away_reason>(in_.ConsumeIntegralInRange<int>(0, 11)), {}});
      case 8: return net_message(chain_size_message{});
      }
      return std::nullopt;
   }

   // ---- invariants -----------------------------------------------------------------------------

   /// The outbound peers the engine is dialling (an outbound connection still handshaking, or one
   /// the engine is closing, is not a dial).
   std::set<std::string> dialling() const {
      const auto d = eng_->dialling();
      return {d.begin(), d.end()};
   }

   uint32_t pick_live() {
      if (live_.empty())
         return 0;
      auto it = live_.begin();
      std::advance(it, in_.ConsumeIntegralInRange<std::size_t>(0, live_.size() - 1));
      return *it;
   }

   void check() {
      for (auto& a : eng_->take_actions()) {
         if (const auto* s = std::get_if<send_frame>(&a)) {
            FUZZ_CHECK(live_.contains(s->to));
            FUZZ_CHECK(!closing_.contains(s->to));
            FUZZ_CHECK(s->frame && s->frame->size() > frame_header_bytes);
            auto m = decode_payload(std::span<const uint8_t>(*s->frame).subspan(frame_header_bytes));
            FUZZ_CHECK(m.has_value());
            FUZZ_CHECK(m->index() == s->which);
         } else if (const auto* c = std::get_if<close_connection>(&a)) {
            FUZZ_CHECK(live_.contains(c->connection_id));
            FUZZ_CHECK(!closing_.contains(c->connection_id)); // once
            closing_.insert(c->connection_id);
         } else if (const auto* d = std::get_if<dial_address>(&a)) {
            FUZZ_CHECK(!d->address.empty());
            // One dial at a time per outbound peer: never for a peer the engine was dialling
            // already. (Dials the shell has not completed can still add up: a peer removed while
            // its dial runs and added again is dialled afresh, and the old dial ends on its own.)
            FUZZ_CHECK(!dialling_.contains(d->address));
            dialling_.insert(d->address);
            // Every dial has its own id.
            FUZZ_CHECK(d->dial > last_dial_);
            last_dial_ = d->dial;
            dials_.emplace_back(d->address, d->dial);
         } else if (const auto* e = std::get_if<peer_event>(&a)) {
            FUZZ_CHECK(e->connection_id != 0 && e->connection_id < next_cid_);
         }
      }
      // Queues and indexes.
      FUZZ_CHECK(eng_->sync_pipeline_size() <= engine::sync_pipeline_depth);
      FUZZ_CHECK(eng_->pending_trx_bytes() <= engine::max_pending_trx_bytes);
      FUZZ_CHECK(eng_->tracked_count() == live_.size());
      FUZZ_CHECK(eng_->open_count() == live_.size() - closing_.size());
      FUZZ_CHECK(eng_->sync().peer_count() <= eng_->tracked_count());
      FUZZ_CHECK(eng_->outbound_count() <= outbound_bound_);
      std::size_t unknown_above_lib = 0;
      eng_->dispatch().for_each_block([&](const block_id_type& id, std::size_t holders) {
         FUZZ_CHECK(holders <= opened_);
         if (block_num_from_id(id) > chain_.lib_num() && !chain_.knows_block(id))
            ++unknown_above_lib;
      });
      FUZZ_CHECK(unknown_above_lib <= engine::unlinkable_memory + eng_->sync_pipeline_size());
      const auto window = cfg_.dedup_expire + engine::expire_period + 1s;
      while (!recent_trx_.empty() && recent_trx_.front() + window < clock_.now())
         recent_trx_.pop_front();
      FUZZ_CHECK(eng_->dispatch().txn_entries() <= recent_trx_.size() * (opened_ + 1));
   }

   FuzzedDataProvider& in_;
   test::fake_engine_chain chain_;
   fuzz_transport transport_;
   manual_net_clock clock_{t0};
   std::ostream null_out_{nullptr};
   node_log log_;
   engine_config cfg_;
   std::unique_ptr<engine> eng_;
   uint32_t next_cid_ = 1;
   std::size_t opened_ = 0;          ///< connections ever opened
   std::size_t outbound_bound_ = 0;  ///< configured + auto BP + operator-added peers
   std::set<uint32_t> live_;         ///< open as far as the shell knows
   std::set<uint32_t> closing_;      ///< the engine asked to close them; not yet reported
   std::set<uint32_t> gone_;         ///< reported closed
   std::deque<std::pair<std::string, uint64_t>> dials_; ///< dials asked for (address, id), not yet completed
   uint64_t last_dial_ = 0;
   std::set<std::string> dialling_;  ///< the engine's outbound peers being dialled before this step
   std::deque<net_time> recent_trx_; ///< when transactions arrived (received or pushed)
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
   FuzzedDataProvider in(data, size);
   driver d(in);
   d.run();
   return 0;
}
