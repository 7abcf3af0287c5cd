#include "wireshark/lua_dissector.hpp"

#include "codec/limits.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

namespace msgcraft::wireshark {

namespace {

using core::schema_display;
using core::schema_kind;
using core::schema_node;

constexpr std::string_view protocol = "antelope";

/// The walk over the schema that both the fields and the interpreter follow.
class field_collector {
public:
   void message(std::string_view name, const schema_node& n) { walk(n, std::string(name)); }
   std::vector<lua_field> fields;

private:
   void add(const std::string& path, const schema_node& n, std::string_view role) {
      const std::string abbrev = fmt::format("{}.{}", protocol, path);
      if (!seen_.insert(abbrev).second)
         return;
      fields.push_back({abbrev, path, &n, std::string(role)});
   }
   void walk(const schema_node& n, const std::string& path) {
      switch (n.kind) {
      case schema_kind::structure:
         add(path, n, "struct");
         for (const auto& f : n.fields)
            walk(*f.type, path + "." + std::string(f.name));
         return;
      case schema_kind::vector:
         add(path + ".count", n, "count");
         walk(*n.element, path);
         return;
      case schema_kind::optional:
         add(path + ".present", n, "present");
         walk(*n.element, path);
         return;
      case schema_kind::variant:
         add(path + ".index", n, "index");
         for (std::size_t i = 0; i < n.fields.size(); ++i)
            walk(*n.fields[i].type, path + "." + alternative_name(n, i));
         return;
      case schema_kind::array: walk(*n.element, path); return;
      default: add(path, n, "value"); return;
      }
   }
   std::set<std::string> seen_;

public:
   static std::string alternative_name(const schema_node& n, std::size_t i) {
      return n.fields[i].name.empty() ? fmt::format("alt{}", i) : std::string(n.fields[i].name);
   }
};

std::string lua_string(std::string_view s) {
   std::string out = "\"";
   for (char c : s) {
      if (c == '"' || c == '\\')
         out += '\\';
      out += c;
   }
   return out + "\"";
}

std::string last_component(const std::string& path) {
   const auto dot = path.rfind('.');
   return dot == std::string::npos ? path : path.substr(dot + 1);
}

std::string value_string(const std::vector<std::pair<uint64_t, std::string>>& names) {
   std::string out = "{";
   for (const auto& [v, n] : names)
      out += fmt::format("[{}]={},", v, lua_string(n));
   return out + "}";
}

/// The ProtoField constructor of one field.
std::string proto_field(const lua_field& f) {
   const auto& n = *f.node;
   const auto abbrev = lua_string(f.abbrev);
   const auto label = lua_string(f.role == "value" || f.role == "struct" ? last_component(f.path)
                                                                         : last_component(f.path.substr(0, f.path.rfind('.'))) +
                                                                              " " + f.role);
   if (f.role == "struct")
      return fmt::format("ProtoField.none({}, {})", abbrev, label);
   if (f.role == "count")
      return fmt::format("ProtoField.uint32({}, {}, base.DEC)", abbrev, label);
   if (f.role == "present")
      return fmt::format("ProtoField.uint8({}, {}, base.DEC, {{[0]=\"absent\",[1]=\"present\"}})", abbrev, label);
   if (f.role == "index") {
      std::vector<std::pair<uint64_t, std::string>> names;
      for (std::size_t i = 0; i < n.fields.size(); ++i)
         names.emplace_back(i, field_collector::alternative_name(n, i));
      return fmt::format("ProtoField.uint32({}, {}, base.DEC, {})", abbrev, label, value_string(names));
   }
   switch (n.kind) {
   case schema_kind::integer:
   case schema_kind::enumeration: {
      if (n.display == schema_display::name)
         return fmt::format("ProtoField.string({}, {})", abbrev, label);
      const auto type = fmt::format("{}int{}", n.is_signed ? "" : "u", 8 * n.width);
      if (n.kind == schema_kind::enumeration) {
         std::vector<std::pair<uint64_t, std::string>> names;
         for (const auto& [v, name] : n.enumerators)
            names.emplace_back(v, std::string(name));
         return fmt::format("ProtoField.{}({}, {}, base.DEC, {})", type, abbrev, label, value_string(names));
      }
      return fmt::format("ProtoField.{}({}, {}, base.DEC)", type, abbrev, label);
   }
   case schema_kind::boolean:
      return fmt::format("ProtoField.uint8({}, {}, base.DEC, {{[0]=\"false\",[1]=\"true\"}})", abbrev, label);
   case schema_kind::varuint32: return fmt::format("ProtoField.uint32({}, {}, base.DEC)", abbrev, label);
   case schema_kind::varint32: return fmt::format("ProtoField.int32({}, {}, base.DEC)", abbrev, label);
   case schema_kind::string: return fmt::format("ProtoField.string({}, {})", abbrev, label);
   default: return fmt::format("ProtoField.bytes({}, {})", abbrev, label);
   }
}

std::string_view kind_code(const schema_node& n) {
   switch (n.kind) {
   case schema_kind::integer: return "int";
   case schema_kind::enumeration: return "enum";
   case schema_kind::boolean: return "bool";
   case schema_kind::varuint32: return "varuint";
   case schema_kind::varint32: return "varint";
   case schema_kind::string: return "string";
   case schema_kind::bytes: return "bytes";
   case schema_kind::raw_bytes: return "raw";
   case schema_kind::sized_bytes: return "sized";
   case schema_kind::structure: return "struct";
   case schema_kind::vector: return "vector";
   case schema_kind::optional: return "optional";
   case schema_kind::variant: return "variant";
   case schema_kind::array: return "array";
   }
   return "raw";
}

std::string_view display_code(schema_display d) {
   switch (d) {
   case schema_display::name: return "name";
   case schema_display::block_timestamp: return "block_timestamp";
   case schema_display::time_point: return "time_point";
   case schema_display::time_point_sec: return "time_point_sec";
   default: return "plain";
   }
}

/// N[id] = {...} for every node reachable from `root`, ids from 1.
class node_table {
public:
   int id(const schema_node& n) {
      if (auto it = ids_.find(&n); it != ids_.end())
         return it->second;
      const int me = static_cast<int>(ids_.size()) + 1;
      ids_.emplace(&n, me);
      std::string children;
      if (n.kind == schema_kind::structure || n.kind == schema_kind::variant)
         for (std::size_t i = 0; i < n.fields.size(); ++i) {
            const std::string name = n.kind == schema_kind::variant ? field_collector::alternative_name(n, i)
                                                                    : std::string(n.fields[i].name);
            children += fmt::format("{{n={},t={}}},", lua_string(name), id(*n.fields[i].type));
         }
      std::string entry = fmt::format("N[{}]={{k=\"{}\"", me, kind_code(n));
      if (n.width)
         entry += fmt::format(",w={}", n.width);
      if (n.is_signed)
         entry += ",s=true";
      if (n.size)
         entry += fmt::format(",size={}", n.size);
      if (n.display != schema_display::plain && n.display != schema_display::hex)
         entry += fmt::format(",d=\"{}\"", display_code(n.display));
      if (n.element)
         entry += fmt::format(",el={}", id(*n.element));
      if (!children.empty())
         entry += ",ch={" + children + "}";
      entries_.push_back(entry + "}");
      return me;
   }
   const std::vector<std::string>& entries() const { return entries_; }

private:
   std::map<const schema_node*, int> ids_;
   std::vector<std::string> entries_;
};

/// The interpreter: lays a frame out by the node table, adding one tree item per value.
constexpr std::string_view runtime = R"LUA(
local NAME_CHARS = ".12345abcdefghijklmnopqrstuvwxyz"
local function name_string(v)
   local s, tmp = {}, v
   for i = 0, 12 do
      local c
      if i == 0 then
         c = tmp:band(0x0f):tonumber()
         tmp = tmp:rshift(4)
      else
         c = tmp:band(0x1f):tonumber()
         tmp = tmp:rshift(5)
      end
      s[13 - i] = NAME_CHARS:sub(c + 1, c + 1)
   end
   return (table.concat(s):gsub("%.+$", ""))
end

local function iso(secs, frac)
   return os.date("!%Y-%m-%dT%H:%M:%S", secs) .. frac
end

local function varuint(tvb, off)
   local v, mul = 0, 1
   for i = 0, 4 do
      if off + i >= tvb:len() then return nil end
      local b = tvb(off + i, 1):uint()
      if i == 4 and b > 0x0f then return nil end
      v = v + (b % 128) * mul
      if b < 128 then return v, i + 1 end
      mul = mul * 128
   end
   return nil
end

local walk
walk = function(id, tvb, off, tree, path)
   local n = N[id]
   local k = n.k
   local len = tvb:len()
   if k == "int" or k == "enum" then
      if off + n.w > len then return nil, "truncated" end
      local r = tvb(off, n.w)
      if n.d == "name" then
         tree:add(F[path], r, name_string(r:le_uint64()))
      else
         local item = tree:add_le(F[path], r)
         if n.d == "block_timestamp" then
            local slot = r:le_uint()
            item:append_text(" (" .. iso(946684800 + math.floor(slot / 2), slot % 2 == 0 and ".000" or ".500") .. ")")
         elseif n.d == "time_point_sec" then
            item:append_text(" (" .. iso(r:le_uint(), "") .. ")")
         elseif n.d == "time_point" then
            local us = r:le_int64():tonumber()
            item:append_text(" (" .. iso(math.floor(us / 1000000), string.format(".%03d", math.floor(us / 1000) % 1000)) .. ")")
         end
      end
      return off + n.w
   elseif k == "bool" then
      if off + 1 > len then return nil, "truncated" end
      tree:add(F[path], tvb(off, 1))
      if tvb(off, 1):uint() > 1 then return nil, "a bool other than 0 or 1" end
      return off + 1
   elseif k == "varuint" or k == "varint" then
      local v, used = varuint(tvb, off)
      if not v then return nil, "bad varuint" end
      if k == "varint" then v = (v % 2 == 0) and v / 2 or -(v + 1) / 2 end
      tree:add(F[path], tvb(off, used), v)
      return off + used
   elseif k == "string" or k == "bytes" or k == "sized" then
      local l, used = varuint(tvb, off)
      if not l then return nil, "bad length" end
      if k == "sized" and l ~= n.size then return nil, "length " .. l .. " instead of " .. n.size end
      if off + used + l > len then return nil, "truncated" end
      tree:add(F[path], tvb(off + used, l)) -- may be empty
      return off + used + l
   elseif k == "raw" then
      if off + n.size > len then return nil, "truncated" end
      tree:add(F[path], tvb(off, n.size))
      return off + n.size
   elseif k == "struct" then
      if off >= len then return nil, "truncated" end
      local sub = tree:add(F[path], tvb(off))
      local o = off
      for _, c in ipairs(n.ch) do
         local err
         o, err = walk(c.t, tvb, o, sub, path .. "." .. c.n)
         if not o then return nil, err end
      end
      sub:set_len(o - off)
      return o
   elseif k == "vector" then
      local count, used = varuint(tvb, off)
      if not count then return nil, "bad count" end
      local sub = tree:add(F[path .. ".count"], tvb(off, used), count)
      if count > len - off - used then return nil, "count " .. count .. " beyond the message" end
      local o = off + used
      for _ = 1, count do
         local err
         o, err = walk(n.el, tvb, o, sub, path)
         if not o then return nil, err end
      end
      sub:set_len(o - off)
      return o
   elseif k == "optional" then
      if off + 1 > len then return nil, "truncated" end
      local present = tvb(off, 1):uint()
      local sub = tree:add(F[path .. ".present"], tvb(off, 1))
      if present > 1 then return nil, "an optional flag other than 0 or 1" end
      if present == 0 then return off + 1 end
      local o, err = walk(n.el, tvb, off + 1, sub, path)
      if not o then return nil, err end
      sub:set_len(o - off)
      return o
   elseif k == "variant" then
      local index, used = varuint(tvb, off)
      if not index then return nil, "bad variant index" end
      local sub = tree:add(F[path .. ".index"], tvb(off, used), index)
      local alt = n.ch[index + 1]
      if not alt then return nil, "unknown variant index " .. index end
      local o, err = walk(alt.t, tvb, off + used, sub, path .. "." .. alt.n)
      if not o then return nil, err end
      sub:set_len(o - off)
      return o
   elseif k == "array" then
      local o = off
      for _ = 1, n.size do
         local err
         o, err = walk(n.el, tvb, o, tree, path)
         if not o then return nil, err end
      end
      return o
   end
   return nil, "unknown node kind"
end

local ef_malformed = ProtoExpert.new("antelope.malformed", "Malformed Antelope message", expert.group.MALFORMED,
                                     expert.severity.ERROR)
proto.experts = { ef_malformed }

local last_info_frame = -1 -- the packet whose Info column lists the messages so far

local function dissect_pdu(tvb, pinfo, tree)
   local root = tree:add(proto, tvb())
   local length = tvb(0, 4):le_uint()
   root:add_le(F["length"], tvb(0, 4))
   if length == 0 or length > MAX_MESSAGE_BYTES then
      root:add_proto_expert_info(ef_malformed, "frame length " .. length .. " (must be 1.." .. MAX_MESSAGE_BYTES .. ")")
      return tvb:len()
   end
   local payload = tvb(4):tvb()
   local which, used = varuint(payload, 0)
   if not which then
      root:add_proto_expert_info(ef_malformed, "bad message index")
      return tvb:len()
   end
   root:add(F["which"], payload(0, used), which)
   local m = MESSAGES[which]
   if not m then
      root:add_proto_expert_info(ef_malformed, "unknown message index " .. which)
      return tvb:len()
   end
   root:append_text(", " .. m.name)
   if last_info_frame == pinfo.number then
      pinfo.cols.info:append(", " .. m.name)
   else
      pinfo.cols.info:set(m.name)
      last_info_frame = pinfo.number
   end
   local o, err = walk(m.node, payload, used, root, m.name)
   if not o then
      root:add_proto_expert_info(ef_malformed, m.name .. ": " .. err)
   elseif o ~= payload:len() then
      root:add_proto_expert_info(ef_malformed, m.name .. ": " .. (payload:len() - o) .. " bytes after the message")
   end
   return tvb:len()
end

local function pdu_length(tvb, pinfo, off)
   local length = tvb(off, 4):le_uint()
   if length == 0 or length > MAX_MESSAGE_BYTES then
      return tvb:len() - off -- not a frame: show the rest as one malformed piece
   end
   return length + 4
end

function proto.dissector(tvb, pinfo, tree)
   pinfo.cols.protocol = "ANTELOPE"
   dissect_tcp_pdus(tvb, tree, 4, pdu_length, dissect_pdu, true)
   return tvb:len()
end

-- Any port: a connection whose first segment opens with a handshake (index 0) of a plausible
-- network_version (1205..1311) is this protocol from then on.
local function heuristic(tvb, pinfo, tree)
   if tvb:len() < 7 then return false end
   local length = tvb(0, 4):le_uint()
   if length < 3 or length > MAX_MESSAGE_BYTES then return false end
   if tvb(4, 1):uint() ~= 0 then return false end
   local version = tvb(5, 2):le_uint()
   if version < 1205 or version > 1311 then return false end
   pinfo.conversation = proto
   proto.dissector(tvb, pinfo, tree)
   return true
end

proto:register_heuristic("tcp", heuristic)
DissectorTable.get("tcp.port"):add(DEFAULT_PORT, proto)
)LUA";

} // namespace

std::vector<lua_field> dissector_fields(const schema_node& net_message) {
   field_collector c;
   for (std::size_t i = 0; i < net_message.fields.size(); ++i)
      c.message(net_message.fields[i].name, *net_message.fields[i].type);
   return std::move(c.fields);
}

std::string generate_dissector(const schema_node& net_message, std::string_view version) {
   std::string out;
   out += fmt::format(
      "-- Wireshark dissector for the EOS/Antelope p2p protocol (net_plugin: Leap 5, Spring 1.x),\n"
      "-- generated by `msgcraft wireshark` (msgcraft {}) from the type table its codec uses.\n"
      "-- Do not edit: generate it again. Install: copy it to ~/.local/lib/wireshark/plugins/,\n"
      "-- or run `wireshark -X lua_script:antelope.lua` / `tshark -X lua_script:antelope.lua`.\n"
      "-- Reads TCP port 9876, and any port whose connection opens with a handshake.\n\n",
      version);
   out += fmt::format("local proto = Proto(\"{}\", \"Antelope P2P (net_plugin) {}\")\n", protocol, version);
   out += fmt::format("local MAX_MESSAGE_BYTES = {}\nlocal DEFAULT_PORT = 9876\n", core::limits::max_message_bytes);
   out += "local F = {}\nlocal fields = {}\n";
   out += "local function field(path, f) F[path] = f; fields[#fields + 1] = f end\n";
   std::vector<std::pair<uint64_t, std::string>> message_names;
   for (std::size_t i = 0; i < net_message.fields.size(); ++i)
      message_names.emplace_back(i, std::string(net_message.fields[i].name));
   out += fmt::format("field(\"length\", ProtoField.uint32(\"{}.length\", \"length\", base.DEC))\n", protocol);
   out += fmt::format("field(\"which\", ProtoField.uint32(\"{}.which\", \"message\", base.DEC, {}))\n", protocol,
                      value_string(message_names));
   for (const auto& f : dissector_fields(net_message))
      out += fmt::format("field({}, {})\n", lua_string(f.path), proto_field(f));
   out += "proto.fields = fields\n\nlocal N = {}\n";
   node_table nodes;
   std::string messages = "local MESSAGES = {\n";
   for (std::size_t i = 0; i < net_message.fields.size(); ++i)
      messages += fmt::format("   [{}] = {{name={}, node={}}},\n", i, lua_string(net_message.fields[i].name),
                              nodes.id(*net_message.fields[i].type));
   for (const auto& e : nodes.entries())
      out += e + "\n";
   out += messages + "}\n";
   out += runtime;
   return out;
}

} // namespace msgcraft::wireshark
