#include "app.hpp"

#include <cstdio>
#include <fstream>

namespace emu {

std::vector<std::string> split_list(const std::string &csv) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i <= csv.size()) {
        size_t j = csv.find(',', i);
        if (j == std::string::npos) j = csv.size();
        if (j > i) out.push_back(csv.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

App::App(const Options &o) : opts(o), router(faults, sleeper, cfg.record_requests) {
    cfg.provision_ms = o.provision_ms;
    cfg.job_poll_interval_ms = o.job_poll_interval_ms;
    cfg.session_ttl_ms = o.session_ttl_ms;
    cfg.stream_chunk_chars = o.stream_chunk_chars;
    cfg.stream_chunk_delay_ms = o.stream_chunk_delay_ms;
    cfg.auto_approve = o.auto_approve;
    cfg.mint_session_ids = o.mint_session_ids;
    cfg.fail_provision = o.fail_provision;
    cfg.record_requests = o.record_requests;
    cfg.api_keys_accept_keys = o.api_keys_accept_keys;
    cfg.rate_limits = o.rate_limits;
    router.set_limiter([this](const httplib::Request &req, const std::string &method,
                              const std::string &templ,
                              std::vector<std::pair<std::string, std::string>> &headers) {
        return limiter.check(req, method, templ, headers);
    });
    cfg.has_payment_method = o.has_payment_method;
    cfg.eliza = o.generation == "eliza";
    cfg.max_agents_per_org = o.max_agents_per_org;
    cfg.warm_pool = o.warm_pool;
    cfg.reuse_live_agents = o.reuse_live_agents;
    cfg.require_price_consent = o.require_price_consent;
    cfg.set_default_execution_tier(o.default_execution_tier);
    cfg.set_dedicated_price_acceptance(o.dedicated_price_acceptance);
    cfg.set_allowed_image_prefixes(split_list(o.allowed_image_prefixes));
    initial_cfg.eliza = cfg.eliza;
    initial_cfg.copy_from(cfg);
    state = std::make_unique<State>(cfg, o.credits, o.api_key);
    router.set_verbose(o.verbose);
    if (o.generation == "eliza") {
        router.set_agent_prefixes({"/api/v1/eliza"});
        router.set_json_not_found(true);
    }
    router.set_fault_hook(
        [this](const httplib::Request &req, const FaultRule &) { count_faulted_heartbeat(req); });
}

void App::count_faulted_heartbeat(const httplib::Request &req) {
    // POST {agent prefix}/agents/{id}/bridge with {"method":"heartbeat"}
    const std::string &p = req.path;
    for (const std::string &prefix : router.agent_prefixes()) {
        const std::string pre = prefix + "/agents/";
        if (p.rfind(pre, 0) != 0 || p.size() <= pre.size() + 7) continue;
        if (p.compare(p.size() - 7, 7, "/bridge") != 0) continue;
        std::string id = p.substr(pre.size(), p.size() - pre.size() - 7);
        if (id.find('/') != std::string::npos) continue;
        rapidjson::Document doc;
        if (!parse_json(req.body, doc) || get_string(doc, "method") != "heartbeat") return;
        if (auto agent = state->running_agent_any_org(id)) {
            agent->heartbeats.fetch_add(1);
            agent->heartbeat_failures.fetch_add(1);
        }
        return;
    }
}

bool App::save_state(std::string &error) {
    if (opts.state_file.empty()) return true;
    std::string tmp = opts.state_file + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << state->serialize() << '\n';
        out.flush();
        if (!out) {
            error = "cannot write " + tmp;
            return false;
        }
    }
    if (std::rename(tmp.c_str(), opts.state_file.c_str()) != 0) {
        error = "cannot rename " + tmp + " to " + opts.state_file;
        return false;
    }
    return true;
}

}  // namespace emu
