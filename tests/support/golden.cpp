#include "support/golden.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

namespace test {

namespace {

/// How many vectors of each type golden.jsonl holds, and how many of them carry framed_hex. The
/// loops over the vectors rely on it: a type that lost its vectors (or a file of another
/// version) fails every test that reads the file instead of letting a loop run zero times.
struct type_count {
   std::size_t vectors;
   std::size_t framed;
};
const std::map<std::string, type_count>& expected_counts() {
   static const std::map<std::string, type_count> m = {
      {"name", {12, 0}},
      {"name_invalid", {1, 0}},
      {"varuint32", {13, 0}},
      {"varint32", {9, 0}},
      {"k1_keypair", {5, 0}},
      {"k1_signature", {22, 0}},
      {"r1_keypair", {1, 0}},
      {"r1_signature", {1, 0}},
      {"public_key", {1, 0}},
      {"signature", {1, 0}},
      {"sha256", {1, 0}},
      {"merkle", {6, 0}},
      {"block_timestamp_type", {3, 0}},
      {"time_point_sec", {1, 0}},
      {"block_header", {3, 0}},
      {"transaction", {3, 0}},
      {"packed_transaction", {4, 4}},
      {"signed_block", {13, 13}},
      {"handshake_message", {3, 3}},
      {"chain_size_message", {1, 1}},
      {"go_away_message", {13, 13}},
      {"time_message", {3, 3}},
      {"notice_message", {13, 13}},
      {"request_message", {12, 12}},
      {"sync_request_message", {4, 4}},
      {"spring_block_nack_message", {1, 1}},
      {"spring_block_notice_message", {1, 1}},
      {"spring_transaction_notice_message", {1, 1}},
      {"spring_gossip_bp_peers_message", {1, 1}},
   };
   return m;
}

/// Throws naming every type whose count differs from expected_counts().
void check_counts(const std::vector<golden_vector>& all, const std::string& path) {
   std::map<std::string, type_count> found;
   for (const auto& v : all) {
      auto& c = found[v.type];
      ++c.vectors;
      c.framed += v.framed_hex().empty() ? 0 : 1;
   }
   std::string diff;
   for (const auto& [type, want] : expected_counts()) {
      const auto it = found.find(type);
      const type_count got = it == found.end() ? type_count{0, 0} : it->second;
      if (got.vectors != want.vectors || got.framed != want.framed)
         diff += " " + type + ": " + std::to_string(got.vectors) + " (" + std::to_string(got.framed) +
                 " framed), expected " + std::to_string(want.vectors) + " (" + std::to_string(want.framed) + " framed);";
   }
   for (const auto& [type, got] : found)
      if (!expected_counts().contains(type))
         diff += " " + type + ": " + std::to_string(got.vectors) + ", a type no test expects;";
   if (!diff.empty())
      throw std::runtime_error(path + " does not hold the vectors the tests expect:" + diff);
}

} // namespace

std::string shared_path(const std::string& rel) {
   const char* env = std::getenv("P2P_SHARED");
   std::string base = env && *env ? env : P2P_SHARED_DIR;
   return base + "/" + rel;
}

const std::vector<golden_vector>& golden() {
   static const std::vector<golden_vector> all = [] {
      std::vector<golden_vector> out;
      const std::string path = shared_path("protocol/vectors/golden.jsonl");
      std::ifstream in(path);
      if (!in)
         throw std::runtime_error("cannot open " + path);
      std::string line;
      while (std::getline(in, line)) {
         if (line.empty())
            continue;
         auto doc = std::make_shared<rapidjson::Document>();
         doc->Parse(line.c_str(), line.size());
         if (doc->HasParseError())
            throw std::runtime_error("bad JSON line in " + path);
         golden_vector v;
         v.name = (*doc)["name"].GetString();
         v.type = (*doc)["type"].GetString();
         v.doc = std::move(doc);
         out.push_back(std::move(v));
      }
      check_counts(out, path);
      return out;
   }();
   return all;
}

std::vector<golden_vector> golden_of_type(const std::string& type) {
   if (!expected_counts().contains(type))
      throw std::runtime_error("golden_of_type: no vectors of type " + type + " are expected");
   std::vector<golden_vector> out;
   for (const auto& v : golden())
      if (v.type == type)
         out.push_back(v);
   return out;
}

const golden_vector& golden_named(const std::string& name) {
   for (const auto& v : golden())
      if (v.name == name)
         return v;
   throw std::runtime_error("no golden vector named " + name);
}

std::string to_json_string(const rapidjson::Value& v) {
   rapidjson::StringBuffer sb;
   rapidjson::Writer<rapidjson::StringBuffer> w(sb);
   v.Accept(w);
   return sb.GetString();
}

std::string str_of(const rapidjson::Value& v) {
   if (v.IsString())
      return v.GetString();
   if (v.IsUint64())
      return std::to_string(v.GetUint64());
   if (v.IsInt64())
      return std::to_string(v.GetInt64());
   if (v.IsBool())
      return v.GetBool() ? "true" : "false";
   return to_json_string(v);
}

} // namespace test
