// Random UUID v4 (login session ids, JSON-RPC request ids) and the UUID shape check that keeps
// malformed agent ids from ever reaching a request path.
#pragma once

#include <string>
#include <string_view>

namespace elizacloud {

// A fresh random UUID v4 in lower-case 8-4-4-4-12 form, from the kernel CSPRNG (getrandom, read
// for several UUIDs at once per thread; a forked child never reuses its parent's bytes).
// Throws Error(Internal) only if the kernel refuses randomness.
std::string uuid_v4();
// The same, appended to out.
void append_uuid_v4(std::string &out);

// True for 36 characters shaped 8-4-4-4-12 of hex digits (any case, any version).
bool is_uuid(std::string_view text);

}  // namespace elizacloud
