// Helpers shared by the cloud route files.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app.hpp"
#include "auth.hpp"

namespace emu {

// Registers an agent route under the generation's prefixes: /api/v1/milady and its alias
// /api/v1/milaidy, or /api/v1/eliza (where the milady paths get the router's 404).
inline void add_agent_route(Router &r, const std::string &method, const std::string &suffix,
                            const Handler &h) {
    for (const std::string &prefix : r.agent_prefixes()) r.add(method, prefix + suffix, h);
}

// Runs `fn` with the caller's principal, or answers the edge/handler 401.
template <class Fn>
Handler with_auth(State &st, Fn fn) {
    return [&st, fn](Ctx &c) -> Reply {
        AuthCheck a = edge_auth(c.req, st);
        if (!a.who) return auth_error(a);
        return fn(c, *a.who);
    };
}

// The generic 500 of milady routes for malformed bodies and unexpected failures (C§2.1).
inline Reply unexpected_error() {
    return cloud_error(500, "An unexpected error occurred");
}

// One zod-style issue.
struct Issue {
    std::string code;  // invalid_type | too_small | too_big | invalid_string | invalid_literal
    std::vector<std::string> path;
    std::string message;
    std::string expected, received;  // invalid_type / invalid_literal
    int64_t limit = -1;              // too_small / too_big
    std::string validation;          // invalid_string
};

std::string issues_json(const std::vector<Issue> &issues);
// 400 {[success:false,]error,details:[issues]}
Reply invalid_request(const char *error, const std::vector<Issue> &issues,
                      bool with_success = true);
// Checks a value against "string" and appends the usual invalid_type issue.
bool expect_type(const rapidjson::Value *v, const char *type, const std::vector<std::string> &path,
                 std::vector<Issue> &issues);
void check_string_len(const rapidjson::Value &v, const std::vector<std::string> &path, int64_t min,
                      int64_t max, std::vector<Issue> &issues);
// An optional uuid member of `obj`: its value when present and valid, else nullopt (a present but
// invalid value appends its issue).
std::optional<std::string> uuid_member(const rapidjson::Value &obj, const char *name,
                                       std::vector<Issue> &issues);

// {"success":true,"data":{...}}: `write_fields(o)` writes the data object's fields.
template <class Fn>
Reply data_reply(int status, Fn write_fields) {
    JsonOut o;
    o.begin_obj().f("success", true).begin_obj("data");
    write_fields(o);
    o.end().end();
    return json_reply(status, o.str());
}

// {"success":true,"data":[...]}: `write_item(o, item)` writes the fields of one item's object.
template <class Items, class Fn>
Reply data_list_reply(const Items &items, Fn write_item) {
    JsonOut o;
    o.begin_obj().f("success", true).begin_arr("data");
    for (const auto &item : items) {
        o.begin_obj();
        write_item(o, item);
        o.end();
    }
    o.end().end();
    return json_reply(200, o.str());
}

// ---- agent routes (both generations)
std::optional<std::string> iso_opt(const std::optional<int64_t> &ms);
std::optional<std::string> nonempty(const std::string &s);
// The milady list item fields (C§2.3).
void write_list_fields(JsonOut &o, const AgentView &v);
// "polling":{endpoint,intervalMs,expectedDurationMs = provision duration}
void write_polling(JsonOut &o, const std::string &job_id, const RuntimeConfig &cfg);
// agentConfig without "__milady*" keys, serialised ("" when absent).
std::string sanitized_config(const rapidjson::Value *cfg);
// A job's fields: GET /api/v1/jobs/{id} (`full`) adds result, error and completedAt to the
// summary that eliza's agent list and detail give as activeJob.
void write_job_fields(JsonOut &o, const Job &j, bool eliza, bool full);
// GET /api/v1/jobs/{id} 200 answer.
Reply job_reply(const Job &j, const RuntimeConfig &cfg);
// The create body's milady fields: agentName, characterId, agentConfig, environmentVars.
void validate_create_body(const rapidjson::Value &doc, std::vector<Issue> &issues);
// The PATCH /agents/{id} body {action: "shutdown" | "suspend"}: the action, or "" with the issues
// (a body that does not parse is zod's null).
std::string patch_action(const std::string &body, std::vector<Issue> &issues);
// {"success":true,"created":c,"alreadyInProgress":!c: the head of every job answer.
JsonOut &begin_job_answer(JsonOut &o, bool created);
// Opens the data of a job answer with {agentId, action, jobId, status}.
JsonOut &begin_job_data(JsonOut &o, const std::string &agent_id, const std::string &action,
                        const Job &job);
// provision's job answer after its head: message and data (both generations, C§2.8).
void write_provision_job(JsonOut &o, bool created, const Job &job, const std::string &agent_id);
// POST /agents/{id}/restore once begin_restore accepted (Restored or NeedsSync): a sync restore
// first waits out the provision time (and answers 500 when it fails), then 200 with the backup.
Reply finish_restore(State &st, const RuntimeConfig &cfg, Sleeper &sleeper,
                     const std::string &agent_id, const RestoreOutcome &out);

}  // namespace emu
