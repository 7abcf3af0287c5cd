#include "run_msgcraft.hpp"

#include "msgcraft.hpp"

#include <sstream>

namespace test {

namespace {
std::vector<std::string> split_lines(const std::string& s) {
   std::vector<std::string> out;
   std::size_t start = 0;
   while (start < s.size()) {
      auto nl = s.find('\n', start);
      if (nl == std::string::npos)
         nl = s.size();
      out.push_back(s.substr(start, nl - start));
      start = nl + 1;
   }
   return out;
}
} // namespace

std::vector<std::string> msgcraft_result::lines() const { return split_lines(out); }
std::vector<std::string> msgcraft_result::err_lines() const { return split_lines(err); }

msgcraft_result run_msgcraft(std::vector<std::string> args, const std::string& stdin_text) {
   std::istringstream in(stdin_text);
   std::ostringstream out, err;
   msgcraft_result r;
   r.code = msgcraft::run(std::move(args), in, out, err);
   r.out = out.str();
   r.err = err.str();
   return r;
}

} // namespace test
