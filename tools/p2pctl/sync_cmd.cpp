// `sync`: the sync manager's state as aligned key/value lines.
#include "commands.hpp"

#include <rapidjson/document.h>

#include <ostream>
#include <string_view>

namespace p2pctl {

namespace {

/// The requested range exists only while catching up to a LIB: outside lib_catchup its numbers
/// are shown as "-", whatever an older node reports there (its initial next_expected_num 1).
void print_sync(const rapidjson::Value& result, std::ostream& out) {
   const auto* stage = member(result, "stage");
   const bool fetching = stage && stage->IsString() && std::string_view(stage->GetString()) == "lib_catchup";
   if (fetching || !result.IsObject()) {
      print_key_values(result, out);
      return;
   }
   rapidjson::Document shown;
   shown.CopyFrom(result, shown.GetAllocator());
   for (const char* k : {"last_requested_num", "next_expected_num"})
      if (auto it = shown.FindMember(k); it != shown.MemberEnd())
         it->value.SetNull();
   print_key_values(shown, out);
}

} // namespace

command add_sync_command(CLI::App& app, const context& ctx) {
   auto* cmd = app.add_subcommand("sync", "sync stage, known LIB, requested and expected blocks, sync source");
   return {cmd, [&ctx] { return round_trip(ctx, request("sync"), {print_sync}); }};
}

} // namespace p2pctl
