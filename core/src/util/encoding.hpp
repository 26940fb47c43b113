// Byte-level text helpers shared by the layers: UTF-8 validity (the REST API's bodies, the
// generic request's text answers) and base64 (binary answers carried in JSON).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace elizacloud {

// Well-formed UTF-8: no stray or missing continuation bytes, no overlong forms, no surrogates,
// nothing above U+10FFFF.
bool valid_utf8(std::string_view text);

// RFC 4648 base64 with padding.
std::string base64_encode(std::string_view bytes);
// The bytes of RFC 4648 base64 (padding optional; no whitespace, no URL alphabet); nullopt when
// text is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace elizacloud
