// What one ec_cloud handle runs with: its ec_cloud_options resolved against the config file and
// the defaults (an option wins over the file, the file over the default).
#pragma once

#include <elizacloud/elizacloud.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "api/cloud_client.hpp"
#include "net/base_url.hpp"
#include "net/engine.hpp"
#include "session/cloud_manager.hpp"
#include "session/login.hpp"
#include "store/config_store.hpp"

namespace elizacloud {

struct ResolvedOptions {
    std::shared_ptr<Engine> engine;
    BaseUrl base;
    std::string config_path;           // "" with no_config_file
    std::optional<ConfigStore> store;  // none with no_config_file
    std::string api_key;               // "" = none
    std::string login_session_id;      // the session that handed out a key from the config
    // The API origin that issued a key from the config (cloud.apiKeyBaseUrl); "" for a key
    // given as an option (the environment's included), which is sent wherever the handle goes.
    std::string api_key_base_url;
    bool enabled = false;  // effective cloud.enabled
    ClientOptions client;
    LoginOptions login;
    CloudManagerOptions manager;
    uint32_t event_queue_capacity = 0;  // 0 = the queue's default
    bool forward_logs = false;
};

// Throws Error(InvalidArgument) for negative timings, Error(Protocol/Io) for an unreadable config
// file, and the base URL policy's errors.
ResolvedOptions resolve_options(const ec_cloud_options &options);

}  // namespace elizacloud
