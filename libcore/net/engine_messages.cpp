// The engine's message handlers — one handle() per net_message alternative, reached through one
// exhaustive std::visit — and the serving of sync ranges. Blocks and transactions are handled
// in engine_blocks.cpp.
#include "net/engine.hpp"

#include "net/engine_peer.hpp"
#include "net/go_away_policy.hpp"
#include "net/request_checks.hpp"

#include <fmt/format.h>

namespace core {

void engine::on_message(uint32_t cid, net_message&& m, net_time now) {
   auto* p = find(cid);
   if (!p || !p->open)
      return;
   p->last_msg_at = now;
   if (p->outbound)
      if (auto* o = outbound_.find(p->address); o && o->connection_id == cid)
         o->backoff.on_message_received();
   std::visit([&](auto&& msg) { handle(*p, std::move(msg), now); }, std::move(m));
}

// ---- handshake (§7) -------------------------------------------------------------------------

handshake_context engine::handshake_context_for(const peer& p, const handshake_message& m) const {
   handshake_context ctx;
   ctx.own_node_id = cfg_.identity.node_id;
   ctx.chain_id = cfg_.identity.chain_id;
   ctx.listen_address = cfg_.identity.server_address;
   ctx.incoming = !p.outbound;
   ctx.local_net_version = p.hs.net_version;
   ctx.last_handshake_sent_time = p.hs.last_sent.time;
   ctx.sent_handshake_count = p.hs.sent_count;
   ctx.conn_node_id = m.node_id;
   uint32_t inbound_connected = 0;
   for (const auto& [cid, other] : peers_) {
      if (cid == p.id)
         continue;
      if (!other->outbound && other->connected)
         ++inbound_connected;
      peer_connection_view v;
      v.connected = other->connected && other->open;
      if (other->last_recv)
         v.node_id = other->last_recv->node_id;
      v.last_handshake_sent_time = other->hs.last_sent.time;
      v.last_handshake_recv_time = other->last_recv ? other->last_recv->time : 0;
      ctx.others.push_back(v);
   }
   // Leap exempts configured block-producer peers from max-clients.
   ctx.connection_limit_exceeded = !p.outbound && cfg_.max_clients != 0 && inbound_connected >= cfg_.max_clients &&
                                   !is_bp_address(m.p2p_address);
   ctx.auth = cfg_.auth;
   ctx.lib_num = chain_.lib_num();
   ctx.block_id_for_num = [this](uint32_t n) { return chain_.id_for_num(n); };
   return ctx;
}

void engine::handle(peer& p, handshake_message&& m, net_time now) {
   auto r = check_handshake(m, handshake_context_for(p, m));
   switch (r.verdict) {
   case handshake_verdict::go_away: {
      auto why = disconnect_reason::sent(r.reason, disconnect_op::handshake, r.detail);
      why.go_away_node_id = r.go_away_node_id;
      p.no_retry = r.reason;
      p.last_error = r.detail;
      log_.info("net", "{}handshake refused: {} ({})", prefix(p), enum_name(r.reason), r.detail);
      close(p, std::move(why));
      return;
   }
   case handshake_verdict::disconnect:
      p.last_error = r.detail;
      close(p, disconnect_reason::plain(disconnect_op::limit, r.detail));
      return;
   default: break;
   }
   const bool first = !p.connected;
   p.head_num = std::max(p.head_num, m.head_num);
   p.lib_num = std::max(p.lib_num, m.last_irreversible_block_num);
   p.last_recv = std::move(m);
   p.connected = true;
   if (!p.outbound)
      p.kind = connection_kind_from_address(p.last_recv->p2p_address);
   if (first) {
      log_.info("net", "{}handshake accepted: generation {} lib {} head {} agent \"{}\"", prefix(p),
                p.last_recv->generation, p.last_recv->last_irreversible_block_num, p.last_recv->head_num,
                p.last_recv->agent);
      actions_.emplace_back(std::in_place_type<peer_event>, peer_event{true, p.id, p.address, {}});
   }
   if (r.verdict == handshake_verdict::accept_downgrade) {
      p.hs.downgrade_to_explicit_sync();
      send_handshake(p, now);
   } else if (r.verdict == handshake_verdict::accept_send_handshake) {
      send_handshake(p, now);
   }
   if (first)
      send_bp_gossip_initial(p);
   sync_actions actions;
   auto snap = sync_snapshot(p);
   sync_.upsert_peer(snap);
   sync_.recv_handshake(snap, now, actions);
   run(actions, now);
}

// ---- small messages -------------------------------------------------------------------------

void engine::handle(peer&, chain_size_message&&, net_time) {}

void engine::handle(peer& p, go_away_message&& m, net_time) {
   auto outcome = on_go_away_received(p.no_retry, m);
   p.no_retry = outcome.no_retry;
   p.last_error = fmt::format("go_away {} received", enum_name(m.reason));
   close(p, disconnect_reason::received(m.reason, std::string(reason_str(m.reason))));
}

void engine::handle(peer& p, time_message&& m, net_time now) {
   auto r = on_time_message(p.ts, m, now, p.last_recv.has_value());
   if (r.reply)
      send(p, *r.reply);
   if (r.latency)
      sync_.upsert_peer(sync_snapshot(p));
   if (r.offset_excessive && r.offset_ns)
      log_.debug("net", "{}clock offset {} ms", prefix(p), *r.offset_ns / 1'000'000);
   if (r.send_handshake)
      send_handshake(p, now);
   if (r.ping)
      send(p, *r.ping);
}

void engine::handle(peer& p, notice_message&& m, net_time now) {
   if (!p.connected)
      return;
   if (m.known_blocks.ids.size() > 2) {
      // Spring closes such a peer (no go_away).
      p.last_error = "notice_message with more than 2 block ids";
      close(p, disconnect_reason::plain(disconnect_op::protocol, p.last_error));
      return;
   }
   // The peer's live head and LIB (Leap keeps them in its copy of the last handshake).
   if (m.known_trx.mode == id_list_mode::none || m.known_trx.mode == id_list_mode::last_irr_catch_up)
      p.head_num = std::max(p.head_num, m.known_blocks.pending);
   if (m.known_blocks.mode == id_list_mode::last_irr_catch_up)
      p.lib_num = std::max(p.lib_num, m.known_trx.pending);
   sync_actions actions;
   sync_.recv_notice(p.id, m, now, actions);
   run(actions, now);
}

// ---- Spring (protocols 11–12): decoded, not acted on yet ------------------------------------
// Votes are handled in engine_votes.cpp, block_nack and block_notice in engine_nack.cpp.


// ---- serving (§9 "Serving side") ------------------------------------------------------------

void engine::handle(peer& p, request_message&& m, net_time now) {
   // Spring (protocol ≥ 10): {normal, [requested id, the peer's head]} after a block notice.
   if (protocol_of(p) >= proto::block_nack && m.req_blocks.mode == id_list_mode::normal &&
       m.req_blocks.ids.size() == 2 && m.req_trx.ids.empty()) {
      if (p.connected && p.kind != connection_kind::transactions_only)
         serve_nack_request(p, m.req_blocks.ids[0], m.req_blocks.ids[1], now);
      return;
   }
   if (auto bad = invalid_request(m)) {
      close(p, disconnect_reason::plain(disconnect_op::protocol, *bad));
      return;
   }
   if (!p.connected)
      return;
   switch (m.req_blocks.mode) {
   case id_list_mode::catch_up: {
      std::optional<block_id_type> head;
      if (!m.req_blocks.ids.empty())
         head = m.req_blocks.ids.back();
      serve_range(p, plan_catch_up_response(chain_, head, p.last_recv ? p.last_recv->last_irreversible_block_num : 0),
                  now);
      break;
   }
   case id_list_mode::normal:
      // Leap answers a single id with that block (the fork-db or log copy).
      if (m.req_blocks.ids.size() == 1) {
         if (auto blk = chain_.block_by_id(m.req_blocks.ids.front())) {
            send(p, std::make_shared<const std::vector<uint8_t>>(encode_frame(*blk)), message_index_v<signed_block>, true);
            dispatch_.add_peer_block(m.req_blocks.ids.front(), p.id);
            note_peer_has_block(p, m.req_blocks.ids.front(), blk->block_num());
         }
      }
      break;
   case id_list_mode::none:
   case id_list_mode::last_irr_catch_up: break;
   }
}

void engine::handle(peer& p, sync_request_message&& m, net_time now) {
   if (!p.connected)
      return;
   if (m.start_block == 0 && m.end_block == 0) {
      serve_range(p, serve_plan{true, 1, 0, false}, now);
      return;
   }
   serve_range(p, plan_sync_request_response(chain_, m.start_block, m.end_block), now);
}

void engine::serve_range(peer& p, const serve_plan& plan, net_time now) {
   if (plan.cancel) {
      p.serve_next = 1;
      p.serve_last = 0;
      p.serve_go_away_after = false;
      return;
   }
   if (plan.empty() && plan.go_away_after) {
      p.no_retry = go_away_reason::benign_other;
      close(p, disconnect_reason::sent(go_away_reason::benign_other, disconnect_op::protocol, "requested blocks unavailable"));
      return;
   }
   p.serve_next = plan.first;
   p.serve_last = plan.last;
   p.serve_since = now;
   p.serve_bytes = 0;
   p.serve_go_away_after = plan.go_away_after;
   log_.debug("sync", "{}serving blocks {} to {}", prefix(p), plan.first, plan.last);
   pump_serving(now);
}

void engine::pump_serving(net_time now) {
   bool more = false;
   std::vector<uint32_t> done_go_away;
   for (auto& [cid, pp] : peers_) {
      auto& p = *pp;
      if (!p.open)
         continue;
      // The rate cap: what the rate allows since the range started, plus a 100 ms burst.
      const double allowed = p.serve_rate ? std::chrono::duration<double>(now - p.serve_since).count() * double(p.serve_rate) +
                                               double(p.serve_rate) / 10
                                          : 0;
      while (p.serve_next <= p.serve_last && transport_.queued_bytes(cid) < serve_queue_bytes &&
             (p.serve_rate == 0 || double(p.serve_bytes) < allowed)) {
         auto blk = chain_.block_by_num(p.serve_next);
         if (!blk) {
            p.serve_last = 0;
            p.serve_next = 1;
            p.serve_go_away_after = true;
            break;
         }
         auto frame = std::make_shared<const std::vector<uint8_t>>(encode_frame(*blk));
         p.serve_bytes += frame->size();
         send(p, std::move(frame), message_index_v<signed_block>, true);
         const auto id = blk->calculate_id();
         dispatch_.add_peer_block(id, cid);
         p.last_block_at = now;
         if (p.serve_next > p.head_num)
            p.head_num = p.serve_next;
         ++p.serve_next;
      }
      if (p.serve_next <= p.serve_last)
         more = true;
      else if (p.serve_go_away_after)
         done_go_away.push_back(cid);
   }
   for (auto cid : done_go_away)
      if (auto* p = find(cid)) {
         p->serve_go_away_after = false;
         p->no_retry = go_away_reason::benign_other;
         close(*p, disconnect_reason::sent(go_away_reason::benign_other, disconnect_op::protocol, "requested block unavailable"));
      }
   if (more && !serve_due_)
      serve_due_ = now + serve_tick;
}

} // namespace core
