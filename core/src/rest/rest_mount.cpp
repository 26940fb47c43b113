#include "rest/rest_mount.hpp"

#include <cstdlib>
#include <utility>

#include "net/engines.hpp"
#include "rest/rest_checks.hpp"
#include "util/strings.hpp"

namespace elizacloud {

RestOptions rest_options_from(const char *token, const char *allowed_hosts,
                              const char *allowed_origins, int64_t login_session_ttl_ms) {
    RestOptions options;
    if (token) {
        options.token = std::string(trim(token));
    } else if (const char *env = std::getenv("MILADY_API_TOKEN")) {
        options.token = std::string(trim(env));
    }
    options.allowed_hosts = split_hosts(allowed_hosts);
    options.allowed_origins = split_hosts(allowed_origins);
    if (login_session_ttl_ms > 0) options.login_session_ttl_ms = login_session_ttl_ms;
    return options;
}

std::shared_ptr<LoginSessions> RestMount::sessions_locked(int64_t ttl_ms) {
    if (!sessions_) {
        sessions_ = std::make_shared<LoginSessions>(ttl_ms);
    } else {
        sessions_->set_ttl_ms(ttl_ms);
    }
    return sessions_;
}

std::shared_ptr<RestApi> RestMount::dispatcher(Cloud &cloud) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!api_) {
        RestOptions options = rest_options_from(nullptr, nullptr, nullptr, 0);
        api_ = std::make_shared<RestApi>(cloud, options,
                                         sessions_locked(options.login_session_ttl_ms));
    }
    return api_;
}

void RestMount::configure(Cloud &cloud, RestOptions options) {
    std::shared_ptr<LoginSessions> sessions;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        sessions = sessions_locked(options.login_session_ttl_ms);
    }
    auto api = std::make_shared<RestApi>(cloud, std::move(options), std::move(sessions));
    std::lock_guard<std::mutex> lock(mutex_);
    // Requests still running on the old dispatcher keep it alive until they are answered.
    api_ = std::move(api);
}

std::shared_ptr<RestServer> RestMount::start_server(Cloud &cloud, RestServerOptions options) {
    std::shared_ptr<LoginSessions> sessions;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        sessions = sessions_locked(options.rest.login_session_ttl_ms);
    }
    auto server = std::make_shared<RestServer>(cloud, std::move(options), sessions);
    std::lock_guard<std::mutex> lock(mutex_);
    std::erase_if(servers_, [](const std::weak_ptr<RestServer> &s) { return s.expired(); });
    servers_.push_back(server);
    return server;
}

void RestMount::shutdown() {
    std::vector<std::weak_ptr<RestServer>> servers;
    std::shared_ptr<RestApi> api;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        servers.swap(servers_);
        api = api_;
    }
    for (auto &weak : servers)
        if (auto server = weak.lock()) server->stop();
    if (api) api->shutdown();
}

}  // namespace elizacloud
