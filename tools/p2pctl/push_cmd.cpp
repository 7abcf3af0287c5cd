// `push-transaction [FILE|-]`: send a packed_transaction, as nodeos JSON or as hex, to the node.
#include "commands.hpp"

#include "codec/file_input.hpp"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <cctype>
#include <istream>
#include <iterator>
#include <memory>
#include <ostream>

namespace p2pctl {

namespace {

/// Largest transaction input read: p2pnode's longest control-socket request line
/// (control_server::max_request_line_bytes).
constexpr std::size_t max_input_bytes = 32u << 20;

bool is_space(unsigned char c) { return std::isspace(c) != 0; }

/// The request line for `text` (a JSON object → "trx", else hex → "hex"), or an error message.
bool make_request(std::string text, std::string& line, std::string& error) {
   const auto first = std::find_if_not(text.begin(), text.end(), [](char c) { return is_space(c); });
   const auto last = std::find_if_not(text.rbegin(), text.rend(), [](char c) { return is_space(c); }).base();
   text = first < last ? std::string(first, last) : std::string();
   if (text.empty()) {
      error = "empty input: expected a transaction as JSON or hex";
      return false;
   }
   if (text.front() == '{') {
      rapidjson::Document trx;
      trx.Parse(text.data(), text.size());
      if (trx.HasParseError() || !trx.IsObject()) {
         error = std::string("transaction JSON: ") +
                 (trx.HasParseError() ? rapidjson::GetParseError_En(trx.GetParseError()) : "not an object") +
                 " at offset " + std::to_string(trx.GetErrorOffset());
         return false;
      }
      rapidjson::Document req(rapidjson::kObjectType);
      auto& a = req.GetAllocator();
      req.AddMember("cmd", "push_transaction", a);
      req.AddMember("trx", rapidjson::Value(trx, a), a);
      line = compact(req);
      return true;
   }
   text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return is_space(c); }), text.end());
   if (text.size() % 2 != 0 || !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c); })) {
      error = "input is neither a JSON object nor hex";
      return false;
   }
   std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
   line = request("push_transaction", "hex", text);
   return true;
}

} // namespace

command add_push_transaction_command(CLI::App& app, const context& ctx) {
   auto* cmd = app.add_subcommand("push-transaction", "send a packed transaction (JSON or hex) to the node");
   auto file = std::make_shared<std::string>("-");
   cmd->add_option("file", *file, "file holding the transaction; - or none: stdin");
   return {cmd, [&ctx, file] {
              std::string text;
              if (*file == "-") {
                 // Read in chunks up to the limit: never more than the node would take.
                 char buf[64 * 1024];
                 while (ctx.io.in && text.size() <= max_input_bytes) {
                    ctx.io.in.read(buf, sizeof buf);
                    text.append(buf, static_cast<std::size_t>(ctx.io.in.gcount()));
                 }
                 if (text.size() > max_input_bytes)
                    return fail(ctx.io.err, "stdin: larger than the " + core::size_text(max_input_bytes) + " limit",
                                exit_refused);
              } else {
                 auto r = core::read_regular_file(*file, max_input_bytes);
                 if (!r)
                    return fail(ctx.io.err, r.error(), exit_refused);
                 text = std::move(*r);
              }
              std::string line, error;
              if (!make_request(std::move(text), line, error))
                 return fail(ctx.io.err, (*file == "-" ? std::string("stdin") : *file) + ": " + error, exit_refused);
              return round_trip(ctx, line, {[](const rapidjson::Value& r, std::ostream& out) {
                                   const auto* id = member(r, "id");
                                   out << (id ? cell(*id) : "-") << " accepted\n";
                                }});
           }};
}

} // namespace p2pctl
