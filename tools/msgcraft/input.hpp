#pragma once
/// Where msgcraft commands read their input: a --hex argument, a file, or stdin, with hex text
/// told apart from raw bytes, and every read capped before it can exhaust memory.
#include "codec/result.hpp"

#include <CLI/CLI.hpp>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace msgcraft {

/// Largest decoded input read from a file or stdin (a capture of many frames).
inline constexpr std::size_t max_input_bytes = 64 * 1024 * 1024;
/// Largest hex text read: two digits per byte plus room for line breaks.
inline constexpr std::size_t max_hex_text_bytes = 2 * max_input_bytes + 4 * 1024 * 1024;
/// Largest JSON text read by encode (a decoded capture: hex bytes, plus each transaction twice).
inline constexpr std::size_t max_json_text_bytes = 256 * 1024 * 1024;
/// Largest key or signature text read from stdin.
inline constexpr std::size_t max_key_text_bytes = 4096;

enum class input_format { auto_detect, hex, raw };

/// Options of a command that reads bytes: `--hex HEX | --file F | [FILE|-]`, `--input-format`.
struct input_options {
   std::string hex;
   std::string file; ///< --file or the positional; "-" or unset: stdin
   input_format format = input_format::auto_detect;
   CLI::Option* hex_opt = nullptr;
};

/// Registers the input options on `cmd` (the three sources exclude each other).
void add_input_options(CLI::App& cmd, input_options& opts);

/// Reads the whole input and decodes hex text (`auto`: text made only of hex digits and
/// whitespace is hex, anything else raw bytes). Error: one line saying what and where.
core::result<std::vector<uint8_t>> read_input(const input_options& opts, std::istream& in);

/// Hex digits with any ASCII whitespace between them (line breaks, spaces).
core::result<std::vector<uint8_t>> parse_hex_text(std::string_view text);

/// Reads all of `in`; fails when it holds more than max_bytes.
core::result<std::string> read_all(std::istream& in, std::size_t max_bytes);

/// A key, secret or signature argument: the text itself, or one line from `in` when it is "-"
/// (keeps secrets out of the process list). Surrounding whitespace is removed.
core::result<std::string> read_key_argument(const std::string& arg, std::istream& in);

} // namespace msgcraft
