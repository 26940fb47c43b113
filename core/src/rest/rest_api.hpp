// The local REST API /api/cloud/* (SPEC §3, seeds 000/001, R35–R109) as a dispatcher that any
// HTTP server can mount: (method, path+query, headers, body) → (status, headers, JSON body).
// The standalone server (rest_server.hpp) and the C ABI (ec_cloud_rest_dispatch) both use it.
//
// Order of checks: paths outside /api/cloud/ are not ours (handled = false, 404) — except the
// dashboard's "/" and "/dashboard/<file>" when RestOptions::dashboard is on; then the Host
// allow-list (403), the Origin allow-list (403), CORS preflight (204), the bearer token (401), the
// 1 MiB body cap (413), the route table — exact paths only (404, 405) — and the route itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "net/engine.hpp"
#include "rest/rest_chat_streams.hpp"
#include "rest/rest_events.hpp"
#include "rest/rest_login_sessions.hpp"

namespace elizacloud {

class Cloud;
struct Request;

inline constexpr size_t kRestMaxBodyBytes = 1024 * 1024;

struct RestOptions {
    std::string token;                         // "" = no authentication
    std::vector<std::string> allowed_hosts;    // Host names accepted besides the loopback ones
    std::vector<std::string> allowed_origins;  // Origins accepted besides the loopback ones
    int64_t login_session_ttl_ms = 600'000;    // the cloud's own session lifetime
    int login_request_timeout_ms = 10'000;     // session create and each status poll (R40, R48)
    size_t max_event_streams = 16;             // and as many chat streams
    // Also answer GET "/" and "/dashboard/<file>" with the web dashboard (the standalone
    // server does; a host mounting the dispatcher serves its own pages).
    bool dashboard = false;
};

// A chat message of POST /api/cloud/chat[/stream].
struct RestChat {
    std::string text;
    std::string agent_id;  // "" = the connected agent
};

struct RestRequest {
    std::string method;
    std::string target;  // path, optionally followed by ?query
    Headers headers;
    std::string body;
};

// What a response did to the stored credentials, so a host can update its environment
// (ELIZAOS_CLOUD_API_KEY / ELIZAOS_CLOUD_ENABLED) the way SPEC §2.1 asks.
enum class CredentialsChange { None = 0, Stored = 1, Removed = 2 };

struct RestResponse {
    int status = 200;
    Headers headers;
    std::string body;
    bool handled = true;  // false: the path is not under /api/cloud/
    CredentialsChange credentials = CredentialsChange::None;
    std::shared_ptr<RestStream> stream;  // events: the rest of the body, pulled as it comes
};

class RestApi {
public:
    // The cloud must outlive this object. sessions may be shared between dispatchers of one
    // cloud (a mounted dispatcher and a server); null = a table of its own.
    RestApi(Cloud &cloud, RestOptions options, std::shared_ptr<LoginSessions> sessions = nullptr);
    ~RestApi();
    RestApi(const RestApi &) = delete;
    RestApi &operator=(const RestApi &) = delete;

    // [any thread but the cloud's callbacks and its I/O thread] Answers one request; blocks
    // while the cloud works (a connect follows the provisioning job). Request problems are
    // responses, never exceptions.
    RestResponse dispatch(const RestRequest &request);

    // Ends the requests in flight (they answer 503), closes the event streams and answers 503 to
    // every later request. For a server that is stopping.
    void shutdown();

private:
    struct Route;
    RestResponse route(const RestRequest &request, std::string_view path, std::string_view query);

    RestResponse login();
    RestResponse login_status(std::string_view query);
    RestResponse status();
    RestResponse credits();
    RestResponse disconnect();
    RestResponse agents_list();
    RestResponse agents_create(const std::string &body);
    RestResponse connect(const std::string &agent_id);
    RestResponse shutdown_agent(const std::string &agent_id);
    RestResponse events();
    RestResponse chat(const std::string &body);
    RestResponse chat_stream(const std::string &body);
    RestResponse backups_list(const std::string &agent_id);
    RestResponse backups_snapshot(const std::string &agent_id);
    RestResponse backups_restore(const std::string &agent_id, const std::string &body);
    RestResponse dashboard(const RestRequest &request, std::string_view path);
    // Against DNS rebinding: 403 for a Host that is neither loopback, the bind host nor allowed.
    std::optional<RestResponse> host_refused(const RestRequest &request) const;

    // A chat's checks (key, body, a connected agent when none is named): the refusal, or
    // nullopt with target filled in.
    std::optional<RestResponse> chat_refusal(const std::string &body, RestChat &target);

    // Cloud::run() with the operation cancellable by shutdown(); timeout_ms <= 0: the
    // operation's own timeouts only.
    std::string run(Request request, int32_t timeout_ms = 0);
    bool has_key() const;

    Cloud &cloud_;
    const RestOptions options_;
    std::shared_ptr<LoginSessions> sessions_;
    RestEvents events_;

    std::mutex inflight_mutex_;
    std::set<uint64_t> operations_;  // Cloud operation ids
    bool closing_ = false;
    // Last: its threads are joined first, while everything they use is still there.
    RestChatStreams chat_streams_;
};

}  // namespace elizacloud
