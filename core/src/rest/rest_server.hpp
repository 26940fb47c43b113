// The standalone local REST API server (`elizacloud serve`): libmicrohttpd around RestApi.
//
// Why libmicrohttpd: a thread-per-connection server is held hostage by clients that trickle
// their headers (32 such clients stopped a 32-thread server). Here a small fixed set of epoll
// threads owns every socket; no socket ever holds a thread while it waits for a client. Each
// complete request is handed to a worker thread (the dispatcher blocks while the cloud works)
// with its connection suspended, and resumed with the answer.
//
// What the server adds to the dispatcher, all of it needing the socket:
// - framing checks: duplicate Host or Content-Length headers, Content-Length together with
//   Transfer-Encoding, and a body on GET/HEAD/OPTIONS are answered 400 and the connection closed;
//   a malformed Content-Length is answered 400 at once;
// - the 1 MiB body cap with a 413 that really reaches a client still sending (the over-long body
//   is read and dropped up to a limit, then the connection is closed, never reused);
// - deadlines: the request line within the keep-alive idle limit, the headers and the body each
//   within a deadline of their own, whatever the pace of the bytes;
// - event streams written as frames come, with a keep-alive comment every second, and a client
//   that hangs up noticed at once so its stream slot is freed;
// - shutdown that ends streams and requests in flight before joining the threads.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "rest/rest_api.hpp"

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
    int threads = 32;  // requests dispatched at once; event streams: half of this number
    // A new or kept-alive connection must send its request line within idle_timeout_ms; the
    // headers must then be complete within header_timeout_ms and the body within
    // body_timeout_ms, however the bytes are paced. Past a deadline the connection is closed.
    int idle_timeout_ms = 5'000;
    int header_timeout_ms = 5'000;
    int body_timeout_ms = 10'000;
};

class RestServer {
public:
    // Binds and starts serving on threads of its own. Throws Error: InvalidArgument for a
    // non-loopback host without a token (R190) or bad options, Io when the address cannot be
    // bound. The cloud must outlive the server (or at least its stop()).
    RestServer(Cloud &cloud, RestServerOptions options,
               std::shared_ptr<LoginSessions> sessions = nullptr);
    ~RestServer();
    RestServer(const RestServer &) = delete;
    RestServer &operator=(const RestServer &) = delete;

    int port() const { return port_; }
    const std::string &host() const { return options_.host; }

    // Ends event streams and requests in flight, stops listening, joins every thread.
    // Idempotent; after it the server no longer touches the cloud.
    void stop();

    struct Impl;

private:
    RestServerOptions options_;
    std::unique_ptr<RestApi> api_;
    std::unique_ptr<Impl> impl_;
    int port_ = 0;
    std::mutex stop_mutex_;
};

}  // namespace elizacloud
