#include "send_script.hpp"

#include "input.hpp"
#include "send_input.hpp"

#include "codec/hex.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

namespace msgcraft {

namespace {

/// The raw / setting forms, or nullopt when the line is a message for frame_from_text.
core::result<std::optional<script_item>> special_line(std::string_view line, send_script& script) {
   rapidjson::Document d;
   d.Parse(line.data(), line.size());
   if (d.HasParseError() || !d.IsObject())
      return std::optional<script_item>{};
   if (d.HasMember("raw")) {
      const auto& r = d["raw"];
      if (!r.IsString())
         return core::unexpected{std::string(R"("raw" must be a hex string)")};
      auto bytes = parse_hex_text(std::string_view(r.GetString(), r.GetStringLength()));
      if (!bytes)
         return core::unexpected{"\"raw\": " + bytes.error()};
      if (bytes->empty())
         return core::unexpected{std::string(R"("raw" holds no bytes)")};
      return std::optional<script_item>{script_item{std::move(*bytes), true}};
   }
   if (d.HasMember("send_handshake")) {
      if (d.MemberCount() != 1 || !d["send_handshake"].IsBool())
         return core::unexpected{std::string(R"(a setting line is {"send_handshake": true|false})")};
      script.send_handshake = d["send_handshake"].GetBool();
      return std::optional<script_item>{script_item{}};
   }
   return std::optional<script_item>{};
}

} // namespace

core::result<send_script> script_from_lines(std::string_view text, std::string_view where) {
   send_script out;
   std::size_t start = 0;
   for (std::size_t number = 1; start < text.size(); ++number) {
      auto nl = text.find('\n', start);
      if (nl == std::string_view::npos)
         nl = text.size();
      std::string_view line = text.substr(start, nl - start);
      start = nl + 1;
      const auto first = line.find_first_not_of(" \t\r");
      if (first == std::string_view::npos || line[first] == '#')
         continue;
      const auto error = [&](const std::string& what) {
         return core::unexpected{fmt::format("{} line {}: {}", where, number, what)};
      };
      auto special = special_line(line.substr(first), out);
      if (!special)
         return error(special.error());
      if (*special) {
         if (!(*special)->bytes.empty())
            out.items.push_back(std::move(**special));
         continue;
      }
      auto f = frame_from_text(line);
      if (!f)
         return error(f.error());
      out.items.push_back({std::move(*f), false});
   }
   return out;
}

std::string raw_script_line(const std::vector<uint8_t>& bytes) {
   return fmt::format(R"({{"raw":"{}"}})", core::to_hex(bytes));
}

} // namespace msgcraft
