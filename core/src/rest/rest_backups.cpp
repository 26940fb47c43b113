// GET /api/cloud/agents/:id/backups, POST …/snapshot and …/restore: an agent's backups. The
// connected agent's go through its backup scheduler (one snapshot in flight at a time).
#include <string>
#include <utility>

#include "handle/cloud.hpp"
#include "handle/request.hpp"
#include "rest/rest_api.hpp"
#include "rest/rest_checks.hpp"
#include "rest/rest_responses.hpp"
#include "util/json.hpp"
#include "util/strings.hpp"
#include "util/uuid.hpp"

namespace elizacloud {
namespace {

using rest::error_response;

// {"ok": true, <name>: <result of the operation>}, plus "agentId" when given.
RestResponse answer(const std::string &result, const char *name, const std::string &agent_id = {}) {
    json::Document value;
    rest::parse_result(result, value);
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    json::set(doc, "ok", json::Value(true), alloc);
    if (!agent_id.empty()) json::set(doc, "agentId", json::string_value(agent_id, alloc), alloc);
    json::set(doc, name, json::Value(value, alloc), alloc);
    return rest::json_response(200, json::stringify(doc));
}

}  // namespace

RestResponse RestApi::backups_list(const std::string &agent_id) {
    if (!is_uuid(agent_id) || !has_key())
        return error_response(400, "Invalid agent ID or cloud not connected");
    return answer(run(make_request("backups.list", {{"agentId", agent_id.c_str()}})), "backups");
}

RestResponse RestApi::backups_snapshot(const std::string &agent_id) {
    if (!is_uuid(agent_id) || !has_key())
        return error_response(400, "Invalid agent ID or cloud not connected");
    return answer(run(make_request("backups.snapshot", {{"agentId", agent_id.c_str()}})), "backup");
}

RestResponse RestApi::backups_restore(const std::string &agent_id, const std::string &body) {
    if (!is_uuid(agent_id) || !has_key())
        return error_response(400, "Invalid agent ID or cloud not connected");
    // No body (or {}) restores the latest backup.
    std::string backup_id;
    if (!trim(body).empty()) {
        json::Document input;
        if (auto refused = rest::refuse_body(body, input)) return std::move(*refused);
        const json::Value *id = json::member(input, "backupId");
        if (id && !id->IsNull()) {
            if (!id->IsString()) return error_response(400, "backupId must be a string");
            backup_id.assign(id->GetString(), id->GetStringLength());
            if (trim(backup_id).empty() || !rest::valid_utf8(backup_id) ||
                rest::has_control_chars(backup_id))
                return error_response(400, "backupId must be a backup id");
        }
    }
    return answer(
        run(make_request("backups.restore",
                         {{"agentId", agent_id.c_str()},
                          {"backupId", backup_id.empty() ? nullptr : backup_id.c_str()}})),
        "restored", agent_id);
}

}  // namespace elizacloud
