// Inference stubs (C§5): OpenAI chat completions, responses and embeddings, Anthropic messages,
// models.
// Output is deterministic: the reply is "echo: <last user text>", embeddings are a function of
// the input text.
#include <cmath>
#include <cstdint>

#include "routes_common.hpp"

namespace emu {

namespace {

struct ModelInfo {
    const char *id, *owned_by, *name, *type;
    int64_t context_window;
};

constexpr ModelInfo kModels[] = {
    {"openai/gpt-5-mini", "openai", "GPT-5 mini", "language", 400000},
    {"openai/gpt-4o-mini", "openai", "GPT-4o mini", "language", 128000},
    {"anthropic/claude-sonnet-4.6", "anthropic", "Claude Sonnet 4.6", "language", 200000},
    {"anthropic/claude-haiku-4.5", "anthropic", "Claude Haiku 4.5", "language", 200000},
    {"openai/text-embedding-3-small", "openai", "text-embedding-3-small", "embedding", 8192},
};
constexpr int64_t kModelCreated = 1735689600;  // 2025-01-01
constexpr int kEmbeddingDims = 1536;

void write_model(JsonOut &o, const ModelInfo &m) {
    o.begin_obj()
        .f("id", m.id)
        .f("object", "model")
        .f("created", kModelCreated)
        .f("owned_by", m.owned_by)
        .f("name", m.name)
        .f("type", m.type)
        .f("context_window", m.context_window)
        .end();
}

Reply openai_error(int status, const std::string &message, const char *type,
                   const char *code = nullptr, const char *param = nullptr) {
    JsonOut o;
    o.begin_obj().begin_obj("error").f("message", message).f("type", type);
    if (param) o.f("param", param);
    if (code) o.f("code", code);
    o.end().end();
    return json_reply(status, o.str());
}

Reply sse_reply(const RuntimeConfig &cfg) {
    Reply reply;
    reply.streaming = true;
    reply.content_type = "text/event-stream";
    reply.headers = {{"Cache-Control", "no-cache"}};
    reply.event_delay_ms = cfg.stream_chunk_delay_ms.load();
    return reply;
}

// Authentication and body parsing shared by the OpenAI-style routes.
std::optional<Reply> openai_preamble(Ctx &c, State &st, rapidjson::Document &doc,
                                     std::optional<Principal> &who) {
    AuthCheck a = handler_auth(c.req, st);
    if (!a.who) return openai_error(401, a.message, "authentication_error");
    if (!parse_json(c.req.body, doc) || !doc.IsObject()) {
        return openai_error(400, "Invalid JSON in request body", "invalid_request_error");
    }
    who = a.who;
    return std::nullopt;
}

Reply anthropic_error(int status, const char *type, const std::string &message) {
    JsonOut o;
    o.begin_obj()
        .f("type", "error")
        .begin_obj("error")
        .f("type", type)
        .f("message", message)
        .end()
        .end();
    return json_reply(status, o.str());
}

// Text of a message's content: a string, or the "text" of every text part joined.
std::string content_text(const rapidjson::Value *content) {
    if (!content) return "";
    if (content->IsString()) return content->GetString();
    std::string out;
    if (content->IsArray()) {
        for (const auto &part : content->GetArray()) {
            if (get_string(part, "type") == "text") {
                if (!out.empty()) out += "\n";
                out += get_string(part, "text").value_or("");
            }
        }
    }
    return out;
}

struct Conversation {
    std::string last_user;
    int64_t prompt_tokens = 0;
};

Conversation read_messages(const rapidjson::Value &messages) {
    Conversation c;
    for (const auto &m : messages.GetArray()) {
        std::string text = content_text(member(m, "content"));
        c.prompt_tokens += token_estimate(text) + 4;
        if (get_string(m, "role") == "user") c.last_user = text;
    }
    return c;
}

double balance_of(State &st, const Principal &who) {
    auto org = st.org(who.org_id);
    return org ? org->balance : 0.0;
}

uint64_t splitmix(uint64_t &x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void write_embedding(JsonOut &o, const std::string &text) {
    uint64_t seed = 1469598103934665603ULL;  // FNV-1a
    for (unsigned char ch : text) seed = (seed ^ ch) * 1099511628211ULL;
    std::vector<double> v(kEmbeddingDims);
    double norm = 0;
    for (auto &x : v) {
        x = static_cast<double>(splitmix(seed) >> 11) / 9007199254740992.0 * 2.0 - 1.0;
        norm += x * x;
    }
    norm = std::sqrt(norm);
    o.begin_arr();
    for (double x : v) o.put(std::round(x / norm * 1e6) / 1e6);
    o.end();
}

}  // namespace

void register_inference_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;
    RuntimeConfig &cfg = app.cfg;

    r.add("POST", "/api/v1/chat/completions", [&st, &cfg](Ctx &c) {
        rapidjson::Document doc;
        std::optional<Principal> who;
        if (auto err = openai_preamble(c, st, doc, who)) return *err;
        auto model = get_string(doc, "model");
        const auto *messages = member(doc, "messages");
        if (!model || model->empty() || !messages || !messages->IsArray() || messages->Empty()) {
            return openai_error(400, "Missing required fields: model and messages",
                                "invalid_request_error", "missing_required_parameter");
        }
        if (balance_of(st, *who) <= 0) {
            return openai_error(402, "Insufficient credits. Required: $0.0010",
                                "insufficient_quota", "insufficient_credits");
        }
        Conversation conv = read_messages(*messages);
        std::string answer = "echo: " + conv.last_user;
        int64_t now = now_ms();
        std::string id = "chatcmpl-" + std::to_string(now);
        int64_t created = now / 1000;
        if (get_bool(doc, "stream").value_or(false)) {
            Reply reply = sse_reply(cfg);
            auto chunk = [&](const std::optional<std::string> &content) {
                JsonOut o;
                o.begin_obj()
                    .f("id", id)
                    .f("object", "chat.completion.chunk")
                    .f("created", created)
                    .f("model", *model)
                    .begin_arr("choices")
                    .begin_obj()
                    .f("index", 0)
                    .begin_obj("delta");
                if (content) o.f("content", *content);
                o.end();
                if (content) {
                    o.f_null("finish_reason");
                } else {
                    o.f("finish_reason", "stop");
                }
                o.end().end().end();
                return sse_data(o.str());
            };
            for (const auto &w : split_words(answer)) reply.events.push_back(chunk(w));
            reply.events.push_back(chunk(std::nullopt));
            reply.events.push_back(sse_data("[DONE]"));
            return reply;
        }
        int64_t completion = token_estimate(answer);
        JsonOut o;
        o.begin_obj()
            .f("id", id)
            .f("object", "chat.completion")
            .f("created", created)
            .f("model", *model)
            .begin_arr("choices")
            .begin_obj()
            .f("index", 0)
            .begin_obj("message")
            .f("role", "assistant")
            .f("content", answer)
            .end()
            .f("finish_reason", "stop")
            .end()
            .end()
            .begin_obj("usage")
            .f("prompt_tokens", conv.prompt_tokens)
            .f("completion_tokens", completion)
            .f("total_tokens", conv.prompt_tokens + completion)
            .end()
            .end();
        return json_reply(200, o.str());
    });

    r.add("POST", "/api/v1/messages", [&st, &cfg](Ctx &c) {
        AuthCheck a = handler_auth(c.req, st);
        if (!a.who) return anthropic_error(401, "authentication_error", a.message);
        rapidjson::Document doc;
        if (!parse_json(c.req.body, doc) || !doc.IsObject()) {
            return anthropic_error(400, "invalid_request_error", "Invalid JSON body");
        }
        auto model = get_string(doc, "model");
        const auto *messages = member(doc, "messages");
        if (!model || model->empty() || !get_number(doc, "max_tokens") || !messages ||
            !messages->IsArray()) {
            return anthropic_error(400, "invalid_request_error",
                                   "Missing required fields: model, max_tokens, messages");
        }
        if (balance_of(st, *a.who) <= 0) {
            return anthropic_error(429, "rate_limit_error",
                                   "Insufficient credits. Required: $0.0010");
        }
        Conversation conv = read_messages(*messages);
        if (const auto *sys = member(doc, "system")) {
            conv.prompt_tokens += token_estimate(content_text(sys));
        }
        std::string answer = "echo: " + conv.last_user;
        std::string id = "msg_" + random_hex(12);
        int64_t out_tokens = token_estimate(answer);
        if (get_bool(doc, "stream").value_or(false)) {
            Reply reply = sse_reply(cfg);
            auto ev = [&](const char *name, JsonOut &o) {
                reply.events.push_back(sse_event(name, o.str()));
            };
            {
                JsonOut o;
                o.begin_obj()
                    .f("type", "message_start")
                    .begin_obj("message")
                    .f("id", id)
                    .f("type", "message")
                    .f("role", "assistant")
                    .begin_arr("content")
                    .end()
                    .f("model", *model)
                    .f_null("stop_reason")
                    .f_null("stop_sequence")
                    .begin_obj("usage")
                    .f("input_tokens", conv.prompt_tokens)
                    .f("output_tokens", 0)
                    .end()
                    .end()
                    .end();
                ev("message_start", o);
            }
            {
                JsonOut o;
                o.begin_obj().f("type", "ping").end();
                ev("ping", o);
            }
            {
                JsonOut o;
                o.begin_obj()
                    .f("type", "content_block_start")
                    .f("index", 0)
                    .begin_obj("content_block")
                    .f("type", "text")
                    .f("text", "")
                    .end()
                    .end();
                ev("content_block_start", o);
            }
            for (const auto &w : split_words(answer)) {
                JsonOut o;
                o.begin_obj()
                    .f("type", "content_block_delta")
                    .f("index", 0)
                    .begin_obj("delta")
                    .f("type", "text_delta")
                    .f("text", w)
                    .end()
                    .end();
                ev("content_block_delta", o);
            }
            {
                JsonOut o;
                o.begin_obj().f("type", "content_block_stop").f("index", 0).end();
                ev("content_block_stop", o);
            }
            {
                JsonOut o;
                o.begin_obj()
                    .f("type", "message_delta")
                    .begin_obj("delta")
                    .f("stop_reason", "end_turn")
                    .f_null("stop_sequence")
                    .end()
                    .begin_obj("usage")
                    .f("output_tokens", out_tokens)
                    .end()
                    .end();
                ev("message_delta", o);
            }
            {
                JsonOut o;
                o.begin_obj().f("type", "message_stop").end();
                ev("message_stop", o);
            }
            return reply;
        }
        JsonOut o;
        o.begin_obj()
            .f("id", id)
            .f("type", "message")
            .f("role", "assistant")
            .begin_arr("content")
            .begin_obj()
            .f("type", "text")
            .f("text", answer)
            .end()
            .end()
            .f("model", *model)
            .f("stop_reason", "end_turn")
            .f_null("stop_sequence")
            .begin_obj("usage")
            .f("input_tokens", conv.prompt_tokens)
            .f("output_tokens", out_tokens)
            .end()
            .end();
        return json_reply(200, o.str());
    });

    r.add("POST", "/api/v1/embeddings", [&st](Ctx &c) {
        rapidjson::Document doc;
        std::optional<Principal> who;
        if (auto err = openai_preamble(c, st, doc, who)) return *err;
        auto model = get_string(doc, "model");
        if (!model || model->empty()) {
            return openai_error(400, "Missing required parameter: model", "invalid_request_error",
                                "missing_required_parameter", "model");
        }
        const auto *input = member(doc, "input");
        if (!input) {
            return openai_error(400, "Missing required parameter: input", "invalid_request_error",
                                "missing_required_parameter", "input");
        }
        std::vector<std::string> texts;
        bool ok = true;
        if (input->IsString()) {
            std::string s = input->GetString();
            ok = s.find_first_not_of(" \t\r\n") != std::string::npos;
            texts.push_back(s);
        } else if (input->IsArray() && !input->Empty()) {
            for (const auto &v : input->GetArray()) {
                if (!v.IsString()) ok = false;
                if (v.IsString()) texts.emplace_back(v.GetString());
            }
        } else {
            ok = false;
        }
        if (!ok) {
            return openai_error(400, "Input must be a non-empty string or array of strings",
                                "invalid_request_error", "invalid_value", "input");
        }
        if (balance_of(st, *who) <= 0) {
            return openai_error(402, "Insufficient balance", "insufficient_quota",
                                "insufficient_balance");
        }
        int64_t tokens = 0;
        JsonOut o;
        o.begin_obj().f("object", "list").begin_arr("data");
        for (size_t i = 0; i < texts.size(); ++i) {
            tokens += token_estimate(texts[i]);
            o.begin_obj().f("object", "embedding").key("embedding");
            write_embedding(o, texts[i]);
            o.f("index", i).end();
        }
        o.end()
            .f("model", *model)
            .begin_obj("usage")
            .f("prompt_tokens", tokens)
            .f("total_tokens", tokens)
            .end()
            .end();
        return json_reply(200, o.str());
    });

    // The Responses API (C§5.5), non-streaming: one message output item, "echo: <input>".
    r.add("POST", "/api/v1/responses", [&st](Ctx &c) {
        rapidjson::Document doc;
        std::optional<Principal> who;
        if (auto err = openai_preamble(c, st, doc, who)) return *err;
        auto model = get_string(doc, "model");
        const auto *input = member(doc, "input");
        if (!model || model->empty() || !input || input->IsNull()) {
            return openai_error(400, "Missing required fields: model and input",
                                "invalid_request_error", "missing_required_parameter");
        }
        if (balance_of(st, *who) <= 0) {
            return openai_error(402, "Insufficient credits. Required: $0.0010",
                                "insufficient_quota", "insufficient_credits");
        }
        std::string text;
        if (input->IsString()) {
            text = input->GetString();
        } else if (input->IsArray() && !input->Empty()) {
            // The last item's content: a string, or parts with "text".
            const auto &last = (*input)[input->Size() - 1];
            if (auto s = get_string(last, "content")) {
                text = *s;
            } else if (const auto *parts = member(last, "content"); parts && parts->IsArray()) {
                for (const auto &p : parts->GetArray())
                    if (auto t = get_string(p, "text")) text += *t;
            }
        }
        const std::string answer = "echo: " + text;
        const int64_t in = token_estimate(text), out = token_estimate(answer);
        const int64_t now = now_ms();
        JsonOut o;
        o.begin_obj()
            .f("id", "resp_" + std::to_string(now))
            .f("object", "response")
            .f("created_at", now / 1000)
            .f("status", "completed")
            .f("model", *model)
            .begin_arr("output")
            .begin_obj()
            .f("type", "message")
            .f("id", "msg_" + std::to_string(now))
            .f("role", "assistant")
            .f("status", "completed")
            .begin_arr("content")
            .begin_obj()
            .f("type", "output_text")
            .f("text", answer)
            .begin_arr("annotations")
            .end()
            .end()
            .end()
            .end()
            .end()
            .f("output_text", answer)
            .begin_obj("usage")
            .f("input_tokens", in)
            .f("output_tokens", out)
            .f("total_tokens", in + out)
            .end()
            .end();
        return json_reply(200, o.str());
    });

    r.add("GET", "/api/v1/models", [](Ctx &) {
        JsonOut o;
        o.begin_obj().f("object", "list").begin_arr("data");
        for (const auto &m : kModels) write_model(o, m);
        o.end().end();
        Reply reply = json_reply(200, o.str());
        reply.headers.emplace_back("Cache-Control",
                                   "public, s-maxage=3600, stale-while-revalidate=7200");
        return reply;
    });

    r.add("GET", "/api/v1/models/{*}", [&st](Ctx &c) {
        AuthCheck a = handler_auth(c.req, st);
        if (!a.who) return openai_error(500, "Failed to fetch model details", "api_error");
        std::string id = percent_decode(c.param(0), false);
        for (const auto &m : kModels) {
            if (id == m.id) {
                JsonOut o;
                write_model(o, m);
                return json_reply(200, o.str());
            }
        }
        return openai_error(404, "Model '" + id + "' not found", "invalid_request_error",
                            "model_not_found");
    });
}

}  // namespace emu
