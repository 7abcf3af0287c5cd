#include "block_json.hpp"

#include "codec/codec.hpp"

namespace blockdump {

void write_block_json(core::json_output_archive::writer_type& w, const core::signed_block& b) {
   core::json_output_archive ar(w);
   w.StartObject();
   core::json_prefix_fields(ar, b);
   ar.field("timestamp", b.timestamp);
   ar.field("producer", b.producer);
   ar.field("confirmed", b.confirmed);
   ar.field("previous", b.previous);
   ar.field("transaction_mroot", b.transaction_mroot);
   ar.field("action_mroot", b.action_mroot);
   ar.field("schedule_version", b.schedule_version);
   ar.field("new_producers", b.new_producers);

   // The extensions as the wire holds them (so that msgcraft encode reads the line back), then
   // decoded, as spring-util block-log print-log shows them (derived fields, ignored on input).
   ar.field("header_extensions", b.header_extensions);
   if (auto hx = core::decode_header_extensions(b.header_extensions)) {
      if (hx->feature_activation) {
         ar.key("new_protocol_features");
         w.StartArray();
         for (const auto& f : hx->feature_activation->protocol_features) {
            w.StartObject();
            ar.field("feature_digest", f);
            w.EndObject();
         }
         w.EndArray();
      }
      if (hx->new_producer_schedule)
         ar.field("new_producer_schedule", *hx->new_producer_schedule);
      if (hx->finality)
         ar.field("finality_extension", *hx->finality);
   }

   ar.field("producer_signature", b.producer_signature);
   ar.field("transactions", b.transactions);

   ar.field("block_extensions", b.block_extensions);
   if (auto bx = core::decode_block_extensions(b.block_extensions)) {
      if (bx->additional_signatures)
         ar.field("additional_signatures", *bx->additional_signatures);
      if (bx->qc)
         ar.field("qc_extension", *bx->qc);
   }
   w.EndObject();
}

} // namespace blockdump
