// transaction_notice (protocol 12, PROTOCOL.md §16), as Spring main (2.0-dev) sends and reads
// it: a node that receives a new transaction of at least trx_notice_min_bytes tells its
// transaction peers at protocol 12 or above that it has it, so they do not send it back; a
// received notice records that the sender has the transaction (it is then not relayed to it),
// nothing more.
#include "net/engine.hpp"

#include "codec/codec.hpp"
#include "net/engine_peer.hpp"

namespace core {

namespace {

std::size_t varuint_bytes(std::size_t v) {
   std::size_t n = 1;
   while (v >= 0x80) {
      v >>= 7;
      ++n;
   }
   return n;
}

} // namespace

std::size_t transaction_message_bytes(const packed_transaction& t) {
   // which (8) ‖ signatures ‖ compression ‖ context-free data ‖ packed_trx
   std::size_t n = 1 + varuint_bytes(t.signatures.size()) + 1;
   for (const auto& s : t.signatures) {
      if (s.type() == signature::sig_type::webauthn) {
         byte_writer w;
         s.pack(w);
         n += w.bytes().size();
      } else {
         n += 66;
      }
   }
   n += varuint_bytes(t.packed_context_free_data.size()) + t.packed_context_free_data.size();
   n += varuint_bytes(t.packed_trx.size()) + t.packed_trx.size();
   return n;
}

void engine::send_transaction_notices(const packed_transaction& trx, std::size_t wire_bytes) {
   if (wire_bytes < trx_notice_min_bytes)
      return; // a transfer is ~170 bytes, a notice 41: not worth it
   frame_ptr frame;
   for (const auto& d : dispatch_peers()) {
      if (!d.current || !d.transactions)
         continue;
      auto* p = find(d.connection_id);
      if (!p || protocol_of(*p) < proto::trx_notice)
         continue;
      if (!frame)
         frame = std::make_shared<const std::vector<uint8_t>>(encode_frame(transaction_notice_message{trx.id()}));
      if (send(*p, frame, message_index_v<transaction_notice_message>))
         ++counters_.trx_notices_sent;
   }
}

void engine::handle(peer& p, transaction_notice_message&& m, net_time now) {
   if (!p.connected)
      return;
   ++counters_.trx_notices_received;
   if (!cfg_.identity.accept_transactions || sync_.syncing_from_peer())
      return; // Spring drops it unread
   p.trx_entry_bytes += dispatch_.add_peer_txn_notice(m.id, p.id, now);
   if (p.trx_entry_bytes > max_trx_entry_bytes_per_connection && now - p.trx_entries_reset > cfg_.dedup_expire) {
      p.trx_entry_bytes = 0;
      p.trx_entries_reset = now;
   }
   if (p.trx_entry_bytes > max_trx_entry_bytes_per_connection) {
      // Spring closes it, without a go_away.
      p.last_error = "max tracked transactions reached";
      log_.warn("net", "{}max tracked trx reached {}, closing", prefix(p), p.trx_entry_bytes);
      close(p, disconnect_reason::plain(disconnect_op::limit, p.last_error));
   }
}

} // namespace core
