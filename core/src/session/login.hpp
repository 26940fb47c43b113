// Browser login (SPEC §2.1, R1–R26, C§1): create a CLI session, hand the host the browser URL,
// poll the session until the browser completes it, then learn who the new key belongs to from
// GET /api/v1/user. The session id used for the URL and the polls is always the one the cloud
// answered: today's cloud mints its own and ignores the client's random UUID, which an older
// cloud echoes. Runs on engine timers, never blocks the I/O thread, and can
// be cancelled at any moment. Messages are the reference's (R6–R26) so hosts and tests can rely
// on them; unlike the reference a 2xx "expired" body is terminal (G13).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/cloud_client.hpp"
#include "net/base_url.hpp"
#include "net/engine.hpp"
#include "net/operation.hpp"

namespace elizacloud {

struct LoginOptions {
    int poll_interval_ms = 2'000;
    int request_timeout_ms = 10'000;  // create, each poll, and the identity call
    int timeout_ms = 300'000;         // from session creation to the key
};

struct LoginResult {
    std::string api_key;     // secret: never logged
    std::string key_prefix;  // the cloud's keyPrefix, else the key's first 12 characters
    std::optional<std::string> expires_at;  // the key's expiry; null for CLI keys
    std::string user_id;                    // from GET /api/v1/user; empty if that call failed
    std::string organization_id;
    ErrorInfo identity_error;  // why user_id is empty; the key is still good
    // The CLI session: the one that handed the key out (to revoke it later); set as soon as it
    // exists, so a login that ends early still names it.
    std::string session_id;

    // {"apiKey","keyPrefix","expiresAt","userId","organizationId"} (userId/organizationId null
    // when unknown). Contains the key: for the host, never for logs.
    std::string to_json() const;
};

struct LoginCallbacks {
    // The page the user must open. Runs on the I/O thread; must not block.
    std::function<void(const std::string &browser_url)> on_browser_url;
    // Every poll's outcome: the body's status ("pending", "authenticated"…) or "error" for a
    // transient server failure. Runs on the I/O thread.
    std::function<void(const std::string &status)> on_poll_status;
};

using LoginDone = std::function<void(ErrorInfo &&error, LoginResult &&result)>;

// What one poll answer means (shared with the local REST API's login-status route).
struct LoginPollOutcome {
    enum class Kind { Pending, Authenticated, Transient, Failed } kind = Kind::Pending;
    std::string status;   // the body's status, or "error" for Transient
    ErrorInfo error;      // Failed: the terminal error
    std::string api_key;  // Authenticated
    std::string key_prefix;
    std::optional<std::string> expires_at;
};
// request_timeout_ms is the timeout that request actually used (it appears in R21's message).
// Besides the reference's answers: 400 (the cloud refuses the id's format) fails with
// InvalidRequest and 410 (the key can no longer be handed out) with LoginExpired.
LoginPollOutcome interpret_login_poll(const HttpResponse &response, int request_timeout_ms);
// Ok when the session was created, with session_id set to the id the cloud answered (a UUID;
// anything else fails with Protocol: the id goes into a URL path); else the R6/R8/R9/R10 error.
ErrorInfo interpret_login_create(const HttpResponse &response, int request_timeout_ms,
                                 std::string &session_id);

class CloudLogin {
public:
    CloudLogin(std::shared_ptr<Engine> engine, BaseUrl base, LoginOptions options = {});
    // Cancels any login in progress and waits for its completion (off the I/O thread).
    ~CloudLogin();
    CloudLogin(const CloudLogin &) = delete;
    CloudLogin &operator=(const CloudLogin &) = delete;

    // [any thread] Starts a login; done runs once on the I/O thread with Ok and the result, or
    // the error (Cancelled after cancel()).
    OperationId start_async(LoginCallbacks callbacks, LoginDone done);
    // One step of a login that the host drives itself (the local REST API, a host's own UI).
    // [any thread] Creates a session; done runs on the I/O thread with Ok and the session id
    // the cloud answered (see interpret_login_create), or the error.
    using SessionCreated = std::function<void(ErrorInfo &&error, std::string &&session_id)>;
    OperationId create_session_async(SessionCreated done);
    // [any thread] Polls session_id once; done runs on the I/O thread with what the answer means
    // (Failed with Cancelled after cancel()).
    using SessionPolled = std::function<void(LoginPollOutcome &&outcome)>;
    OperationId poll_session_async(const std::string &session_id, SessionPolled done);
    // The page where the user completes session_id's login.
    std::string browser_url(const std::string &session_id) const;
    // [any thread] Revokes the key session_id handed out (E§1.5: DELETE with the key as Bearer;
    // the eliza generation). Ok on 204; a cloud without the route (404, 405) fails with
    // NotFound. done runs on the I/O thread; the key appears in no log or error.
    using Revoked = std::function<void(ErrorInfo &&error)>;
    OperationId revoke_async(const std::string &session_id, const std::string &api_key,
                             Revoked done);

    // [any thread] Ends that login (or step) promptly with Cancelled.
    void cancel(OperationId id);
    // [any thread] Cancels every login and step of this object (logout).
    void cancel_all();

private:
    struct Flow;  // login.cpp
    OperationId start(LoginCallbacks callbacks, std::shared_ptr<LoginResult> result,
                      OpCallback done);

    BaseUrl base_;
    LoginOptions options_;
    OperationSet ops_;  // last: cancelled and drained before the fields above go
};

}  // namespace elizacloud
