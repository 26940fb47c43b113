// The plugin's config_json, mapped onto the public ec_engine_options / ec_cloud_options.
#pragma once

#include <elizacloud/elizacloud.h>
#include <rapidjson/document.h>

#include <string>

namespace elizacloud::plugin {

struct Config {
    // Owns the strings the options point into; keep it alive until the create calls return.
    rapidjson::Document doc;
    ec_engine_options engine{};
    ec_cloud_options cloud{};
    int32_t log_level = -1;  // -1 = leave the process-wide level alone
};

// Parses config_json (NULL or "" = "{}"). Keys name ec_cloud_options fields in snake_case, plus
// log_level. On failure returns EC_ERR_INVALID_ARGUMENT and says why in *error.
ec_status parse_config(const char *config_json, Config &out, std::string &error);

}  // namespace elizacloud::plugin
