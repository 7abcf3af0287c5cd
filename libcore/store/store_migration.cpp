// Format 2 → 3: format 3 adds the activated protocol features and the Savanna state to every
// stored block_header_state. A format 2 store (written before Savanna support) holds legacy
// states only; its LIB state gains the features its irreversible blocks activated, and its
// reversible blocks are dropped (best-effort by contract: a node fetches them again). Also the
// format a store records, read without writing, to name a newer one as such.
#include "store/rocksdb_chain_store.hpp"

#include "codec/codec.hpp"

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <memory>

namespace core {

namespace {

/// A format 2 state: block_header_state's fields before activated_features and savanna.
struct state_v2 {
   block_header_state s;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(cereal::make_nvp("block_num", s.block_num), cereal::make_nvp("id", s.id), cereal::make_nvp("header", s.header),
         cereal::make_nvp("dpos_proposed_irreversible_blocknum", s.dpos_proposed_irreversible_blocknum),
         cereal::make_nvp("dpos_irreversible_blocknum", s.dpos_irreversible_blocknum),
         cereal::make_nvp("active_schedule", s.active_schedule), cereal::make_nvp("pending_schedule", s.pending_schedule),
         cereal::make_nvp("blockroot_merkle", s.blockroot_merkle),
         cereal::make_nvp("producer_to_last_produced", s.producer_to_last_produced),
         cereal::make_nvp("producer_to_last_implied_irb", s.producer_to_last_implied_irb),
         cereal::make_nvp("valid_block_signing_authority", s.valid_block_signing_authority),
         cereal::make_nvp("confirm_count", s.confirm_count), cereal::make_nvp("additional_signatures", s.additional_signatures));
   }
};

std::string le32(uint32_t v) {
   std::string s(4, '\0');
   for (int i = 0; i < 4; ++i)
      s[i] = static_cast<char>(v >> (8 * i));
   return s;
}

std::string be32(uint32_t v) {
   std::string s(4, '\0');
   for (int i = 0; i < 4; ++i)
      s[i] = static_cast<char>(v >> (8 * (3 - i)));
   return s;
}

std::span<const uint8_t> span_of(const rocksdb::PinnableSlice& s) {
   return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

} // namespace

std::optional<uint32_t> rocksdb_chain_store::recorded_format(const std::filesystem::path& dir,
                                                             const std::vector<std::string>& families) {
   const auto meta = std::find(families.begin(), families.end(), "meta");
   if (meta == families.end())
      return std::nullopt;
   std::vector<rocksdb::ColumnFamilyDescriptor> descs;
   for (const auto& name : families)
      descs.emplace_back(name, rocksdb::ColumnFamilyOptions());
   std::vector<rocksdb::ColumnFamilyHandle*> handles;
   rocksdb::DB* raw = nullptr;
   if (!rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir.string(), descs, &handles, &raw).ok())
      return std::nullopt;
   std::unique_ptr<rocksdb::DB> db(raw);
   std::string v;
   const bool found = db->Get({}, handles[meta - families.begin()], "version", &v).ok();
   for (auto* h : handles)
      (void)db->DestroyColumnFamilyHandle(h).ok(); // read-only: nothing to lose
   if (!found || v.size() != 4)
      return std::nullopt;
   uint32_t version = 0;
   for (int i = 0; i < 4; ++i)
      version |= uint32_t(uint8_t(v[i])) << (8 * i);
   return version;
}

std::string rocksdb_chain_store::newer_format(uint32_t version) const {
   return fmt::format("{}: format {} is newer than this build reads (format {}): it was written by a newer p2pnode; run "
                      "that version, or move the data dir away and sync again",
                      where(), version, format_version);
}

result<bool> rocksdb_chain_store::migrate_from_v2(uint32_t first, uint32_t last) {
   const auto refuse = [&](const std::string& why) {
      return unexpected{fmt::format("{}: format 2 store (written before Savanna support) {}; move it away and let the "
                                    "node sync its chain again (or rebuild it with p2pnode --replay-blockchain from a "
                                    "block log)",
                                    where(), why)};
   };
   if (mode_ != store_open_mode::read_write)
      return unexpected{fmt::format("{}: format 2 store (written before Savanna support); open it read-write once (start "
                                    "p2pnode on it) to migrate it to format {}",
                                    where(), format_version)};
   if (first != 1)
      return refuse(fmt::format("starts at block {}: the protocol features activated before it are unknown", first));

   rocksdb::ReadOptions ro;
   rocksdb::PinnableSlice v;
   if (auto st = db_->Get(ro, h(cf_state), "lib", &v); !st.ok())
      return refuse("has no readable LIB state: " + st.ToString());
   auto old = unpack<state_v2>(span_of(v));
   if (!old)
      return refuse("has a LIB state that does not decode: " + old.error().message());
   block_header_state lib = std::move(old->s);

   // The features the irreversible blocks activated, in block order (each once).
   auto features = std::make_shared<protocol_feature_set>();
   for (uint32_t n = first; n <= last; ++n) {
      v.Reset();
      if (auto st = db_->Get(ro, h(cf_blocks), be32(n), &v); !st.ok())
         return refuse(fmt::format("cannot read block {}: {}", n, st.ToString()));
      byte_reader r(span_of(v));
      signed_block_header hdr;
      unpack_from(r, hdr);
      if (!r.ok())
         return refuse(fmt::format("has block {} that does not decode: {}", n, r.error().message()));
      auto exts = decode_header_extensions(hdr.header_extensions);
      if (!exts)
         return refuse(fmt::format("has block {} with bad header extensions: {}", n, exts.error().message()));
      if (exts->feature_activation)
         for (const auto& f : exts->feature_activation->protocol_features)
            if (auto at = std::lower_bound(features->begin(), features->end(), f); at == features->end() || *at != f)
               features->insert(at, f);
   }
   lib.activated_features = std::move(features);
   std::string detail;
   if (lib.finish_unpack(detail) != decode_errc::ok)
      return refuse("has a LIB state whose header does not decode: " + detail);

   rocksdb::WriteBatch batch;
   const auto packed = pack(lib);
   rocksdb::Status st = batch.Put(h(cf_state), "lib",
                  rocksdb::Slice(reinterpret_cast<const char*>(packed.data()), packed.size()));
   if (st.ok()) {
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, h(cf_reversible)));
      for (it->SeekToFirst(); it->Valid() && st.ok(); it->Next())
         st = batch.Delete(h(cf_reversible), it->key());
      if (st.ok() && !it->status().ok())
         st = it->status();
   }
   if (st.ok())
      st = batch.Put(h(cf_meta), "version", le32(format_version));
   rocksdb::WriteOptions wo;
   wo.sync = true;
   if (st.ok())
      st = db_->Write(wo, &batch);
   if (!st.ok())
      return unexpected{fmt::format("{}: migrate format 2 to {}: {}", where(), format_version, st.ToString())};
   return true;
}

} // namespace core
