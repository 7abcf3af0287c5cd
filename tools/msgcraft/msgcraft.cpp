#include "msgcraft.hpp"

#include "commands.hpp"

#ifndef MSGCRAFT_VERSION
#define MSGCRAFT_VERSION "unknown"
#endif

namespace msgcraft {

int run(std::vector<std::string> args, std::istream& in, std::ostream& out, std::ostream& err) {
   const streams io{in, out, err};
   CLI::App app("Craft and inspect EOS/Antelope (Leap 5) p2p messages byte-for-byte", "msgcraft");
   app.set_version_flag("--version", "msgcraft " MSGCRAFT_VERSION);
   app.require_subcommand(1);
   const std::vector<command> commands = {
      add_decode_command(app, io),
      add_encode_command(app, io),
      add_key_command(app, io),
      add_send_command(app, io),
      add_fuzz_command(app, io),
      add_probe_command(app, io),
      add_pcap_command(app, io),
      add_wireshark_command(app, io),
   };
   return core::cli::run(app, commands, std::move(args), io);
}

} // namespace msgcraft
