// fuzz_seed_corpus <out-dir>: writes one seed directory per fuzz target under <out-dir>, made at
// test time from ../shared/protocol/vectors/golden.jsonl and the real nodeos block log (nothing
// is copied into the repository). Exit 0 on success, 1 when an input is missing or malformed,
// 2 on usage error.
//
//   frame_decoder    framed_hex of every net message, and streams of several frames
//   decode_payload   the payloads (framed_hex without the length prefix)
//   signed_block, block_header, signed_block_header, packed_transaction, transaction,
//   genesis_state    the typed hex vectors, plus the parts of every block and transaction
//   json             nodeos's JSON (`fields`) and this codec's to_json of blocks, transactions
//                    and handshakes
//   engine           event scripts for the protocol engine: fixed pseudo-random bytes (the
//                    target reads them as choices) and the frame streams (raw message bytes)
//   block_log        the real block log and its index as files, its preamble alone, and the
//                    log torn in the middle and at the end
//
// A few seeds are derived with non-minimal varuint32s (which fc accepts) so every run covers
// the non-canonical paths of the round-trip property.
#include "blocklog/nodeos_block_log.hpp"
#include "codec/codec.hpp"
#include "codec/file_input.hpp"
#include "codec/hex.hpp"
#include "net/frame.hpp"
#include "types/block.hpp"
#include "types/genesis.hpp"
#include "types/transaction.hpp"

#include "support/golden.hpp"

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace core;

namespace {

/// Largest multi-frame stream seed, bytes: big enough for a dozen frames, small enough that
/// libFuzzer's default max_len (the largest seed) stays near the largest single block.
constexpr std::size_t max_stream_seed_bytes = 16 * 1024;

using byte_vec = std::vector<uint8_t>;

class seed_writer {
public:
   explicit seed_writer(fs::path root) : root_(std::move(root)) {
      fs::remove_all(root_);
      for (const char* t : {"frame_decoder", "decode_payload", "signed_block", "block_header", "signed_block_header",
                            "packed_transaction", "transaction", "genesis_state", "json", "engine", "block_log"})
         fs::create_directories(root_ / t);
   }

   /// Writes a seed unless the target already has these exact bytes.
   void add(const std::string& target, const std::string& name, std::span<const uint8_t> bytes) {
      if (!seen_[target].insert(byte_vec(bytes.begin(), bytes.end())).second)
         return;
      std::ofstream f(root_ / target / name, std::ios::binary);
      f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
      if (!f)
         throw std::runtime_error("cannot write " + (root_ / target / name).string());
      ++counts_[target];
   }
   void add(const std::string& target, const std::string& name, std::string_view text) {
      add(target, name, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
   }

   void report() const {
      for (const auto& [t, n] : counts_)
         std::printf("%-20s %zu seeds\n", t.c_str(), n);
   }

private:
   fs::path root_;
   std::map<std::string, std::set<byte_vec>> seen_;
   std::map<std::string, std::size_t> counts_;
};

byte_vec hex_or_throw(const std::string& hex, const std::string& what) {
   auto v = from_hex(hex);
   if (!v)
      throw std::runtime_error("bad hex in " + what);
   return *v;
}

template <class T>
T decode_or_throw(std::span<const uint8_t> in, const std::string& what) {
   auto r = unpack<T>(in);
   if (!r)
      throw std::runtime_error(what + ": " + r.error().message());
   return std::move(*r);
}

byte_vec payload_of(uint32_t index, std::span<const uint8_t> body) {
   byte_writer w;
   w.write_varuint32(index);
   w.write(body);
   return w.take();
}

/// `in` with the varuint32 at `at` (one byte, below 0x80) rewritten in two bytes.
byte_vec widen_varuint_at(std::span<const uint8_t> in, std::size_t at) {
   byte_vec out(in.begin(), in.end());
   if (at >= out.size() || out[at] >= 0x80)
      throw std::runtime_error("no one-byte varuint32 to widen");
   out[at] |= 0x80;
   out.insert(out.begin() + static_cast<std::ptrdiff_t>(at) + 1, uint8_t{0});
   return out;
}

class corpus_builder {
public:
   explicit corpus_builder(seed_writer& w) : w_(w) {}

   void message(const std::string& name, std::span<const uint8_t> framed) {
      w_.add("frame_decoder", name, framed);
      w_.add("decode_payload", name, framed.subspan(frame_header_bytes));
      frames_.emplace_back(framed.begin(), framed.end());
   }

   void block(const std::string& name, std::span<const uint8_t> raw) {
      w_.add("signed_block", name, raw);
      auto b = decode_or_throw<signed_block>(raw, name);
      w_.add("block_header", name, pack(static_cast<const block_header&>(b)));
      w_.add("signed_block_header", name, pack(static_cast<const signed_block_header&>(b)));
      for (std::size_t i = 0; i < b.transactions.size(); ++i)
         if (const auto* p = std::get_if<packed_transaction>(&b.transactions[i].trx))
            transaction(name + "_trx" + std::to_string(i), pack(*p));
   }

   void transaction(const std::string& name, std::span<const uint8_t> raw) {
      w_.add("packed_transaction", name, raw);
      auto p = decode_or_throw<packed_transaction>(raw, name);
      w_.add("transaction", name, p.transaction_bytes());
      if (!noncanonical_done_ && p.compression == compression_type::none && !p.signatures.empty() &&
          p.packed_trx.size() > 10 && uint8_t(p.packed_trx[10]) < 0x80) {
         noncanonical_done_ = true;
         noncanonical_seeds(name, p);
      }
   }

   void json(const std::string& name, const std::string& text) { w_.add("json", name, text); }

   /// Multi-frame streams: the small protocol messages in a row, and a mixed stream.
   void streams() {
      byte_vec small, mixed;
      for (const auto& f : frames_) {
         if (f.size() < 1024)
            small.insert(small.end(), f.begin(), f.end());
         if (mixed.size() + f.size() <= max_stream_seed_bytes)
            mixed.insert(mixed.end(), f.begin(), f.end());
      }
      w_.add("frame_decoder", "stream_small_messages", small);
      w_.add("frame_decoder", "stream_mixed", mixed);
      w_.add("engine", "stream_small_messages", small);
      w_.add("engine", "stream_mixed", mixed);
   }

   /// Engine scripts: the same pseudo-random bytes on every run (xorshift64), of several lengths.
   void engine_scripts() {
      uint64_t x = 0x9e3779b97f4a7c15ULL;
      for (std::size_t len : {64, 256, 1024, 2048, 4096, 8192}) {
         for (int k = 0; k < 3; ++k) {
            byte_vec bytes(len);
            for (auto& b : bytes) {
               x ^= x << 13;
               x ^= x >> 7;
               x ^= x << 17;
               b = static_cast<uint8_t>(x);
            }
            w_.add("engine", "script_" + std::to_string(len) + "_" + std::to_string(k), bytes);
         }
      }
   }

private:
   /// fc accepts a varuint32 in two bytes where one would do: inside packed_trx (nodeos's id is
   /// over the re-packed transaction) and in the outer encoding (re-encoding is shorter).
   void noncanonical_seeds(const std::string& name, const packed_transaction& p) {
      packed_transaction q;
      q.signatures = p.signatures;
      q.compression = p.compression;
      q.packed_context_free_data = p.packed_context_free_data;
      // packed_trx byte 10 is max_net_usage_words, after expiration, ref_block_num and prefix.
      const auto inner = widen_varuint_at(p.transaction_bytes(), 10);
      q.packed_trx.assign(inner.begin(), inner.end());
      const auto wide_inner = pack(q);
      const auto wide_outer = widen_varuint_at(pack(p), 0); // the signature count
      w_.add("transaction", name + "_noncanonical", inner);
      w_.add("packed_transaction", name + "_noncanonical_packed_trx", wide_inner);
      w_.add("packed_transaction", name + "_noncanonical_sig_count", wide_outer);
      const auto idx = message_index_v<packed_transaction>;
      message(name + "_noncanonical_packed_trx", frame_payload(payload_of(idx, wide_inner)));
      message(name + "_noncanonical_sig_count", frame_payload(payload_of(idx, wide_outer)));
      message(name + "_noncanonical_index", frame_payload(widen_varuint_at(payload_of(idx, pack(p)), 0)));
   }

   seed_writer& w_;
   std::vector<byte_vec> frames_;
   bool noncanonical_done_ = false;
};

void from_golden(corpus_builder& c, seed_writer& w) {
   for (const auto& g : test::golden()) {
      const std::string framed = g.framed_hex();
      if (!framed.empty())
         c.message(g.name, hex_or_throw(framed, g.name));
      if (g.type == "signed_block" || g.type == "packed_transaction" || g.type == "handshake_message") {
         c.json(g.name + ".fields", test::to_json_string(g.fields()));
         const auto raw = hex_or_throw(g.hex(), g.name);
         if (g.type == "signed_block")
            c.json(g.name, to_json(decode_or_throw<signed_block>(raw, g.name)));
         else if (g.type == "packed_transaction")
            c.json(g.name, to_json(decode_or_throw<packed_transaction>(raw, g.name)));
         else
            c.json(g.name, to_json(decode_or_throw<handshake_message>(raw, g.name)));
      }
      if (g.type == "signed_block")
         c.block(g.name, hex_or_throw(g.hex(), g.name));
      else if (g.type == "block_header")
         w.add("block_header", g.name, hex_or_throw(g.hex(), g.name));
      else if (g.type == "packed_transaction")
         c.transaction(g.name, hex_or_throw(g.hex(), g.name));
      else if (g.type == "transaction")
         w.add("transaction", g.name, hex_or_throw(g.hex(), g.name));
      if (g.has_derived() && g.derived().HasMember("genesis")) {
         auto gen = from_json<genesis_state>(test::to_json_string(g.derived()["genesis"]));
         if (!gen)
            throw std::runtime_error(g.name + " genesis: " + gen.error().message());
         w.add("genesis_state", g.name + "_genesis", pack(*gen));
      }
   }
}

void from_block_log(corpus_builder& c, seed_writer& w) {
   const std::string path = test::shared_path("protocol/data/leap-blocklog-snapshots/blocks.log");
   auto log = nodeos_block_log::open(path);
   if (!log)
      throw std::runtime_error(log.error());
   // block_log: the log itself, its index, the preamble alone, and the log torn in two places.
   {
      auto file = read_regular_file(path, 1 << 20);
      auto index = read_regular_file(test::shared_path("protocol/data/leap-blocklog-snapshots/blocks.index"), 1 << 20);
      if (!file || !index)
         throw std::runtime_error(!file ? file.error() : index.error());
      const auto bytes = std::span(reinterpret_cast<const uint8_t*>(file->data()), file->size());
      w.add("block_log", "blocks_log", bytes);
      w.add("block_log", "blocks_index", std::span(reinterpret_cast<const uint8_t*>(index->data()), index->size()));
      w.add("block_log", "blocks_log_preamble", bytes.first(log->first_entry_offset()));
      w.add("block_log", "blocks_log_torn_mid", bytes.first((log->first_entry_offset() + bytes.size()) / 2));
      w.add("block_log", "blocks_log_torn_end", bytes.first(bytes.size() - 3));
   }
   if (log->genesis())
      w.add("genesis_state", "blocks_log_genesis", pack(*log->genesis()));
   auto cur = log->begin();
   for (;;) {
      auto e = cur.next();
      if (!e)
         throw std::runtime_error(path + ": " + e.error().message());
      if (!*e)
         break;
      const std::string name = "blocks_log_block_" + std::to_string((*e)->block_num);
      c.block(name, (*e)->bytes);
      c.message(name, frame_payload(payload_of(message_index_v<signed_block>, (*e)->bytes)));
   }
}

} // namespace

int main(int argc, char** argv) {
   if (argc != 2) {
      std::fprintf(stderr, "usage: fuzz_seed_corpus <out-dir>\n");
      return 2;
   }
   try {
      seed_writer w(argv[1]);
      corpus_builder c(w);
      from_golden(c, w);
      from_block_log(c, w);
      c.streams();
      c.engine_scripts();
      w.report();
   } catch (const std::exception& e) {
      std::fprintf(stderr, "fuzz_seed_corpus: %s\n", e.what());
      return 1;
   }
   return 0;
}
