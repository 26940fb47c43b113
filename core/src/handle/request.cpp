#include "handle/request.hpp"

#include "api/call_params.hpp"
#include "api/registry.hpp"
#include "util/error.hpp"
#include "util/json.hpp"

namespace elizacloud {

Request parse_request(std::string_view name, const char *params_json) {
    const api::OperationSpec *op = api::find_operation(name);
    if (!op)
        throw Error(Status::InvalidArgument,
                    "unknown method \"" + std::string(name) + "\" (see docs/operations.md)");
    auto checked = std::make_shared<json::Document>();
    json::Document &params = *checked;
    api::check_params(*op, params_json ? params_json : "", params);
    Request r;
    r.op = op;
    r.params = checked;
    r.agent_id = api::string_param(*op, params, "agentId").value_or("");
    r.text = api::string_param(*op, params, "text").value_or("");
    r.room_id = api::string_param(*op, params, "roomId").value_or("");
    r.channel_type = api::string_param(*op, params, "channelType").value_or("");
    r.backup_id = api::string_param(*op, params, "backupId").value_or("");
    r.session_id = api::string_param(*op, params, "sessionId").value_or("");
    r.fresh = api::bool_param(*op, params, "fresh");
    r.streams = op->streaming != api::Streaming::None ||
                (op->handler == Method::Request &&
                 api::string_param(*op, params, "stream").value_or("none") != "none");
    return r;
}

Request make_request(std::string_view name, StringParams params) {
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    for (const auto &[key, value] : params) {
        // NULL is "not given"; so is an empty id (the typed exports' "none": the connected
        // agent, the latest backup).
        if (!value || (!*value && key.ends_with("Id"))) continue;
        json::set(doc, key, json::string_value(value, alloc), alloc);
    }
    const std::string text = json::stringify(doc);
    return parse_request(name, text.c_str());
}

}  // namespace elizacloud
