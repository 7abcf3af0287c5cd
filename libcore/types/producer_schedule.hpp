#pragma once
/// Producer schedules: the legacy producer_schedule_type carried in `new_producers`, and the
/// producer_authority_schedule of header extension 1 (chain/producer_schedule.hpp).
#include "codec/wire_types.hpp"
#include "crypto/checksum.hpp"
#include "crypto/public_key.hpp"
#include "types/name.hpp"

#include <cereal/cereal.hpp>

#include <variant>
#include <vector>

namespace core {

struct producer_key {
   name producer_name;
   public_key block_signing_key;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(producer_name), CEREAL_NVP(block_signing_key));
   }
   bool operator==(const producer_key&) const = default;
};

/// legacy::producer_schedule_type.
struct producer_schedule {
   uint32_t version = 0;
   std::vector<producer_key> producers;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(version), CEREAL_NVP(producers));
   }
   bool operator==(const producer_schedule&) const = default;
};

struct key_weight {
   public_key key;
   uint16_t weight = 0;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(key), CEREAL_NVP(weight));
   }
   bool operator==(const key_weight&) const = default;
};

struct block_signing_authority_v0 {
   uint32_t threshold = 0;
   std::vector<key_weight> keys;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(threshold), CEREAL_NVP(keys));
   }
   bool operator==(const block_signing_authority_v0&) const = default;
};

using block_signing_authority = std::variant<block_signing_authority_v0>;

struct producer_authority {
   name producer_name;
   block_signing_authority authority;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(producer_name), CEREAL_NVP(authority));
   }
   bool operator==(const producer_authority&) const = default;
};

struct producer_authority_schedule {
   uint32_t version = 0;
   std::vector<producer_authority> producers;
   template <class Ar>
   void serialize(Ar& ar) {
      ar(CEREAL_NVP(version), CEREAL_NVP(producers));
   }
   bool operator==(const producer_authority_schedule&) const = default;

   /// The legacy schedule as an authority schedule (threshold 1, one key of weight 1 each).
   static producer_authority_schedule from_legacy(const producer_schedule& s);
};

/// sha256(pack(schedule)): the pending_schedule_hash of the legacy signing digest.
checksum256 schedule_hash(const producer_schedule& s);
checksum256 schedule_hash(const producer_authority_schedule& s);

} // namespace core
