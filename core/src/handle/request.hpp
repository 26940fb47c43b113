// One call of the handle: its registry row and its checked parameters, plus the values the
// session handlers read (with the row's defaults applied). Every entry point builds it here:
// ec_cloud_call by name with JSON, the typed exports and the REST API by name with fields.
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "api/operation_spec.hpp"
#include "util/json.hpp"

namespace elizacloud {

struct Request {
    const api::OperationSpec *op = nullptr;  // never null once built; its handler runs it
    // As the caller gave them, checked against the row (defaults filled in); shared so that the
    // executor reads them without parsing or checking them again.
    std::shared_ptr<const json::Document> params;
    // For the session handlers:
    std::string agent_id;  // empty when absent (optional ones mean "the connected agent")
    std::string text;
    std::string room_id;
    std::string channel_type;
    std::string backup_id;   // empty = the latest
    std::string session_id;  // a login session
    bool fresh = false;
    // The operation answers with chunks and ends with STREAM_END: a streaming row, or a generic
    // request with stream sse or bytes.
    bool streams = false;
    // ec_cloud_call_with's per-call options; -1 = the handle's.
    int max_retries = -1;
    int timeout_ms = -1;
    // A synchronous stream's chunks, for an in-library caller (the REST chat stream); empty =
    // collected in the result only. Called on a library thread in order: it must be quick and
    // must not block or call into the cloud. Returning false cancels the operation.
    std::function<bool(std::string_view text)> chunk_sink;
};

// ec_cloud_call_with's options_json ({"maxRetries": 0–10, "timeoutMs": 1–3600000}; NULL or ""
// = none) applied to r. Throws Error(InvalidArgument) for anything else, and for operations the
// options do not apply to (streaming and session operations).
void apply_call_options(Request &r, const char *options_json);

// ec_cloud_call: the operation by name, parameters as a JSON object (NULL or "" = {}). Throws
// Error(InvalidArgument) for an unknown name or bad parameters.
Request parse_request(std::string_view name, const char *params_json);

// The typed entry points: string parameters by wire name, each named once; null values are left
// out.
using StringParams = std::initializer_list<std::pair<std::string_view, const char *>>;
Request make_request(std::string_view name, StringParams params = {});

}  // namespace elizacloud
