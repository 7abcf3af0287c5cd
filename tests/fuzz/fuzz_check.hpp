#pragma once
/// Properties shared by the fuzz targets. A violation prints what failed and traps, so libFuzzer
/// keeps the input as a crash.
///
/// The round-trip property is exact: a decoded value re-encodes to exactly the input bytes,
/// except that fc accepts non-minimal varuint32s (`85 00` for 5), which re-encoding shortens —
/// by exactly the byte_reader's noncanonical_bytes() count. The re-encoding then decodes to an
/// equal value and encodes to the same bytes again. (fc also accepts flat_map keys out of order;
/// no wire type here holds a flat_map.) JSON: to_json -> from_json -> pack gives the same bytes.
#include "codec/codec.hpp"
#include "net/frame.hpp"
#include "net/messages.hpp"
#include "types/block.hpp"
#include "types/genesis.hpp"
#include "types/transaction.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <type_traits>
#include <span>
#include <string>
#include <vector>

namespace fuzz {

[[noreturn]] inline void violated(const char* what, const char* file, int line) {
   std::fprintf(stderr, "fuzz property violated at %s:%d: %s\n", file, line, what);
   std::fflush(stderr);
   __builtin_trap();
}

#define FUZZ_CHECK(cond)                                                                                           \
   do {                                                                                                            \
      if (!(cond))                                                                                                 \
         ::fuzz::violated(#cond, __FILE__, __LINE__);                                                              \
   } while (0)

inline bool same_bytes(std::span<const uint8_t> a, std::span<const uint8_t> b) {
   return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

/// A failed decode still has a well-formed error.
inline void check_error(const core::decode_error& e, std::size_t input_size) {
   FUZZ_CHECK(e.code != core::decode_errc::ok);
   FUZZ_CHECK(e.offset <= input_size);
   FUZZ_CHECK(!e.message().empty());
}

/// Non-minimal varuint32 bytes in `in`, decoded as one T through a plain byte_reader (the same
/// wire form core::unpack<T> and, for net_message, decode_payload read).
template <class T>
std::size_t noncanonical_bytes(std::span<const uint8_t> in) {
   core::byte_reader r(in);
   T v{};
   core::unpack_from(r, v);
   FUZZ_CHECK(r.ok());
   FUZZ_CHECK(r.remaining() == 0);
   return r.noncanonical_bytes();
}

/// The exact binary round trip of a value `v` decoded from `in`. Returns the re-encoding.
template <class T, class Encode, class Decode>
std::vector<uint8_t> check_binary_round_trip(std::span<const uint8_t> in, const T& v, Encode encode, Decode decode) {
   std::vector<uint8_t> packed = encode(v);
   if (!same_bytes(in, packed)) {
      const std::size_t extra = noncanonical_bytes<T>(in);
      FUZZ_CHECK(extra > 0);
      FUZZ_CHECK(in.size() == packed.size() + extra);
   }
   auto again = decode(std::span<const uint8_t>(packed));
   if (!again)
      std::fprintf(stderr, "re-decode: %s\n", again.error().message().c_str());
   FUZZ_CHECK(again.has_value());
   FUZZ_CHECK(*again == v);
   FUZZ_CHECK(same_bytes(encode(*again), packed));
   return packed;
}

template <class T>
std::vector<uint8_t> check_binary_round_trip(std::span<const uint8_t> in, const T& v) {
   return check_binary_round_trip(
      in, v, [](const T& x) { return core::pack(x); }, [](std::span<const uint8_t> b) { return core::unpack<T>(b); });
}

/// to_json -> from_json gives a value that packs to `packed` and prints the same JSON again.
template <class T>
void check_json_round_trip(const T& v, const std::vector<uint8_t>& packed) {
   const std::string json = core::to_json(v);
   auto back = core::from_json<T>(json);
   if (!back)
      std::fprintf(stderr, "from_json: %s\n", back.error().message().c_str());
   FUZZ_CHECK(back.has_value());
   FUZZ_CHECK(same_bytes(core::pack(*back), packed));
   FUZZ_CHECK(core::to_json(*back) == json);
}

// ---- per-type checks of derived state --------------------------------------------------------

/// nodeos's rules: the id is sha256 of the re-packed transaction, whatever varuint32 forms
/// packed_trx used; the digests are computable.
inline void check_contents(const core::packed_transaction& p) {
   FUZZ_CHECK(p.unpacked());
   FUZZ_CHECK(p.id() == p.get_transaction().id());
   const core::checksum256 chain_id{};
   FUZZ_CHECK(p.sig_digest(chain_id) == core::signing_digest(chain_id, core::pack(p.get_transaction()),
                                                            core::context_free_data_digest(p.context_free_data())));
   (void)p.packed_digest();
}

inline void check_contents(const core::transaction& t) { (void)t.id(); }

/// Bound of an extension decode error's offset: it counts from the start of one extension's
/// data (0 for an ordering error), so it is at most the largest extension's size.
inline std::size_t largest_extension_bytes(const core::extensions_type& exts) {
   std::size_t n = 0;
   for (const auto& [id, data] : exts)
      n = std::max(n, data.size());
   return n;
}

inline void check_contents(const core::block_header& h) {
   (void)h.calculate_id();
   if (auto x = core::decode_header_extensions(h.header_extensions); !x)
      check_error(x.error(), largest_extension_bytes(h.header_extensions));
}

inline void check_contents(const core::signed_block_header& h) {
   check_contents(static_cast<const core::block_header&>(h));
   (void)h.producer_signature.is_canonical();
}

inline void check_contents(const core::signed_block& b) {
   check_contents(static_cast<const core::signed_block_header&>(b));
   for (const auto& r : b.transactions) {
      if (const auto* p = std::get_if<core::packed_transaction>(&r.trx))
         check_contents(*p);
      (void)r.digest();
   }
   (void)b.calculate_transaction_mroot();
   if (auto x = core::decode_block_extensions(b.block_extensions); !x)
      check_error(x.error(), largest_extension_bytes(b.block_extensions));
}

inline void check_contents(const core::genesis_state& g) {
   (void)g.compute_chain_id();
   (void)g.genesis_block().calculate_id();
}

inline void check_contents(const core::gossip_bp_peers_message& m) {
   for (const auto& peer : m.peers) {
      std::span<const uint8_t> info(reinterpret_cast<const uint8_t*>(peer.bp_peer_info.data()),
                                    peer.bp_peer_info.size());
      auto r = core::unpack<core::bp_peer_info_v1>(info);
      if (r)
         check_binary_round_trip(info, *r);
      else
         check_error(r.error(), info.size());
   }
}

inline void check_contents(const core::net_message& m) {
   std::visit(
      [](const auto& msg) {
         using M = std::remove_cvref_t<decltype(msg)>;
         if constexpr (std::is_same_v<M, core::signed_block> || std::is_same_v<M, core::packed_transaction> ||
                       std::is_same_v<M, core::gossip_bp_peers_message>)
            check_contents(msg);
      },
      m);
}

// ---- JSON forms ---------------------------------------------------------------------------------

/// The value to_json -> from_json should give back: v itself, except where the JSON form is
/// lossy as fc's is; nullopt when the JSON form cannot be read back at all.
template <class T>
std::optional<T> json_image(const T& v) {
   return v;
}

/// fc prints time_point with milliseconds (sub-millisecond digits dropped) and a 4-digit year.
inline std::optional<core::genesis_state> json_image(const core::genesis_state& g) {
   constexpr int64_t us_per_ms = 1000;
   constexpr int64_t first_us = -62167219200LL * 1000000; ///< 0000-01-01T00:00:00
   constexpr int64_t end_us = 253402300800LL * 1000000;   ///< 10000-01-01T00:00:00
   const int64_t us = g.initial_timestamp.us;
   if (us < first_us || us >= end_us)
      return std::nullopt;
   core::genesis_state out = g;
   const int64_t ms = us / us_per_ms - (us % us_per_ms < 0 ? 1 : 0);
   out.initial_timestamp.us = ms * us_per_ms;
   return out;
}

/// Everything about a typed decoder: decode `in` as one T, then the exact round trips and the
/// derived state.
template <class T>
void check_typed(std::span<const uint8_t> in) {
   auto v = core::unpack<T>(in);
   if (!v) {
      check_error(v.error(), in.size());
      return;
   }
   auto packed = check_binary_round_trip(in, *v);
   if (auto image = json_image(*v); image && *image == *v)
      check_json_round_trip(*v, packed);
   else if (image)
      check_json_round_trip(*v, core::pack(*image));
   else
      (void)core::to_json(*v);
   check_contents(*v);
}

/// A net message payload (varuint32 index + message), as the frame decoder yields it.
/// `with_json`: also the JSON round trip (the slowest check; the frame target leaves it to the
/// payload target).
inline void check_payload(std::span<const uint8_t> payload, bool with_json = true) {
   auto m = core::decode_payload(payload);
   if (!m) {
      check_error(m.error(), payload.size());
      return;
   }
   auto packed = check_binary_round_trip(
      payload, *m, [](const core::net_message& x) { return core::encode_payload(x); },
      [](std::span<const uint8_t> b) { return core::decode_payload(b); });
   if (with_json)
      check_json_round_trip(*m, packed);
   check_contents(*m);
}

} // namespace fuzz
