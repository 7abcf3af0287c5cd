#include "support/golden.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace test {

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
      if (out.empty())
         throw std::runtime_error("no vectors in " + path);
      return out;
   }();
   return all;
}

std::vector<golden_vector> golden_of_type(const std::string& type) {
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
