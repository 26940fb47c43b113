// The one mapping from libcurl result codes to the core's Status, and the messages that go with
// them. Everything the engine reports about a failed transfer passes through here.
#pragma once

#include <curl/curl.h>

#include <string>

#include "util/error.hpp"

namespace elizacloud {

// Timeouts → Timeout; DNS, connect, reset, partial body, receive/send errors → Network; TLS and
// certificate failures → Tls; size limit → ResponseTooLarge; our own callback aborts are resolved
// by the engine before it asks (they carry their own status).
Status status_from_curl(CURLcode code);

// "<what happened>: <curl's description> (<curl's error buffer>)". detail may be null or empty.
ErrorInfo curl_error(CURLcode code, const char *detail);

}  // namespace elizacloud
