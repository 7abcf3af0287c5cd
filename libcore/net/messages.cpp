#include "net/messages.hpp"

#include "codec/codec.hpp"
#include "crypto/sha256.hpp"

#include <array>

namespace core {

std::string_view enum_name(go_away_reason r) {
   switch (r) {
   case go_away_reason::no_reason: return "no_reason";
   case go_away_reason::self: return "self";
   case go_away_reason::duplicate: return "duplicate";
   case go_away_reason::wrong_chain: return "wrong_chain";
   case go_away_reason::wrong_version: return "wrong_version";
   case go_away_reason::forked: return "forked";
   case go_away_reason::unlinkable: return "unlinkable";
   case go_away_reason::bad_transaction: return "bad_transaction";
   case go_away_reason::validation: return "validation";
   case go_away_reason::benign_other: return "benign_other";
   case go_away_reason::fatal_other: return "fatal_other";
   case go_away_reason::authentication: return "authentication";
   }
   return {};
}

std::string_view reason_str(go_away_reason r) {
   switch (r) {
   case go_away_reason::no_reason: return "no reason";
   case go_away_reason::self: return "self connect";
   case go_away_reason::duplicate: return "duplicate";
   case go_away_reason::wrong_chain: return "wrong chain";
   case go_away_reason::wrong_version: return "wrong version";
   case go_away_reason::forked: return "chain is forked";
   case go_away_reason::unlinkable: return "unlinkable block received";
   case go_away_reason::bad_transaction: return "bad transaction";
   case go_away_reason::validation: return "invalid block";
   case go_away_reason::benign_other: return "some other non-fatal condition, possibly unknown block";
   case go_away_reason::fatal_other: return "some other failure";
   case go_away_reason::authentication: return "authentication failure";
   }
   return "some crazy reason";
}

std::string_view enum_name(id_list_mode m) {
   switch (m) {
   case id_list_mode::none: return "none";
   case id_list_mode::catch_up: return "catch_up";
   case id_list_mode::last_irr_catch_up: return "last_irr_catch_up";
   case id_list_mode::normal: return "normal";
   }
   return {};
}

decode_errc signed_bp_peer::finish_unpack(std::string&) {
   byte_reader r(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bp_peer_info.data()), bp_peer_info.size()));
   bp_peer_info_v1 v;
   unpack_from(r, v);
   if (r.ok())
      info = std::move(v); // later versions may follow with more fields
   else
      info.reset();
   return decode_errc::ok;
}

checksum256 signed_bp_peer::digest(const checksum256& chain_id) const {
   byte_writer w;
   chain_id.pack(w);
   pack_to(w, version);
   pack_to(w, producer_name);
   pack_to(w, bp_peer_info);
   return sha256(w.bytes());
}

void json_suffix_fields(json_output_archive& ar, const signed_bp_peer& p) {
   if (p.info)
      ar.field("info", *p.info);
}

namespace {
constexpr std::array<std::string_view, message_count> type_names = {
   "handshake_message", "chain_size_message", "go_away_message",        "time_message",
   "notice_message",    "request_message",    "sync_request_message",   "signed_block",
   "packed_transaction", "vote_message",      "block_nack_message",     "block_notice_message",
   "gossip_bp_peers_message", "transaction_notice_message"};
} // namespace

std::string_view message_type_name(uint32_t index) { return index < type_names.size() ? type_names[index] : ""; }

int message_index_by_name(std::string_view n) {
   for (std::size_t i = 0; i < type_names.size(); ++i) {
      std::string_view t = type_names[i];
      if (n == t)
         return int(i);
      constexpr std::string_view suffix = "_message";
      if (t.ends_with(suffix) && n == t.substr(0, t.size() - suffix.size()))
         return int(i);
   }
   return -1;
}

} // namespace core
