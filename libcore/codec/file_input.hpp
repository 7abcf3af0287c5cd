#pragma once
/// Reading a whole input file the way every tool should: only a regular file (a FIFO, a
/// directory or a device named where a file is expected is an error, never a blocking read or
/// an empty input), bounded before anything is allocated, with one-line errors naming the path.
#include "codec/result.hpp"

#include <cstddef>
#include <filesystem>
#include <string>

namespace core {

/// Opens `path` without blocking (a FIFO does not wait for a writer) and checks that it is a
/// regular file. Returns the open descriptor (the caller closes it). Error: "<path>: why".
result<int> open_regular_file(const std::filesystem::path& path);

/// The whole content of the regular file `path`, at most `max_bytes`. Error: "<path>: why"
/// (not a regular file, larger than the limit, an I/O error).
result<std::string> read_regular_file(const std::filesystem::path& path, std::size_t max_bytes);

/// "N MiB", "N KiB" or "N bytes": a limit as the errors print it.
std::string size_text(std::size_t bytes);

} // namespace core
