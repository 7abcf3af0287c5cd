#include "node/node.hpp"

#include "types/devnet.hpp"
#include "node/control_commands.hpp"
#include "node/data_dir_lock.hpp"
#include "node/store_replay.hpp"
#include "store/store_lock.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <csignal>
#include <filesystem>

namespace core {

namespace {

/// Least time between two LIB commits (each one synced store write); see controller_config.
constexpr std::chrono::milliseconds lib_commit_interval{250};
/// How often a store that stopped writing is looked at again (on the LIB timer).
constexpr std::chrono::seconds store_retry_interval{1};

/// nodeos's producer starts a block at the slot boundary; this node signs at the boundary of the
/// block's own slot, so a block is never in the future when it leaves.
net_time next_slot_boundary(net_time now) {
   using namespace std::chrono;
   const auto ms = duration_cast<milliseconds>(now).count();
   return milliseconds((ms / block_timestamp::interval_ms + 1) * block_timestamp::interval_ms);
}

peer_manager_config net_config(const node_config& c, const checksum256& chain_id,
                               const std::vector<std::pair<public_key, private_key>>& producer_keys) {
   peer_manager_config pm;
   auto& n = pm.engine;
   auto& id = n.identity;
   id.chain_id = chain_id;
   id.node_id = make_node_id();
   std::string hostname = "localhost";
   if (char buf[256] = {}; ::gethostname(buf, sizeof buf - 1) == 0 && buf[0])
      hostname = buf;
   if (!c.p2p_server_address.empty())
      id.server_address = c.p2p_server_address.front();
   else if (!c.p2p_listen_endpoint.empty())
      id.server_address = server_address_from_listen_endpoint(c.p2p_listen_endpoint.front().to_string(), hostname);
   id.agent = c.agent_name;
   id.network_version = c.network_version;
   id.accept_transactions = c.p2p_accept_transactions;
   for (const auto& [pub, prv] : c.peer_private_key)
      id.peer_private_keys.emplace(pub, prv);
   for (const auto& e : c.p2p_listen_endpoint) {
      endpoint_spec plain = e;
      plain.suffix.clear();
      pm.listen.push_back(plain.to_string());
      auto rate = parse_rate_limit(e.suffix);
      pm.listen_rate_limits.push_back(rate ? *rate : 0);
   }
   for (const auto& e : c.p2p_peer_address)
      n.peers.push_back(e.to_string());
   n.max_clients = c.max_clients;
   n.max_nodes_per_host = c.p2p_max_nodes_per_host;
   n.auth.mode = static_cast<allowed_connection>(c.allowed_connection_mask);
   n.auth.peer_keys = c.peer_key;
   for (const auto& [pub, prv] : c.peer_private_key)
      n.auth.own_keys.insert(pub);
   std::set<public_key> producer_set;
   for (const auto& [pub, prv] : producer_keys)
      producer_set.insert(pub);
   n.auth.is_producer_key = [producer_set](const public_key& k) { return producer_set.contains(k); };
   n.cleanup_period = c.connection_cleanup_period;
   n.dedup_expire = c.p2p_dedup_cache_expire_time;
   n.disable_block_nack = c.p2p_disable_block_nack;
   n.sync.sync_fetch_span = c.sync_fetch_span;
   n.sync.sync_peer_limit = c.sync_peer_limit;
   n.sync.keepalive_interval = c.p2p_keepalive_interval;
   n.peer_log_format = c.peer_log_format;
   for (const auto& [account, e] : c.p2p_auto_bp_peer)
      n.auto_bp_peers.emplace_back(account, e.to_string());
   n.own_producers.insert(c.producer_name.begin(), c.producer_name.end());
   n.bp_gossip_endpoints = c.p2p_bp_gossip_endpoint;
   n.signer = [producer_keys](const public_key& key, const checksum256& digest) -> std::optional<signature> {
      for (const auto& [pub, prv] : producer_keys)
         if (pub == key)
            return prv.sign(digest);
      return std::nullopt;
   };
   return pm;
}

} // namespace

node::node(const node_config& cfg, std::ostream& log_out)
   : cfg_(cfg), clock_(std::chrono::duration_cast<net_time>(cfg.clock_offset)),
     log_(log_out, parse_log_level(cfg.log_level), &clock_), schedule_log_(log_), signals_(io_),
     slot_timer_(io_), lib_timer_(io_), space_timer_(io_) {}

node::~node() {
   stop();
   // Let the closes started by stop() finish before the objects they call back into go away.
   io_.restart();
   io_.run_for(std::chrono::milliseconds(500));
   // The peer manager goes before the chain whose signal reaches it (and the control socket,
   // whose commands reach the peer manager, before that).
   control_.reset();
   net_.reset();
}

result<std::unique_ptr<node>> node::open(const node_config& cfg, std::ostream& log_out) {
   std::unique_ptr<node> n(new node(cfg, log_out));
   const std::filesystem::path data_dir(cfg.data_dir);
   std::error_code ec;
   std::filesystem::create_directories(data_dir, ec);
   if (ec)
      return unexpected{fmt::format("data dir {}: {}", data_dir.string(), ec.message())};

   auto lock = data_dir_lock::acquire(data_dir);
   if (!lock)
      return unexpected{lock.error()};
   n->dir_lock_ = std::move(*lock);

   std::optional<genesis_state> genesis = cfg.genesis;
   if (!genesis && !cfg.genesis_json.empty()) {
      auto g = read_genesis_json(cfg.genesis_json);
      if (!g)
         return unexpected{g.error()};
      genesis = *g;
   }
   const auto store_dir = data_dir / store_dir_name;
   if (auto pid = store_lock_holder(store_dir))
      return unexpected{fmt::format("data dir {} is in use by another process{}", data_dir.string(),
                                    *pid > 0 ? fmt::format(" (pid {})", *pid) : std::string())};
   if (cfg.replay_blockchain) {
      if (auto r = replay_store(store_dir, genesis, n->log_, &n->clock_); !r)
         return unexpected{r.error()};
   } else if (auto left = replay_leftover(store_dir)) {
      return unexpected{fmt::format("an interrupted replay left {}: run again with --replay-blockchain to finish it",
                                    left->string())};
   }
   auto store = rocksdb_chain_store::open(store_dir, store_options{});
   if (!store)
      return unexpected{store.error()};
   n->store_ = std::move(*store);
   if (!n->store_->metadata() && !genesis)
      genesis = devnet_genesis();
   controller_config cc;
   cc.genesis = genesis;
   cc.lib_commit_interval = lib_commit_interval; // a catching-up node fsyncs 4 times a second, not per block
   cc.project_action_mroots = cfg.project_action_mroots;
   n->chain_ = std::make_unique<controller>(*n->store_, n->chain_clock_, cc);
   if (auto r = n->chain_->open(); !r)
      return unexpected{r.error()};
   if (auto r = n->open_finalizers(); !r)
      return unexpected{r.error()};

   // Producers: each --producer-name signs with the --signature-provider key its schedule entry
   // (active, pending or proposed) names; with one key and one producer the pairing is direct.
   block_producer_config pc;
   pc.enable_stale_production = cfg.enable_stale_production;
   if (!cfg.producer_schedule.empty()) {
      producer_schedule s;
      for (const auto& [prod, key] : cfg.producer_schedule)
         s.producers.push_back(producer_key{prod, key});
      pc.propose_schedule = s;
   }
   for (const auto& prod : cfg.producer_name) {
      std::optional<public_key> want;
      for (const auto& [p, k] : cfg.producer_schedule)
         if (p == prod)
            want = k;
      for (const auto& pa : n->chain_->head()->bhs.active_schedule.producers)
         if (const auto& a = std::get<block_signing_authority_v0>(pa.authority); pa.producer_name == prod && !a.keys.empty())
            want = a.keys.front().key;
      const private_key* key = nullptr;
      for (const auto& [pub, prv] : cfg.signature_provider)
         if (!want || pub == *want)
            key = &prv;
      if (!key && cfg.signature_provider.size() == 1)
         key = &cfg.signature_provider.front().second;
      if (!key)
         return unexpected{fmt::format("--producer-name {}: no --signature-provider for its key{}", prod.to_string(),
                                       want ? " " + want->to_string() : std::string())};
      pc.producers.push_back(producer_identity{prod, *key});
   }
   if (!pc.producers.empty())
      n->producer_ = std::make_unique<block_producer>(*n->chain_, pc);

   n->chain_view_ = std::make_unique<controller_chain>(*n->chain_, *n->store_);
   n->net_ = std::make_unique<peer_manager>(n->io_, *n->chain_view_,
                                            net_config(cfg, n->chain_->chain_id(), cfg.signature_provider), n->log_,
                                            n->clock_);
   // Relay after header validation, before full application (§9): the controller emits
   // accepted_block_header for received and produced blocks alike.
   n->chain_->accepted_block_header.connect([self = n.get()](const block_state_ptr& b) {
      if (self->net_)
         self->net_->on_block_validated(b->block, b->id());
   });
   return n;
}

result<bool> node::open_finalizers() {
   if (cfg_.finalizer_keys.empty())
      return true;
   const auto path = finalizer_safety_path(cfg_);
   std::vector<finalizer_set::key_pair> keys;
   for (const auto& [pub, prv] : cfg_.finalizer_keys)
      keys.push_back({pub, prv});
   auto fs = finalizer_set::open(path, keys);
   if (!fs)
      return unexpected{fs.error()};
   chain_->set_finalizers(std::move(*fs));
   chain_->vote_failed.connect([this](const std::string& why) { log_.error("finalizer", "vote withheld: {}", why); });
   chain_->voted.connect([this](const vote_message& v) {
      log_.debug("finalizer", "voted {} on block {} {}", v.strong ? "strong" : "weak", block_num_from_id(v.block_id),
                 v.block_id.to_string().substr(0, 16));
      if (net_)
         net_->broadcast_vote(v);
   });
   log_.info("finalizer", "{} finalizer key{}, safety file {}", keys.size(), keys.size() == 1 ? "" : "s", path.string());
   return true;
}

result<std::string> node::activate_savanna(const finalizer_policy& policy) {
   if (!producer_)
      return unexpected{std::string("this node produces for no one: ask a producing node")};
   if (chain_->head()->bhs.is_savanna())
      return unexpected{std::string("the chain is already Savanna")};
   if (!cfg_.project_action_mroots)
      return unexpected{std::string("Savanna production needs --project-action-mroots (every producer of the chain is p2pnode)")};
   if (auto bad = policy.check_proposal())
      return unexpected{"finalizer policy: " + *bad};
   producer_->set_activate_savanna(policy);
   log_.info("producer", "the next block produced here switches the chain to Savanna: {} finalizers, threshold {}",
             policy.finalizers.size(), policy.threshold);
   return std::string("the next block this node produces is the Savanna genesis");
}

std::filesystem::path finalizer_safety_path(const node_config& cfg) {
   std::filesystem::path dir(cfg.finalizers_dir);
   if (dir.is_relative())
      dir = std::filesystem::path(cfg.data_dir) / dir;
   return dir / "safety.dat";
}

std::vector<name> node::producers() const {
   std::vector<name> out;
   if (producer_)
      for (const auto& p : producer_->config().producers)
         out.push_back(p.producer);
   return out;
}

result<bool> node::start() {
   if (producer_)
      chain_->accepted_block.connect([this](const block_state_ptr& b) { producer_->on_accepted_block(b); });
   schedule_log_.start(chain_->head()->bhs);
   chain_->accepted_block.connect([this](const block_state_ptr& b) {
      schedule_log_.on_block(b->bhs);
      if (b->bhs.active_schedule.version != auto_bp_schedule_version_) {
         auto_bp_schedule_version_ = b->bhs.active_schedule.version;
         net_->update_auto_bp_peers(b->bhs.active_schedule);
      }
      publish(fmt::format(R"({{"event":"block","block_num":{},"id":"{}","producer":"{}","timestamp":"{}","transactions":{}}})",
                          b->block_num(), b->id().to_string(), b->block->producer.to_string(),
                          b->timestamp().to_string(), b->block->transactions.size()));
      publish_lib();
   });
   net_->peer_events.connect([this](const peer_event& e) { publish(peer_event_json(e)); });
   chain_->store_state_changed.connect([this](const std::optional<controller::store_failure>& f) { on_store_state(f); });

   if (auto r = net_->start(); !r)
      return r;
   auto_bp_schedule_version_ = chain_->head()->bhs.active_schedule.version;
   net_->update_auto_bp_peers(chain_->head()->bhs.active_schedule);
   control_ = std::make_unique<control_server>(io_, cfg_.control_socket,
                                               [this](std::string_view line) { return handle_control_request(*this, line); });
   if (auto r = control_->start(); !r)
      return r;
   log_.info("node", "chain id {} head {} lib {} node id {}", chain_->chain_id().to_string(), chain_->head()->block_num(),
             chain_->last_irreversible_block_num(), net_->identity().node_id.to_string());
   log_.info("node", "control socket {}", cfg_.control_socket);
   signals_.add(SIGINT);
   signals_.add(SIGTERM);
   signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
      if (ec)
         return;
      log_.info("node", "signal {}: shutting down", sig);
      stop();
   });
   if (producer_) {
      std::string names;
      for (const auto& p : producer_->config().producers)
         names += (names.empty() ? "" : ", ") + p.producer.to_string();
      log_.info("producer", "producing for {}", names);
      arm_slot_timer();
   }
   arm_lib_timer();
   check_store_space();
   arm_space_timer();
   return true;
}

void node::run() { io_.run(); }

node_status node::status() const {
   node_status s;
   const auto& head = chain_->head();
   s.chain_id = chain_->chain_id();
   s.node_id = net_->identity().node_id;
   s.head_block_num = head->block_num();
   s.head_block_id = head->id();
   s.head_block_time = head->timestamp();
   s.head_block_producer = head->block->producer;
   s.lib_num = chain_->last_irreversible_block_num();
   s.lib_id = chain_->last_irreversible()->id();
   s.fork_db_head_num = chain_->fork_db_head()->block_num();
   s.fork_db_head_id = chain_->fork_db_head()->id();
   s.stage = net_->sync().stage();
   s.network_version = net_->identity().network_version;
   s.agent = net_->identity().agent;
   s.p2p_address = net_->p2p_address();
   s.peer_count = net_->connection_count();
   s.producers = producers();
   for (const auto& p : head->bhs.active_schedule.producers)
      s.active_schedule.push_back(p.producer_name);
   s.active_schedule_version = head->bhs.active_schedule.version;
   s.unapplied_transactions = chain_->unapplied_transaction_count();
   s.produced_blocks = produced_;
   const auto& lib = chain_->last_irreversible();
   s.lib_lag_blocks = head->block_num() - lib->block_num();
   const auto lag_us = head->timestamp().to_time_point().us - lib->timestamp().to_time_point().us;
   s.lib_lag_ms = lag_us > 0 ? static_cast<uint64_t>(lag_us / 1000) : 0;
   s.savanna = head->bhs.is_savanna();
   if (head->bhs.savanna && head->is_proper_savanna()) {
      const auto claim = head->bhs.savanna->core.latest_qc_claim();
      s.last_qc_block_num = claim.block_num;
      s.last_qc_strong = claim.is_strong_qc;
   }
   s.finalizer_keys = cfg_.finalizer_keys.size();
   s.votes_sent = chain_->votes_cast();
   s.votes_received = chain_->votes_received();
   s.votes_counted = chain_->votes_counted();
   if (const auto& f = chain_->store_fault()) {
      s.store_available = false;
      s.store_error = f->error;
      s.store_unavailable_since = f->since;
   }
   return s;
}

sync_status node::sync_state() const {
   const auto& m = net_->sync();
   sync_status s;
   s.stage = m.stage();
   s.known_lib_num = m.known_lib_num();
   if (m.stage() == sync_stage::lib_catchup) {
      s.last_requested_num = m.last_requested_num();
      s.next_expected_num = m.next_expected_num();
   }
   s.sync_source = m.sync_source();
   s.head_block_num = chain_->head()->block_num();
   s.lib_num = chain_->last_irreversible_block_num();
   return s;
}

void node::stop() {
   if (stopped_)
      return;
   stopped_ = true;
   slot_timer_.cancel();
   lib_timer_.cancel();
   space_timer_.cancel();
   flush_lib();
   boost::system::error_code ec;
   signals_.cancel(ec);
   if (control_)
      control_->stop();
   if (net_)
      net_->stop();
}

void node::publish(const std::string& line) {
   if (control_)
      control_->publish(line);
}

void node::publish_lib() {
   const uint32_t lib = chain_->last_irreversible_block_num();
   if (lib == last_lib_published_)
      return;
   last_lib_published_ = lib;
   publish(fmt::format(R"({{"event":"lib","block_num":{},"id":"{}"}})", lib, chain_->last_irreversible()->id().to_string()));
}

void node::flush_lib() {
   if (!chain_)
      return;
   if (chain_->store_fault()) {
      retry_store();
      return;
   }
   if (auto f = chain_->flush_lib(); !f)
      log_.error("chain", "LIB commit failed: {}", f.error());
   publish_lib();
}

void node::arm_space_timer() {
   space_timer_.expires_after(cfg_.resource_monitor_interval);
   space_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopped_)
         return;
      check_store_space();
      arm_space_timer();
   });
}

std::optional<std::string> node::store_space_exceeded() const {
   const auto dir = std::filesystem::path(cfg_.data_dir) / store_dir_name;
   const auto reading = read_space(dir);
   return reading ? space_exceeded(*reading, cfg_.space, dir) : std::nullopt;
}

void node::check_store_space() {
   if (chain_->store_fault())
      return; // retry_store looks at the space before each retry
   if (auto over = store_space_exceeded())
      chain_->suspend_store(std::move(*over));
}

void node::retry_store() {
   const auto now = clock_.now();
   if (now < next_store_retry_)
      return;
   next_store_retry_ = now + store_retry_interval;
   if (auto over = store_space_exceeded()) {
      log_.debug("chain", "the store waits for space: {}", *over);
      return;
   }
   if (auto r = chain_->retry_store(); !r)
      log_.debug("chain", "the store still cannot write: {}", r.error());
   else
      publish_lib();
}

void node::on_store_state(const std::optional<controller::store_failure>& f) {
   if (f) {
      next_store_retry_ = clock_.now() + store_retry_interval;
      log_.error("chain", "the store cannot write ({}): not accepting or producing blocks until it can; "
                          "serving what it holds, checking again every {} s",
                 f->error, store_retry_interval.count());
   } else {
      log_.info("chain", "the store writes again: accepting and producing blocks (lib {})",
                chain_->last_irreversible_block_num());
   }
   publish(store_event_json(f ? f->error : std::string(), !f));
}

void node::arm_lib_timer() {
   lib_timer_.expires_after(lib_commit_interval);
   lib_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopped_)
         return;
      flush_lib();
      arm_lib_timer();
   });
}

void node::arm_slot_timer() {
   const auto now = clock_.now();
   slot_timer_.expires_after(next_slot_boundary(now) - now);
   slot_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopped_)
         return;
      on_slot();
      arm_slot_timer();
   });
}

void node::on_slot() {
   const auto now = chain_clock_.now();
   // The slot whose boundary just passed (a late timer still produces for the current slot).
   const auto slot = block_timestamp::from_time_point(now);
   if (net_->sync().stage() == sync_stage::lib_catchup)
      return; // nodeos's producer waits while the chain is catching up
   if (chain_->store_fault())
      return; // said once, when the store stopped writing
   auto b = producer_->on_slot(slot, now);
   if (!b) {
      log_.warn("producer", "block at {} not produced: {}", slot.to_string(), b.error());
      return;
   }
   if (*b) {
      ++produced_;
      log_.info("producer", "produced block {} {} by {} at {} with {} transactions, confirmed {}, lib {}",
                (*b)->block_num(), (*b)->id().to_string().substr(0, 16), (*b)->block->producer.to_string(),
                (*b)->timestamp().to_string(), (*b)->block->transactions.size(), (*b)->block->confirmed,
                chain_->last_irreversible_block_num());
   }
}

} // namespace core
