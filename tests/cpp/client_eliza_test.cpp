// CloudClient against the emulator's eliza generation (today's cloud, cloud-contract-eliza.md):
// auto-provisioning create, the price consent, the quota and image statuses, lifecycle calls
// that are jobs, sleep and wake, bridge idempotency and retries, the shared-only stream.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/cloud_client.hpp"
#include "blocking_client.hpp"
#include "cloud_test_env.hpp"

namespace elizacloud {
namespace {

using test::error_of;
using test::json_string;
using test::status_of;

// What the emulator quotes by default (docs/emulator.md §6.3).
constexpr const char *kPrice = "dedicated-compute-v1:USD:0.150000:0.300000";

class ElizaClientTest : public test::EmulatorSuite<ElizaClientTest> {
public:
    static std::vector<std::string> emulator_flags() {
        return {"--generation", "eliza", "--provision-ms", "40", "--job-poll-interval-ms", "10"};
    }

protected:
    void SetUp() override {
        EmulatorSuite::SetUp();
        key_ = emulator_->create_key();
        client_ = make_client();
    }
    void TearDown() override {
        client_.reset();
        engine_.reset();
    }

    std::unique_ptr<CloudClient> make_client(const std::string &confirm_price = "") {
        ClientOptions options;
        options.generation = api::Generation::Eliza;
        if (!confirm_price.empty())
            options.default_headers.emplace("X-Eliza-Dedicated-Price", confirm_price);
        options.job_poll_interval_ms = 10;
        return std::make_unique<CloudClient>(engine_, test::emulator_base(*emulator_), key_,
                                             options);
    }

    std::string call(CloudClient &client, std::string_view op, const std::string &params) {
        return test::blocking(client).value(
            [&](OpCallback cb) { return client.call_async(op, params, std::move(cb)); });
    }
    ErrorInfo call_error(CloudClient &client, std::string_view op, const std::string &params) {
        return test::blocking(client)
            .wait([&](OpCallback cb) { return client.call_async(op, params, std::move(cb)); })
            .error;
    }

    // A dedicated agent, started by an eager create with the price given on the call.
    std::string running_agent(const std::string &name = "E") {
        const std::string agent = call(*client_, "agents.create",
                                       R"({"agentName":")" + name +
                                           R"(","alwaysOn":true,"forceCreate":true,)"
                                           R"("confirmPrice":")" +
                                           kPrice + R"("})");
        EXPECT_EQ(json_string(agent, "status"), "running") << agent;
        return json_string(agent, "id");
    }

    int64_t agent_count(const std::string &field, const std::string &agent_id) {
        json::Document doc;
        json::parse(emulator_->control("GET", "/__emulator/state").body, doc);
        const json::Value *agents = json::member(doc, "agents");
        if (!agents || !agents->IsArray()) return -1;
        for (const auto &a : agents->GetArray())
            if (json::get_string(a, "id") == std::optional<std::string>(agent_id))
                return json::get_int(a, field).value_or(-1);
        return -1;
    }

    std::string key_;
    std::unique_ptr<CloudClient> client_;
};

TEST_F(ElizaClientTest, APaidStartWithoutConsentIsATypedErrorCarryingTheQuote) {
    const ErrorInfo e =
        call_error(*client_, "agents.create", R"({"agentName":"E","alwaysOn":true})");
    EXPECT_EQ(e.status, Status::PriceConfirmation) << e.message;
    EXPECT_EQ(e.http_status, 428);
    EXPECT_EQ(e.cloud_code, "DEDICATED_PRICE_CONFIRMATION_REQUIRED");
    json::Document pricing;
    ASSERT_TRUE(json::parse(e.pricing_json, pricing)) << e.pricing_json;
    EXPECT_EQ(json::get_string(pricing, "acceptanceValue"), std::optional<std::string>(kPrice));
    EXPECT_EQ(json::get_string(pricing, "acceptanceHeader"),
              std::optional<std::string>("X-Eliza-Dedicated-Price"));
    // "No compute was started": nothing was created either.
    EXPECT_EQ(test::blocking(*client_).list_agents(), "[]");
}

TEST_F(ElizaClientTest, AnEagerCreateFollowsItsProvisioningJob) {
    std::vector<std::string> steps;
    const std::string agent = test::blocking(*client_).value([&](OpCallback cb) {
        return client_->call_async(
            "agents.create",
            std::string(R"({"agentName":"E","alwaysOn":true,"confirmPrice":")") + kPrice + "\"}",
            std::move(cb), [&](const JobProgress &p) { steps.push_back(p.status); });
    });
    EXPECT_EQ(json_string(agent, "status"), "running") << agent;
    EXPECT_EQ(json_string(agent, "executionTier"), "dedicated-always");
    EXPECT_NE(agent.find(R"("created":true)"), std::string::npos) << agent;
    ASSERT_FALSE(steps.empty());
    EXPECT_EQ(steps.back(), "completed");
    // The header went with the create only because the call gave it.
    EXPECT_EQ(test::blocking(*client_).send_message(json_string(agent, "id"), "hi"), "echo: hi");
}

TEST_F(ElizaClientTest, TheHandlesPriceIsSentByProvisionAndALazyCreateStaysACreate) {
    const std::string created = call(*client_, "agents.create", R"({"agentName":"lazy"})");
    EXPECT_EQ(json_string(created, "status"), "pending") << created;
    EXPECT_EQ(json_string(created, "executionTier"), "dedicated-lazy");
    const std::string id = json_string(created, "id");
    EXPECT_EQ(status_of([&] { test::blocking(*client_).provision(id); }),
              Status::PriceConfirmation);
    auto consenting = make_client(kPrice);
    EXPECT_EQ(json_string(test::blocking(*consenting).provision(id), "status"), "running");
    // A price that is no longer the cloud's is refused, with the new quote.
    emulator_->control(
        "POST", "/__emulator/config",
        R"({"dedicatedPriceAcceptance":"dedicated-compute-v1:USD:0.200000:0.400000"})");
    test::blocking(*consenting).suspend(id);
    const ErrorInfo e = error_of([&] { test::blocking(*consenting).resume(id); });
    EXPECT_EQ(e.status, Status::PriceConfirmation);
    EXPECT_NE(e.pricing_json.find("0.200000:0.400000"), std::string::npos) << e.pricing_json;
}

TEST_F(ElizaClientTest, TheReuseAndWarmPoolAnswersAreAccepted) {
    const std::string first = running_agent("one");
    const std::string again = call(*client_, "agents.create", R"({"agentName":"two"})");
    EXPECT_EQ(json_string(again, "id"), first);
    EXPECT_NE(again.find(R"("created":false)"), std::string::npos) << again;

    emulator_->control("POST", "/__emulator/config", R"({"warmPool":1})");
    const std::string warm = call(*client_, "agents.create",
                                  std::string(R"({"agentName":"warm","alwaysOn":true,)") +
                                      R"("forceCreate":true,"confirmPrice":")" + kPrice + "\"}");
    EXPECT_EQ(json_string(warm, "status"), "running") << warm;
    EXPECT_NE(json_string(warm, "id"), first);
}

TEST_F(ElizaClientTest, QuotaAndRefusedImagesAreTheirOwnStatuses) {
    emulator_->control("POST", "/__emulator/config", R"({"maxAgentsPerOrg":1})");
    running_agent();
    const ErrorInfo quota =
        call_error(*client_, "agents.create", R"({"agentName":"more","forceCreate":true})");
    EXPECT_EQ(quota.status, Status::Quota) << quota.message;
    EXPECT_EQ(quota.http_status, 429);
    EXPECT_NE(quota.details_json.find(R"("maxAgents":1)"), std::string::npos) << quota.details_json;
    EXPECT_EQ(quota.retry_after_ms, -1);

    const ErrorInfo image = call_error(*client_, "agents.create",
                                       R"({"agentName":"img","dockerImage":"evil.io/x:latest"})");
    EXPECT_EQ(image.status, Status::ImageRefused) << image.message;
    EXPECT_EQ(image.http_status, 403);
}

TEST_F(ElizaClientTest, LifecycleCallsThatAreJobsAreFollowed) {
    const std::string id = running_agent();
    // Snapshot: a job whose result is the backup.
    const std::string backup = test::blocking(*client_).snapshot(id);
    EXPECT_FALSE(json_string(backup, "backupId").empty()) << backup;
    const std::string backups = test::blocking(*client_).list_backups(id);
    EXPECT_NE(backups.find(json_string(backup, "backupId")), std::string::npos);
    EXPECT_NE(backups.find("backupKind"), std::string::npos) << backups;
    EXPECT_EQ(backups.find("vercelSnapshotId"), std::string::npos) << backups;
    // Suspend: returns when its job has stopped the agent.
    const std::string suspended = test::blocking(*client_).suspend(id);
    EXPECT_EQ(json_string(suspended, "action"), "suspend") << suspended;
    EXPECT_EQ(json_string(test::blocking(*client_).get_agent(id), "status"), "stopped");
    // Delete: returns when its job has removed the agent.
    test::blocking(*client_).delete_agent(id);
    EXPECT_EQ(status_of([&] { test::blocking(*client_).get_agent(id); }), Status::NotFound);
}

TEST_F(ElizaClientTest, ASleepingAgentIsWokenByWhatConnectRuns) {
    const std::string id = running_agent();
    const std::string slept = call(*client_, "agents.sleep", R"({"agentId":")" + id + "\"}");
    EXPECT_EQ(json_string(slept, "status"), "sleeping") << slept;
    // Connect's start: provision would not bring the state back; wake does.
    auto consenting = make_client(kPrice);
    const std::string started = test::blocking(*consenting).value([&](OpCallback cb) {
        return consenting->start_agent_async(id, std::move(cb));
    });
    EXPECT_EQ(json_string(started, "status"), "running") << started;
    EXPECT_EQ(emulator_->request_count("POST /api/v1/eliza/agents/{id}/wake"), 1);
    EXPECT_EQ(emulator_->request_count("POST /api/v1/eliza/agents/{id}/provision"), 0);
    // An agent that is not sleeping is provisioned as before (already running: the fast path).
    test::blocking(*consenting).value([&](OpCallback cb) {
        return consenting->start_agent_async(id, std::move(cb));
    });
    EXPECT_EQ(emulator_->request_count("POST /api/v1/eliza/agents/{id}/provision"), 1);
}

TEST_F(ElizaClientTest, AColdCacheIsRetriedWithTheSameClientMessageId) {
    const std::string id = running_agent();
    emulator_->fault(
        R"({"method":"POST","regex":"^/api/v1/eliza/agents/[^/]+/bridge$","times":2,"action":"status",)"
        R"("status":503,"headers":{"Retry-After":"0"},"body":{"success":false,)"
        R"("error":"warming","code":"shared_runtime_cache_warming","retryable":true}})");
    EXPECT_EQ(test::blocking(*client_).send_message(id, "hello"), "echo: hello");
    EXPECT_EQ(emulator_->request_count("POST /api/v1/eliza/agents/{id}/bridge"), 3);
    EXPECT_EQ(agent_count("messages", id), 1);  // the agent was asked once

    // More cold answers than retries: the error surfaces, marked retryable.
    emulator_->fault(
        R"({"method":"POST","regex":"^/api/v1/eliza/agents/[^/]+/bridge$","times":3,"action":"status",)"
        R"("status":503,"headers":{"Retry-After":"0"},"body":{"success":false,)"
        R"("error":"warming","code":"shared_runtime_cache_warming","retryable":true}})");
    const ErrorInfo e = error_of([&] { test::blocking(*client_).send_message(id, "again"); });
    EXPECT_EQ(e.status, Status::Server);
    EXPECT_TRUE(e.retryable);
}

TEST_F(ElizaClientTest, AnAnswerNotMarkedRetryableIsNotRetried) {
    const std::string id = running_agent();
    emulator_->fault(
        R"({"method":"POST","regex":"^/api/v1/eliza/agents/[^/]+/bridge$","times":1,"action":"status",)"
        R"("status":409,"body":{"success":false,"error":"conflict",)"
        R"("code":"client_message_conflict","retryable":false}})");
    EXPECT_EQ(status_of([&] { test::blocking(*client_).send_message(id, "x"); }), Status::Conflict);
    EXPECT_EQ(emulator_->request_count("POST /api/v1/eliza/agents/{id}/bridge"), 1);
}

TEST_F(ElizaClientTest, ADedicatedAgentsStreamComesThroughTheBridge) {
    const std::string id = running_agent();
    std::vector<std::string> chunks;
    const std::string text = test::blocking(*client_).stream(
        id, "hello", {}, [&](std::string_view chunk) { chunks.emplace_back(chunk); });
    EXPECT_EQ(text, "echo: hello");
    EXPECT_EQ(chunks, std::vector<std::string>{"echo: hello"});
    EXPECT_EQ(emulator_->request_count("POST /api/v1/eliza/agents/{id}/stream"), 1);
    EXPECT_EQ(emulator_->request_count("POST /api/v1/eliza/agents/{id}/bridge"), 1);
}

TEST_F(ElizaClientTest, ASharedAgentStreamsItsFramesAfterAColdStart) {
    emulator_->control("POST", "/__emulator/config",
                       R"({"defaultExecutionTier":"shared","streamChunkChars":4})");
    const std::string agent = call(*client_, "agents.create", R"({"agentName":"S"})");
    EXPECT_EQ(json_string(agent, "executionTier"), "shared") << agent;
    const std::string id = json_string(agent, "id");
    emulator_->fault(
        R"({"method":"POST","regex":"^/api/v1/eliza/agents/[^/]+/stream$","times":1,"action":"status",)"
        R"("status":503,"headers":{"Retry-After":"0"},"body":{"success":false,)"
        R"("error":"warming","code":"shared_runtime_cache_warming","retryable":true}})");
    std::vector<std::string> chunks;
    const std::string text = test::blocking(*client_).stream(
        id, "hello world", {}, [&](std::string_view chunk) { chunks.emplace_back(chunk); });
    EXPECT_EQ(text, "echo: hello world");
    EXPECT_GT(chunks.size(), 2u);
    EXPECT_EQ(emulator_->request_count("POST /api/v1/eliza/agents/{id}/stream"), 2);
    // Lifecycle calls on a shared agent are no-ops the cloud answers at once.
    EXPECT_EQ(json_string(test::blocking(*client_).provision(id), "status"), "running");
}

TEST_F(ElizaClientTest, AStartAcceptedWithoutAJobIdIsFollowedThroughTheAgentRecord) {
    const std::string id =
        json_string(call(*client_, "agents.create", R"({"agentName":"lazy"})"), "id");
    // The cloud restarts the agent in a job only its record names (a warm-pool recovery, E§2.8).
    const auto started =
        emulator_->request("POST", "/api/v1/eliza/agents/" + id + "/provision", "",
                           {{"X-API-Key", key_}, {"X-Eliza-Dedicated-Price", kPrice}});
    ASSERT_EQ(started.status, 202) << started.body;
    emulator_->fault(R"({"method":"POST","regex":"^/api/v1/eliza/agents/[^/]+/provision$",)"
                     R"("times":1,"action":"status","status":202,"body":{"success":true,)"
                     R"("source":"warm_pool_recovery","data":{"id":")" +
                     id + R"(","agentName":"lazy","status":"provisioning"}}})");
    std::vector<std::string> steps;
    auto consenting = make_client(kPrice);
    const std::string agent = test::blocking(*consenting).provision(id, [&](const JobProgress &p) {
        steps.push_back(p.status);
    });
    EXPECT_EQ(json_string(agent, "status"), "running") << agent;
    ASSERT_FALSE(steps.empty());
    EXPECT_EQ(steps.back(), "completed");  // the job the record named was followed to its end
    EXPECT_GE(emulator_->request_count("GET /api/v1/jobs/{id}"), 1);
}

TEST_F(ElizaClientTest, ARestoreAcceptedByTheCoordinatorIsTheAnswer) {
    const std::string id = running_agent();
    test::blocking(*client_).snapshot(id);
    emulator_->fault(R"({"method":"POST","regex":"^/api/v1/eliza/agents/[^/]+/restore$",)"
                     R"("times":1,"action":"status","status":202,"body":{"success":true,"data":{)"
                     R"("status":"accepted","restoreOperationId":"op-1","phase":"queued"}}})");
    const std::string restored = test::blocking(*client_).restore(id);
    EXPECT_EQ(json_string(restored, "status"), "accepted") << restored;
    EXPECT_EQ(json_string(restored, "restoreOperationId"), "op-1");
}

TEST_F(ElizaClientTest, RowsOfTheOtherGenerationAreRefusedLocally) {
    ClientOptions options;
    options.generation = api::Generation::Milady;
    CloudClient milady(engine_, test::emulator_base(*emulator_), key_, options);
    // Refused before anything is sent: the call itself throws.
    const ErrorInfo e = error_of([&] {
        milady.call_async("agents.wake", R"({"agentId":"0b9c7d4e-1111-4222-8333-444455556666"})",
                          {});
    });
    EXPECT_EQ(e.status, Status::Generation);
    EXPECT_NE(e.message.find("milady"), std::string::npos) << e.message;
    EXPECT_EQ(emulator_->request_count("POST /api/v1/eliza/agents/{id}/wake"), 0);
}

TEST_F(ElizaClientTest, AHeaderValueCannotCarryAnotherHeader) {
    const ErrorInfo e = error_of([&] {
        client_->call_async(
            "agents.provision",
            R"({"agentId":"0b9c7d4e-1111-4222-8333-444455556666","confirmPrice":"x\r\nX-Evil: 1"})",
            {});
    });
    EXPECT_EQ(e.status, Status::InvalidArgument);
}

}  // namespace
}  // namespace elizacloud
