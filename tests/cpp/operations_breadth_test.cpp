// Every breadth row (SPEC §2.8: inference, media, voices, knowledge, containers, A2A, discovery,
// API keys, billing, apps, health) run through CloudClient::call_async against the emulator
// over real sockets, on both contract generations: results, the cloud's errors as statuses,
// rows absent from a generation (EC_ERR_GENERATION, no request sent), parameters refused
// before any request, and the session-only API-keys subtree.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "breadth_suite.hpp"

namespace elizacloud {
namespace {

using test::Breadth;
using test::Eliza;
using test::GenerationNames;
using test::Generations;
using test::json_string;
using test::kUnknownId;
using test::Milady;
using test::str;

TYPED_TEST_SUITE(Breadth, Generations, GenerationNames);

// ---- inference ------------------------------------------------------------------------------

TYPED_TEST(Breadth, ChatMessagesResponsesAndEmbeddingsAnswerTheirBareShapes) {
    auto chat =
        this->call("chat.completions.create",
                   R"({"model":"openai/gpt-5-mini","messages":[{"role":"user","content":"hi"}],)"
                   R"("temperature":0.2,"appId":"app-1","affiliateCode":"aff","payment":"proof",)"
                   R"("seed":7})");
    EXPECT_EQ(str(chat, "object"), "chat.completion");
    ASSERT_TRUE(chat["choices"].IsArray() && chat["choices"].Size() == 1);
    EXPECT_EQ(str(chat["choices"][0]["message"], "content"), "echo: hi");

    auto message =
        this->call("messages.create", R"({"model":"claude-sonnet-4.6","max_tokens":64,)"
                                      R"("messages":[{"role":"user","content":"hello"}]})");
    EXPECT_EQ(str(message, "type"), "message");
    ASSERT_TRUE(message["content"].IsArray());
    EXPECT_EQ(str(message["content"][0], "text"), "echo: hello");

    auto response =
        this->call("responses.create", R"({"model":"openai/gpt-5-mini","input":"ping"})");
    EXPECT_EQ(str(response, "output_text"), "echo: ping");

    auto embeddings = this->call("embeddings.create",
                                 R"({"model":"openai/text-embedding-3-small","input":["a","b"]})");
    ASSERT_TRUE(embeddings["data"].IsArray());
    EXPECT_EQ(embeddings["data"].Size(), 2u);
    EXPECT_EQ(embeddings["data"][0]["embedding"].Size(), 1536u);
}

TYPED_TEST(Breadth, StreamTrueAndMissingFieldsAreRefusedBeforeAnyRequest) {
    ErrorInfo e =
        this->fail("chat.completions.create", R"({"model":"m","messages":[],"stream":true})");
    EXPECT_EQ(e.status, Status::InvalidArgument);
    EXPECT_NE(e.message.find("stream"), std::string::npos) << e.message;
    EXPECT_EQ(this->fail("messages.create", R"({"model":"m","messages":[]})").status,
              Status::InvalidArgument);  // max_tokens is required
    EXPECT_EQ(this->fail("chat.completions.create", R"({"model":"m","messages":[],"appId":"a\nb"})")
                  .status,
              Status::InvalidArgument);  // a header value on one line
    EXPECT_EQ(this->count("POST /api/v1/chat/completions"), 0);
    EXPECT_EQ(this->count("POST /api/v1/messages"), 0);
    // The cloud's own 400 (an empty messages array) is InvalidRequest.
    EXPECT_EQ(this->fail("chat.completions.create", R"({"model":"m","messages":[]})").status,
              Status::InvalidRequest);
}

TYPED_TEST(Breadth, ModelsListAndDetail) {
    auto models = this->call("models.list");
    ASSERT_TRUE(models["data"].IsArray());
    EXPECT_GE(models["data"].Size(), 3u);
    auto model = this->call("models.get", R"({"model":"openai/gpt-5-mini"})");
    EXPECT_EQ(str(model, "id"), "openai/gpt-5-mini");
    ErrorInfo e = this->fail("models.get", R"({"model":"nope/none"})");
    EXPECT_EQ(e.status, Status::NotFound);
    EXPECT_EQ(e.cloud_code, "model_not_found");
}

// ---- media ----------------------------------------------------------------------------------

TYPED_TEST(Breadth, ImagesAreATinyPngAndVideoAUrlAndTheWebhookHeaderGoesAlong) {
    auto images =
        this->call("images.generate",
                   R"({"prompt":"a lake","numImages":2,"webhookUrl":"https://h.example/w"})");
    ASSERT_TRUE(images["images"].IsArray());
    ASSERT_EQ(images["images"].Size(), 2u);
    EXPECT_EQ(str(images["images"][0], "url").rfind("data:image/png;base64,iVBORw0KGgo", 0), 0u);
    EXPECT_EQ(str(images, "webhookUrl"), "https://h.example/w");  // the emulator's echo
    auto video = this->call("video.generate", R"({"prompt":"a lake"})");
    EXPECT_TRUE(str(video["video"], "url").ends_with(".mp4"));
    EXPECT_EQ(str(video, "webhookUrl"), "");

    EXPECT_EQ(
        this->fail("images.generate", "{\"prompt\":\"" + std::string(4001, 'x') + "\"}").status,
        Status::InvalidArgument);
    EXPECT_EQ(this->count("POST /api/v1/generate-image"), 1);
    EXPECT_EQ(this->fail("images.generate", R"({"prompt":"x","numImages":9})").status,
              Status::InvalidRequest);  // the cloud's 400
}

// ---- voices ---------------------------------------------------------------------------------

TYPED_TEST(Breadth, VoicesListGetAndDelete) {
    auto active = this->call("voices.list");
    ASSERT_TRUE(active["voices"].IsArray());
    EXPECT_EQ(active["voices"].Size(), 1u);
    auto all = this->call("voices.list", R"({"includeInactive":true,"limit":10})");
    ASSERT_EQ(all["voices"].Size(), 2u);
    const std::string id = str(all["voices"][0], "id");
    EXPECT_EQ(str(this->call("voices.get", R"({"id":")" + id + "\"}")["voice"], "id"), id);
    this->call("voices.delete", R"({"id":")" + id + "\"}");
    EXPECT_EQ(this->fail("voices.get", R"({"id":")" + id + "\"}").status, Status::NotFound);
    EXPECT_EQ(this->fail("voices.get", R"({"id":"not-a-uuid"})").status, Status::InvalidArgument);
    EXPECT_EQ(this->fail("voices.list", R"({"cloneType":"cheap"})").status,
              Status::InvalidArgument);
}

// ---- knowledge ------------------------------------------------------------------------------

TYPED_TEST(Breadth, KnowledgeAddListQueryDeleteOnTheGenerationsPath) {
    auto a = this->call("knowledge.add", R"({"content":"Deploy an agent with the CLI.",)"
                                         R"("contentType":"text/plain","filename":"deploy.txt"})");
    const std::string first = str(a["document"], "id");
    this->call("knowledge.add",
               R"({"content":"Credits are in dollars.","contentType":"text/plain",)"
               R"("filename":"credits.txt","metadata":{"topic":"billing"}})");
    const std::string base = TestFixture::kEliza ? "/api/v1/documents" : "/api/v1/knowledge";
    EXPECT_EQ(this->count("POST " + base), 2);
    EXPECT_EQ(this->call("knowledge.list")["total"].GetInt(), 2);
    auto results = this->call("knowledge.query", R"({"query":"how to deploy an agent","limit":1})");
    ASSERT_TRUE(results["results"].IsArray());
    ASSERT_EQ(results["results"].Size(), 1u);
    EXPECT_EQ(str(results["results"][0], "id"), first);
    this->call("knowledge.delete", R"({"id":")" + first + "\"}");
    EXPECT_EQ(this->call("knowledge.list")["total"].GetInt(), 1);
    EXPECT_EQ(this->fail("knowledge.delete", R"({"id":")" + first + "\"}").status,
              Status::NotFound);
    EXPECT_EQ(this->fail("knowledge.add", R"({"content":"x","contentType":"text/plain"})").status,
              Status::InvalidArgument);  // filename is required
}

// ---- containers -----------------------------------------------------------------------------

TYPED_TEST(Breadth, ContainersDeployAndTheirStatusMovesOn) {
    auto created = this->call("containers.create",
                              R"({"name":"web","project_name":"site","ecr_image_uri":"repo/web:1",)"
                              R"("environment_vars":{"A":"1"}})");
    EXPECT_EQ(str(created, "status"), "pending");
    const std::string id = str(created, "id");
    auto list = this->run("containers.list", "{}");
    ASSERT_TRUE(list.error.ok()) << list.error.message;
    EXPECT_NE(list.json.find(id), std::string::npos);
    auto updated = this->call("containers.update", R"({"id":")" + id + R"(","desired_count":2})");
    EXPECT_EQ(updated["desired_count"].GetInt(), 2);
    EXPECT_EQ(this->fail("containers.create", R"({"name":"x","project_name":"p",)"
                                              R"("ecr_image_uri":"i","cpu":100})")
                  .status,
              Status::InvalidRequest);  // the cloud's range check

    if (TestFixture::kEliza) {
        // E§6: no detail, logs, metrics, deployments or quota: refused without a request.
        for (const char *op :
             {"containers.get", "containers.logs", "containers.metrics", "containers.deployments"})
            EXPECT_EQ(this->fail(op, R"({"id":")" + id + "\"}").status, Status::Generation) << op;
        EXPECT_EQ(this->fail("containers.quota").status, Status::Generation);
        EXPECT_EQ(this->count("GET /api/v1/containers/{id}"), 0);
    } else {
        std::string status;
        for (int i = 0; i < 100 && status != "running"; ++i) {
            status = str(this->call("containers.get", R"({"id":")" + id + "\"}"), "status");
            if (status != "running") std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        EXPECT_EQ(status, "running");
        auto logs = this->call("containers.logs", R"({"id":")" + id + R"(","limit":2})");
        EXPECT_EQ(logs["logs"].Size(), 2u);
        EXPECT_GT(this->call("containers.metrics", R"({"id":")" + id + "\"}")["cpu_utilization"]
                      .GetDouble(),
                  0);
        auto deployments = this->run("containers.deployments", R"({"id":")" + id + "\"}");
        EXPECT_NE(deployments.json.find("completed"), std::string::npos) << deployments.json;
        EXPECT_EQ(this->call("containers.quota")["current"].GetInt(), 1);
    }
    this->call("containers.delete", R"({"id":")" + id + "\"}");
    EXPECT_EQ(this->fail("containers.delete", R"({"id":")" + id + "\"}").status, Status::NotFound);
}

// ---- A2A and discovery ----------------------------------------------------------------------

TYPED_TEST(Breadth, A2AJsonRpcCallsTheCardAndDiscovery) {
    EXPECT_EQ(str(this->call("a2a.card"), "protocolVersion"), "0.3.0");
    auto task = this->call("a2a.send", R"({"message":{"role":"user","messageId":"m1",)"
                                       R"("parts":[{"kind":"text","text":"hi there"}]}})");
    EXPECT_EQ(str(task["status"], "state"), "completed");
    EXPECT_EQ(str(task["status"]["message"]["parts"][0], "text"), "echo: hi there");
    const std::string id = str(task, "id");
    EXPECT_EQ(str(this->call("a2a.get_task", R"({"id":")" + id + "\"}"), "id"), id);
    EXPECT_EQ(str(this->call("a2a.cancel_task", R"({"id":")" + id + "\"}")["status"], "state"),
              "canceled");
    ErrorInfo missing = this->fail("a2a.get_task", R"({"id":"no-such-task"})");
    EXPECT_EQ(missing.status, Status::NotFound);
    EXPECT_EQ(missing.cloud_code, "-32001");
    EXPECT_EQ(missing.message, "Task not found");
    ErrorInfo bad = this->fail("a2a.send", R"({"message":{"role":"user","parts":[]}})");
    EXPECT_EQ(bad.status, Status::InvalidRequest);
    EXPECT_EQ(bad.cloud_code, "-32602");

    auto mcp = this->call("discovery.search", R"({"types":"mcp","limit":10})");
    EXPECT_EQ(mcp["total"].GetInt(), 1);
    EXPECT_EQ(str(mcp["services"][0], "type"), "mcp");
    EXPECT_EQ(this->fail("discovery.search", R"({"limit":1000})").status, Status::InvalidRequest);
}

// ---- API keys -------------------------------------------------------------------------------

TYPED_TEST(Breadth, ApiKeysNeedABrowserSessionOnTheRealCloud) {
    ErrorInfo e = this->fail("api_keys.list");
    EXPECT_EQ(e.status, Status::SessionRequired);
    EXPECT_EQ(e.http_status, 401);
    EXPECT_EQ(e.cloud_code, "session_auth_required");
    EXPECT_NE(e.message.find("browser session"), std::string::npos) << e.message;
    EXPECT_EQ(this->fail("api_keys.create", R"({"name":"k"})").status, Status::SessionRequired);
}

TYPED_TEST(Breadth, ApiKeysLifecycleWhenTheEmulatorLetsKeysThrough) {
    this->emulator().control("POST", "/__emulator/config", R"({"apiKeysAcceptKeys":true})");
    auto created =
        this->call("api_keys.create", R"({"name":"ci","permissions":["chat"],"rate_limit":50})");
    const std::string id = str(created["apiKey"], "id");
    const std::string plain = str(created, "plainKey");
    EXPECT_EQ(plain.rfind("eliza_", 0), 0u);
    EXPECT_EQ(str(created["apiKey"], "key_prefix"), plain.substr(0, 12));
    // The new key works.
    auto other = this->client_for(plain);
    EXPECT_TRUE(this->run("apps.list", "{}", other.get()).error.ok());

    EXPECT_EQ(
        str(this->call("api_keys.update", R"({"id":")" + id + R"(","name":"ci-2"})")["apiKey"],
            "name"),
        "ci-2");
    EXPECT_EQ(this->call("api_keys.list")["keys"].Size(), 1u);
    const std::string renewed =
        str(this->call("api_keys.regenerate", R"({"id":")" + id + "\"}"), "plainKey");
    EXPECT_NE(renewed, plain);
    EXPECT_EQ(this->run("apps.list", "{}", other.get()).error.status, Status::Unauthorized);
    this->call("api_keys.delete", R"({"id":")" + id + "\"}");
    EXPECT_EQ(this->fail("api_keys.delete", R"({"id":")" + id + "\"}").status, Status::NotFound);
    EXPECT_EQ(this->fail("api_keys.create", R"({"name":"k","rate_limit":0})").status,
              Status::InvalidRequest);
    EXPECT_EQ(this->fail("api_keys.create", R"({"name":""})").status, Status::InvalidArgument);
}

// ---- billing --------------------------------------------------------------------------------

TYPED_TEST(Breadth, CheckoutVerifyAndTheSummary) {
    const double before =
        this->call("billing.summary")["organization"]["creditBalance"].GetDouble();
    auto checkout = this->call("billing.checkout",
                               R"({"credits":25,"success_url":"http://localhost:3000/ok",)"
                               R"("cancel_url":"http://localhost:3000/no","affiliateCode":"x"})");
    const std::string session = str(checkout, "sessionId");
    EXPECT_NE(str(checkout, "url").find(session), std::string::npos);
    EXPECT_EQ(
        this->call("billing.verify", R"({"session_id":")" + session + "\"}")["amount"].GetDouble(),
        25.0);
    EXPECT_DOUBLE_EQ(this->call("billing.summary")["organization"]["creditBalance"].GetDouble(),
                     before + 25);
    // success:false on a 200 is an error too.
    EXPECT_EQ(this->fail("billing.verify", R"({"session_id":"cs_unknown"})").status,
              Status::Server);
    EXPECT_EQ(
        this->fail("billing.checkout", R"({"credits":5000,"success_url":"http://localhost:3000",)"
                                       R"("cancel_url":"http://localhost:3000"})")
            .status,
        Status::InvalidRequest);
    EXPECT_EQ(this->fail("billing.checkout", R"({"credits":5})").status, Status::InvalidArgument);
}

TYPED_TEST(Breadth, AutoTopUpSettingsTransactionsAndTheTrigger) {
    auto settings = this->call("billing.settings");
    EXPECT_FALSE(settings["settings"]["autoTopUp"]["enabled"].GetBool());
    auto updated =
        this->call("billing.update_settings", R"({"autoTopUp":{"amount":10,"threshold":50}})");
    EXPECT_EQ(updated["settings"]["autoTopUp"]["threshold"].GetDouble(), 50.0);
    EXPECT_EQ(this->fail("billing.update_settings", R"({"autoTopUp":{"enabled":true}})").status,
              Status::InvalidRequest);  // no payment method
    this->emulator().control("POST", "/__emulator/config", R"({"hasPaymentMethod":true})");
    this->call("billing.update_settings", R"({"autoTopUp":{"enabled":true}})");
    if (TestFixture::kEliza) {
        EXPECT_EQ(this->fail("billing.transactions").status, Status::Generation);
        EXPECT_EQ(this->fail("billing.auto_top_up").status, Status::Generation);
        return;
    }
    auto transactions = this->call("billing.transactions", R"({"limit":5})");
    EXPECT_GE(transactions["total"].GetInt(), 1);
    auto topped = this->call("billing.auto_top_up");  // the balance starts below $50
    EXPECT_EQ(topped["amount"].GetDouble(), 10.0);
    EXPECT_DOUBLE_EQ(topped["newBalance"].GetDouble(), topped["previousBalance"].GetDouble() + 10);
}

// ---- apps -----------------------------------------------------------------------------------

TYPED_TEST(Breadth, AppsLifecycleMoneyAndDomains) {
    auto created = this->call("apps.create", R"({"name":"My App","app_url":"https://a.example"})");
    const std::string id = str(created["app"], "id");
    EXPECT_FALSE(str(created, "apiKey").empty());
    ErrorInfo taken =
        this->fail("apps.create", R"({"name":"My App","app_url":"https://a.example"})");
    EXPECT_EQ(taken.status, Status::Conflict);
    auto check = this->call("apps.check_name", R"({"name":"My App"})");
    EXPECT_FALSE(check["available"].GetBool());
    EXPECT_EQ(str(check, "suggestedName"), "My App-2");
    const std::string app = R"({"id":")" + id + "\"";
    EXPECT_EQ(str(this->call("apps.update", app + R"(,"description":"d"})")["app"], "description"),
              "d");
    EXPECT_EQ(str(this->call("apps.get", app + "}")["app"], "description"), "d");
    EXPECT_EQ(this->call("apps.list")["apps"].Size(), 1u);
    EXPECT_EQ(
        str(this->call("apps.analytics", app + R"(,"period":"monthly"})")["analytics"], "period"),
        "monthly");
    EXPECT_EQ(this->call("apps.users", app + R"(,"limit":5})")["total"].GetInt(), 0);

    auto money = this->call("apps.monetization.update",
                            app + R"(,"monetizationEnabled":true,"inferenceMarkupPercentage":20})");
    EXPECT_TRUE(money["monetization"]["monetizationEnabled"].GetBool());
    EXPECT_EQ(
        this->call("apps.monetization.get", app + "}")["monetization"]["inferenceMarkupPercentage"]
            .GetDouble(),
        20.0);
    EXPECT_EQ(
        this->fail("apps.monetization.update", app + R"(,"purchaseSharePercentage":150})").status,
        Status::InvalidRequest);
    EXPECT_EQ(this->call("apps.earnings", app + "}")["earnings"]["available"].GetDouble(), 20.0);
    EXPECT_EQ(this->call("apps.withdraw", app + R"(,"amount":5})")["available"].GetDouble(), 15.0);
    EXPECT_EQ(this->fail("apps.withdraw", app + R"(,"amount":100})").status,
              Status::InvalidRequest);
    EXPECT_FALSE(str(this->call("apps.regenerate_api_key", app + "}"), "apiKey").empty());

    const std::string domain = app + R"(,"domain":"app.example.com"})";
    EXPECT_FALSE(this->call("apps.domains.add", domain)["domain"]["verified"].GetBool());
    EXPECT_EQ(this->fail("apps.domains.add", domain).status, Status::Conflict);
    EXPECT_TRUE(this->call("apps.domains.verify", domain)["domain"]["verified"].GetBool());
    EXPECT_EQ(this->call("apps.domains.list", app + "}")["domains"].Size(), 1u);
    this->call("apps.domains.remove", domain);
    EXPECT_EQ(this->call("apps.domains.list", app + "}")["domains"].Size(), 0u);
    EXPECT_EQ(this->fail("apps.domains.add", app + R"(,"domain":"x.y"})").status,
              Status::InvalidArgument);  // 4 characters at least, checked locally

    this->call("apps.delete", app + "}");
    EXPECT_EQ(this->fail("apps.get", app + "}").status, Status::NotFound);
}

TYPED_TEST(Breadth, AnUnknownAppIsNotFoundAndABadIdNeverLeaves) {
    ErrorInfo e = this->fail("apps.get", std::string(R"({"id":")") + kUnknownId + "\"}");
    EXPECT_EQ(e.status, Status::NotFound);
    EXPECT_EQ(e.http_status, 404);
    EXPECT_EQ(this->fail("apps.analytics", std::string(R"({"id":")") + kUnknownId + "\"}").status,
              Status::NotFound);
    EXPECT_EQ(this->fail("apps.get", R"({"id":"../user"})").status, Status::InvalidArgument);
    EXPECT_EQ(this->fail("apps.create", R"({"name":"x"})").status, Status::InvalidArgument);
    EXPECT_EQ(this->fail("apps.list", R"({"bogus":1})").status, Status::InvalidArgument);
    EXPECT_EQ(this->count("GET /api/v1/apps/{id}"), 1);
    EXPECT_EQ(this->count("POST /api/v1/apps"), 0);
}

// ---- health ---------------------------------------------------------------------------------

TYPED_TEST(Breadth, Health) {
    auto health = this->call("health");
    EXPECT_EQ(str(health, "status"), "ok");
    EXPECT_EQ(json::member(health, "environment") != nullptr, TestFixture::kEliza);
}

// ---- the rows themselves --------------------------------------------------------------------

TEST(BreadthRows, EveryBreadthRowIsThereWithItsAnswerAndIdempotence) {
    const char *names[] = {"chat.completions.create",
                           "messages.create",
                           "responses.create",
                           "embeddings.create",
                           "models.list",
                           "models.get",
                           "images.generate",
                           "video.generate",
                           "voices.list",
                           "voices.get",
                           "voices.delete",
                           "knowledge.list",
                           "knowledge.add",
                           "knowledge.query",
                           "knowledge.delete",
                           "containers.create",
                           "containers.list",
                           "containers.get",
                           "containers.update",
                           "containers.delete",
                           "containers.logs",
                           "containers.metrics",
                           "containers.deployments",
                           "containers.quota",
                           "a2a.send",
                           "a2a.get_task",
                           "a2a.cancel_task",
                           "a2a.card",
                           "discovery.search",
                           "api_keys.list",
                           "api_keys.create",
                           "api_keys.update",
                           "api_keys.delete",
                           "api_keys.regenerate",
                           "billing.summary",
                           "billing.checkout",
                           "billing.verify",
                           "billing.transactions",
                           "billing.settings",
                           "billing.update_settings",
                           "billing.auto_top_up",
                           "apps.create",
                           "apps.list",
                           "apps.get",
                           "apps.update",
                           "apps.delete",
                           "apps.check_name",
                           "apps.analytics",
                           "apps.users",
                           "apps.monetization.get",
                           "apps.monetization.update",
                           "apps.earnings",
                           "apps.withdraw",
                           "apps.regenerate_api_key",
                           "apps.domains.add",
                           "apps.domains.list",
                           "apps.domains.remove",
                           "apps.domains.verify",
                           "health"};
    for (const char *name : names) {
        const api::OperationSpec *op = api::find_operation(name);
        ASSERT_NE(op, nullptr) << name;
        EXPECT_EQ(op->kind, api::Kind::Http) << name;
        EXPECT_EQ(op->surface, api::Surface::Plain) << name;
        const std::string_view m = op->http_method;
        if (m == "GET" || m == "PUT" || m == "DELETE") {
            EXPECT_TRUE(op->idempotent) << name;
        }
    }
    EXPECT_EQ(api::operation("a2a.get_task").rpc_method, "tasks/get");
    EXPECT_EQ(api::operation("a2a.send").answer, api::Answer::JsonRpc);
    EXPECT_EQ(api::operation("containers.list").answer, api::Answer::Data);
    EXPECT_EQ(api::operation("health").scope, api::Scope::None);
}

TEST(BreadthRows, AJsonRpcMethodGoesWithAJsonRpcAnswer) {
    api::OperationSpec rpc{.name = "x.rpc",
                           .summary = "s",
                           .http_method = "POST",
                           .milady_path = "/api/a2a",
                           .body = api::Body::Params,
                           .answer = api::Answer::Whole,
                           .rpc_method = "tasks/get"};
    const api::OperationSpec *rows[] = {&rpc};
    const auto defects = api::check_rows(rows, api::types());
    ASSERT_EQ(defects.size(), 1u);
    EXPECT_NE(defects[0].find("JSON-RPC"), std::string::npos) << defects[0];
}

}  // namespace
}  // namespace elizacloud
