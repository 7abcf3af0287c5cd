#include "savanna_fields.hpp"

#include <fmt/format.h>

#include <ostream>

namespace blockdump {

void write_qc_claim(rapidjson::Writer<rapidjson::StringBuffer>& w, const std::optional<core::qc_claim>& claim) {
   if (!claim) {
      w.Null();
      return;
   }
   w.StartObject();
   w.Key("block_num");
   w.Uint(claim->block_num);
   w.Key("is_strong_qc");
   w.Bool(claim->is_strong_qc);
   w.EndObject();
}

std::string qc_claim_text(const core::qc_claim& claim) {
   return fmt::format("{} {}", claim.block_num, claim.is_strong_qc ? "strong" : "weak");
}

savanna_fields savanna_fields::of_state(const core::block_header_state& s) {
   savanna_fields f;
   if (!s.savanna)
      return f;
   f.stage = s.is_proper_savanna() ? "yes" : "transition";
   f.finalizer_policy_generation = s.savanna->active_finalizer_policy->generation;
   if (s.savanna->pending_finalizer_policy)
      f.pending_finalizer_policy_generation = s.savanna->pending_finalizer_policy_generation();
   f.last_qc = s.savanna->core.latest_qc_claim();
   return f;
}

void savanna_fields::observe(const core::signed_block& b) {
   auto hx = core::decode_header_extensions(b.header_extensions);
   if (!hx || !hx->finality) { // a legacy block, or one whose extensions do not decode (verify says why)
      stage = "";
      last_qc.reset();
      return;
   }
   stage = b.is_proper_savanna() ? "yes" : "transition";
   last_qc = hx->finality->qc_claim;
   if (hx->finality->new_finalizer_policy_diff)
      last_proposed_finalizer_policy_generation = hx->finality->new_finalizer_policy_diff->generation;
}

void savanna_fields::print_text(std::ostream& out) const {
   if (!*stage)
      return;
   out << fmt::format("{:<16}{}\n", "savanna", stage);
   if (finalizer_policy_generation)
      out << fmt::format("{:<16}{}\n", "finalizers", *finalizer_policy_generation);
   if (pending_finalizer_policy_generation)
      out << fmt::format("{:<16}{}\n", "pending", *pending_finalizer_policy_generation);
   if (last_proposed_finalizer_policy_generation)
      out << fmt::format("{:<16}{}\n", "proposed", *last_proposed_finalizer_policy_generation);
   if (last_qc)
      out << fmt::format("{:<16}{}\n", "last_qc", qc_claim_text(*last_qc));
}

void savanna_fields::write_json(rapidjson::Writer<rapidjson::StringBuffer>& w, bool from_state) const {
   auto optional_uint = [&](const char* key, const std::optional<uint32_t>& v) {
      w.Key(key);
      v ? (void)w.Uint(*v) : (void)w.Null();
   };
   w.Key("savanna");
   w.Bool(std::string_view(stage) == "yes");
   if (from_state) {
      optional_uint("finalizer_policy_generation", finalizer_policy_generation);
      optional_uint("pending_finalizer_policy_generation", pending_finalizer_policy_generation);
   } else {
      optional_uint("last_proposed_finalizer_policy_generation", last_proposed_finalizer_policy_generation);
   }
   w.Key("last_qc");
   write_qc_claim(w, last_qc);
}

} // namespace blockdump
