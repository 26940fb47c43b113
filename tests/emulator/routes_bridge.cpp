// Bridge JSON-RPC relay and SSE stream (C§2.10, C§2.11). The running agent is emulated here:
// message.send echoes (or plays scripted replies), status.get and heartbeat answer as the agent
// entrypoint does. This is the hot path: no global lock is taken.
#include "routes_common.hpp"

namespace emu {

namespace {

// A bare JSON-RPC response: {"jsonrpc":"2.0"[,"id"],<member>:<json>}.
Reply rpc_reply(const rapidjson::Value *id, const char *member_name, const std::string &json) {
    JsonOut o;
    o.begin_obj().f("jsonrpc", "2.0");
    if (id) o.key("id").value(*id);
    o.f_raw(member_name, json).end();
    return json_reply(200, o.str());
}

Reply rpc_error(const rapidjson::Value *id, int64_t code, const std::string &message) {
    JsonOut e;
    return rpc_reply(id, "error", e.begin_obj().f("code", code).f("message", message).end().str());
}

Reply rpc_result(const rapidjson::Value *id, const std::string &result_json) {
    return rpc_reply(id, "result", result_json);
}

// zod's z.literal(expected) on member `name`.
void check_literal(const rapidjson::Value &doc, const char *name, const std::string &expected,
                   std::vector<Issue> &issues) {
    const auto *v = member(doc, name);
    if (v && v->IsString() && v->GetString() == expected) return;
    Issue i;
    i.code = "invalid_literal";
    i.path = {name};
    i.expected = json_string(expected);
    i.received = v ? to_json(*v) : "null";
    i.message = "Invalid literal value, expected " + json_string(expected);
    issues.push_back(i);
}

void check_jsonrpc_common(const rapidjson::Value &doc, std::vector<Issue> &issues) {
    check_literal(doc, "jsonrpc", "2.0", issues);
    if (const auto *id = member(doc, "id")) {
        if (!id->IsString() && !id->IsNumber()) {
            Issue i;
            i.code = "invalid_union";
            i.path = {"id"};
            i.message = "Invalid input";
            issues.push_back(i);
        }
    }
}

// The bridge body: a JSON-RPC request with a non-empty method and optional object params.
void check_bridge_request(const rapidjson::Value &doc, std::vector<Issue> &issues) {
    if (!expect_type(&doc, "object", {}, issues)) return;
    check_jsonrpc_common(doc, issues);
    const auto *m = member(doc, "method");
    if (expect_type(m, "string", {"method"}, issues)) {
        check_string_len(*m, {"method"}, 1, INT64_MAX, issues);
    }
    if (const auto *p = member(doc, "params")) expect_type(p, "object", {"params"}, issues);
}

// The stream body: message.send with params {text (non-empty), roomId?}. Returns the text.
std::string check_stream_request(const rapidjson::Value &doc, std::vector<Issue> &issues) {
    std::string text;
    if (!expect_type(&doc, "object", {}, issues)) return text;
    check_jsonrpc_common(doc, issues);
    check_literal(doc, "method", "message.send", issues);
    const auto *p = member(doc, "params");
    if (!expect_type(p, "object", {"params"}, issues)) return text;
    const auto *t = member(*p, "text");
    if (expect_type(t, "string", {"params", "text"}, issues)) {
        check_string_len(*t, {"params", "text"}, 1, INT64_MAX, issues);
        text = t->GetString();
    }
    if (const auto *room = member(*p, "roomId")) {
        expect_type(room, "string", {"params", "roomId"}, issues);
    }
    return text;
}

// heartbeat is answered with a notification of its own, not a result.
Reply heartbeat_ack(Agent &agent, int64_t now) {
    agent.heartbeats.fetch_add(1, std::memory_order_relaxed);
    JsonOut o;
    o.begin_obj()
        .f("jsonrpc", "2.0")
        .f("method", "heartbeat.ack")
        .begin_obj("params")
        .f("timestamp", now)
        .end()
        .end();
    return json_reply(200, o.str());
}

Reply status_result(const rapidjson::Value *id, const Agent &agent, int64_t now) {
    int64_t started = agent.started_ms.load();
    JsonOut o;
    o.begin_obj()
        .f("status", "running")
        .f("uptime", (now - started) / 1000)
        .f("memoriesCount", agent.messages.load() * 2)
        .f("startedAt", iso_ms(started))
        .end();
    return rpc_result(id, o.str());
}

// The answer cut into stream chunks of stream_chunk_chars characters (0: one chunk).
std::vector<std::string> stream_pieces(const std::string &answer, const RuntimeConfig &cfg) {
    int64_t per = cfg.stream_chunk_chars.load();
    std::vector<std::string> pieces =
        per > 0 ? split_utf8(answer, static_cast<size_t>(per)) : std::vector<std::string>{answer};
    if (pieces.empty()) pieces.push_back("");
    return pieces;
}

std::string text_of_reply(const std::optional<ScriptedReply> &r, const std::string &input) {
    if (!r) return "echo: " + input;
    if (r->kind == ScriptedReply::Kind::Text) return r->text;
    if (r->kind == ScriptedReply::Kind::Result) {
        rapidjson::Document d;
        if (parse_json(r->result_json, d)) {
            if (auto t = get_string(d, "text")) return *t;
        }
    }
    return "";
}

// ---- the eliza generation (E§2.10, E§2.11)

// params.clientMessageId: a string, trimmed, 1-128 characters; anything else is ignored.
std::optional<std::string> client_message_id(const rapidjson::Value *params) {
    if (!params || !params->IsObject()) return std::nullopt;
    auto v = get_string(*params, "clientMessageId");
    if (!v) return std::nullopt;
    size_t b = v->find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return std::nullopt;
    size_t e = v->find_last_not_of(" \t\r\n");
    std::string id = v->substr(b, e - b + 1);
    if (utf8_length(id) > 128) return std::nullopt;
    return id;
}

Reply client_message_conflict() {
    JsonOut o;
    o.begin_obj()
        .f("success", false)
        .f("error", "clientMessageId was already used with a different message")
        .f("code", "client_message_conflict")
        .f("retryable", false)
        .end();
    return json_reply(409, o.str());
}

// Asks the agent (scripted reply or echo): one turn.
Turn ask_agent(State &st, Agent &agent, const std::string &text) {
    agent.messages.fetch_add(1, std::memory_order_relaxed);
    auto scripted = st.next_reply(agent);
    Turn t;
    t.text = text;
    if (scripted && scripted->kind == ScriptedReply::Kind::Error) {
        t.is_error = true;
        t.code = scripted->code;
        t.message = scripted->message;
        return t;
    }
    t.answer = text_of_reply(scripted, text);
    if (scripted && scripted->kind == ScriptedReply::Kind::Result) {
        t.result_json = scripted->result_json;
    } else {
        JsonOut o;
        o.begin_obj()
            .f("text", t.answer)
            .begin_obj("metadata")
            .f("timestamp", now_ms())
            .end()
            .end();
        t.result_json = o.str();
    }
    return t;
}

// A turn with an optional clientMessageId: a landed turn with the same text is replayed (the
// agent is not asked), with another text it is a conflict (nullopt).
std::optional<Turn> run_turn(State &st, Agent &agent, const std::string &text,
                             const std::optional<std::string> &cmid, bool &replayed) {
    replayed = false;
    if (!cmid) return ask_agent(st, agent, text);
    std::lock_guard lock(agent.turns_mu);
    auto it = agent.turns.find(*cmid);
    if (it != agent.turns.end()) {
        if (it->second.text != text) return std::nullopt;
        replayed = true;
        agent.replays.fetch_add(1, std::memory_order_relaxed);
        return it->second;
    }
    Turn t = ask_agent(st, agent, text);
    agent.turns[*cmid] = t;
    return t;
}

Reply sse_reply(const RuntimeConfig &cfg) {
    Reply reply;
    reply.content_type = "text/event-stream";
    reply.streaming = true;
    reply.headers = {{"Cache-Control", "no-cache, no-transform"},
                     {"Connection", "keep-alive"},
                     {"X-Accel-Buffering", "no"}};
    reply.event_delay_ms = cfg.stream_chunk_delay_ms.load();
    return reply;
}

void register_eliza_bridge_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;
    RuntimeConfig &cfg = app.cfg;

    add_agent_route(
        r, "POST", "/agents/{id}/bridge", with_auth(st, [&st](Ctx &c, const Principal &who) {
            rapidjson::Document doc;
            if (!parse_json(c.req.body, doc)) {
                return cloud_error(400, "Invalid JSON body", "validation_error");
            }
            std::vector<Issue> issues;
            check_bridge_request(doc, issues);
            if (!issues.empty()) return invalid_request("Invalid JSON-RPC request", issues);

            const rapidjson::Value *id = member(doc, "id");
            std::string method = get_string(doc, "method").value_or("");
            auto found = st.find_agent(who.org_id, c.param(0));
            if (!found) return cloud_error(404, "Agent not found");
            auto agent = st.running_agent(who.org_id, c.param(0));
            if (!agent) return rpc_error(id, -32000, "Sandbox is not running");
            int64_t now = now_ms();

            if (method == "message.send") {
                const auto *params = member(doc, "params");
                auto text = params ? get_string(*params, "text") : std::nullopt;
                if (!text) {
                    agent->bridge_calls.fetch_add(1, std::memory_order_relaxed);
                    return rpc_error(id, -32602, "Invalid params: text is required");
                }
                bool replayed = false;
                auto turn = run_turn(st, *agent, *text, client_message_id(params), replayed);
                if (!turn) return client_message_conflict();
                if (!replayed) agent->bridge_calls.fetch_add(1, std::memory_order_relaxed);
                if (turn->is_error) return rpc_error(id, turn->code, turn->message);
                return rpc_result(id, turn->result_json);
            }
            agent->bridge_calls.fetch_add(1, std::memory_order_relaxed);
            if (method == "heartbeat") return heartbeat_ack(*agent, now);
            if (method == "status.get") return status_result(id, *agent, now);
            return rpc_error(id, -32601, "Method not found: " + method);
        }));

    add_agent_route(
        r, "POST", "/agents/{id}/stream", with_auth(st, [&st, &cfg](Ctx &c, const Principal &who) {
            rapidjson::Document doc;
            if (!parse_json(c.req.body, doc)) {
                return cloud_error(400, "Invalid JSON body", "validation_error");
            }
            std::vector<Issue> issues;
            std::string text = check_stream_request(doc, issues);
            if (!issues.empty()) return invalid_request("Invalid request", issues, false);

            auto agent = st.find_agent(who.org_id, c.param(0));
            if (!agent) return cloud_error(404, "Agent not found");
            if (agent->execution_tier != "shared") {
                return cloud_error(404, "Not a shared-runtime agent");
            }
            Reply reply = sse_reply(cfg);
            auto running = st.running_agent(who.org_id, c.param(0));
            if (!running) {
                reply.events.push_back(sse_event(
                    "error",
                    "{\"message\":\"Sandbox is not running or unreachable\",\"type\":\"error\"}"));
                return reply;
            }
            bool replayed = false;
            auto turn =
                run_turn(st, *agent, text, client_message_id(member(doc, "params")), replayed);
            if (!turn) return client_message_conflict();
            if (!replayed) agent->streams.fetch_add(1, std::memory_order_relaxed);
            const rapidjson::Value *id = member(doc, "id");
            std::string rpc_id = id ? to_json(*id) : "null";
            auto stamp = [&](const char *type) {
                JsonOut o;
                o.begin_obj().f_raw("rpcId", rpc_id).f("timestamp", now_ms());
                if (type) o.f("type", type);
                return o.end().str();
            };
            reply.events.push_back(sse_event("connected", stamp(nullptr)));
            if (turn->is_error) {
                JsonOut o;
                o.begin_obj().f("message", turn->message).f("type", "error").end();
                reply.events.push_back(sse_event("error", o.str()));
                return reply;
            }
            for (const auto &piece : stream_pieces(turn->answer, cfg)) {
                JsonOut o;
                reply.events.push_back(sse_event(
                    "chunk", o.begin_obj().f("text", piece).f("type", "token").end().str()));
            }
            reply.events.push_back(sse_event("done", stamp("done")));
            return reply;
        }));
}

}  // namespace

void register_bridge_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;
    RuntimeConfig &cfg = app.cfg;
    if (cfg.eliza) {
        register_eliza_bridge_routes(app);
        return;
    }

    add_agent_route(r, "POST", "/agents/{id}/bridge",
                    with_auth(st, [&st](Ctx &c, const Principal &who) {
                        rapidjson::Document doc;
                        if (!parse_json(c.req.body, doc)) return unexpected_error();
                        std::vector<Issue> issues;
                        check_bridge_request(doc, issues);
                        if (!issues.empty())
                            return invalid_request("Invalid JSON-RPC request", issues);

                        const rapidjson::Value *id = member(doc, "id");
                        std::string method = get_string(doc, "method").value_or("");
                        auto agent = st.running_agent(who.org_id, c.param(0));
                        if (!agent) return rpc_error(id, -32000, "Sandbox is not running");
                        agent->bridge_calls.fetch_add(1, std::memory_order_relaxed);
                        int64_t now = now_ms();

                        if (method == "heartbeat") return heartbeat_ack(*agent, now);
                        if (method == "status.get") return status_result(id, *agent, now);
                        if (method == "message.send") {
                            const auto *params = member(doc, "params");
                            auto text = params ? get_string(*params, "text") : std::nullopt;
                            if (!text)
                                return rpc_error(id, -32602, "Invalid params: text is required");
                            agent->messages.fetch_add(1, std::memory_order_relaxed);
                            auto scripted = st.next_reply(*agent);
                            if (scripted && scripted->kind == ScriptedReply::Kind::Error) {
                                return rpc_error(id, scripted->code, scripted->message);
                            }
                            if (scripted && scripted->kind == ScriptedReply::Kind::Result) {
                                return rpc_result(id, scripted->result_json);
                            }
                            JsonOut o;
                            o.begin_obj()
                                .f("text", text_of_reply(scripted, *text))
                                .begin_obj("metadata")
                                .f("timestamp", now)
                                .end()
                                .end();
                            return rpc_result(id, o.str());
                        }
                        return rpc_error(id, -32601, "Method not found: " + method);
                    }));

    add_agent_route(
        r, "POST", "/agents/{id}/stream", with_auth(st, [&st, &cfg](Ctx &c, const Principal &who) {
            rapidjson::Document doc;
            if (!parse_json(c.req.body, doc)) return unexpected_error();
            std::vector<Issue> issues;
            std::string text = check_stream_request(doc, issues);
            if (!issues.empty()) return invalid_request("Invalid request", issues, false);

            Reply reply;
            reply.content_type = "text/event-stream";
            reply.streaming = true;
            reply.headers = {{"Cache-Control", "no-cache, no-transform"},
                             {"X-Accel-Buffering", "no"}};
            auto agent = st.running_agent(who.org_id, c.param(0));
            if (!agent) {
                reply.events.push_back(
                    sse_event("error", "{\"message\":\"Sandbox is not running or unreachable\"}"));
                return reply;
            }
            agent->streams.fetch_add(1, std::memory_order_relaxed);
            agent->messages.fetch_add(1, std::memory_order_relaxed);
            reply.event_delay_ms = cfg.stream_chunk_delay_ms.load();
            const rapidjson::Value *id = member(doc, "id");
            std::string rpc_id = id ? to_json(*id) : "null";
            auto stamp = [&](void) {
                JsonOut o;
                o.begin_obj().f_raw("rpcId", rpc_id).f("timestamp", now_ms()).end();
                return o.str();
            };
            reply.events.push_back(sse_event("connected", stamp()));
            auto scripted = st.next_reply(*agent);
            if (scripted && scripted->kind == ScriptedReply::Kind::Error) {
                reply.abort_at_end = true;  // the agent failed mid-stream: no done, no error
                return reply;
            }
            std::string answer = text_of_reply(scripted, text);
            for (const auto &piece : stream_pieces(answer, cfg)) {
                JsonOut o;
                reply.events.push_back(
                    sse_event("chunk", o.begin_obj().f("text", piece).end().str()));
            }
            reply.events.push_back(sse_event("done", stamp()));
            return reply;
        }));
}

}  // namespace emu
