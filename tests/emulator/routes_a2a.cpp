// A2A (C§6): the JSON-RPC 2.0 endpoint POST /api/a2a (message/send, tasks/get, tasks/cancel;
// errors are JSON-RPC objects with an HTTP status), its card (GET /api/a2a), and the public
// service discovery (GET /api/v1/discovery). A sent message completes at once with the answer
// "echo: <text>"; cancelling a task marks it canceled.
#include <algorithm>

#include "routes_breadth.hpp"

namespace emu {

namespace {

constexpr const char *kTask = "a2a-task";

Reply rpc_error(int http, const rapidjson::Value *id, int code, const std::string &message) {
    JsonOut o;
    o.begin_obj().f("jsonrpc", "2.0");
    if (id) {
        o.key("id").value(*id);
    } else {
        o.f_null("id");
    }
    o.begin_obj("error").f("code", code).f("message", message).end().end();
    return json_reply(http, o.str());
}

Reply rpc_result(const rapidjson::Value *id, const std::string &result_json) {
    JsonOut o;
    o.begin_obj().f("jsonrpc", "2.0");
    if (id) {
        o.key("id").value(*id);
    } else {
        o.f_null("id");
    }
    o.f_raw("result", result_json).end();
    return json_reply(200, o.str());
}

// The text of a message's text parts ({kind|type: "text", text}).
std::string text_of(const rapidjson::Value &message) {
    std::string out;
    const auto *parts = member(message, "parts");
    if (!parts || !parts->IsArray()) return out;
    for (const auto &p : parts->GetArray())
        if (auto t = get_string(p, "text")) out += (out.empty() ? "" : " ") + *t;
    return out;
}

struct Service {
    const char *id, *name, *type, *description, *tag;
    bool x402;
};
constexpr Service kServices[] = {
    {"svc-chat", "Eliza Chat", "agent", "A general assistant agent", "chat", false},
    {"svc-search", "Web Search MCP", "mcp", "Searches the web as MCP tools", "search", true},
    {"svc-images", "Image Studio", "a2a", "Generates images over A2A", "images", false},
    {"svc-notes", "Notes App", "app", "Takes notes for your agents", "productivity", false},
};

}  // namespace

void register_a2a_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;
    Records &rec = app.records;

    r.add("GET", "/api/a2a", [](Ctx &) {
        JsonOut o;
        o.begin_obj().f("name", "Eliza Cloud").f("version", "1.0.0").f("protocolVersion", "0.3.0");
        o.f("description", "Eliza Cloud's A2A endpoint (emulator)");
        o.begin_arr("methods").put("message/send").put("tasks/get").put("tasks/cancel").end();
        o.begin_arr("skills");
        for (const char *s :
             {"chat_completion", "image_generation", "check_balance", "get_usage", "list_agents",
              "chat_with_agent", "list_containers", "get_user_profile"})
            o.begin_obj().f("id", s).f("name", s).end();
        o.end().end();
        return json_reply(200, o.str());
    });

    r.add("POST", "/api/a2a", [&st, &rec](Ctx &c) {
        rapidjson::Document body;
        if (!parse_json(c.req.body, body)) return rpc_error(400, nullptr, -32700, "Parse error");
        const rapidjson::Value *id = body.IsObject() ? member(body, "id") : nullptr;
        AuthCheck a = edge_auth(c.req, st);
        if (!a.who) return rpc_error(401, id, -32010, a.message);
        const Principal &who = *a.who;
        auto method = body.IsObject() ? get_string(body, "method") : std::nullopt;
        if (!method || get_string(body, "jsonrpc") != std::optional<std::string>("2.0"))
            return rpc_error(400, id, -32600, "Invalid Request");
        const auto *params = member(body, "params");
        if (*method == "message/send") {
            const auto *message = params ? member(*params, "message") : nullptr;
            if (!message || !message->IsObject() || text_of(*message).empty())
                return rpc_error(400, id, -32602,
                                 "Invalid params: message with a text part required");
            const std::string task_id = uuid_v4();
            const std::string text = text_of(*message);
            JsonOut answer;
            answer.begin_obj().f("kind", "message").f("role", "agent").f("messageId", uuid_v4());
            answer.begin_arr("parts")
                .begin_obj()
                .f("kind", "text")
                .f("text", "echo: " + text)
                .end()
                .end();
            answer.f("taskId", task_id).end();
            JsonOut t;
            t.begin_obj()
                .f("id", task_id)
                .f("contextId", string_or(*message, "contextId", uuid_v4()));
            t.f("kind", "task").begin_obj("status").f("state", "completed");
            t.f_raw("message", answer.str()).f("timestamp", iso_ms(now_ms())).end();
            t.begin_arr("history").value(*message).raw(answer.str()).end();
            t.begin_arr("artifacts").end().end();
            rec.put(kTask, {task_id, who.org_id, t.str(), 0, 0});
            return rpc_result(id, t.str());
        }
        if (*method == "tasks/get" || *method == "tasks/cancel") {
            auto task_id = params ? get_string(*params, "id") : std::nullopt;
            if (!task_id) return rpc_error(400, id, -32602, "Invalid params: id required");
            std::optional<Record> task;
            if (*method == "tasks/get") {
                task = rec.get(kTask, who.org_id, *task_id);
            } else {
                task = rec.update(kTask, who.org_id, *task_id, [](rapidjson::Document &d) {
                    rapidjson::Value status(rapidjson::kObjectType);
                    status.AddMember("state", "canceled", d.GetAllocator());
                    status.AddMember("timestamp",
                                     rapidjson::Value(iso_ms(now_ms()).c_str(), d.GetAllocator()),
                                     d.GetAllocator());
                    set_member(d, "status", status);
                });
            }
            if (!task) return rpc_error(404, id, -32001, "Task not found");
            return rpc_result(id, task->json);
        }
        return rpc_error(404, id, -32601, "Method not found: " + *method);
    });

    r.add("GET", "/api/v1/discovery", [](Ctx &c) {
        bool bad = false;
        const int64_t limit = query_int(c.req, "limit", bad).value_or(50);
        const int64_t offset = query_int(c.req, "offset", bad).value_or(0);
        if (bad || limit < 1 || limit > 100 || offset < 0)
            return cloud_error(400, "limit must be 1 to 100 and offset at least 0",
                               "validation_error");
        const std::string query = c.req.has_param("query") ? c.req.get_param_value("query") : "";
        const std::string types = c.req.has_param("types") ? c.req.get_param_value("types") : "";
        const bool x402_only = query_bool(c.req, "x402Only").value_or(false);
        std::vector<const Service *> found;
        for (const Service &s : kServices) {
            if (x402_only && !s.x402) continue;
            if (!types.empty()) {
                const auto list = split_list(types);
                if (std::find(list.begin(), list.end(), s.type) == list.end()) continue;
            }
            if (!query.empty() && std::string(s.name).find(query) == std::string::npos &&
                std::string(s.description).find(query) == std::string::npos)
                continue;
            found.push_back(&s);
        }
        JsonOut o;
        o.begin_obj().begin_arr("services");
        for (size_t i = static_cast<size_t>(offset);
             i < found.size() && static_cast<int64_t>(i) < offset + limit; ++i) {
            const Service &s = *found[i];
            o.begin_obj().f("id", s.id).f("name", s.name).f("description", s.description);
            o.f("type", s.type).f("source", "cloud").begin_arr("tags").put(s.tag).end();
            o.f("active", true).f("x402Support", s.x402).end();
        }
        o.end().f("total", static_cast<int64_t>(found.size()));
        o.f("hasMore", offset + limit < static_cast<int64_t>(found.size()));
        o.begin_obj("pagination").f("limit", limit).f("offset", offset).end().end();
        return json_reply(200, o.str());
    });
}

}  // namespace emu
