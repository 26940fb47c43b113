// One error model for every cloud error family (SPEC §2.2, C§7.4): the HTTP status picks the
// Status, the body supplies the cloud's message, code, retry-after and 402 balance figures.
// Messages are bounded and never the raw body, so a huge or hostile error page cannot flood
// logs, events or exceptions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "net/engine.hpp"
#include "util/error.hpp"
#include "util/json.hpp"

namespace elizacloud {

// The error body shape a route is documented to use. It only sets which shape is tried first:
// every shape is recognised on every route, because the cloud mixes them (an OpenAI-style
// route's rate limiter answers in the cloud-native shape, C§8 item 8).
enum class ErrorFamily {
    Cloud,      // {success:false, error:"msg", code?, details?}
    Bare,       // {error:"msg"}
    OpenAI,     // {error:{message, type, code?}}
    Anthropic,  // {type:"error", error:{type, message}}
    JsonRpc,    // {jsonrpc, id, error:{code, message}}
};

inline constexpr size_t kMaxErrorMessageBytes = 512;

// The one error of an operation that needs an API key and has none: NotConnected, "log in first".
// (A handle whose stored key belongs to another cloud says so instead: Account::require_key.)
Error no_api_key_error();

// 400/413/422→InvalidRequest, 401→Unauthorized, 402→InsufficientCredits, 403→Forbidden,
// 404→NotFound, 409→Conflict, 429→RateLimited, anything else→Server.
Status status_for_http(int http_status);

// The ErrorInfo of a finished response: the engine's own error (transport, redirect refused,
// timeout, cancelled…) passes through unchanged; a 2xx is Ok; any other status is mapped with
// the cloud's message (or "HTTP <n>" when the body carries none), code, retry-after and balances.
ErrorInfo error_from_response(const HttpResponse &response,
                              ErrorFamily family = ErrorFamily::Cloud);

// Parses a 2xx body as JSON. Malformed JSON → Protocol with a bounded description.
ErrorInfo parse_json_body(const HttpResponse &response, json::Document &doc);

// The whole check of a cloud-native answer: error_from_response, then a JSON object body
// (Protocol otherwise), then "success": false on a 2xx is an error too (Server, or the status
// the cloud's code names). On Ok, doc holds the body.
ErrorInfo parse_cloud_envelope(const HttpResponse &response, json::Document &doc,
                               ErrorFamily family = ErrorFamily::Cloud);

// A JSON-RPC reply's "error" member as Status::Agent (message, code kept as cloud_code);
// nullopt when the reply has none.
std::optional<ErrorInfo> jsonrpc_error(const json::Value &reply);

// SPEC §2.9 for a request that is safe to send again (GET, PUT, DELETE, a bridge call with a
// clientMessageId, a stream before its first chunk, a POST its caller marks idempotent): how
// long to wait before retry number retries_done + 1, or -1 when the error is not retried.
// Retried: is_transient errors. The wait is the cloud's Retry-After / retry-after-ms when it sent
// one (a wait above 60 s is not retried: the error surfaces with its retry-after), else
// 0.5 s × 2^n capped at 8 s with up to 25 % jitter.
int64_t retry_delay_ms(const ErrorInfo &error, int retries_done, int max_retries);

// A failure that may pass by itself: a dropped connection or a timeout (no HTTP answer), HTTP
// 408, 429, 500, 502, 503, 504, or a body the cloud marks "retryable": true.
bool is_transient(const ErrorInfo &error);

// The X-RateLimit-Limit/Remaining/Reset headers as {"limit","remaining","reset"} (values the
// cloud did not send, or not as integers, are null); "" when none was sent.
std::string rate_limit_json(const Headers &headers);

// Cuts text to at most max_bytes on a UTF-8 boundary and marks the cut with "…".
std::string bounded_message(std::string_view text, size_t max_bytes = kMaxErrorMessageBytes);

// Retry-After header value (delta-seconds or HTTP-date) in ms; -1 when absent or unparsable.
int64_t parse_retry_after(std::string_view value, int64_t now_epoch_seconds);

}  // namespace elizacloud
