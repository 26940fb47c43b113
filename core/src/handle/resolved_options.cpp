#include "handle/resolved_options.hpp"

#include <algorithm>
#include <climits>
#include <optional>
#include <string_view>
#include <utility>

#include "api/operations/common_params.hpp"
#include "net/engines.hpp"
#include "net/url_policy.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

namespace elizacloud {
namespace {

[[noreturn]] void invalid(std::string message) {
    throw Error(Status::InvalidArgument, std::move(message));
}

int64_t pick(int64_t option, int64_t configured, int64_t fallback) {
    if (option > 0) return option;
    return configured > 0 ? configured : fallback;
}

int to_int(int64_t ms) {
    return static_cast<int>(std::min<int64_t>(ms, INT_MAX));
}

void check_timings(const ec_cloud_options &o) {
    const int64_t values[] = {
        o.heartbeat_interval_ms,  o.reconnect_initial_delay_ms, o.reconnect_max_delay_ms,
        o.backup_interval_ms,     o.final_snapshot_timeout_ms,  o.login_poll_interval_ms,
        o.login_timeout_ms,       o.request_timeout_ms,         o.send_timeout_ms,
        o.stream_idle_timeout_ms, o.job_poll_interval_ms,       o.job_timeout_ms};
    for (int64_t v : values)
        if (v < 0) invalid("timings must be 0 (default) or a positive number of milliseconds");
    if (o.heartbeat_max_failures < 0 || o.reconnect_max_attempts < 0)
        invalid("heartbeat_max_failures and reconnect_max_attempts must not be negative");
}

// "auto" (or nothing) = Unknown: detected at the first call that needs it.
std::optional<api::Generation> parse_generation(std::string_view text) {
    if (text.empty() || text == "auto") return api::Generation::Unknown;
    if (text == "milady") return api::Generation::Milady;
    if (text == "eliza") return api::Generation::Eliza;
    return std::nullopt;
}

}  // namespace

ResolvedOptions resolve_options(const ec_cloud_options &o) {
    check_timings(o);
    ResolvedOptions r;
    CloudSettings config;
    if (!o.no_config_file) {
        r.config_path =
            o.config_path && *o.config_path ? o.config_path : ConfigStore::resolve_path();
        r.store.emplace(r.config_path);
        config = r.store->load();
    }

    if (o.engine) {
        r.engine = o.engine->engine;
    } else {
        EngineSpec spec;
        spec.ca_file = o.ca_file ? o.ca_file : "";
        // An explicit option (1 or -1) wins over the config file and the environment.
        if (o.insecure_local != 0) {
            spec.insecure_local = o.insecure_local > 0;
        } else if (config.insecure_local) {
            spec.insecure_local = true;
        }
        spec.allowed_hosts = split_hosts(o.allowed_hosts);
        spec.allowed_hosts.insert(spec.allowed_hosts.end(), config.allowed_hosts.begin(),
                                  config.allowed_hosts.end());
        r.engine = shared_engine(std::move(spec));
    }
    // The engine's policy decides: it is also the one checked on every connection.
    r.base = BaseUrl::from_config(o.base_url ? o.base_url : config.base_url, r.engine->policy(),
                                  o.site_url && *o.site_url ? o.site_url : config.site_url);

    r.api_key = std::string(trim(o.api_key ? o.api_key : config.api_key));
    // The config's login session and issuing cloud belong to the config's key only.
    if (!o.api_key) {
        r.login_session_id = config.login_session_id;
        r.api_key_base_url = config.api_key_base_url;
    }
    r.enabled = config.enabled.value_or(!r.api_key.empty());

    r.client.crud_timeout_ms = to_int(pick(o.request_timeout_ms, 0, 30'000));
    r.client.bridge_timeout_ms = to_int(pick(o.send_timeout_ms, 0, 60'000));
    r.client.stream_idle_timeout_ms = to_int(pick(o.stream_idle_timeout_ms, 0, 120'000));
    r.client.job_poll_interval_ms = to_int(o.job_poll_interval_ms);
    r.client.job_timeout_ms = to_int(pick(o.job_timeout_ms, 0, 300'000));
    if (o.max_retries < -1 || o.max_retries > 10)
        invalid("max_retries must be -1 (never), 0 (the default, 2) or up to 10");
    r.client.max_retries = o.max_retries == 0 ? 2 : std::max(o.max_retries, 0);
    r.login.poll_interval_ms = to_int(pick(o.login_poll_interval_ms, 0, 2'000));
    r.login.timeout_ms = to_int(pick(o.login_timeout_ms, 0, 300'000));

    MonitorOptions &monitor = r.manager.monitor;
    monitor.heartbeat_interval_ms =
        pick(o.heartbeat_interval_ms, config.heartbeat_interval_ms, 30'000);
    monitor.max_failures = static_cast<int>(pick(o.heartbeat_max_failures, 0, 3));
    monitor.initial_delay_ms =
        pick(o.reconnect_initial_delay_ms, config.reconnect_interval_ms, 3'000);
    monitor.max_delay_ms = pick(o.reconnect_max_delay_ms, 0, 60'000);
    monitor.max_attempts =
        static_cast<int>(pick(o.reconnect_max_attempts, config.max_reconnect_attempts, 10));
    BackupOptions &backup = r.manager.backup;
    backup.interval_ms = pick(o.backup_interval_ms, config.auto_backup_interval_ms, 60'000);
    backup.final_timeout_ms = pick(o.final_snapshot_timeout_ms, 0, 10'000);
    r.manager.enabled = r.enabled;

    if (o.api_generation && *o.api_generation) {
        const auto generation = parse_generation(o.api_generation);
        if (!generation) invalid("api_generation must be auto, milady or eliza");
        r.client.generation = *generation;
    } else if (const auto generation = parse_generation(config.api_generation)) {
        r.client.generation = *generation;
    } else {
        log::warn("[config] cloud.apiGeneration \"{}\" is not auto, milady or eliza; detecting it",
                  config.api_generation);
    }

    const std::string_view price = o.confirm_price ? o.confirm_price : "";
    if (price.size() > 256 ||
        std::any_of(price.begin(), price.end(), [](char c) { return c < 0x20 || c > 0x7e; }))
        invalid("confirm_price must be printable ASCII on one line (at most 256 characters)");
    if (!price.empty())
        r.client.default_headers.emplace(api::kConfirmPrice.header, std::string(price));

    r.event_queue_capacity = o.event_queue_capacity;
    r.forward_logs = o.forward_logs != 0;
    return r;
}

}  // namespace elizacloud
