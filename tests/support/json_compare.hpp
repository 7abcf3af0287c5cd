#pragma once
/// Structural comparison of JSON documents for golden-vector checks.
#include <rapidjson/document.h>

#include <string>

namespace test {

/// True if every member of `expected` is present in `actual` with an equal value (recursively;
/// arrays must have equal length). Extra members in `actual` (derived fields) are allowed.
/// On mismatch, `where` names the first differing path and both values.
bool json_subset(const rapidjson::Value& expected, const rapidjson::Value& actual, std::string& where,
                 const std::string& path = "");

} // namespace test
