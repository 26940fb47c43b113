// The generic request's executor (SPEC §2.8, §2.9): any route, the client's key and limits, one
// error model, retries of transient failures for requests that are safe to repeat, and the
// answer as a Response record — or as chunks while it streams.
#include <strings.h>

#include <memory>
#include <utility>

#include "api/cloud_client.hpp"
#include "api/cloud_errors.hpp"
#include "api/retrying_request.hpp"
#include "net/sse_parser.hpp"
#include "util/encoding.hpp"
#include "util/json.hpp"

namespace elizacloud {
namespace {

constexpr size_t kMaxUnparsedStreamBytes = 1024 * 1024;

bool is_json_type(std::string_view type) {
    const size_t semi = type.find(';');
    std::string_view media = type.substr(0, semi);
    return media.ends_with("/json") || media.ends_with("+json");
}

bool is_text_type(std::string_view type) {
    return type.starts_with("text/") || type.starts_with("application/xml") ||
           type.starts_with("application/javascript");
}

json::Value route_json(const api::Route *route, json::Document::AllocatorType &alloc) {
    if (!route) return json::Value();
    json::Value r(rapidjson::kObjectType);
    json::set(r, "method", json::string_value(route->method, alloc), alloc);
    json::set(r, "path", json::string_value(route->path, alloc), alloc);
    json::Value params(rapidjson::kArrayType);
    for (const std::string &p : route->params) params.PushBack(json::string_value(p, alloc), alloc);
    json::set(r, "pathParams", std::move(params), alloc);
    json::set(r, "responseMode", json::string_value(route->response_mode, alloc), alloc);
    json::set(r, "area", json::string_value(route->area, alloc), alloc);
    json::set(r, "catchAll", json::Value(route->catch_all), alloc);
    return r;
}

// {"event","id"}; names and ids that are not UTF-8 cannot be JSON strings: left out.
std::string frame_json(const SseEvent &event) {
    std::string out = R"({"event":)" + json::quote(valid_utf8(event.type) ? event.type : "message");
    if (!event.id.empty() && valid_utf8(event.id)) out += R"(,"id":)" + json::quote(event.id);
    return out + "}";
}

struct RawAttempt : std::enable_shared_from_this<RawAttempt> {
    std::shared_ptr<Operation> op;
    HttpRequest request;
    api::RawCall call;
    CloudClient::RawChunkCallback on_chunk;  // empty: collect
    int max_retries = 0;
    int attempts = 0;  // requests sent, for the result
    // This attempt's stream.
    SseParser parser;
    bool delivered = false;  // a chunk reached the caller: the request is no longer repeatable
    size_t bytes = 0;
    std::string unparsed;  // sse: the body while no event came (a JSON answer to a mixed route)
    size_t events = 0;

    bool streaming() const { return call.stream != api::StreamMode::None && on_chunk; }

    void deliver(SseEvent &&event) {
        ++events;
        delivered = true;
        on_chunk(event.data, frame_json(event));
    }

    // Each attempt starts a fresh stream; one is repeated only before its first byte (what
    // arrived was handed on), and only when the call is idempotent.
    void send() {
        auto self = shared_from_this();
        RetryHooks hooks;
        hooks.before_each = [self](HttpRequest &req) {
            self->parser = SseParser();
            self->bytes = 0;
            self->unparsed.clear();
            self->events = 0;
            if (self->streaming())
                req.on_data = [self](std::string_view data) { self->data(data); };
        };
        hooks.may_retry = [self] { return !self->delivered && self->bytes == 0; };
        const std::string what =
            call.method + " " + (call.route ? call.route->path : std::string("(uncatalogued)"));
        send_with_retries(
            *op, request, call.idempotent ? max_retries : 0, ErrorFamily::Cloud, what,
            [self](HttpResponse &&response, ErrorInfo &&error, int sent) {
                self->attempts = sent;
                self->on_answer(std::move(response), std::move(error));
            },
            std::move(hooks));
    }

    void data(std::string_view data) {
        Operation &o = *op;
        if (o.finished()) return;
        bytes += data.size();
        o.guarded([&] {
            if (call.stream == api::StreamMode::Bytes) {
                delivered = true;
                on_chunk(data, {});
                return;
            }
            if (events == 0 && unparsed.size() < kMaxUnparsedStreamBytes)
                unparsed.append(data.substr(0, kMaxUnparsedStreamBytes - unparsed.size()));
            const bool ok = parser.feed(data, [&](SseEvent &&event) { deliver(std::move(event)); });
            if (!ok && !o.finished())
                o.fail(ErrorInfo::make(Status::Protocol, "stream line exceeds the size limit"));
        });
    }

    void on_answer(HttpResponse &&response, ErrorInfo &&error) {
        Operation &o = *op;
        if (o.finished()) return;
        if (!error.ok()) return o.fail(std::move(error));
        if (streaming() && call.stream == api::StreamMode::Sse)
            parser.finish([&](SseEvent &&event) { deliver(std::move(event)); });
        if (o.finished()) return;
        o.succeed(result(response));
    }

    std::string result(const HttpResponse &response) {
        json::Document doc(rapidjson::kObjectType);
        auto &alloc = doc.GetAllocator();
        json::set(doc, "status", json::Value(response.http_status), alloc);
        json::Value headers(rapidjson::kObjectType);
        std::string content_type;
        for (const auto &[name, value] : response.headers) {
            std::string lower = name;
            for (char &c : lower)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (lower == "set-cookie" || !valid_utf8(lower) || !valid_utf8(value)) continue;
            if (lower == "content-type") content_type = value;
            json::set(headers, lower, json::string_value(value, alloc), alloc);
        }
        json::set(doc, "headers", std::move(headers), alloc);
        const std::string &body = streaming() ? unparsed : response.body;
        if (!streaming() || (call.stream == api::StreamMode::Sse && events == 0)) {
            add_body(doc, body, content_type);
        }
        json::set(doc, "bytes",
                  json::Value(static_cast<uint64_t>(streaming() ? bytes : response.body.size())),
                  alloc);
        json::set(doc, "route", route_json(call.route, alloc), alloc);
        json::set(doc, "attempts", json::Value(attempts), alloc);
        json::Document limits;
        const std::string limit_text = rate_limit_json(response.headers);
        if (!limit_text.empty() && json::parse(limit_text, limits)) {
            json::set(doc, "rateLimit", json::Value(limits, alloc), alloc);
        } else {
            json::set(doc, "rateLimit", json::Value(), alloc);
        }
        return json::stringify(doc);
    }

    // The collected body, as JSON when it is JSON, text when it is text, else base64; a
    // collected SSE stream (sse without on_chunk) as its events.
    void add_body(json::Document &doc, const std::string &body, std::string_view content_type) {
        auto &alloc = doc.GetAllocator();
        if (body.empty() || call.method == "HEAD") return;
        if (call.stream == api::StreamMode::Sse && !streaming()) {
            json::Value list(rapidjson::kArrayType);
            SseParser collect;
            auto add = [&](SseEvent &&event) {
                json::Value e(rapidjson::kObjectType);
                json::set(
                    e, "event",
                    json::string_value(valid_utf8(event.type) ? event.type : "message", alloc),
                    alloc);
                // Data that is not UTF-8 cannot be a JSON string: it goes as base64.
                if (valid_utf8(event.data)) {
                    json::set(e, "data", json::string_value(event.data, alloc), alloc);
                } else {
                    json::set(e, "base64", json::string_value(base64_encode(event.data), alloc),
                              alloc);
                }
                if (!event.id.empty() && valid_utf8(event.id))
                    json::set(e, "id", json::string_value(event.id, alloc), alloc);
                list.PushBack(std::move(e), alloc);
            };
            collect.feed(body, add);
            collect.finish(add);
            if (!list.Empty()) {
                json::set(doc, "events", std::move(list), alloc);
                return;
            }
        }
        // JSON that is not UTF-8 would make the record itself invalid: it goes as base64.
        if ((is_json_type(content_type) || content_type.empty()) && valid_utf8(body)) {
            json::Document parsed;
            if (json::parse(body, parsed)) {
                json::set(doc, "json", json::Value(parsed, alloc), alloc);
                return;
            }
        }
        const bool binary_mode = call.route && call.route->response_mode == "binary";
        if (!binary_mode && valid_utf8(body) &&
            (is_text_type(content_type) || is_json_type(content_type) || content_type.empty() ||
             content_type.starts_with("text/event-stream"))) {
            json::set(doc, "text", json::string_value(body, alloc), alloc);
            return;
        }
        json::set(doc, "base64", json::string_value(base64_encode(body), alloc), alloc);
    }
};

}  // namespace

OperationId CloudClient::request_async(api::RawCall call, RawChunkCallback on_chunk,
                                       OpCallback done) {
    const bool streamed = call.stream != api::StreamMode::None;
    HttpRequest request = make_request(
        call.method, call.path_and_query,
        call.timeout_ms > 0 ? call.timeout_ms : (streamed ? 0 : options_.crud_timeout_ms));
    if (call.stream == api::StreamMode::Sse) {
        for (auto &h : request.headers)
            if (h.first == "Accept") h.second = "text/event-stream";
    } else if (call.stream == api::StreamMode::Bytes || call.method == "HEAD" ||
               (call.route && call.route->response_mode == "binary")) {
        for (auto &h : request.headers)
            if (h.first == "Accept") h.second = "*/*";
    }
    if (streamed) request.idle_timeout_ms = options_.stream_idle_timeout_ms;
    for (auto &h : call.headers) {
        // The caller's Accept replaces the client's.
        bool replaced = false;
        if (h.first.size() == 6 && strncasecmp(h.first.c_str(), "Accept", 6) == 0)
            for (auto &mine : request.headers)
                if (mine.first == "Accept") {
                    mine.second = h.second;
                    replaced = true;
                }
        if (!replaced) request.headers.push_back(h);
    }
    if (call.has_body) request.body = call.body;
    request.form = std::move(call.form);

    auto attempt = std::make_shared<RawAttempt>();
    attempt->request = std::move(request);
    attempt->max_retries = call.max_retries >= 0 ? call.max_retries : options_.max_retries;
    attempt->call = std::move(call);
    attempt->on_chunk = std::move(on_chunk);
    return ops_.start(std::move(done), [attempt](Operation &op) {
        attempt->op = op.shared_from_this();
        attempt->send();
    });
}

}  // namespace elizacloud
