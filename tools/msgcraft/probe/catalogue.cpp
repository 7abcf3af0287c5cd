#include "probe/catalogue.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace msgcraft::probe {

namespace {

using core::go_away_reason;

bool has_newer(const observation& o) {
   return std::any_of(o.messages.begin(), o.messages.end(), [](uint32_t m) { return m > 8; });
}
bool stays(const observation& o) { return o.answered && !o.closed && !o.go_away; }
bool go_away_then_close(const observation& o, go_away_reason r) { return o.closed && o.go_away == r; }
/// Closed for bad input: Leap and Spring close without a go_away; a go_away fatal_other first is
/// accepted (it tells the peer why).
bool closed_plain(const observation& o) {
   return o.closed && !o.answered && (!o.go_away || *o.go_away == go_away_reason::fatal_other);
}
bool ignored(const observation& o) { return stays(o) && !has_newer(o); }
bool closed_or_ignored(const observation& o) { return closed_plain(o) || ignored(o); }
bool handshake_back(const observation& o) { return !o.handshakes.empty() && stays(o); }

bool fatal_other(const observation& o) { return go_away_then_close(o, go_away_reason::fatal_other); }
bool wrong_chain(const observation& o) { return go_away_then_close(o, go_away_reason::wrong_chain); }
bool self(const observation& o) { return go_away_then_close(o, go_away_reason::self); }
bool duplicate(const observation& o) { return go_away_then_close(o, go_away_reason::duplicate) && o.second_ok; }
bool forked(const observation& o) { return go_away_then_close(o, go_away_reason::forked); }
bool downgraded(const observation& o) {
   return stays(o) && std::any_of(o.handshakes.begin(), o.handshakes.end(),
                                  [](const core::handshake_message& h) { return h.network_version == 1206; });
}
bool auth(const observation& o) {
   return handshake_back(o) || go_away_then_close(o, go_away_reason::authentication);
}
bool good_replies(const observation& o) {
   return std::all_of(o.replies.begin(), o.replies.end(),
                      [](const core::time_message& t) { return t.rec != 0 && t.xmt != 0 && t.dst == 0; });
}
bool time_answered(const observation& o) { return stays(o) && o.replies.size() == 1 && good_replies(o); }
bool time_answered_open(const observation& o) { return o.answered && !o.closed && good_replies(o); }
bool one_reply_then_answered(const observation& o) { return stays(o) && o.replies.size() == 1; }
bool two_replies(const observation& o) { return stays(o) && o.replies.size() == 2; }
bool blocks_wanted(const observation& o) { return stays(o) && !o.wanted.empty() && o.blocks == o.wanted; }
bool no_blocks(const observation& o) { return stays(o) && o.blocks.empty(); }
bool unavailable(const observation& o) {
   return go_away_then_close(o, go_away_reason::benign_other) && o.blocks.empty();
}
bool branch(const observation& o) {
   if (o.closed || o.wanted.empty() || o.blocks.empty() || o.blocks.front() != o.wanted.front())
      return false;
   for (std::size_t i = 1; i < o.blocks.size(); ++i)
      if (o.blocks[i] != o.blocks[i - 1] + 1)
         return false;
   return true;
}
bool below_lib_leap(const observation& o) {
   return stays(o) && !o.handshakes.empty() &&
          std::any_of(o.sync_requests.begin(), o.sync_requests.end(),
                      [](const core::sync_request_message& s) { return s.start_block == 0 && s.end_block == 0; });
}
bool below_lib_spring(const observation& o) { return stays(o) && o.sync_requests.empty() && o.blocks.empty(); }
bool ignored_or_fatal(const observation& o) { return ignored(o) || fatal_other(o); }
bool nothing_newer(const observation& o) { return !has_newer(o); }

constexpr std::string_view closed_plain_text = "closed (a go_away, if any, says fatal_other)";
constexpr std::string_view closed_or_ignored_text =
   "closed (Leap 5 does not know the index), or ignored by a peer that decodes Spring messages without speaking "
   "them (p2pnode, PROTOCOL.md §0): no answer, the connection stays";

const check_def checks[] = {
   {"handshake.valid", "a valid generation-1 handshake is answered with the peer's own", "PROTOCOL.md §7",
    {"its handshake, the connection stays", handshake_back},
    {"its handshake, the connection stays", handshake_back},
    scenario::handshake_valid},
   {"handshake.wrong_chain", "a handshake for another chain", "PROTOCOL.md §7 step 3d",
    {"go_away wrong_chain, closed", wrong_chain},
    {"go_away wrong_chain, closed", wrong_chain},
    scenario::wrong_chain},
   {"handshake.self_connect", "a handshake carrying the peer's own node_id", "PROTOCOL.md §7 step 3a",
    {"go_away self, closed", self},
    {"go_away self, closed", self},
    scenario::self_connect},
   {"handshake.duplicate", "a second connection with the node_id of a connected one", "PROTOCOL.md §7 step 3c",
    {"go_away duplicate on the second connection, closed; the first stays", duplicate},
    {"go_away duplicate on the second connection, closed; the first stays", duplicate},
    scenario::duplicate},
   {"handshake.p2p_address_empty", "a handshake whose p2p_address is empty", "PROTOCOL.md §7 step 1",
    {"go_away fatal_other, closed", fatal_other},
    {"go_away fatal_other, closed", fatal_other},
    scenario::p2p_address_empty},
   {"handshake.p2p_address_384", "a p2p_address of exactly 384 characters (the limit)", "PROTOCOL.md §1, §7 step 1",
    {"its handshake, the connection stays", handshake_back},
    {"its handshake, the connection stays", handshake_back},
    scenario::p2p_address_384},
   {"handshake.p2p_address_385", "a p2p_address of 385 characters", "PROTOCOL.md §1, §7 step 1",
    {"go_away fatal_other, closed", fatal_other},
    {"go_away fatal_other, closed", fatal_other},
    scenario::p2p_address_385},
   {"handshake.os_empty", "a handshake whose os is empty", "PROTOCOL.md §7 step 1",
    {"go_away fatal_other, closed", fatal_other},
    {"go_away fatal_other, closed", fatal_other},
    scenario::os_empty},
   {"handshake.agent_385", "an agent of 385 characters", "PROTOCOL.md §7 step 1",
    {"go_away fatal_other, closed", fatal_other},
    {"go_away fatal_other, closed", fatal_other},
    scenario::agent_385},
   {"handshake.lib_above_head", "a handshake whose LIB is above its head", "PROTOCOL.md §7 step 1",
    {"go_away fatal_other, closed", fatal_other},
    {"go_away fatal_other, closed", fatal_other},
    scenario::lib_above_head},
   {"handshake.bad_token", "a non-zero token that is not sha256(time)", "PROTOCOL.md §5, §7 step 1",
    {"go_away fatal_other, closed", fatal_other},
    {"go_away fatal_other, closed", fatal_other},
    scenario::bad_token},
   {"handshake.forked", "a LIB the peer has, with another block id", "PROTOCOL.md §7 step 3g",
    {"go_away forked, closed", forked},
    {"go_away forked, closed", forked},
    scenario::forked},
   {"handshake.eosio21_downgrade", "an EOSIO 2.1 peer (network_version 1210)", "PROTOCOL.md §6, §7 step 3h",
    {"a handshake advertising 1206, the connection stays", downgraded},
    {"a handshake advertising 1206, the connection stays", downgraded},
    scenario::eosio21_downgrade},
   {"handshake.version_unknown", "a network_version outside the known range (1400)", "PROTOCOL.md §6",
    {"its handshake (a version mismatch is only logged), the connection stays", handshake_back},
    {"its handshake (a version mismatch is only logged), the connection stays", handshake_back},
    scenario::version_unknown},
   {"auth.unsigned", "an unsigned handshake (empty key, token and signature)", "PROTOCOL.md §7 authenticate_peer",
    {"its handshake (allowed-connection any) or go_away authentication (producers, specified)", auth},
    {"its handshake (allowed-connection any) or go_away authentication (producers, specified)", auth},
    scenario::auth_unsigned},
   {"auth.bad_signature", "a handshake whose signature does not recover its key", "PROTOCOL.md §7 authenticate_peer",
    {"its handshake (allowed-connection any checks nothing) or go_away authentication", auth},
    {"its handshake (allowed-connection any checks nothing) or go_away authentication", auth},
    scenario::auth_bad_signature},
   {"time.ping", "a ping after the handshake", "PROTOCOL.md §8",
    {"one reply: org = our xmt, rec and xmt set, dst 0", time_answered},
    {"one reply: org = our xmt, rec and xmt set, dst 0", time_answered},
    scenario::time_ping},
   {"time.before_handshake", "a ping on a connection that sent no handshake", "PROTOCOL.md §8",
    {"a reply; the connection stays", time_answered_open},
    {"a reply; the connection stays", time_answered_open},
    scenario::time_before_handshake},
   {"time.zero_xmt", "a time_message whose xmt is 0, then a ping", "PROTOCOL.md §8",
    {"no reply to the zero xmt; the ping is answered", one_reply_then_answered},
    {"no reply to the zero xmt; the ping is answered", one_reply_then_answered},
    scenario::time_zero_xmt},
   {"time.duplicate", "the same ping twice, then another", "PROTOCOL.md §8",
    {"two replies: the repeated ping is ignored", two_replies},
    {"two replies: the repeated ping is ignored", two_replies},
    scenario::time_duplicate},
   {"frame.zero_length", "a frame whose length is 0", "PROTOCOL.md §1",
    {closed_plain_text, closed_plain},
    {closed_plain_text, closed_plain},
    scenario::frame_zero_length},
   {"frame.oversize", "a frame length of 8 MiB + 1", "PROTOCOL.md §1",
    {closed_plain_text, closed_plain},
    {closed_plain_text, closed_plain},
    scenario::frame_oversize},
   {"frame.unknown_index", "a frame whose message index is 100", "PROTOCOL.md §1, §2",
    {closed_plain_text, closed_plain},
    {closed_plain_text, closed_plain},
    scenario::frame_unknown_index},
   {"frame.length_short", "a ping declared one byte shorter than it is, then a ping", "PROTOCOL.md §1",
    {closed_plain_text, closed_plain},
    {closed_plain_text, closed_plain},
    scenario::frame_length_short},
   {"frame.length_long", "a ping declared one byte longer than it is, then a ping", "PROTOCOL.md §1",
    {closed_plain_text, closed_plain},
    {closed_plain_text, closed_plain},
    scenario::frame_length_long},
   {"frame.split", "a ping delivered one byte per TCP segment", "PROTOCOL.md §1",
    {"a reply; the connection stays", time_answered},
    {"a reply; the connection stays", time_answered},
    scenario::frame_split},
   {"sync_request.in_range", "a sync_request for five blocks the peer has", "PROTOCOL.md §3.6, §9 serving",
    {"exactly those blocks, in order; the connection stays", blocks_wanted},
    {"exactly those blocks, in order; the connection stays", blocks_wanted},
    scenario::sync_in_range},
   {"sync_request.out_of_range", "a sync_request beyond the peer's head", "PROTOCOL.md §9 serving",
    {"no block, go_away benign_other, closed", unavailable},
    {"no block, go_away benign_other, closed", unavailable},
    scenario::sync_out_of_range},
   {"sync_request.cancel", "sync_request {0, 0}", "PROTOCOL.md §3.6",
    {"nothing sent; the connection stays", no_blocks},
    {"nothing sent; the connection stays", no_blocks},
    scenario::sync_cancel},
   {"request.catch_up", "request catch_up with a block id of the peer's chain", "PROTOCOL.md §9 request handling",
    {"the blocks after that id, in order", branch},
    {"the blocks after that id, in order", branch},
    scenario::request_catch_up},
   {"request.normal", "request normal with one block id", "PROTOCOL.md §9 request handling",
    {"that block; the connection stays", blocks_wanted},
    {"closed: Spring wants the 2-id nack form from a peer at protocol 10 or more", closed_plain},
    scenario::request_normal},
   {"request.too_many_ids", "request catch_up with three block ids", "PROTOCOL.md §3.5",
    {closed_plain_text, closed_plain},
    {closed_plain_text, closed_plain},
    scenario::request_too_many_ids},
   {"request.trx_ids", "request with transaction ids in mode none", "PROTOCOL.md §3.5",
    {closed_plain_text, closed_plain},
    {closed_plain_text, closed_plain},
    scenario::request_trx_ids},
   {"request.stop", "request none / none (stop sending)", "PROTOCOL.md §3.5",
    {"nothing sent; the connection stays", no_blocks},
    {"nothing sent; the connection stays", no_blocks},
    scenario::request_stop},
   {"notice.too_many_ids", "a notice with three block ids", "PROTOCOL.md §3.5",
    {closed_plain_text, closed_plain},
    {closed_plain_text, closed_plain},
    scenario::notice_too_many_ids},
   {"notice.normal", "a normal-mode notice of one block", "PROTOCOL.md §3.5",
    {"ignored; the connection stays", stays},
    {"ignored; the connection stays", stays},
    scenario::notice_normal},
   {"block.below_lib", "a block whose number is at or below the peer's LIB", "PROTOCOL.md §9",
    {"sync_request {0, 0} and a handshake; the connection stays", below_lib_leap},
    {"nothing (a nack only to peers at protocol 10 or more); the connection stays", below_lib_spring},
    scenario::block_below_lib},
   {"gating.vote_message", "a vote_message (index 9) from a peer at protocol 7", "PROTOCOL.md §6, §16",
    {closed_or_ignored_text, closed_or_ignored},
    {"closed (the BLS bytes are no curve point) or ignored (unknown block)", closed_or_ignored},
    scenario::gate_vote},
   {"gating.block_nack_message", "a block_nack reset (index 10) from a peer at protocol 7", "PROTOCOL.md §6, §16",
    {closed_or_ignored_text, closed_or_ignored},
    {"ignored: the connection stays", ignored},
    scenario::gate_block_nack},
   {"gating.block_notice_message", "a block_notice (index 11) whose id does not follow previous",
    "PROTOCOL.md §3.11, §16",
    {closed_or_ignored_text, closed_or_ignored},
    {closed_plain_text, closed_plain},
    scenario::gate_block_notice},
   {"gating.gossip_bp_peers_message", "an empty gossip_bp_peers (index 12) from a peer at protocol 7",
    "PROTOCOL.md §3.11, §16",
    {closed_or_ignored_text, closed_or_ignored},
    {"ignored, or go_away fatal_other where BP gossip is on and rejects it", ignored_or_fatal},
    scenario::gate_gossip_bp_peers},
   {"gating.transaction_notice_message", "a transaction_notice (index 13, Spring main only)", "PROTOCOL.md §2, §16",
    {closed_or_ignored_text, closed_or_ignored},
    {"closed: Spring 1.2 does not know index 13", closed_plain},
    scenario::gate_transaction_notice},
   {"gating.unsolicited", "nothing newer than protocol 7 was sent to us during the probe (we advertise 1212)",
    "PROTOCOL.md §6",
    {"no message above index 8 on any connection", nothing_newer},
    {"no message above index 8 on any connection", nothing_newer},
    scenario::gate_unsolicited},
};

std::string range_text(const std::vector<uint32_t>& v) {
   if (v.empty())
      return "none";
   bool consecutive = true;
   for (std::size_t i = 1; i < v.size(); ++i)
      consecutive &= v[i] == v[i - 1] + 1;
   if (consecutive)
      return v.size() == 1 ? fmt::format("{}", v.front()) : fmt::format("{}-{}", v.front(), v.back());
   std::string out;
   for (auto n : v)
      out += (out.empty() ? "" : ",") + std::to_string(n);
   return out;
}

bool matches(std::string_view pattern, std::string_view name) {
   if (pattern == "*" || pattern == name)
      return true;
   if (pattern.ends_with(".*"))
      pattern.remove_suffix(1);
   return pattern.ends_with('.') && name.starts_with(pattern);
}

} // namespace

std::string_view to_string(flavour f) { return f == flavour::leap5 ? "leap5" : "spring"; }

std::span<const check_def> catalogue() { return checks; }

std::string describe(const observation& o) {
   if (!o.skipped.empty())
      return "skipped: " + o.skipped;
   std::vector<std::string> parts;
   for (const auto& h : o.handshakes)
      parts.push_back(fmt::format("handshake {}", h.network_version));
   if (!o.replies.empty())
      parts.push_back(fmt::format("{} time repl{}", o.replies.size(), o.replies.size() == 1 ? "y" : "ies"));
   if (!o.blocks.empty())
      parts.push_back("blocks " + range_text(o.blocks));
   for (const auto& s : o.sync_requests)
      parts.push_back(fmt::format("sync_request {{{}, {}}}", s.start_block, s.end_block));
   for (auto m : o.messages)
      if (m != 0 && m != 3 && m != 7 && m != 6 && m != 2)
         parts.push_back(std::string(core::message_type_name(m).empty() ? fmt::format("message {}", m)
                                                                        : std::string(core::message_type_name(m))));
   if (o.go_away)
      parts.push_back(fmt::format("go_away {}", core::enum_name(*o.go_away)));
   if (o.closed)
      parts.push_back("closed");
   else if (o.answered)
      parts.push_back("ping answered");
   else
      parts.push_back("no answer to the ping");
   if (!o.note.empty())
      parts.push_back(o.note);
   std::string out;
   for (const auto& p : parts)
      out += (out.empty() ? "" : ", ") + p;
   return out;
}

std::vector<const check_def*> select_checks(const std::vector<std::string>& only, const std::vector<std::string>& skip,
                                            std::string& error) {
   for (const auto* list : {&only, &skip})
      for (const auto& p : *list)
         if (std::none_of(std::begin(checks), std::end(checks), [&](const check_def& c) { return matches(p, c.name); })) {
            error = fmt::format("no check matches \"{}\"", p);
            return {};
         }
   std::vector<const check_def*> out;
   for (const auto& c : checks) {
      const bool in = only.empty() || std::any_of(only.begin(), only.end(), [&](const auto& p) { return matches(p, c.name); });
      const bool out_ = std::any_of(skip.begin(), skip.end(), [&](const auto& p) { return matches(p, c.name); });
      if (in && !out_)
         out.push_back(&c);
   }
   return out;
}

} // namespace msgcraft::probe
