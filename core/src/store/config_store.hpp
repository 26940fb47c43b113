// The plugin's persistent settings: the `cloud` section of milady.json (SPEC §5). Everything else
// in that file belongs to the host and is written back value for value. Writes are atomic
// (crash-safe) and serialised across threads and processes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.hpp"

namespace elizacloud {

// The `cloud` section as read. Absent or mistyped fields keep these defaults.
struct CloudSettings {
    bool present = false;                     // the file has a `cloud` object
    std::optional<bool> enabled;              // cloud.enabled, when it is a boolean
    std::string base_url;                     // cloud.baseUrl, verbatim; empty when absent
    std::string api_key;                      // cloud.apiKey; secret: never log it
    std::vector<std::string> allowed_hosts;   // cloud.allowedHosts (extra base-URL hosts)
    int64_t heartbeat_interval_ms = 30000;    // cloud.bridge.heartbeatIntervalMs
    int64_t reconnect_interval_ms = 3000;     // cloud.bridge.reconnectIntervalMs
    int64_t max_reconnect_attempts = 10;      // cloud.bridge.maxReconnectAttempts
    int64_t auto_backup_interval_ms = 60000;  // cloud.backup.autoBackupIntervalMs
    bool insecure_local = false;              // cloud.insecureLocal (http/loopback for dev)
    std::string api_generation;               // cloud.apiGeneration, verbatim; empty when absent
    std::string site_url;                     // cloud.siteUrl: the browser site; empty = derived
    std::string login_session_id;             // cloud.loginSessionId: the key's CLI session
    // cloud.apiKeyBaseUrl: the API origin the key was issued by (login saves it); empty when
    // unknown (a key written by hand or by an older version), which is not checked.
    std::string api_key_base_url;

    // The key is non-empty after trimming whitespace (R92).
    bool has_api_key() const;
    // enabled is true, or it is not explicitly false and there is a key (R92).
    bool effective_enabled() const;
};

class ConfigStore {
public:
    using Getenv = std::function<std::optional<std::string>(const char *name)>;
    using CloudEdit = std::function<void(json::Value &cloud, json::Document::AllocatorType &alloc)>;

    // Files larger than this are refused rather than read into memory.
    static constexpr size_t kMaxFileBytes = 16 * 1024 * 1024;

    explicit ConfigStore(std::string path);

    // MILADY_CONFIG_PATH (trimmed; "~", "~/" and "~\" expanded; relative → against the working
    // directory), else $MILADY_STATE_DIR/milady.json (same rules), else ~/.milady/milady.json.
    static std::string resolve_path();  // reads the environment, $HOME (or the passwd entry), cwd
    // Pure form for tests. Throws Error(Io) when the home directory is needed but empty.
    static std::string resolve_path(const Getenv &getenv, const std::string &home,
                                    const std::string &cwd);

    const std::string &path() const { return path_; }

    // Missing (or blank) file → defaults. Unreadable → Error(Io); not a JSON object, or a `cloud`
    // member that is neither an object nor null → Error(Protocol).
    CloudSettings load() const;

    // Locked read-modify-write of ONLY the `cloud` object (created when absent or null); every
    // other key of the file is preserved value for value, in order. The file is written only if
    // `edit` returns normally. A file that is not valid JSON is refused (Error(Protocol)) and left
    // untouched. The written file has mode 0600; missing directories are created 0700.
    void update_cloud(const CloudEdit &edit);

    // cloud.apiKey = key, cloud.enabled = true, cloud.loginSessionId = the CLI session that
    // handed the key out and cloud.apiKeyBaseUrl = the API origin that issued it (each removed
    // when empty); other cloud fields kept. Empty key → InvalidArgument.
    void save_login(std::string_view api_key, std::string_view login_session_id = {},
                    std::string_view base_url = {});
    // Removes cloud.apiKey, cloud.loginSessionId and cloud.apiKeyBaseUrl and sets
    // cloud.enabled = false (so {"enabled":false} when absent).
    void clear_login();

private:
    std::string path_;
};

}  // namespace elizacloud
