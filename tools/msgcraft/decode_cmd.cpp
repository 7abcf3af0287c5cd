// msgcraft decode: a stream of frames, or one unframed object of --type, to JSON.
#include "commands.hpp"
#include "input.hpp"
#include "send_input.hpp"

#include "codec/codec.hpp"
#include "net/frame.hpp"
#include "net/type_table.hpp"

#include <fmt/format.h>

#include <cstring>
#include <memory>
#include <ostream>

namespace msgcraft {

namespace {

struct decode_options {
   input_options input;
   std::string type;
   bool pretty = false;
};

void write_line(std::ostream& out, const std::string& json, bool pretty) {
   out << (pretty ? pretty_json(json) : json) << '\n';
}

int frame_failure(std::ostream& err, std::size_t frame_number, std::size_t frame_offset, const core::decode_error& e) {
   return fail(err, fmt::format("frame {} at byte {}: {}", frame_number, frame_offset, e.message()));
}

/// {"which": N, "type": "...", "size": payload bytes, "message": {...}}
std::string frame_json(const core::frame_decoder::frame& f, const core::net_message& msg) {
   rapidjson::StringBuffer sb;
   core::json_output_archive::writer_type w(sb);
   w.StartObject();
   write_frame_fields(w, f.which, f.payload.size(), msg);
   w.EndObject();
   return std::string(sb.GetString(), sb.GetSize());
}

/// Frames are numbered from 1, byte offsets from 0; frames before a failure are printed.
int decode_stream(std::span<const uint8_t> bytes, bool pretty, const streams& io) {
   core::frame_decoder fd;
   fd.feed(bytes);
   std::size_t number = 0;
   for (;;) {
      auto next = fd.next();
      if (!next)
         return frame_failure(io.err, number + 1, fd.consumed(), next.error());
      if (!next->has_value())
         break;
      const auto& f = **next;
      ++number;
      auto msg = core::decode_payload(f.payload);
      if (!msg) {
         core::decode_error e = msg.error();
         e.offset += f.offset + core::frame_header_bytes;
         return frame_failure(io.err, number, f.offset, e);
      }
      write_line(io.out, frame_json(f, *msg), pretty);
   }
   if (fd.buffered() != 0) {
      const std::size_t start = fd.consumed();
      std::string detail;
      if (fd.buffered() < core::frame_header_bytes) {
         detail = fmt::format("stream ends {} bytes into the 4-byte length prefix", fd.buffered());
      } else {
         uint32_t len = 0;
         std::memcpy(&len, bytes.data() + start, sizeof len);
         detail = fmt::format("stream ends after {} of the frame's {} payload bytes",
                              fd.buffered() - core::frame_header_bytes, len);
      }
      return frame_failure(io.err, number + 1, start, core::decode_error{core::decode_errc::truncated, bytes.size(), "", detail});
   }
   return exit_ok;
}

int decode_object(const core::wire_type& type, std::span<const uint8_t> bytes, bool pretty, const streams& io) {
   auto json = type.bytes_to_json(bytes);
   if (!json)
      return fail(io.err, fmt::format("{}: {}", type.name, json.error().message()));
   write_line(io.out, *json, pretty);
   return exit_ok;
}

} // namespace

command add_decode_command(CLI::App& app, const streams& io) {
   auto opts = std::make_shared<decode_options>();
   auto* cmd = app.add_subcommand("decode", "Decode frames (or one object of --type) to JSON, one line each");
   add_input_options(*cmd, opts->input);
   add_type_option(*cmd, opts->type)->description(
      "Decode one unframed object of this type instead of a stream of frames");
   cmd->add_flag("--pretty", opts->pretty, "Indent the JSON");
   return {cmd, [opts, &io] {
              auto bytes = read_input(opts->input, io.in);
              if (!bytes)
                 return fail(io.err, bytes.error());
              if (opts->type.empty())
                 return decode_stream(*bytes, opts->pretty, io);
              return decode_object(*core::find_wire_type(opts->type), *bytes, opts->pretty, io);
           }};
}

} // namespace msgcraft
