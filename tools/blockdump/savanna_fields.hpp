#pragma once
/// The Savanna fields blockdump shows beside a chain's head: in verify's summary, and in info and
/// forkdb on a data dir (from the header state) or on a blocks.log (from the blocks themselves).
#include "chain/block_header_state.hpp"
#include "types/block.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace blockdump {

/// A QC claim as JSON: {"block_num","is_strong_qc"}, or null. verify, info and forkdb write it.
void write_qc_claim(rapidjson::Writer<rapidjson::StringBuffer>& w, const std::optional<core::qc_claim>& claim);
/// A QC claim as text: "34 strong" or "34 weak".
std::string qc_claim_text(const core::qc_claim& claim);

/// What a head says of finality. A legacy head has none of it.
struct savanna_fields {
   /// "yes" for a proper Savanna block, "transition" for a transition block, empty on legacy.
   const char* stage = "";
   /// The active finalizer policy's generation (known from a header state only).
   std::optional<uint32_t> finalizer_policy_generation;
   /// The pending policy's generation, when one is pending (header state only).
   std::optional<uint32_t> pending_finalizer_policy_generation;
   /// The generation of the newest finalizer policy proposed in the blocks read (blocks.log only).
   std::optional<uint32_t> last_proposed_finalizer_policy_generation;
   /// The head's QC claim: the newest block a QC certifies, and whether that QC is strong.
   std::optional<core::qc_claim> last_qc;

   /// From a header state: its finality core and policies.
   static savanna_fields of_state(const core::block_header_state& s);

   /// From the blocks of a log, oldest first: call observe() on each, the head last.
   void observe(const core::signed_block& b);

   /// Text rows ("savanna", "finalizers", "pending", "proposed", "last_qc"), none on legacy.
   void print_text(std::ostream& out) const;
   /// JSON members: "savanna" (bool), "finalizer_policy_generation", "pending_finalizer_policy_generation"
   /// (state only), "last_proposed_finalizer_policy_generation" (log only), "last_qc"
   /// ({"block_num","is_strong_qc"} or null).
   void write_json(rapidjson::Writer<rapidjson::StringBuffer>& w, bool from_state) const;
};

} // namespace blockdump
