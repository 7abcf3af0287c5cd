#pragma once
/// A block as `msgcraft decode --type signed_block` prints it, so that `msgcraft encode` reads
/// the line back: the derived block_num, id and ref_block_prefix first, then the block's fields
/// with "header_extensions" and "block_extensions" as the wire holds them ([id, hex] pairs).
/// Beside them, derived fields show the known extensions decoded as `spring-util block-log
/// print-log` shows them: new_protocol_features, new_producer_schedule, finality_extension
/// (after header_extensions), additional_signatures and qc_extension (after block_extensions).
/// A block whose known extensions do not decode gets no decoded fields.
#include "codec/json_archive.hpp"
#include "types/block.hpp"

namespace blockdump {

void write_block_json(core::json_output_archive::writer_type& w, const core::signed_block& b);

} // namespace blockdump
