// The eliza generation's agent routes (E§2, cloud-contract-eliza.md): execution tiers, create
// that reuses or provisions, price consent (428), lifecycle calls as jobs (suspend, sleep,
// wake, delete, snapshot), backups with backupKind and restore. Bridge and stream: routes_bridge.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>

#include "routes_common.hpp"

namespace emu {

namespace {

constexpr const char *kPriceHeader = "X-Eliza-Dedicated-Price";

std::string origin_of(const httplib::Request &req, bool tls) {
    std::string host = req.get_header_value("Host");
    if (host.empty()) host = "localhost";
    return std::string(tls ? "https" : "http") + "://" + host;
}

// The shared agent's REST surface on the API origin (E§2.4).
std::string shared_web_ui_url(const httplib::Request &req, bool tls, const std::string &id) {
    return origin_of(req, tls) + "/api/v1/eliza/agents/" + id;
}

std::optional<std::string> list_web_ui_url(const AgentView &v) {
    if (v.execution_tier == "shared") return std::nullopt;
    return dedicated_web_ui_url(v.id);
}

bool price_accepted(const httplib::Request &req, const RuntimeConfig &cfg) {
    if (!cfg.require_price_consent.load()) return true;
    return req.get_header_value(kPriceHeader) == cfg.dedicated_price_acceptance();
}

// 428 DEDICATED_PRICE_CONFIRMATION_REQUIRED (E§2.4.1); the rates come from the acceptance
// string "dedicated-compute-v1:<currency>:<hourly>:<minimum>".
Reply price_gate(const RuntimeConfig &cfg) {
    std::string value = cfg.dedicated_price_acceptance();
    std::vector<std::string> parts;
    size_t i = 0;
    while (true) {
        size_t j = value.find(':', i);
        parts.push_back(value.substr(i, j == std::string::npos ? std::string::npos : j - i));
        if (j == std::string::npos) break;
        i = j + 1;
    }
    auto num = [&](size_t k) {
        return k < parts.size() ? std::strtod(parts[k].c_str(), nullptr) : 0;
    };
    JsonOut o;
    o.begin_obj()
        .f("success", false)
        .f("code", "DEDICATED_PRICE_CONFIRMATION_REQUIRED")
        .f("error",
           "Refresh the app and review the current Dedicated price before starting. No compute "
           "was started.")
        .begin_obj("pricing")
        .f("currency", parts.size() > 1 ? parts[1] : std::string("USD"))
        .f("hourlyRateUsd", num(2))
        .f("minimumActivationChargeUsd", num(3))
        .f("acceptanceHeader", kPriceHeader)
        .f("acceptanceValue", value)
        .end()
        .end();
    return json_reply(428, o.str());
}

Reply credit_gate(double balance) {
    char need[64];
    std::snprintf(need, sizeof need, "%.2f", kMinAgentBalanceEliza - balance);
    JsonOut o;
    o.begin_obj()
        .f("success", false)
        .f("code", "insufficient_credits")
        .f("error", std::string("Insufficient credits. A minimum balance of $0.30 is required to "
                                "start dedicated agent compute. Please add at least $") +
                        need + " to your account.")
        .f("requiredBalance", kMinAgentBalanceEliza)
        .f("currentBalance", balance)
        .end();
    return json_reply(402, o.str());
}

Reply invalid_json(const char *error) {
    return cloud_error(400, error, "validation_error");
}

// 400 {success:false,error,code:"validation_error",details:{issues}} (the canonical helper).
Reply validation_failed(const char *error, const std::vector<Issue> &issues) {
    JsonOut o;
    o.begin_obj()
        .f("success", false)
        .f("error", error)
        .f("code", "validation_error")
        .begin_obj("details")
        .f_raw("issues", issues_json(issues))
        .end()
        .end();
    return json_reply(400, o.str());
}

// A query flag given at most once with one of `allowed` values. nullopt when absent.
// Counted on the raw query: cpp-httplib folds repeated identical pairs into one.
bool strict_query(const httplib::Request &req, const char *name,
                  std::initializer_list<const char *> allowed, std::optional<std::string> &out) {
    size_t q = req.target.find('?');
    std::string query = q == std::string::npos ? "" : req.target.substr(q + 1);
    size_t n = 0;
    std::string v;
    for (size_t i = 0; i <= query.size();) {
        size_t j = query.find('&', i);
        if (j == std::string::npos) j = query.size();
        std::string pair = query.substr(i, j - i);
        size_t eq = pair.find('=');
        std::string key = percent_decode(pair.substr(0, eq), true);
        if (!pair.empty() && key == name) {
            ++n;
            v = eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1), true);
        }
        i = j + 1;
    }
    if (n == 0) return true;
    if (n > 1) return false;
    for (const char *a : allowed) {
        if (v == a) {
            out = v;
            return true;
        }
    }
    return false;
}

Reply invalid_sync() {
    JsonOut o;
    o.begin_obj()
        .f("success", false)
        .f("error", "Invalid sync")
        .f("message", "sync must be omitted, empty, true or false, and given at most once")
        .end();
    return json_reply(400, o.str());
}

// An optional JSON body: empty = {}. false when it does not parse.
bool optional_body(const std::string &body, rapidjson::Document &doc) {
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
        doc.SetObject();
        return true;
    }
    return parse_json(body, doc);
}

void write_active_job(JsonOut &o, const AgentView &v) {
    if (!v.active_job) {
        o.f_null("activeJob");
        return;
    }
    o.begin_obj("activeJob");
    write_job_fields(o, *v.active_job, true, false);
    o.end();
}

void write_eliza_list_fields(JsonOut &o, const AgentView &v) {
    write_list_fields(o, v);
    o.f("dockerImage", v.docker_image)
        .f("executionTier", v.execution_tier)
        .f("webUiUrl", list_web_ui_url(v));
    write_active_job(o, v);
}

void write_polling_ms(JsonOut &o, const std::string &job_id, const RuntimeConfig &cfg,
                      int64_t expected_ms) {
    o.begin_obj("polling")
        .f("endpoint", "/api/v1/jobs/" + job_id)
        .f("intervalMs", cfg.job_poll_interval_ms.load())
        .f("expectedDurationMs", expected_ms)
        .end();
}

// A flag set to true in the body, agentConfig or agentConfig.character (camel or snake case).
bool flag_set(const rapidjson::Value &doc, const char *camel, const char *snake) {
    if (get_bool(doc, camel).value_or(false)) return true;
    const auto *cfg = member(doc, "agentConfig");
    for (int depth = 0; depth < 2 && cfg && cfg->IsObject(); ++depth) {
        if (get_bool(*cfg, camel).value_or(false) || get_bool(*cfg, snake).value_or(false)) {
            return true;
        }
        cfg = member(*cfg, "character");
    }
    return false;
}

// One GET /agents/{id}/backups item; eliza backups may be incremental on a parent.
void write_backup(JsonOut &o, const Backup &b) {
    o.f("id", b.id)
        .f("snapshotType", b.type)
        .f("backupKind", b.kind)
        .f("parentBackupId", b.parent_id)
        .f("sizeBytes", b.size_bytes)
        .f("createdAt", iso_ms(b.created_ms));
}

bool image_char_ok(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '/' ||
           c == ':' || c == '@' || c == '-';
}

bool digest_pinned(const std::string &image) {
    auto at = image.rfind("@sha256:");
    if (at == std::string::npos) return false;
    std::string hex = image.substr(at + 8);
    if (hex.size() != 64) return false;
    for (char c : hex) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

const char *kSharedNoop = "Shared-runtime agents do not use dedicated compute";
const char *kOtherJob = "Another operation is in progress for this agent";

// suspend and sleep refuse alike: an unknown agent, a provision under way, another job or an
// agent that is not running. nullopt: the call goes on.
std::optional<Reply> rest_refusal(LifecycleOutcome::Kind kind) {
    using K = LifecycleOutcome::Kind;
    if (kind == K::NotFound) return cloud_error(404, "Agent not found");
    if (kind == K::Conflict) return cloud_error(409, "Agent provisioning is in progress");
    if (kind == K::OtherJob || kind == K::NotRunning) return cloud_error(409, kOtherJob);
    return std::nullopt;
}

// The 200 of suspend or sleep with nothing to do: a shared agent (a no-op) or one already at
// rest. The two calls differ only in the status they give: `status_key` = `status`.
Reply rest_noop(const LifecycleOutcome &s, const std::string &id, const std::string &action,
                const char *done_message, const char *status_key, const std::string &status) {
    bool shared = s.kind == LifecycleOutcome::Kind::Shared;
    JsonOut o;
    o.begin_obj().f("success", true);
    if (shared) o.f("source", "shared_runtime");
    o.begin_obj("data")
        .f("agentId", id)
        .f("action", action)
        .f("message", shared ? kSharedNoop : done_message)
        .f(status_key, status);
    if (shared) o.f("executionTier", s.agent.execution_tier);
    o.end().end();
    return json_reply(200, o.str());
}

}  // namespace

void register_eliza_agent_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;
    RuntimeConfig &cfg = app.cfg;
    Sleeper &sleeper = app.sleeper;
    const bool tls = app.opts.tls;

    add_agent_route(r, "GET", "/agents", with_auth(st, [&st](Ctx &, const Principal &who) {
                        return data_list_reply(st.list_agents(who.org_id), write_eliza_list_fields);
                    }));

    add_agent_route(
        r, "POST", "/agents", with_auth(st, [&st, &cfg, tls](Ctx &c, const Principal &who) {
            std::optional<std::string> query_auto;
            if (!strict_query(c.req, "autoProvision", {"true", "false"}, query_auto)) {
                JsonOut o;
                o.begin_obj()
                    .f("success", false)
                    .f("error", "Invalid autoProvision")
                    .f("message", "autoProvision must be true or false, given at most once")
                    .end();
                return json_reply(400, o.str());
            }
            rapidjson::Document doc;
            if (!parse_json(c.req.body, doc)) return invalid_json("Invalid JSON");
            std::vector<Issue> issues;
            validate_create_body(doc, issues);
            if (doc.IsObject()) {
                if (const auto *img = member(doc, "dockerImage")) {
                    if (expect_type(img, "string", {"dockerImage"}, issues)) {
                        check_string_len(*img, {"dockerImage"}, 1, 512, issues);
                        std::string s(img->GetString(), img->GetStringLength());
                        for (char ch : s) {
                            if (image_char_ok(ch)) continue;
                            issues.push_back({"invalid_string",
                                              {"dockerImage"},
                                              "Invalid",
                                              "",
                                              "",
                                              -1,
                                              "regex"});
                            break;
                        }
                    }
                }
                for (const char *b : {"alwaysOn", "statefulRuntime", "modelTooLargeForShared",
                                      "autoProvision", "forceCreate"}) {
                    if (const auto *v = member(doc, b)) expect_type(v, "boolean", {b}, issues);
                }
            }
            if (!issues.empty()) return validation_failed("Invalid request data", issues);

            ElizaCreate req;
            req.name = get_string(doc, "agentName").value_or("");
            req.config_json = sanitized_config(member(doc, "agentConfig"));
            req.docker_image = get_string(doc, "dockerImage");
            req.force_create = get_bool(doc, "forceCreate").value_or(false);
            if (req.docker_image) {
                req.tier = "custom";
            } else if (flag_set(doc, "alwaysOn", "always_on") ||
                       flag_set(doc, "statefulRuntime", "stateful_runtime")) {
                req.tier = "dedicated-always";
            } else {
                req.tier = cfg.default_execution_tier();
                if (req.tier == "shared" &&
                    flag_set(doc, "modelTooLargeForShared", "model_too_large_for_shared")) {
                    req.tier = "dedicated-lazy";
                }
            }
            if (req.force_create && req.tier == "shared") {
                std::vector<Issue> fc{{"custom",
                                       {"forceCreate"},
                                       "forceCreate is not available for shared-runtime agents",
                                       "",
                                       "",
                                       -1,
                                       ""}};
                return validation_failed("Invalid request data", fc);
            }
            if (req.docker_image) {
                if (!digest_pinned(*req.docker_image)) {
                    return cloud_error(403,
                                       "Docker images must be pinned by digest "
                                       "(<image>@sha256:<64 hex>)",
                                       "agent_image_not_digest_pinned");
                }
                bool allowed = false;
                for (const auto &p : cfg.allowed_image_prefixes()) {
                    allowed = allowed || (!p.empty() && req.docker_image->rfind(p, 0) == 0);
                }
                if (!allowed) {
                    return cloud_error(403, "This Docker image registry is not allowed",
                                       "agent_image_not_allowed");
                }
            }
            if (member(doc, "characterId")) {
                return cloud_error(404, "Character not found", "resource_not_found");
            }
            bool auto_provision =
                query_auto ? *query_auto == "true" : get_bool(doc, "autoProvision").value_or(true);
            req.eager = auto_provision && (req.tier == "dedicated-always" || req.tier == "custom");
            req.price_ok = price_accepted(c.req, cfg);

            CreateOutcome out = st.create_agent_eliza(who, req);
            const AgentView &v = out.agent;
            JsonOut o;
            switch (out.kind) {
                case CreateOutcome::Kind::Quota:
                    o.begin_obj()
                        .f("success", false)
                        .f("error", "Agent limit reached for this organization")
                        .f("code", "agent_quota_exceeded")
                        .begin_obj("details")
                        .f("currentAgents", out.current_agents)
                        .f("maxAgents", out.max_agents)
                        .end()
                        .end();
                    return json_reply(429, o.str());
                case CreateOutcome::Kind::PriceGate:
                    return price_gate(cfg);
                case CreateOutcome::Kind::CreditGate:
                    return credit_gate(out.balance);
                case CreateOutcome::Kind::WarmPool:
                    o.begin_obj()
                        .f("success", true)
                        .f("source", "warm_pool")
                        .begin_obj("data")
                        .f("id", v.id)
                        .f("agentName", v.name)
                        .f("status", v.status)
                        .f("webUiUrl", dedicated_web_ui_url(v.id))
                        .f("createdAt", iso_ms(v.created_ms))
                        .f("executionTier", v.execution_tier)
                        .end()
                        .end();
                    return json_reply(201, o.str());
                case CreateOutcome::Kind::Reused:
                case CreateOutcome::Kind::Created:
                case CreateOutcome::Kind::JobCreated:
                    break;
            }
            bool job = out.kind == CreateOutcome::Kind::JobCreated;
            bool shared = v.execution_tier == "shared";
            bool created = out.kind != CreateOutcome::Kind::Reused;
            o.begin_obj().f("success", true).f("created", created);
            if (created && shared) o.f("source", "shared_runtime");
            if (job) {
                o.f("message",
                    "Agent created and provisioning started. Poll the job endpoint for status.");
            }
            o.begin_obj("data")
                .f("id", v.id)
                .f("agentId", v.id)
                .f("agentName", v.name)
                .f("status", job ? out.job.status : v.status);
            if (job) {
                o.f("jobId", out.job.id).f("estimatedCompletionAt", iso_ms(out.job.finish_ms));
            }
            o.f("createdAt", iso_ms(v.created_ms)).f("executionTier", v.execution_tier);
            if (created && shared) o.f("webUiUrl", shared_web_ui_url(c.req, tls, v.id));
            o.end();
            if (job) write_polling(o, out.job.id, cfg);
            o.end();
            return json_reply(job ? 202 : created ? 201 : 200, o.str());
        }));

    add_agent_route(r, "GET", "/agents/{id}", with_auth(st, [&st](Ctx &c, const Principal &who) {
                        auto v = st.get_agent(who.org_id, c.param(0));
                        if (!v) return cloud_error(404, "Agent not found");
                        return data_reply(200, [&v](JsonOut &o) {
                            write_eliza_list_fields(o, *v);
                            o.f("errorCount", v->error_count)
                                .f_null("walletAddress")
                                .f_null("walletProvider")
                                .f("walletStatus", "none")
                                .f("meshAddressPresent", false)
                                .f_null("adminDetails");
                        });
                    }));

    // suspend / PATCH {action}: an agent_suspend job (E§2.6, E§2.15).
    auto suspend_reply = [&st](const std::string &org_id, const std::string &id,
                               const std::string &action) -> Reply {
        LifecycleOutcome s = st.begin_lifecycle(org_id, id, "suspend");
        using K = LifecycleOutcome::Kind;
        bool suspend = action == "suspend";
        if (auto refused = rest_refusal(s.kind)) return *refused;
        if (s.kind == K::Shared || s.kind == K::AlreadyDone) {
            return rest_noop(s, id, action,
                             suspend ? "Agent is already suspended" : "Agent is already stopped",
                             "previousStatus", s.previous_status);
        }
        JsonOut o;
        bool created = s.kind == K::JobCreated;
        begin_job_answer(o, created)
            .f("message", created ? (suspend ? "Suspend job created. Poll the job endpoint for "
                                               "status."
                                             : "Shutdown job created. Poll the job endpoint for "
                                               "status.")
                                  : "Suspend is already in progress.");
        begin_job_data(o, id, action, s.job).f("previousStatus", s.previous_status).end().end();
        return json_reply(202, o.str());
    };

    add_agent_route(r, "PATCH", "/agents/{id}",
                    with_auth(st, [suspend_reply](Ctx &c, const Principal &who) {
                        std::vector<Issue> issues;
                        std::string action = patch_action(c.req.body, issues);
                        if (!issues.empty()) return invalid_request("Invalid request data", issues);
                        return suspend_reply(who.org_id, c.param(0), action);
                    }));

    add_agent_route(r, "POST", "/agents/{id}/suspend",
                    with_auth(st, [suspend_reply](Ctx &c, const Principal &who) {
                        return suspend_reply(who.org_id, c.param(0), "suspend");
                    }));

    add_agent_route(
        r, "DELETE", "/agents/{id}", with_auth(st, [&st, &cfg](Ctx &c, const Principal &who) {
            LifecycleOutcome s = st.begin_lifecycle(who.org_id, c.param(0), "delete");
            using K = LifecycleOutcome::Kind;
            JsonOut o;
            switch (s.kind) {
                case K::NotFound:
                    return cloud_error(404, "Agent not found");
                case K::Shared:
                    o.begin_obj()
                        .f("success", true)
                        .f("deleted", true)
                        .f("source", "shared_runtime")
                        .begin_obj("data")
                        .f("agentId", c.param(0))
                        .f("status", "deleted")
                        .f("executionTier", s.agent.execution_tier)
                        .end()
                        .end();
                    return json_reply(200, o.str());
                case K::Conflict:
                    return cloud_error(409, "Agent provisioning is in progress");
                case K::OtherJob:
                    if (s.job.kind == "provision" || s.job.kind == "resume" ||
                        s.job.kind == "wake") {
                        return cloud_error(409, "Agent provisioning is in progress");
                    }
                    return cloud_error(409, kOtherJob);
                case K::AlreadyDone:
                case K::NotRunning:
                case K::JobActive:
                case K::JobCreated:
                    break;
            }
            bool created = s.kind == K::JobCreated;
            begin_job_answer(o, created)
                .f("message", created ? "Delete job created. Poll the job endpoint for status."
                                      : "Delete is already in progress.")
                .begin_obj("data")
                .f("jobId", s.job.id)
                .f("agentId", c.param(0))
                .f("status", s.job.status)
                .end();
            write_polling_ms(o, s.job.id, cfg, 30000);
            o.end();
            return json_reply(202, o.str());
        }));

    // provision, resume and wake: the provisioning job machinery (E§2.8, 2.16, 2.16a).
    auto start = [&st, &cfg, &sleeper, tls](const std::string &kind) {
        return [&st, &cfg, &sleeper, tls, kind](Ctx &c, const Principal &who) -> Reply {
            std::optional<std::string> sync_q;
            if (!strict_query(c.req, "sync", {"", "true", "false"}, sync_q)) return invalid_sync();
            bool provision = kind == "provision";
            bool wake = kind == "wake";
            StartGate gate;
            gate.eliza = true;
            gate.min_balance = kMinAgentBalanceEliza;
            bool fresh = false;
            if (wake) {
                rapidjson::Document doc;
                if (!optional_body(c.req.body, doc)) return invalid_json("Invalid JSON body");
                std::vector<Issue> issues;
                if (expect_type(&doc, "object", {}, issues)) {
                    for (const auto &kv : doc.GetObject()) {
                        std::string k = kv.name.GetString();
                        if (k == "restoreBackupId" || k == "forceFreshBoot") continue;
                        issues.push_back({"unrecognized_keys",
                                          {},
                                          "Unrecognized key(s) in object: '" + k + "'",
                                          "",
                                          "",
                                          -1,
                                          ""});
                    }
                    gate.restore_backup_id = uuid_member(doc, "restoreBackupId", issues);
                    if (const auto *f = member(doc, "forceFreshBoot")) {
                        if (expect_type(f, "boolean", {"forceFreshBoot"}, issues)) {
                            fresh = f->GetBool();
                        }
                    }
                    if (member(doc, "restoreBackupId") && member(doc, "forceFreshBoot")) {
                        issues.push_back(
                            {"custom",
                             {"forceFreshBoot"},
                             "restoreBackupId and forceFreshBoot are mutually exclusive",
                             "",
                             "",
                             -1,
                             ""});
                    }
                }
                if (!issues.empty()) return validation_failed("Invalid request data", issues);
            }
            gate.price_ok = price_accepted(c.req, cfg);
            bool sync = provision && sync_q == "true";
            ProvisionOutcome p = st.begin_provision(who.org_id, c.param(0), kind, sync, gate);
            const std::string &id = c.param(0);
            using K = ProvisionOutcome::Kind;
            switch (p.kind) {
                case K::NotFound:
                    return cloud_error(404, "Agent not found");
                case K::Deleting:
                    return cloud_error(409, "Agent deletion is in progress");
                case K::NoBackup:
                    return cloud_error(404, "No backup found");
                case K::PriceGate:
                    return price_gate(cfg);
                case K::CreditGate:
                    return credit_gate(p.balance);
                case K::Busy:
                    return cloud_error(409, "Agent is already being provisioned");
                case K::Shared: {
                    JsonOut o;
                    o.begin_obj().f("success", true).f("source", "shared_runtime");
                    o.begin_obj("data");
                    if (provision) {
                        o.f("id", id).f("agentName", p.agent.name);
                    } else {
                        o.f("agentId", id).f("action", kind);
                    }
                    o.f("status", p.agent.status)
                        .f("executionTier", p.agent.execution_tier)
                        .f("message", "Agent is already available on the shared runtime");
                    if (provision) o.f("webUiUrl", shared_web_ui_url(c.req, tls, id));
                    o.end().end();
                    return json_reply(200, o.str());
                }
                case K::AlreadyRunning:
                    return data_reply(200, [&](JsonOut &o) {
                        if (provision) {
                            o.f("id", id).f("agentName", p.agent.name).f("status", "running");
                        } else {
                            o.f("agentId", id)
                                .f("action", kind)
                                .f("message", "Agent is already running")
                                .f("status", "running");
                        }
                        if (!wake) o.f("webUiUrl", dedicated_web_ui_url(id));
                    });
                case K::SyncStarted: {
                    sleeper.sleep_full(cfg.provision_ms.load());
                    auto v = st.finish_sync(p.agent.id, p.will_fail, p.fail_message);
                    if (p.will_fail || !v) return cloud_error(500, "Provisioning failed");
                    return data_reply(200, [&v](JsonOut &o) {
                        o.f("id", v->id)
                            .f("agentName", v->name)
                            .f("status", v->status)
                            .f("webUiUrl", dedicated_web_ui_url(v->id));
                    });
                }
                case K::JobActive:
                case K::JobCreated:
                    break;
            }
            bool created = p.kind == K::JobCreated;
            JsonOut o;
            begin_job_answer(o, created);
            if (provision) {
                write_provision_job(o, created, p.job, id);
            } else {
                std::string what = wake ? "Wake" : "Resume";
                begin_job_data(o, id, kind, p.job);
                if (wake) {
                    o.f("previousStatus", p.agent.status)
                        .f("restoreBackupId", p.job.restore_backup_id)
                        .f("forceFreshBoot", fresh);
                }
                o.f("message", created ? what + " job created. Poll the job endpoint for status."
                                       : what + " is already in progress.")
                    .end();
            }
            write_polling(o, p.job.id, cfg);
            o.end();
            return json_reply(created ? 202 : 409, o.str());
        };
    };
    add_agent_route(r, "POST", "/agents/{id}/provision", with_auth(st, start("provision")));
    add_agent_route(r, "POST", "/agents/{id}/resume", with_auth(st, start("resume")));
    add_agent_route(r, "POST", "/agents/{id}/wake", with_auth(st, start("wake")));

    add_agent_route(
        r, "POST", "/agents/{id}/sleep", with_auth(st, [&st, &cfg](Ctx &c, const Principal &who) {
            const std::string &id = c.param(0);
            LifecycleOutcome s = st.begin_lifecycle(who.org_id, id, "sleep");
            using K = LifecycleOutcome::Kind;
            if (auto refused = rest_refusal(s.kind)) return *refused;
            if (s.kind == K::Shared || s.kind == K::AlreadyDone) {
                return rest_noop(s, id, "sleep", "Agent is already sleeping", "status",
                                 s.agent.status);
            }
            JsonOut o;
            bool created = s.kind == K::JobCreated;
            begin_job_answer(o, created);
            begin_job_data(o, id, "sleep", s.job)
                .f("previousStatus", s.previous_status)
                .f("message", created ? "Sleep job created. Poll the job endpoint for status."
                                      : "Sleep is already in progress.")
                .end();
            write_polling(o, s.job.id, cfg);
            o.end();
            return json_reply(created ? 202 : 409, o.str());
        }));

    add_agent_route(r, "POST", "/agents/{id}/snapshot",
                    with_auth(st, [&st, &cfg](Ctx &c, const Principal &who) {
                        const std::string &id = c.param(0);
                        LifecycleOutcome s = st.begin_lifecycle(who.org_id, id, "snapshot");
                        using K = LifecycleOutcome::Kind;
                        switch (s.kind) {
                            case K::NotFound:
                                return cloud_error(404, "Agent not found");
                            case K::Shared:
                                return cloud_error(
                                    409, "Snapshots require a container-backed execution tier");
                            case K::Conflict:
                            case K::NotRunning:
                            case K::AlreadyDone:
                                return cloud_error(409, "Sandbox is not running");
                            case K::OtherJob:
                                return cloud_error(409, kOtherJob);
                            case K::JobActive:
                            case K::JobCreated:
                                break;
                        }
                        bool created = s.kind == K::JobCreated;
                        JsonOut o;
                        begin_job_answer(o, created);
                        begin_job_data(o, id, "snapshot", s.job).end();
                        write_polling_ms(o, s.job.id, cfg, 45000);
                        o.end();
                        return json_reply(202, o.str());
                    }));

    add_agent_route(r, "GET", "/agents/{id}/backups",
                    with_auth(st, [&st](Ctx &c, const Principal &who) {
                        return data_list_reply(st.backups(who.org_id, c.param(0)), write_backup);
                    }));

    add_agent_route(
        r, "POST", "/agents/{id}/restore",
        with_auth(st, [&st, &cfg, &sleeper](Ctx &c, const Principal &who) {
            rapidjson::Document doc;
            if (!optional_body(c.req.body, doc)) return invalid_json("Invalid JSON body");
            std::vector<Issue> issues;
            std::optional<std::string> backup_id;
            if (expect_type(&doc, "object", {}, issues))
                backup_id = uuid_member(doc, "backupId", issues);
            if (!issues.empty()) return invalid_request("Invalid request", issues);
            const std::string &id = c.param(0);
            auto agent = st.get_agent(who.org_id, id);
            if (!agent) return cloud_error(404, "Agent not found");
            if (agent->execution_tier == "shared") {
                return cloud_error(409, "Restore requires a container-backed execution tier");
            }
            if (agent->status == "deletion_pending") {
                return cloud_error(409, "Agent deletion is in progress");
            }
            RestoreOutcome out = st.begin_restore(who.org_id, id, backup_id);
            switch (out.kind) {
                case RestoreOutcome::Kind::AgentNotFound:
                    return cloud_error(404, "Agent not found");
                case RestoreOutcome::Kind::NoBackup:
                case RestoreOutcome::Kind::NotBelong:
                    return cloud_error(404, "No backup found");
                case RestoreOutcome::Kind::StoppedNotLatest:
                    return cloud_error(409, "Stopped agents can only restore the latest backup");
                case RestoreOutcome::Kind::Busy:
                    return cloud_error(409, "Another restore of this backup is in progress");
                case RestoreOutcome::Kind::NeedsSync:
                case RestoreOutcome::Kind::Restored:
                    break;
            }
            return finish_restore(st, cfg, sleeper, id, out);
        }));
}

}  // namespace emu
