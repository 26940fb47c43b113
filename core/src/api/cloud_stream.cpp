// Streaming a reply (C§2.11): POST …/stream answers Server-Sent Events even on failure. Bytes
// are parsed as they arrive; each chunk's text goes to the caller in order; "error" ends the
// operation with the agent's message, "done" with success. A stream that closes without "done"
// lost its reply (the agent failed mid-stream, C§2.11) and is reported as a network failure.
#include <memory>
#include <utility>

#include "api/cloud_client.hpp"
#include "api/cloud_errors.hpp"
#include "net/sse_parser.hpp"
#include "util/json.hpp"
#include "util/log.hpp"
#include "util/uuid.hpp"

namespace elizacloud {
namespace {

struct StreamState {
    SseParser parser;
    ChunkCallback on_chunk;
    std::string text;      // all chunks so far, for the completion
    bool started = false;  // body bytes arrived: the agent's stream was open
};

void handle_event(Operation &op, StreamState &state, SseEvent &&event) {
    if (op.finished()) return;
    if (event.type == "chunk") {
        json::Document doc;
        std::optional<std::string> text;
        if (json::parse(event.data, doc)) text = json::get_string(doc, "text");
        if (!text) {
            return op.fail(
                ErrorInfo::make(Status::Protocol, "stream chunk event without a text field"));
        }
        state.text += *text;
        if (state.on_chunk) state.on_chunk(*text);  // an exception fails the operation
    } else if (event.type == "error") {
        json::Document doc;
        std::string message;
        if (json::parse(event.data, doc)) message = json::get_string(doc, "message").value_or("");
        if (message.empty()) message = "the agent's stream reported an error";
        op.fail(ErrorInfo::make(Status::Agent, bounded_message(log::redact(message))));
    } else if (event.type == "done") {
        json::Document out;
        out.SetObject();
        json::set(out, "text", json::string_value(state.text, out.GetAllocator()),
                  out.GetAllocator());
        op.succeed(json::stringify(out));
    }
    // "connected" and unknown event types carry nothing the caller needs.
}

}  // namespace

OperationId CloudClient::stream_async(std::string_view agent_id, std::string_view text,
                                      const ChatTarget &options, ChunkCallback on_chunk,
                                      OpCallback done) {
    if (!is_uuid(agent_id))
        throw Error(Status::InvalidArgument, "agent id must be a UUID (8-4-4-4-12 hex digits)");
    if (text.empty()) throw Error(Status::InvalidArgument, "stream: text must not be empty");
    // The stream route keeps only text and roomId (C§2.11); other params are not sent.
    std::string body = R"({"jsonrpc":"2.0","id":)" + json::quote(uuid_v4()) +
                       R"(,"method":"message.send","params":{"text":)" + json::quote(text) +
                       R"(,"roomId":)" + json::quote(options.room_id) + "}}";
    HttpRequest request = request_for("stream", "agentId", agent_id);
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
    request.headers.emplace_back("Accept", "text/event-stream");
    request.total_timeout_ms = 0;  // a reply may take long; the idle timeout bounds a stall
    request.idle_timeout_ms = options_.stream_idle_timeout_ms;

    auto state = std::make_shared<StreamState>();
    state->on_chunk = std::move(on_chunk);
    return ops_.start(std::move(done), [state, request = std::move(request)](Operation &op) {
        auto keep = op.shared_from_this();
        HttpRequest req = request;
        req.on_data = [keep, state](std::string_view bytes) {
            Operation &o = *keep;
            if (o.finished()) return;
            state->started = true;
            o.guarded([&] {
                bool ok = state->parser.feed(
                    bytes, [&](SseEvent &&event) { handle_event(o, *state, std::move(event)); });
                if (!ok && !o.finished())
                    o.fail(ErrorInfo::make(Status::Protocol, "stream line exceeds the size limit"));
            });
        };
        op.request(std::move(req), [keep, state](HttpResponse &&response) {
            Operation &o = *keep;
            ErrorInfo error = error_from_response(response, ErrorFamily::Cloud);
            if (error.status == Status::Network && state->started) {
                // The connection broke inside the stream: the same loss as a clean end without
                // "done", with the transport's reason kept.
                error.message = "stream ended before done (" + error.message + ")";
            }
            if (!error.ok()) return o.fail(std::move(error));
            // A final event without a blank line still counts (SPEC §2.2).
            state->parser.finish(
                [&](SseEvent &&event) { handle_event(o, *state, std::move(event)); });
            if (!o.finished()) o.fail(ErrorInfo::make(Status::Network, "stream ended before done"));
        });
    });
}

}  // namespace elizacloud
