// What one ec_cloud keeps for the local REST API: the dispatcher behind ec_cloud_rest_dispatch
// (made at first use, replaced by ec_cloud_rest_configure), the login-session table it shares
// with the cloud's servers (a session created through one can be polled through another), and
// those servers, which are stopped before the cloud goes away.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "rest/rest_api.hpp"
#include "rest/rest_server.hpp"

namespace elizacloud {

class Cloud;

class RestMount {
public:
    // The current dispatcher (kept alive by the caller for one request).
    std::shared_ptr<RestApi> dispatcher(Cloud &cloud);
    void configure(Cloud &cloud, RestOptions options);
    std::shared_ptr<RestServer> start_server(Cloud &cloud, RestServerOptions options);
    // Stops every server and ends the dispatcher's requests; before the cloud shuts down.
    void shutdown();

private:
    std::shared_ptr<LoginSessions> sessions_locked(int64_t ttl_ms);

    std::mutex mutex_;
    std::shared_ptr<LoginSessions> sessions_;
    std::shared_ptr<RestApi> api_;
    std::vector<std::weak_ptr<RestServer>> servers_;
};

// RestOptions with the ABI's defaults: the token from MILADY_API_TOKEN unless one is given.
RestOptions rest_options_from(const char *token, const char *allowed_hosts,
                              const char *allowed_origins, int64_t login_session_ttl_ms);

}  // namespace elizacloud
