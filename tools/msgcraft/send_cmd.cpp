// msgcraft send: connect to a node as a fake peer, send messages, print what comes back.
#include "commands.hpp"
#include "input.hpp"
#include "peer_flags.hpp"
#include "peer_session.hpp"
#include "send_input.hpp"
#include "send_script.hpp"

#include "codec/file_input.hpp"
#include "net/type_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <ostream>
#include <set>

namespace msgcraft {

namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

/// Exit status when the node cannot be reached (documented in msgcraft(1)).
constexpr int exit_cannot_connect = 3;

struct send_options {
   std::string target; ///< HOST:PORT
   std::vector<std::string> messages;
   std::vector<std::string> raw_hex;
   std::string file;
   uint32_t delay_ms = 0;
   double connect_timeout_s = 5;

   bool no_handshake = false;
   std::string chain_id, node_id, key, head_id, lib_id, p2p_address, agent = "msgcraft", os = "linux";
   uint32_t head_num = 0, lib_num = 0;
   uint16_t network_version = core::proto::default_network_version;
   int16_t generation = 1;
   int64_t time_ns = 0;
   CLI::Option* time_ns_opt = nullptr;
   CLI::Option* p2p_address_opt = nullptr;

   bool no_auto_time = false;
   bool echo_sent = false;
   uint32_t count = 0;
   std::vector<std::string> types;
   double timeout_s = 10;
   bool until_go_away = false;

   CLI::Option* messages_opt = nullptr;
   CLI::Option* raw_opt = nullptr;
   CLI::Option* file_opt = nullptr;
};

int send_fail(std::ostream& err, int code, std::string_view what) {
   std::string line = "msgcraft send: ";
   for (char c : what)
      line += (c == '\n' || c == '\r') ? ' ' : c;
   err << line << '\n' << std::flush;
   return code;
}

core::checksum256 parse_checksum(const std::string& flag, const std::string& hex) {
   auto c = core::checksum256::from_string(hex);
   if (!c)
      throw usage_error(flag, "expected 64 hex digits");
   return *c;
}

/// Handshake options from the flags. Throws usage_error for bad values.
handshake_options make_handshake_options(const send_options& o, std::istream& in) {
   handshake_options h;
   if (!o.chain_id.empty())
      h.chain_id = parse_checksum("--chain-id", o.chain_id);
   if (!o.node_id.empty())
      h.node_id = parse_checksum("--node-id", o.node_id);
   if (!o.head_id.empty())
      h.chain.head_id = parse_checksum("--head-id", o.head_id);
   if (!o.lib_id.empty())
      h.chain.lib_id = parse_checksum("--lib-id", o.lib_id);
   h.chain.head_num = o.head_num;
   h.chain.lib_num = o.lib_num;
   if (!o.key.empty()) {
      auto text = read_key_argument(o.key, in);
      if (!text)
         throw usage_error("--key", text.error());
      auto k = core::private_key::from_string(*text);
      if (!k)
         throw usage_error("--key", k.error());
      h.key = std::move(*k);
   }
   h.network_version = o.network_version;
   if (o.p2p_address_opt->count() > 0)
      h.p2p_address = o.p2p_address;
   h.agent = o.agent;
   h.os = o.os;
   h.generation = o.generation;
   if (o.time_ns_opt->count() > 0)
      h.time_ns = o.time_ns;
   return h;
}

/// One thing to send, in command-line order.
struct outgoing {
   std::vector<uint8_t> bytes;
   bool raw = false; ///< --raw-hex: sent unchanged, printed as hex
};

/// The messages in command-line order (positionals, --raw-hex and --file interleaved as given);
/// a file's {"send_handshake":false} line clears `handshake`.
core::result<std::vector<outgoing>> collect_messages(const send_options& o, CLI::App& cmd, std::istream& in,
                                                     bool& handshake) {
   std::vector<outgoing> out;
   std::size_t next_message = 0, next_raw = 0;
   const auto add_file = [&](const std::string& path) -> core::result<bool> {
      std::string text, where = path == "-" ? "stdin" : path;
      if (path == "-") {
         auto r = read_all(in, max_json_text_bytes);
         if (!r)
            return core::unexpected{"stdin: " + r.error()};
         text = std::move(*r);
      } else {
         auto r = core::read_regular_file(path, max_json_text_bytes);
         if (!r)
            return core::unexpected{r.error()};
         text = std::move(*r);
      }
      auto script = script_from_lines(text, where);
      if (!script)
         return core::unexpected{script.error()};
      if (script->send_handshake == false)
         handshake = false;
      for (auto& item : script->items)
         out.push_back({std::move(item.bytes), item.raw});
      return true;
   };
   for (const CLI::Option* opt : cmd.parse_order()) {
      if (opt == o.messages_opt) {
         const std::string& m = o.messages.at(next_message++);
         if (m == "-") {
            if (auto r = add_file("-"); !r)
               return core::unexpected{r.error()};
            continue;
         }
         auto f = frame_from_text(m);
         if (!f)
            return core::unexpected{fmt::format("message {}: {}", next_message, f.error())};
         out.push_back({std::move(*f), false});
      } else if (opt == o.raw_opt) {
         auto bytes = parse_hex_text(o.raw_hex.at(next_raw++));
         if (!bytes)
            return core::unexpected{"--raw-hex: " + bytes.error()};
         out.push_back({std::move(*bytes), true});
      } else if (opt == o.file_opt) {
         if (auto r = add_file(o.file); !r)
            return core::unexpected{r.error()};
      }
   }
   return out;
}

/// The receive loop's state and the stop rules.
class receiver {
public:
   receiver(const send_options& o, std::set<uint32_t> types, std::ostream& out, std::ostream& err)
      : o_(o), types_(std::move(types)), out_(out), err_(err) {}

   enum class stop : uint8_t { none, count, go_away, timeout, closed, error };

   /// Receives and prints until `until` or a stop condition; returns the stop (none: `until` came).
   stop pump(peer_session& s, peer_session::clock::time_point until, std::optional<peer_session::clock::time_point> end) {
      const bool final_phase = !end || until >= *end;
      for (;;) {
         const auto deadline = end ? std::min(until, *end) : until;
         auto r = s.receive(deadline);
         switch (r.status) {
         case receive_status::frame: {
            const bool shown = types_.empty() || types_.count(r->which) > 0;
            if (shown) {
               print(frame_line(r->at, "in", r->which, r->payload.size(), r->message));
               ++received_;
            }
            for (const auto& line : after_frame_)
               print(line);
            after_frame_.clear();
            if (o_.count > 0 && received_ >= o_.count)
               return stop::count;
            if (o_.until_go_away && std::holds_alternative<core::go_away_message>(r->message))
               return stop::go_away;
            break;
         }
         case receive_status::timeout:
            return final_phase || (end && peer_session::clock::now() >= *end) ? stop::timeout : stop::none;
         case receive_status::closed:
            print(event_line(system_clock::now(), "closed", r.reason));
            close_reason_ = r.reason;
            return stop::closed;
         case receive_status::error:
            print(error_line(system_clock::now(), r.reason, r.offset));
            send_fail(err_, exit_failure, fmt::format("undecodable frame at byte {}: {}", r.offset, r.reason));
            return stop::error;
         }
      }
   }

   void print(const std::string& line) { out_ << line << '\n' << std::flush; }
   /// A line about the frame being received (the session's automatic reply), printed after it.
   void print_after_frame(std::string line) { after_frame_.push_back(std::move(line)); }

   /// The exit code; a --count not reached is said on stderr (the error was said already).
   int exit_code(stop why) const {
      if (why == stop::error)
         return exit_failure;
      if (why == stop::count || why == stop::go_away || o_.count == 0)
         return exit_ok;
      const std::string got = fmt::format("{} of the {} message{} --count asked for", received_, o_.count,
                                          o_.count == 1 ? "" : "s");
      if (why == stop::closed)
         return send_fail(err_, exit_failure,
                          fmt::format("the peer closed the connection ({}) after {}", close_reason_, got));
      return send_fail(err_, exit_failure, fmt::format("timed out after {}", got));
   }

private:
   const send_options& o_;
   std::set<uint32_t> types_;
   std::ostream& out_;
   std::ostream& err_;
   uint32_t received_ = 0;
   std::vector<std::string> after_frame_;
   std::string close_reason_;
};

int run_send(const send_options& o, CLI::App& cmd, const streams& io) {
   const auto target = parse_target(o.target);
   std::set<uint32_t> types;
   for (const auto& t : o.types) {
      const auto* w = core::find_wire_type(t);
      if (!w || !w->is_message())
         throw usage_error("--type", "\"" + t + "\" is not a net message name");
      types.insert(static_cast<uint32_t>(w->message_index));
   }
   if (o.key == "-" && (o.file == "-" || std::count(o.messages.begin(), o.messages.end(), "-") > 0))
      throw usage_error("--key", "--key - and messages from stdin cannot both read standard input");
   if (!std::isfinite(o.timeout_s) || o.timeout_s < 0 || o.timeout_s > 1e9)
      throw usage_error("--timeout", "expected seconds >= 0");
   if (!std::isfinite(o.connect_timeout_s) || o.connect_timeout_s <= 0 || o.connect_timeout_s > 1e6)
      throw usage_error("--connect-timeout", "expected seconds > 0");
   std::optional<handshake_options> hs;
   if (!o.no_handshake)
      hs = make_handshake_options(o, io.in);

   bool handshake = true;
   auto messages = collect_messages(o, cmd, io.in, handshake);
   if (!messages)
      return send_fail(io.err, exit_failure, messages.error());
   if (!handshake)
      hs.reset();

   const auto connect_timeout = milliseconds(static_cast<int64_t>(std::ceil(o.connect_timeout_s * 1000)));
   auto session = peer_session::connect(target.host, target.port, connect_timeout);
   if (!session)
      return send_fail(io.err, exit_cannot_connect,
                       fmt::format("cannot connect to {}: {}", o.target, session.error()));
   peer_session& s = *session;
   s.set_auto_time(!o.no_auto_time);

   std::optional<peer_session::clock::time_point> end;
   if (o.timeout_s > 0)
      end = peer_session::clock::now() + std::chrono::duration_cast<peer_session::clock::duration>(
                                            std::chrono::duration<double>(o.timeout_s));
   receiver rx(o, std::move(types), io.out, io.err);
   bool sending_raw = false; ///< --raw-hex bytes are printed as given, never decoded
   if (o.echo_sent) {
      s.on_sent([&rx, &sending_raw](std::span<const uint8_t> bytes, bool automatic) {
         // Every frame but --raw-hex bytes was built or checked here, so it decodes.
         if (!sending_raw && bytes.size() > core::frame_header_bytes) {
            auto m = core::decode_payload(bytes.subspan(core::frame_header_bytes));
            if (m) {
               const auto which = static_cast<uint32_t>(m->index());
               auto line = frame_line(system_clock::now(), "out", which, bytes.size() - core::frame_header_bytes, *m,
                                      automatic);
               if (automatic) // sent from inside receive(), before the frame it answers is printed
                  rx.print_after_frame(std::move(line));
               else
                  rx.print(line);
               return;
            }
         }
         rx.print(raw_line(system_clock::now(), bytes));
      });
   }

   const auto delay = milliseconds(o.delay_ms);
   bool sent_any = false;
   const auto pause = [&]() -> receiver::stop {
      if (!sent_any || delay.count() == 0)
         return receiver::stop::none;
      return rx.pump(s, peer_session::clock::now() + delay, end);
   };
   // A failed write ends the sending; the receive loop then reports the close.
   const auto send_failed = [&](const std::string& why) { send_fail(io.err, exit_failure, "send failed: " + why); };

   bool sending = true;
   if (hs) {
      auto r = s.send_handshake(*hs);
      if (!r) {
         send_failed(r.error());
         sending = false;
      }
      sent_any = true;
   }
   for (std::size_t i = 0; sending && i < messages->size(); ++i) {
      if (auto why = pause(); why != receiver::stop::none)
         return rx.exit_code(why);
      const auto& m = (*messages)[i];
      sending_raw = m.raw;
      auto r = s.send_raw(m.bytes);
      sending_raw = false;
      sent_any = true;
      if (!r) {
         send_failed(r.error());
         sending = false;
      }
   }
   const auto why = rx.pump(s, end.value_or(peer_session::clock::time_point::max()), end);
   return rx.exit_code(why);
}

} // namespace

command add_send_command(CLI::App& app, const streams& io) {
   auto o = std::make_shared<send_options>();
   auto* cmd = app.add_subcommand("send", "Connect to a node as a fake peer, send messages, print what comes back");
   cmd->add_option("target", o->target, "The node's p2p endpoint")->required()->type_name("HOST:PORT");
   o->messages_opt = cmd->add_option("messages", o->messages,
                                     "Messages to send: JSON as decode prints it, or the hex of one frame; - reads "
                                     "them from stdin, one a line")
                        ->type_name("MESSAGE");
   o->file_opt = cmd->add_option("--file,-f", o->file, "Send the messages in F (or - for stdin), one a line")
                    ->type_name("F");
   o->raw_opt = cmd->add_option("--raw-hex", o->raw_hex, "Send these bytes unchanged (repeatable)")
                   ->type_name("HEX")
                   ->allow_extra_args(false);
   cmd->add_option("--delay-ms", o->delay_ms, "Wait this long between sends (receiving meanwhile)")->type_name("N");
   cmd->add_option("--connect-timeout", o->connect_timeout_s, "Give up connecting after SEC seconds (default 5)")
      ->type_name("SEC");

   const std::string hs = "Handshake";
   cmd->add_flag("--no-handshake", o->no_handshake, "Do not send a handshake first")->group(hs);
   cmd->add_option("--chain-id", o->chain_id, "Chain id (default: the devnet's)")->type_name("HEX")->group(hs);
   cmd->add_option("--node-id", o->node_id, "Node id (default: random)")->type_name("HEX")->group(hs);
   cmd->add_option("--key", o->key, "Sign the handshake with this private key (WIF, PVT_K1_, PVT_R1_, or - for stdin)")
      ->type_name("KEY")
      ->group(hs);
   cmd->add_option("--head-num", o->head_num, "Advertised head block number (default 0)")->type_name("N")->group(hs);
   cmd->add_option("--head-id", o->head_id, "Advertised head block id (default zero)")->type_name("HEX")->group(hs);
   cmd->add_option("--lib-num", o->lib_num, "Advertised LIB number (default 0)")->type_name("N")->group(hs);
   cmd->add_option("--lib-id", o->lib_id, "Advertised LIB id (default zero)")->type_name("HEX")->group(hs);
   cmd->add_option("--network-version", o->network_version, "network_version (default 1212)")
      ->type_name("V")
      ->group(hs);
   o->p2p_address_opt =
      cmd->add_option("--p2p-address", o->p2p_address, "p2p_address (default \"msgcraft:0 - <7 hex of node id>\")")
         ->type_name("S")
         ->group(hs);
   cmd->add_option("--agent", o->agent, "Agent name (default msgcraft)")->type_name("S")->group(hs);
   cmd->add_option("--os", o->os, "os field (default linux)")->type_name("S")->group(hs);
   cmd->add_option("--generation", o->generation, "Generation (default 1)")->type_name("N")->group(hs);
   o->time_ns_opt = cmd->add_option("--time-ns", o->time_ns, "Handshake time in ns since the epoch (default: now)")
                       ->type_name("N")
                       ->group(hs);

   const std::string rx = "Receiving";
   cmd->add_flag("--no-auto-time", o->no_auto_time, "Do not answer the peer's time_message pings")->group(rx);
   cmd->add_flag("--echo-sent", o->echo_sent, "Print sent frames too (\"dir\":\"out\")")->group(rx);
   cmd->add_option("--count", o->count, "Stop after N received messages (of --type)")
      ->type_name("N")
      ->check(CLI::PositiveNumber)
      ->group(rx);
   cmd->add_option("--type,-t", o->types, "Print and count only this message type (repeatable)")
      ->type_name("T")
      ->allow_extra_args(false)
      ->group(rx);
   cmd->add_option("--timeout", o->timeout_s, "Stop after SEC seconds in all (default 10; 0 = never)")
      ->type_name("SEC")
      ->group(rx);
   cmd->add_flag("--until-go-away", o->until_go_away, "Stop after a go_away_message is received")->group(rx);

   return {cmd, [o, cmd, &io] { return run_send(*o, *cmd, io); }};
}

} // namespace msgcraft
