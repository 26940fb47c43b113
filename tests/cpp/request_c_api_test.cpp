// The generic request through the C ABI (ec_cloud_request, ec_cloud_request_sync and the
// "routes" operation) against the real emulator on both generations: catalogued routes answer,
// unknown ones are refused before any request, path values are encoded, transient failures of
// idempotent requests are retried (and only of those), rate-limit headers reach results and
// errors, and streams come as chunk events. Links libelizacloud.so only, like a real host.
#include <elizacloud/elizacloud.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "emu.h"

namespace {

struct CloudDeleter {
    void operator()(ec_cloud *c) const { ec_cloud_destroy(c); }
};
using CloudPtr = std::unique_ptr<ec_cloud, CloudDeleter>;

struct EventDeleter {
    void operator()(ec_event *e) const { ec_event_free(e); }
};
using EventPtr = std::unique_ptr<ec_event, EventDeleter>;

struct Owned {
    char *p = nullptr;
    ~Owned() { ec_free(p); }
    std::string str() const { return p ? p : ""; }
};

bool has(const std::string &text, const std::string &part) {
    return text.find(part) != std::string::npos;
}

class Request : public ::testing::TestWithParam<const char *> {
protected:
    void SetUp() override {
        const char *const flags[] = {"--generation", GetParam(), nullptr};
        ASSERT_EQ(emu_start(&emu_, EC_EMULATOR_PATH, flags), 0);
        char *body = nullptr;
        ASSERT_EQ(emu_request(&emu_, "POST", "/__emulator/keys", "{}", &body), 201);
        char minted[128];
        ASSERT_EQ(emu_json_string(body, "apiKey", minted, sizeof minted), 0);
        free(body);
        key_ = minted;
        ec_cloud_options o;
        ASSERT_EQ(ec_cloud_options_init(&o, sizeof o), EC_OK);
        o.no_config_file = 1;
        o.base_url = emu_.url;
        o.api_key = key_.c_str();
        o.insecure_local = 1;
        ec_cloud *c = nullptr;
        ASSERT_EQ(ec_cloud_create(&o, &c), EC_OK) << ec_last_error_message();
        cloud_.reset(c);
    }
    void TearDown() override {
        cloud_.reset();
        emu_stop(&emu_);
    }
    bool eliza() const { return std::string(GetParam()) == "eliza"; }

    ec_status sync(const char *method, const char *path, const char *options, std::string &out) {
        Owned result;
        const ec_status s =
            ec_cloud_request_sync(cloud_.get(), method, path, options, 30'000, &result.p);
        out = s == EC_OK ? result.str() : std::string(ec_last_error_message());
        return s;
    }
    void fault(const std::string &rule) {
        char *body = nullptr;
        ASSERT_EQ(emu_request(&emu_, "POST", "/__emulator/faults", rule.c_str(), &body), 201);
        free(body);
    }
    // How many requests the emulator saw on a route template ("GET /api/v1/models").
    long count(const std::string &route) {
        char *body = nullptr;
        emu_request(&emu_, "GET", "/__emulator/state", nullptr, &body);
        const std::string state = body ? body : "";
        free(body);
        const std::string key = "\"" + route + "\":";
        const size_t at = state.find(key);
        return at == std::string::npos ? -1 : std::atol(state.c_str() + at + key.size());
    }

    emu emu_{};
    std::string key_;
    CloudPtr cloud_;
};

TEST_P(Request, ACataloguedRouteAnswersWithTheResponseRecord) {
    std::string out;
    ASSERT_EQ(sync("GET", "/api/v1/models", nullptr, out), EC_OK) << out;
    EXPECT_TRUE(has(out, R"("status":200)")) << out;
    EXPECT_TRUE(has(out, R"("json":{)")) << out;
    EXPECT_TRUE(has(out, R"("path":"/api/v1/models")")) << out;
    EXPECT_TRUE(has(out, R"("attempts":1)")) << out;
    EXPECT_TRUE(has(out, R"("content-type":"application/json)")) << out;
}

TEST_P(Request, EveryOtherCataloguedRouteGetsTheEmulatorsGenericAnswer) {
    std::string out;
    // A route the emulator does not implement (one of the catalogue's ~400) still answers.
    ASSERT_EQ(sync("GET", "/api/v1/advertising/campaigns/{id}/analytics",
                   R"({"pathParams":{"id":"app one"}})", out),
              EC_OK)
        << out;
    EXPECT_TRUE(has(out, R"("emulated":true)")) << out;
    // The value went out percent-encoded as one segment (the emulator decodes it).
    EXPECT_TRUE(has(out, R"("pathParams":["app one"])")) << out;
    EXPECT_TRUE(has(out, R"("path":"/api/v1/advertising/campaigns/{id}/analytics")")) << out;
}

TEST_P(Request, QueryAndJsonBodyAreSent) {
    std::string out;
    ASSERT_EQ(sync("POST", "/api/v1/advertising/campaigns/{id}/creatives",
                   R"({"pathParams":{"id":"a1"},"query":{"dry":true,"tag":["x","y z"]},)"
                   R"("json":{"domain":"example.com"}})",
                   out),
              EC_OK)
        << out;
    EXPECT_TRUE(has(out, R"("status":201)")) << out;
    EXPECT_TRUE(has(out, R"("dry":"true")")) << out;
    EXPECT_TRUE(has(out, R"("body":{"domain":"example.com"})")) << out;
}

TEST_P(Request, UnknownRoutesAndBadArgumentsAreRefusedBeforeAnyRequest) {
    std::string out;
    EXPECT_EQ(sync("GET", "/api/v1/no-such-thing", nullptr, out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(has(out, "is not a public route")) << out;
    EXPECT_EQ(sync("DELETE", "/api/v1/models", nullptr, out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(has(out, "takes GET")) << out;
    EXPECT_EQ(sync("GET", "/api/v1/models?x=1", nullptr, out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(sync("GET", "/api/v1/apps/{id}", "{}", out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(has(out, "pathParams.id is required")) << out;
    EXPECT_EQ(sync("GET", "/api/v1/apps/../models", nullptr, out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(sync("GET", "/api/v1/apps/a b", nullptr, out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(sync("GET", "/api/v1/models", R"({"headers":{"X-API-Key":"other"}})", out),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(sync("GET", "/api/v1/models", R"({"headers":{"X-App-Id":"a\r\nEvil: 1"}})", out),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(sync("GET", "/api/v1/models", R"({"json":{}})", out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(sync("GET", "/api/v1/models", R"({"method":"POST"})", out), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(sync("TRACE", "/api/v1/models", nullptr, out), EC_ERR_INVALID_ARGUMENT);
    // Nothing reached the cloud.
    EXPECT_EQ(count("GET (unmatched)"), 0);
    EXPECT_EQ(count("GET /api/v1/models"), 0);
}

TEST_P(Request, UncataloguedCallsGoOutWhenAsked) {
    std::string out;
    EXPECT_EQ(sync("GET", "/api/v1/brand-new", R"({"uncatalogued":true})", out), EC_ERR_NOT_FOUND);
    EXPECT_EQ(count("GET (unmatched)"), 1);
}

TEST_P(Request, TransientFailuresOfIdempotentRequestsAreRetried) {
    fault(R"({"method":"GET","path":"/api/v1/models","times":2,"action":"status","status":503,)"
          R"("headers":{"retry-after-ms":"20"}})");
    std::string out;
    ASSERT_EQ(sync("GET", "/api/v1/models", nullptr, out), EC_OK) << out;
    EXPECT_TRUE(has(out, R"("attempts":3)")) << out;
    EXPECT_EQ(count("GET /api/v1/models"), 3);
}

TEST_P(Request, RetriesStopAtMaxRetries) {
    fault(R"({"method":"GET","path":"/api/v1/models","always":true,"action":"status",)"
          R"("status":502,"headers":{"Retry-After":"0"}})");
    std::string out;
    EXPECT_EQ(sync("GET", "/api/v1/models", R"({"maxRetries":1})", out), EC_ERR_SERVER);
    EXPECT_EQ(count("GET /api/v1/models"), 2);
}

TEST_P(Request, TheMaxRetriesOptionBoundsRetriesOfTypedCallsToo) {
    ec_cloud_options o;
    ASSERT_EQ(ec_cloud_options_init(&o, sizeof o), EC_OK);
    EXPECT_EQ(ec_cloud_options_set(&o, "max_retries", "-2"), EC_ERR_INVALID_ARGUMENT);
    ASSERT_EQ(ec_cloud_options_set(&o, "max_retries", "-1"), EC_OK);  // never retry
    EXPECT_EQ(o.max_retries, -1);
    o.no_config_file = 1;
    o.base_url = emu_.url;
    o.api_key = key_.c_str();
    o.insecure_local = 1;
    ec_cloud *raw = nullptr;
    ASSERT_EQ(ec_cloud_create(&o, &raw), EC_OK) << ec_last_error_message();
    CloudPtr once(raw);
    const char *list = eliza() ? "/api/v1/eliza/agents" : "/api/v1/milady/agents";
    fault(std::string(R"({"method":"GET","path":")") + list +
          R"(","times":1,"action":"status","status":503,"headers":{"Retry-After":"0"}})");
    Owned out;
    EXPECT_EQ(ec_cloud_call_sync(once.get(), "agents.list", nullptr, 30'000, &out.p),
              EC_ERR_SERVER);
    EXPECT_EQ(count(std::string("GET ") + list), 1);
    // The default handle retries the same failure of a read.
    fault(std::string(R"({"method":"GET","path":")") + list +
          R"(","times":1,"action":"status","status":503,"headers":{"Retry-After":"0"}})");
    Owned listed;
    EXPECT_EQ(ec_cloud_call_sync(cloud_.get(), "agents.list", nullptr, 30'000, &listed.p), EC_OK)
        << ec_last_error_message();
    EXPECT_EQ(count(std::string("GET ") + list), 3);
    o.max_retries = 11;
    EXPECT_EQ(ec_cloud_create(&o, &raw), EC_ERR_INVALID_ARGUMENT);
}

TEST_P(Request, APlainPostIsNeverRetriedUnlessMarkedIdempotent) {
    const char *rule =
        R"({"method":"POST","path":"/api/v1/advertising/campaigns/*/creatives","times":1,)"
        R"("action":"status","status":503,"headers":{"Retry-After":"0"}})";
    fault(rule);
    std::string out;
    EXPECT_EQ(sync("POST", "/api/v1/advertising/campaigns/{id}/creatives",
                   R"({"pathParams":{"id":"a"}})", out),
              EC_ERR_SERVER);
    EXPECT_EQ(count("POST /api/v1/advertising/campaigns/{id}/creatives"), 1);
    fault(rule);
    ASSERT_EQ(sync("POST", "/api/v1/advertising/campaigns/{id}/creatives",
                   R"({"pathParams":{"id":"a"},"idempotent":true})", out),
              EC_OK)
        << out;
    EXPECT_TRUE(has(out, R"("attempts":2)")) << out;
}

TEST_P(Request, RateLimitHeadersReachResultsAndErrors) {
    fault(R"({"method":"GET","path":"/api/v1/models","times":1,"action":"status","status":429,)"
          R"("headers":{"Retry-After":"120","X-RateLimit-Limit":"60","X-RateLimit-Remaining":"0",)"
          R"("X-RateLimit-Reset":"1767225600"}})");
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_request(cloud_.get(), "GET", "/api/v1/models", nullptr, &id), EC_OK);
    ec_event *raw = nullptr;
    ASSERT_EQ(ec_cloud_wait_event(cloud_.get(), 30'000, &raw), EC_OK);
    EventPtr ev(raw);
    ASSERT_EQ(ev->type, EC_EVENT_REQUEST_COMPLETED);
    // A wait above 60 s is not retried: the error surfaces with its retry-after.
    EXPECT_EQ(ev->status, EC_ERR_RATE_LIMITED);
    const std::string details(ev->json, ev->json_len);
    EXPECT_TRUE(has(details, R"("retryAfterMs":120000)")) << details;
    EXPECT_TRUE(has(details, R"("rateLimit":{"limit":60,"remaining":0,"reset":"1767225600"})"))
        << details;
}

TEST_P(Request, AServerSentEventStreamComesAsChunkEvents) {
    // A catalogued streaming route the emulator answers generically: one JSON event, then [DONE].
    const char *path = eliza() ? "/api/v1/eliza/agents/{agentId}/api/conversations/"
                                 "{conversationId}/messages/stream"
                               : "/api/v1/app-builder/stream";
    const std::string options =
        eliza() ? R"({"stream":"sse","pathParams":{"agentId":"a","conversationId":"c"}})"
                : R"({"stream":"sse"})";
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_request(cloud_.get(), "POST", path, options.c_str(), &id), EC_OK)
        << ec_last_error_message();
    std::vector<std::string> data;
    std::string end_json;
    ec_status end_status = EC_ERR_TIMEOUT;
    for (;;) {
        ec_event *raw = nullptr;
        ASSERT_EQ(ec_cloud_wait_event(cloud_.get(), 30'000, &raw), EC_OK);
        EventPtr ev(raw);
        if (ev->request_id != id) continue;
        if (ev->type == EC_EVENT_STREAM_CHUNK) {
            data.emplace_back(ev->text, ev->text_len);
            EXPECT_STREQ(ev->json, R"({"event":"message"})");
            continue;
        }
        ASSERT_EQ(ev->type, EC_EVENT_STREAM_END);
        end_status = ev->status;
        end_json.assign(ev->json, ev->json_len);
        break;
    }
    EXPECT_EQ(end_status, EC_OK) << end_json;
    ASSERT_EQ(data.size(), 2u);
    EXPECT_TRUE(has(data[0], R"("emulated":true)")) << data[0];
    EXPECT_EQ(data[1], "[DONE]");
    EXPECT_TRUE(has(end_json, R"("status":)")) << end_json;
    EXPECT_FALSE(has(end_json, R"("json":)")) << end_json;
}

TEST_P(Request, BinaryAnswersAreBase64OrRawByteChunks) {
    std::string out;
    ASSERT_EQ(sync("POST", "/api/elevenlabs/tts", R"({"json":{"text":"hi"}})", out), EC_OK) << out;
    // 16 bytes with a NUL: \x89EMU\r\n\x1a\n\0\x01\x02\x03\xfe\xff\x7f\x80
    EXPECT_TRUE(has(out, R"("base64":"iUVNVQ0KGgoAAQID/v9/gA==")")) << out;

    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_request(cloud_.get(), "POST", "/api/elevenlabs/tts",
                               R"({"json":{"text":"hi"},"stream":"bytes"})", &id),
              EC_OK);
    std::string bytes;
    for (;;) {
        ec_event *raw = nullptr;
        ASSERT_EQ(ec_cloud_wait_event(cloud_.get(), 30'000, &raw), EC_OK);
        EventPtr ev(raw);
        if (ev->type == EC_EVENT_STREAM_CHUNK) {
            bytes.append(ev->text, ev->text_len);
            continue;
        }
        ASSERT_EQ(ev->type, EC_EVENT_STREAM_END);
        EXPECT_EQ(ev->status, EC_OK);
        break;
    }
    EXPECT_EQ(bytes, std::string("\x89"
                                 "EMU\r\n\x1a\n\x00\x01\x02\x03\xfe\xff\x7f\x80",
                                 16));
}

TEST_P(Request, RoutesListsTheGenerationsCatalogue) {
    Owned out;
    ASSERT_EQ(ec_cloud_call_sync(cloud_.get(), "routes", nullptr, 30'000, &out.p), EC_OK)
        << ec_last_error_message();
    const std::string routes = out.str();
    EXPECT_TRUE(has(routes, std::string(R"("generation":")") + GetParam() + "\""))
        << routes.substr(0, 200);
    EXPECT_EQ(has(routes, R"("path":"/api/v1/eliza/agents/{agentId}/wake")"), eliza());
    EXPECT_TRUE(has(routes, R"("path":"/api/health")"));
    Owned other;
    ASSERT_EQ(
        ec_cloud_call_sync(cloud_.get(), "routes", R"({"generation":"milady"})", 30'000, &other.p),
        EC_OK);
    EXPECT_TRUE(has(other.str(), R"("path":"/api/v1/milady/agents")"));
}

TEST_P(Request, PublicRowsNeedNoKey) {
    ec_cloud_options o;
    ASSERT_EQ(ec_cloud_options_init(&o, sizeof o), EC_OK);
    o.no_config_file = 1;
    o.base_url = emu_.url;
    o.insecure_local = 1;
    ec_cloud *raw = nullptr;
    ASSERT_EQ(ec_cloud_create(&o, &raw), EC_OK) << ec_last_error_message();
    CloudPtr keyless(raw);
    Owned health, models, agents;
    EXPECT_EQ(ec_cloud_call_sync(keyless.get(), "health", nullptr, 30'000, &health.p), EC_OK)
        << ec_last_error_message();
    EXPECT_TRUE(has(health.str(), R"("status")")) << health.str();
    EXPECT_EQ(ec_cloud_call_sync(keyless.get(), "models.list", nullptr, 30'000, &models.p), EC_OK)
        << ec_last_error_message();
    // A route that needs the key still says so before any request.
    EXPECT_EQ(ec_cloud_call_sync(keyless.get(), "identity", nullptr, 30'000, &agents.p),
              EC_ERR_NOT_CONNECTED);
}

// The emulator's C§7.5 limits: a STANDARD route (60 per window) answers its X-RateLimit-*
// headers, the 61st request in the window is a 429 with Retry-After, and a call that may retry
// waits the window out and succeeds.
TEST_P(Request, ARateLimitedRouteIsRiddenOutByRetries) {
    char *body = nullptr;
    ASSERT_EQ(emu_request(&emu_, "POST", "/__emulator/config",
                          R"({"rateLimits":true,"rateLimitWindowMs":1500})", &body),
              200);
    free(body);
    std::string out;
    ASSERT_EQ(sync("GET", "/api/v1/discovery", nullptr, out), EC_OK) << out;
    EXPECT_TRUE(has(out, R"("rateLimit":{"limit":60,"remaining":59,"reset":")")) << out;
    for (int i = 0; i < 59; ++i)
        ASSERT_EQ(sync("GET", "/api/v1/discovery", R"({"maxRetries":0})", out), EC_OK) << out;
    uint64_t id = 0;
    ASSERT_EQ(
        ec_cloud_request(cloud_.get(), "GET", "/api/v1/discovery", R"({"maxRetries":0})", &id),
        EC_OK);
    ec_event *raw = nullptr;
    ASSERT_EQ(ec_cloud_wait_event(cloud_.get(), 30'000, &raw), EC_OK);
    EventPtr ev(raw);
    EXPECT_EQ(ev->status, EC_ERR_RATE_LIMITED);
    const std::string details(ev->json, ev->json_len);
    EXPECT_TRUE(has(details, R"("code":"rate_limit_exceeded")")) << details;
    EXPECT_TRUE(has(details, R"("remaining":0)")) << details;
    ASSERT_EQ(sync("GET", "/api/v1/discovery", nullptr, out), EC_OK) << out;
    EXPECT_FALSE(has(out, R"("attempts":1,)")) << out;
}

// The inference streams: text deltas as chunk events, then the accumulated answer.
TEST_P(Request, ChatCompletionAndMessageStreamsDeliverDeltasThenTheWhole) {
    uint64_t id = 0;
    ASSERT_EQ(
        ec_cloud_call_stream(
            cloud_.get(), "chat.completions.stream",
            R"({"model":"openai/gpt-5-mini","messages":[{"role":"user","content":"a b c"}]})", &id),
        EC_OK)
        << ec_last_error_message();
    std::string text, end;
    int chunks = 0;
    for (;;) {
        ec_event *raw = nullptr;
        ASSERT_EQ(ec_cloud_wait_event(cloud_.get(), 30'000, &raw), EC_OK);
        EventPtr ev(raw);
        if (ev->request_id != id) continue;
        if (ev->type == EC_EVENT_STREAM_CHUNK) {
            text.append(ev->text, ev->text_len);
            ++chunks;
            continue;
        }
        ASSERT_EQ(ev->type, EC_EVENT_STREAM_END);
        EXPECT_EQ(ev->status, EC_OK) << ev->message;
        end.assign(ev->json, ev->json_len);
        break;
    }
    EXPECT_EQ(text, "echo: a b c");
    EXPECT_GT(chunks, 1);
    EXPECT_TRUE(has(end, R"("text":"echo: a b c")")) << end;
    EXPECT_TRUE(has(end, R"("finishReason":"stop")")) << end;

    Owned message;
    ASSERT_EQ(ec_cloud_call_sync(cloud_.get(), "messages.stream",
                                 R"({"model":"anthropic/claude-haiku-4.5","max_tokens":64,)"
                                 R"("messages":[{"role":"user","content":"hi there"}]})",
                                 30'000, &message.p),
              EC_OK)
        << ec_last_error_message();
    EXPECT_TRUE(has(message.str(), R"("content":[{"type":"text","text":"echo: hi there"}])"))
        << message.str();
    EXPECT_TRUE(has(message.str(), R"("stop_reason":"end_turn")")) << message.str();
}

TEST_P(Request, AStreamCutBeforeItsEndIsANetworkError) {
    fault(R"({"method":"POST","path":"/api/v1/chat/completions","action":"close",)"
          R"("afterEvents":2})");
    Owned out;
    EXPECT_EQ(ec_cloud_call_sync(
                  cloud_.get(), "chat.completions.stream",
                  R"({"model":"openai/gpt-5-mini","messages":[{"role":"user","content":"a b c"}]})",
                  30'000, &out.p),
              EC_ERR_NETWORK);
}

TEST_P(Request, TextToSpeechStreamsBytes) {
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_call_stream(cloud_.get(), "voices.tts", R"({"text":"hello"})", &id), EC_OK)
        << ec_last_error_message();
    std::string audio, end;
    for (;;) {
        ec_event *raw = nullptr;
        ASSERT_EQ(ec_cloud_wait_event(cloud_.get(), 30'000, &raw), EC_OK);
        EventPtr ev(raw);
        if (ev->type == EC_EVENT_STREAM_CHUNK) {
            audio.append(ev->text, ev->text_len);
            continue;
        }
        ASSERT_EQ(ev->type, EC_EVENT_STREAM_END);
        EXPECT_EQ(ev->status, EC_OK) << ev->message;
        end.assign(ev->json, ev->json_len);
        break;
    }
    EXPECT_EQ(audio.size(), 16u);
    EXPECT_EQ(audio[8], '\0');
    EXPECT_TRUE(has(end, R"("bytes":16)")) << end;
    EXPECT_EQ(ec_cloud_call_stream(cloud_.get(), "voices.tts", R"({"text":""})", &id),
              EC_ERR_INVALID_ARGUMENT);
}

// Review findings, each a test that failed before its fix.
TEST_P(Request, DotSegmentsNeverReachThePathInAnyForm) {
    std::string out;
    // A value a URL parser resolves (. or ..) would move the request to another route.
    EXPECT_EQ(sync("GET", "/api/v1/advertising/campaigns/{id}/analytics",
                   R"({"pathParams":{"id":".."}})", out),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(has(out, "must not be . or ..")) << out;
    // Percent-encoded dots are dot segments to most servers.
    EXPECT_EQ(sync("GET", "/api/v1/advertising/campaigns/%2e%2e/analytics", nullptr, out),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(sync("GET", "/api/v1/advertising/campaigns/.%2E/analytics", nullptr, out),
              EC_ERR_INVALID_ARGUMENT);
    // Typed rows too.
    Owned job;
    EXPECT_EQ(ec_cloud_call_sync(cloud_.get(), "jobs.get", R"({"jobId":".."})", 10'000, &job.p),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(count("GET (unmatched)"), 0);
}

TEST_P(Request, HeadersThatWouldConflictAreRefused) {
    std::string out;
    EXPECT_EQ(sync("POST", "/api/v1/advertising/campaigns",
                   R"({"json":{},"headers":{"Content-Type":"text/plain"}})", out),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(has(out, "contentType")) << out;
    EXPECT_EQ(sync("GET", "/api/v1/models", R"({"headers":{"X-App-Id":""}})", out),
              EC_ERR_INVALID_ARGUMENT);
    // The caller's Accept replaces the client's (one Accept header goes out).
    ASSERT_EQ(sync("GET", "/api/v1/models", R"({"headers":{"Accept":"application/json"}})", out),
              EC_OK)
        << out;
}

TEST_P(Request, ASynchronousTextToSpeechKeepsTheAudio) {
    Owned out;
    ASSERT_EQ(ec_cloud_call_sync(cloud_.get(), "voices.tts", R"({"text":"hello"})", 30'000, &out.p),
              EC_OK)
        << ec_last_error_message();
    EXPECT_TRUE(has(out.str(), R"("base64":"iUVNVQ0KGgoAAQID/v9/gA==")")) << out.str();
}

TEST_P(Request, AStreamAnsweredInOnePieceIsNotANetworkFailure) {
    const char *params =
        R"({"model":"openai/gpt-5-mini","messages":[{"role":"user","content":"a"}]})";
    fault(
        R"({"method":"POST","path":"/api/v1/chat/completions","times":1,"action":"status",)"
        R"("status":200,"body":{"error":{"message":"bad model","type":"invalid_request_error"}}})");
    Owned out;
    EXPECT_EQ(ec_cloud_call_sync(cloud_.get(), "chat.completions.stream", params, 30'000, &out.p),
              EC_ERR_INVALID_REQUEST);
    EXPECT_TRUE(has(ec_last_error_message(), "bad model")) << ec_last_error_message();
    fault(R"({"method":"POST","path":"/api/v1/chat/completions","times":1,"action":"status",)"
          R"("status":200,"body":{"id":"chatcmpl-1","choices":[]}})");
    EXPECT_EQ(ec_cloud_call_sync(cloud_.get(), "chat.completions.stream", params, 30'000, &out.p),
              EC_ERR_PROTOCOL);
}

TEST_P(Request, AHugeRetryAfterInTheBodyIsIgnored) {
    fault(R"({"method":"GET","path":"/api/v1/models","times":1,"action":"status","status":429,)"
          R"("body":{"success":false,"error":"slow down","retryAfter":1e300}})");
    uint64_t id = 0;
    ASSERT_EQ(ec_cloud_request(cloud_.get(), "GET", "/api/v1/models", R"({"maxRetries":0})", &id),
              EC_OK);
    ec_event *raw = nullptr;
    ASSERT_EQ(ec_cloud_wait_event(cloud_.get(), 30'000, &raw), EC_OK);
    EventPtr ev(raw);
    EXPECT_EQ(ev->status, EC_ERR_RATE_LIMITED);
    EXPECT_FALSE(has(std::string(ev->json, ev->json_len), "retryAfterMs"));
}

// Rows whose answer is a bare body (the inference catalogue, health …) retry like the others.
TEST_P(Request, IdempotentRowsWithBareAnswersAreRetriedToo) {
    fault(R"({"method":"GET","path":"/api/v1/models","times":2,"action":"status","status":503,)"
          R"("headers":{"Retry-After":"0"}})");
    Owned models;
    ASSERT_EQ(ec_cloud_call_sync(cloud_.get(), "models.list", nullptr, 30'000, &models.p), EC_OK)
        << ec_last_error_message();
    EXPECT_EQ(count("GET /api/v1/models"), 3);
}

// A key the cloud echoes in a stream's error reaches the host as its prefix only.
TEST_P(Request, AStreamErrorNeverCarriesAKey) {
    const std::string key = "eliza_" + std::string(64, 'a');
    fault(R"({"method":"POST","path":"/api/v1/chat/completions","times":1,"action":"status",)"
          R"("status":200,"body":{"error":{"message":"key )" +
          key + R"( is revoked","type":"authentication_error"}}})");
    uint64_t id = 0;
    ASSERT_EQ(
        ec_cloud_call_stream(
            cloud_.get(), "chat.completions.stream",
            R"({"model":"openai/gpt-5-mini","messages":[{"role":"user","content":"a"}]})", &id),
        EC_OK);
    ec_event *raw = nullptr;
    ASSERT_EQ(ec_cloud_wait_event(cloud_.get(), 30'000, &raw), EC_OK);
    EventPtr ev(raw);
    ASSERT_EQ(ev->type, EC_EVENT_STREAM_END);
    EXPECT_EQ(ev->status, EC_ERR_UNAUTHORIZED);
    const std::string message = ev->message;
    EXPECT_EQ(message.find(key), std::string::npos) << message;
    EXPECT_NE(message.find(key.substr(0, 12)), std::string::npos) << message;
}

TEST_P(Request, APathTwoTemplatesMatchGoesToTheOneWithTheEarlierLiteral) {
    // /api/v1/oauth/{platform}/callback and /api/v1/oauth/connections/{id} both match; at the
    // first difference the literal "connections" beats {platform}, whichever comes first.
    std::string out;
    ASSERT_EQ(sync("GET", "/api/v1/oauth/connections/callback", nullptr, out), EC_OK) << out;
    EXPECT_TRUE(has(out, R"("path":"/api/v1/oauth/connections/{id}")")) << out;
    ASSERT_EQ(sync("GET", "/api/v1/oauth/token/callback", nullptr, out), EC_OK) << out;
    EXPECT_TRUE(has(out, R"("path":"/api/v1/oauth/token/{platform}")")) << out;
    ASSERT_EQ(sync("GET", "/api/v1/oauth/google/callback", nullptr, out), EC_OK) << out;
    EXPECT_TRUE(has(out, R"("path":"/api/v1/oauth/{platform}/callback")")) << out;
}

TEST_P(Request, ARunningAgentIsTalkedToWithoutAConnection) {
    Owned created;
    ASSERT_EQ(ec_cloud_call_sync(cloud_.get(), "agents.create", R"({"agentName":"direct"})", 30'000,
                                 &created.p),
              EC_OK)
        << ec_last_error_message();
    char id[64];
    ASSERT_EQ(emu_json_string(created.str().c_str(), "id", id, sizeof id), 0) << created.str();
    char *body = nullptr;
    ASSERT_EQ(
        emu_request(&emu_, "POST", (std::string("/__emulator/agents/") + id + "/status").c_str(),
                    R"({"status":"running"})", &body),
        200);
    free(body);

    const std::string params = std::string(R"({"agentId":")") + id + R"(","text":"hi there"})";
    Owned reply;
    ASSERT_EQ(ec_cloud_call_sync(cloud_.get(), "send", params.c_str(), 30'000, &reply.p), EC_OK)
        << ec_last_error_message();
    EXPECT_EQ(reply.str(), R"({"text":"echo: hi there"})");
    Owned streamed;
    ASSERT_EQ(ec_cloud_call_sync(cloud_.get(), "stream", params.c_str(), 30'000, &streamed.p),
              EC_OK)
        << ec_last_error_message();
    EXPECT_EQ(streamed.str(), R"({"text":"echo: hi there"})");
    // Nothing of a connection happened: no heartbeat, no backup, no provisioning.
    const std::string agents = eliza() ? "/api/v1/eliza/agents" : "/api/v1/milady/agents";
    // (an eliza agent that is not on the shared runtime streams through its bridge too)
    EXPECT_EQ(count("POST " + agents + "/{id}/bridge"), eliza() ? 2 : 1);
    EXPECT_EQ(count("POST " + agents + "/{id}/snapshot"), 0);
    EXPECT_EQ(count("POST " + agents + "/{id}/provision"), 0);
    EXPECT_EQ(ec_cloud_state(cloud_.get()), EC_STATE_DISCONNECTED);

    // Without an agent id it is the connected agent's, and there is none.
    Owned none;
    EXPECT_EQ(ec_cloud_call_sync(cloud_.get(), "send", R"({"text":"hi"})", 30'000, &none.p),
              EC_ERR_NOT_CONNECTED);
}

TEST_P(Request, PerCallOptionsReplaceTheHandlesForOneCall) {
    auto call = [&](const char *options, Owned &out) {
        return ec_cloud_call_with_sync(cloud_.get(), "models.list", nullptr, options, 30'000,
                                       &out.p);
    };
    // The handle retries twice; this call not at all.
    fault(R"({"method":"GET","path":"/api/v1/models","times":1,"action":"status","status":503,)"
          R"("headers":{"Retry-After":"0"}})");
    Owned once;
    EXPECT_EQ(call(R"({"maxRetries":0})", once), EC_ERR_SERVER);
    EXPECT_EQ(count("GET /api/v1/models"), 1);
    // This one three times.
    fault(R"({"method":"GET","path":"/api/v1/models","times":3,"action":"status","status":503,)"
          R"("headers":{"Retry-After":"0"}})");
    Owned thrice;
    EXPECT_EQ(call(R"({"maxRetries":3})", thrice), EC_OK) << ec_last_error_message();
    EXPECT_EQ(count("GET /api/v1/models"), 5);
    // A per-call timeout bounds the request (the handle's CRUD timeout is 30 s).
    fault(R"({"method":"GET","path":"/api/v1/models","times":1,"action":"delay","delayMs":3000})");
    Owned slow;
    EXPECT_EQ(call(R"({"timeoutMs":200,"maxRetries":0})", slow), EC_ERR_TIMEOUT);
    EXPECT_TRUE(has(ec_last_error_message(), "total timeout 200 ms")) << ec_last_error_message();
    // No options is ec_cloud_call_sync; bad ones are refused before any request.
    Owned plain;
    EXPECT_EQ(call(nullptr, plain), EC_OK);
    Owned bad;
    EXPECT_EQ(call(R"({"retries":1})", bad), EC_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(has(ec_last_error_message(), "unknown call option")) << ec_last_error_message();
    EXPECT_EQ(call(R"({"maxRetries":11})", bad), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(call(R"({"timeoutMs":0})", bad), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(call("[1]", bad), EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(ec_cloud_call_with_sync(cloud_.get(), "messages.stream",
                                      R"({"model":"m","max_tokens":1,"messages":[]})",
                                      R"({"maxRetries":1})", 30'000, &bad.p),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(count("GET /api/v1/models"), 7);
    // The asynchronous form.
    uint64_t id = 0;
    EXPECT_EQ(ec_cloud_call_with(cloud_.get(), "models.list", nullptr, R"({"maxRetries":1})", &id),
              EC_OK);
    EXPECT_NE(id, 0u);
}

TEST_P(Request, FilesGoAsAMultipartBodyAndARetrySendsThemAgain) {
    char path[] = "/tmp/ec-request-XXXXXX";
    const int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    const std::string mp3 = "ID3\x04 some audio frames";
    ASSERT_EQ(write(fd, mp3.data(), mp3.size()), static_cast<ssize_t>(mp3.size()));
    close(fd);
    const std::string files = std::string(R"({"files":{"audio":{"path":")") + path +
                              R"(","filename":"memo.mp3"}},"form":{"languageCode":"de"}})";
    std::string out;
    ASSERT_EQ(sync("POST", "/api/v1/voice/stt", files.c_str(), out), EC_OK) << out;
    EXPECT_TRUE(has(out, R"(from memo.mp3 (de))")) << out;

    // A transient failure of a request marked idempotent: the parts are built again for the
    // second attempt (a curl_mime is consumed by the first).
    fault(R"({"method":"POST","path":"/api/v1/voice/stt","times":1,"action":"status",)"
          R"("status":503,"headers":{"Retry-After":"0"}})");
    const std::string again = files.substr(0, files.size() - 1) + R"(,"idempotent":true})";
    ASSERT_EQ(sync("POST", "/api/v1/voice/stt", again.c_str(), out), EC_OK) << out;
    EXPECT_TRUE(has(out, R"("attempts":2)")) << out;
    EXPECT_TRUE(has(out, std::to_string(mp3.size()) + " bytes of audio/mpeg audio")) << out;
    unlink(path);

    // A multipart body goes alone, and never with GET.
    EXPECT_EQ(sync("POST", "/api/v1/voice/stt",
                   R"({"files":{"audio":"/tmp/x.mp3"},"json":{"a":1}})", out),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(has(out, "not several")) << out;
    EXPECT_EQ(sync("POST", "/api/v1/voice/stt", R"({"form":{"a":"b"}})", out),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(sync("GET", "/api/v1/models", R"({"files":{"a":"/tmp/x"}})", out),
              EC_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(sync("POST", "/api/v1/voice/stt", R"({"files":{"audio":"/no/such.mp3"}})", out),
              EC_ERR_IO);
    EXPECT_EQ(count("POST /api/v1/voice/stt"), 3);
}

INSTANTIATE_TEST_SUITE_P(Generations, Request, ::testing::Values("milady", "eliza"));

}  // namespace
