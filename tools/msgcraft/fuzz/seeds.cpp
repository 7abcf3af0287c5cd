#include "fuzz/seeds.hpp"

#include "input.hpp"
#include "send_script.hpp"

#include "codec/byte_writer.hpp"
#include "codec/codec.hpp"
#include "crypto/private_key.hpp"
#include "crypto/sha256.hpp"
#include "net/frame.hpp"
#include "net/wire_schema.hpp"
#include "types/block.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace msgcraft::fuzz {

namespace {

using core::operator""_n;

core::checksum256 digest_of(std::string_view label) { return core::sha256(label); }

core::block_id_type block_id(uint32_t num) {
   return core::make_block_id(digest_of(fmt::format("msgcraft fuzz block {}", num)), num);
}

/// A fixed K1 key: seeds are the same on every run.
const core::private_key& seed_key() {
   static const core::private_key k = [] {
      const auto secret = digest_of("msgcraft fuzz seed key");
      return core::private_key::from_secret(secret.bytes()).value();
   }();
   return k;
}

template <class T>
void add(std::vector<seed>& out, const T& msg, std::string_view variant = {}) {
   std::string origin = fmt::format("builtin:{}", core::message_type_name(core::message_index_v<T>));
   if (!variant.empty())
      origin += fmt::format("({})", variant);
   out.push_back(make_seed(std::move(origin), core::encode_payload(msg)));
}

void add_raw(std::vector<seed>& out, uint32_t which, std::string_view variant, const core::byte_writer& body) {
   core::byte_writer w;
   w.write_varuint32(which);
   w.write(body.bytes());
   out.push_back(make_seed(fmt::format("builtin:{}({})", core::message_type_name(which), variant), w.take()));
}

void write_id(core::byte_writer& w, const core::checksum256& id) { w.write(id.data.data(), id.data.size()); }

/// Bytes that look random but are the same every run.
void write_filler(core::byte_writer& w, std::size_t n, std::string_view label) {
   auto d = digest_of(label);
   for (std::size_t i = 0; i < n; ++i) {
      if (i % 32 == 0 && i != 0)
         d = core::sha256(d.bytes());
      w.write_u8(d.data[i % 32]);
   }
}

core::packed_transaction transfer(const core::checksum256& chain_id, core::compression_type c) {
   core::transaction t;
   t.expiration = core::time_point_sec{1'900'000'000};
   t.ref_block_num = 2;
   t.ref_block_prefix = core::ref_block_prefix(block_id(2));
   t.max_net_usage_words = 0;
   core::action a;
   a.account = "eosio.token"_n;
   a.name = "transfer"_n;
   a.authorization.push_back({"eosio"_n, "active"_n});
   const std::string data = "msgcraft fuzz transfer";
   a.data.assign(data.begin(), data.end());
   t.actions.push_back(std::move(a));
   const auto unsigned_trx = core::packed_transaction::make(t, {}, {}, c);
   return core::packed_transaction::make(t, {seed_key().sign(unsigned_trx.sig_digest(chain_id))}, {}, c);
}

core::signed_block block(uint32_t num, const core::checksum256& chain_id, bool with_contents) {
   core::signed_block b;
   b.timestamp = core::block_timestamp{1'000'000 + num};
   b.producer = "eosio"_n;
   b.previous = num > 1 ? block_id(num - 1) : core::block_id_type{};
   b.schedule_version = 0;
   if (with_contents) {
      core::protocol_feature_activation pfa;
      pfa.protocol_features.push_back(digest_of("msgcraft fuzz feature"));
      const auto ext = core::pack(pfa);
      b.header_extensions.push_back({core::protocol_feature_activation::extension_id, core::bytes(ext.begin(), ext.end())});
      core::transaction_receipt r;
      r.cpu_usage_us = 100;
      r.net_usage_words = 16;
      r.trx = transfer(chain_id, core::compression_type::none);
      b.transactions.push_back(r);
      core::transaction_receipt deferred;
      deferred.trx = digest_of("msgcraft fuzz deferred trx");
      b.transactions.push_back(deferred);
      b.transaction_mroot = b.calculate_transaction_mroot();
      core::additional_block_signatures_extension extra;
      extra.signatures.push_back(seed_key().sign(digest_of("msgcraft fuzz extra signature")));
      const auto bext = core::pack(extra);
      b.block_extensions.push_back({core::additional_block_signatures_extension::extension_id,
                                    core::bytes(bext.begin(), bext.end())});
   }
   b.producer_signature = seed_key().sign(b.digest());
   return b;
}

void spring_seeds(std::vector<seed>& out) {
   { // 9 vote_message {block_id, bool strong, bls key (vu32 96 + 96), bls sig (vu32 192 + 192)}
      for (bool strong : {true, false}) {
         core::byte_writer w;
         write_id(w, block_id(5));
         w.write_bool(strong);
         w.write_varuint32(96);
         write_filler(w, 96, "msgcraft fuzz bls key");
         w.write_varuint32(192);
         write_filler(w, 192, strong ? "msgcraft fuzz strong vote" : "msgcraft fuzz weak vote");
         add_raw(out, 9, strong ? "strong" : "weak", w);
      }
   }
   { // 10 block_nack_message {id}; num 0 is a reset
      core::byte_writer w;
      write_id(w, block_id(5));
      add_raw(out, 10, "block 5", w);
      core::byte_writer reset;
      write_id(reset, core::checksum256{});
      add_raw(out, 10, "reset", reset);
   }
   { // 11 block_notice_message {previous, id}
      core::byte_writer w;
      write_id(w, block_id(4));
      write_id(w, block_id(5));
      add_raw(out, 11, "block 5", w);
   }
   { // 12 gossip_bp_peers_message {vector<{vu32 version, name, bytes bp_peer_info, sig}>}
      core::byte_writer info;
      const std::string endpoint = "bp.example:9876", outbound = "203.0.113.7";
      info.write_varuint32(static_cast<uint32_t>(endpoint.size()));
      info.write(endpoint.data(), endpoint.size());
      info.write_varuint32(static_cast<uint32_t>(outbound.size()));
      info.write(outbound.data(), outbound.size());
      info.write_int<uint32_t>(1'000'100);
      core::byte_writer w;
      w.write_varuint32(1);
      w.write_varuint32(1);
      w.write_int<uint64_t>(("proda"_n).value);
      w.write_varuint32(static_cast<uint32_t>(info.size()));
      w.write(info.bytes());
      seed_key().sign(digest_of("msgcraft fuzz bp peer")).pack(w);
      add_raw(out, 12, "one peer", w);
      core::byte_writer empty;
      empty.write_varuint32(0);
      add_raw(out, 12, "empty", empty);
   }
   { // 13 transaction_notice_message {id}
      core::byte_writer w;
      write_id(w, transfer(core::checksum256{}, core::compression_type::none).id());
      add_raw(out, 13, "transfer", w);
   }
}

} // namespace

seed make_seed(std::string origin, std::vector<uint8_t> payload) {
   seed s;
   s.origin = std::move(origin);
   s.payload = std::move(payload);
   s.walk = core::walk_wire(core::net_message_schema(), s.payload);
   s.which = core::read_varuint32_at(s.payload).value;
   s.decodes = core::decode_payload(s.payload).has_value();
   return s;
}

core::checksum256 campaign_node_id(uint64_t seed) { return digest_of(fmt::format("msgcraft fuzz node id {}", seed)); }

std::vector<seed> builtin_seeds(const core::handshake_message& own) {
   std::vector<seed> out;
   const auto& chain_id = own.chain_id;

   add(out, own, "session");
   auto later = own;
   later.generation = 2;
   later.head_num = 120;
   later.head_id = block_id(120);
   later.last_irreversible_block_num = 100;
   later.last_irreversible_block_id = block_id(100);
   add(out, later, "generation 2");
   auto blocks_only = own;
   blocks_only.p2p_address = "msgcraft:0:blk - " + own.node_id.to_string().substr(0, 7);
   add(out, blocks_only, "blocks only");

   add(out, core::chain_size_message{100, block_id(100), 120, block_id(120)});
   add(out, core::go_away_message{core::go_away_reason::benign_other, own.node_id}, "benign_other");
   add(out, core::go_away_message{core::go_away_reason::duplicate, own.node_id}, "duplicate");

   add(out, core::time_message{0, 0, 1'700'000'000'000'000'000, 0}, "ping");
   add(out, core::time_message{1'700'000'000'000'000'000, 1'700'000'000'100'000'000, 1'700'000'000'200'000'000, 0},
       "reply");

   core::notice_message lib_notice;
   lib_notice.known_trx = {core::id_list_mode::last_irr_catch_up, 100, {}};
   lib_notice.known_blocks = {core::id_list_mode::last_irr_catch_up, 120, {block_id(120)}};
   add(out, lib_notice, "last_irr_catch_up");
   core::notice_message head_notice;
   head_notice.known_blocks = {core::id_list_mode::catch_up, 120, {block_id(120), block_id(1)}};
   add(out, head_notice, "catch_up");

   core::request_message catch_up;
   catch_up.req_blocks = {core::id_list_mode::catch_up, 0, {block_id(3)}};
   add(out, catch_up, "catch_up");
   add(out, core::request_message{}, "stop");
   core::request_message normal;
   normal.req_blocks = {core::id_list_mode::normal, 0, {block_id(2)}};
   add(out, normal, "normal");

   add(out, core::sync_request_message{1, 100}, "1-100");
   add(out, core::sync_request_message{0, 0}, "cancel");

   add(out, block(2, chain_id, true), "block 2");
   add(out, block(1, chain_id, false), "block 1");

   add(out, transfer(chain_id, core::compression_type::none), "transfer");
   add(out, transfer(chain_id, core::compression_type::zlib), "zlib transfer");

   spring_seeds(out);
   return out;
}

std::vector<seed> seeds_from_stream(std::span<const uint8_t> bytes, const std::string& origin) {
   std::vector<seed> out;
   core::frame_decoder fd;
   fd.feed(bytes);
   for (std::size_t n = 1;; ++n) {
      auto f = fd.next();
      if (!f || !f->has_value())
         break;
      const auto& p = (*f)->payload;
      out.push_back(make_seed(fmt::format("{}#{}", origin, n), std::vector<uint8_t>(p.begin(), p.end())));
   }
   return out;
}

core::result<std::vector<seed>> corpus_seeds(const std::filesystem::path& dir) {
   std::error_code ec;
   if (!std::filesystem::is_directory(dir, ec))
      return core::unexpected{fmt::format("{}: not a directory", dir.string())};
   std::vector<std::filesystem::path> files;
   for (const auto& e : std::filesystem::directory_iterator(dir, ec))
      if (e.is_regular_file())
         files.push_back(e.path());
   if (ec)
      return core::unexpected{fmt::format("{}: {}", dir.string(), ec.message())};
   std::sort(files.begin(), files.end());
   std::vector<seed> out;
   for (const auto& path : files) {
      std::ifstream f(path, std::ios::binary);
      if (!f)
         return core::unexpected{fmt::format("cannot read {}", path.string())};
      auto text = read_all(f, max_hex_text_bytes);
      if (!text)
         return core::unexpected{fmt::format("{}: {}", path.string(), text.error())};
      const std::string origin = "corpus:" + path.filename().string();
      const std::size_t file_start = out.size();
      const auto number_file_seeds = [&] {
         for (std::size_t i = file_start; i < out.size(); ++i)
            out[i].origin = fmt::format("{}#{}", origin, i - file_start + 1);
      };
      const auto first = text->find_first_not_of(" \t\r\n");
      if (first != std::string::npos && ((*text)[first] == '{' || (*text)[first] == '#')) {
         auto script = script_from_lines(*text, path.string());
         if (!script)
            return core::unexpected{script.error()};
         for (const auto& item : script->items) {
            auto frames = seeds_from_stream(item.bytes, origin);
            out.insert(out.end(), frames.begin(), frames.end());
         }
         number_file_seeds();
         continue;
      }
      input_options in;
      in.file = path.string();
      std::istringstream none;
      auto bytes = read_input(in, none);
      if (!bytes)
         return core::unexpected{bytes.error()};
      auto frames = seeds_from_stream(*bytes, origin);
      out.insert(out.end(), frames.begin(), frames.end());
      number_file_seeds();
   }
   return out;
}

} // namespace msgcraft::fuzz
