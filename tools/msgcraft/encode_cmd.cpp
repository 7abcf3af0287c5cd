// msgcraft encode: JSON, as msgcraft decode prints it, back to fc::raw bytes (optionally framed).
#include "commands.hpp"
#include "input.hpp"

#include "codec/byte_writer.hpp"
#include "codec/file_input.hpp"
#include "codec/hex.hpp"
#include "net/frame.hpp"
#include "net/type_table.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>

#include <memory>
#include <ostream>

namespace msgcraft {

namespace {

struct encode_options {
   std::string type;
   bool framed = false;
   bool binary = false;
   std::string json; ///< the positional: JSON text, or "-" / unset for stdin
   std::string file; ///< --file: read the JSON from this file ("-": stdin)
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// Line and column (from 1) of text offsets, advanced monotonically so a long input costs O(n).
class position_tracker {
public:
   explicit position_tracker(std::string_view text) : text_(text) {}
   std::string at(std::size_t offset) {
      for (; pos_ < offset && pos_ < text_.size(); ++pos_) {
         if (text_[pos_] == '\n') {
            ++line_;
            line_start_ = pos_ + 1;
         }
      }
      return fmt::format("line {}, column {}", line_, offset - line_start_ + 1);
   }

private:
   std::string_view text_;
   std::size_t pos_ = 0;
   std::size_t line_ = 1;
   std::size_t line_start_ = 0;
};

/// A line printed by `msgcraft decode` for a frame: {"which", "type", "size", "message"}.
bool is_decode_line(const rapidjson::Value& v) {
   return v.IsObject() && v.HasMember("which") && v.HasMember("type") && v.HasMember("message");
}

class encoder {
public:
   encoder(const encode_options& opts, const core::wire_type* forced, const streams& io)
      : opts_(opts), forced_(forced), io_(io) {}

   /// Encodes every JSON value of `text` in turn; stops at the first bad one.
   int run(std::string_view text) {
      position_tracker where(text);
      std::size_t pos = 0;
      for (std::size_t number = 1;; ++number) {
         while (pos < text.size() && is_space(text[pos]))
            ++pos;
         if (pos == text.size())
            return exit_ok;
         const std::string label = fmt::format("JSON value {} ({})", number, where.at(pos));
         rapidjson::Document d;
         rapidjson::MemoryStream ms(text.data() + pos, text.size() - pos);
         rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
         d.ParseStream<rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseIterativeFlag>(is);
         if (d.HasParseError())
            return fail(io_.err, fmt::format("{}: invalid JSON: {} at {}", label,
                                             rapidjson::GetParseError_En(d.GetParseError()),
                                             where.at(pos + d.GetErrorOffset())));
         pos += is.Tell();
         if (int rc = encode_value(d, label); rc != exit_ok)
            return rc;
      }
   }

private:
   int encode_value(const rapidjson::Value& v, const std::string& label) {
      const core::wire_type* type = forced_;
      const rapidjson::Value* body = &v;
      if (is_decode_line(v)) {
         const auto& t = v["type"];
         const core::wire_type* line_type =
            t.IsString() ? core::find_wire_type(std::string_view(t.GetString(), t.GetStringLength())) : nullptr;
         if (!line_type || !line_type->is_message())
            return fail(io_.err, fmt::format("{}: \"type\" is not a net message name", label));
         const auto& which = v["which"];
         if (!which.IsUint() || which.GetUint() != static_cast<unsigned>(line_type->message_index))
            return fail(io_.err, fmt::format("{}: \"which\" is not {}, the index of {}", label,
                                             line_type->message_index, line_type->name));
         if (forced_ && forced_ != line_type)
            return fail(io_.err, fmt::format("{}: the line holds a {} but --type is {}", label, line_type->name,
                                             forced_->name));
         type = line_type;
         body = &v["message"];
      } else if (!type) {
         throw usage_error("--type", "required unless the input is a line printed by msgcraft decode");
      }

      auto bytes = type->json_to_bytes(*body);
      if (!bytes)
         return fail(io_.err, fmt::format("{}: {}: {}", label, type->name, bytes.error().message()));
      if (opts_.framed) {
         core::byte_writer payload;
         payload.write_varuint32(static_cast<uint32_t>(type->message_index));
         payload.write(*bytes);
         *bytes = core::frame_payload(payload.bytes());
      }
      if (opts_.binary)
         io_.out.write(reinterpret_cast<const char*>(bytes->data()), static_cast<std::streamsize>(bytes->size()));
      else
         io_.out << core::to_hex(*bytes) << '\n';
      return exit_ok;
   }

   const encode_options& opts_;
   const core::wire_type* forced_;
   const streams& io_;
};

} // namespace

command add_encode_command(CLI::App& app, const streams& io) {
   auto opts = std::make_shared<encode_options>();
   auto* cmd = app.add_subcommand("encode", "Encode JSON (as decode prints it) to hex or raw bytes");
   add_type_option(*cmd, opts->type)->description(
      "Type of the JSON object; optional when the input is a line printed by decode");
   cmd->add_flag("--framed", opts->framed, "Prefix the length and message index (net messages only)");
   cmd->add_flag("--binary", opts->binary, "Write raw bytes instead of a hex line");
   auto* text = cmd->add_option("json", opts->json, "JSON text, or - for stdin (the default; several values allowed)")
                   ->type_name("JSON|-");
   cmd->add_option("--file,-f", opts->file, "Read the JSON from file F (- for stdin)")->type_name("F")->excludes(text);
   return {cmd, [opts, &io] {
              const core::wire_type* forced = opts->type.empty() ? nullptr : core::find_wire_type(opts->type);
              if (forced && opts->framed && !forced->is_message())
                 throw usage_error("--framed", std::string(forced->name) + " is not a net message; only messages are framed");
              std::string text;
              if (!opts->file.empty() && opts->file != "-") {
                 auto r = core::read_regular_file(opts->file, max_json_text_bytes);
                 if (!r)
                    return fail(io.err, r.error());
                 text = std::move(*r);
              } else if (opts->json.empty() || opts->json == "-") {
                 auto r = read_all(io.in, max_json_text_bytes);
                 if (!r)
                    return fail(io.err, "stdin: " + r.error());
                 text = std::move(*r);
              } else {
                 text = opts->json;
              }
              return encoder(*opts, forced, io).run(text);
           }};
}

} // namespace msgcraft
