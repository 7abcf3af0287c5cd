#include "fuzz/mutator.hpp"

#include "codec/limits.hpp"
#include "net/messages.hpp"
#include "net/wire_schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace msgcraft::fuzz {

namespace {

using core::schema_kind;
using core::wire_span;
using core::wire_walk;
using byte_vec = std::vector<uint8_t>;

/// payload with [off, off+len) replaced by `with`.
byte_vec replaced(std::span<const uint8_t> p, std::size_t off, std::size_t len, std::span<const uint8_t> with) {
   byte_vec out(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(off));
   out.insert(out.end(), with.begin(), with.end());
   out.insert(out.end(), p.begin() + static_cast<std::ptrdiff_t>(off + len), p.end());
   return out;
}

template <class Pred>
std::vector<std::size_t> spans_where(const wire_walk& w, Pred pred) {
   std::vector<std::size_t> out;
   for (std::size_t i = 0; i < w.spans.size(); ++i)
      if (w.spans[i].whole && pred(w.spans[i], i))
         out.push_back(i);
   return out;
}

std::size_t pick_index(std::span<const std::size_t> v, rng& r) { return v[r.below(v.size())]; }

/// Candidates without `current`, one picked; nullopt when none is left.
std::optional<uint64_t> pick_other(std::vector<uint64_t> candidates, uint64_t current, rng& r) {
   std::erase(candidates, current);
   if (candidates.empty())
      return std::nullopt;
   return candidates[r.below(candidates.size())];
}

/// Indices of the direct children of span `parent` (pre-order: they follow it).
std::vector<std::size_t> children(const wire_walk& w, std::size_t parent) {
   std::vector<std::size_t> out;
   for (std::size_t i = parent + 1; i < w.spans.size(); ++i)
      if (w.spans[i].parent == parent)
         out.push_back(i);
   return out;
}

std::string label(const wire_walk& w, std::size_t i) {
   auto p = w.path(i);
   return p.empty() ? std::string("message index") : p;
}

/// The bytes of a span's varuint32 (its length/count/index prefix, or the value itself).
struct varint_at {
   std::size_t offset = 0;
   std::size_t size = 0;
   uint32_t value = 0;
};
std::optional<varint_at> varint_of(const wire_span& s) {
   switch (s.node->kind) {
   case schema_kind::vector:
   case schema_kind::string:
   case schema_kind::bytes:
   case schema_kind::sized_bytes:
   case schema_kind::variant:
      if (s.prefix_size == 0)
         return std::nullopt;
      return varint_at{s.offset, s.prefix_size, static_cast<uint32_t>(s.prefix_value)};
   case schema_kind::varuint32:
   case schema_kind::varint32:
      return varint_at{s.offset, s.size, static_cast<uint32_t>(s.prefix_value)};
   default: return std::nullopt;
   }
}

// ---- the mutations ------------------------------------------------------------------------------

std::optional<mutated> int_boundary(std::span<const uint8_t> p, const wire_walk& w, rng& r) {
   auto c = spans_where(w, [](const wire_span& s, std::size_t) {
      return (s.node->kind == schema_kind::integer || s.node->kind == schema_kind::enumeration) && s.node->width >= 1 &&
             s.node->width <= 8 && s.size == s.node->width;
   });
   if (c.empty())
      return std::nullopt;
   const auto i = pick_index(c, r);
   const auto& s = w.spans[i];
   const unsigned bits = 8u * s.node->width;
   const uint64_t mask = bits == 64 ? ~0ULL : (1ULL << bits) - 1;
   const uint64_t cur = s.prefix_value & mask;
   const uint64_t sign = 1ULL << (bits - 1);
   std::vector<uint64_t> cand;
   if (s.node->kind == schema_kind::enumeration) {
      uint64_t last = 0;
      for (const auto& e : s.node->enumerators)
         last = std::max(last, e.first);
      cand = {0, last + 1, last + 2, mask, sign};
   } else if (s.node->is_signed) {
      cand = {0, 1, mask /* -1 */, sign /* min */, sign + 1, sign - 1 /* max */, sign - 2};
   } else {
      cand = {0, 1, mask, mask - 1, sign - 1, sign, (cur + 1) & mask, (cur - 1) & mask};
   }
   for (auto& v : cand)
      v &= mask;
   auto v = pick_other(std::move(cand), cur, r);
   if (!v)
      return std::nullopt;
   byte_vec le(s.node->width);
   for (std::size_t b = 0; b < le.size(); ++b)
      le[b] = static_cast<uint8_t>(*v >> (8 * b));
   std::string shown = fmt::format("{}", *v);
   if (s.node->is_signed && (*v & sign))
      shown = fmt::format("{}", static_cast<int64_t>(*v | ~mask));
   return mutated{replaced(p, s.offset, s.size, le), mutation::int_boundary,
                  fmt::format("int_boundary {}={}", label(w, i), shown)};
}

std::optional<mutated> count_mismatch(std::span<const uint8_t> p, const wire_walk& w, rng& r) {
   auto c = spans_where(w, [](const wire_span& s, std::size_t) {
      const auto k = s.node->kind;
      return (k == schema_kind::vector || k == schema_kind::string || k == schema_kind::bytes ||
              k == schema_kind::sized_bytes) &&
             s.prefix_size > 0;
   });
   if (c.empty())
      return std::nullopt;
   const auto i = pick_index(c, r);
   const auto& s = w.spans[i];
   const uint64_t cur = s.prefix_value;
   auto v = pick_other({cur + 1, cur == 0 ? 1 : cur - 1, 0, cur + 2, 2 * cur + 1, 0xffffffffULL,
                        core::limits::max_array_elements + 1, core::limits::max_byte_array_bytes + 1,
                        p.size() - s.offset},
                       cur, r);
   if (!v || *v > 0xffffffffULL)
      return std::nullopt;
   const auto enc = varuint32_bytes(static_cast<uint32_t>(*v));
   return mutated{replaced(p, s.offset, s.prefix_size, enc), mutation::count_mismatch,
                  fmt::format("count_mismatch {} {} -> {}", label(w, i), cur, *v)};
}

std::optional<mutated> varint_form(std::span<const uint8_t> p, const wire_walk& w, rng& r) {
   auto c = spans_where(w, [](const wire_span& s, std::size_t) { return varint_of(s).has_value(); });
   if (c.empty())
      return std::nullopt;
   const auto i = pick_index(c, r);
   const auto at = *varint_of(w.spans[i]);
   const auto where = label(w, i);
   switch (r.below(5)) {
   case 0: { // overlong but valid: fc reads it
      const std::size_t minimal = core::varuint32_size(at.value);
      if (minimal >= 5)
         break;
      const std::size_t len = r.between(std::max(minimal, at.size) + (at.size >= 5 ? 0 : 1), 5);
      if (len == at.size)
         break;
      return mutated{replaced(p, at.offset, at.size, varuint32_bytes(at.value, len)), mutation::varint_form,
                     fmt::format("varint_form {} {} in {} bytes", where, at.value, len)};
   }
   case 1: { // six bytes: overlong beyond what any decoder reads
      auto enc = varuint32_bytes(at.value, 5);
      enc[4] |= 0x80;
      enc.push_back(0x00);
      return mutated{replaced(p, at.offset, at.size, enc), mutation::varint_form,
                     fmt::format("varint_form {} {} in 6 bytes", where, at.value)};
   }
   case 2: { // five bytes carrying more than 32 bits
      auto enc = varuint32_bytes(at.value, 5);
      enc[4] = static_cast<uint8_t>(enc[4] | 0x70);
      return mutated{replaced(p, at.offset, at.size, enc), mutation::varint_form,
                     fmt::format("varint_form {} above 32 bits", where)};
   }
   case 3: { // the last byte keeps going: the varint swallows what follows
      byte_vec enc(p.begin() + static_cast<std::ptrdiff_t>(at.offset),
                   p.begin() + static_cast<std::ptrdiff_t>(at.offset + at.size));
      enc.back() |= 0x80;
      return mutated{replaced(p, at.offset, at.size, enc), mutation::varint_form,
                     fmt::format("varint_form {} continued into the next byte", where)};
   }
   default: { // the payload ends inside the varint
      byte_vec out(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(at.offset));
      out.push_back(static_cast<uint8_t>(p[at.offset] | 0x80));
      return mutated{std::move(out), mutation::varint_form, fmt::format("varint_form {} cut short", where)};
   }
   }
   return std::nullopt;
}

std::optional<mutated> variant_index(std::span<const uint8_t> p, const wire_walk& w, rng& r) {
   auto c = spans_where(w, [](const wire_span& s, std::size_t) {
      return s.node->kind == schema_kind::variant && s.prefix_size > 0;
   });
   if (c.empty()) // an undecodable payload still has a message index
      return std::nullopt;
   const auto i = pick_index(c, r);
   const auto& s = w.spans[i];
   const uint64_t n = s.node->fields.size();
   std::vector<uint64_t> cand = s.parent == wire_span::no_parent
                                   ? std::vector<uint64_t>{n, n + 1, 15, 16, 100, 127, 128, 255, 0x3fff, 0xffffffffULL}
                                   : std::vector<uint64_t>{n, n + 1, 127, 128, 0xffffffffULL};
   auto v = pick_other(std::move(cand), s.prefix_value, r);
   if (!v)
      return std::nullopt;
   return mutated{replaced(p, s.offset, s.prefix_size, varuint32_bytes(static_cast<uint32_t>(*v))),
                  mutation::variant_index, fmt::format("variant_index {} {} -> {}", label(w, i), s.prefix_value, *v)};
}

bool is_extensions(const wire_span& s) {
   return s.node->kind == schema_kind::vector && s.name.ends_with("extensions") && s.node->element &&
          s.node->element->type_name == "pair";
}

/// An extension entry: u16 id, then bytes.
byte_vec extension_entry(uint16_t id, rng& r) {
   byte_vec e{static_cast<uint8_t>(id), static_cast<uint8_t>(id >> 8)};
   const std::size_t n = r.below(9);
   e.push_back(static_cast<uint8_t>(n));
   for (std::size_t i = 0; i < n; ++i)
      e.push_back(static_cast<uint8_t>(r.next()));
   return e;
}

std::optional<mutated> extension_id(std::span<const uint8_t> p, const wire_walk& w, rng& r) {
   auto c = spans_where(w, [](const wire_span& s, std::size_t) { return is_extensions(s); });
   if (c.empty())
      return std::nullopt;
   const auto i = pick_index(c, r);
   const auto& s = w.spans[i];
   const auto elems = children(w, i);
   const auto where = label(w, i);
   const auto with_count = [&](uint32_t count, std::size_t body_off, std::size_t body_len, std::span<const uint8_t> body) {
      auto out = replaced(p, body_off, body_len, body);
      return replaced(out, s.offset, s.prefix_size, varuint32_bytes(count));
   };
   const std::array<uint16_t, 8> ids = {0, 1, 2, 3, 4, 5, 0x7fff, 0xffff};
   const uint16_t id = ids[r.below(ids.size())];
   const unsigned choice = elems.empty() ? 3 : static_cast<unsigned>(r.below(elems.size() >= 2 ? 4 : 3));
   switch (choice) {
   case 0: { // change an id
      const auto e = pick_index(elems, r);
      const auto first = children(w, e).front();
      const uint8_t le[2] = {static_cast<uint8_t>(id), static_cast<uint8_t>(id >> 8)};
      return mutated{replaced(p, w.spans[first].offset, 2, le), mutation::extension_id,
                     fmt::format("extension_id {} id {} -> {}", label(w, e), w.spans[first].prefix_value, id)};
   }
   case 1: { // repeat an entry
      const auto& e = w.spans[pick_index(elems, r)];
      byte_vec entry(p.begin() + static_cast<std::ptrdiff_t>(e.offset),
                     p.begin() + static_cast<std::ptrdiff_t>(e.offset + e.size));
      return mutated{with_count(static_cast<uint32_t>(elems.size() + 1), e.offset + e.size, 0, entry),
                     mutation::extension_id, fmt::format("extension_id {} entry repeated", where)};
   }
   case 2: { // reverse the order (ascending ids are required)
      const std::size_t body = w.spans[elems.front()].offset;
      const std::size_t end = s.offset + s.size;
      byte_vec rev;
      for (auto it = elems.rbegin(); it != elems.rend(); ++it) {
         const auto& e = w.spans[*it];
         rev.insert(rev.end(), p.begin() + static_cast<std::ptrdiff_t>(e.offset),
                    p.begin() + static_cast<std::ptrdiff_t>(e.offset + e.size));
      }
      if (elems.size() < 2)
         return std::nullopt;
      return mutated{replaced(p, body, end - body, rev), mutation::extension_id,
                     fmt::format("extension_id {} entries reversed", where)};
   }
   default: { // a new entry at the end
      const auto entry = extension_entry(id, r);
      return mutated{with_count(static_cast<uint32_t>(elems.size() + 1), s.offset + s.size, 0, entry),
                     mutation::extension_id, fmt::format("extension_id {} new entry id {}", where, id)};
   }
   }
}

std::optional<mutated> bool_value(std::span<const uint8_t> p, const wire_walk& w, rng& r) {
   auto c = spans_where(w, [](const wire_span& s, std::size_t) {
      return s.node->kind == schema_kind::boolean || (s.node->kind == schema_kind::optional && s.prefix_size == 1);
   });
   if (c.empty())
      return std::nullopt;
   const auto i = pick_index(c, r);
   const auto& s = w.spans[i];
   std::vector<uint64_t> cand = {2, 0x7f, 0x80, 0xff};
   if (s.node->kind == schema_kind::optional)
      cand.push_back(s.prefix_value ? 0 : 1); // flag and contents disagree
   auto v = pick_other(std::move(cand), s.prefix_value, r);
   const uint8_t b = static_cast<uint8_t>(*v);
   return mutated{replaced(p, s.offset, 1, std::span<const uint8_t>(&b, 1)), mutation::bool_value,
                  fmt::format("bool_value {}={}", label(w, i), *v)};
}

std::optional<mutated> string_length(std::span<const uint8_t> p, const wire_walk& w, rng& r) {
   auto c = spans_where(w, [](const wire_span& s, std::size_t) { return s.node->kind == schema_kind::string; });
   if (c.empty())
      return std::nullopt;
   const auto i = pick_index(c, r);
   const auto& s = w.spans[i];
   std::string text;
   std::string shown;
   switch (r.below(5)) {
   case 0:
   case 1: {
      constexpr std::array<std::size_t, 7> lengths = {383, 384, 385, 386, 512, 1024, 4096};
      const std::size_t n = lengths[r.below(lengths.size())];
      std::string_view old(reinterpret_cast<const char*>(p.data() + s.offset + s.prefix_size), s.size - s.prefix_size);
      text = old.empty() ? std::string(n, 'a') : std::string();
      while (text.size() < n)
         text += old;
      text.resize(n);
      shown = fmt::format("{} characters", n);
      break;
   }
   case 2:
      shown = "empty";
      break;
   case 3:
      text = std::string("msgcraft\0fuzz", 13);
      shown = "with a NUL";
      break;
   default:
      text = "\xff\xfe\xc0\x80 not UTF-8 \xed\xa0\x80";
      shown = "invalid UTF-8";
      break;
   }
   auto enc = varuint32_bytes(static_cast<uint32_t>(text.size()));
   enc.insert(enc.end(), text.begin(), text.end());
   return mutated{replaced(p, s.offset, s.size, enc), mutation::string_length,
                  fmt::format("string_length {} {}", label(w, i), shown)};
}

std::optional<mutated> splice(std::span<const uint8_t> p, const wire_walk& w, std::span<const seed> pool, rng& r) {
   auto c = spans_where(w, [](const wire_span& s, std::size_t) { return s.parent != wire_span::no_parent && s.size > 0; });
   if (c.empty())
      return std::nullopt;
   const auto i = pick_index(c, r);
   const auto& s = w.spans[i];
   const std::span<const uint8_t> mine = p.subspan(s.offset, s.size);
   struct donor {
      std::span<const uint8_t> bytes;
      std::string from;
   };
   std::vector<donor> donors;
   for (const auto& sd : pool)
      for (std::size_t j = 0; j < sd.walk.spans.size(); ++j) {
         const auto& t = sd.walk.spans[j];
         if (!t.whole || t.node != s.node || t.parent == wire_span::no_parent)
            continue;
         auto b = std::span<const uint8_t>(sd.payload).subspan(t.offset, t.size);
         if (!std::equal(b.begin(), b.end(), mine.begin(), mine.end()))
            donors.push_back({b, sd.origin + " " + sd.walk.path(j)});
      }
   if (donors.empty())
      return std::nullopt;
   const auto& d = donors[r.below(donors.size())];
   return mutated{replaced(p, s.offset, s.size, d.bytes), mutation::splice,
                  fmt::format("splice {} <- {}", label(w, i), d.from)};
}

std::optional<mutated> elements(std::span<const uint8_t> p, const wire_walk& w, rng& r) {
   auto c = spans_where(w, [](const wire_span& s, std::size_t) {
      return s.node->kind == schema_kind::vector && s.prefix_value >= 1 && s.prefix_size > 0;
   });
   if (c.empty())
      return std::nullopt;
   const auto i = pick_index(c, r);
   const auto& s = w.spans[i];
   const auto elems = children(w, i);
   if (elems.size() != s.prefix_value)
      return std::nullopt;
   const auto where = label(w, i);
   const auto& e = w.spans[elems[r.below(elems.size())]];
   const byte_vec one(p.begin() + static_cast<std::ptrdiff_t>(e.offset),
                      p.begin() + static_cast<std::ptrdiff_t>(e.offset + e.size));
   const auto count = static_cast<uint32_t>(elems.size());
   const auto recount = [&](byte_vec body_changed, uint32_t n) {
      return replaced(body_changed, s.offset, s.prefix_size, varuint32_bytes(n));
   };
   switch (r.below(elems.size() >= 2 ? 4 : 3)) {
   case 0: { // repeat one element k times
      const std::size_t k = r.percent(50) ? 1 : r.between(2, 64);
      byte_vec extra;
      for (std::size_t n = 0; n < k && extra.size() < 64 * 1024; ++n)
         extra.insert(extra.end(), one.begin(), one.end());
      const auto added = static_cast<uint32_t>(extra.size() / std::max<std::size_t>(one.size(), 1));
      return mutated{recount(replaced(p, e.offset + e.size, 0, extra), count + added), mutation::elements,
                     fmt::format("elements {} element repeated to {}", where, count + added)};
   }
   case 1: // drop one
      return mutated{recount(replaced(p, e.offset, e.size, {}), count - 1), mutation::elements,
                     fmt::format("elements {} element removed ({} left)", where, count - 1)};
   case 2: { // many copies: past every per-message element limit a peer may have
      byte_vec extra;
      const std::size_t k = r.between(3, 40);
      for (std::size_t n = 0; n < k && extra.size() < 256 * 1024; ++n)
         extra.insert(extra.end(), one.begin(), one.end());
      const auto added = static_cast<uint32_t>(extra.size() / std::max<std::size_t>(one.size(), 1));
      return mutated{recount(replaced(p, e.offset, 0, extra), count + added), mutation::elements,
                     fmt::format("elements {} grown to {}", where, count + added)};
   }
   default: { // swap the first and last
      const auto& a = w.spans[elems.front()];
      const auto& b = w.spans[elems.back()];
      byte_vec body(p.begin() + static_cast<std::ptrdiff_t>(b.offset),
                    p.begin() + static_cast<std::ptrdiff_t>(b.offset + b.size));
      body.insert(body.end(), p.begin() + static_cast<std::ptrdiff_t>(a.offset + a.size),
                  p.begin() + static_cast<std::ptrdiff_t>(b.offset));
      body.insert(body.end(), p.begin() + static_cast<std::ptrdiff_t>(a.offset),
                  p.begin() + static_cast<std::ptrdiff_t>(a.offset + a.size));
      return mutated{replaced(p, a.offset, b.offset + b.size - a.offset, body), mutation::elements,
                     fmt::format("elements {} first and last swapped", where)};
   }
   }
}

mutated byte_edit(std::span<const uint8_t> p, rng& r) {
   byte_vec out(p.begin(), p.end());
   const auto random_bytes = [&](std::size_t n) {
      byte_vec b(n);
      for (auto& x : b)
         x = static_cast<uint8_t>(r.next());
      return b;
   };
   if (out.empty()) {
      out = random_bytes(r.between(1, 16));
      return {std::move(out), mutation::bytes, "bytes random payload"};
   }
   const std::size_t at = r.below(out.size());
   switch (r.below(7)) {
   case 0: {
      const unsigned bit = static_cast<unsigned>(r.below(8));
      out[at] ^= static_cast<uint8_t>(1u << bit);
      return {std::move(out), mutation::bytes, fmt::format("bytes bit {} of byte {} flipped", bit, at)};
   }
   case 1: {
      constexpr std::array<uint8_t, 6> interesting = {0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff};
      uint8_t v = out[at];
      while (v == out[at])
         v = interesting[r.below(interesting.size())];
      out[at] = v;
      auto what = fmt::format("bytes byte {} = {:#04x}", at, out[at]);
      return {std::move(out), mutation::bytes, std::move(what)};
   }
   case 2: {
      const auto ins = random_bytes(r.between(1, 16));
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(at), ins.begin(), ins.end());
      return {std::move(out), mutation::bytes, fmt::format("bytes {} inserted at {}", ins.size(), at)};
   }
   case 3: {
      if (out.size() < 2)
         break;
      const std::size_t n = std::min<std::size_t>(r.between(1, 16), out.size() - 1);
      const std::size_t from = r.below(out.size() - n + 1);
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(from), out.begin() + static_cast<std::ptrdiff_t>(from + n));
      return {std::move(out), mutation::bytes, fmt::format("bytes {} deleted at {}", n, from)};
   }
   case 4: {
      const std::size_t n = std::min<std::size_t>(r.between(1, 32), out.size() - at);
      const byte_vec copy(out.begin() + static_cast<std::ptrdiff_t>(at),
                          out.begin() + static_cast<std::ptrdiff_t>(at + n));
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(at + n), copy.begin(), copy.end());
      return {std::move(out), mutation::bytes, fmt::format("bytes {} at {} repeated", n, at)};
   }
   case 5: {
      if (out.size() < 2)
         break;
      const std::size_t keep = r.between(1, out.size() - 1);
      out.resize(keep);
      return {std::move(out), mutation::bytes, fmt::format("bytes truncated to {}", keep)};
   }
   default: break;
   }
   const auto tail = random_bytes(r.between(1, 16));
   out.insert(out.end(), tail.begin(), tail.end());
   return {std::move(out), mutation::bytes, fmt::format("bytes {} appended", tail.size())};
}

} // namespace

std::string_view to_string(mutation m) {
   constexpr std::array<std::string_view, mutation_count> names = {
      "int_boundary", "count_mismatch", "varint_form", "variant_index", "extension_id",
      "bool_value",   "string_length",  "splice",      "elements",      "bytes"};
   return names[static_cast<std::size_t>(m)];
}

std::vector<uint8_t> varuint32_bytes(uint32_t v, std::size_t bytes) {
   const std::size_t minimal = core::varuint32_size(v);
   const std::size_t n = bytes == 0 ? minimal : bytes;
   if (n < minimal || n > 5)
      return {};
   std::vector<uint8_t> out(n);
   for (std::size_t i = 0; i < n; ++i) {
      out[i] = static_cast<uint8_t>((v >> (7 * i)) & 0x7f);
      if (i + 1 < n)
         out[i] |= 0x80;
   }
   return out;
}

std::optional<mutated> apply_mutation(mutation m, std::span<const uint8_t> payload, std::span<const seed> pool,
                                      rng& r) {
   const auto w = core::walk_wire(core::net_message_schema(), payload);
   switch (m) {
   case mutation::int_boundary: return int_boundary(payload, w, r);
   case mutation::count_mismatch: return count_mismatch(payload, w, r);
   case mutation::varint_form: return varint_form(payload, w, r);
   case mutation::variant_index: return variant_index(payload, w, r);
   case mutation::extension_id: return extension_id(payload, w, r);
   case mutation::bool_value: return bool_value(payload, w, r);
   case mutation::string_length: return string_length(payload, w, r);
   case mutation::splice: return splice(payload, w, pool, r);
   case mutation::elements: return elements(payload, w, r);
   case mutation::bytes: return byte_edit(payload, r);
   }
   return std::nullopt;
}

mutated mutate_payload(std::span<const uint8_t> payload, std::span<const seed> pool, rng& r) {
   std::array<mutation, mutation_count> order;
   for (std::size_t i = 0; i < order.size(); ++i)
      order[i] = static_cast<mutation>(i);
   for (std::size_t i = order.size() - 1; i > 0; --i)
      std::swap(order[i], order[r.below(i + 1)]);
   for (auto m : order)
      if (auto out = apply_mutation(m, payload, pool, r))
         return std::move(*out);
   return byte_edit(payload, r); // unreachable: bytes always applies
}

} // namespace msgcraft::fuzz
