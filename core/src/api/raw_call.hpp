// The generic request's call (the "request" row, SPEC §2.8): its checked parameters turned into
// what is sent. Everything a caller gives is checked here, before any request: the path is a
// route of the generation's catalogue (or the caller said uncatalogued), placeholders are filled
// with percent-encoded values, a concrete path is already encoded and has no dot segments, query
// values are scalars, headers are tokens without CR/LF and cannot replace the key or framing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/operation_spec.hpp"
#include "api/route_catalogue.hpp"
#include "net/http.hpp"
#include "util/json.hpp"

namespace elizacloud::api {

enum class StreamMode { None, Sse, Bytes };

struct RawCall {
    std::string method;
    std::string path_and_query;  // from the origin, encoded: /api/v1/apps/a%20b?x=1
    Headers headers;             // the caller's extra headers (Content-Type included with body)
    bool has_body = false;
    std::string body;
    std::vector<FormPart> form;  // a multipart body (files, form) instead of body
    StreamMode stream = StreamMode::None;
    int max_retries = -1;          // -1: the client's
    int timeout_ms = -1;           // -1: the client's
    bool idempotent = false;       // safe to repeat: GET/HEAD/PUT/DELETE, or the caller said so
    const Route *route = nullptr;  // null when uncatalogued
};

// params: checked against the "request" row. Throws Error(InvalidArgument) with a message that
// says what to change.
RawCall build_raw_call(const json::Value &params, Generation generation);

}  // namespace elizacloud::api
