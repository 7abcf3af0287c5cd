// Prints codec throughput figures for realistic signed_blocks (single thread). Not a test:
// nothing here asserts.
//
// Blocks of about 1 KB, 100 KB and 1 MB hold eosio.token transfers, one action and one K1
// signature each, as packed_transactions in receipts, in two mixes:
//   - "every 10th zlib": every tenth transaction is zlib-compressed (the original figures);
//   - "uncompressed": no transaction is compressed, as in most blocks on EOS.
// Decoding does what nodeos does on receipt: it inflates the compressed transactions and checks
// every packed transaction's bytes (limits, trailing bytes) so any decode error is reported by
// the decode; the transaction itself and its id are decoded and hashed on first use, which
// "decode+id" adds (it reads id() of every transaction after decoding). "decode+encode" is
// pack(unpack(bytes)). MB/s counts the packed block bytes (1 MB = 10^6 bytes).
#include "codec/codec.hpp"
#include "crypto/private_key.hpp"
#include "crypto/sha256.hpp"
#include "types/block.hpp"
#include "types/transaction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <variant>
#include <vector>

namespace {

using namespace core;
using clock_type = std::chrono::steady_clock;

// Figures are the best of many short rounds: on a shared machine a round that was not
// preempted shows the code's speed, longer averages mostly show the load.
constexpr auto round_time = std::chrono::milliseconds(2);    ///< minimum length of one timed round
constexpr auto figure_time = std::chrono::milliseconds(1500); ///< rounds are repeated this long

/// eosio.token::transfer action data: from, to, asset{amount, symbol}, memo.
bytes transfer_data(name from, name to, int64_t amount, const std::string& memo) {
   byte_writer w;
   w.write_int(from.value);
   w.write_int(to.value);
   w.write_int(amount);
   w.write_int(uint64_t(0x00000000534f4504)); // symbol "4,EOS"
   w.write_varuint32(static_cast<uint32_t>(memo.size()));
   w.write(memo.data(), memo.size());
   const auto& b = w.bytes();
   return bytes(b.begin(), b.end());
}

class block_maker {
public:
   block_maker() {
      for (int i = 0; i < 4; ++i)
         keys_.push_back(private_key::generate());
      for (auto& b : chain_id_.data)
         b = static_cast<uint8_t>(rng_());
   }

   /// A block whose packed size is at least target_bytes; every zlib_every_nth-th transaction
   /// is compressed (0: none).
   signed_block make(std::size_t target_bytes, unsigned zlib_every_nth) {
      signed_block b;
      b.timestamp = block_timestamp{uint32_t(800'000'000)};
      b.producer = "eosnationftw"_n;
      b.confirmed = 0;
      b.previous = make_block_id(random_digest(), 350'000'000);
      b.action_mroot = random_digest();
      b.schedule_version = 2048;
      std::size_t size = pack(b).size();
      for (unsigned i = 0; size < target_bytes; ++i) {
         transaction_receipt r;
         r.status = transaction_status::executed;
         r.cpu_usage_us = 100 + static_cast<uint32_t>(rng_() % 2000);
         const bool zlib = zlib_every_nth != 0 && i % zlib_every_nth == zlib_every_nth - 1;
         auto p = transfer(zlib ? compression_type::zlib : compression_type::none);
         r.net_usage_words = static_cast<uint32_t>((pack(p).size() + 7) / 8 + 12);
         r.trx = std::move(p);
         size += pack(r).size();
         b.transactions.push_back(std::move(r));
      }
      b.transaction_mroot = b.calculate_transaction_mroot();
      b.producer_signature = keys_[0].sign(b.digest());
      return b;
   }

private:
   checksum256 random_digest() {
      checksum256 d;
      for (auto& x : d.data)
         x = static_cast<uint8_t>(rng_());
      return d;
   }

   packed_transaction transfer(compression_type c) {
      static const name accounts[] = {"alice"_n, "bob"_n, "carol"_n, "dexaccount11"_n, "eosbetdice11"_n, "gateio"_n};
      const name from = accounts[rng_() % std::size(accounts)];
      const name to = accounts[rng_() % std::size(accounts)];
      std::string memo(rng_() % 48, 'm');
      for (auto& ch : memo)
         ch = static_cast<char>('a' + rng_() % 26);

      transaction t;
      t.expiration = time_point_sec{1'700'000'000 + static_cast<uint32_t>(rng_() % 3600)};
      t.ref_block_num = static_cast<uint16_t>(rng_());
      t.ref_block_prefix = static_cast<uint32_t>(rng_());
      t.actions.push_back(action{"eosio.token"_n, "transfer"_n, {{from, "active"_n}},
                                 transfer_data(from, to, 1 + static_cast<int64_t>(rng_() % 1'000'000), memo)});
      const auto& key = keys_[rng_() % keys_.size()];
      const auto digest = signing_digest(chain_id_, pack(t), checksum256{});
      return packed_transaction::make(t, {key.sign(digest)}, {}, c);
   }

   std::mt19937_64 rng_{20240601};
   std::vector<private_key> keys_;
   checksum256 chain_id_;
};

/// Best rate of f() over the rounds, in calls per second.
template <class F>
double rate(F&& f) {
   double best = 0;
   for (const auto until = clock_type::now() + figure_time; clock_type::now() < until;) {
      std::size_t n = 0;
      const auto start = clock_type::now();
      auto now = start;
      do {
         f();
         ++n;
         now = clock_type::now();
      } while (now - start < round_time);
      best = std::max(best, static_cast<double>(n) / std::chrono::duration<double>(now - start).count());
   }
   return best;
}

} // namespace

std::size_t sum_of_ids(const signed_block& b) {
   std::size_t n = 0;
   for (const auto& r : b.transactions)
      if (const auto* p = std::get_if<packed_transaction>(&r.trx))
         n += p->id().data[0];
   return n;
}

int main() {
   block_maker maker;
   volatile std::size_t sink = 0;

   signed_block largest;
   std::size_t largest_bytes = 0;
   for (unsigned zlib_every_nth : {10u, 0u}) {
      fmt::print("{}\n", zlib_every_nth ? "mix: every 10th transaction zlib-compressed" : "mix: uncompressed");
      fmt::print("{:>10} {:>6} {:>14} {:>14} {:>14} {:>20}\n", "block", "trxs", "decode MB/s", "decode+id MB/s",
                 "encode MB/s", "decode+encode MB/s");
      for (std::size_t target : {std::size_t{1000}, std::size_t{100'000}, std::size_t{1'000'000}}) {
         const signed_block block = maker.make(target, zlib_every_nth);
         const std::vector<uint8_t> raw = pack(block);
         const double mb = static_cast<double>(raw.size()) / 1e6;

         const double decode = rate([&] { sink = sink + unpack<signed_block>(raw)->transactions.size(); });
         const double decode_id = rate([&] { sink = sink + sum_of_ids(*unpack<signed_block>(raw)); });
         const double encode = rate([&] { sink = sink + pack(block).size(); });
         const double both = rate([&] { sink = sink + pack(*unpack<signed_block>(raw)).size(); });
         fmt::print("{:>8} B {:>6} {:>14.1f} {:>14.1f} {:>14.1f} {:>20.1f}\n", raw.size(), block.transactions.size(),
                    decode * mb, decode_id * mb, encode * mb, both * mb);
         if (zlib_every_nth != 0) {
            largest = block;
            largest_bytes = raw.size();
         }
      }
   }

   const double json = rate([&] { sink = sink + to_json(largest).size(); });
   fmt::print("to_json of the {} B block (every 10th zlib): {:.1f} MB/s of packed bytes ({:.1f} MB/s of JSON text)\n",
              largest_bytes, json * static_cast<double>(largest_bytes) / 1e6,
              json * static_cast<double>(to_json(largest).size()) / 1e6);
   return 0;
}
