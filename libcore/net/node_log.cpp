#include "net/node_log.hpp"

#include "types/time_types.hpp"

#include <ostream>

namespace core {

log_level parse_log_level(std::string_view s) {
   if (s == "debug")
      return log_level::debug;
   if (s == "warn")
      return log_level::warn;
   if (s == "error")
      return log_level::error;
   return log_level::info;
}

std::string_view to_string(log_level l) {
   switch (l) {
   case log_level::debug: return "debug";
   case log_level::info: return "info";
   case log_level::warn: return "warn";
   case log_level::error: return "error";
   }
   return "info";
}

void node_log::write(log_level l, std::string_view component, std::string_view msg) {
   if (!enabled(l))
      return;
   const net_time now = clock_ ? clock_->now() : system_net_clock{}.now();
   std::string line = fmt::format("{:<5} {} {:<8} ", to_string(l),
                                  time_point{std::chrono::duration_cast<std::chrono::microseconds>(now).count()}.to_string(),
                                  component);
   line.reserve(line.size() + msg.size() + 1);
   for (char c : msg)
      line.push_back(c == '\n' || c == '\r' ? ' ' : c);
   line.push_back('\n');
   out_.write(line.data(), static_cast<std::streamsize>(line.size()));
   out_.flush();
}

std::string expand_peer_log_format(std::string_view format, const peer_log_fields& f) {
   std::string out;
   out.reserve(format.size() + 32);
   std::size_t i = 0;
   while (i < format.size()) {
      if (format[i] == '$' && i + 1 < format.size() && format[i + 1] == '{') {
         auto close = format.find('}', i + 2);
         if (close != std::string_view::npos) {
            auto var = format.substr(i + 2, close - i - 2);
            bool known = true;
            if (var == "_name")
               out += f.name;
            else if (var == "_peer")
               out += f.peer;
            else if (var == "_cid")
               out += std::to_string(f.cid);
            else if (var == "_ip")
               out += f.ip;
            else if (var == "_port")
               out += std::to_string(f.port);
            else if (var == "_lip")
               out += f.lip;
            else if (var == "_lport")
               out += std::to_string(f.lport);
            else
               known = false;
            if (known) {
               i = close + 1;
               continue;
            }
         }
      }
      out.push_back(format[i++]);
   }
   return out;
}

} // namespace core
