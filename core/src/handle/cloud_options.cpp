#include "handle/cloud_options.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

#include "util/error.hpp"
#include "util/json.hpp"

namespace elizacloud {
namespace {

#define EC_OPTION(member, type, default_text, doc, timing)                                       \
    OptionSpec {                                                                                 \
#member, OptionType::type, offsetof(ec_cloud_options, member), default_text, doc, timing \
    }

// The same for an I32 option that also takes values down to min.
#define EC_OPTION_MIN(member, type, default_text, doc, timing, min)                               \
    OptionSpec {                                                                                  \
#member, OptionType::type, offsetof(ec_cloud_options, member), default_text, doc, timing, \
            min                                                                                   \
    }

// `engine` is absent on purpose: it is a pointer, not a setting.
constexpr std::array kOptions{
    EC_OPTION(base_url, String, "https://www.elizacloud.ai",
              "the cloud (config cloud.baseUrl); a trailing /api/v1 is accepted", false),
    EC_OPTION(api_key, String, "", "the API key (default: config cloud.apiKey)", false),
    EC_OPTION(config_path, String, "~/.milady/milady.json",
              "the config file (default: MILADY_CONFIG_PATH, then $MILADY_STATE_DIR/milady.json)",
              false),
    EC_OPTION(no_config_file, Flag, "0", "1 = never read or write a config file", false),
    EC_OPTION(insecure_local, TriState, "0",
              "1 = allow http:// and loopback (development only); -1 = never; 0 = the config "
              "or ELIZACLOUD_INSECURE_LOCAL decides",
              false),
    EC_OPTION(ca_file, String, "", "trust this PEM bundle (only with the default engine)", false),
    EC_OPTION(allowed_hosts, String, "", "extra allowed cloud hosts, comma-separated", false),
    EC_OPTION(heartbeat_interval_ms, I64, "30000",
              "between heartbeats (config cloud.bridge.heartbeatIntervalMs)", true),
    EC_OPTION(heartbeat_max_failures, I32, "3", "failed heartbeats before reconnecting", true),
    EC_OPTION(reconnect_initial_delay_ms, I64, "3000", "first reconnect delay, doubling", true),
    EC_OPTION(reconnect_max_delay_ms, I64, "60000", "longest reconnect delay", true),
    EC_OPTION(reconnect_max_attempts, I32, "10", "reconnect attempts before giving up", true),
    EC_OPTION(backup_interval_ms, I64, "60000",
              "between automatic backups (config cloud.backup.autoBackupIntervalMs)", true),
    EC_OPTION(final_snapshot_timeout_ms, I64, "10000", "bound on the backup at disconnect", true),
    EC_OPTION(login_poll_interval_ms, I64, "2000", "between login session polls", true),
    EC_OPTION(login_timeout_ms, I64, "300000", "bound on a whole login", true),
    EC_OPTION(request_timeout_ms, I64, "30000", "CRUD requests", true),
    EC_OPTION(send_timeout_ms, I64, "60000", "bridge message.send", true),
    EC_OPTION(stream_idle_timeout_ms, I64, "120000", "a stream with no byte for this long ends",
              true),
    EC_OPTION(job_poll_interval_ms, I64, "0",
              "between job polls (0 = the cloud's polling.intervalMs, else 5000)", true),
    EC_OPTION(job_timeout_ms, I64, "300000", "bound on following a provisioning job", true),
    EC_OPTION(event_queue_capacity, U32, "4096", "events kept before droppable ones are dropped",
              false),
    EC_OPTION(forward_logs, Flag, "0", "1 = also deliver log lines as EC_EVENT_LOG", false),
    EC_OPTION(api_generation, String, "auto",
              "the cloud's API generation: auto (detected once, then cached), milady or eliza "
              "(config cloud.apiGeneration)",
              false),
    EC_OPTION(confirm_price, String, "",
              "the dedicated price the user accepted (pricing.acceptanceValue of a "
              "PriceConfirmation error), sent by the calls that can start paid compute; empty: "
              "never sent",
              false),
    EC_OPTION(site_url, String, "",
              "the browser site for login and billing pages when it is not the API origin "
              "(config cloud.siteUrl; default: derived from base_url)",
              false),
    EC_OPTION_MIN(max_retries, I32, "2",
                  "retries of a transient failure (connection, timeout, 408, 429, 5xx, "
                  "retryable) of idempotent requests; 0 = the default, -1 = never",
                  false, -1),
};

#undef EC_OPTION
#undef EC_OPTION_MIN

std::string_view type_name(OptionType t) {
    switch (t) {
        case OptionType::String:
            return "string";
        case OptionType::Flag:
            return "flag";
        case OptionType::TriState:
            return "tristate";
        case OptionType::I32:
            return "int32";
        case OptionType::I64:
            return "int64";
        case OptionType::U32:
            return "uint32";
    }
    return "?";
}

template <typename T>
T parse_number(const OptionSpec &spec, std::string_view text, T min) {
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min)
        throw Error(Status::InvalidArgument, "option " + std::string(spec.name) +
                                                 " must be an integer from " + std::to_string(min) +
                                                 " to " +
                                                 std::to_string(std::numeric_limits<T>::max()) +
                                                 ", not \"" + std::string(text) + "\"");
    return value;
}

}  // namespace

std::span<const OptionSpec> cloud_options() {
    return kOptions;
}

const OptionSpec *find_cloud_option(std::string_view name) {
    for (const OptionSpec &o : kOptions)
        if (o.name == name) return &o;
    return nullptr;
}

void set_cloud_option(ec_cloud_options &options, std::string_view name, const char *value) {
    const OptionSpec *spec = find_cloud_option(name);
    if (!spec) throw Error(Status::InvalidArgument, "unknown option \"" + std::string(name) + "\"");
    char *slot = reinterpret_cast<char *>(&options) + spec->offset;
    const size_t size = spec->type == OptionType::String ? sizeof(const char *)
                        : spec->type == OptionType::I64  ? sizeof(int64_t)
                                                         : sizeof(int32_t);
    if (spec->offset + size > options.struct_size)
        throw Error(Status::InvalidArgument,
                    "option " + std::string(name) +
                        " is newer than this ec_cloud_options (struct_size " +
                        std::to_string(options.struct_size) + ")");
    if (spec->type == OptionType::String) {
        *reinterpret_cast<const char **>(slot) = value;  // borrowed; NULL = the default
        return;
    }
    if (!value)
        throw Error(Status::InvalidArgument, "option " + std::string(name) + " needs a value");
    std::string_view text(value);
    switch (spec->type) {
        case OptionType::Flag:
        case OptionType::TriState: {
            int32_t flag = -2;
            if (text == "1" || text == "true") flag = 1;
            if (text == "0" || text == "false") flag = 0;
            if (text == "-1" && spec->type == OptionType::TriState) flag = -1;
            if (flag == -2)
                throw Error(Status::InvalidArgument,
                            "option " + std::string(name) + " must be 0, 1, true or false" +
                                (spec->type == OptionType::TriState ? " (or -1: never)" : ""));
            *reinterpret_cast<int32_t *>(slot) = flag;
            return;
        }
        case OptionType::I32:
            *reinterpret_cast<int32_t *>(slot) = parse_number<int32_t>(*spec, text, spec->min);
            return;
        case OptionType::I64:
            *reinterpret_cast<int64_t *>(slot) = parse_number<int64_t>(*spec, text, 0);
            return;
        case OptionType::U32:
            *reinterpret_cast<uint32_t *>(slot) = parse_number<uint32_t>(*spec, text, 0);
            return;
        case OptionType::String:
            return;
    }
}

std::string catalogue_with_options(const std::string &catalogue) {
    json::Document doc;
    json::parse(catalogue, doc);
    auto &alloc = doc.GetAllocator();
    json::Value options(rapidjson::kArrayType);
    for (const OptionSpec &o : kOptions) {
        json::Value v(rapidjson::kObjectType);
        json::set(v, "name", json::string_value(o.name, alloc), alloc);
        json::set(v, "type", json::string_value(type_name(o.type), alloc), alloc);
        json::set(v, "default", json::string_value(o.default_text, alloc), alloc);
        json::set(v, "doc", json::string_value(o.doc, alloc), alloc);
        json::set(v, "timing", json::Value(o.timing), alloc);
        options.PushBack(std::move(v), alloc);
    }
    json::set(doc, "options", std::move(options), alloc);
    return json::stringify(doc);
}

}  // namespace elizacloud
