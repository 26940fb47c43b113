#include "plugin_config.hpp"

#include <cstddef>
#include <cstring>
#include <iterator>

namespace elizacloud::plugin {
namespace {

enum class Kind { String, Flag, I32, I64, U32 };

struct Field {
    const char *name;
    Kind kind;
    size_t offset;  // into ec_cloud_options
};

// One row per ec_cloud_options member a host may set. `engine` is absent on purpose: every
// instance owns its engine so that destroy() can join its I/O thread before dlclose.
constexpr Field kFields[] = {
    {"base_url", Kind::String, offsetof(ec_cloud_options, base_url)},
    {"api_key", Kind::String, offsetof(ec_cloud_options, api_key)},
    {"config_path", Kind::String, offsetof(ec_cloud_options, config_path)},
    {"no_config_file", Kind::Flag, offsetof(ec_cloud_options, no_config_file)},
    {"insecure_local", Kind::Flag, offsetof(ec_cloud_options, insecure_local)},
    {"ca_file", Kind::String, offsetof(ec_cloud_options, ca_file)},
    {"allowed_hosts", Kind::String, offsetof(ec_cloud_options, allowed_hosts)},
    {"heartbeat_interval_ms", Kind::I64, offsetof(ec_cloud_options, heartbeat_interval_ms)},
    {"heartbeat_max_failures", Kind::I32, offsetof(ec_cloud_options, heartbeat_max_failures)},
    {"reconnect_initial_delay_ms", Kind::I64,
     offsetof(ec_cloud_options, reconnect_initial_delay_ms)},
    {"reconnect_max_delay_ms", Kind::I64, offsetof(ec_cloud_options, reconnect_max_delay_ms)},
    {"reconnect_max_attempts", Kind::I32, offsetof(ec_cloud_options, reconnect_max_attempts)},
    {"backup_interval_ms", Kind::I64, offsetof(ec_cloud_options, backup_interval_ms)},
    {"final_snapshot_timeout_ms", Kind::I64, offsetof(ec_cloud_options, final_snapshot_timeout_ms)},
    {"login_poll_interval_ms", Kind::I64, offsetof(ec_cloud_options, login_poll_interval_ms)},
    {"login_timeout_ms", Kind::I64, offsetof(ec_cloud_options, login_timeout_ms)},
    {"request_timeout_ms", Kind::I64, offsetof(ec_cloud_options, request_timeout_ms)},
    {"send_timeout_ms", Kind::I64, offsetof(ec_cloud_options, send_timeout_ms)},
    {"stream_idle_timeout_ms", Kind::I64, offsetof(ec_cloud_options, stream_idle_timeout_ms)},
    {"job_poll_interval_ms", Kind::I64, offsetof(ec_cloud_options, job_poll_interval_ms)},
    {"job_timeout_ms", Kind::I64, offsetof(ec_cloud_options, job_timeout_ms)},
    {"event_queue_capacity", Kind::U32, offsetof(ec_cloud_options, event_queue_capacity)},
};

constexpr const char *kLevelNames[] = {"trace", "debug", "info", "warn", "error", "", "off"};

const Field *find_field(const char *name) {
    for (const Field &f : kFields) {
        if (std::strcmp(f.name, name) == 0) return &f;
    }
    return nullptr;
}

// Writes one value into the options struct. Numbers must be non-negative integers that fit:
// zero already means "default" in the C ABI, and a negative timing is always a host bug.
bool store(const Field &f, const rapidjson::Value &v, ec_cloud_options &o) {
    char *slot = reinterpret_cast<char *>(&o) + f.offset;
    switch (f.kind) {
        case Kind::String:
            if (!v.IsString()) return false;
            *reinterpret_cast<const char **>(slot) = v.GetString();
            return true;
        case Kind::Flag:
            if (!v.IsBool()) return false;
            *reinterpret_cast<int32_t *>(slot) = v.GetBool() ? 1 : 0;
            return true;
        case Kind::I32:
            if (!v.IsInt() || v.GetInt() < 0) return false;
            *reinterpret_cast<int32_t *>(slot) = v.GetInt();
            return true;
        case Kind::I64:
            if (!v.IsInt64() || v.GetInt64() < 0) return false;
            *reinterpret_cast<int64_t *>(slot) = v.GetInt64();
            return true;
        case Kind::U32:
            if (!v.IsUint()) return false;
            *reinterpret_cast<uint32_t *>(slot) = v.GetUint();
            return true;
    }
    return false;
}

bool parse_level(const rapidjson::Value &v, int32_t &level) {
    if (!v.IsString()) return false;
    for (size_t i = 0; i < std::size(kLevelNames); ++i) {
        if (kLevelNames[i][0] != '\0' && std::strcmp(kLevelNames[i], v.GetString()) == 0) {
            level = static_cast<int32_t>(i);
            return true;
        }
    }
    return false;
}

}  // namespace

ec_status parse_config(const char *config_json, Config &out, std::string &error) {
    ec_engine_options_init(&out.engine, sizeof out.engine);
    ec_cloud_options_init(&out.cloud, sizeof out.cloud);
    const char *text = (config_json != nullptr && config_json[0] != '\0') ? config_json : "{}";
    out.doc.Parse(text);
    if (out.doc.HasParseError() || !out.doc.IsObject()) {
        error = "config_json is not a JSON object";
        return EC_ERR_INVALID_ARGUMENT;
    }
    for (const auto &member : out.doc.GetObject()) {
        const char *key = member.name.GetString();
        if (member.value.IsNull()) continue;  // null = default, handy for generated configs
        if (std::strcmp(key, "log_level") == 0) {
            if (!parse_level(member.value, out.log_level)) {
                error =
                    "config_json: log_level must be one of trace, debug, info, warn, error, off";
                return EC_ERR_INVALID_ARGUMENT;
            }
            continue;
        }
        const Field *field = find_field(key);
        if (field == nullptr) {
            error = std::string("config_json: unknown key \"") + key + "\"";
            return EC_ERR_INVALID_ARGUMENT;
        }
        if (!store(*field, member.value, out.cloud)) {
            static constexpr const char *kWant[] = {
                "a string", "true or false", "a non-negative integer", "a non-negative integer",
                "a non-negative integer"};
            error = std::string("config_json: \"") + key + "\" must be " +
                    kWant[static_cast<int>(field->kind)];
            return EC_ERR_INVALID_ARGUMENT;
        }
    }
    // The TLS and host-policy settings belong to the engine the plugin creates for this instance.
    out.engine.ca_file = out.cloud.ca_file;
    out.engine.insecure_local = out.cloud.insecure_local;
    out.engine.allowed_hosts = out.cloud.allowed_hosts;
    out.cloud.ca_file = nullptr;
    return EC_OK;
}

}  // namespace elizacloud::plugin
