#pragma once
/// A block as `spring-util block-log print-log` prints it (Spring's abi_serializer for
/// signed_block): the derived block_num, id and ref_block_prefix first, the header fields
/// (new_producers null when absent), then the known header extensions decoded as objects —
/// new_protocol_features, new_producer_schedule, finality_extension — the producer signature,
/// the transactions, and the known block extensions — additional_signatures, qc_extension.
/// Extensions of unknown ids stay bytes, in "header_extensions" / "block_extensions" arrays of
/// [id, hex] holding only those (Spring refuses such blocks); a block whose known extensions
/// do not decode prints all of them that way.
#include "codec/json_archive.hpp"
#include "types/block.hpp"

namespace blockdump {

void write_block_json(core::json_output_archive::writer_type& w, const core::signed_block& b);

} // namespace blockdump
