#pragma once
/// The msgcraft subcommands, one file each; run() registers them in this order.
#include "command.hpp"

namespace msgcraft {

/// `decode`: frames (or one object of --type) to JSON lines. decode_cmd.cpp.
command add_decode_command(CLI::App& app, const streams& io);
/// `encode`: JSON (as decode prints it) back to bytes. encode_cmd.cpp.
command add_encode_command(CLI::App& app, const streams& io);
/// `key new|public|convert|sign|recover`: K1/R1 keys and signatures as fc prints them. key_cmd.cpp.
command add_key_command(CLI::App& app, const streams& io);
/// `key bls new|public|pop|sign|verify|aggregate`: Spring's BLS keys; registered by
/// add_key_command under `key`. key_bls_cmd.cpp.
command add_key_bls_command(CLI::App& key, const streams& io);
/// `send HOST:PORT`: a scriptable fake peer (handshake, messages, received frames as JSON). send_cmd.cpp.
command add_send_command(CLI::App& app, const streams& io);
/// `fuzz HOST:PORT`: a structure-aware mutation fuzzer of a live peer. fuzz_cmd.cpp.
command add_fuzz_command(CLI::App& app, const streams& io);
/// `probe HOST:PORT`: a catalogue of conformance checks run against a live peer. probe_cmd.cpp.
command add_probe_command(CLI::App& app, const streams& io);
/// `pcap FILE`: the protocol's frames in a pcap/pcapng capture, as decode prints them. pcap_cmd.cpp.
command add_pcap_command(CLI::App& app, const streams& io);
/// `wireshark`: a Lua dissector generated from the codec's type table. wireshark_cmd.cpp.
command add_wireshark_command(CLI::App& app, const streams& io);

} // namespace msgcraft
