// The wire schema read from serialize() and the walk that lays bytes out by it: every framed
// golden vector lays out completely with consistent spans, field names and paths are the
// codec's, and bad input stops the walk where decoding would fail.
#include "codec/codec.hpp"
#include "codec/hex.hpp"
#include "codec/schema_walk.hpp"
#include "net/frame.hpp"
#include "net/messages.hpp"
#include "net/type_table.hpp"
#include "net/wire_schema.hpp"

#include "support/golden.hpp"

#include <catch2/catch.hpp>

using namespace core;

namespace {

std::vector<uint8_t> payload_of(const test::golden_vector& g) {
   auto framed = *from_hex(g.framed_hex());
   return {framed.begin() + frame_header_bytes, framed.end()};
}

/// Every span lies inside its parent and a structure's fields tile it exactly.
void check_tiling(const wire_walk& w) {
   for (std::size_t i = 0; i < w.spans.size(); ++i) {
      const auto& s = w.spans[i];
      if (s.parent == wire_span::no_parent)
         continue;
      const auto& p = w.spans[s.parent];
      INFO(w.path(i));
      CHECK(s.offset >= p.offset + p.prefix_size);
      CHECK(s.offset + s.size <= p.offset + p.size);
   }
   for (std::size_t i = 0; i < w.spans.size(); ++i) {
      const auto& s = w.spans[i];
      std::size_t next = s.offset + s.prefix_size;
      if (s.node->kind == schema_kind::integer || s.node->kind == schema_kind::string ||
          s.node->kind == schema_kind::bytes || s.node->kind == schema_kind::raw_bytes ||
          s.node->kind == schema_kind::sized_bytes || s.node->kind == schema_kind::boolean ||
          s.node->kind == schema_kind::varuint32 || s.node->kind == schema_kind::enumeration)
         continue;
      for (std::size_t j = i + 1; j < w.spans.size(); ++j) {
         if (w.spans[j].parent != i)
            continue;
         CHECK(w.spans[j].offset == next);
         next = w.spans[j].offset + w.spans[j].size;
      }
      INFO(w.path(i));
      CHECK(next == s.offset + s.size);
   }
}

std::size_t find_path(const wire_walk& w, const std::string& path) {
   for (std::size_t i = 0; i < w.spans.size(); ++i)
      if (w.path(i) == path)
         return i;
   return w.spans.size();
}

} // namespace

TEST_CASE("wire_schema: every framed golden message lays out completely", "[net]") {
   std::size_t seen = 0;
   for (const auto& g : test::golden()) {
      if (g.framed_hex().empty())
         continue;
      INFO(g.name);
      const auto payload = payload_of(g);
      REQUIRE(decode_payload(payload)); // the vector is a valid message
      auto w = walk_wire(net_message_schema(), payload);
      CHECK(w.complete);
      CHECK(w.error.code == decode_errc::ok);
      REQUIRE(!w.spans.empty());
      CHECK(w.spans[0].size == payload.size());
      check_tiling(w);
      ++seen;
   }
   CHECK(seen >= 60);
}

TEST_CASE("wire_schema: fields are the codec's, in serialize() order", "[net]") {
   const auto& h = *message_schema(0);
   REQUIRE(h.kind == schema_kind::structure);
   std::vector<std::string> names;
   for (const auto& f : h.fields)
      names.emplace_back(f.name);
   CHECK(names == std::vector<std::string>{"network_version", "chain_id", "node_id", "key", "time", "token", "sig",
                                           "p2p_address", "last_irreversible_block_num",
                                           "last_irreversible_block_id", "head_num", "head_id", "os", "agent",
                                           "generation"});
   CHECK(h.fields[0].type->kind == schema_kind::integer);
   CHECK(h.fields[0].type->width == 2);
   CHECK(h.fields[3].type->kind == schema_kind::variant);
   CHECK(h.fields[3].type->type_name == "public_key");
   CHECK(h.fields[3].type->fields.size() == 3);
   CHECK(h.fields[3].type->fields[0].type->size == 33);
   CHECK(h.fields[6].type->fields[0].type->size == 65);
   CHECK(h.fields[14].type->is_signed);

   const auto& go = *message_schema(2);
   REQUIRE(go.fields[0].type->kind == schema_kind::enumeration);
   CHECK(go.fields[0].type->width == 4);
   CHECK(go.fields[0].type->enumerators.size() == 12);
   CHECK(go.fields[0].type->enumerators[11].second == "authentication");

   // signed_block: the base classes' fields come first, flattened.
   const auto& b = *message_schema(7);
   CHECK(b.fields.front().name == "timestamp");
   CHECK(b.fields.front().type->display == schema_display::block_timestamp);
   CHECK(b.fields[1].type->display == schema_display::name);
   CHECK(b.fields[9].name == "producer_signature");
   CHECK(b.fields.back().name == "block_extensions");

   const auto& v = *message_schema(9);
   CHECK(v.fields[1].type->kind == schema_kind::boolean);
   CHECK(v.fields[2].type->kind == schema_kind::sized_bytes);
   CHECK(v.fields[2].type->size == 96);
   CHECK(message_schema(message_count) == nullptr);
   CHECK(net_message_schema().fields.size() == message_count);
   CHECK(net_message_schema().fields[12].name == "gossip_bp_peers_message");
}

TEST_CASE("wire_schema: every type of the type table has the schema of its codec", "[net]") {
   for (const auto& t : wire_types()) {
      INFO(t.name);
      REQUIRE(t.schema != nullptr);
      if (t.is_message())
         CHECK(&t.schema() == message_schema(static_cast<uint32_t>(t.message_index)));
   }
   CHECK(find_wire_type("signed_block_header")->schema().fields.size() == 10);
}

TEST_CASE("wire_schema: spans locate prefixes, elements and paths", "[net]") {
   request_message r;
   r.req_blocks.mode = id_list_mode::catch_up;
   r.req_blocks.ids = {checksum256{}, checksum256{}};
   r.req_blocks.ids[1].data[0] = 0xab;
   const auto payload = encode_payload(r);
   auto w = walk_wire(net_message_schema(), payload);
   REQUIRE(w.complete);
   CHECK(w.spans[0].prefix_size == 1);
   CHECK(w.spans[0].prefix_value == 5);
   const auto ids = find_path(w, "request_message.req_blocks.ids");
   REQUIRE(ids < w.spans.size());
   CHECK(w.spans[ids].prefix_value == 2);
   CHECK(w.spans[ids].prefix_size == 1);
   const auto second = find_path(w, "request_message.req_blocks.ids[1]");
   REQUIRE(second < w.spans.size());
   CHECK(payload[w.spans[second].offset] == 0xab);
   CHECK(w.spans[second].size == 32);
   const auto mode = find_path(w, "request_message.req_blocks.mode");
   CHECK(w.spans[mode].prefix_value == 1);
   CHECK(w.spans[mode].size == 4);
}

TEST_CASE("wire_schema: the walk stops where decoding fails and keeps what came before", "[net]") {
   sync_request_message s{7, 9};
   auto payload = encode_payload(s);
   SECTION("truncated") {
      payload.pop_back();
      auto w = walk_wire(net_message_schema(), payload);
      CHECK_FALSE(w.complete);
      CHECK(w.error.code == decode_errc::truncated);
      const auto start = find_path(w, "sync_request_message.start_block");
      REQUIRE(start < w.spans.size());
      CHECK(w.spans[start].whole);
      CHECK(w.spans[start].prefix_value == 7);
      CHECK_FALSE(w.spans[0].whole);
   }
   SECTION("trailing bytes") {
      payload.push_back(0);
      auto w = walk_wire(net_message_schema(), payload);
      CHECK_FALSE(w.complete);
      CHECK(w.error.code == decode_errc::trailing_bytes);
      CHECK(w.spans[0].whole);
   }
   SECTION("unknown message index") {
      payload[0] = 0x7f;
      auto w = walk_wire(net_message_schema(), payload);
      CHECK(w.error.code == decode_errc::unknown_variant);
   }
   SECTION("a bool other than 0 or 1") {
      vote_message v;
      auto p = encode_payload(v);
      p[1 + 32] = 2;
      auto w = walk_wire(net_message_schema(), p);
      CHECK(w.error.code == decode_errc::bad_bool);
   }
   SECTION("a count the input cannot hold") {
      auto p = encode_payload(gossip_bp_peers_message{});
      p.back() = 0x05; // five peers, no bytes
      auto w = walk_wire(net_message_schema(), p);
      CHECK(w.error.code == decode_errc::count_exceeds_input);
   }
}

TEST_CASE("wire_schema: read_varuint32_at reads fc's forms and rejects overlong ones", "[net]") {
   const uint8_t a[] = {0xac, 0x02};
   CHECK(read_varuint32_at(a).value == 300);
   CHECK(read_varuint32_at(a).bytes == 2);
   const uint8_t b[] = {0x85, 0x00};
   CHECK(read_varuint32_at(b).value == 5);
   const uint8_t c[] = {0xff, 0xff, 0xff, 0xff, 0x1f};
   CHECK(read_varuint32_at(c).bytes == 0);
   const uint8_t d[] = {0x80};
   CHECK(read_varuint32_at(d).bytes == 0);
}

TEST_CASE("wire_schema: every variant alternative on the wire has a name", "[net]") {
   std::vector<const schema_node*> todo = {&net_message_schema()};
   std::size_t variants = 0;
   while (!todo.empty()) {
      const auto* n = todo.back();
      todo.pop_back();
      if (n->kind == schema_kind::variant) {
         ++variants;
         for (const auto& f : n->fields) {
            INFO(n->type_name);
            CHECK_FALSE(f.name.empty());
         }
      }
      for (const auto& f : n->fields)
         todo.push_back(f.type);
      if (n->element)
         todo.push_back(n->element);
   }
   CHECK(variants >= 3); // messages, keys, signatures, transaction receipts
}
