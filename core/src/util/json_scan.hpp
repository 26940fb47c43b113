// Reading one member of a JSON document without building it: hot paths (a stream chunk's text,
// a reply's text) need one string out of a small object, and a DOM cost more than the rest of
// their work. Acceptance is json::parse's: the whole text must be valid JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace elizacloud::json {

// The string value of the first member named key of the top-level object; nullopt when the text
// is not valid JSON, not an object, or that member is missing or not a string.
std::optional<std::string> top_level_string(std::string_view text, std::string_view key);

// A JSON-RPC reply as far as a chat answer needs it.
struct ReplyScan {
    bool has_error = false;           // a top-level "error" member, whatever its value
    std::optional<std::string> text;  // result.text when result is an object and text a string
};
// nullopt when the text is not valid JSON or not an object. Members found first count, as the
// DOM's member lookup finds them.
std::optional<ReplyScan> scan_reply(std::string_view text);

}  // namespace elizacloud::json
