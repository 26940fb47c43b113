// The streaming rows besides the agent's (SPEC §2.8): an OpenAI chat-completion stream, an
// Anthropic message stream and a binary stream (text to speech). Text deltas go to the caller as
// they arrive; what the stream carries besides them is accumulated (tool calls and their JSON
// input, the finish or stop reason, usage) and is the call's result at the end. A stream that
// closes before its end marker ([DONE], message_stop) lost part of its answer: Network. An error
// event mid-stream fails the call with the status its type names.
#include <map>
#include <memory>
#include <utility>

#include "api/cloud_client.hpp"
#include "api/cloud_errors.hpp"
#include "net/sse_parser.hpp"
#include "util/encoding.hpp"
#include "util/json.hpp"

namespace elizacloud {
namespace {

using Chunk = CloudClient::RawChunkCallback;

std::string str_of(const json::Value &v, std::string_view key) {
    return json::get_string(v, key).value_or("");
}

json::Value text_or_null(const std::string &s, json::Document::AllocatorType &alloc) {
    return s.empty() ? json::Value() : json::string_value(s, alloc);
}

// An error object a stream sent ({"error": {message, type|code}} or {type, message}).
ErrorInfo stream_error(const json::Value &error) {
    const std::string type = str_of(error, "type");
    std::string message = str_of(error, "message");
    if (message.empty()) message = "the stream reported an error";
    Status status = Status::Server;
    if (type == "rate_limit_error" || type == "rate_limit_exceeded") status = Status::RateLimited;
    if (type == "invalid_request_error") status = Status::InvalidRequest;
    if (type == "authentication_error") status = Status::Unauthorized;
    if (type == "permission_error") status = Status::Forbidden;
    ErrorInfo info = ErrorInfo::make(status, bounded_message(message));
    info.cloud_code = bounded_message(type.empty() ? str_of(error, "code") : type, 64);
    return info;
}

struct StreamState {
    api::Streaming mode;
    std::shared_ptr<Operation> op;
    Chunk on_chunk;  // empty: a synchronous caller, who takes the result only
    SseParser parser;
    size_t bytes = 0;
    bool framed = false;  // an event arrived: the answer is an event stream
    std::string head;     // the body's start while no event came (a JSON answer instead)
    std::string audio;    // binary without on_chunk: the bytes, for the result
    // OpenAI
    std::string id, model, text, finish_reason, usage_json;
    struct ToolCall {
        std::string id, type = "function", name, arguments;
    };
    std::map<int64_t, ToolCall> tool_calls;
    // Anthropic
    std::string stop_reason;
    int64_t input_tokens = -1, output_tokens = -1;
    struct Block {
        std::string type, text, id, name, input_json;
    };
    std::map<int64_t, Block> blocks;

    void chunk(std::string_view piece) {
        if (!piece.empty() && on_chunk) on_chunk(piece, {});
    }

    void openai_frame(const SseEvent &event) {
        if (event.data == "[DONE]") return op->succeed(openai_end());
        json::Document doc;
        if (!json::parse(event.data, doc) || !doc.IsObject())
            return op->fail(ErrorInfo::make(Status::Protocol, "a stream chunk is not JSON"));
        if (const json::Value *error = json::member(doc, "error"); error && error->IsObject())
            return op->fail(stream_error(*error));
        if (id.empty()) id = str_of(doc, "id");
        if (model.empty()) model = str_of(doc, "model");
        if (const json::Value *usage = json::member(doc, "usage"); usage && usage->IsObject())
            usage_json = json::stringify(*usage);
        const json::Value *choices = json::member(doc, "choices");
        if (!choices || !choices->IsArray() || choices->Empty()) return;
        const json::Value &choice = (*choices)[0];
        if (auto reason = json::get_string(choice, "finish_reason")) finish_reason = *reason;
        const json::Value *delta = json::member(choice, "delta");
        if (!delta || !delta->IsObject()) return;
        if (const json::Value *calls = json::member(*delta, "tool_calls");
            calls && calls->IsArray())
            for (const auto &call : calls->GetArray()) {
                ToolCall &tc = tool_calls[json::get_int(call, "index").value_or(0)];
                if (auto v = json::get_string(call, "id")) tc.id = *v;
                if (auto v = json::get_string(call, "type")) tc.type = *v;
                if (const json::Value *fn = json::member(call, "function"); fn && fn->IsObject()) {
                    if (auto v = json::get_string(*fn, "name")) tc.name += *v;
                    if (auto v = json::get_string(*fn, "arguments")) tc.arguments += *v;
                }
            }
        if (auto content = json::get_string(*delta, "content")) {
            text += *content;
            chunk(*content);
        }
    }

    std::string openai_end() {
        json::Document out(rapidjson::kObjectType);
        auto &a = out.GetAllocator();
        json::set(out, "id", text_or_null(id, a), a);
        json::set(out, "model", text_or_null(model, a), a);
        json::set(out, "text", json::string_value(text, a), a);
        json::set(out, "finishReason", text_or_null(finish_reason, a), a);
        json::Value calls(rapidjson::kArrayType);
        for (const auto &[index, tc] : tool_calls) {
            json::Value call(rapidjson::kObjectType);
            json::set(call, "id", json::string_value(tc.id, a), a);
            json::set(call, "type", json::string_value(tc.type, a), a);
            json::Value fn(rapidjson::kObjectType);
            json::set(fn, "name", json::string_value(tc.name, a), a);
            json::set(fn, "arguments", json::string_value(tc.arguments, a), a);
            json::set(call, "function", std::move(fn), a);
            calls.PushBack(std::move(call), a);
        }
        json::set(out, "toolCalls", std::move(calls), a);
        json::Document usage;
        if (!usage_json.empty() && json::parse(usage_json, usage))
            json::set(out, "usage", json::Value(usage, a), a);
        return json::stringify(out);
    }

    void anthropic_frame(const SseEvent &event) {
        json::Document doc;
        if (!json::parse(event.data, doc) || !doc.IsObject())
            return op->fail(ErrorInfo::make(Status::Protocol, "a stream event is not JSON"));
        std::string type = str_of(doc, "type");
        if (type.empty()) type = event.type;
        const int64_t index = json::get_int(doc, "index").value_or(0);
        if (type == "error") {
            const json::Value *error = json::member(doc, "error");
            return op->fail(stream_error(error && error->IsObject() ? *error : doc));
        }
        if (type == "message_start") {
            if (const json::Value *m = json::member(doc, "message"); m && m->IsObject()) {
                id = str_of(*m, "id");
                model = str_of(*m, "model");
                if (const json::Value *u = json::member(*m, "usage"); u && u->IsObject())
                    input_tokens = json::get_int(*u, "input_tokens").value_or(-1);
            }
        } else if (type == "content_block_start") {
            const json::Value *cb = json::member(doc, "content_block");
            Block &b = blocks[index];
            if (cb && cb->IsObject()) {
                b.type = str_of(*cb, "type");
                b.id = str_of(*cb, "id");
                b.name = str_of(*cb, "name");
                b.text = str_of(*cb, "text");
            }
        } else if (type == "content_block_delta") {
            const json::Value *delta = json::member(doc, "delta");
            if (!delta || !delta->IsObject()) return;
            Block &b = blocks[index];
            const std::string kind = str_of(*delta, "type");
            if (kind == "text_delta") {
                if (b.type.empty()) b.type = "text";
                const std::string piece = str_of(*delta, "text");
                b.text += piece;
                chunk(piece);
            } else if (kind == "input_json_delta") {
                b.input_json += str_of(*delta, "partial_json");
            }
        } else if (type == "message_delta") {
            if (const json::Value *d = json::member(doc, "delta"); d && d->IsObject())
                if (auto reason = json::get_string(*d, "stop_reason")) stop_reason = *reason;
            if (const json::Value *u = json::member(doc, "usage"); u && u->IsObject())
                output_tokens = json::get_int(*u, "output_tokens").value_or(output_tokens);
        } else if (type == "message_stop") {
            anthropic_end();
        }
    }

    void anthropic_end() {
        json::Document out(rapidjson::kObjectType);
        auto &a = out.GetAllocator();
        json::set(out, "id", json::string_value(id, a), a);
        json::set(out, "type", json::string_value("message", a), a);
        json::set(out, "role", json::string_value("assistant", a), a);
        json::set(out, "model", json::string_value(model, a), a);
        json::Value content(rapidjson::kArrayType);
        for (const auto &[index, b] : blocks) {
            json::Value block(rapidjson::kObjectType);
            json::set(block, "type", json::string_value(b.type, a), a);
            if (b.type == "tool_use") {
                json::set(block, "id", json::string_value(b.id, a), a);
                json::set(block, "name", json::string_value(b.name, a), a);
                json::Document input;
                const std::string source = b.input_json.empty() ? "{}" : b.input_json;
                if (!json::parse(source, input))
                    return op->fail(ErrorInfo::make(
                        Status::Protocol, "tool " + b.name + ": its streamed input is not JSON"));
                json::set(block, "input", json::Value(input, a), a);
            } else {
                json::set(block, "text", json::string_value(b.text, a), a);
            }
            content.PushBack(std::move(block), a);
        }
        json::set(out, "content", std::move(content), a);
        json::set(out, "stop_reason", text_or_null(stop_reason, a), a);
        json::Value usage(rapidjson::kObjectType);
        if (input_tokens >= 0) json::set(usage, "input_tokens", json::Value(input_tokens), a);
        if (output_tokens >= 0) json::set(usage, "output_tokens", json::Value(output_tokens), a);
        json::set(out, "usage", std::move(usage), a);
        op->succeed(json::stringify(out));
    }

    void frame(SseEvent &&event) {
        if (op->finished()) return;
        framed = true;
        if (mode == api::Streaming::OpenAiSse) return openai_frame(event);
        anthropic_frame(event);
    }

    void data(std::string_view bytes_in) {
        bytes += bytes_in.size();
        if (mode == api::Streaming::Binary) {
            if (on_chunk) {
                on_chunk(bytes_in, {});
            } else {
                audio.append(bytes_in);  // a synchronous caller gets the audio in the result
            }
            return;
        }
        constexpr size_t kHeadBytes = 64 * 1024;
        if (!framed && head.size() < kHeadBytes)
            head.append(bytes_in.substr(0, kHeadBytes - head.size()));
        if (!parser.feed(bytes_in, [this](SseEvent &&e) { frame(std::move(e)); }) &&
            !op->finished())
            op->fail(ErrorInfo::make(Status::Protocol, "stream line exceeds the size limit"));
    }

    void answer(HttpResponse &&response) {
        if (op->finished()) return;
        const ErrorFamily family =
            mode == api::Streaming::AnthropicSse ? ErrorFamily::Anthropic : ErrorFamily::OpenAI;
        ErrorInfo error = error_from_response(response, family);
        if (!error.ok()) return op->fail(std::move(error));
        if (mode == api::Streaming::Binary) {
            const std::string *type = find_header(response.headers, "Content-Type");
            std::string out = R"({"bytes":)" + std::to_string(bytes) + R"(,"contentType":)" +
                              (type ? json::quote(*type) : std::string("null"));
            if (!on_chunk) out += R"(,"base64":)" + json::quote(base64_encode(audio));
            return op->succeed(out + "}");
        }
        parser.finish([this](SseEvent &&e) { frame(std::move(e)); });
        if (op->finished()) return;
        if (!framed) {
            // Not an event stream at all: the cloud's JSON error (sent with a 2xx), or an answer
            // in one piece. Neither is a cut stream, and neither is worth sending again.
            json::Document doc;
            if (json::parse(head, doc) && doc.IsObject())
                if (const json::Value *sent = json::member(doc, "error"); sent && sent->IsObject())
                    return op->fail(stream_error(*sent));
            const std::string *type = find_header(response.headers, "Content-Type");
            return op->fail(ErrorInfo::make(
                Status::Protocol, "the cloud answered " +
                                      (type ? bounded_message(*type, 64) : std::string("a body")) +
                                      " instead of an event stream"));
        }
        op->fail(ErrorInfo::make(Status::Network,
                                 "the stream ended before its end marker (part of the answer "
                                 "was lost)"));
    }
};

}  // namespace

OperationId CloudClient::stream_call(const api::OperationSpec &op, const json::Document &params,
                                     RawChunkCallback on_chunk, OpCallback done) {
    HttpRequest request = request_for(op, params);
    const bool sse = op.streaming != api::Streaming::Binary;
    if (sse) {
        // The row's body with "stream": true: the same route answers one document otherwise.
        json::Document body;
        if (!json::parse(request.body, body) || !body.IsObject()) body.SetObject();
        json::set(body, "stream", json::Value(true), body.GetAllocator());
        request.body = json::stringify(body);
    }
    for (auto &h : request.headers)
        if (h.first == "Accept") h.second = sse ? "text/event-stream" : "*/*";
    request.total_timeout_ms = 0;  // an answer may take long; the idle timeout bounds a stall
    request.idle_timeout_ms = options_.stream_idle_timeout_ms;
    auto state = std::make_shared<StreamState>();
    state->mode = op.streaming;
    state->on_chunk = std::move(on_chunk);
    return ops_.start(std::move(done), [state, request = std::move(request)](Operation &o) {
        state->op = o.shared_from_this();
        HttpRequest req = request;
        req.on_data = [state](std::string_view bytes) {
            if (state->op->finished()) return;
            state->op->guarded([&] { state->data(bytes); });
        };
        o.request(std::move(req), [state](HttpResponse &&r) { state->answer(std::move(r)); });
    });
}

}  // namespace elizacloud
