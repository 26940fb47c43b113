// The request checks of the local REST API (SPEC §3, R190–R195), as pure functions so they can be
// tested one by one: the Host allow-list against DNS rebinding, the Origin allow-list against
// cross-site requests, the bearer token compared in constant time, and query-string parsing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/encoding.hpp"

namespace elizacloud::rest {

// Host header allowed (R194): missing or empty; localhost, 127.0.0.1, ::1 (bracketed or not),
// 0:0:0:0:0:0:0:1, ::ffff:127.0.0.1, each with an optional port; or a name of extra (the bind
// host, operator-supplied names), compared case-insensitively. Anything else — other names,
// "attacker.localhost", "0.0.0.0", private addresses — is refused.
bool host_allowed(std::string_view host_header, const std::vector<std::string> &extra);

// Origin header allowed: absent; http(s)://localhost|127.0.0.1|[::1] with an optional port; or
// exactly one of extra. A browser page anywhere else must not drive the local API (CSRF).
bool origin_allowed(std::string_view origin, const std::vector<std::string> &extra);

// Loopback bind addresses (R190): 127.x.y.z, ::1, 0:0:0:0:0:0:0:1, ::ffff:127.x.y.z, localhost
// (brackets allowed). Binding anything else requires a token.
bool is_loopback_bind(std::string_view host);

// The token of "Authorization: Bearer <token>" (scheme case-insensitive, blanks trimmed);
// nullopt for another scheme or an empty token.
std::optional<std::string_view> bearer_token(std::string_view authorization);

// Equality whose running time depends only on the secret's length, never on where (or whether)
// the presented value differs.
bool constant_time_equal(std::string_view presented, std::string_view secret);

// The first value of name in a query string ("a=1&b=2"), percent-decoded ('+' is a space);
// nullopt when absent. A malformed escape makes the value nullopt too.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

// False when arrays/objects nest deeper than max_depth (strings are skipped). Run before parsing
// a client's body: the JSON parser and the document's destructor both recurse per level.
bool json_depth_within(std::string_view text, int max_depth);

using elizacloud::valid_utf8;  // util/encoding.hpp

// A C0 control character (U+0000–U+001F), DEL or a C1 control (U+0080–U+009F) in UTF-8 text.
bool has_control_chars(std::string_view text);

}  // namespace elizacloud::rest
