#pragma once
/// Runs msgcraft commands in-process and captures what they print.
#include <string>
#include <vector>

namespace test {

struct msgcraft_result {
   int code = -1;
   std::string out;
   std::string err;
   /// stdout split into lines (without the newlines).
   std::vector<std::string> lines() const;
   /// stderr split into lines.
   std::vector<std::string> err_lines() const;
};

msgcraft_result run_msgcraft(std::vector<std::string> args, const std::string& stdin_text = "");

} // namespace test
