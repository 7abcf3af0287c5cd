#include "types/devnet.hpp"

#include "codec/codec.hpp"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <fstream>

namespace core {

genesis_state devnet_genesis() {
   genesis_state g;
   // Both constants are literals checked by the devnet tests; a parse failure is a programmer bug.
   g.initial_timestamp = time_point::from_string(devnet_initial_timestamp).value();
   g.initial_key = public_key::from_string(devnet_public_key).value();
   return g;
}

std::string to_genesis_json(const genesis_state& g) {
   rapidjson::Document d;
   d.Parse(to_json(g).c_str());
   rapidjson::StringBuffer sb;
   rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
   w.SetIndent(' ', 2);
   d.Accept(w);
   return std::string(sb.GetString(), sb.GetSize()) + "\n";
}

result<bool> write_genesis_json(const genesis_state& g, const std::filesystem::path& path) {
   std::ofstream out(path, std::ios::binary | std::ios::trunc);
   if (!out)
      return unexpected{fmt::format("{}: cannot create", path.string())};
   out << to_genesis_json(g);
   out.flush();
   if (!out)
      return unexpected{fmt::format("{}: write failed", path.string())};
   return true;
}

result<genesis_state> read_genesis_json(const std::filesystem::path& path) {
   constexpr std::size_t max_bytes = 1u << 20;
   std::ifstream in(path, std::ios::binary);
   if (!in)
      return unexpected{fmt::format("{}: cannot open", path.string())};
   std::string text(max_bytes + 1, '\0');
   in.read(text.data(), static_cast<std::streamsize>(text.size()));
   text.resize(static_cast<std::size_t>(in.gcount()));
   if (text.size() > max_bytes)
      return unexpected{fmt::format("{}: larger than {} bytes", path.string(), max_bytes)};
   auto g = from_json<genesis_state>(text);
   if (!g)
      return unexpected{fmt::format("{}: {}", path.string(), g.error().message())};
   return *g;
}

} // namespace core
