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

// ---- agent routes (both generations)
std::optional<std::string> iso_opt(const std::optional<int64_t> &ms);
std::optional<std::string> nonempty(const std::string &s);
// The milady list item fields (C§2.3).
void write_list_fields(JsonOut &o, const AgentView &v);
// "polling":{endpoint,intervalMs,expectedDurationMs = provision duration}
void write_polling(JsonOut &o, const std::string &job_id, const RuntimeConfig &cfg);
// agentConfig without "__milady*" keys, serialised ("" when absent).
std::string sanitized_config(const rapidjson::Value *cfg);
// GET /api/v1/jobs/{id} 200 answer.
Reply job_reply(const Job &j, const RuntimeConfig &cfg);
// The create body's milady fields: agentName, characterId, agentConfig, environmentVars.
void validate_create_body(const rapidjson::Value &doc, std::vector<Issue> &issues);

}  // namespace emu
