// Small helpers over RapidJSON shared by every component that reads or writes JSON.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

namespace elizacloud::json {

using Document = rapidjson::Document;
using Value = rapidjson::Value;

// Parses text into doc. On failure returns false and, when error is given, describes where.
bool parse(std::string_view text, Document &doc, std::string *error = nullptr);

// Member of an object; nullptr when v is not an object or has no such member.
const Value *member(const Value &v, std::string_view key);
// Typed member lookups; nullopt when absent or of another type.
std::optional<std::string> get_string(const Value &v, std::string_view key);
std::optional<double> get_number(const Value &v, std::string_view key);
std::optional<bool> get_bool(const Value &v, std::string_view key);
std::optional<int64_t> get_int(const Value &v, std::string_view key);

// Compact serialisation.
std::string stringify(const Value &v);
// A JSON string literal, quotes included, with every needed escape.
std::string quote(std::string_view text);

// Builders that copy their strings into the document's allocator.
Value string_value(std::string_view text, Document::AllocatorType &alloc);
void set(Value &object, std::string_view key, Value value, Document::AllocatorType &alloc);

}  // namespace elizacloud::json
