#include "rest/rest_responses.hpp"

#include <utility>

#include "rest/rest_checks.hpp"
#include "rest/rest_errors.hpp"
#include "rest/rest_events.hpp"
#include "util/log.hpp"

namespace elizacloud::rest {

Headers base_headers(const char *content_type) {
    return {{"Content-Type", content_type},
            {"Cache-Control", "no-store"},
            {"X-Content-Type-Options", "nosniff"}};
}

RestResponse json_response(int status, std::string body) {
    RestResponse r;
    r.status = status;
    r.headers = base_headers();
    r.body = std::move(body);
    return r;
}

RestResponse error_response(int status, std::string_view message, const char *status_field) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    if (status_field) json::set(doc, "status", json::string_value(status_field, alloc), alloc);
    json::set(doc, "error", json::string_value(message, alloc), alloc);
    return json_response(status, json::stringify(doc));
}

RestResponse from_error(const ErrorInfo &error) {
    log::warn("[rest] {}: {}", status_name(error.status), error.message);
    const RestError mapped = rest_error(error.status);
    RestResponse r = error_response(mapped.http_status, mapped.message);
    if (error.status == Status::RateLimited && error.retry_after_ms >= 0)
        r.headers.emplace_back("Retry-After", std::to_string((error.retry_after_ms + 999) / 1000));
    return r;
}

void parse_result(const std::string &text, json::Document &doc) {
    if (!json::parse(text, doc)) throw Error(Status::Protocol, "unparsable result from the core");
}

std::optional<RestResponse> refuse_body(const std::string &body, json::Document &input) {
    if (!json_depth_within(body, kMaxJsonDepth) || !json::parse(body, input))
        return error_response(400, "Invalid JSON in request body");
    if (!valid_utf8(body)) return error_response(400, "Request body must be valid UTF-8");
    if (!input.IsObject()) return error_response(400, "Request body must be a JSON object");
    return std::nullopt;
}

RestResponse stream_response(std::shared_ptr<RestStream> stream) {
    RestResponse r;
    r.status = 200;
    r.headers = base_headers("text/event-stream");
    r.headers.emplace_back("X-Accel-Buffering", "no");  // proxies must not hold frames back
    r.stream = std::move(stream);
    return r;
}

}  // namespace elizacloud::rest
