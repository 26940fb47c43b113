// CloudClient against the emulator over real sockets: every operation's success path and every
// error family mapped to its status (docs/emulator.md describes the fault rules used here).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "api/cloud_client.hpp"
#include "blocking_client.hpp"
#include "cloud_test_env.hpp"

namespace elizacloud {
namespace {

using test::error_of;
using test::json_string;
using test::status_of;

class ClientTest : public test::EmulatorSuite<ClientTest> {
public:
    static std::vector<std::string> emulator_flags() {
        return {"--provision-ms", "300", "--job-poll-interval-ms", "50"};
    }

protected:
    void SetUp() override {
        EmulatorSuite::SetUp();
        key_ = emulator_->create_key();
        client_ = make_client(key_);
    }
    void TearDown() override {
        client_.reset();
        engine_.reset();
    }

    // The mapping of one answer, not what retries make of it.
    static ClientOptions no_retries() {
        ClientOptions options;
        options.max_retries = 0;
        return options;
    }

    std::unique_ptr<CloudClient> make_client(const std::string &key, ClientOptions options = {}) {
        return std::make_unique<CloudClient>(engine_, test::emulator_base(*emulator_), key,
                                             options);
    }

    std::string new_agent(const std::string &name = "TestBot") {
        std::string agent =
            test::blocking(*client_).create_agent(R"({"agentName":")" + name + R"("})");
        return json_string(agent, "id");
    }

    std::string running_agent() {
        std::string id = new_agent();
        test::blocking(*client_).provision(id);
        return id;
    }

    std::string key_;
    std::unique_ptr<CloudClient> client_;
};

constexpr const char *kUnknownAgent = "0b9c7d4e-1111-4222-8333-444455556666";

// ---- CRUD ------------------------------------------------------------------------------

// message.send's answer is {"text": …}: the reply's text as it came (escapes, NUL, non-ASCII),
// nothing else of the result; "(no response)" when the result has no text string (R125).
TEST(BridgeAnswer, AMessageAnswerIsItsTextAlone) {
    auto answer = [](const std::string &body) {
        HttpResponse response;
        response.http_status = 200;
        response.body = body;
        return CloudClient::read_bridge_answer(CloudClient::BridgeKind::Message, response, {});
    };
    OpResult r = answer(
        R"({"jsonrpc":"2.0","id":"1","result":{"text":"a \"b\"\n\u0000 \u00e9","roomId":"r"}})");
    ASSERT_TRUE(r.error.ok()) << r.error.message;
    EXPECT_EQ(r.json, "{\"text\":\"a \\\"b\\\"\\n\\u0000 \xC3\xA9\"}");  // é as UTF-8
    EXPECT_EQ(answer(R"({"jsonrpc":"2.0","id":"1","result":{"text":7}})").json,
              R"j({"text":"(no response)"})j");
    EXPECT_EQ(answer(R"({"jsonrpc":"2.0","id":"1","result":{}})").json,
              R"j({"text":"(no response)"})j");
    EXPECT_EQ(answer(R"({"jsonrpc":"2.0","id":"1"})").json, R"j({"text":"(no response)"})j");
    EXPECT_EQ(answer(R"({"jsonrpc":"2.0","id":"1","error":{"code":-32000,"message":"down"}})")
                  .error.status,
              Status::Agent);
    EXPECT_EQ(answer("[1]").error.status, Status::Protocol);
}

TEST_F(ClientTest, CreateListGetDeleteAgent) {
    EXPECT_EQ(test::blocking(*client_).list_agents(), "[]");
    std::string created = test::blocking(*client_).create_agent(R"({"agentName":"TestBot"})");
    std::string id = json_string(created, "id");
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(json_string(created, "status"), "pending");

    std::string list = test::blocking(*client_).list_agents();
    EXPECT_NE(list.find(id), std::string::npos);
    std::string agent = test::blocking(*client_).get_agent(id);
    EXPECT_EQ(json_string(agent, "agentName"), "TestBot");

    test::blocking(*client_).delete_agent(id);
    ErrorInfo gone = error_of([&] { test::blocking(*client_).get_agent(id); });
    EXPECT_EQ(gone.status, Status::NotFound);
    EXPECT_EQ(gone.message, "Agent not found");
    EXPECT_EQ(gone.http_status, 404);
}

TEST_F(ClientTest, ListingWithABadKeyIsUnauthorizedNotAnEmptyList) {
    auto bad = make_client("eliza_" + std::string(64, '0'));
    ErrorInfo error = error_of([&] { test::blocking(*bad).list_agents(); });
    EXPECT_EQ(error.status, Status::Unauthorized);
    EXPECT_EQ(error.message, "Invalid or expired API key");
    EXPECT_EQ(error.cloud_code, "authentication_required");
    EXPECT_EQ(error.message.find("eliza_000000000"), std::string::npos);
}

TEST_F(ClientTest, NonUuidAgentIdsAreRejectedBeforeAnyRequest) {
    int64_t before = emulator_->request_count("GET /api/v1/milady/agents/{id}");
    for (const char *id : {"", "abc", "../user", "0b9c7d4e-1111-4222-8333-44445555666/",
                           "0b9c7d4e_1111_4222_8333_444455556666"}) {
        EXPECT_EQ(status_of([&] { test::blocking(*client_).get_agent(id); }),
                  Status::InvalidArgument)
            << id;
        EXPECT_EQ(status_of([&] { test::blocking(*client_).provision(id); }),
                  Status::InvalidArgument)
            << id;
        EXPECT_EQ(status_of([&] { test::blocking(*client_).send_message(id, "hi"); }),
                  Status::InvalidArgument);
        EXPECT_EQ(status_of([&] { test::blocking(*client_).stream(id, "hi"); }),
                  Status::InvalidArgument);
    }
    EXPECT_EQ(emulator_->request_count("GET /api/v1/milady/agents/{id}"), before);
}

TEST_F(ClientTest, JobIdsArePercentEncoded) {
    // "../user" must stay one segment: the cloud sees no /api/v1/user request.
    ErrorInfo error = error_of([&] { test::blocking(*client_).get_job("../user"); });
    EXPECT_EQ(error.status, Status::NotFound);
    EXPECT_EQ(emulator_->request_count("GET /api/v1/user"), 0);
}

TEST_F(ClientTest, CreateBodyMustBeAJsonObject) {
    EXPECT_EQ(status_of([&] { test::blocking(*client_).create_agent("[1]"); }),
              Status::InvalidArgument);
    EXPECT_EQ(status_of([&] { test::blocking(*client_).create_agent("{"); }),
              Status::InvalidArgument);
}

TEST_F(ClientTest, ValidationErrorIsInvalidRequest) {
    // What the row can check is refused before any request...
    ErrorInfo local =
        error_of([&] { test::blocking(*client_).create_agent(R"({"agentName":""})"); });
    EXPECT_EQ(local.status, Status::InvalidArgument);
    EXPECT_EQ(local.message, "agentName must be a non-empty string");
    // ...and the cloud's own validation answer (400 with details) is InvalidRequest.
    emulator_->control("POST", "/__emulator/faults",
                       R"({"path":"/api/v1/milady/agents","method":"POST","action":"status",)"
                       R"("status":400,"body":{"success":false,"error":"Invalid request data",)"
                       R"("details":[]}})");
    ErrorInfo error =
        error_of([&] { test::blocking(*client_).create_agent(R"({"agentName":"x"})"); });
    EXPECT_EQ(error.status, Status::InvalidRequest);
    EXPECT_EQ(error.message, "Invalid request data");
}

TEST_F(ClientTest, LowCreditsGive402WithFigures) {
    emulator_->control("POST", "/__emulator/credits", R"({"balance":1.5})");
    ErrorInfo error =
        error_of([&] { test::blocking(*client_).create_agent(R"({"agentName":"Poor"})"); });
    EXPECT_EQ(error.status, Status::InsufficientCredits);
    EXPECT_EQ(error.http_status, 402);
    EXPECT_DOUBLE_EQ(error.required_balance, 5.0);
    EXPECT_DOUBLE_EQ(error.current_balance, 1.5);
    EXPECT_NE(error.message.find("Insufficient credits"), std::string::npos);
}

TEST_F(ClientTest, SnapshotOfAStoppedAgentIsConflict) {
    std::string id = new_agent();
    ErrorInfo error = error_of([&] { test::blocking(*client_).snapshot(id); });
    EXPECT_EQ(error.status, Status::Conflict);
    EXPECT_EQ(error.message, "Sandbox is not running");
}

TEST_F(ClientTest, RateLimitCarriesRetryAfter) {
    auto once = make_client(key_, no_retries());
    emulator_->fault(R"({"path":"/api/v1/milady/agents","action":"status","status":429,
        "headers":{"Retry-After":"2"}})");
    ErrorInfo error = error_of([&] { test::blocking(*once).list_agents(); });
    EXPECT_EQ(error.status, Status::RateLimited);
    EXPECT_EQ(error.retry_after_ms, 2000);
    EXPECT_EQ(error.cloud_code, "rate_limit_exceeded");
}

TEST_F(ClientTest, ServerErrorIsServer) {
    auto once = make_client(key_, no_retries());
    emulator_->fault(R"({"path":"/api/v1/milady/agents","action":"status","status":500,
        "body":{"success":false,"error":"Health check timed out"}})");
    ErrorInfo error = error_of([&] { test::blocking(*once).list_agents(); });
    EXPECT_EQ(error.status, Status::Server);
    EXPECT_EQ(error.http_status, 500);
    EXPECT_EQ(error.message, "Health check timed out");
}

TEST_F(ClientTest, NonJsonErrorBodyGivesHttpStatusMessage) {
    auto once = make_client(key_, no_retries());
    emulator_->fault(R"({"path":"/api/v1/milady/agents","action":"status","status":503,
        "body":"<html>upstream down</html>","contentType":"text/html"})");
    ErrorInfo error = error_of([&] { test::blocking(*once).list_agents(); });
    EXPECT_EQ(error.status, Status::Server);
    EXPECT_EQ(error.message, "HTTP 503");
}

// SPEC §2.9: a read is sent again after transient failures (the cloud's Retry-After honoured);
// a create is never repeated.
TEST_F(ClientTest, TransientFailuresOfReadsAreRetriedCreatesAreNot) {
    emulator_->fault(R"({"path":"/api/v1/milady/agents","method":"GET","times":2,
        "action":"status","status":503,"headers":{"Retry-After":"0"}})");
    EXPECT_EQ(test::blocking(*client_).list_agents(), "[]");
    EXPECT_EQ(emulator_->request_count("GET /api/v1/milady/agents"), 3);
    emulator_->fault(R"({"path":"/api/v1/milady/agents","method":"GET","always":true,
        "action":"status","status":502,"headers":{"Retry-After":"0"}})");
    EXPECT_EQ(status_of([&] { test::blocking(*client_).list_agents(); }), Status::Server);
    EXPECT_EQ(emulator_->request_count("GET /api/v1/milady/agents"), 6);  // 3 more: 1 + 2 retries
    emulator_->control("DELETE", "/__emulator/faults");
    emulator_->fault(R"({"path":"/api/v1/milady/agents","method":"POST","times":1,
        "action":"status","status":503,"headers":{"Retry-After":"0"}})");
    EXPECT_EQ(status_of([&] { test::blocking(*client_).create_agent(R"({"agentName":"x"})"); }),
              Status::Server);
    EXPECT_EQ(emulator_->request_count("POST /api/v1/milady/agents"), 1);
}

TEST_F(ClientTest, MalformedJsonIsProtocol) {
    emulator_->fault(R"({"path":"/api/v1/milady/agents","action":"malformed"})");
    EXPECT_EQ(status_of([&] { test::blocking(*client_).list_agents(); }), Status::Protocol);
}

TEST_F(ClientTest, ConnectionDroppedMidBodyIsNetwork) {
    auto once = make_client(key_, no_retries());
    emulator_->fault(R"({"path":"/api/v1/milady/agents","action":"close"})");
    EXPECT_EQ(status_of([&] { test::blocking(*once).list_agents(); }), Status::Network);
}

TEST_F(ClientTest, RedirectIsRefused) {
    emulator_->fault(R"({"path":"/api/v1/milady/agents","action":"redirect","status":302,
        "location":"https://evil.example/steal"})");
    ErrorInfo error = error_of([&] { test::blocking(*client_).list_agents(); });
    EXPECT_EQ(error.status, Status::RedirectRefused);
    EXPECT_EQ(emulator_->request_count("GET (unmatched)"), 0);
}

TEST_F(ClientTest, RequestTimeoutIsTimeout) {
    ClientOptions options;
    options.crud_timeout_ms = 200;
    options.max_retries = 0;
    auto quick = make_client(key_, options);
    emulator_->fault(R"({"path":"/api/v1/milady/agents","action":"delay","delayMs":2000})");
    EXPECT_EQ(status_of([&] { test::blocking(*quick).list_agents(); }), Status::Timeout);
}

TEST_F(ClientTest, SyncWaitLimitGivesTimeout) {
    emulator_->fault(R"({"path":"/api/v1/milady/agents","action":"delay","delayMs":2000})");
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(status_of([&] { test::blocking(*client_).list_agents(100); }), Status::Timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500));
}

// ---- provisioning -----------------------------------------------------------------------

TEST_F(ClientTest, ProvisionFollowsTheJobToRunning) {
    std::string id = new_agent();
    std::mutex mutex;
    std::vector<std::string> statuses;
    std::string agent = test::blocking(*client_).provision(id, [&](const JobProgress &p) {
        std::lock_guard<std::mutex> lock(mutex);
        EXPECT_EQ(p.agent_id, id);
        EXPECT_FALSE(p.job_id.empty());
        statuses.push_back(p.status);
    });
    EXPECT_EQ(json_string(agent, "status"), "running");
    EXPECT_EQ(json_string(agent, "id"), id);
    ASSERT_GE(statuses.size(), 2u);
    EXPECT_EQ(statuses.front(), "pending");
    EXPECT_EQ(statuses.back(), "completed");
    EXPECT_GE(emulator_->request_count("GET /api/v1/jobs/{id}"), 2);
}

TEST_F(ClientTest, ProvisionOfARunningAgentTakesTheFastPath) {
    std::string id = running_agent();
    int64_t polls = emulator_->request_count("GET /api/v1/jobs/{id}");
    int progress_calls = 0;
    std::string agent =
        test::blocking(*client_).provision(id, [&](const JobProgress &) { ++progress_calls; });
    EXPECT_EQ(json_string(agent, "status"), "running");
    EXPECT_EQ(progress_calls, 0);
    EXPECT_EQ(emulator_->request_count("GET /api/v1/jobs/{id}"), polls);
}

TEST_F(ClientTest, ProvisionWhileAJobRunsFollowsTheExistingJob) {
    std::string id = new_agent();
    // Start a job behind the client's back: the client then gets 409 with success:true.
    auto first = emulator_->request("POST", "/api/v1/milady/agents/" + id + "/provision", "",
                                    {{"X-API-Key", key_}});
    ASSERT_EQ(first.status, 202);
    std::string agent = test::blocking(*client_).provision(id);
    EXPECT_EQ(json_string(agent, "status"), "running");
}

TEST_F(ClientTest, FailedJobIsProvisionFailedWithTheJobsMessage) {
    emulator_->control("POST", "/__emulator/provision-failures",
                       R"({"count":1,"message":"image pull failed"})");
    std::string id = new_agent();
    ErrorInfo error = error_of([&] { test::blocking(*client_).provision(id); });
    EXPECT_EQ(error.status, Status::ProvisionFailed);
    EXPECT_NE(error.message.find("image pull failed"), std::string::npos) << error.message;
}

TEST_F(ClientTest, JobOverallTimeout) {
    emulator_->control("POST", "/__emulator/config", R"({"provisionMs":5000})");
    ClientOptions options;
    options.job_timeout_ms = 300;
    auto quick = make_client(key_, options);
    std::string id = new_agent();
    ErrorInfo error = error_of([&] { test::blocking(*quick).provision(id); });
    EXPECT_EQ(error.status, Status::Timeout);
    EXPECT_NE(error.message.find("did not finish"), std::string::npos);
}

TEST_F(ClientTest, PollIntervalOverride) {
    emulator_->control("POST", "/__emulator/config", R"({"jobPollIntervalMs":60000})");
    ClientOptions options;
    options.job_poll_interval_ms = 40;  // the cloud's 60 s would make this test time out
    auto quick = make_client(key_, options);
    std::string id = new_agent();
    EXPECT_EQ(json_string(test::blocking(*quick).provision(id, {}, 10'000), "status"), "running");
}

TEST_F(ClientTest, CancelWhileFollowingAJob) {
    emulator_->control("POST", "/__emulator/config", R"({"provisionMs":10000})");
    std::string id = new_agent();
    std::promise<ErrorInfo> done;
    std::promise<void> first_progress;
    std::atomic<bool> signalled{false};
    OperationId op = client_->provision_async(
        id, [&](OpResult &&r) { done.set_value(r.error); },
        [&](const JobProgress &) {
            if (!signalled.exchange(true)) first_progress.set_value();
        });
    first_progress.get_future().wait();
    auto start = std::chrono::steady_clock::now();
    client_->cancel(op);
    auto future = done.get_future();
    ASSERT_EQ(future.wait_for(std::chrono::seconds(2)), std::future_status::ready);
    EXPECT_EQ(future.get().status, Status::Cancelled);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
}

TEST_F(ClientTest, SuspendResumeSnapshotBackupsRestore) {
    std::string id = running_agent();
    std::string snap = test::blocking(*client_).snapshot(id);
    EXPECT_EQ(json_string(snap, "snapshotType"), "manual");
    std::string backups = test::blocking(*client_).list_backups(id);
    EXPECT_NE(backups.find(json_string(snap, "backupId")), std::string::npos);

    std::string suspended = test::blocking(*client_).suspend(id);
    EXPECT_EQ(json_string(suspended, "action"), "suspend");
    EXPECT_EQ(json_string(test::blocking(*client_).get_agent(id), "status"), "stopped");

    std::string resumed = test::blocking(*client_).resume(id);
    EXPECT_EQ(json_string(resumed, "status"), "running");
    EXPECT_EQ(json_string(resumed, "id"), id);

    std::string restored = test::blocking(*client_).restore(id);
    EXPECT_FALSE(json_string(restored, "restoredFromBackupId").empty());
    EXPECT_EQ(status_of([&] { test::blocking(*client_).restore(id, "not-a-uuid"); }),
              Status::InvalidArgument);
}

TEST_F(ClientTest, BackupsOfAnUnknownAgentAreEmpty) {
    EXPECT_EQ(test::blocking(*client_).list_backups(kUnknownAgent), "[]");
}

// ---- bridge ----------------------------------------------------------------------------

TEST_F(ClientTest, SendMessageStatusAndHeartbeat) {
    std::string id = running_agent();
    EXPECT_EQ(test::blocking(*client_).send_message(id, "hello"), "echo: hello");
    ChatTarget group;
    group.channel_type = "GROUP";
    group.room_id = "room-1";
    EXPECT_EQ(test::blocking(*client_).send_message(id, "hi all", group), "echo: hi all");
    EXPECT_EQ(json_string(test::blocking(*client_).get_status(id), "status"), "running");
    EXPECT_TRUE(test::blocking(*client_).heartbeat(id));
}

// Each bridge call sends the key of the moment (the client keeps its bridge request between
// calls): a key that changes or goes away is never sent stale.
TEST_F(ClientTest, BridgeCallsSendTheKeyOfTheMoment) {
    const std::string id = running_agent();
    std::mutex mutex;
    std::string current = key_;
    CloudClient client(
        engine_, test::emulator_base(*emulator_),
        [&](bool) {
            std::lock_guard<std::mutex> lock(mutex);
            return current;
        },
        no_retries());
    auto use = [&](std::string key) {
        std::lock_guard<std::mutex> lock(mutex);
        current = std::move(key);
    };
    EXPECT_EQ(test::blocking(client).send_message(id, "one"), "echo: one");
    use("eliza_0000000000000000000000000000000000000000");
    EXPECT_EQ(status_of([&] { test::blocking(client).send_message(id, "two"); }),
              Status::Unauthorized);
    use("");
    EXPECT_EQ(status_of([&] { test::blocking(client).send_message(id, "three"); }),
              Status::NotConnected);
    use(key_);
    EXPECT_EQ(test::blocking(client).send_message(id, "four"), "echo: four");
    EXPECT_TRUE(test::blocking(client).heartbeat(id));
}

TEST_F(ClientTest, UnknownChannelTypeIsRejected) {
    ChatTarget bad;
    bad.channel_type = "SMS";
    EXPECT_EQ(status_of([&] { test::blocking(*client_).send_message(kUnknownAgent, "x", bad); }),
              Status::InvalidArgument);
}

TEST_F(ClientTest, BridgeJsonRpcErrorIsAgentError) {
    ErrorInfo error =
        error_of([&] { test::blocking(*client_).send_message(kUnknownAgent, "hello"); });
    EXPECT_EQ(error.status, Status::Agent);
    EXPECT_EQ(error.message, "Sandbox is not running");
    EXPECT_EQ(error.cloud_code, "-32000");
    EXPECT_FALSE(test::blocking(*client_).heartbeat(kUnknownAgent));
}

// The bridge keeps only the response headers the library reads: a rate-limited message still
// carries the cloud's Retry-After and rate-limit figures.
TEST_F(ClientTest, ARateLimitedMessageCarriesRetryAfterAndLimits) {
    const std::string id = running_agent();
    auto once = make_client(key_, no_retries());
    emulator_->fault(R"({"path":"/api/v1/milady/agents/*/bridge","action":"status","status":429,
        "headers":{"Retry-After":"2","X-RateLimit-Limit":"60","X-RateLimit-Remaining":"0",
                   "X-RateLimit-Reset":"1700000000"}})");
    ErrorInfo error = error_of([&] { test::blocking(*once).send_message(id, "hello"); });
    EXPECT_EQ(error.status, Status::RateLimited);
    EXPECT_EQ(error.retry_after_ms, 2000);
    EXPECT_NE(error.rate_limit_json.find("\"remaining\":0"), std::string::npos)
        << error.rate_limit_json;
}

TEST_F(ClientTest, ScriptedBridgeErrorAndHeartbeatFailures) {
    std::string id = running_agent();
    emulator_->control("POST", "/__emulator/bridge/script",
                       R"({"agentId":"*","replies":[{"error":{"code":-32000,
                           "message":"Agent runtime not ready"}}]})");
    ErrorInfo error = error_of([&] { test::blocking(*client_).send_message(id, "hello"); });
    EXPECT_EQ(error.status, Status::Agent);
    EXPECT_EQ(error.message, "Agent runtime not ready");

    emulator_->control("POST", "/__emulator/heartbeat-failures", R"({"count":1})");
    EXPECT_FALSE(test::blocking(*client_).heartbeat(id));
    emulator_->control("POST", "/__emulator/heartbeat-failures", R"({"count":1,"mode":"http"})");
    EXPECT_FALSE(test::blocking(*client_).heartbeat(id));
    EXPECT_TRUE(test::blocking(*client_).heartbeat(id));
}

TEST_F(ClientTest, HeartbeatAnsweredByAProxyPageIsNotAlive) {
    // A proxy in front of a dead agent answers 200 with its own page: not the agent's answer.
    std::string id = running_agent();
    emulator_->fault(R"({"path":"/api/v1/milady/agents/*/bridge","action":"status","status":200,
                         "contentType":"text/html","body":"<html><body>OK</body></html>"})");
    EXPECT_FALSE(test::blocking(*client_).heartbeat(id));
    emulator_->fault(R"({"path":"/api/v1/milady/agents/*/bridge","action":"status","status":200,
                         "body":{"ok":true}})");
    EXPECT_FALSE(test::blocking(*client_).heartbeat(
        id));  // JSON, but neither a JSON-RPC response nor an ack
    emulator_->fault(R"({"path":"/api/v1/milady/agents/*/bridge","action":"status","status":200,
                         "body":{"jsonrpc":"2.0","id":null,"result":{}}})");
    EXPECT_TRUE(test::blocking(*client_).heartbeat(id));  // a plain JSON-RPC response counts
    EXPECT_TRUE(test::blocking(*client_).heartbeat(id));  // the agent's own heartbeat.ack
}

// ---- stream ----------------------------------------------------------------------------

TEST_F(ClientTest, StreamDeliversChunksInOrder) {
    std::string id = running_agent();
    emulator_->control("POST", "/__emulator/config", R"({"streamChunkChars":3})");
    std::vector<std::string> chunks;
    std::string text = test::blocking(*client_).stream(
        id, "hello world", {}, [&](std::string_view chunk) { chunks.emplace_back(chunk); });
    EXPECT_EQ(text, "echo: hello world");
    ASSERT_GT(chunks.size(), 3u);
    std::string joined;
    for (const auto &c : chunks) {
        EXPECT_LE(c.size(), 3u);
        joined += c;
    }
    EXPECT_EQ(joined, text);
}

TEST_F(ClientTest, StreamToAStoppedAgentIsAgentError) {
    std::string id = new_agent();
    ErrorInfo error = error_of([&] { test::blocking(*client_).stream(id, "hello"); });
    EXPECT_EQ(error.status, Status::Agent);
    EXPECT_EQ(error.message, "Sandbox is not running or unreachable");
}

TEST_F(ClientTest, StreamEndingWithoutDoneIsNetwork) {
    std::string id = running_agent();
    emulator_->control("POST", "/__emulator/bridge/script",
                       R"({"agentId":"*","replies":[{"error":{"code":-32000,"message":"x"}}]})");
    ErrorInfo error = error_of([&] { test::blocking(*client_).stream(id, "hello"); });
    EXPECT_EQ(error.status, Status::Network);
    EXPECT_EQ(error.message.rfind("stream ended before done", 0), 0u) << error.message;
}

TEST_F(ClientTest, StreamConnectionDroppedMidStreamIsNetwork) {
    std::string id = running_agent();
    emulator_->fault(R"({"path":"/api/v1/milady/agents/*/stream","action":"close",
        "afterEvents":2})");
    std::vector<std::string> chunks;
    ErrorInfo error = error_of([&] {
        test::blocking(*client_).stream(id, "hello", {},
                                        [&](std::string_view c) { chunks.emplace_back(c); });
    });
    EXPECT_EQ(error.status, Status::Network);
    EXPECT_EQ(error.message.rfind("stream ended before done", 0), 0u) << error.message;
    EXPECT_EQ(chunks, std::vector<std::string>{"echo: hello"});  // delivered before the drop
}

TEST_F(ClientTest, StreamStallHitsTheIdleTimeout) {
    ClientOptions options;
    options.stream_idle_timeout_ms = 300;
    auto quick = make_client(key_, options);
    std::string id = running_agent();
    emulator_->fault(R"({"path":"/api/v1/milady/agents/*/stream","action":"stall",
        "afterEvents":1,"stallMs":5000})");
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(status_of([&] { test::blocking(*quick).stream(id, "hello"); }), Status::Timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(3000));
}

TEST_F(ClientTest, StreamCanBeCancelled) {
    std::string id = running_agent();
    emulator_->fault(R"({"path":"/api/v1/milady/agents/*/stream","action":"stall",
        "afterEvents":1,"stallMs":5000})");
    std::promise<ErrorInfo> done;
    OperationId op =
        client_->stream_async(id, "hello", {}, {}, [&](OpResult &&r) { done.set_value(r.error); });
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    client_->cancel(op);
    auto future = done.get_future();
    ASSERT_EQ(future.wait_for(std::chrono::seconds(1)), std::future_status::ready);
    EXPECT_EQ(future.get().status, Status::Cancelled);
}

// ---- credits, identity, threading --------------------------------------------------------

TEST_F(ClientTest, CreditsBalanceBothShapes) {
    EXPECT_DOUBLE_EQ(test::blocking(*client_).credits_balance(), 25.0);
    emulator_->control("POST", "/__emulator/credits", R"({"balance":7.25})");
    EXPECT_DOUBLE_EQ(test::blocking(*client_).credits_balance(true), 7.25);
    emulator_->fault(R"({"path":"/api/v1/credits/balance","action":"status","status":200,
        "body":{"success":true,"data":{"balance":3.2}}})");
    EXPECT_DOUBLE_EQ(test::blocking(*client_).credits_balance(), 3.2);
    emulator_->fault(R"({"path":"/api/v1/credits/balance","action":"status","status":200,
        "body":{"nope":true}})");
    EXPECT_EQ(status_of([&] { test::blocking(*client_).credits_balance(); }), Status::Protocol);
}

TEST_F(ClientTest, UserIdentity) {
    Identity identity = test::blocking(*client_).get_user();
    EXPECT_EQ(identity.user_id, "00000000-0000-4000-8000-000000000001");
    EXPECT_EQ(identity.organization_id, "00000000-0000-4000-8000-0000000000a1");
}

TEST_F(ClientTest, ConcurrentOperationsAllComplete) {
    std::string id = running_agent();
    constexpr int kCount = 20;
    std::mutex mutex;
    std::condition_variable cv;
    int ok = 0, finished = 0;
    for (int i = 0; i < kCount; ++i) {
        client_->send_message_async(id, "m" + std::to_string(i), {}, [&](OpResult &&r) {
            std::lock_guard<std::mutex> lock(mutex);
            ++finished;
            if (r.error.ok()) ++ok;
            cv.notify_all();
        });
    }
    std::unique_lock<std::mutex> lock(mutex);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return finished == kCount; }));
    EXPECT_EQ(ok, kCount);
}

TEST_F(ClientTest, DestroyingTheClientCancelsItsOperations) {
    emulator_->fault(R"({"path":"/api/v1/milady/agents","action":"delay","delayMs":3000})");
    std::atomic<int> cancelled{0};
    client_->list_agents_async([&](OpResult &&r) {
        if (r.error.status == Status::Cancelled) ++cancelled;
    });
    auto start = std::chrono::steady_clock::now();
    client_.reset();  // returns after the completion ran
    EXPECT_EQ(cancelled.load(), 1);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
}

}  // namespace
}  // namespace elizacloud
