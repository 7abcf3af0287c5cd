#include "types/transaction.hpp"

#include "codec/codec.hpp"
#include "crypto/sha256.hpp"

#include <zlib.h>

namespace core {

transaction_id_type transaction::id() const { return sha256(pack(*this)); }

checksum256 signing_digest(const checksum256& chain_id, std::span<const uint8_t> packed_trx,
                           const checksum256& cfd_digest) {
   sha256_hasher h;
   h.update(chain_id.data);
   h.update(packed_trx);
   h.update(cfd_digest.data);
   return h.final();
}

checksum256 context_free_data_digest(const std::vector<bytes>& cfd) {
   if (cfd.empty())
      return {};
   return sha256(pack(cfd));
}

std::string_view enum_name(compression_type c) {
   switch (c) {
   case compression_type::none: return "none";
   case compression_type::zlib: return "zlib";
   }
   return {};
}

bytes zlib_compress(std::span<const uint8_t> in) {
   uLongf cap = compressBound(static_cast<uLong>(in.size()));
   bytes out(cap);
   compress2(reinterpret_cast<Bytef*>(out.data()), &cap, in.data(), static_cast<uLong>(in.size()), Z_BEST_COMPRESSION);
   out.resize(cap);
   return out;
}

decode_errc zlib_decompress(std::span<const uint8_t> in, std::size_t max_out, std::vector<uint8_t>& out) {
   out.clear();
   z_stream zs{};
   if (inflateInit(&zs) != Z_OK)
      return decode_errc::decompress_failed;
   zs.next_in = const_cast<Bytef*>(in.data());
   zs.avail_in = static_cast<uInt>(in.size());
   uint8_t chunk[16384];
   int rc = Z_OK;
   decode_errc result = decode_errc::ok;
   while (rc != Z_STREAM_END) {
      zs.next_out = chunk;
      zs.avail_out = sizeof(chunk);
      const uInt in_before = zs.avail_in;
      // Z_FINISH: a stream that ends within this chunk never allocates zlib's 32 KiB window.
      // It reports "not finished yet" as Z_BUF_ERROR where Z_NO_FLUSH reports Z_OK, except when
      // no progress was possible, which is Z_BUF_ERROR either way.
      rc = inflate(&zs, Z_FINISH);
      std::size_t produced = sizeof(chunk) - zs.avail_out;
      if (rc == Z_BUF_ERROR && (produced != 0 || zs.avail_in != in_before))
         rc = Z_OK;
      if (rc != Z_OK && rc != Z_STREAM_END) {
         result = decode_errc::decompress_failed;
         break;
      }
      if (out.size() + produced > max_out) {
         result = decode_errc::decompressed_too_large;
         break;
      }
      out.insert(out.end(), chunk, chunk + produced);
      if (rc == Z_OK && produced == 0 && zs.avail_in == 0) {
         result = decode_errc::decompress_failed; // truncated stream
         break;
      }
   }
   inflateEnd(&zs);
   if (result != decode_errc::ok)
      out.clear();
   return result;
}

namespace {
std::span<const uint8_t> as_u8(const bytes& b) {
   return {reinterpret_cast<const uint8_t*>(b.data()), b.size()};
}

/// Decodes exactly one T from in (as unpack<T> with the decompressed-size limit); fills detail
/// on failure. `noncanonical_bytes`: see byte_reader::noncanonical_bytes.
template <class T>
decode_errc decode_exact(std::span<const uint8_t> in, T& out, std::string_view what, std::string& detail,
                         std::size_t* noncanonical_bytes = nullptr) {
   byte_reader r(in);
   if (in.size() > limits::max_decompressed_bytes) {
      r.fail(decode_errc::message_too_large, fmt::format("{} bytes, limit {}", in.size(), limits::max_decompressed_bytes));
   } else {
      unpack_from(r, out);
      if (r.ok() && r.remaining() != 0)
         r.fail(decode_errc::trailing_bytes, fmt::format("{} bytes left", r.remaining()));
   }
   if (!r.ok()) {
      detail = fmt::format("{}: {}", what, r.error().message());
      return r.error().code;
   }
   if (noncanonical_bytes)
      *noncanonical_bytes = r.noncanonical_bytes();
   return decode_errc::ok;
}
} // namespace

decode_errc packed_transaction::finish_unpack(std::string& detail) {
   auto c = std::make_shared<contents>();
   std::span<const uint8_t> trx_bytes = as_u8(packed_trx);
   std::vector<uint8_t> inflated_cfd;
   std::span<const uint8_t> cfd_bytes = as_u8(packed_context_free_data);
   if (compression == compression_type::zlib) {
      if (auto e = zlib_decompress(trx_bytes, limits::max_decompressed_bytes, c->inflated_trx); e != decode_errc::ok) {
         detail = fmt::format("packed_trx: {}", to_string(e));
         return e;
      }
      trx_bytes = c->inflated_trx;
      if (!cfd_bytes.empty()) {
         if (auto e = zlib_decompress(cfd_bytes, limits::max_decompressed_bytes, inflated_cfd); e != decode_errc::ok) {
            detail = fmt::format("packed_context_free_data: {}", to_string(e));
            return e;
         }
         cfd_bytes = inflated_cfd;
      }
   } else if (compression != compression_type::none) {
      detail = "unknown compression";
      return decode_errc::bad_value;
   }
   std::size_t trx_noncanonical = 0;
   if (auto e = decode_exact(trx_bytes, c->trx, "packed_trx", detail, &trx_noncanonical); e != decode_errc::ok)
      return e;
   if (!cfd_bytes.empty())
      if (auto e = decode_exact(cfd_bytes, c->cfd, "packed_context_free_data", detail); e != decode_errc::ok)
         return e;
   // nodeos hashes and signs the re-packed transaction; that is packed_trx itself unless
   // packed_trx spells a varuint32 in more bytes than needed (which fc accepts).
   if (trx_noncanonical != 0) {
      c->repacked_trx = pack(c->trx);
      c->id = sha256(c->repacked_trx);
   } else {
      c->id = sha256(trx_bytes);
   }
   cache_ = std::move(c);
   return decode_errc::ok;
}

std::span<const uint8_t> packed_transaction::transaction_bytes() const {
   if (compression == compression_type::zlib)
      return cache_->inflated_trx;
   return as_u8(packed_trx);
}

packed_transaction packed_transaction::make(const transaction& trx, std::vector<signature> sigs,
                                            std::vector<bytes> cfd, compression_type c) {
   packed_transaction p;
   p.signatures = std::move(sigs);
   p.compression = c;
   auto trx_raw = pack(trx);
   std::vector<uint8_t> cfd_raw;
   if (!cfd.empty())
      cfd_raw = pack(cfd);
   if (c == compression_type::zlib) {
      p.packed_trx = zlib_compress(trx_raw);
      if (!cfd_raw.empty())
         p.packed_context_free_data = zlib_compress(cfd_raw);
   } else {
      p.packed_trx.assign(trx_raw.begin(), trx_raw.end());
      p.packed_context_free_data.assign(cfd_raw.begin(), cfd_raw.end());
   }
   std::string detail;
   p.finish_unpack(detail); // cannot fail: the bytes were just produced by pack()
   return p;
}

checksum256 packed_transaction::sig_digest(const checksum256& chain_id) const {
   const auto& repacked = cache_->repacked_trx;
   return signing_digest(chain_id, repacked.empty() ? transaction_bytes() : std::span<const uint8_t>(repacked),
                         context_free_data_digest(cache_->cfd));
}

checksum256 packed_transaction::packed_digest() const {
   byte_writer prunable;
   pack_to(prunable, signatures);
   pack_to(prunable, packed_context_free_data);
   checksum256 p = sha256(prunable.bytes());
   byte_writer w;
   w.write_u8(static_cast<uint8_t>(compression));
   pack_to(w, packed_trx);
   w.write(p.data.data(), p.data.size());
   return sha256(w.bytes());
}

void json_prefix_fields(json_output_archive& ar, const packed_transaction& t) {
   if (t.unpacked())
      ar.field("id", t.id());
}

void json_suffix_fields(json_output_archive& ar, const packed_transaction& t) {
   if (!t.unpacked())
      return;
   ar.field("context_free_data", t.context_free_data());
   ar.field("transaction", t.get_transaction());
}

} // namespace core
