// The standalone local REST API server (SPEC §3, `elizacloud serve`): cpp-httplib around
// RestApi. Every request goes to the dispatcher; the server only adds what needs the socket:
// bodies are read with the 1 MiB cap so that a 413 is really delivered (the over-long body is
// read and dropped, never left unread behind a closed socket — G19), event streams are written
// as they come, and shutdown ends streams and requests in flight before joining the threads.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "rest_api.hpp"

namespace elizacloud {

class Cloud;

struct RestServerOptions {
    std::string host = "127.0.0.1";
    int port = 2138;  // 0 = an ephemeral port (port() tells which)
    RestOptions rest;
    // Mirror credential changes into this process's environment (ELIZAOS_CLOUD_API_KEY,
    // ELIZAOS_CLOUD_ENABLED) with setenv/unsetenv. Off for hosts that do it themselves (the
    // Python and Node packages follow the CREDENTIALS_CHANGED event instead).
    bool export_env = false;
    int threads = 32;  // connections served at once; event streams may use half of them
};

class RestServer {
public:
    // Binds and starts serving on a thread of its own. Throws Error: InvalidArgument for a
    // non-loopback host without a token (R190) or bad options, Io when the address cannot be
    // bound. The cloud must outlive the server (or at least its stop()).
    RestServer(Cloud &cloud, RestServerOptions options,
               std::shared_ptr<LoginSessions> sessions = nullptr);
    ~RestServer();
    RestServer(const RestServer &) = delete;
    RestServer &operator=(const RestServer &) = delete;

    int port() const { return port_; }
    const std::string &host() const { return options_.host; }

    // Ends event streams and requests in flight, stops listening, joins every connection
    // thread. Idempotent; after it the server no longer touches the cloud.
    void stop();

private:
    struct Impl;
    RestServerOptions options_;
    std::unique_ptr<RestApi> api_;
    std::unique_ptr<Impl> impl_;
    std::thread thread_;
    int port_ = 0;
    std::mutex stop_mutex_;
};

}  // namespace elizacloud
