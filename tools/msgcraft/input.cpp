#include "input.hpp"

#include "codec/file_input.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <map>

namespace msgcraft {

namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

int nibble(unsigned char c) {
   if (c >= '0' && c <= '9')
      return c - '0';
   if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
   if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
   return -1;
}

bool looks_like_hex(std::string_view text) {
   for (unsigned char c : text)
      if (nibble(c) < 0 && !is_space(c))
         return false;
   return true;
}

std::string describe_char(unsigned char c) {
   if (c >= 0x21 && c < 0x7f)
      return fmt::format("'{}'", static_cast<char>(c));
   return fmt::format("byte 0x{:02x}", c);
}

using core::size_text;

} // namespace

void add_input_options(CLI::App& cmd, input_options& opts) {
   opts.hex_opt = cmd.add_option("--hex", opts.hex, "Input as hex text (whitespace allowed)");
   auto* file = cmd.add_option("--file,-f", opts.file, "Read the input from file F")->type_name("F");
   auto* pos = cmd.add_option("input", opts.file, "Input file, or - for stdin (the default)")->type_name("FILE|-");
   opts.hex_opt->excludes(file)->excludes(pos);
   file->excludes(pos);
   static const std::map<std::string, input_format> formats = {
      {"auto", input_format::auto_detect}, {"hex", input_format::hex}, {"raw", input_format::raw}};
   auto* format = cmd.add_option("--input-format", opts.format,
                  "How to read a file or stdin: hex text, raw bytes, or auto (hex when it holds only hex "
                  "digits and whitespace)")
      ->transform(CLI::CheckedTransformer(formats).description(""))
      ->type_name("auto|hex|raw");
   opts.hex_opt->excludes(format);
}

core::result<std::string> read_all(std::istream& in, std::size_t max_bytes) {
   std::string out;
   char buf[64 * 1024];
   while (in) {
      in.read(buf, sizeof buf);
      const auto n = static_cast<std::size_t>(in.gcount());
      if (n > max_bytes - out.size())
         return core::unexpected{fmt::format("input is larger than the {} limit", size_text(max_bytes))};
      out.append(buf, n);
   }
   if (in.bad())
      return core::unexpected{std::string("read error")};
   return out;
}

core::result<std::vector<uint8_t>> parse_hex_text(std::string_view text) {
   std::vector<uint8_t> out;
   out.reserve(text.size() / 2);
   int high = -1;
   std::size_t high_at = 0;
   for (std::size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (is_space(c))
         continue;
      int v = nibble(c);
      if (v < 0)
         return core::unexpected{fmt::format("invalid hex: {} at character {}", describe_char(c), i)};
      if (high < 0) {
         high = v;
         high_at = i;
      } else {
         out.push_back(static_cast<uint8_t>(high << 4 | v));
         high = -1;
      }
   }
   if (high >= 0)
      return core::unexpected{fmt::format("invalid hex: odd number of digits (a lone digit at character {})", high_at)};
   return out;
}

core::result<std::vector<uint8_t>> read_input(const input_options& opts, std::istream& in) {
   if (opts.hex_opt && opts.hex_opt->count() > 0)
      return parse_hex_text(opts.hex);

   const bool from_stdin = opts.file.empty() || opts.file == "-";
   const std::size_t limit = opts.format == input_format::raw ? max_input_bytes : max_hex_text_bytes;
   auto text = from_stdin ? read_all(in, limit) : core::read_regular_file(opts.file, limit);
   if (!text)
      return core::unexpected{from_stdin ? "stdin: " + text.error() : text.error()};
   const std::string where = from_stdin ? "stdin" : opts.file;

   const bool hex = opts.format == input_format::hex ||
                    (opts.format == input_format::auto_detect && looks_like_hex(*text));
   if (!hex) {
      if (text->size() > max_input_bytes)
         return core::unexpected{
            fmt::format("{}: input is larger than the {} limit", where, size_text(max_input_bytes))};
      return std::vector<uint8_t>(text->begin(), text->end());
   }
   auto bytes = parse_hex_text(*text);
   if (!bytes)
      return core::unexpected{fmt::format("{}: {}", where, bytes.error())};
   if (bytes->size() > max_input_bytes)
      return core::unexpected{fmt::format("{}: input is larger than the {} limit", where, size_text(max_input_bytes))};
   return bytes;
}

core::result<std::string> read_key_argument(const std::string& arg, std::istream& in) {
   std::string text = arg;
   if (arg == "-") {
      auto r = read_all(in, max_key_text_bytes);
      if (!r)
         return core::unexpected{fmt::format("stdin: {}", r.error())};
      text = std::move(*r);
   }
   std::size_t b = 0, e = text.size();
   while (b < e && is_space(static_cast<unsigned char>(text[b])))
      ++b;
   while (e > b && is_space(static_cast<unsigned char>(text[e - 1])))
      --e;
   if (b == e)
      return core::unexpected{std::string(arg == "-" ? "stdin: no key or signature given" : "empty key or signature")};
   return text.substr(b, e - b);
}

} // namespace msgcraft
