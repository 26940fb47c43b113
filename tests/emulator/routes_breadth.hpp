// Helpers of the breadth areas' route files (apps, containers, keys, knowledge, voices, A2A,
// media, billing): bodies, queries and records as JSON.
#pragma once

#include <optional>
#include <string>

#include "records.hpp"
#include "routes_common.hpp"

namespace emu {

// The request's JSON body as an object (false: not JSON or not an object).
bool object_body(const Ctx &c, rapidjson::Document &doc);
// A string member, or `fallback`.
std::string string_or(const rapidjson::Value &obj, const char *name, const std::string &fallback);
// An integer query parameter: nullopt when absent, `bad` set when present but not an integer.
std::optional<int64_t> query_int(const httplib::Request &req, const char *name, bool &bad);
// A query flag: "true" or "false" (anything else is false).
std::optional<bool> query_bool(const httplib::Request &req, const char *name);
// The records' JSON as one array.
std::string records_array(const std::vector<Record> &records);
// The PNG every image generation answers (1×1, opaque black), base64.
extern const char *const kTinyPngBase64;

}  // namespace emu
