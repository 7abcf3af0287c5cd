// The generated Wireshark dissector, run by Debian's tshark on captures of a real session,
// against msgcraft pcap: every frame in the same order each way, and every comparable field
// (integers, enums, strings, names, digests and bytes) with the same value. On port 9876 and,
// through the heuristic, on another port.
#include "recorded_session.hpp"

#include "wireshark/lua_dissector.hpp"

#include "net/messages.hpp"
#include "net/wire_schema.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <regex>

using namespace std::chrono_literals;

namespace {

using core::schema_display;
using core::schema_kind;
using core::schema_node;

/// One frame as a list of (field, value) in layout order.
struct pdu {
   bool to_server = true;
   std::vector<std::pair<std::string, std::string>> fields;
   bool operator==(const pdu&) const = default;
};

std::string xml_unescape(std::string s) {
   static const std::vector<std::pair<std::string, std::string>> entities = {
      {"&quot;", "\""}, {"&apos;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}};
   for (const auto& [from, to] : entities)
      for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
         s.replace(at, from.size(), to);
   return s;
}

bool under_key_or_signature(const std::string& path, const std::vector<std::string>& prefixes) {
   for (const auto& p : prefixes)
      if (path.starts_with(p + "."))
         return true;
   return false;
}

/// The dissector's fields that carry a value both sides print the same way.
struct comparable {
   std::map<std::string, const msgcraft::wireshark::lua_field*> by_abbrev;
   std::vector<std::string> skip; ///< paths of key and signature variants (JSON prints their strings)
   std::vector<msgcraft::wireshark::lua_field> all;

   comparable() : all(msgcraft::wireshark::dissector_fields(core::net_message_schema())) {
      for (const auto& f : all) {
         if (f.role == "index" && (f.node->type_name == "public_key" || f.node->type_name == "signature"))
            skip.push_back(f.path.substr(0, f.path.size() - std::string(".index").size()));
         by_abbrev[f.abbrev] = &f;
      }
   }
   static bool value_kind(const schema_node& n) {
      if (n.display == schema_display::block_timestamp || n.display == schema_display::time_point ||
          n.display == schema_display::time_point_sec)
         return false;
      return n.kind != schema_kind::structure && n.kind != schema_kind::vector && n.kind != schema_kind::optional &&
             n.kind != schema_kind::variant && n.kind != schema_kind::array;
   }
   const msgcraft::wireshark::lua_field* find(const std::string& abbrev) const {
      auto it = by_abbrev.find(abbrev);
      if (it == by_abbrev.end() || it->second->role != "value" || !value_kind(*it->second->node) ||
          under_key_or_signature(it->second->path, skip))
         return nullptr;
      return it->second;
   }
};

const comparable& fields() {
   static const comparable c;
   return c;
}

std::string enum_name(const schema_node& n, uint64_t v) {
   for (const auto& [value, name] : n.enumerators)
      if (value == v)
         return std::string(name);
   return std::to_string(v);
}

/// tshark -T pdml: the antelope PDUs of each packet, with the packet's TCP source port.
std::vector<pdu> from_pdml(const std::string& pdml, uint16_t client_port) {
   static const std::regex name_re(R"re(<field name="([^"]+)")re");
   static const std::regex show_re(R"re( show="([^"]*)")re");
   std::vector<pdu> out;
   uint16_t src_port = 0;
   bool in_pdu = false;
   std::size_t start = 0;
   while (start < pdml.size()) {
      auto nl = pdml.find('\n', start);
      if (nl == std::string::npos)
         nl = pdml.size();
      const std::string line = pdml.substr(start, nl - start);
      start = nl + 1;
      std::smatch m, show;
      if (line.find("<proto name=\"antelope\"") != std::string::npos) {
         in_pdu = true;
         out.push_back({src_port == client_port, {}});
         continue;
      }
      if (in_pdu && line.find("</proto>") != std::string::npos) {
         in_pdu = false;
         continue;
      }
      if (!std::regex_search(line, m, name_re))
         continue;
      const std::string name = m[1];
      if (name == "tcp.srcport" && std::regex_search(line, show, show_re))
         src_port = static_cast<uint16_t>(std::stoul(show[1]));
      if (!in_pdu)
         continue;
      const auto* f = fields().find(name);
      if (!f)
         continue;
      std::regex_search(line, show, show_re);
      const auto& n = *f->node;
      std::string text;
      switch (n.kind) {
      case schema_kind::enumeration: text = enum_name(n, std::stoull(show[1])); break;
      case schema_kind::boolean: text = show[1] == "1" ? "true" : "false"; break;
      case schema_kind::raw_bytes:
      case schema_kind::sized_bytes:
      case schema_kind::bytes: // shown "aa:bb:..."; an empty value shows nothing
         text = show[1];
         std::erase(text, ':');
         break;
      default: text = xml_unescape(show[1]); break;
      }
      out.back().fields.emplace_back(name, text);
   }
   return out;
}

void flatten(const schema_node& n, const std::string& path, const rapidjson::Value& v,
             std::vector<std::pair<std::string, std::string>>& out) {
   switch (n.kind) {
   case schema_kind::structure:
      if (n.type_name == "pair" && v.IsArray()) {
         for (std::size_t i = 0; i < n.fields.size() && i < v.Size(); ++i)
            flatten(*n.fields[i].type, path + "." + std::string(n.fields[i].name), v[static_cast<rapidjson::SizeType>(i)], out);
         return;
      }
      for (const auto& f : n.fields) {
         const std::string name(f.name);
         if (v.IsObject() && v.HasMember(name.c_str()))
            flatten(*f.type, path + "." + name, v[name.c_str()], out);
      }
      return;
   case schema_kind::optional: flatten(*n.element, path, v, out); return;
   case schema_kind::vector:
   case schema_kind::array:
      if (v.IsArray())
         for (const auto& e : v.GetArray())
            flatten(*n.element, path, e, out);
      return;
   case schema_kind::variant:
      if (v.IsArray() && v.Size() == 2 && v[0].IsUint() && v[0].GetUint() < n.fields.size()) {
         const auto& alt = n.fields[v[0].GetUint()];
         flatten(*alt.type, path + "." + std::string(alt.name), v[1], out);
      }
      return;
   default: break;
   }
   const std::string abbrev = "antelope." + path;
   if (!fields().find(abbrev))
      return;
   std::string text;
   if (v.IsString())
      text = v.GetString();
   else if (v.IsBool())
      text = v.GetBool() ? "true" : "false";
   else if (v.IsUint64())
      text = std::to_string(v.GetUint64());
   else if (v.IsInt64())
      text = std::to_string(v.GetInt64());
   out.emplace_back(abbrev, text);
}

/// msgcraft pcap's JSON lines, flattened the same way.
std::vector<pdu> from_msgcraft(const it::run_result& r) {
   std::vector<pdu> out;
   for (const auto& l : r.lines()) {
      auto d = it::parse_object(l);
      REQUIRE(d);
      pdu p;
      p.to_server = it::str_member(*d, "dir") == "c2s";
      const auto which = static_cast<uint32_t>(it::uint_member(*d, "which"));
      const auto* node = core::message_schema(which);
      REQUIRE(node);
      flatten(*node, std::string(core::message_type_name(which)), (*d)["message"], p.fields);
      out.push_back(std::move(p));
   }
   return out;
}

std::string show(const std::vector<std::pair<std::string, std::string>>& fields) {
   std::string out;
   for (const auto& [k, v] : fields)
      out += "\n   " + k + " = " + v.substr(0, 80);
   return out;
}

std::vector<pdu> one_way(const std::vector<pdu>& v, bool to_server) {
   std::vector<pdu> out;
   for (const auto& p : v)
      if (p.to_server == to_server)
         out.push_back(p);
   return out;
}

} // namespace

TEST_CASE("msgcraft wireshark: tshark with the generated dissector reads what msgcraft pcap reads",
          "[integration][wireshark]") {
   if (!std::filesystem::exists(TSHARK_BIN))
      FAIL("tshark is not installed at " TSHARK_BIN " (scripts/install-deps.sh installs it)");
   it::cluster c("wireshark_session");
   const auto sent = it::record_sync_session(c);
   const auto segs = test::tcp_session(sent, 1448, 1000, 5000);
   const auto lua = c.root() / "antelope.lua";
   REQUIRE(it::run_tool(it::msgcraft_bin(), {"wireshark", "-o", lua.string()}).rc == 0);

   struct capture {
      std::string name;
      test::capture_format format;
      test::link_framing framing;
      bool v6;
      uint16_t server_port;
   };
   for (const auto& cap : std::vector<capture>{
           {"pcap, Ethernet, IPv4, port 9876", test::capture_format::pcap, test::link_framing::ethernet, false, 9876},
           {"pcapng, Linux cooked, IPv6, port 9876", test::capture_format::pcapng, test::link_framing::linux_sll, true, 9876},
           {"pcap, VLAN, IPv4, port 19876 (heuristic)", test::capture_format::pcap, test::link_framing::ethernet_vlan,
            false, 19876},
        }) {
      INFO(cap.name);
      const auto client = cap.v6 ? test::tcp_peer::ipv6_loopback_like(2, 45000) : test::tcp_peer::ipv4(10, 1, 1, 2, 45000);
      const auto server = cap.v6 ? test::tcp_peer::ipv6_loopback_like(1, cap.server_port)
                                 : test::tcp_peer::ipv4(10, 1, 1, 1, cap.server_port);
      const auto file = c.root() / "session.cap";
      test::write_capture(file, cap.format, cap.framing, client, server, segs);

      auto ours = it::run_tool(it::msgcraft_bin(), {"pcap", "--any-port", file.string()}, 60s);
      REQUIRE(ours.rc == 0);
      auto shark = it::run_tool(TSHARK_BIN, {"-r", file.string(), "-X", "lua_script:" + lua.string(), "-T", "pdml"}, 120s);
      INFO(shark.err.substr(0, 2000));
      REQUIRE(shark.rc == 0);
      const auto want = from_msgcraft(ours);
      const auto got = from_pdml(shark.out, 45000);
      REQUIRE(want.size() >= 35);
      for (bool dir : {true, false}) {
         INFO("to the server: " << dir);
         const auto w = one_way(want, dir), g = one_way(got, dir);
         REQUIRE(g.size() == w.size());
         std::size_t values = 0;
         for (std::size_t i = 0; i < w.size(); ++i) {
            INFO("frame " << i << "\ntshark:" << show(g[i].fields) << "\nmsgcraft pcap:" << show(w[i].fields));
            CHECK(g[i].fields == w[i].fields);
            values += w[i].fields.size();
         }
         CHECK(values > w.size()); // fields were compared, not only frames
      }
   }
}

TEST_CASE("msgcraft wireshark: the dissector names every field of every message", "[integration][wireshark]") {
   it::scratch_root root("wireshark_fields");
   auto r = it::run_tool(it::msgcraft_bin(), {"wireshark"});
   REQUIRE(r.rc == 0);
   for (uint32_t i = 0; i < core::message_count; ++i)
      CHECK(r.out.find(std::string("[") + std::to_string(i) + "] = {name=\"" + std::string(core::message_type_name(i))) !=
            std::string::npos);
   // go_away reasons by name
   CHECK(r.out.find("[3]=\"wrong_chain\"") != std::string::npos);
   CHECK(r.out.find("[11]=\"authentication\"") != std::string::npos);
   // tshark loads it and lists its fields
   const auto lua = root.path() / "antelope.lua";
   REQUIRE(it::run_tool(it::msgcraft_bin(), {"wireshark", "-o", lua.string()}).rc == 0);
   auto g = it::run_tool(TSHARK_BIN, {"-G", "fields", "-X", "lua_script:" + lua.string()}, 60s);
   REQUIRE(g.rc == 0);
   auto listed = it::run_tool(it::msgcraft_bin(), {"wireshark", "--fields"});
   REQUIRE(listed.lines().size() > 100);
   for (const auto& f : listed.lines())
      CHECK(g.out.find("\t" + f + "\t") != std::string::npos);
}
