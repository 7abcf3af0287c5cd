#include "msgcraft.hpp"

#include "commands.hpp"

#include <algorithm>
#include <exception>
#include <new>
#include <ostream>

#ifndef MSGCRAFT_VERSION
#define MSGCRAFT_VERSION "unknown"
#endif

namespace msgcraft {

int run(std::vector<std::string> args, std::istream& in, std::ostream& out, std::ostream& err) {
   const streams io{in, out, err};
   try {
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
      try {
         std::reverse(args.begin(), args.end()); // CLI11 consumes arguments from the back
         app.parse(std::move(args));
         for (const auto& c : commands)
            if (c.app->parsed())
               return c.run();
         return exit_usage; // unreachable: require_subcommand(1)
      } catch (const CLI::Error& e) {
         const int rc = app.exit(e, out, err);
         return rc == 0 ? exit_ok : exit_usage;
      }
   } catch (const std::bad_alloc&) {
      return fail(err, "out of memory");
   } catch (const std::exception& e) {
      return fail(err, std::string("internal error: ") + e.what());
   }
}

} // namespace msgcraft
