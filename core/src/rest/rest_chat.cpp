// POST /api/cloud/chat and /api/cloud/chat/stream: a message to the connected agent (or to a
// running agent by id, without connecting), answered whole or as Server-Sent Events of chunks.
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "handle/cloud.hpp"
#include "handle/request.hpp"
#include "rest/rest_api.hpp"
#include "rest/rest_checks.hpp"
#include "rest/rest_errors.hpp"
#include "rest/rest_events.hpp"
#include "rest/rest_responses.hpp"
#include "util/json.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"
#include "util/uuid.hpp"

namespace elizacloud {
namespace {

using rest::error_response;

// The body's checks, in order; an error answer when one fails.
std::variant<RestChat, RestResponse> parse_chat(const std::string &body) {
    json::Document input;
    if (auto refused = rest::refuse_body(body, input)) return std::move(*refused);
    RestChat chat;
    const json::Value *text = json::member(input, "text");
    if (text && !text->IsNull() && !text->IsString())
        return error_response(400, "text must be a string");
    if (text && text->IsString()) chat.text.assign(text->GetString(), text->GetStringLength());
    if (trim(chat.text).empty()) return error_response(400, "text is required");
    // Escapes decode to anything: the decoded text is checked too (newlines are fine).
    if (!rest::valid_utf8(chat.text) || chat.text.find('\0') != std::string::npos)
        return error_response(400, "text must be text (no NUL characters)");
    const json::Value *agent = json::member(input, "agentId");
    if (agent && !agent->IsNull()) {
        if (!agent->IsString() || !is_uuid({agent->GetString(), agent->GetStringLength()}))
            return error_response(400, "agentId must be a UUID");
        chat.agent_id.assign(agent->GetString(), agent->GetStringLength());
    }
    return chat;
}

Request chat_request(const char *operation, const RestChat &chat) {
    return make_request(operation,
                        {{"text", chat.text.c_str()},
                         {"agentId", chat.agent_id.empty() ? nullptr : chat.agent_id.c_str()}});
}

std::string text_frame(std::string_view event, std::string_view text) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "text", json::string_value(text, alloc), alloc);
    return sse_frame(event, doc);
}

std::string error_frame(std::string_view message) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "error", json::string_value(message, alloc), alloc);
    return sse_frame("error", doc);
}

}  // namespace

std::optional<RestResponse> RestApi::chat_refusal(const std::string &body, RestChat &target) {
    if (!has_key()) return error_response(401, "Not connected to Eliza Cloud");
    auto parsed = parse_chat(body);
    if (auto *refused = std::get_if<RestResponse>(&parsed)) return std::move(*refused);
    auto &chat = std::get<RestChat>(parsed);
    if (chat.agent_id.empty()) {
        try {
            cloud_.active_agent();
        } catch (const Error &) {
            return error_response(409, "No agent is connected");
        }
    }
    target = std::move(chat);
    return std::nullopt;
}

RestResponse RestApi::chat(const std::string &body) {
    RestChat target;
    if (auto refused = chat_refusal(body, target)) return std::move(*refused);
    json::Document reply;
    rest::parse_result(run(chat_request("send", target)), reply);
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "ok", json::Value(true), alloc);
    json::set(doc, "text", json::string_value(json::get_string(reply, "text").value_or(""), alloc),
              alloc);
    return rest::json_response(200, json::stringify(doc));
}

RestResponse RestApi::chat_stream(const std::string &body) {
    RestChat target;
    if (auto refused = chat_refusal(body, target)) return std::move(*refused);
    auto stream = std::make_shared<RestStream>();
    Request request = chat_request("stream", target);
    // On the I/O thread, in order. A closed stream (the client hung up or stopped reading)
    // cancels the chat.
    request.chunk_sink = [stream](std::string_view text) {
        stream->push(text_frame("chunk", text));
        return !stream->closed();
    };
    const bool started =
        chat_streams_.spawn([this, stream, request = std::move(request)]() mutable {
            std::string last;
            try {
                json::Document result;
                rest::parse_result(run(std::move(request)), result);
                last = text_frame("done", json::get_string(result, "text").value_or(""));
            } catch (const Error &e) {
                log::warn("[rest] chat stream: {}: {}", status_name(e.status()), e.what());
                last = error_frame(rest_error(e.status()).message);
            } catch (const std::exception &e) {
                log::error("[rest] chat stream: {}", e.what());
                last = error_frame("Internal error");
            }
            stream->push(last);
            stream->close();
        });
    if (!started) return error_response(503, "Too many streams");
    return rest::stream_response(std::move(stream));
}

}  // namespace elizacloud
