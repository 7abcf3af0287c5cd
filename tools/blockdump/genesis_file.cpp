#include "genesis_file.hpp"

#include "codec/codec.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace blockdump {

core::result<core::genesis_state> read_genesis_json(const std::filesystem::path& path) {
   std::ifstream in(path, std::ios::binary);
   if (!in)
      return core::unexpected{fmt::format("{}: cannot open", path.string())};
   std::ostringstream ss;
   ss << in.rdbuf();
   auto g = core::from_json<core::genesis_state>(ss.str());
   if (!g)
      return core::unexpected{fmt::format("{}: {}", path.string(), g.error().message())};
   return *g;
}

} // namespace blockdump
