// The JSON answers every route builds: headers, bodies, and failures of the core in our words.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "rest/rest_api.hpp"
#include "util/error.hpp"
#include "util/json.hpp"

namespace elizacloud::rest {

// How deeply a request body's JSON may nest (deeper is refused as invalid JSON).
inline constexpr int kMaxJsonDepth = 128;

// Content-Type, Cache-Control: no-store, X-Content-Type-Options: nosniff.
Headers base_headers(const char *content_type = "application/json");
RestResponse json_response(int status, std::string body);
// {"error": message}, plus "status": status_field (the login-status route).
RestResponse error_response(int status, std::string_view message,
                            const char *status_field = nullptr);
// A failure of the core: our message and its HTTP status (rest_error), Retry-After on 429. The
// detail (it may quote the cloud) goes to the log, redacted.
RestResponse from_error(const ErrorInfo &error);
// A result of Cloud::run as a document; throws Error(Protocol) when it does not parse.
void parse_result(const std::string &text, json::Document &doc);
// A request body's common checks, in order: JSON (not too deep; an empty body is invalid too),
// valid UTF-8 (bytes that are not text are never forwarded, nor echoed back, to the cloud), an
// object. The 400 answer of the first that fails, or nullopt with input parsed.
std::optional<RestResponse> refuse_body(const std::string &body, json::Document &input);
// An SSE answer whose body is stream.
RestResponse stream_response(std::shared_ptr<RestStream> stream);

}  // namespace elizacloud::rest
