// Streaming a reply (C§2.11): POST …/stream answers Server-Sent Events even on failure. Bytes
// are parsed as they arrive; each chunk's text goes to the caller in order; "error" ends the
// operation with the agent's message, "done" with success. A stream that closes without "done"
// lost its reply (the agent failed mid-stream, C§2.11) and is reported as a network failure.
// The eliza generation (E§2.11) also names each frame in its JSON ("type": token | done | error),
// serves the route for shared-runtime agents only (a dedicated agent gets 404 "Not a
// shared-runtime agent": the reply then comes through the bridge, as one chunk), and marks a cold
// cache's 503 retryable: the same request (same clientMessageId) is sent again.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "api/cloud_client.hpp"
#include "api/cloud_errors.hpp"
#include "net/sse_parser.hpp"
#include "util/json.hpp"
#include "util/json_scan.hpp"
#include "util/log.hpp"
#include "util/uuid.hpp"

namespace elizacloud {
namespace {

struct StreamState {
    SseParser parser;
    ChunkCallback on_chunk;
    std::string text;        // all chunks so far, for the completion
    bool started = false;    // body bytes arrived: the agent's stream was open
    bool delivered = false;  // a chunk reached the caller: the request is no longer repeatable
    int retries = 0;
};

// The frames the cloud sends, {"text":"…"} (milady) and {"text":"…","type":"token"} (eliza),
// when the text needs no unescaping: read directly. The parser would give the same bytes (it
// copies a string without escapes as is), so this changes nothing but the cost.
std::optional<std::string> plain_chunk_text(std::string_view data) {
    constexpr std::string_view kStart = R"({"text":")";
    if (data.substr(0, kStart.size()) != kStart) return std::nullopt;
    data.remove_prefix(kStart.size());
    for (std::string_view end :
         {std::string_view(R"("})"), std::string_view(R"(","type":"token"})")}) {
        if (data.size() < end.size() || data.substr(data.size() - end.size()) != end) continue;
        const std::string_view text = data.substr(0, data.size() - end.size());
        const bool plain = std::none_of(text.begin(), text.end(), [](char c) {
            return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
        });
        if (plain) return std::string(text);
    }
    return std::nullopt;
}

// The "text" of a chunk frame: a chunk is often one token, and building a DOM for it cost more
// than everything else the frame needs.
std::optional<std::string> chunk_text(std::string_view data) {
    if (auto plain = plain_chunk_text(data)) return plain;
    return json::top_level_string(data, "text");
}

// The frame's kind: its event name, or for unnamed frames the JSON "type" (E§2.11).
std::string frame_kind(const SseEvent &event) {
    if (!event.type.empty() && event.type != "message") return event.type;
    json::Document doc;
    if (!json::parse(event.data, doc) || !doc.IsObject()) return event.type;
    const std::string type = json::get_string(doc, "type").value_or("");
    return type == "token" ? "chunk" : type;
}

void handle_event(Operation &op, StreamState &state, SseEvent &&event) {
    if (op.finished()) return;
    const std::string kind = frame_kind(event);
    if (kind == "chunk") {
        std::optional<std::string> text = chunk_text(event.data);
        if (!text) {
            return op.fail(
                ErrorInfo::make(Status::Protocol, "stream chunk event without a text field"));
        }
        state.text += *text;
        state.delivered = true;
        if (state.on_chunk) state.on_chunk(*text);  // an exception fails the operation
    } else if (kind == "error") {
        json::Document doc;
        std::string message;
        if (json::parse(event.data, doc)) message = json::get_string(doc, "message").value_or("");
        if (message.empty()) message = "the agent's stream reported an error";
        op.fail(ErrorInfo::make(Status::Agent, bounded_message(log::redact(message))));
    } else if (kind == "done") {
        json::Document out;
        out.SetObject();
        json::set(out, "text", json::string_value(state.text, out.GetAllocator()),
                  out.GetAllocator());
        op.succeed(json::stringify(out));
    }
    // "connected" and unknown event types carry nothing the caller needs.
}

// One stream call: the request, sent again while the cloud says retryable and nothing was
// delivered yet, or replaced by the bridge for a dedicated agent.
struct StreamAttempt : std::enable_shared_from_this<StreamAttempt> {
    std::shared_ptr<Operation> op;
    HttpRequest request;
    HttpRequest bridge_request;
    std::shared_ptr<StreamState> state;
    int max_retries = 0;

    void send() {
        auto self = shared_from_this();
        HttpRequest req = request;
        state->parser = SseParser();
        state->started = false;
        req.on_data = [keep = op, state = state](std::string_view bytes) {
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
        op->request(std::move(req), [self](HttpResponse &&r) { self->on_answer(std::move(r)); });
    }

    void on_answer(HttpResponse &&response) {
        Operation &o = *op;
        if (o.finished()) return;
        ErrorInfo error = error_from_response(response, ErrorFamily::Cloud);
        // Repeated only while the agent's stream had not opened: once its bytes flowed, the turn
        // ran, and a transient failure there ends the stream.
        if (!state->delivered && !state->started) {
            const int64_t wait = retry_delay_ms(error, state->retries, max_retries);
            if (wait >= 0) {
                ++state->retries;
                log::info("stream answered HTTP {} ({}): retry {} in {} ms", error.http_status,
                          error.cloud_code, state->retries, wait);
                auto self = shared_from_this();
                return o.after(wait, [self] { self->send(); });
            }
            if (error.status == Status::NotFound && error.message == "Not a shared-runtime agent")
                return through_bridge();
        }
        if (error.status == Status::Network && state->started) {
            // The connection broke inside the stream: the same loss as a clean end without
            // "done", with the transport's reason kept.
            error.message = "stream ended before done (" + error.message + ")";
        }
        if (!error.ok()) return o.fail(std::move(error));
        // A final event without a blank line still counts (SPEC §2.2).
        state->parser.finish([&](SseEvent &&event) { handle_event(o, *state, std::move(event)); });
        if (!o.finished()) o.fail(ErrorInfo::make(Status::Network, "stream ended before done"));
    }

    // A dedicated eliza agent streams only on its own host; through the cloud its reply comes
    // from the bridge, whole: delivered as one chunk (as shared agents' replies usually are).
    void through_bridge() {
        log::info("the agent is not on the shared runtime: its reply comes through the bridge");
        auto self = shared_from_this();
        op->request(bridge_request, [self](HttpResponse &&response) {
            Operation &o = *self->op;
            OpResult reply = CloudClient::read_bridge_answer(
                CloudClient::BridgeKind::Message, response,
                error_from_response(response, ErrorFamily::JsonRpc));
            if (!reply.error.ok()) return o.fail(std::move(reply.error));
            json::Document doc;
            json::parse(reply.json, doc);
            const std::string text = json::get_string(doc, "text").value_or("(no response)");
            o.guarded([&] {
                StreamState &st = *self->state;
                st.text += text;
                st.delivered = true;
                if (st.on_chunk) st.on_chunk(text);
                if (o.finished()) return;
                json::Document out;
                out.SetObject();
                json::set(out, "text", json::string_value(st.text, out.GetAllocator()),
                          out.GetAllocator());
                o.succeed(json::stringify(out));
            });
        });
    }
};

}  // namespace

OperationId CloudClient::stream_async(std::string_view agent_id, std::string_view text,
                                      const ChatTarget &options, ChunkCallback on_chunk,
                                      OpCallback done) {
    if (!is_uuid(agent_id))
        throw Error(Status::InvalidArgument, "agent id must be a UUID (8-4-4-4-12 hex digits)");
    if (text.empty()) throw Error(Status::InvalidArgument, "stream: text must not be empty");
    // The milady stream route keeps only text and roomId (C§2.11); eliza keeps clientMessageId.
    std::string body = message_send_body(text, options, false);
    HttpRequest request = request_for("stream", "agentId", agent_id);
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
    request.headers.emplace_back("Accept", "text/event-stream");
    request.total_timeout_ms = 0;  // a reply may take long; the idle timeout bounds a stall
    request.idle_timeout_ms = options_.stream_idle_timeout_ms;

    auto state = std::make_shared<StreamState>();
    state->on_chunk = std::move(on_chunk);
    auto attempt = std::make_shared<StreamAttempt>();
    attempt->request = std::move(request);
    attempt->state = std::move(state);
    attempt->max_retries = options_.max_retries;
    // The fallback for a dedicated eliza agent: the bridge's message.send, built now (the key
    // and the route are read on the caller's thread, as for every request).
    attempt->bridge_request = request_for("send", "agentId", agent_id);
    attempt->bridge_request.headers.emplace_back("Content-Type", "application/json");
    attempt->bridge_request.body = message_send_body(text, options, true);
    attempt->bridge_request.total_timeout_ms = options_.bridge_timeout_ms;
    return ops_.start(std::move(done), [attempt](Operation &op) {
        attempt->op = op.shared_from_this();
        attempt->send();
    });
}

}  // namespace elizacloud
