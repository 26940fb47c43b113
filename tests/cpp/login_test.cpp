// The browser login flow against the emulator (R1–R26 messages), plus the pure interpretation of
// single create/poll answers.
#include "session/login.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "blocking_login.hpp"
#include "cloud_test_env.hpp"
#include "handle/account.hpp"

namespace elizacloud {
namespace {

constexpr const char *kExpired = "Auth session expired or not found. Please try again.";
constexpr const char *kAlreadyRetrieved =
    "Auth session was completed but the API key was already retrieved. Please try logging in "
    "again.";

// Records what a login reports, so the test thread can react to it.
struct Recorder {
    std::mutex mutex;
    std::condition_variable cv;
    std::string browser_url;
    std::vector<std::string> statuses;

    LoginCallbacks callbacks() {
        LoginCallbacks c;
        c.on_browser_url = [this](const std::string &url) {
            std::lock_guard<std::mutex> lock(mutex);
            browser_url = url;
            cv.notify_all();
        };
        c.on_poll_status = [this](const std::string &status) {
            std::lock_guard<std::mutex> lock(mutex);
            statuses.push_back(status);
            cv.notify_all();
        };
        return c;
    }

    std::string wait_session_id() {
        std::unique_lock<std::mutex> lock(mutex);
        cv.wait_for(lock, std::chrono::seconds(10), [&] { return !browser_url.empty(); });
        auto at = browser_url.find("session=");
        return at == std::string::npos ? "" : browser_url.substr(at + 8);
    }

    void wait_statuses(size_t count) {
        std::unique_lock<std::mutex> lock(mutex);
        cv.wait_for(lock, std::chrono::seconds(10), [&] { return statuses.size() >= count; });
    }
};

class LoginTest : public test::EmulatorSuite<LoginTest> {
public:
    static std::vector<std::string> emulator_flags() { return {}; }

protected:
    void SetUp() override {
        EmulatorSuite::SetUp();
        options_.poll_interval_ms = 50;
        options_.request_timeout_ms = 2'000;
        options_.timeout_ms = 10'000;
    }

    std::unique_ptr<CloudLogin> make_login() {
        return std::make_unique<CloudLogin>(engine_, test::emulator_base(*emulator_), options_);
    }

    static ErrorInfo error_of(CloudLogin &login, LoginCallbacks callbacks = {}) {
        return test::error_of([&] { test::run_login(login, std::move(callbacks)); });
    }

    LoginOptions options_;
};

TEST_F(LoginTest, SucceedsAfterPendingPolls) {
    auto login = make_login();
    Recorder recorder;
    std::future<LoginResult> result = std::async(
        std::launch::async, [&] { return test::run_login(*login, recorder.callbacks()); });
    std::string session = recorder.wait_session_id();
    ASSERT_EQ(session.size(), 36u);
    EXPECT_EQ(recorder.browser_url, emulator_->url() + "/auth/cli-login?session=" + session);
    recorder.wait_statuses(2);
    auto approved = emulator_->control("POST", "/__emulator/sessions/" + session + "/approve");
    ASSERT_EQ(approved.status, 200);

    LoginResult r = result.get();
    EXPECT_EQ(r.api_key.rfind("eliza_", 0), 0u);
    EXPECT_EQ(r.api_key.size(), 70u);
    EXPECT_EQ(r.key_prefix, r.api_key.substr(0, 12));
    EXPECT_FALSE(r.expires_at.has_value());
    EXPECT_EQ(r.user_id, "00000000-0000-4000-8000-000000000001");
    EXPECT_EQ(r.organization_id, "00000000-0000-4000-8000-0000000000a1");
    EXPECT_TRUE(r.identity_error.ok());
    ASSERT_GE(recorder.statuses.size(), 3u);
    EXPECT_EQ(recorder.statuses.front(), "pending");
    EXPECT_EQ(recorder.statuses.back(), "authenticated");
    EXPECT_NE(r.to_json().find(r.api_key), std::string::npos);
}

TEST_F(LoginTest, FirstPollComesOneIntervalAfterCreation) {
    emulator_->control("POST", "/__emulator/config", R"({"autoApprove":true})");
    options_.poll_interval_ms = 400;
    auto login = make_login();
    auto start = std::chrono::steady_clock::now();
    LoginResult r = test::run_login(*login);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(400));
    EXPECT_FALSE(r.api_key.empty());
}

TEST_F(LoginTest, KeyAlreadyRetrieved) {
    options_.poll_interval_ms = 500;
    auto login = make_login();
    Recorder recorder;
    std::future<ErrorInfo> result =
        std::async(std::launch::async, [&] { return error_of(*login, recorder.callbacks()); });
    std::string session = recorder.wait_session_id();
    emulator_->control("POST", "/__emulator/sessions/" + session + "/approve");
    // Someone else collects the key before our first poll.
    auto stolen = emulator_->request("GET", "/api/auth/cli-session/" + session);
    ASSERT_NE(stolen.body.find("apiKey"), std::string::npos);
    ErrorInfo error = result.get();
    EXPECT_EQ(error.status, Status::KeyAlreadyRetrieved);
    EXPECT_EQ(error.message, kAlreadyRetrieved);
}

TEST_F(LoginTest, ExpiredSessionIs404LoginExpired) {
    emulator_->control("POST", "/__emulator/config", R"({"sessionTtlMs":200})");
    auto login = make_login();
    ErrorInfo error = error_of(*login);
    EXPECT_EQ(error.status, Status::LoginExpired);
    EXPECT_EQ(error.message, kExpired);
}

TEST_F(LoginTest, ExpiredStatusInA2xxBodyIsTerminal) {
    emulator_->fault(R"({"method":"GET","path":"/api/auth/cli-session/*","action":"status",
        "status":200,"body":{"status":"expired"}})");
    auto login = make_login();
    ErrorInfo error = error_of(*login);
    EXPECT_EQ(error.status, Status::LoginExpired);
    EXPECT_EQ(error.message, kExpired);
}

TEST_F(LoginTest, ServerErrorsWhilePollingAreTransient) {
    emulator_->control("POST", "/__emulator/config", R"({"autoApprove":true})");
    emulator_->fault(R"({"method":"GET","path":"/api/auth/cli-session/*","action":"status",
        "status":503,"times":2})");
    auto login = make_login();
    Recorder recorder;
    LoginResult r = test::run_login(*login, recorder.callbacks());
    EXPECT_FALSE(r.api_key.empty());
    std::vector<std::string> expected{"error", "error", "authenticated"};
    EXPECT_EQ(recorder.statuses, expected);
}

TEST_F(LoginTest, RedirectOnCreateIsRefused) {
    emulator_->fault(R"({"method":"POST","path":"/api/auth/cli-session","action":"redirect",
        "location":"https://evil.example"})");
    auto login = make_login();
    ErrorInfo error = error_of(*login);
    EXPECT_EQ(error.status, Status::RedirectRefused);
    EXPECT_EQ(error.message, "Cloud login request was redirected; redirects are not allowed.");
}

TEST_F(LoginTest, RedirectOnPollIsRefused) {
    emulator_->fault(R"({"method":"GET","path":"/api/auth/cli-session/*","action":"redirect",
        "status":307,"location":"https://evil.example"})");
    auto login = make_login();
    ErrorInfo error = error_of(*login);
    EXPECT_EQ(error.status, Status::RedirectRefused);
    EXPECT_EQ(error.message,
              "Cloud login polling request was redirected; redirects are not allowed.");
}

TEST_F(LoginTest, CreateFailureCarriesStatusAndBoundedMessage) {
    emulator_->fault(R"({"method":"POST","path":"/api/auth/cli-session","action":"status",
        "status":500,"body":{"error":"Failed to create authentication session"}})");
    auto login = make_login();
    ErrorInfo error = error_of(*login);
    EXPECT_EQ(error.status, Status::Server);
    EXPECT_EQ(error.message,
              "Failed to create auth session (HTTP 500): Failed to create authentication session");
}

TEST_F(LoginTest, CreateTimeout) {
    options_.request_timeout_ms = 200;
    emulator_->fault(R"({"method":"POST","path":"/api/auth/cli-session","action":"delay",
        "delayMs":2000})");
    auto login = make_login();
    ErrorInfo error = error_of(*login);
    EXPECT_EQ(error.status, Status::Timeout);
    EXPECT_EQ(error.message, "Cloud login request timed out while creating session (>200ms).");
}

TEST_F(LoginTest, PollRequestTimeout) {
    options_.request_timeout_ms = 200;
    emulator_->fault(R"({"method":"GET","path":"/api/auth/cli-session/*","action":"delay",
        "delayMs":2000})");
    auto login = make_login();
    ErrorInfo error = error_of(*login);
    EXPECT_EQ(error.status, Status::Timeout);
    EXPECT_EQ(error.message, "Cloud login polling request timed out (>200ms).");
}

TEST_F(LoginTest, OverallTimeout) {
    options_.timeout_ms = 500;
    auto login = make_login();
    auto start = std::chrono::steady_clock::now();
    ErrorInfo error = error_of(*login);
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(error.status, Status::Timeout);
    EXPECT_EQ(error.message,
              "Cloud login timed out. The browser login was not completed within 1 seconds.");
    EXPECT_GE(took, std::chrono::milliseconds(500));
    EXPECT_LT(took, std::chrono::milliseconds(2500));
}

TEST_F(LoginTest, OverallTimeoutCutsAPollInFlight) {
    options_.timeout_ms = 400;
    options_.request_timeout_ms = 5'000;
    emulator_->fault(R"({"method":"GET","path":"/api/auth/cli-session/*","action":"delay",
        "delayMs":3000})");
    auto login = make_login();
    auto start = std::chrono::steady_clock::now();
    ErrorInfo error = error_of(*login);
    EXPECT_EQ(error.status, Status::Timeout);
    EXPECT_EQ(error.message.rfind("Cloud login timed out", 0), 0u) << error.message;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2000));
}

TEST_F(LoginTest, MalformedPollBodyIsProtocol) {
    emulator_->fault(R"({"method":"GET","path":"/api/auth/cli-session/*","action":"malformed"})");
    auto login = make_login();
    EXPECT_EQ(error_of(*login).status, Status::Protocol);
}

TEST_F(LoginTest, CancelReturnsPromptlyWhileWaiting) {
    options_.poll_interval_ms = 5'000;
    auto login = make_login();
    Recorder recorder;
    std::promise<ErrorInfo> done;
    OperationId id = login->start_async(recorder.callbacks(),
                                        [&](ErrorInfo &&e, LoginResult &&) { done.set_value(e); });
    recorder.wait_session_id();
    auto start = std::chrono::steady_clock::now();
    login->cancel(id);
    auto future = done.get_future();
    ASSERT_EQ(future.wait_for(std::chrono::seconds(1)), std::future_status::ready);
    ErrorInfo error = future.get();
    EXPECT_EQ(error.status, Status::Cancelled);
    EXPECT_EQ(error.message, "Cloud login cancelled.");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST_F(LoginTest, CancelInterruptsAPollInFlightAndASyncRun) {
    emulator_->fault(R"({"method":"GET","path":"/api/auth/cli-session/*","action":"delay",
        "delayMs":5000})");
    auto login = make_login();
    Recorder recorder;
    std::future<ErrorInfo> result =
        std::async(std::launch::async, [&] { return error_of(*login, recorder.callbacks()); });
    recorder.wait_session_id();
    std::this_thread::sleep_for(std::chrono::milliseconds(150));  // the poll is in flight
    auto start = std::chrono::steady_clock::now();
    login->cancel_all();
    ASSERT_EQ(result.wait_for(std::chrono::seconds(1)), std::future_status::ready);
    EXPECT_EQ(result.get().status, Status::Cancelled);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
}

TEST_F(LoginTest, IdentityFailureKeepsTheKey) {
    emulator_->control("POST", "/__emulator/config", R"({"autoApprove":true})");
    emulator_->fault(R"({"path":"/api/v1/user","action":"status","status":500})");
    auto login = make_login();
    LoginResult r = test::run_login(*login);
    EXPECT_FALSE(r.api_key.empty());
    EXPECT_TRUE(r.user_id.empty());
    EXPECT_EQ(r.identity_error.status, Status::Server);
}

// ---- today's cloud: the server mints the session id -------------------------------------

TEST_F(LoginTest, PollsTheSessionIdTheCloudAnswered) {
    // The emulator as today's cloud: it ignores the client's id and mints its own.
    emulator_->control("POST", "/__emulator/config", R"({"mintSessionIds":true})");
    auto login = make_login();
    Recorder recorder;
    std::future<LoginResult> result = std::async(
        std::launch::async, [&] { return test::run_login(*login, recorder.callbacks()); });
    std::string session = recorder.wait_session_id();
    ASSERT_EQ(session.size(), 36u);
    // The URL carries the id the emulator minted: it is the only session it knows.
    auto sessions = emulator_->control("GET", "/__emulator/sessions");
    EXPECT_NE(sessions.body.find(session), std::string::npos) << sessions.body;
    recorder.wait_statuses(1);
    ASSERT_EQ(emulator_->control("POST", "/__emulator/sessions/" + session + "/approve").status,
              200);
    LoginResult r = result.get();
    EXPECT_EQ(r.api_key.rfind("eliza_", 0), 0u);
    EXPECT_EQ(r.user_id, "00000000-0000-4000-8000-000000000001");
}

TEST_F(LoginTest, InvalidSessionIdAnswerIsTerminal) {
    emulator_->fault(R"({"method":"GET","path":"/api/auth/cli-session/*","action":"status",
        "status":400,"body":{"error":"Invalid session ID format"}})");
    auto login = make_login();
    ErrorInfo error = error_of(*login);
    EXPECT_EQ(error.status, Status::InvalidRequest);
    EXPECT_EQ(error.http_status, 400);
    EXPECT_EQ(error.message,
              "Cloud login failed: the cloud refused the session id (HTTP 400: Invalid session ID "
              "format). Please try logging in again.");
    EXPECT_EQ(emulator_->request_count("GET /api/auth/cli-session/{id}"), 1);  // not retried
}

TEST_F(LoginTest, KeyUnavailableAnswerIsTerminal) {
    emulator_->fault(R"({"method":"GET","path":"/api/auth/cli-session/*","action":"status",
        "status":410,"body":{"error":"API key unavailable: revoked"}})");
    auto login = make_login();
    ErrorInfo error = error_of(*login);
    EXPECT_EQ(error.status, Status::LoginExpired);
    EXPECT_EQ(error.http_status, 410);
    EXPECT_EQ(error.message,
              "Cloud login failed: the API key of this session is no longer available (HTTP 410: "
              "API key unavailable: revoked). Please try logging in again.");
    EXPECT_EQ(emulator_->request_count("GET /api/auth/cli-session/{id}"), 1);
}

TEST_F(LoginTest, SessionIdThatIsNotAUuidIsRefusedBeforeAnyPoll) {
    emulator_->fault(R"({"method":"POST","path":"/api/auth/cli-session","action":"status",
        "status":201,"body":{"sessionId":"../../api/v1/user","status":"pending"}})");
    auto login = make_login();
    Recorder recorder;
    ErrorInfo error = error_of(*login, recorder.callbacks());
    EXPECT_EQ(error.status, Status::Protocol);
    EXPECT_EQ(error.message,
              "Failed to create auth session: the cloud's answer (HTTP 201) carries no valid "
              "session id.");
    EXPECT_TRUE(recorder.browser_url.empty());
    EXPECT_EQ(emulator_->request_count("GET /api/auth/cli-session/{id}"), 0);
}

// The emulator started with --mint-session-ids, both ways of completing a login.
class MintingLoginTest : public test::EmulatorSuite<MintingLoginTest> {
public:
    static std::vector<std::string> emulator_flags() { return {"--mint-session-ids"}; }
};

TEST_F(MintingLoginTest, AutoApprovedLoginCompletes) {
    emulator_->control("POST", "/__emulator/config", R"({"autoApprove":true})");
    LoginOptions options;
    options.poll_interval_ms = 50;
    CloudLogin login(engine_, test::emulator_base(*emulator_), options);
    LoginResult r = test::run_login(login);
    EXPECT_EQ(r.api_key.rfind("eliza_", 0), 0u);
    EXPECT_EQ(r.key_prefix, r.api_key.substr(0, 12));
}

TEST_F(MintingLoginTest, BrowserApprovedLoginCompletes) {
    LoginOptions options;
    options.poll_interval_ms = 50;
    CloudLogin login(engine_, test::emulator_base(*emulator_), options);
    Recorder recorder;
    std::future<LoginResult> result = std::async(
        std::launch::async, [&] { return test::run_login(login, recorder.callbacks()); });
    std::string session = recorder.wait_session_id();
    ASSERT_EQ(session.size(), 36u);
    // What the browser page's Approve button posts.
    auto approved =
        emulator_->request("POST", "/__emulator/cli-login/approve", "session=" + session);
    ASSERT_EQ(approved.status, 200) << approved.body;
    EXPECT_FALSE(result.get().api_key.empty());
}

// ---- single answers ---------------------------------------------------------------------

HttpResponse answer(int status, std::string body) {
    HttpResponse r;
    r.http_status = status;
    r.body = std::move(body);
    return r;
}

TEST(LoginInterpret, PollAnswers) {
    using Kind = LoginPollOutcome::Kind;
    EXPECT_EQ(interpret_login_poll(answer(200, R"({"status":"pending"})"), 10).kind, Kind::Pending);
    EXPECT_EQ(interpret_login_poll(answer(200, R"({"status":"weird"})"), 10).kind, Kind::Pending);
    auto ok = interpret_login_poll(
        answer(200, R"({"status":"authenticated","apiKey":"eliza_test123"})"), 10);
    EXPECT_EQ(ok.kind, Kind::Authenticated);
    EXPECT_EQ(ok.key_prefix, "eliza_test12");  // derived when the cloud sends none
    EXPECT_FALSE(ok.expires_at.has_value());
    auto empty_key =
        interpret_login_poll(answer(200, R"({"status":"authenticated","apiKey":""})"), 10);
    EXPECT_EQ(empty_key.error.status, Status::KeyAlreadyRetrieved);
    EXPECT_EQ(interpret_login_poll(answer(404, "{}"), 10).error.status, Status::LoginExpired);
    auto transient = interpret_login_poll(answer(500, "oops"), 10);
    EXPECT_EQ(transient.kind, Kind::Transient);
    EXPECT_EQ(transient.status, "error");
    EXPECT_EQ(interpret_login_poll(answer(200, "null"), 10).error.status, Status::Protocol);
    auto refused =
        interpret_login_poll(answer(400, R"({"error":"Invalid session ID format"})"), 10);
    EXPECT_EQ(refused.kind, Kind::Failed);
    EXPECT_EQ(refused.error.status, Status::InvalidRequest);
    auto gone =
        interpret_login_poll(answer(410, R"({"error":"API key unavailable: expired"})"), 10);
    EXPECT_EQ(gone.kind, Kind::Failed);
    EXPECT_EQ(gone.error.status, Status::LoginExpired);
    EXPECT_NE(gone.error.message.find("API key unavailable: expired"), std::string::npos);

    HttpResponse dropped;
    dropped.error = ErrorInfo::make(Status::Network, "connection reset");
    auto failed = interpret_login_poll(dropped, 10);
    EXPECT_EQ(failed.error.status, Status::Network);
    EXPECT_EQ(failed.error.message, "Cloud login polling failed: connection reset");
}

TEST(LoginInterpret, CreateAnswers) {
    std::string id;
    const std::string minted = "6F9619FF-8B86-4011-b42d-00c04fc964ff";
    EXPECT_TRUE(
        interpret_login_create(answer(201, R"({"sessionId":")" + minted + R"("})"), 10, id).ok());
    EXPECT_EQ(id, minted);
    for (const char *body : {"{}", "not json", R"({"sessionId":42})", R"({"sessionId":""})",
                             R"({"sessionId":"6f9619ff-8b86-4011-b42d-00c04fc964f/"})",
                             R"({"sessionId":"6f9619ff-8b86-4011-b42d-00c04fc964ff?x"})"}) {
        ErrorInfo e = interpret_login_create(answer(201, body), 10, id);
        EXPECT_EQ(e.status, Status::Protocol) << body;
        EXPECT_TRUE(id.empty()) << body;
    }
    HttpResponse refused;
    refused.error = ErrorInfo::make(Status::Network, "could not connect");
    EXPECT_EQ(interpret_login_create(refused, 10, id).message,
              "Failed to create auth session: could not connect");
    ErrorInfo big = interpret_login_create(answer(500, std::string(100'000, 'x')), 10, id);
    EXPECT_EQ(big.message, "Failed to create auth session (HTTP 500): HTTP 500");
}

}  // namespace
}  // namespace elizacloud

namespace elizacloud {
namespace {

// A logout that begins while a login is in flight wins: the login's key is not adopted (neither
// in memory nor in the config file), whenever its answer arrives.
TEST_F(LoginTest, AccountAdoptsNoKeyOfALoginOlderThanALogout) {
    char dir[] = "/tmp/ec-account-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    const std::string path = std::string(dir) + "/milady.json";
    Account account(ConfigStore(path), "", false, engine_, test::emulator_base(*emulator_),
                    options_);
    LoginResult result;
    result.api_key = "ck-new-key-0123456789";
    result.key_prefix = "ck-new-key-0";

    const uint64_t before = account.logouts();
    account.begin_logout();
    const ErrorInfo refused = account.adopt(result, before);
    EXPECT_EQ(refused.status, Status::Cancelled) << refused.message;
    EXPECT_FALSE(account.has_key());
    EXPECT_FALSE(ConfigStore(path).load().present);

    EXPECT_TRUE(account.adopt(result, account.logouts()).ok());
    EXPECT_EQ(account.key(), result.api_key);
    EXPECT_TRUE(account.enabled());
    EXPECT_EQ(ConfigStore(path).load().api_key, result.api_key);
    EXPECT_TRUE(account.forget().ok());
    EXPECT_FALSE(account.has_key());
    EXPECT_EQ(ConfigStore(path).load().api_key, "");
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace elizacloud
