#include "types/transaction.hpp"

#include "codec/codec.hpp"
#include "crypto/sha256.hpp"

#include "codec/skipped.hpp"

#include <zlib.h>

#include <stdexcept>

namespace core {

transaction_id_type transaction::id() const { return sha256(pack(*this)); }

checksum256 signing_digest(const checksum256& chain_id, std::span<const uint8_t> packed_trx,
                           const checksum256& cfd_digest) {
   return sha256({chain_id.data, packed_trx, cfd_digest.data});
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

namespace {
/// One z_stream per thread, reset per use: inflateInit allocates about 7 KiB of state and
/// inflate a 32 KiB window on first use, which a block of small compressed transactions would
/// otherwise pay per transaction.
class thread_inflater {
public:
   thread_inflater() { ready_ = inflateInit(&zs_) == Z_OK; }
   ~thread_inflater() {
      if (ready_)
         inflateEnd(&zs_);
   }
   thread_inflater(const thread_inflater&) = delete;
   thread_inflater& operator=(const thread_inflater&) = delete;

   /// A reset stream, or nullptr if zlib could not allocate its state.
   z_stream* stream() {
      if (!ready_ || inflateReset(&zs_) != Z_OK)
         return nullptr;
      return &zs_;
   }

private:
   z_stream zs_{};
   bool ready_ = false;
};
} // namespace

decode_errc zlib_decompress(std::span<const uint8_t> in, std::size_t max_out, std::vector<uint8_t>& out) {
   out.clear();
   thread_local thread_inflater inflater;
   z_stream* zs = inflater.stream();
   if (!zs)
      return decode_errc::decompress_failed;
   zs->next_in = const_cast<Bytef*>(in.data());
   zs->avail_in = static_cast<uInt>(in.size());
   uint8_t chunk[16384];
   int rc = Z_OK;
   decode_errc result = decode_errc::ok;
   while (rc != Z_STREAM_END) {
      zs->next_out = chunk;
      zs->avail_out = sizeof(chunk);
      const uInt in_before = zs->avail_in;
      // Z_FINISH reports "not finished yet" as Z_BUF_ERROR where Z_NO_FLUSH reports Z_OK, except
      // when no progress was possible, which is Z_BUF_ERROR either way.
      rc = inflate(zs, Z_FINISH);
      std::size_t produced = sizeof(chunk) - zs->avail_out;
      if (rc == Z_BUF_ERROR && (produced != 0 || zs->avail_in != in_before))
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
      if (rc == Z_OK && produced == 0 && zs->avail_in == 0) {
         result = decode_errc::decompress_failed; // truncated stream
         break;
      }
   }
   zs->next_in = nullptr; // the stream outlives `in`
   zs->next_out = nullptr;
   if (result != decode_errc::ok)
      out.clear();
   return result;
}

namespace {
std::span<const uint8_t> as_u8(const bytes& b) {
   return {reinterpret_cast<const uint8_t*>(b.data()), b.size()};
}

// The wire shape of transaction (codec/skipped.hpp): the same fields under the same names, so
// validating through it fails exactly where decoding a transaction would.
struct action_shape {
   name account;
   name action_name;
   skipped_vector<permission_level> authorization;
   skipped_bytes data;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(cereal::make_nvp("account", account), cereal::make_nvp("name", action_name),
         cereal::make_nvp("authorization", authorization), cereal::make_nvp("data", data));
   }
};

struct transaction_shape : transaction_header {
   skipped_vector<action_shape, action> context_free_actions;
   skipped_vector<action_shape, action> actions;
   skipped_vector<std::pair<uint16_t, skipped_bytes>, extensions_type::value_type> transaction_extensions;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(cereal::base_class<transaction_header>(this), CEREAL_NVP(context_free_actions), CEREAL_NVP(actions),
         CEREAL_NVP(transaction_extensions));
   }
};

using context_free_data_shape = skipped_vector<skipped_bytes, bytes>;

/// Decodes exactly one T (a wire type, or its shape to validate only) from in, as unpack<T>
/// with the decompressed-size limit; fills detail on failure. `noncanonical_bytes`: see
/// byte_reader::noncanonical_bytes.
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

/// The common case of validating transaction bytes, without the archive: true when `in` is
/// exactly one transaction, within every limit, with only minimal varuint32s. False means
/// "not shown valid here" (malformed, or a non-minimal varuint32): the archive walk over
/// transaction_shape then decides, and names the error. Input that fits the structure within
/// 1 MiB cannot exceed fc's count limits, so checking the fit is checking the limits.
class quick_transaction_check {
public:
   static bool valid(std::span<const uint8_t> in) {
      if (in.size() > limits::max_decompressed_bytes)
         return false;
      quick_transaction_check c(in);
      uint32_t n = 0;
      // expiration, ref_block_num, ref_block_prefix; max_net_usage_words; max_cpu_usage_ms; delay_sec
      if (!c.skip(10) || !c.varuint(n) || !c.skip(1) || !c.varuint(n))
         return false;
      for (int list = 0; list < 2; ++list) { // context_free_actions, actions
         if (!c.varuint(n))
            return false;
         for (uint32_t i = 0; i < n; ++i) {
            uint32_t m = 0;
            // account, name; authorization (permission_level is 16 bytes); data
            if (!c.skip(16) || !c.varuint(m) || !c.skip(std::size_t(m) * 16) || !c.varuint(m) || !c.skip(m))
               return false;
         }
      }
      if (!c.varuint(n)) // transaction_extensions: (u16, bytes) pairs
         return false;
      for (uint32_t i = 0; i < n; ++i) {
         uint32_t m = 0;
         if (!c.skip(2) || !c.varuint(m) || !c.skip(m))
            return false;
      }
      return c.p_ == c.end_;
   }

private:
   explicit quick_transaction_check(std::span<const uint8_t> in) : p_(in.data()), end_(in.data() + in.size()) {}
   bool skip(std::size_t n) {
      if (std::size_t(end_ - p_) < n)
         return false;
      p_ += n;
      return true;
   }
   /// A minimal LEB128 varuint32 (what byte_reader accepts without counting non-canonical bytes).
   bool varuint(uint32_t& v) {
      uint32_t out = 0;
      for (int i = 0; i < 5 && p_ != end_; ++i) {
         const uint8_t b = *p_++;
         if (i == 4 && b > 0x0f)
            return false;
         out |= uint32_t(b & 0x7f) << (7 * i);
         if (!(b & 0x80)) {
            v = out;
            return b != 0 || i == 0;
         }
      }
      return false;
   }

   const uint8_t* p_;
   const uint8_t* end_;
};

/// Decodes bytes that finish_unpack validated.
template <class T>
void decode_validated(std::span<const uint8_t> in, T& out, std::string_view what) {
   std::string detail;
   if (decode_exact(in, out, what, detail) != decode_errc::ok)
      throw std::logic_error("packed_transaction: wire fields changed after decoding: " + detail);
}
} // namespace

decode_errc packed_transaction::finish_unpack(std::string& detail) {
   form_ = trx_form::unchecked;
   inflated_.reset();
   contents_.reset();
   id_.reset();
   std::span<const uint8_t> trx_bytes = as_u8(packed_trx);
   std::span<const uint8_t> cfd_bytes = as_u8(packed_context_free_data);
   std::shared_ptr<inflated_parts> parts;
   if (compression == compression_type::zlib) {
      parts = std::make_shared<inflated_parts>();
      if (auto e = zlib_decompress(trx_bytes, limits::max_decompressed_bytes, parts->trx); e != decode_errc::ok) {
         detail = fmt::format("packed_trx: {}", to_string(e));
         return e;
      }
      trx_bytes = parts->trx;
      if (!cfd_bytes.empty()) {
         if (auto e = zlib_decompress(cfd_bytes, limits::max_decompressed_bytes, parts->cfd); e != decode_errc::ok) {
            detail = fmt::format("packed_context_free_data: {}", to_string(e));
            return e;
         }
         cfd_bytes = parts->cfd;
      }
   } else if (compression != compression_type::none) {
      detail = "unknown compression";
      return decode_errc::bad_value;
   }
   std::size_t trx_noncanonical = 0;
   if (!quick_transaction_check::valid(trx_bytes)) {
      transaction_shape trx;
      if (auto e = decode_exact(trx_bytes, trx, "packed_trx", detail, &trx_noncanonical); e != decode_errc::ok)
         return e;
   }
   if (!cfd_bytes.empty()) {
      context_free_data_shape cfd;
      if (auto e = decode_exact(cfd_bytes, cfd, "packed_context_free_data", detail); e != decode_errc::ok)
         return e;
   }
   inflated_ = std::move(parts);
   form_ = trx_noncanonical == 0 ? trx_form::canonical : trx_form::noncanonical;
   return decode_errc::ok;
}

std::span<const uint8_t> packed_transaction::transaction_bytes() const {
   return inflated_ ? std::span<const uint8_t>(inflated_->trx) : as_u8(packed_trx);
}

std::span<const uint8_t> packed_transaction::context_free_bytes() const {
   return inflated_ ? std::span<const uint8_t>(inflated_->cfd) : as_u8(packed_context_free_data);
}

packed_transaction::decoded packed_transaction::decode_contents() const {
   if (form_ == trx_form::unchecked)
      throw std::logic_error("packed_transaction: contents read before a successful decode");
   decoded d;
   const auto trx_bytes = transaction_bytes();
   decode_validated(trx_bytes, d.trx, "packed_trx");
   if (const auto cfd_bytes = context_free_bytes(); !cfd_bytes.empty())
      decode_validated(cfd_bytes, d.cfd, "packed_context_free_data");
   // nodeos hashes and signs the re-packed transaction; that is packed_trx itself unless
   // packed_trx spells a varuint32 in more bytes than needed (which fc accepts).
   if (form_ == trx_form::noncanonical) {
      d.repacked_trx = pack(d.trx);
      d.id = sha256(d.repacked_trx);
   } else {
      d.id = sha256(trx_bytes);
   }
   d.cfd_digest = context_free_data_digest(d.cfd);
   return d;
}

const transaction_id_type& packed_transaction::id() const {
   if (form_ == trx_form::canonical)
      return id_.get_or_init([this] { return sha256(transaction_bytes()); });
   return contents().id;
}

const packed_transaction::decoded& packed_transaction::contents() const {
   return contents_.get_or_init([this] { return decode_contents(); });
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
   if (p.finish_unpack(detail) == decode_errc::ok) { // fails only above the 1 MiB limits
      // pack() wrote the minimal encoding, so the contents are known without decoding them.
      decoded d;
      d.trx = trx;
      d.id = sha256(trx_raw);
      p.id_.set(d.id);
      d.cfd_digest = context_free_data_digest(cfd);
      d.cfd = std::move(cfd);
      p.contents_.set(std::move(d));
   }
   return p;
}

checksum256 packed_transaction::sig_digest(const checksum256& chain_id) const {
   // Without context-free data the digest needs only the (canonical) transaction bytes.
   if (form_ == trx_form::canonical && context_free_bytes().empty())
      return signing_digest(chain_id, transaction_bytes(), checksum256{});
   const auto& d = contents();
   return signing_digest(chain_id, d.repacked_trx.empty() ? transaction_bytes() : std::span<const uint8_t>(d.repacked_trx),
                         d.cfd_digest);
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
