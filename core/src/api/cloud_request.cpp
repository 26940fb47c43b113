// The method table of ec_cloud_call and the argument checks shared with the typed entry points:
// everything is validated here, before any request, so a bad argument is always a synchronous
// EC_ERR_INVALID_ARGUMENT and never a network round trip.
#include <array>
#include <initializer_list>
#include <string>
#include <utility>

#include "handle/cloud.hpp"
#include "util/json.hpp"
#include "util/uuid.hpp"

namespace elizacloud {
namespace {

struct MethodEntry {
    Method method;
    const char *name;
};

constexpr std::array<MethodEntry, 21> kMethods{{
    {Method::Login, "login"},
    {Method::Logout, "logout"},
    {Method::Status, "status"},
    {Method::Credits, "credits"},
    {Method::Identity, "identity"},
    {Method::AgentsList, "agents.list"},
    {Method::AgentCreate, "agents.create"},
    {Method::AgentGet, "agents.get"},
    {Method::AgentDelete, "agents.delete"},
    {Method::AgentProvision, "agents.provision"},
    {Method::AgentSuspend, "agents.suspend"},
    {Method::AgentResume, "agents.resume"},
    {Method::Connect, "connect"},
    {Method::Disconnect, "disconnect"},
    {Method::Send, "send"},
    {Method::Stream, "stream"},
    {Method::AgentStatus, "agent.status"},
    {Method::IsAlive, "agent.alive"},
    {Method::Snapshot, "backups.snapshot"},
    {Method::BackupsList, "backups.list"},
    {Method::Restore, "backups.restore"},
}};

[[noreturn]] void invalid(std::string message) {
    throw Error(Status::InvalidArgument, std::move(message));
}

enum class Need { None, Required, Optional };

struct Shape {
    Need agent = Need::None;
    bool text = false;  // text (+ roomId, channelType)
    bool backup = false;
};

Shape shape_of(Method m) {
    switch (m) {
        case Method::AgentGet:
        case Method::AgentDelete:
        case Method::AgentProvision:
        case Method::AgentSuspend:
        case Method::AgentResume:
        case Method::Connect:
            return {Need::Required, false, false};
        case Method::Send:
        case Method::Stream:
            return {Need::None, true, false};
        case Method::Snapshot:
        case Method::BackupsList:
            return {Need::Optional, false, false};
        case Method::Restore:
            return {Need::Optional, false, true};
        default:
            return {};
    }
}

bool is_channel_type(std::string_view t) {
    for (std::string_view allowed : {"DM", "GROUP", "VOICE_DM", "VOICE_GROUP", "API"})
        if (t == allowed) return true;
    return false;
}

void check_create_body(const std::string &body) {
    json::Document doc;
    std::string why;
    if (!json::parse(body, doc, &why)) invalid("agent parameters are not valid JSON: " + why);
    if (!doc.IsObject()) invalid("agent parameters must be a JSON object");
    auto name = json::get_string(doc, "agentName");
    if (!name || name->empty()) invalid("agentName (a non-empty string) is required");
}

// Fills and checks the fields the method uses; the rest keep their defaults.
void check(Request &r) {
    const Shape s = shape_of(r.method);
    if (s.agent == Need::Required && r.agent_id.empty()) invalid("agent id is required");
    if (!r.agent_id.empty() && !is_uuid(r.agent_id))
        invalid("agent id must be a UUID (8-4-4-4-12 hex digits)");
    if (s.text) {
        if (r.text.empty()) invalid("text must be a non-empty string");
        if (r.room_id.empty()) invalid("room id must not be empty");
        if (!is_channel_type(r.channel_type))
            invalid("channel type must be one of DM, GROUP, VOICE_DM, VOICE_GROUP, API");
    }
    if (!r.backup_id.empty() && !is_uuid(r.backup_id)) invalid("backup id must be a UUID");
    if (r.method == Method::AgentCreate) check_create_body(r.body);
}

std::string string_param(const json::Value &params, const char *key) {
    const json::Value *v = json::member(params, key);
    if (!v || v->IsNull()) return {};
    if (!v->IsString()) invalid(std::string("parameter \"") + key + "\" must be a string");
    return std::string(v->GetString(), v->GetStringLength());
}

}  // namespace

const char *method_name(Method method) {
    for (const auto &entry : kMethods)
        if (entry.method == method) return entry.name;
    return "?";
}

Request make_request(Method method, const char *agent_id, const char *text, const char *room_id,
                     const char *channel_type, const char *backup_id, const char *body) {
    Request r;
    r.method = method;
    if (agent_id) r.agent_id = agent_id;
    if (text) r.text = text;
    if (room_id) r.room_id = room_id;
    if (channel_type) r.channel_type = channel_type;
    if (backup_id) r.backup_id = backup_id;
    if (body) r.body = body;
    if (method == Method::AgentCreate && !body) invalid("agent parameters (JSON) are required");
    check(r);
    return r;
}

Request parse_request(std::string_view method, const char *params_json) {
    Request r;
    const MethodEntry *entry = nullptr;
    for (const auto &e : kMethods)
        if (method == e.name) entry = &e;
    if (!entry) invalid("unknown method \"" + std::string(method) + "\" (see docs/c-api.md)");
    r.method = entry->method;

    const std::string text = params_json && *params_json ? params_json : "{}";
    json::Document params;
    std::string why;
    if (!json::parse(text, params, &why)) invalid("params are not valid JSON: " + why);
    if (!params.IsObject()) invalid("params must be a JSON object");

    if (r.method == Method::AgentCreate) {
        r.body = text;  // forwarded to the cloud as the request body
        check(r);
        return r;
    }
    // Strict: a misspelt parameter is an error rather than silently using a default.
    const Shape s = shape_of(r.method);
    for (auto it = params.MemberBegin(); it != params.MemberEnd(); ++it) {
        const std::string_view key(it->name.GetString(), it->name.GetStringLength());
        const bool known = (key == "agentId" && s.agent != Need::None) ||
                           ((key == "text" || key == "roomId" || key == "channelType") && s.text) ||
                           (key == "backupId" && s.backup) ||
                           (key == "fresh" && r.method == Method::Credits);
        if (!known) {
            invalid("unknown parameter \"" + std::string(key) + "\" for method \"" +
                    std::string(method) + "\"");
        }
    }
    r.agent_id = string_param(params, "agentId");
    r.text = string_param(params, "text");
    if (auto room = string_param(params, "roomId"); !room.empty()) r.room_id = room;
    if (auto channel = string_param(params, "channelType"); !channel.empty())
        r.channel_type = channel;
    r.backup_id = string_param(params, "backupId");
    if (const json::Value *fresh = json::member(params, "fresh"); fresh && !fresh->IsNull()) {
        if (!fresh->IsBool()) invalid("parameter \"fresh\" must be a boolean");
        r.fresh = fresh->GetBool();
    }
    check(r);
    return r;
}

}  // namespace elizacloud
