#include "codec/schema_walk.hpp"

#include "codec/byte_reader.hpp"
#include "codec/limits.hpp"

#include <fmt/format.h>

namespace core {

namespace {

class walker {
public:
   walker(std::span<const uint8_t> bytes, std::size_t max_spans) : r_(bytes), max_spans_(max_spans) {}

   /// Lays out one value; false once the walk must stop.
   bool value(const schema_node& n, std::size_t parent, std::string_view name, uint32_t index) {
      if (out_.spans.size() >= max_spans_) {
         r_.fail(decode_errc::too_many_elements, fmt::format("more than {} values", max_spans_));
         return false;
      }
      const std::size_t me = out_.spans.size();
      out_.spans.push_back({&n, parent, name, index, r_.offset(), 0, 0, 0, true});
      const bool ok = body(n, me);
      auto& s = out_.spans[me];
      s.size = r_.offset() - s.offset;
      s.whole = ok;
      return ok;
   }

   wire_walk finish(bool whole) {
      out_.complete = whole && r_.ok() && r_.remaining() == 0;
      if (r_.ok() && r_.remaining() != 0)
         r_.fail(decode_errc::trailing_bytes, fmt::format("{} bytes left", r_.remaining()));
      out_.error = r_.error();
      return std::move(out_);
   }

private:
   void prefix(std::size_t me, std::size_t start, uint64_t value) {
      out_.spans[me].prefix_size = r_.offset() - start;
      out_.spans[me].prefix_value = value;
   }

   bool body(const schema_node& n, std::size_t me) {
      const std::size_t start = r_.offset();
      switch (n.kind) {
      case schema_kind::integer:
      case schema_kind::enumeration: {
         uint64_t v = 0;
         if (n.width > 8 || !r_.read(&v, n.width))
            return fail_if_ok(decode_errc::truncated);
         out_.spans[me].prefix_value = v;
         return true;
      }
      case schema_kind::boolean: {
         const bool b = r_.read_bool();
         out_.spans[me].prefix_value = b;
         return r_.ok();
      }
      case schema_kind::varuint32:
      case schema_kind::varint32: {
         const uint32_t v = r_.read_varuint32();
         out_.spans[me].prefix_value = v;
         return r_.ok();
      }
      case schema_kind::string:
      case schema_kind::bytes: {
         const uint32_t len = r_.read_count(limits::max_byte_array_bytes, 1, decode_errc::bytes_too_large);
         prefix(me, start, len);
         r_.take(len);
         return r_.ok();
      }
      case schema_kind::raw_bytes:
         r_.take(n.size);
         return r_.ok();
      case schema_kind::sized_bytes: {
         const uint32_t len = r_.read_varuint32();
         prefix(me, start, len);
         if (r_.ok() && len != n.size)
            r_.fail_at(start, decode_errc::bad_value, fmt::format("length {} instead of {}", len, n.size));
         r_.take(n.size);
         return r_.ok();
      }
      case schema_kind::structure:
         for (const auto& f : n.fields)
            if (!value(*f.type, me, f.name, 0))
               return false;
         return true;
      case schema_kind::vector: {
         const uint32_t count = r_.read_count(limits::max_array_elements, 1, decode_errc::too_many_elements);
         prefix(me, start, count);
         if (!r_.ok())
            return false;
         for (uint32_t i = 0; i < count; ++i)
            if (!value(*n.element, me, {}, i))
               return false;
         return true;
      }
      case schema_kind::array:
         for (std::size_t i = 0; i < n.size; ++i)
            if (!value(*n.element, me, {}, static_cast<uint32_t>(i)))
               return false;
         return true;
      case schema_kind::optional: {
         const bool present = r_.read_bool();
         prefix(me, start, present);
         if (!r_.ok())
            return false;
         return !present || value(*n.element, me, {}, 0);
      }
      case schema_kind::variant: {
         const uint32_t index = r_.read_varuint32();
         prefix(me, start, index);
         if (!r_.ok())
            return false;
         if (index >= n.fields.size()) {
            r_.fail_at(start, decode_errc::unknown_variant, fmt::format("index {} of {}", index, n.fields.size()));
            return false;
         }
         return value(*n.fields[index].type, me, n.fields[index].name, index);
      }
      }
      return false;
   }

   bool fail_if_ok(decode_errc e) {
      if (r_.ok())
         r_.fail(e);
      return false;
   }

   byte_reader r_;
   std::size_t max_spans_;
   wire_walk out_;
};

} // namespace

std::string wire_walk::path(std::size_t i) const {
   std::vector<std::size_t> chain;
   for (std::size_t at = i; at != wire_span::no_parent; at = spans[at].parent)
      chain.push_back(at);
   std::string out;
   for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const auto& s = spans[*it];
      if (s.parent == wire_span::no_parent)
         continue; // the root has no name of its own
      const auto& parent = spans[s.parent];
      const auto pk = parent.node->kind;
      if (pk == schema_kind::vector || pk == schema_kind::array) {
         out += fmt::format("[{}]", s.index);
      } else if (pk == schema_kind::optional) {
         continue;
      } else {
         if (!out.empty())
            out += '.';
         out += s.name.empty() ? fmt::format("<{}>", s.index) : std::string(s.name);
      }
   }
   return out;
}

wire_walk walk_wire(const schema_node& root, std::span<const uint8_t> bytes, std::size_t max_spans) {
   walker w(bytes, max_spans);
   const bool whole = w.value(root, wire_span::no_parent, {}, 0);
   return w.finish(whole);
}

varuint_read read_varuint32_at(std::span<const uint8_t> in) {
   varuint_read out;
   uint32_t v = 0;
   for (std::size_t i = 0; i < 5 && i < in.size(); ++i) {
      if (i == 4 && in[i] > 0x0f)
         return {};
      v |= uint32_t(in[i] & 0x7f) << (7 * i);
      if (!(in[i] & 0x80)) {
         out.value = v;
         out.bytes = i + 1;
         return out;
      }
   }
   return {};
}

} // namespace core
