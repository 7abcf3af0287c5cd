#include "types/devnet.hpp"

#include "codec/codec.hpp"
#include "codec/file_input.hpp"

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

namespace {

/// Adds to `into` every member of `defaults` it lacks, recursing into objects both hold.
void fill_missing(rapidjson::Value& into, const rapidjson::Value& defaults, rapidjson::Document::AllocatorType& a) {
   for (const auto& m : defaults.GetObject()) {
      auto it = into.FindMember(m.name);
      if (it == into.MemberEnd())
         into.AddMember(rapidjson::Value(m.name, a), rapidjson::Value(m.value, a), a);
      else if (it->value.IsObject() && m.value.IsObject())
         fill_missing(it->value, m.value, a);
   }
}

} // namespace

genesis_state nodeos_default_genesis() {
   genesis_state g;
   // Both constants are literals; a parse failure is a programmer bug.
   g.initial_timestamp = time_point::from_string("2018-06-01T12:00:00.000").value();
   g.initial_key = public_key::from_string(devnet_public_key).value();
   return g;
}

result<genesis_state> read_genesis_json(const std::filesystem::path& path) {
   constexpr std::size_t max_bytes = 1u << 20;
   auto text = read_regular_file(path, max_bytes);
   if (!text)
      return unexpected{text.error()};
   rapidjson::Document d;
   d.Parse(text->data(), text->size());
   if (!d.HasParseError() && d.IsObject()) {
      rapidjson::Document defaults;
      defaults.Parse(to_json(nodeos_default_genesis()).c_str());
      fill_missing(d, defaults, d.GetAllocator());
   }
   auto g = d.HasParseError() || !d.IsObject() ? from_json<genesis_state>(*text)
                                               : from_json<genesis_state>(static_cast<const rapidjson::Value&>(d));
   if (!g)
      return unexpected{fmt::format("{}: {}", path.string(), g.error().message())};
   return *g;
}

} // namespace core
