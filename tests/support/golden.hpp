#pragma once
/// Access to ../shared/protocol/vectors/golden.jsonl, read at run time.
/// The shared folder is $P2P_SHARED if set, else the P2P_SHARED_DIR the build was configured with.
#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <vector>

namespace test {

/// Path of a file under shared/ (e.g. "protocol/vectors/golden.jsonl").
std::string shared_path(const std::string& rel);

struct golden_vector {
   std::string name;
   std::string type;
   std::shared_ptr<rapidjson::Document> doc; ///< the whole line
   const rapidjson::Value& fields() const { return (*doc)["fields"]; }
   bool has_derived() const { return doc->HasMember("derived"); }
   const rapidjson::Value& derived() const { return (*doc)["derived"]; }
   std::string hex() const { return (*doc)["hex"].GetString(); }
   std::string framed_hex() const { return doc->HasMember("framed_hex") ? (*doc)["framed_hex"].GetString() : ""; }
};

/// All vectors (loaded once). Throws if the file is missing or does not hold exactly the number
/// of vectors of each type (and of framed ones) that golden.cpp expects.
const std::vector<golden_vector>& golden();
/// Vectors of one type (throws for a type golden.cpp does not expect).
std::vector<golden_vector> golden_of_type(const std::string& type);
/// One vector by name (throws if absent).
const golden_vector& golden_named(const std::string& name);

/// Serialises a JSON value compactly.
std::string to_json_string(const rapidjson::Value& v);
/// String value of a member that may be a string or a number (fc prints large integers as strings).
std::string str_of(const rapidjson::Value& v);

} // namespace test
