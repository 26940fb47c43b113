// The emulator-only control API under /__emulator/ (docs/emulator.md §3): reset, keys, credits,
// sessions, inspection, runtime config, fault rules, heartbeat and provisioning failures,
// scripted bridge replies.
#include <stdexcept>

#include "routes_common.hpp"

namespace emu {

namespace {

Reply ok_reply(int status, const std::string &json) {
    return json_reply(status, json);
}

// Parses a control body: empty means {}. nullopt (and `err` set) when it is not a JSON object.
bool control_body(const httplib::Request &req, rapidjson::Document &doc, Reply &err) {
    std::string body = req.body;
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) body = "{}";
    if (!parse_json(body, doc) || !doc.IsObject()) {
        err = bare_error(400, "body must be a JSON object");
        return false;
    }
    return true;
}

std::optional<ScriptedReply> parse_reply(const rapidjson::Value &v, std::string &why) {
    ScriptedReply r;
    if (!v.IsObject()) {
        why = "each reply must be an object";
        return std::nullopt;
    }
    if (auto t = get_string(v, "text")) {
        r.kind = ScriptedReply::Kind::Text;
        // "repeat": N sends the text N times over: a long reply without a long control body.
        int64_t repeat = get_int(v, "repeat").value_or(1);
        if (repeat < 1 || static_cast<uint64_t>(repeat) * t->size() > (64u << 20)) {
            why = "repeat must be >= 1 and the repeated text at most 64 MiB";
            return std::nullopt;
        }
        r.text.reserve(t->size() * static_cast<size_t>(repeat));
        for (int64_t i = 0; i < repeat; ++i) r.text += *t;
    } else if (const auto *e = member(v, "error")) {
        r.kind = ScriptedReply::Kind::Error;
        auto code = get_int(*e, "code");
        auto msg = get_string(*e, "message");
        if (!e->IsObject() || !code || !msg) {
            why = "error replies need {code, message}";
            return std::nullopt;
        }
        r.code = *code;
        r.message = *msg;
    } else if (const auto *res = member(v, "result")) {
        r.kind = ScriptedReply::Kind::Result;
        r.result_json = to_json(*res);
    } else {
        why = "a reply needs text, error or result";
        return std::nullopt;
    }
    return r;
}

bool valid_status(const std::string &s, bool eliza) {
    if (eliza && (s == "sleeping" || s == "deletion_pending" || s == "deletion_failed")) {
        return true;
    }
    return s == "pending" || s == "provisioning" || s == "running" || s == "stopped" ||
           s == "disconnected" || s == "error";
}

bool is_eliza_knob(const std::string &name) {
    return name == "defaultExecutionTier" || name == "reuseLiveAgents" ||
           name == "maxAgentsPerOrg" || name == "warmPool" || name == "requirePriceConsent" ||
           name == "dedicatedPriceAcceptance" || name == "allowedImagePrefixes";
}

// The eliza knobs of POST /__emulator/config: checks them all (check_only) or applies them.
bool apply_eliza_knobs(RuntimeConfig &cfg, const rapidjson::Value &doc, Reply &err,
                       bool check_only) {
    if (const auto *v = member(doc, "defaultExecutionTier")) {
        std::string t = v->IsString() ? v->GetString() : "";
        if (t != "dedicated-lazy" && t != "dedicated-always" && t != "shared") {
            err = bare_error(400,
                             "defaultExecutionTier must be dedicated-lazy, dedicated-always or "
                             "shared");
            return false;
        }
        if (!check_only) cfg.set_default_execution_tier(t);
    }
    for (const char *name : {"reuseLiveAgents", "requirePriceConsent"}) {
        const auto *v = member(doc, name);
        if (!v) continue;
        if (!v->IsBool()) {
            err = bare_error(400, std::string(name) + " must be a boolean");
            return false;
        }
        if (check_only) continue;
        if (std::string(name) == "reuseLiveAgents") {
            cfg.reuse_live_agents = v->GetBool();
        } else {
            cfg.require_price_consent = v->GetBool();
        }
    }
    for (const char *name : {"maxAgentsPerOrg", "warmPool"}) {
        const auto *v = member(doc, name);
        if (!v) continue;
        if (!v->IsNumber() || v->GetDouble() < 0) {
            err = bare_error(400, std::string(name) + " must be a number >= 0");
            return false;
        }
        if (check_only) continue;
        auto n = static_cast<int64_t>(v->GetDouble());
        if (std::string(name) == "maxAgentsPerOrg") {
            cfg.max_agents_per_org = n;
        } else {
            cfg.warm_pool = n;
        }
    }
    if (const auto *v = member(doc, "dedicatedPriceAcceptance")) {
        if (!v->IsString() || v->GetStringLength() == 0) {
            err = bare_error(400, "dedicatedPriceAcceptance must be a non-empty string");
            return false;
        }
        if (!check_only) cfg.set_dedicated_price_acceptance(v->GetString());
    }
    if (const auto *v = member(doc, "allowedImagePrefixes")) {
        std::vector<std::string> list;
        bool ok = v->IsArray();
        if (ok) {
            for (const auto &e : v->GetArray()) {
                ok = ok && e.IsString();
                if (e.IsString()) list.push_back(e.GetString());
            }
        }
        if (!ok) {
            err = bare_error(400, "allowedImagePrefixes must be an array of strings");
            return false;
        }
        if (!check_only) cfg.set_allowed_image_prefixes(std::move(list));
    }
    return true;
}

}  // namespace

void register_control_routes(App &app) {
    Router &r = app.router;
    State &st = *app.state;

    r.add("GET", "/__emulator/health", [](Ctx &) { return ok_reply(200, "{\"ok\":true}"); });

    r.add("POST", "/__emulator/reset", [&app](Ctx &) {
        app.faults.clear();
        app.cfg.copy_from(app.initial_cfg);
        app.state->reset();
        app.records.clear();
        app.router.reset_counts();
        app.limiter.reset();
        app.sleeper.interrupt_all();
        app.state_dirty = true;
        return ok_reply(200, "{\"ok\":true}");
    });

    r.add("GET", "/__emulator/config", [&app](Ctx &) {
        JsonOut o;
        app.cfg.write_json(o);
        return ok_reply(200, o.str());
    });

    r.add("POST", "/__emulator/config", [&app](Ctx &c) {
        rapidjson::Document doc;
        Reply err;
        if (!control_body(c.req, doc, err)) return err;
        RuntimeConfig &cfg = app.cfg;
        struct IntKey {
            const char *name;
            std::atomic<int64_t> *dst;
            int64_t min;
        } ints[] = {{"provisionMs", &cfg.provision_ms, 0},
                    {"jobPollIntervalMs", &cfg.job_poll_interval_ms, 1},
                    {"sessionTtlMs", &cfg.session_ttl_ms, 1},
                    {"streamChunkChars", &cfg.stream_chunk_chars, 0},
                    {"streamChunkDelayMs", &cfg.stream_chunk_delay_ms, 0},
                    {"rateLimitWindowMs", &cfg.rate_limit_window_ms, 0}};
        struct BoolKey {
            const char *name;
            std::atomic<bool> *dst;
        } bools[] = {{"autoApprove", &cfg.auto_approve},
                     {"mintSessionIds", &cfg.mint_session_ids},
                     {"failProvision", &cfg.fail_provision},
                     {"recordRequests", &cfg.record_requests},
                     {"apiKeysAcceptKeys", &cfg.api_keys_accept_keys},
                     {"hasPaymentMethod", &cfg.has_payment_method},
                     {"rateLimits", &cfg.rate_limits}};
        if (cfg.eliza) {
            Reply bad;
            if (!apply_eliza_knobs(cfg, doc, bad, true)) return bad;
        }
        for (const auto &kv : doc.GetObject()) {
            std::string name = kv.name.GetString();
            bool known = cfg.eliza && is_eliza_knob(name);
            for (auto &k : ints) {
                if (name != k.name) continue;
                known = true;
                if (!kv.value.IsNumber() || kv.value.GetDouble() < static_cast<double>(k.min)) {
                    return bare_error(400, name + " must be a number >= " + std::to_string(k.min));
                }
            }
            for (auto &k : bools) {
                if (name != k.name) continue;
                known = true;
                if (!kv.value.IsBool()) return bare_error(400, name + " must be a boolean");
            }
            if (!known) return bare_error(400, "unknown config key " + name);
        }
        for (auto &k : ints) {
            if (auto v = get_number(doc, k.name)) *k.dst = static_cast<int64_t>(*v);
        }
        for (auto &k : bools) {
            if (auto v = get_bool(doc, k.name)) *k.dst = *v;
        }
        if (cfg.eliza) {
            Reply unused;
            apply_eliza_knobs(cfg, doc, unused, false);
        }
        JsonOut o;
        cfg.write_json(o);
        return ok_reply(200, o.str());
    });

    r.add("POST", "/__emulator/save", [&app](Ctx &) {
        if (app.opts.state_file.empty()) return bare_error(400, "no --state-file configured");
        std::string error;
        if (!app.save_state(error)) return bare_error(500, error);
        JsonOut o;
        o.begin_obj().f("ok", true).f("path", app.opts.state_file).end();
        return ok_reply(200, o.str());
    });

    // ---- keys, credits, sessions
    r.add("POST", "/__emulator/keys", [&app, &st](Ctx &c) {
        rapidjson::Document doc;
        Reply err;
        if (!control_body(c.req, doc, err)) return err;
        try {
            KeyInfo k = st.create_key(get_string(doc, "organizationId"), get_string(doc, "apiKey"));
            app.state_dirty = true;
            JsonOut o;
            o.begin_obj()
                .f("apiKey", k.key)
                .f("keyPrefix", k.prefix)
                .f("userId", k.user_id)
                .f("organizationId", k.org_id)
                .end();
            return ok_reply(201, o.str());
        } catch (const std::invalid_argument &e) {
            return bare_error(400, e.what());
        }
    });

    r.add("DELETE", "/__emulator/keys/{key}", [&app, &st](Ctx &c) {
        if (!st.revoke_key(c.param(0))) return bare_error(404, "unknown API key");
        app.state_dirty = true;
        return ok_reply(200, "{\"ok\":true}");
    });

    r.add("GET", "/__emulator/credits", [&st](Ctx &c) {
        std::string org_id = c.req.has_param("organizationId")
                                 ? c.req.get_param_value("organizationId")
                                 : std::string(kDefaultOrgId);
        auto org = st.org(org_id);
        if (!org) return bare_error(404, "unknown organization");
        JsonOut o;
        o.begin_obj().f("organizationId", org_id).f("balance", org->balance).end();
        return ok_reply(200, o.str());
    });

    r.add("POST", "/__emulator/credits", [&app, &st](Ctx &c) {
        rapidjson::Document doc;
        Reply err;
        if (!control_body(c.req, doc, err)) return err;
        auto balance = get_number(doc, "balance");
        if (!balance) return bare_error(400, "balance (number) is required");
        std::string org_id = get_string(doc, "organizationId").value_or(kDefaultOrgId);
        if (!st.set_balance(org_id, *balance)) return bare_error(404, "unknown organization");
        app.state_dirty = true;
        JsonOut o;
        o.begin_obj().f("organizationId", org_id).f("balance", *balance).end();
        return ok_reply(200, o.str());
    });

    r.add("GET", "/__emulator/sessions", [&st](Ctx &) {
        JsonOut o;
        o.begin_obj().key("sessions");
        st.write_sessions(o);
        o.end();
        return ok_reply(200, o.str());
    });

    r.add("POST", "/__emulator/sessions/{id}/approve", [&app, &st](Ctx &c) {
        SessionApprove a = st.approve_session(c.param(0));
        if (a.kind == SessionApprove::Kind::NotFound) {
            return bare_error(404, "Session not found or expired");
        }
        if (a.kind == SessionApprove::Kind::AlreadyDone) {
            return bare_error(409, "Session already authenticated");
        }
        app.state_dirty = true;
        JsonOut o;
        o.begin_obj()
            .f("sessionId", c.param(0))
            .f("status", "authenticated")
            .f("apiKey", a.key)
            .f("keyPrefix", a.prefix)
            .end();
        return ok_reply(200, o.str());
    });

    // ---- inspection
    r.add("GET", "/__emulator/state", [&app, &st](Ctx &) {
        JsonOut o;
        o.begin_obj();
        st.write_inspection(o);
        o.key("requests");
        app.router.write_counts(o);
        o.key("faults");
        app.faults.write_list(o);
        o.key("config");
        app.cfg.write_json(o);
        o.end();
        return ok_reply(200, o.str());
    });

    r.add("GET", "/__emulator/requests", [&app](Ctx &) {
        JsonOut o;
        o.begin_obj().f("recording", app.cfg.record_requests.load()).key("requests");
        app.router.write_requests(o);
        o.end();
        return ok_reply(200, o.str());
    });

    r.add("POST", "/__emulator/agents/{id}/status", [&app, &st](Ctx &c) {
        rapidjson::Document doc;
        Reply err;
        if (!control_body(c.req, doc, err)) return err;
        auto status = get_string(doc, "status");
        if (!status || !valid_status(*status, app.cfg.eliza)) {
            return bare_error(
                400, std::string("status must be one of pending, provisioning, "
                                 "running, stopped, disconnected, error") +
                         (app.cfg.eliza ? ", sleeping, deletion_pending, deletion_failed" : ""));
        }
        auto v = st.force_status(c.param(0), *status, get_string(doc, "errorMessage"));
        if (!v) return bare_error(404, "unknown agent");
        app.state_dirty = true;
        JsonOut o;
        write_agent_entry(o, *v);
        return ok_reply(200, o.str());
    });

    r.add("POST", "/__emulator/provision-failures", [&st](Ctx &c) {
        rapidjson::Document doc;
        Reply err;
        if (!control_body(c.req, doc, err)) return err;
        int64_t count = get_int(doc, "count").value_or(0);
        bool always = get_bool(doc, "always").value_or(false);
        if (count < 0) return bare_error(400, "count must be >= 0");
        st.set_provision_failures(count, always, get_string(doc, "message").value_or(""));
        JsonOut o;
        st.write_provision_failures(o);
        return ok_reply(200, o.str());
    });

    // ---- faults
    r.add("POST", "/__emulator/faults", [&app](Ctx &c) {
        rapidjson::Document doc;
        Reply err;
        if (!control_body(c.req, doc, err)) return err;
        try {
            return ok_reply(201, app.faults.add(doc));
        } catch (const std::invalid_argument &e) {
            return bare_error(400, e.what());
        }
    });

    r.add("GET", "/__emulator/faults", [&app](Ctx &) {
        JsonOut o;
        o.begin_obj().key("faults");
        app.faults.write_list(o);
        o.end();
        return ok_reply(200, o.str());
    });

    r.add("DELETE", "/__emulator/faults", [&app](Ctx &) {
        app.faults.clear();
        app.sleeper.interrupt_all();
        return ok_reply(200, "{\"ok\":true}");
    });

    r.add("DELETE", "/__emulator/faults/{id}", [&app](Ctx &c) {
        if (!app.faults.remove(c.param(0))) return bare_error(404, "unknown fault rule");
        app.sleeper.interrupt_all();
        return ok_reply(200, "{\"ok\":true}");
    });

    r.add("POST", "/__emulator/heartbeat-failures", [&app](Ctx &c) {
        rapidjson::Document doc;
        Reply err;
        if (!control_body(c.req, doc, err)) return err;
        auto count = get_int(doc, "count");
        if (!count || *count < 1) return bare_error(400, "count must be an integer >= 1");
        std::string agent = get_string(doc, "agentId").value_or("*");
        std::string mode = get_string(doc, "mode").value_or("jsonrpc");
        if (mode != "jsonrpc" && mode != "http")
            return bare_error(400, "mode must be jsonrpc or http");
        JsonOut rule;
        rule.begin_obj()
            .f("method", "POST")
            // The bridge of the generation served (milady also answers its /milaidy alias).
            .f("path", std::string(app.cfg.eliza ? "/api/v1/eliza" : "/api/v1/mil*") + "/agents/" +
                           agent + "/bridge")
            .f("rpcMethod", "heartbeat")
            .f("times", *count);
        if (mode == "jsonrpc") {
            rule.f("action", "jsonrpc-error")
                .f("code", get_int(doc, "code").value_or(-32000))
                .f("message", get_string(doc, "message").value_or("Sandbox bridge is unreachable"));
        } else {
            rule.f("action", "status").f("status", get_int(doc, "status").value_or(503));
            if (auto msg = get_string(doc, "message")) {
                JsonOut body;
                body.begin_obj().f("success", false).f("error", *msg).end();
                rule.f_raw("body", body.str());
            }
        }
        rule.end();
        rapidjson::Document rd;
        parse_json(rule.str(), rd);
        try {
            return ok_reply(201, app.faults.add(rd));
        } catch (const std::invalid_argument &e) {
            return bare_error(400, e.what());
        }
    });

    // ---- scripted bridge replies
    r.add("POST", "/__emulator/bridge/script", [&st](Ctx &c) {
        rapidjson::Document doc;
        Reply err;
        if (!control_body(c.req, doc, err)) return err;
        std::string agent = get_string(doc, "agentId").value_or("*");
        std::vector<ScriptedReply> replies;
        std::string why;
        if (const auto *list = member(doc, "replies")) {
            if (!list->IsArray()) return bare_error(400, "replies must be an array");
            for (const auto &v : list->GetArray()) {
                auto rep = parse_reply(v, why);
                if (!rep) return bare_error(400, why);
                replies.push_back(*rep);
            }
        }
        bool set_default = false;
        std::optional<ScriptedReply> def;
        if (const auto *d = member(doc, "default")) {
            set_default = true;
            if (!d->IsNull()) {
                def = parse_reply(*d, why);
                if (!def) return bare_error(400, why);
            }
        }
        size_t n = replies.size();
        if (!st.script_replies(agent, std::move(replies), set_default, def)) {
            return bare_error(404, "unknown agent");
        }
        JsonOut o;
        o.begin_obj().f("ok", true).f("queued", n).end();
        return ok_reply(200, o.str());
    });

    r.add("DELETE", "/__emulator/bridge/script", [&st](Ctx &) {
        st.clear_scripts();
        return ok_reply(200, "{\"ok\":true}");
    });
}

}  // namespace emu
