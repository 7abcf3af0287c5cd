#include "crypto/ripemd160.hpp"

#include <bit>
#include <cstring>

namespace core {

namespace {

// Message word order, rotation amounts and round constants of the left and right lines
// (Dobbertin, Bosselaers, Preneel, "RIPEMD-160: A Strengthened Version of RIPEMD", 1996).
constexpr uint8_t rl[80] = {0, 1, 2,  3,  4,  5,  6,  7,  8, 9, 10, 11, 12, 13, 14, 15, 7, 4,  13, 1,
                            10, 6, 15, 3,  12, 0,  9,  5,  2, 14, 11, 8, 3,  10, 14, 4,  9, 15, 8,  1,
                            2,  7, 0,  6,  13, 11, 5,  12, 1, 9,  11, 10, 0,  8,  12, 4,  13, 3, 7,  15,
                            14, 5, 6,  2,  4,  0,  5,  9,  7, 12, 2,  10, 14, 1,  3,  8,  11, 6, 15, 13};
constexpr uint8_t rr[80] = {5,  14, 7,  0, 9, 2,  11, 4,  13, 6,  15, 8,  1,  10, 3,  12, 6, 11, 3,  7,
                            0,  13, 5,  10, 14, 15, 8,  12, 4,  9,  1,  2,  15, 5,  1,  3,  7, 14, 6,  9,
                            11, 8,  12, 2,  10, 0,  4,  13, 8,  6,  4,  1,  3,  11, 15, 0,  5, 12, 2,  13,
                            9,  7,  10, 14, 12, 15, 10, 4,  1,  5,  8,  7,  6,  2,  13, 14, 0, 3,  9,  11};
constexpr uint8_t sl[80] = {11, 14, 15, 12, 5,  8,  7,  9,  11, 13, 14, 15, 6,  7,  9,  8,  7,  6,  8,  13,
                            11, 9,  7,  15, 7,  12, 15, 9,  11, 7,  13, 12, 11, 13, 6,  7,  14, 9,  13, 15,
                            14, 8,  13, 6,  5,  12, 7,  5,  11, 12, 14, 15, 14, 15, 9,  8,  9,  14, 5,  6,
                            8,  6,  5,  12, 9,  15, 5,  11, 6,  8,  13, 12, 5,  12, 13, 14, 11, 8,  5,  6};
constexpr uint8_t sr[80] = {8,  9,  9,  11, 13, 15, 15, 5,  7,  7,  8,  11, 14, 14, 12, 6,  9,  13, 15, 7,
                            12, 8,  9,  11, 7,  7,  12, 7,  6,  15, 13, 11, 9,  7,  15, 11, 8,  6,  6,  14,
                            12, 13, 5,  14, 13, 13, 7,  5,  15, 5,  8,  11, 14, 14, 6,  14, 6,  9,  12, 9,
                            12, 5,  15, 8,  8,  5,  12, 9,  12, 5,  14, 6,  8,  13, 6,  5,  15, 13, 11, 11};
constexpr uint32_t kl[5] = {0x00000000, 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xa953fd4e};
constexpr uint32_t kr[5] = {0x50a28be6, 0x5c4dd124, 0x6d703ef3, 0x7a6d76e9, 0x00000000};

inline uint32_t f(int j, uint32_t x, uint32_t y, uint32_t z) {
   switch (j / 16) {
   case 0: return x ^ y ^ z;
   case 1: return (x & y) | (~x & z);
   case 2: return (x | ~y) ^ z;
   case 3: return (x & z) | (y & ~z);
   default: return x ^ (y | ~z);
   }
}

inline uint32_t load_le32(const uint8_t* p) {
   uint32_t v;
   std::memcpy(&v, p, 4); // little-endian hosts only (byte_writer.hpp)
   return v;
}

} // namespace

void ripemd160_hasher::compress(const uint8_t* block) {
   uint32_t x[16];
   for (int i = 0; i < 16; ++i)
      x[i] = load_le32(block + 4 * i);
   uint32_t al = h_[0], bl = h_[1], cl = h_[2], dl = h_[3], el = h_[4];
   uint32_t ar = al, br = bl, cr = cl, dr = dl, er = el;
   for (int j = 0; j < 80; ++j) {
      uint32_t t = std::rotl(al + f(j, bl, cl, dl) + x[rl[j]] + kl[j / 16], sl[j]) + el;
      al = el, el = dl, dl = std::rotl(cl, 10), cl = bl, bl = t;
      t = std::rotl(ar + f(79 - j, br, cr, dr) + x[rr[j]] + kr[j / 16], sr[j]) + er;
      ar = er, er = dr, dr = std::rotl(cr, 10), cr = br, br = t;
   }
   const uint32_t t = h_[1] + cl + dr;
   h_[1] = h_[2] + dl + er;
   h_[2] = h_[3] + el + ar;
   h_[3] = h_[4] + al + br;
   h_[4] = h_[0] + bl + cr;
   h_[0] = t;
}

void ripemd160_hasher::update(std::span<const uint8_t> data) {
   const uint8_t* p = data.data();
   std::size_t n = data.size();
   total_bytes_ += n;
   if (buf_len_) {
      const std::size_t take = std::min(n, buf_.size() - buf_len_);
      std::memcpy(buf_.data() + buf_len_, p, take);
      buf_len_ += take, p += take, n -= take;
      if (buf_len_ < buf_.size())
         return;
      compress(buf_.data());
      buf_len_ = 0;
   }
   for (; n >= 64; p += 64, n -= 64)
      compress(p);
   if (n)
      std::memcpy(buf_.data(), p, n);
   buf_len_ = n;
}

checksum160 ripemd160_hasher::final() {
   const uint64_t bits = total_bytes_ * 8;
   static constexpr uint8_t pad[64] = {0x80};
   update(std::span<const uint8_t>(pad, 1 + (119 - buf_len_) % 64));
   uint8_t len[8];
   std::memcpy(len, &bits, 8);
   update(std::span<const uint8_t>(len, 8));
   checksum160 out;
   std::memcpy(out.data.data(), h_.data(), 20);
   *this = ripemd160_hasher{};
   return out;
}

checksum160 ripemd160(std::span<const uint8_t> data) {
   ripemd160_hasher h;
   h.update(data);
   return h.final();
}

} // namespace core
