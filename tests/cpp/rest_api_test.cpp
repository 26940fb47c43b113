// The REST dispatcher (RestApi): routing table, token, Host/Origin checks and body limits without
// any network (the cloud is never reached for those), then every route against the emulator
// with seed 000's bodies, and the event stream of state changes.
#include "rest/rest_api.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "cloud_test_env.hpp"
#include "handle/cloud.hpp"
#include "handle/request.hpp"
#include "rest_test_support.hpp"
#include "util/json.hpp"

namespace elizacloud {
namespace {

using test::json_string;
using test::rest::header_of;
using test::rest::kAgent;
using test::rest::kToken;
using test::rest::make_cloud;
using test::rest::req;
using test::rest::RestEmulator;

// ---- without network --------------------------------------------------------------------------

class RestDispatch : public ::testing::Test {
protected:
    // Port 9 (discard) is never contacted by these tests: every answer comes before the cloud.
    void SetUp() override { cloud_ = make_cloud("http://127.0.0.1:9", "", key_.c_str()); }
    RestResponse send(const RestRequest &r, RestOptions options = {}) {
        RestApi api(*cloud_, std::move(options));
        return api.dispatch(r);
    }
    std::string key_ = "eliza_" + std::string(64, 'a');
    std::unique_ptr<Cloud> cloud_;
};

TEST_F(RestDispatch, PathsOutsideTheApiAreNotHandled) {  // R35
    for (const char *path : {"/api/unknown", "/", "/api/cloudx", "/api/status"}) {
        RestResponse r = send(req("GET", path));
        EXPECT_FALSE(r.handled) << path;
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(r.body, R"({"error":"Not found"})");
    }
}

TEST_F(RestDispatch, RoutesMatchExactly) {  // G14
    for (const char *path :
         {"/api/cloud/unknown", "/api/cloud/login/statusXYZ", "/api/cloud/status/",
          "/api/cloud/agents/", "/api/cloud/agents/123e4567-e89b-42d3-a456-426614174000",
          "/api/cloud/agents/123e4567-e89b-42d3-a456-426614174000/anything/provision",
          "/api/cloud/agents/123e4567-e89b-42d3-a456-426614174000/provision/",
          "/api/cloud/agents//provision", "/api/cloud", "/api/cloud/"}) {
        RestResponse r = send(req("POST", path));
        EXPECT_TRUE(r.handled) << path;
        EXPECT_EQ(r.status, 404) << path;
        EXPECT_EQ(r.body, R"({"error":"Not found"})") << path;
        EXPECT_EQ(header_of(r, "Content-Type"), "application/json");
    }
}

TEST_F(RestDispatch, WrongMethodIs405WithAllow) {
    struct Case {
        std::string method, path, allow;
    };
    for (const Case &c :
         {Case{"GET", "/api/cloud/login", "POST"}, Case{"POST", "/api/cloud/login/status", "GET"},
          Case{"POST", "/api/cloud/status", "GET"}, Case{"DELETE", "/api/cloud/credits", "GET"},
          Case{"GET", "/api/cloud/disconnect", "POST"},
          Case{"PUT", "/api/cloud/agents", "GET, POST"},
          Case{"GET", "/api/cloud/agents/" + kAgent + "/connect", "POST"},
          Case{"HEAD", "/api/cloud/events", "GET"}}) {
        RestResponse r = send(req(c.method, c.path));
        EXPECT_EQ(r.status, 405) << c.method << " " << c.path;
        EXPECT_EQ(r.body, R"({"error":"Method not allowed"})");
        EXPECT_EQ(header_of(r, "Allow"), c.allow);
    }
}

TEST_F(RestDispatch, TokenIsRequiredOnEveryRouteWhenConfigured) {  // R189–R193
    RestOptions options;
    options.token = kToken;
    const std::string same_length(kToken.size(), 'x');
    for (const char *path : {"/api/cloud/login/status?sessionId=x", "/api/cloud/status",
                             "/api/cloud/credits", "/api/cloud/agents", "/api/cloud/nothing"}) {
        for (const Headers &headers :
             {Headers{}, Headers{{"Authorization", "Bearer " + same_length}},
              Headers{{"Authorization", "Bearer short"}},
              Headers{{"Authorization", "Bearer " + kToken + "x"}},
              Headers{{"Authorization", "Basic " + kToken}}, Headers{{"X-Api-Key", kToken}}}) {
            RestResponse r = send(req("GET", path, "", headers), options);
            EXPECT_EQ(r.status, 401) << path;
            EXPECT_EQ(r.body, R"({"error":"Unauthorized"})");
        }
    }
    // The right token, scheme in any case: past authentication (here: the route's own 400).
    RestResponse r =
        send(req("GET", "/api/cloud/login/status", "", {{"authorization", "bearer " + kToken}}),
             options);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"sessionId query parameter is required"})");
}

TEST_F(RestDispatch, HostAllowListComesFirst) {  // R192, R194
    RestOptions options;
    options.token = kToken;
    RestResponse r = send(req("GET", "/api/cloud/status", "", {{"Host", "evil.com"}}), options);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.body, "{\"error\":\"Forbidden \u2014 invalid Host header\"}");
    r = send(req("GET", "/api/cloud/status", "", {{"Host", "attacker.localhost:2138"}}));
    EXPECT_EQ(r.status, 403);
    r = send(req("GET", "/api/cloud/nothing", "", {{"Host", "localhost:2138"}}));
    EXPECT_EQ(r.status, 404);
    options.allowed_hosts = {"dashboard.lan"};
    r = send(req("GET", "/api/cloud/nothing", "",
                 {{"Host", "dashboard.lan:2138"}, {"Authorization", "Bearer " + kToken}}),
             options);
    EXPECT_EQ(r.status, 404);
}

TEST_F(RestDispatch, CrossSiteOriginsAreRefusedAndPreflightsAnswered) {
    RestResponse r =
        send(req("POST", "/api/cloud/disconnect", "", {{"Origin", "https://evil.example"}}));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.body, R"({"error":"Origin not allowed"})");
    RestOptions options;
    options.token = kToken;
    r = send(req("OPTIONS", "/api/cloud/agents", "", {{"Origin", "http://localhost:5173"}}),
             options);
    EXPECT_EQ(r.status, 204);  // no token needed for a preflight
    EXPECT_EQ(r.body, "");
    EXPECT_EQ(header_of(r, "Access-Control-Allow-Origin"), "http://localhost:5173");
    EXPECT_NE(header_of(r, "Access-Control-Allow-Headers").find("Authorization"),
              std::string::npos);
}

TEST_F(RestDispatch, BodyCapIsOneMebibyte) {  // R68, G19
    // Exactly 1 MiB: a JSON object padded with blanks is read (and rejected for its content).
    std::string body = "{}";
    body.resize(kRestMaxBodyBytes, ' ');
    RestResponse r = send(req("POST", "/api/cloud/agents", body));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"agentName is required"})");
    body.push_back(' ');
    r = send(req("POST", "/api/cloud/agents", body));
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.body, R"({"error":"Request body too large"})");
    EXPECT_EQ(header_of(r, "Connection"), "close");
}

TEST_F(RestDispatch, CreateBodyIsValidated) {  // R69–R72, G12
    struct Case {
        const char *body, *error;
    };
    for (const Case &c :
         {Case{"", "Invalid JSON in request body"}, Case{"{", "Invalid JSON in request body"},
          Case{"[]", "Request body must be a JSON object"},
          Case{"null", "Request body must be a JSON object"},
          Case{"\"x\"", "Request body must be a JSON object"},
          Case{"5", "Request body must be a JSON object"}, Case{"{}", "agentName is required"},
          Case{R"({"agentName":"   "})", "agentName is required"},
          Case{R"({"agentName":5})", "agentName must be a string"},
          Case{R"({"agentName":["a"]})", "agentName must be a string"},
          Case{R"({"agentName":"a","agentConfig":[]})", "agentConfig must be a JSON object"},
          Case{R"({"agentName":"a","environmentVars":{"A":1}})",
               "environmentVars must be an object of strings"}}) {
        RestResponse r = send(req("POST", "/api/cloud/agents", c.body));
        EXPECT_EQ(r.status, 400) << c.body;
        EXPECT_EQ(json_string(r.body, "error"), c.error) << c.body;
    }
    RestResponse deep = send(req("POST", "/api/cloud/agents", std::string(200'000, '[')));
    EXPECT_EQ(deep.status, 400);
    EXPECT_EQ(json_string(deep.body, "error"), "Invalid JSON in request body");
}

TEST_F(RestDispatch, AgentRoutesCheckTheIdBeforeAnyRequest) {  // R76, R77, R79, R83
    for (const char *action : {"provision", "connect", "shutdown"}) {
        for (const char *id : {"not-a-uuid", "invalid", "123e4567-e89b-42d3-a456-42661417400%30"}) {
            RestResponse r =
                send(req("POST", "/api/cloud/agents/" + std::string(id) + "/" + action));
            EXPECT_EQ(r.status, 400) << id;
            EXPECT_EQ(r.body, R"({"error":"Invalid agent ID or cloud not connected"})");
        }
    }
}

TEST_F(RestDispatch, LoginStatusAcceptsOnlyOwnUuidSessions) {  // R46, G5
    RestResponse r = send(req("GET", "/api/cloud/login/status"));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"sessionId query parameter is required"})");
    r = send(req("GET", "/api/cloud/login/status?sessionId="));
    EXPECT_EQ(r.status, 400);
    r = send(req("GET", "/api/cloud/login/status?sessionId=..%2Fuser"));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"sessionId must be a UUID"})");
    r = send(req("GET", "/api/cloud/login/status?sessionId=" + kAgent));  // not created here
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"expired","error":"Session not found or expired"})");
}

TEST(RestDispatchNoKey, AgentRoutesNeedAKey) {  // R65, R67, R77
    auto cloud = make_cloud("http://127.0.0.1:9", "");
    RestApi api(*cloud, {});
    RestResponse r = api.dispatch(req("GET", "/api/cloud/agents"));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, R"({"error":"Not connected to Eliza Cloud"})");
    r = api.dispatch(req("POST", "/api/cloud/agents", "{"));  // checked before the body
    EXPECT_EQ(r.status, 401);
    r = api.dispatch(req("POST", "/api/cloud/agents/" + kAgent + "/provision"));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"Invalid agent ID or cloud not connected"})");
    // Status and credits answer without a key (no request is made).
    r = api.dispatch(req("GET", "/api/cloud/status"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(json_string(r.body, "reason"), "runtime_not_started");
    r = api.dispatch(req("GET", "/api/cloud/credits"));
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find(R"("balance":null)"), std::string::npos);
    r = api.dispatch(req("POST", "/api/cloud/disconnect"));  // always 200 (R86)
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"ok":true,"status":"disconnected"})");
    EXPECT_EQ(r.credentials, CredentialsChange::Removed);
}

TEST(RestDispatchNoKey, ShutdownAnswers503) {
    auto cloud = make_cloud("http://127.0.0.1:9", "");
    RestApi api(*cloud, {});
    api.shutdown();
    RestResponse r = api.dispatch(req("GET", "/api/cloud/status"));
    EXPECT_EQ(r.status, 503);
}

// ---- against the emulator ---------------------------------------------------------------------

TEST_F(RestEmulator, LoginCreatesATrackedSessionAndPersistsTheKey) {  // R45, R57–R60
    RestResponse r = send("POST", "/api/cloud/login");
    ASSERT_EQ(r.status, 200) << r.body;
    json::Document doc;
    ASSERT_TRUE(json::parse(r.body, doc));
    EXPECT_TRUE(json::get_bool(doc, "ok").value_or(false));
    const std::string session = json::get_string(doc, "sessionId").value_or("");
    EXPECT_EQ(json::get_string(doc, "browserUrl"),
              emulator_->url() + "/auth/cli-login?session=" + session);
    EXPECT_EQ(doc.MemberCount(), 3u);

    r = send("GET", "/api/cloud/login/status?sessionId=" + session);
    ASSERT_EQ(r.status, 200);
    ASSERT_TRUE(json::parse(r.body, doc));
    EXPECT_EQ(json::get_string(doc, "status"), "authenticated");
    const std::string prefix = json::get_string(doc, "keyPrefix").value_or("");
    EXPECT_EQ(prefix.size(), 12u);
    EXPECT_EQ(doc.MemberCount(), 2u);
    EXPECT_EQ(r.body.find("eliza_" + std::string(20, 'x')), std::string::npos);
    EXPECT_EQ(r.credentials, CredentialsChange::Stored);
    const std::string key = cloud_->api_key();
    EXPECT_EQ(key.substr(0, 12), prefix);
    EXPECT_EQ(r.body.find(key), std::string::npos);  // the key is never returned
    EXPECT_NE(config_text().find(key), std::string::npos);
    // The host hears about it as after any login.
    bool credentials = false;
    while (auto event = cloud_->queue().try_pop())
        if (event->type == EC_EVENT_CREDENTIALS_CHANGED && event->text == prefix)
            credentials = true;
    EXPECT_TRUE(credentials);

    // Finished: polling again is "expired".
    r = send("GET", "/api/cloud/login/status?sessionId=" + session);
    EXPECT_EQ(r.body, R"({"status":"expired","error":"Session not found or expired"})");
    // Status now says connected with the identity.
    r = send("GET", "/api/cloud/status");
    ASSERT_TRUE(json::parse(r.body, doc));
    EXPECT_TRUE(json::get_bool(doc, "connected").value_or(false));
    EXPECT_EQ(json::get_string(doc, "userId"), "00000000-0000-4000-8000-000000000001");
}

// A login saves the cloud that issued the key; a handle for another base URL never sends that key
// (not even to revoke it) and every operation that needs one says where the key came from.
TEST_F(RestEmulator, TheKeyGoesOnlyToTheCloudThatIssuedIt) {
    login();
    const std::string key = cloud_->api_key();
    json::Document doc;
    ASSERT_TRUE(json::parse(config_text(), doc));
    const json::Value *cloud = json::member(doc, "cloud");
    ASSERT_NE(cloud, nullptr);
    EXPECT_EQ(json::get_string(*cloud, "apiKeyBaseUrl"), emulator_->url());

    // Port 9 (discard): nothing there is ever contacted; a request would fail with Network.
    const std::string elsewhere = "http://127.0.0.1:9";
    auto other = make_cloud(elsewhere, config_);
    try {
        other->api_key();
        ADD_FAILURE() << "the emulator's key was handed out for another cloud";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), Status::NotConnected);
        const std::string message = e.what();
        EXPECT_NE(message.find("issued by " + emulator_->url() + ", not " + elsewhere),
                  std::string::npos)
            << message;
        EXPECT_NE(message.find("elizacloud login"), std::string::npos) << message;
        EXPECT_EQ(message.find(key), std::string::npos);
    }
    for (const char *op : {"agents.list", "credits", "identity"}) {
        try {
            other->run(make_request(op), 10'000);
            ADD_FAILURE() << op << " ran with another cloud's key";
        } catch (const Error &e) {
            EXPECT_EQ(e.status(), Status::NotConnected) << op << ": " << e.what();
            EXPECT_NE(std::string(e.what()).find("issued by " + emulator_->url()),
                      std::string::npos)
                << op << ": " << e.what();
        }
    }
    // Status says why it is not connected, without asking the other cloud.
    RestApi other_api(*other, RestOptions{});
    RestResponse r = other_api.dispatch(req("GET", "/api/cloud/status"));
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_TRUE(json::parse(r.body, doc));
    EXPECT_EQ(json::get_bool(doc, "connected"), false);
    EXPECT_EQ(json::get_bool(doc, "hasApiKey"), true);
    EXPECT_EQ(json::get_string(doc, "apiKeyBaseUrl"), emulator_->url());
    EXPECT_EQ(r.body.find(key), std::string::npos);

    // The same cloud spelled differently is the same cloud; a key given explicitly (or from the
    // environment, which the bindings pass the same way) is the caller's choice.
    auto same = make_cloud(emulator_->url() + "/api/v1/", config_);
    EXPECT_EQ(same->api_key(), key);
    EXPECT_NO_THROW(same->run(make_request("identity"), 10'000));
    auto explicit_key = make_cloud(elsewhere, config_, key.c_str());
    EXPECT_EQ(explicit_key->api_key(), key);

    // Logout on the other handle forgets the stored key and its origin (nothing is revoked
    // there); the issuing cloud then has no key either.
    other->run(make_request("logout"), 10'000);
    ASSERT_TRUE(json::parse(config_text(), doc));
    cloud = json::member(doc, "cloud");
    ASSERT_NE(cloud, nullptr);
    EXPECT_FALSE(json::member(*cloud, "apiKey"));
    EXPECT_FALSE(json::member(*cloud, "apiKeyBaseUrl"));
}

// A key saved by hand (or by an older version) has no apiKeyBaseUrl and is sent as before.
TEST_F(RestEmulator, AKeyWithoutItsOriginIsSentAsBefore) {
    {
        std::ofstream out(config_);
        out << R"({"cloud":{"apiKey":")" << emulator_->create_key() << R"("}})";
    }
    auto c = make_cloud(emulator_->url(), config_);
    EXPECT_NO_THROW(c->run(make_request("identity"), 10'000));
}

TEST_F(RestEmulator, LoginTracksAndPollsTheSessionIdTheCloudMinted) {
    // The emulator as today's cloud: it ignores the id the client sends and mints its own.
    emulator_->control("POST", "/__emulator/config", R"({"mintSessionIds":true})");
    RestResponse r = send("POST", "/api/cloud/login");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string session = json_string(r.body, "sessionId");
    auto listed = emulator_->control("GET", "/__emulator/sessions");
    EXPECT_NE(listed.body.find(R"("sessionId":")" + session + '"'), std::string::npos)
        << listed.body;
    r = send("GET", "/api/cloud/login/status?sessionId=" + session);
    EXPECT_EQ(json_string(r.body, "status"), "authenticated") << r.body;
}

TEST_F(RestEmulator, LoginUpstreamFailuresUseOurMessages) {  // R41–R44, R49–R53, G7
    emulator_->fault(R"({"path":"/api/auth/cli-session","action":"status","status":503,)"
                     R"("body":{"error":"upstream secret detail"}})");
    RestResponse r = send("POST", "/api/cloud/login");
    EXPECT_EQ(r.status, 502);
    EXPECT_EQ(r.body, R"({"error":"Failed to create auth session with Eliza Cloud"})");
    emulator_->fault(R"({"path":"/api/auth/cli-session","action":"redirect",)"
                     R"("location":"http://169.254.169.254/latest/meta-data"})");
    r = send("POST", "/api/cloud/login");
    EXPECT_EQ(r.status, 502);
    EXPECT_EQ(json_string(r.body, "error"),
              "Eliza Cloud login request was redirected; redirects are not allowed");

    emulator_->control("POST", "/__emulator/config", R"({"autoApprove":false})");
    r = send("POST", "/api/cloud/login");
    const std::string session = json_string(r.body, "sessionId");
    const std::string status = "/api/cloud/login/status?sessionId=" + session;
    EXPECT_EQ(send("GET", status).body, R"({"status":"pending"})");
    emulator_->fault(R"({"path":"/api/auth/cli-session/*","action":"status","status":500})");
    EXPECT_EQ(send("GET", status).body,
              R"({"status":"error","error":"Eliza Cloud returned HTTP 500"})");
    emulator_->fault(R"({"path":"/api/auth/cli-session/*","action":"malformed"})");
    r = send("GET", status);
    EXPECT_EQ(r.status, 502);
    EXPECT_EQ(r.body, R"({"status":"error","error":"Eliza Cloud returned an invalid response"})");
    emulator_->fault(R"({"path":"/api/auth/cli-session/*","action":"redirect","status":307,)"
                     R"("location":"http://127.0.0.1:8080/internal"})");
    r = send("GET", status);
    EXPECT_EQ(r.status, 502);
    EXPECT_EQ(json_string(r.body, "error"),
              "Eliza Cloud status request was redirected; redirects are not allowed");
    // Still tracked after transient failures; a 404 ends it.
    emulator_->fault(R"({"path":"/api/auth/cli-session/*","action":"status","status":404})");
    EXPECT_EQ(send("GET", status).body,
              R"({"status":"expired","error":"Session not found or expired"})");
    EXPECT_EQ(emulator_->request_count("GET /api/auth/cli-session/{id}"), 5);
    EXPECT_EQ(send("GET", status).body,
              R"({"status":"expired","error":"Session not found or expired"})");
    EXPECT_EQ(emulator_->request_count("GET /api/auth/cli-session/{id}"), 5);  // not asked
}

TEST_F(RestEmulator, DisconnectDuringAPollKeepsTheKeyOut) {
    emulator_->control("POST", "/__emulator/config", R"({"autoApprove":false})");
    RestResponse r = send("POST", "/api/cloud/login");
    const std::string session = json_string(r.body, "sessionId");
    emulator_->control("POST", "/__emulator/sessions/" + session + "/approve", "{}");
    send("POST", "/api/cloud/disconnect");  // forgets the session before it is polled
    r = send("GET", "/api/cloud/login/status?sessionId=" + session);
    EXPECT_EQ(json_string(r.body, "status"), "expired");
    EXPECT_THROW(cloud_->api_key(), Error);
}

TEST_F(RestEmulator, AgentsLifecycleWithSeedBodies) {  // seed 000, R66, R73, R78, R81–R91
    login();
    RestResponse r =
        send("POST", "/api/cloud/agents",
             R"({"agentName":"  My Cloud Agent  ","agentConfig":{"character":"milady"},)"
             R"("environmentVars":{"OPENAI_API_KEY":"sk-x"}})");
    ASSERT_EQ(r.status, 201) << r.body;
    json::Document doc;
    ASSERT_TRUE(json::parse(r.body, doc));
    EXPECT_TRUE(json::get_bool(doc, "ok").value_or(false));
    const json::Value *agent = json::member(doc, "agent");
    ASSERT_TRUE(agent);
    const std::string id = json::get_string(*agent, "id").value_or("");
    EXPECT_EQ(json::get_string(*agent, "name"), "My Cloud Agent");  // trimmed (G12)
    EXPECT_EQ(json::get_string(*agent, "agentName"), "My Cloud Agent");
    EXPECT_TRUE(json::get_string(*agent, "status"));

    r = send("GET", "/api/cloud/agents");
    ASSERT_EQ(r.status, 200);
    ASSERT_TRUE(json::parse(r.body, doc));
    const json::Value *agents = json::member(doc, "agents");
    ASSERT_TRUE(agents && agents->IsArray() && agents->Size() == 1);
    EXPECT_EQ(json::get_string((*agents)[0], "name"), "My Cloud Agent");
    EXPECT_TRUE(json::get_string((*agents)[0], "createdAt"));

    auto stream = send("GET", "/api/cloud/events").stream;
    ASSERT_TRUE(stream);
    r = send("POST", "/api/cloud/agents/" + id + "/provision");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, R"({"ok":true,"agentId":")" + id +
                          R"(","agentName":"My Cloud Agent","status":{"connected":true,)"
                          R"("state":"connected"}})");
    r = send("POST", "/api/cloud/agents/" + id + "/connect");  // the same agent: no-op
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(json_string(r.body, "agentName"), "My Cloud Agent");

    std::string frames;
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (frames.find("\"state\":\"connected\"") == std::string::npos &&
           std::chrono::steady_clock::now() < until)
        frames += stream->read(200).value_or("");
    EXPECT_NE(frames.find("event: snapshot"), std::string::npos);
    EXPECT_NE(frames.find("event: state\ndata: {\"state\":\"connecting\",\"previousState\":"
                          "\"disconnected\",\"agentId\":\"" +
                          id + "\",\"reason\":null,\"attempt\":0,\"nextDelayMs\":null}\n\n"),
              std::string::npos)
        << frames;
    EXPECT_NE(frames.find("\"state\":\"connected\""), std::string::npos);

    r = send("POST", "/api/cloud/agents/" + id + "/shutdown");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, R"({"ok":true,"agentId":")" + id + R"(","status":"stopped"})");
    EXPECT_EQ(cloud_->state(), EC_STATE_DISCONNECTED);
    r = send("POST", "/api/cloud/agents/" + id + "/shutdown");  // gone now
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body, R"({"error":"Cloud agent not found"})");

    r = send("POST", "/api/cloud/disconnect");
    EXPECT_EQ(r.body, R"({"ok":true,"status":"disconnected"})");
    EXPECT_EQ(config_text().find("apiKey"), std::string::npos);
    r = send("GET", "/api/cloud/status");
    EXPECT_EQ(json_string(r.body, "reason"), "not_authenticated");
}

TEST_F(RestEmulator, CreditsThresholdsAreStrict) {  // R108
    login();
    struct Case {
        const char *balance;
        bool low, critical;
    };
    for (const Case &c : {Case{"1.99", true, false}, Case{"2.00", false, false},
                          Case{"0.49", true, true}, Case{"0.50", true, false}}) {
        emulator_->control("POST", "/__emulator/credits",
                           std::string(R"({"balance":)") + c.balance + "}");
        RestResponse r = send("GET", "/api/cloud/credits");
        json::Document doc;
        ASSERT_TRUE(json::parse(r.body, doc));
        EXPECT_EQ(json::get_number(doc, "balance"), std::stod(c.balance));
        EXPECT_EQ(json::get_bool(doc, "low"), c.low) << c.balance;
        EXPECT_EQ(json::get_bool(doc, "critical"), c.critical) << c.balance;
        EXPECT_EQ(json::get_string(doc, "topUpUrl"),
                  emulator_->url() + "/dashboard/settings?tab=billing");
    }
    // A cloud failure is 200 with a null balance and our message (R106, G7).
    emulator_->fault(R"({"path":"/api/v1/credits/balance","action":"status","status":503,)"
                     R"("body":{"error":"secret upstream text"}})");
    RestResponse r = send("GET", "/api/cloud/credits");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(json_string(r.body, "error"), "Eliza Cloud returned an error");
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
}

TEST_F(RestEmulator, CloudErrorsNeverLeakUpstreamText) {  // R74, G7
    login();
    emulator_->fault(R"({"path":"/api/v1/milady/agents","method":"POST","action":"status",)"
                     R"("status":403,"body":{"error":"Quota exceeded: internal id 42"}})");
    RestResponse r = send("POST", "/api/cloud/agents", R"({"agentName":"x"})");
    EXPECT_EQ(r.status, 502);
    EXPECT_EQ(r.body, R"({"error":"Eliza Cloud refused the request"})");
}

}  // namespace
}  // namespace elizacloud
