#include "send_input.hpp"

#include "input.hpp"

#include "codec/byte_writer.hpp"
#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "net/frame.hpp"
#include "net/type_table.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <ctime>

namespace msgcraft {

namespace {

using writer = core::json_output_archive::writer_type;

void key_string(writer& w, std::string_view key, std::string_view value) {
   w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
   w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void start_line(writer& w, std::chrono::system_clock::time_point t) {
   w.StartObject();
   key_string(w, "t", iso8601_ms(t));
}

std::string finish(writer& w, rapidjson::StringBuffer& sb) {
   w.EndObject();
   return std::string(sb.GetString(), sb.GetSize());
}

core::result<std::vector<uint8_t>> frame_from_json(std::string_view text) {
   rapidjson::Document d;
   d.Parse(text.data(), text.size());
   if (d.HasParseError())
      return core::unexpected{fmt::format("invalid JSON: {} at character {}", rapidjson::GetParseError_En(d.GetParseError()),
                                          d.GetErrorOffset())};
   if (!d.IsObject() || !d.HasMember("type") || !d.HasMember("message"))
      return core::unexpected{std::string(R"(a JSON message needs "type" and "message", as msgcraft decode prints)")};
   const auto& t = d["type"];
   const core::wire_type* type =
      t.IsString() ? core::find_wire_type(std::string_view(t.GetString(), t.GetStringLength())) : nullptr;
   if (!type || !type->is_message())
      return core::unexpected{std::string(R"("type" is not a net message name)")};
   auto body = type->json_to_bytes(d["message"]);
   if (!body)
      return core::unexpected{fmt::format("{}: {}", type->name, body.error().message())};
   core::byte_writer payload;
   payload.write_varuint32(static_cast<uint32_t>(type->message_index));
   payload.write(*body);
   return core::frame_payload(payload.bytes());
}

core::result<std::vector<uint8_t>> frame_from_hex(std::string_view text) {
   auto bytes = parse_hex_text(text);
   if (!bytes)
      return bytes;
   core::frame_decoder fd;
   fd.feed(*bytes);
   auto f = fd.next();
   if (!f)
      return core::unexpected{"not a frame: " + f.error().message()};
   if (!f->has_value())
      return core::unexpected{fmt::format("not a complete frame ({} bytes); use --raw-hex to send it anyway",
                                          bytes->size())};
   if (fd.buffered() != 0)
      return core::unexpected{fmt::format("{} bytes after the frame; give one frame per argument or line",
                                          fd.buffered())};
   if (auto m = core::decode_payload((*f)->payload); !m) {
      core::decode_error e = m.error();
      e.offset += core::frame_header_bytes;
      return core::unexpected{"frame does not decode: " + e.message() + "; use --raw-hex to send it anyway"};
   }
   return bytes;
}

} // namespace

core::result<std::vector<uint8_t>> frame_from_text(std::string_view text) {
   std::size_t b = 0;
   while (b < text.size() && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r' || text[b] == '\n'))
      ++b;
   if (b == text.size())
      return core::unexpected{std::string("empty message")};
   return text[b] == '{' ? frame_from_json(text) : frame_from_hex(text);
}

std::string iso8601_ms(std::chrono::system_clock::time_point t) {
   using namespace std::chrono;
   const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
   const auto secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
   const auto frac = ms - static_cast<int64_t>(secs) * 1000;
   std::tm tm{};
   gmtime_r(&secs, &tm);
   return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                      tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

std::string frame_line(std::chrono::system_clock::time_point t, std::string_view dir, uint32_t which,
                       std::size_t payload_size, const core::net_message& msg, bool automatic) {
   rapidjson::StringBuffer sb;
   writer w(sb);
   start_line(w, t);
   key_string(w, "dir", dir);
   if (automatic) {
      w.Key("auto");
      w.Bool(true);
   }
   write_frame_fields(w, which, payload_size, msg);
   return finish(w, sb);
}

void write_frame_fields(writer& w, uint32_t which, std::size_t payload_size, const core::net_message& msg) {
   w.Key("which");
   w.Uint(which);
   key_string(w, "type", core::message_type_name(which));
   w.Key("size");
   w.Uint64(payload_size);
   w.Key("message");
   std::visit([&](const auto& m) { core::to_json(w, m); }, msg);
}

std::string raw_line(std::chrono::system_clock::time_point t, std::span<const uint8_t> bytes) {
   rapidjson::StringBuffer sb;
   writer w(sb);
   start_line(w, t);
   key_string(w, "dir", "out");
   key_string(w, "raw", core::to_hex(bytes));
   w.Key("size");
   w.Uint64(bytes.size());
   return finish(w, sb);
}

std::string error_line(std::chrono::system_clock::time_point t, std::string_view what, std::size_t offset) {
   rapidjson::StringBuffer sb;
   writer w(sb);
   start_line(w, t);
   key_string(w, "dir", "in");
   key_string(w, "error", what);
   w.Key("offset");
   w.Uint64(offset);
   return finish(w, sb);
}

std::string event_line(std::chrono::system_clock::time_point t, std::string_view event, std::string_view reason) {
   rapidjson::StringBuffer sb;
   writer w(sb);
   start_line(w, t);
   key_string(w, "event", event);
   key_string(w, "reason", reason);
   return finish(w, sb);
}

} // namespace msgcraft
