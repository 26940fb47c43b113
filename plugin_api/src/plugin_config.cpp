#include "plugin_config.hpp"

#include <cstddef>
#include <cstring>
#include <iterator>
#include <string>

#include "handle/cloud_options.hpp"

namespace elizacloud::plugin {
namespace {

constexpr const char *kLevelNames[] = {"trace", "debug", "info", "warn", "error", "", "off"};

// A JSON value as the text ec_cloud_options_set takes (strings are passed as they are).
bool option_text(const rapidjson::Value &v, std::string &text) {
    if (v.IsBool()) {
        text = v.GetBool() ? "1" : "0";
        return true;
    }
    if (v.IsInt64()) {
        text = std::to_string(v.GetInt64());
        return true;
    }
    if (v.IsUint64()) {
        text = std::to_string(v.GetUint64());
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
        // The options table of the core decides names, types and ranges (ec_cloud_options_set).
        // `engine` is not settable here on purpose: every instance owns its engine so that
        // destroy() can join its I/O thread before dlclose.
        const OptionSpec *option = find_cloud_option(key);
        if (option == nullptr) {
            error = std::string("config_json: unknown key \"") + key + "\"";
            return EC_ERR_INVALID_ARGUMENT;
        }
        std::string value;
        const bool is_string = option->type == OptionType::String;
        const bool is_flag =
            option->type == OptionType::Flag || option->type == OptionType::TriState;
        // JSON types must match: strings for strings, true/false for flags, integers otherwise.
        const bool right_type = is_string ? member.value.IsString()
                                : is_flag ? member.value.IsBool()
                                          : !member.value.IsBool();
        if (!right_type || (!is_string && !option_text(member.value, value))) {
            error = std::string("config_json: \"") + key + "\" must be " +
                    (is_string ? "a string"
                     : option->type == OptionType::Flag || option->type == OptionType::TriState
                         ? "true or false"
                         : "a non-negative integer");
            return EC_ERR_INVALID_ARGUMENT;
        }
        const ec_status s = ec_cloud_options_set(
            &out.cloud, key, is_string ? member.value.GetString() : value.c_str());
        if (s != EC_OK) {
            error = std::string("config_json: ") + ec_last_error_message();
            return s;
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
