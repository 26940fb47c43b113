#include "session/login.hpp"

#include <algorithm>
#include <utility>

#include "api/cloud_errors.hpp"
#include "util/json.hpp"
#include "util/log.hpp"
#include "util/uuid.hpp"

namespace elizacloud {
namespace {

constexpr const char *kExpiredMessage = "Auth session expired or not found. Please try again.";
constexpr const char *kAlreadyRetrievedMessage =
    "Auth session was completed but the API key was already retrieved. Please try logging in "
    "again.";

std::string overall_timeout_message(int timeout_ms) {
    // Math.round(timeoutMs / 1000), as the reference prints it (R26).
    return "Cloud login timed out. The browser login was not completed within " +
           std::to_string((std::max(timeout_ms, 0) + 500) / 1000) + " seconds.";
}

ErrorInfo with_message(ErrorInfo info, std::string message) {
    info.message = std::move(message);
    return info;
}

template <typename Callback, typename... Args>
void notify(const Callback &callback, const char *what, Args &&...args) {
    if (!callback) return;
    try {
        callback(std::forward<Args>(args)...);
    } catch (const std::exception &e) {
        log::warn("login {} callback threw: {}", what, e.what());
    }
}

HttpRequest login_request(std::string method, std::string url, int timeout_ms) {
    HttpRequest request;
    request.method = std::move(method);
    request.url = std::move(url);
    request.headers = {{"Accept", "application/json"}};
    request.total_timeout_ms = timeout_ms;
    return request;
}

HttpRequest create_session_request(const BaseUrl &base, int timeout_ms) {
    // An older cloud requires a client id and echoes it; today's ignores it and mints one.
    HttpRequest request =
        login_request("POST", base.site_url + "/api/auth/cli-session", timeout_ms);
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = R"({"sessionId":)" + json::quote(uuid_v4()) + "}";
    return request;
}

// The page where the user completes the session's login.
std::string login_page(const BaseUrl &base, const std::string &session_id) {
    const std::string &site = base.browser_url.empty() ? base.site_url : base.browser_url;
    return site + "/auth/cli-login?session=" + encode_query_value(session_id);
}

HttpRequest poll_session_request(const BaseUrl &base, const std::string &session_id,
                                 int timeout_ms) {
    return login_request("GET",
                         base.site_url + "/api/auth/cli-session/" + encode_path_segment(session_id),
                         timeout_ms);
}

}  // namespace

ErrorInfo interpret_login_create(const HttpResponse &response, int request_timeout_ms,
                                 std::string &session_id) {
    session_id.clear();
    const ErrorInfo &transport = response.error;
    switch (transport.status) {
        case Status::Ok:
            break;
        case Status::Timeout:
            return with_message(transport,
                                "Cloud login request timed out while creating session (>" +
                                    std::to_string(request_timeout_ms) + "ms).");
        case Status::RedirectRefused:
            return with_message(transport,
                                "Cloud login request was redirected; redirects are not allowed.");
        case Status::Cancelled:
            return transport;
        default:
            return with_message(transport, "Failed to create auth session: " + transport.message);
    }
    if (response.http_status >= 200 && response.http_status < 300) {
        // The id to poll is the cloud's: today's cloud ignores the one the client sent.
        json::Document doc;
        std::string id;
        if (json::parse(response.body, doc) && doc.IsObject())
            id = json::get_string(doc, "sessionId").value_or("");
        if (!is_uuid(id)) {
            ErrorInfo error = ErrorInfo::make(
                Status::Protocol, "Failed to create auth session: the cloud's answer (HTTP " +
                                      std::to_string(response.http_status) +
                                      ") carries no valid session id.");
            error.http_status = response.http_status;
            return error;
        }
        session_id = std::move(id);
        return {};
    }
    ErrorInfo error = error_from_response(response, ErrorFamily::Bare);
    error.message = "Failed to create auth session (HTTP " + std::to_string(response.http_status) +
                    "): " + error.message;
    return error;
}

LoginPollOutcome interpret_login_poll(const HttpResponse &response, int request_timeout_ms) {
    using Kind = LoginPollOutcome::Kind;
    LoginPollOutcome out;
    auto failed = [&](ErrorInfo error) {
        out.kind = Kind::Failed;
        out.error = std::move(error);
        return out;
    };
    const ErrorInfo &transport = response.error;
    switch (transport.status) {
        case Status::Ok:
            break;
        case Status::Timeout:
            return failed(with_message(transport, "Cloud login polling request timed out (>" +
                                                      std::to_string(request_timeout_ms) + "ms)."));
        case Status::RedirectRefused:
            return failed(with_message(
                transport,
                "Cloud login polling request was redirected; redirects are not allowed."));
        case Status::Cancelled:
            return failed(transport);
        default:
            return failed(
                with_message(transport, "Cloud login polling failed: " + transport.message));
    }
    int code = response.http_status;
    if (code == 404) {
        ErrorInfo error = ErrorInfo::make(Status::LoginExpired, kExpiredMessage);
        error.http_status = 404;
        return failed(std::move(error));
    }
    if (code == 400) {
        // Today's cloud checks the id's format; retrying the same id cannot help.
        ErrorInfo error = error_from_response(response, ErrorFamily::Bare);
        error.status = Status::InvalidRequest;
        error.message =
            "Cloud login failed: the cloud refused the session id (HTTP 400: " + error.message +
            "). Please try logging in again.";
        return failed(std::move(error));
    }
    if (code == 410) {
        // "API key unavailable: <reason>" (expired, revoked, not-authenticated): this session
        // will never hand out a key.
        ErrorInfo error = error_from_response(response, ErrorFamily::Bare);
        error.status = Status::LoginExpired;
        error.message =
            "Cloud login failed: the API key of this session is no longer available "
            "(HTTP 410: " +
            error.message + "). Please try logging in again.";
        return failed(std::move(error));
    }
    if (code < 200 || code >= 300) {
        // 5xx and other statuses are transient: the read replica may lag, the server may
        // hiccup; the overall deadline still bounds the wait (R20).
        out.kind = Kind::Transient;
        out.status = "error";
        out.error = error_from_response(response, ErrorFamily::Bare);
        return out;
    }
    json::Document doc;
    std::string detail;
    if (!json::parse(response.body, doc, &detail) || !doc.IsObject()) {
        ErrorInfo error = ErrorInfo::make(
            Status::Protocol,
            bounded_message("Malformed JSON in the cloud login poll response" +
                            (detail.empty() ? std::string(" (not an object)") : ": " + detail)));
        error.http_status = code;
        return failed(std::move(error));
    }
    out.status = json::get_string(doc, "status").value_or("");
    if (out.status == "authenticated") {
        std::string key = json::get_string(doc, "apiKey").value_or("");
        if (key.empty()) {
            ErrorInfo error =
                ErrorInfo::make(Status::KeyAlreadyRetrieved, kAlreadyRetrievedMessage);
            error.http_status = code;
            return failed(std::move(error));
        }
        out.kind = Kind::Authenticated;
        out.api_key = std::move(key);
        out.key_prefix = json::get_string(doc, "keyPrefix").value_or("");
        if (out.key_prefix.empty()) out.key_prefix = out.api_key.substr(0, 12);
        out.expires_at = json::get_string(doc, "expiresAt");
        return out;
    }
    if (out.status == "expired") {
        // Terminal, unlike the reference (G13): the key can no longer be collected.
        ErrorInfo error = ErrorInfo::make(Status::LoginExpired, kExpiredMessage);
        error.http_status = code;
        return failed(std::move(error));
    }
    out.kind = Kind::Pending;  // "pending" and unknown statuses keep polling (R24)
    return out;
}

std::string LoginResult::to_json() const {
    json::Document doc;
    doc.SetObject();
    auto &alloc = doc.GetAllocator();
    auto text_or_null = [&](const std::string &text) {
        return text.empty() ? json::Value() : json::string_value(text, alloc);
    };
    json::set(doc, "apiKey", json::string_value(api_key, alloc), alloc);
    json::set(doc, "keyPrefix", json::string_value(key_prefix, alloc), alloc);
    json::set(doc, "expiresAt", expires_at ? json::string_value(*expires_at, alloc) : json::Value(),
              alloc);
    json::set(doc, "userId", text_or_null(user_id), alloc);
    json::set(doc, "organizationId", text_or_null(organization_id), alloc);
    return json::stringify(doc);
}

// One login attempt. Every method runs on the I/O thread inside the operation's callbacks.
struct CloudLogin::Flow : std::enable_shared_from_this<Flow> {
    const BaseUrl *base;  // valid: the CloudLogin waits for its operations
    const LoginOptions *options;
    LoginCallbacks callbacks;
    std::shared_ptr<LoginResult> result;
    Operation *op = nullptr;
    std::string session_id;
    int64_t deadline_ms = 0;

    int64_t now() const { return op->engine().clock().now_ms(); }

    void create() {
        log::debug("cloud login: creating a session");
        auto self = shared_from_this();
        op->request(create_session_request(*base, options->request_timeout_ms),
                    [self](HttpResponse &&r) { self->on_created(std::move(r)); });
    }

    void on_created(HttpResponse &&response) {
        ErrorInfo error = interpret_login_create(response, options->request_timeout_ms, session_id);
        if (!error.ok()) return op->fail(std::move(error));
        result->session_id = session_id;  // known to the caller even if the login ends early
        log::debug("cloud login: session {} created", session_id);
        std::string url = login_page(*base, session_id);
        log::info("cloud login: waiting for the browser login to be completed");
        log::debug("cloud login: browser URL {}", url);  // carries the session id: debug only
        deadline_ms = now() + options->timeout_ms;
        // The overall deadline also cuts a poll in flight, so the limit holds to the millisecond.
        op->set_deadline(
            options->timeout_ms,
            ErrorInfo::make(Status::Timeout, overall_timeout_message(options->timeout_ms)));
        notify(callbacks.on_browser_url, "browser URL", url);
        schedule_poll();
    }

    void schedule_poll() {
        int64_t remaining = deadline_ms - now();
        if (remaining <= 0) {
            return op->fail(
                ErrorInfo::make(Status::Timeout, overall_timeout_message(options->timeout_ms)));
        }
        // The first poll comes one interval after creation, never at once (R13).
        auto self = shared_from_this();
        op->after(std::min<int64_t>(options->poll_interval_ms, remaining),
                  [self] { self->poll(); });
    }

    void poll() {
        int64_t remaining = deadline_ms - now();
        if (remaining <= 0) {
            return op->fail(
                ErrorInfo::make(Status::Timeout, overall_timeout_message(options->timeout_ms)));
        }
        int timeout = static_cast<int>(std::min<int64_t>(options->request_timeout_ms, remaining));
        auto self = shared_from_this();
        op->request(poll_session_request(*base, session_id, timeout),
                    [self, timeout](HttpResponse &&r) { self->on_poll(std::move(r), timeout); });
    }

    void on_poll(HttpResponse &&response, int timeout_used) {
        using Kind = LoginPollOutcome::Kind;
        LoginPollOutcome outcome = interpret_login_poll(response, timeout_used);
        switch (outcome.kind) {
            case Kind::Failed:
                if (outcome.error.status == Status::Timeout && now() >= deadline_ms) {
                    // The poll ran out because the whole login did: say so (R26).
                    outcome.error.message = overall_timeout_message(options->timeout_ms);
                }
                return op->fail(std::move(outcome.error));
            case Kind::Transient:
                log::debug("cloud login: transient poll failure: {}", outcome.error.message);
                notify(callbacks.on_poll_status, "poll status", outcome.status);
                return schedule_poll();
            case Kind::Pending:
                notify(callbacks.on_poll_status, "poll status", outcome.status);
                return schedule_poll();
            case Kind::Authenticated:
                notify(callbacks.on_poll_status, "poll status", outcome.status);
                return on_key(std::move(outcome));
        }
    }

    void on_key(LoginPollOutcome &&outcome) {
        // The key was handed out once and only once: from here nothing may lose it, so the
        // overall deadline no longer applies and an identity failure is not a login failure.
        op->clear_deadline();
        result->api_key = std::move(outcome.api_key);
        result->key_prefix = std::move(outcome.key_prefix);
        result->expires_at = std::move(outcome.expires_at);
        result->session_id = session_id;
        log::info("cloud login: received API key {}…", result->key_prefix);
        HttpRequest request =
            login_request("GET", base->api_url + "/user", options->request_timeout_ms);
        request.headers.emplace_back("X-API-Key", result->api_key);
        auto self = shared_from_this();
        op->request(std::move(request),
                    [self](HttpResponse &&r) { self->on_identity(std::move(r)); });
    }

    void on_identity(HttpResponse &&response) {
        json::Document doc;
        ErrorInfo error = parse_cloud_envelope(response, doc);
        if (error.ok()) {
            const json::Value *data = json::member(doc, "data");
            try {
                Identity identity =
                    identity_from_json(data ? json::stringify(*data) : std::string("null"));
                result->user_id = identity.user_id;
                result->organization_id = identity.organization_id;
            } catch (const Error &e) {
                error = e.info();
            }
        }
        if (!error.ok()) {
            log::warn("cloud login: key received but identity lookup failed: {}", error.message);
            result->identity_error = std::move(error);
        }
        op->succeed({});
    }
};

CloudLogin::CloudLogin(std::shared_ptr<Engine> engine, BaseUrl base, LoginOptions options)
    : base_(std::move(base)), options_(options), ops_(std::move(engine)) {
    if (base_.site_url.empty()) throw Error(Status::InvalidArgument, "base URL not set");
}

CloudLogin::~CloudLogin() = default;

OperationId CloudLogin::start(LoginCallbacks callbacks, std::shared_ptr<LoginResult> result,
                              OpCallback done) {
    auto flow = std::make_shared<Flow>();
    flow->base = &base_;
    flow->options = &options_;
    flow->callbacks = std::move(callbacks);
    flow->result = std::move(result);
    auto finish = [done = std::move(done)](OpResult &&r) {
        if (r.error.status == Status::Cancelled) r.error.message = "Cloud login cancelled.";
        if (done) done(std::move(r));
    };
    return ops_.start(std::move(finish), [flow](Operation &op) {
        flow->op = &op;
        flow->create();
    });
}

OperationId CloudLogin::start_async(LoginCallbacks callbacks, LoginDone done) {
    auto result = std::make_shared<LoginResult>();
    return start(std::move(callbacks), result, [result, done = std::move(done)](OpResult &&r) {
        if (done) done(std::move(r.error), std::move(*result));
    });
}

OperationId CloudLogin::create_session_async(SessionCreated done) {
    auto session_id = std::make_shared<std::string>();
    const int timeout = options_.request_timeout_ms;
    return ops_.start(
        [session_id, done = std::move(done)](OpResult &&r) {
            if (done) done(std::move(r.error), std::move(*session_id));
        },
        [this, session_id, timeout](Operation &op) {
            op.request(create_session_request(base_, timeout),
                       [&op, session_id, timeout](HttpResponse &&response) {
                           ErrorInfo error = interpret_login_create(response, timeout, *session_id);
                           if (!error.ok()) return op.fail(std::move(error));
                           op.succeed({});
                       });
        });
}

OperationId CloudLogin::poll_session_async(const std::string &session_id, SessionPolled done) {
    auto outcome = std::make_shared<std::optional<LoginPollOutcome>>();
    const int timeout = options_.request_timeout_ms;
    return ops_.start(
        [outcome, done = std::move(done)](OpResult &&r) {
            if (!*outcome) {  // cancelled (or failed) before the answer came
                LoginPollOutcome failed;
                failed.kind = LoginPollOutcome::Kind::Failed;
                failed.error = std::move(r.error);
                *outcome = std::move(failed);
            }
            if (done) done(std::move(**outcome));
        },
        [this, outcome, session_id, timeout](Operation &op) {
            op.request(poll_session_request(base_, session_id, timeout),
                       [&op, outcome, timeout](HttpResponse &&response) {
                           *outcome = interpret_login_poll(response, timeout);
                           op.succeed({});
                       });
        });
}

std::string CloudLogin::browser_url(const std::string &session_id) const {
    return login_page(base_, session_id);
}

OperationId CloudLogin::revoke_async(const std::string &session_id, const std::string &api_key,
                                     Revoked done) {
    if (!is_uuid(session_id)) throw Error(Status::InvalidArgument, "session id must be a UUID");
    HttpRequest request = login_request(
        "DELETE", base_.site_url + "/api/auth/cli-session/" + encode_path_segment(session_id),
        options_.request_timeout_ms);
    request.headers.emplace_back("Authorization", "Bearer " + api_key);
    return ops_.start(
        [done = std::move(done)](OpResult &&r) {
            if (done) done(std::move(r.error));
        },
        [request = std::move(request)](Operation &op) {
            op.request(request, [&op](HttpResponse &&response) {
                ErrorInfo error = error_from_response(response, ErrorFamily::Bare);
                if (!error.ok()) return op.fail(std::move(error));
                op.succeed({});
            });
        });
}

void CloudLogin::cancel(OperationId id) {
    ops_.cancel(id);
}

void CloudLogin::cancel_all() {
    ops_.cancel_all();
}

}  // namespace elizacloud
