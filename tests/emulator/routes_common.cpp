#include "routes_common.hpp"

#include <cctype>

namespace emu {

std::string issues_json(const std::vector<Issue> &issues) {
    JsonOut o;
    o.begin_arr();
    for (const auto &i : issues) {
        o.begin_obj().f("code", i.code);
        if (i.code == "invalid_type") o.f("expected", i.expected).f("received", i.received);
        if (i.code == "invalid_literal") {
            o.key("expected").raw(i.expected);
            o.key("received").raw(i.received);
        }
        if (i.code == "too_small" || i.code == "too_big") {
            o.f(i.code == "too_small" ? "minimum" : "maximum", i.limit)
                .f("type", "string")
                .f("inclusive", true)
                .f("exact", false);
        }
        if (i.code == "invalid_string") o.f("validation", i.validation);
        o.begin_arr("path");
        for (const auto &p : i.path) o.put(p);
        o.end().f("message", i.message).end();
    }
    o.end();
    return o.str();
}

Reply invalid_request(const char *error, const std::vector<Issue> &issues, bool with_success) {
    JsonOut o;
    o.begin_obj();
    if (with_success) o.f("success", false);
    o.f("error", error).f_raw("details", issues_json(issues)).end();
    return json_reply(400, o.str());
}

bool expect_type(const rapidjson::Value *v, const char *type, const std::vector<std::string> &path,
                 std::vector<Issue> &issues) {
    std::string got = js_type(v);
    if (got == type) return true;
    Issue i;
    i.code = "invalid_type";
    i.path = path;
    i.expected = type;
    i.received = got;
    i.message = v ? "Expected " + std::string(type) + ", received " + got : "Required";
    issues.push_back(i);
    return false;
}

void check_string_len(const rapidjson::Value &v, const std::vector<std::string> &path, int64_t min,
                      int64_t max, std::vector<Issue> &issues) {
    auto len =
        static_cast<int64_t>(utf8_length(std::string_view(v.GetString(), v.GetStringLength())));
    if (len < min) {
        issues.push_back({"too_small", path,
                          "String must contain at least " + std::to_string(min) + " character(s)",
                          "", "", min, ""});
    } else if (len > max) {
        issues.push_back({"too_big", path,
                          "String must contain at most " + std::to_string(max) + " character(s)",
                          "", "", max, ""});
    }
}

std::optional<std::string> uuid_member(const rapidjson::Value &obj, const char *name,
                                       std::vector<Issue> &issues) {
    const auto *v = member(obj, name);
    if (!v || !expect_type(v, "string", {name}, issues)) return std::nullopt;
    if (is_uuid(v->GetString())) return std::string(v->GetString());
    issues.push_back({"invalid_string", {name}, "Invalid uuid", "", "", -1, "uuid"});
    return std::nullopt;
}

// ---------------------------------------------------------------- agent helpers

static void write_token_fields(JsonOut &o, const std::string &config_json) {
    rapidjson::Document cfg;
    bool ok = !config_json.empty() && parse_json(config_json, cfg) && cfg.IsObject();
    auto field = [&](const char *out_name, const char *cfg_name) {
        std::optional<std::string> v;
        if (ok) v = get_string(cfg, cfg_name);
        o.f(out_name, v);
    };
    field("token_address", "tokenContractAddress");
    field("token_chain", "chain");
    field("token_name", "tokenName");
    field("token_ticker", "tokenTicker");
}

std::optional<std::string> iso_opt(const std::optional<int64_t> &ms) {
    if (!ms) return std::nullopt;
    return iso_ms(*ms);
}

std::optional<std::string> nonempty(const std::string &s) {
    if (s.empty()) return std::nullopt;
    return s;
}

void write_list_fields(JsonOut &o, const AgentView &v) {
    o.f("id", v.id)
        .f("agentName", v.name)
        .f("status", v.status)
        .f("databaseStatus", v.database_status)
        .f("lastBackupAt", iso_opt(v.last_backup_ms))
        .f("lastHeartbeatAt", iso_opt(v.last_heartbeat_ms))
        .f("errorMessage", v.error_message)
        .f("createdAt", iso_ms(v.created_ms))
        .f("updatedAt", iso_ms(v.updated_ms));
    write_token_fields(o, v.agent_config_json);
}

void write_polling(JsonOut &o, const std::string &job_id, const RuntimeConfig &cfg) {
    o.begin_obj("polling")
        .f("endpoint", "/api/v1/jobs/" + job_id)
        .f("intervalMs", cfg.job_poll_interval_ms.load())
        .f("expectedDurationMs", cfg.provision_ms.load())
        .end();
}

// Strips agentConfig keys starting with "__milady" (any case) and serialises the rest.
std::string sanitized_config(const rapidjson::Value *cfg) {
    if (!cfg) return "";
    JsonOut o;
    o.begin_obj();
    for (const auto &kv : cfg->GetObject()) {
        std::string name(kv.name.GetString(), kv.name.GetStringLength());
        std::string lower = name;
        for (auto &ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (lower.rfind("__milady", 0) == 0) continue;
        o.key(name).value(kv.value);
    }
    return o.end().str();
}

void write_job_fields(JsonOut &o, const Job &j, bool eliza, bool full) {
    o.f("id", j.id).f("type", job_type_name(j.kind, eliza)).f("status", j.status);
    if (full) {
        if (j.result_json.empty()) {
            o.f_null("result");
        } else {
            o.f_raw("result", j.result_json);
        }
        o.f("error", j.error);
    }
    o.f("attempts", j.attempts)
        .f("maxAttempts", 3)
        .f("estimatedCompletionAt", iso_ms(j.finish_ms))
        .f("scheduledFor", iso_ms(j.created_ms))
        .f("startedAt", iso_opt(j.started_ms));
    if (full) o.f("completedAt", iso_opt(j.completed_ms));
    o.f("createdAt", iso_ms(j.created_ms)).f("updatedAt", iso_ms(j.updated_ms));
}

Reply job_reply(const Job &j, const RuntimeConfig &cfg) {
    JsonOut o;
    o.begin_obj().f("success", true).begin_obj("data");
    write_job_fields(o, j, cfg.eliza, true);
    o.end();
    o.begin_obj("polling");
    if (j.status == "pending" || j.status == "in_progress") {
        o.f("intervalMs", cfg.job_poll_interval_ms.load()).f("shouldContinue", true);
    } else {
        o.f("shouldContinue", false);
    }
    o.end().end();
    return json_reply(200, o.str());
}

void validate_create_body(const rapidjson::Value &doc, std::vector<Issue> &issues) {
    if (expect_type(&doc, "object", {}, issues)) {
        const auto *name = member(doc, "agentName");
        if (expect_type(name, "string", {"agentName"}, issues)) {
            check_string_len(*name, {"agentName"}, 1, 100, issues);
        }
        uuid_member(doc, "characterId", issues);
        if (const auto *ac = member(doc, "agentConfig")) {
            expect_type(ac, "object", {"agentConfig"}, issues);
        }
        if (const auto *ev = member(doc, "environmentVars")) {
            if (expect_type(ev, "object", {"environmentVars"}, issues)) {
                for (const auto &kv : ev->GetObject()) {
                    expect_type(&kv.value, "string", {"environmentVars", kv.name.GetString()},
                                issues);
                }
            }
        }
    }
}

std::string patch_action(const std::string &body, std::vector<Issue> &issues) {
    rapidjson::Document doc;
    if (!parse_json(body, doc)) {
        issues.push_back(
            {"invalid_type", {}, "Expected object, received null", "object", "null", -1, ""});
        return "";
    }
    if (!expect_type(&doc, "object", {}, issues)) return "";
    const auto *a = member(doc, "action");
    std::string s = a && a->IsString() ? a->GetString() : "";
    if (s == "shutdown" || s == "suspend") return s;
    Issue i;
    i.code = a ? "invalid_enum_value" : "invalid_type";
    i.path = {"action"};
    i.message = a ? "Invalid enum value. Expected 'shutdown' | 'suspend'" : "Required";
    if (!a) {
        i.expected = "'shutdown' | 'suspend'";
        i.received = "undefined";
    }
    issues.push_back(i);
    return "";
}

JsonOut &begin_job_answer(JsonOut &o, bool created) {
    return o.begin_obj().f("success", true).f("created", created).f("alreadyInProgress", !created);
}

JsonOut &begin_job_data(JsonOut &o, const std::string &agent_id, const std::string &action,
                        const Job &job) {
    return o.begin_obj("data")
        .f("agentId", agent_id)
        .f("action", action)
        .f("jobId", job.id)
        .f("status", job.status);
}

void write_provision_job(JsonOut &o, bool created, const Job &job, const std::string &agent_id) {
    o.f("message", created ? "Provisioning job created. Poll the job endpoint for status."
                           : "Provisioning is already in progress. Poll the existing job for "
                             "status.")
        .begin_obj("data")
        .f("jobId", job.id)
        .f("agentId", agent_id)
        .f("status", job.status)
        .f("estimatedCompletionAt", iso_ms(job.finish_ms))
        .end();
}

Reply finish_restore(State &st, const RuntimeConfig &cfg, Sleeper &sleeper,
                     const std::string &agent_id, const RestoreOutcome &out) {
    if (out.kind == RestoreOutcome::Kind::NeedsSync) {
        sleeper.sleep_full(cfg.provision_ms.load());
        st.finish_sync(agent_id, out.will_fail, out.fail_message);
        if (out.will_fail) return cloud_error(500, out.fail_message);
    }
    return data_reply(200, [&out](JsonOut &o) {
        o.f("restoredFromBackupId", out.backup.id)
            .f("snapshotType", out.backup.type)
            .f("createdAt", iso_ms(out.backup.created_ms));
    });
}

}  // namespace emu
