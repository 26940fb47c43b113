// What a request and its response are, for the engine that runs them (engine.hpp), the transfer
// that carries one (transfer.hpp) and every component that builds requests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/error.hpp"

namespace elizacloud {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; nullptr when absent.
const std::string *find_header(const Headers &headers, std::string_view name);

using RequestId = uint64_t;  // one submitted request of an engine

// One part of a multipart/form-data body (HttpRequest::form): a text field, or a file sent from
// disk (path: read by libcurl while sending, never loaded whole) or from memory (data).
struct FormPart {
    std::string name;
    std::string data;          // a text field's value, or a file's bytes when path is empty
    std::string path;          // a file on disk
    std::string filename;      // a file's name as the server sees it; empty for a text field
    std::string content_type;  // a file's media type; empty = libcurl's guess
    bool is_file() const { return !path.empty() || !filename.empty(); }
};

constexpr size_t kDefaultMaxResponseBytes = 16u * 1024u * 1024u;

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    Headers headers;
    std::string body;
    // A multipart/form-data body instead of `body` (libcurl's curl_mime writes the boundary and
    // the Content-Type header). Kept here, not in a libcurl object, so a retry can send it again.
    std::vector<FormPart> form;
    // The timeouts start when the request runs, after any wait for a slot of its host (see
    // EngineOptions::max_host_connections).
    int connect_timeout_ms = 10'000;
    int total_timeout_ms = 30'000;  // 0 = no overall limit (streams)
    int idle_timeout_ms = 0;        // 0 = none; else fail when no byte arrives for this long
    // Counted over headers and body, streamed or collected; more fails with ResponseTooLarge.
    size_t max_response_bytes = kDefaultMaxResponseBytes;
    // Streaming. When set and the response status is 2xx, body bytes are handed here as they
    // arrive (on the I/O thread, in order) instead of being collected in HttpResponse::body.
    // Non-2xx bodies are always collected so the error can be parsed.
    std::function<void(std::string_view)> on_data;
    // CURLOPT_RESOLVE entries ("host:port:address"). For tests of connect-time enforcement.
    std::vector<std::string> resolve;
    // False: the response keeps only kLibraryHeaders, and none when it succeeds (2xx), for
    // requests whose headers nobody but the library reads (the bridge's). Storing every header
    // (the cloud sends CORS headers to any client) cost two allocations each, on every message.
    bool all_response_headers = true;
};

// The response headers the library itself reads (redirects, retries, rate limits, streams).
inline constexpr std::string_view kLibraryHeaders[] = {
    "Location",          "Retry-After",           "retry-after-ms",   "Content-Type",
    "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"};

struct HttpResponse {
    // Transport outcome. Ok means an HTTP response with a non-3xx status arrived complete;
    // http_status then says what the server answered. A 3xx completes as RedirectRefused
    // (message names the status and Location) with http_status and headers filled in.
    ErrorInfo error;
    int http_status = 0;
    Headers headers;
    std::string body;
    // The request this answers, handed back by the engine (moved out of the transfer, not
    // copied): a retry sends it again without keeping a copy of every attempt's request.
    HttpRequest sent;

    bool ok() const { return error.ok(); }
};

// Called exactly once per submitted request, on the I/O thread — also when the request is
// cancelled (Status::Cancelled) or the engine is destroyed (Status::Cancelled).
using Completion = std::function<void(HttpResponse &&)>;

}  // namespace elizacloud
