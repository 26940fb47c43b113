// Milady agents (C§2.3–2.9, 2.12–2.16): list, create, detail, lifecycle, provisioning jobs,
// snapshots, backups and restore.
#include <cctype>
#include <cstdio>

#include "routes_common.hpp"

namespace emu {

namespace {

Reply credit_gate(double balance) {
    char need[64];
    std::snprintf(need, sizeof need, "%.2f", kMinAgentBalance - balance);
    JsonOut o;
    o.begin_obj()
        .f("success", false)
        .f("error", std::string("Insufficient credits. A minimum balance of $5.00 is required to "
                                "create or run Milady agents. Please add at least $") +
                        need + " to your account at /dashboard/billing.")
        .f("requiredBalance", kMinAgentBalance)
        .f("currentBalance", balance)
        .end();
    return json_reply(402, o.str());
}

// One GET /agents/{id}/backups item; milady has no Vercel snapshots, so that id is null.
void write_backup(JsonOut &o, const Backup &b) {
    o.f("id", b.id)
        .f("snapshotType", b.type)
        .f("sizeBytes", b.size_bytes)
        .f_null("vercelSnapshotId")
        .f("createdAt", iso_ms(b.created_ms));
}

bool sync_requested(const httplib::Request &req) {
    return req.has_param("sync") && req.get_param_value("sync") == "true";
}

}  // namespace

void register_agent_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;
    RuntimeConfig &cfg = app.cfg;
    Sleeper &sleeper = app.sleeper;

    auto add_job_route = [&r, &st, &cfg] {
        r.add("GET", "/api/v1/jobs/{id}", with_auth(st, [&st, &cfg](Ctx &c, const Principal &who) {
                  auto j = st.job(who.org_id, c.param(0));
                  if (!j) return cloud_error(404, "Job not found");
                  return job_reply(*j, cfg);
              }));
    };
    if (app.cfg.eliza) {
        register_eliza_agent_routes(app);
        add_job_route();
        return;
    }

    add_agent_route(r, "GET", "/agents", with_auth(st, [&st](Ctx &, const Principal &who) {
                        return data_list_reply(st.list_agents(who.org_id), write_list_fields);
                    }));

    add_agent_route(r, "POST", "/agents", with_auth(st, [&st](Ctx &c, const Principal &who) {
                        rapidjson::Document doc;
                        if (!parse_json(c.req.body, doc)) return unexpected_error();
                        std::vector<Issue> issues;
                        validate_create_body(doc, issues);
                        if (!issues.empty()) return invalid_request("Invalid request data", issues);
                        auto org = st.org(who.org_id);
                        double balance = org ? org->balance : 0;
                        if (balance < kMinAgentBalance) return credit_gate(balance);
                        if (member(doc, "characterId")) {
                            return cloud_error(404, "Character not found");
                        }
                        AgentView v =
                            st.create_agent(who, get_string(doc, "agentName").value_or(""),
                                            sanitized_config(member(doc, "agentConfig")));
                        return data_reply(201, [&v](JsonOut &o) {
                            o.f("id", v.id)
                                .f("agentName", v.name)
                                .f("status", v.status)
                                .f("createdAt", iso_ms(v.created_ms));
                        });
                    }));

    add_agent_route(r, "GET", "/agents/{id}", with_auth(st, [&st](Ctx &c, const Principal &who) {
                        auto v = st.get_agent(who.org_id, c.param(0));
                        if (!v) return cloud_error(404, "Agent not found");
                        return data_reply(200, [&v](JsonOut &o) {
                            write_list_fields(o, *v);
                            o.f("bridgeUrl", nonempty(v->bridge_url))
                                .f("errorCount", v->error_count)
                                .f_null("walletAddress")
                                .f_null("walletProvider")
                                .f("walletStatus", "none");
                        });
                    }));

    // PATCH {action} and POST suspend: the agent stops at once (C§2.6, C§2.15).
    auto shutdown_reply = [&st](const std::string &org_id, const std::string &id,
                                const std::string &action) -> Reply {
        ShutdownOutcome s = st.shutdown_agent(org_id, id);
        if (s.kind == ShutdownOutcome::Kind::NotFound) return cloud_error(404, "Agent not found");
        if (s.kind == ShutdownOutcome::Kind::Conflict) {
            return cloud_error(409, "Agent provisioning is in progress");
        }
        bool suspend = action == "suspend";
        std::string msg;
        if (s.kind == ShutdownOutcome::Kind::AlreadyStopped) {
            msg = suspend ? "Agent is already suspended" : "Agent is already stopped";
        } else {
            msg = suspend ? "Agent suspended with snapshot. Use resume or provision to restart."
                          : "Agent shutdown complete";
        }
        return data_reply(200, [&](JsonOut &o) {
            o.f("agentId", id)
                .f("action", action)
                .f("message", msg)
                .f("previousStatus", s.previous_status);
        });
    };

    add_agent_route(r, "PATCH", "/agents/{id}",
                    with_auth(st, [shutdown_reply](Ctx &c, const Principal &who) {
                        std::vector<Issue> issues;
                        std::string action = patch_action(c.req.body, issues);
                        if (!issues.empty()) return invalid_request("Invalid request data", issues);
                        return shutdown_reply(who.org_id, c.param(0), action);
                    }));

    add_agent_route(r, "DELETE", "/agents/{id}", with_auth(st, [&st](Ctx &c, const Principal &who) {
                        int rc = st.delete_agent(who.org_id, c.param(0));
                        if (rc == 1) return cloud_error(404, "Agent not found");
                        if (rc == 2) return cloud_error(409, "Agent provisioning is in progress");
                        return json_reply(200, "{\"success\":true}");
                    }));

    // provision and resume share the job machinery; only the shapes differ (C§2.8, C§2.16).
    auto start = [&st, &cfg, &sleeper](const std::string &kind) {
        return [&st, &cfg, &sleeper, kind](Ctx &c, const Principal &who) -> Reply {
            bool resume = kind == "resume";
            bool sync = sync_requested(c.req);
            ProvisionOutcome p = st.begin_provision(who.org_id, c.param(0), kind, sync);
            switch (p.kind) {
                case ProvisionOutcome::Kind::NotFound:
                case ProvisionOutcome::Kind::Shared:  // eliza-only outcomes
                case ProvisionOutcome::Kind::Deleting:
                case ProvisionOutcome::Kind::NoBackup:
                case ProvisionOutcome::Kind::PriceGate:
                    return cloud_error(404, "Agent not found");
                case ProvisionOutcome::Kind::CreditGate:
                    return credit_gate(p.balance);
                case ProvisionOutcome::Kind::Busy:
                    return cloud_error(409, "Agent is already being provisioned");
                case ProvisionOutcome::Kind::AlreadyRunning:
                    return data_reply(200, [&](JsonOut &o) {
                        if (resume) {
                            o.f("agentId", p.agent.id)
                                .f("action", "resume")
                                .f("message", "Agent is already running")
                                .f("status", "running");
                        } else {
                            o.f("id", p.agent.id)
                                .f("agentName", p.agent.name)
                                .f("status", "running")
                                .f("bridgeUrl", p.agent.bridge_url)
                                .f("healthUrl", p.agent.health_url);
                        }
                    });
                case ProvisionOutcome::Kind::SyncStarted: {
                    sleeper.sleep_full(cfg.provision_ms.load());
                    auto v = st.finish_sync(p.agent.id, p.will_fail, p.fail_message);
                    if (p.will_fail || !v) {
                        return cloud_error(
                            500, resume ? "Failed to resume agent" : "Provisioning failed");
                    }
                    return data_reply(200, [&](JsonOut &o) {
                        if (resume) {
                            o.f("agentId", v->id)
                                .f("action", "resume")
                                .f("message", "Agent resumed from latest snapshot");
                        } else {
                            o.f("id", v->id).f("agentName", v->name);
                        }
                        o.f("status", v->status)
                            .f("bridgeUrl", v->bridge_url)
                            .f("healthUrl", v->health_url);
                    });
                }
                case ProvisionOutcome::Kind::JobActive:
                case ProvisionOutcome::Kind::JobCreated:
                    break;
            }
            bool created = p.kind == ProvisionOutcome::Kind::JobCreated;
            JsonOut o;
            begin_job_answer(o, created);
            if (resume) {
                begin_job_data(o, p.agent.id, "resume", p.job)
                    .f("message", created ? "Resume job created. Agent will restore from latest "
                                            "snapshot."
                                          : "Resume is already in progress.")
                    .end();
            } else {
                write_provision_job(o, created, p.job, p.agent.id);
            }
            write_polling(o, p.job.id, cfg);
            o.end();
            return json_reply(created ? 202 : 409, o.str());
        };
    };
    add_agent_route(r, "POST", "/agents/{id}/provision", with_auth(st, start("provision")));
    add_agent_route(r, "POST", "/agents/{id}/resume", with_auth(st, start("resume")));

    add_agent_route(r, "POST", "/agents/{id}/suspend",
                    with_auth(st, [shutdown_reply](Ctx &c, const Principal &who) {
                        return shutdown_reply(who.org_id, c.param(0), "suspend");
                    }));

    add_agent_route(r, "POST", "/agents/{id}/snapshot",
                    with_auth(st, [&st](Ctx &c, const Principal &who) {
                        auto b = st.take_snapshot(who.org_id, c.param(0));
                        if (!b) return cloud_error(409, "Sandbox is not running");
                        return data_reply(200, [&b](JsonOut &o) {
                            o.f("backupId", b->id)
                                .f("snapshotType", b->type)
                                .f("sizeBytes", b->size_bytes)
                                .f("createdAt", iso_ms(b->created_ms));
                        });
                    }));

    add_agent_route(r, "GET", "/agents/{id}/backups",
                    with_auth(st, [&st](Ctx &c, const Principal &who) {
                        return data_list_reply(st.backups(who.org_id, c.param(0)), write_backup);
                    }));

    add_agent_route(r, "POST", "/agents/{id}/restore",
                    with_auth(st, [&st, &cfg, &sleeper](Ctx &c, const Principal &who) {
                        rapidjson::Document doc;
                        if (!parse_json(c.req.body, doc)) return unexpected_error();
                        std::vector<Issue> issues;
                        std::optional<std::string> backup_id;
                        if (expect_type(&doc, "object", {}, issues)) {
                            backup_id = uuid_member(doc, "backupId", issues);
                        }
                        if (!issues.empty()) return invalid_request("Invalid request", issues);
                        RestoreOutcome out = st.begin_restore(who.org_id, c.param(0), backup_id);
                        switch (out.kind) {
                            case RestoreOutcome::Kind::AgentNotFound:
                                return cloud_error(404, "Agent not found");
                            case RestoreOutcome::Kind::NoBackup:
                                return cloud_error(404, "No backup found");
                            case RestoreOutcome::Kind::NotBelong:
                                return cloud_error(500, "Backup does not belong to this agent");
                            case RestoreOutcome::Kind::StoppedNotLatest:
                                return cloud_error(
                                    409, "Stopped agents can only restore the latest backup");
                            case RestoreOutcome::Kind::Busy:
                                return cloud_error(500, "Agent is already being provisioned");
                            case RestoreOutcome::Kind::NeedsSync:
                            case RestoreOutcome::Kind::Restored:
                                break;
                        }
                        return finish_restore(st, cfg, sleeper, c.param(0), out);
                    }));

    add_job_route();
}

}  // namespace emu
