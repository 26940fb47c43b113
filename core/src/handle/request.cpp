#include "handle/request.hpp"

#include "api/call_params.hpp"
#include "api/registry.hpp"
#include "util/error.hpp"
#include "util/json.hpp"

namespace elizacloud {

namespace {

const api::OperationSpec &operation_named(std::string_view name) {
    const api::OperationSpec *op = api::find_operation(name);
    if (!op)
        throw Error(Status::InvalidArgument,
                    "unknown method \"" + std::string(name) + "\" (see docs/operations.md)");
    return *op;
}

// A Request for op with its parameters, already checked against it.
Request checked_request(const api::OperationSpec &op, std::shared_ptr<json::Document> checked) {
    const json::Document &params = *checked;
    Request r;
    r.op = &op;
    r.agent_id = api::string_param(op, params, "agentId").value_or("");
    r.text = api::string_param(op, params, "text").value_or("");
    r.room_id = api::string_param(op, params, "roomId").value_or("");
    r.channel_type = api::string_param(op, params, "channelType").value_or("");
    r.backup_id = api::string_param(op, params, "backupId").value_or("");
    r.session_id = api::string_param(op, params, "sessionId").value_or("");
    r.fresh = api::bool_param(op, params, "fresh");
    r.streams = op.streaming != api::Streaming::None ||
                (op.handler == Method::Request &&
                 api::string_param(op, params, "stream").value_or("none") != "none");
    r.params = std::move(checked);
    return r;
}

}  // namespace

Request parse_request(std::string_view name, const char *params_json) {
    const api::OperationSpec &op = operation_named(name);
    auto checked = std::make_shared<json::Document>();
    api::check_params(op, params_json ? params_json : "", *checked);
    return checked_request(op, std::move(checked));
}

void apply_call_options(Request &r, const char *options_json) {
    if (!options_json || !*options_json) return;
    json::Document doc;
    std::string why;
    if (!json::parse(options_json, doc, &why))
        throw Error(Status::InvalidArgument, "call options are not valid JSON: " + why);
    if (!doc.IsObject()) throw Error(Status::InvalidArgument, "call options must be a JSON object");
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
        const std::string key(it->name.GetString(), it->name.GetStringLength());
        const json::Value &v = it->value;
        if (v.IsNull()) continue;
        if (key != "maxRetries" && key != "timeoutMs")
            throw Error(Status::InvalidArgument,
                        "unknown call option \"" + key + "\" (known: maxRetries, timeoutMs)");
        if (!v.IsInt64()) throw Error(Status::InvalidArgument, key + " must be an integer");
        const int64_t n = v.GetInt64();
        if (key == "maxRetries") {
            if (n < 0 || n > 10) throw Error(Status::InvalidArgument, "maxRetries must be 0 to 10");
            r.max_retries = static_cast<int>(n);
        } else {
            if (n < 1 || n > 3'600'000)
                throw Error(Status::InvalidArgument, "timeoutMs must be 1 to 3600000");
            r.timeout_ms = static_cast<int>(n);
        }
    }
    if ((r.max_retries >= 0 || r.timeout_ms >= 0) &&
        (r.op->kind != api::Kind::Http || r.op->streaming != api::Streaming::None))
        throw Error(Status::InvalidArgument,
                    std::string(r.op->name) +
                        ": per-call options apply to the one-answer cloud operations (a stream "
                        "or a session operation uses the handle's; the generic request takes "
                        "maxRetries and timeoutMs as parameters)");
}

Request make_request(std::string_view name, StringParams params) {
    const api::OperationSpec &op = operation_named(name);
    // Built as the document parse_request would make of their JSON, and checked the same way.
    auto checked = std::make_shared<json::Document>(rapidjson::kObjectType);
    json::Document &doc = *checked;
    auto &alloc = doc.GetAllocator();
    for (const auto &[key, value] : params) {
        // NULL is "not given"; so is an empty id (the typed exports' "none": the connected
        // agent, the latest backup).
        if (!value || (!*value && key.ends_with("Id"))) continue;
        // Added, not set: the exports name each parameter once (no lookup of an earlier one).
        doc.AddMember(json::string_value(key, alloc), json::string_value(value, alloc), alloc);
    }
    api::check_params(op, doc);
    return checked_request(op, std::move(checked));
}

}  // namespace elizacloud
