// The dashboard's routes of the REST dispatcher: chat (whole and streamed), an agent's backups,
// provisioning progress and backups on the event stream (all against the emulator), and the
// dashboard's own files (no network).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "cloud_test_env.hpp"
#include "rest/rest_api.hpp"
#include "rest/rest_dashboard.hpp"
#include "rest_test_support.hpp"
#include "util/json.hpp"

namespace elizacloud {
namespace {

using test::json_string;
using test::rest::header_of;
using test::rest::make_cloud;
using test::rest::req;
using test::rest::RestEmulator;

// Everything a stream says until it ends (or 10 s pass).
std::string read_all(RestStream &stream) {
    std::string frames;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
        auto more = stream.read(200);
        if (!more) break;
        frames += *more;
    }
    return frames;
}

// The "text" of every frame of one event name, in order.
std::vector<std::string> texts_of(const std::string &frames, const std::string &event) {
    std::vector<std::string> out;
    const std::string head = "event: " + event + "\ndata: ";
    for (size_t at = frames.find(head); at != std::string::npos; at = frames.find(head, at + 1)) {
        const size_t start = at + head.size();
        out.push_back(json_string(frames.substr(start, frames.find('\n', start) - start), "text"));
    }
    return out;
}

class RestRoutes : public RestEmulator {
protected:
    // Logged in, with an agent created and connected through the routes; its id.
    std::string connected_agent() {
        login();
        RestResponse r = send("POST", "/api/cloud/agents", R"({"agentName":"Chatty"})");
        EXPECT_EQ(r.status, 201) << r.body;
        json::Document doc;
        EXPECT_TRUE(json::parse(r.body, doc));
        const json::Value *agent = json::member(doc, "agent");
        const std::string id = agent ? json::get_string(*agent, "id").value_or("") : "";
        r = send("POST", "/api/cloud/agents/" + id + "/provision");
        EXPECT_EQ(r.status, 200) << r.body;
        return id;
    }
};

TEST_F(RestRoutes, ChatChecksTheKeyTheBodyAndTheConnection) {
    RestResponse r = send("POST", "/api/cloud/chat", R"({"text":"hi"})");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, R"({"error":"Not connected to Eliza Cloud"})");
    login();
    const std::pair<const char *, const char *> bad[] = {
        {"", R"({"error":"Invalid JSON in request body"})"},
        {"[1]", R"({"error":"Request body must be a JSON object"})"},
        {R"({"text":5})", R"({"error":"text must be a string"})"},
        {R"({"text":"  "})", R"({"error":"text is required"})"},
        {R"({})", R"({"error":"text is required"})"},
        {R"({"text":"a\u0000b"})", R"x({"error":"text must be text (no NUL characters)"})x"},
        {R"({"text":"hi","agentId":"nope"})", R"({"error":"agentId must be a UUID"})"},
        {R"({"text":"hi","agentId":7})", R"({"error":"agentId must be a UUID"})"},
    };
    for (const auto &[body, answer] : bad) {
        for (const char *route : {"/api/cloud/chat", "/api/cloud/chat/stream"}) {
            r = send("POST", route, body);
            EXPECT_EQ(r.status, 400) << route << " " << body;
            EXPECT_EQ(r.body, answer) << route << " " << body;
            EXPECT_FALSE(r.stream);
        }
    }
    r = send("POST", "/api/cloud/chat", R"({"text":"hi"})");
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.body, R"({"error":"No agent is connected"})");
    r = send("POST", "/api/cloud/chat/stream", R"({"text":"hi"})");
    EXPECT_EQ(r.status, 409);
    r = send("GET", "/api/cloud/chat");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(header_of(r, "Allow"), "POST");
}

TEST_F(RestRoutes, ChatAnswersWholeAndStreamsChunksThenTheWholeReply) {
    emulator_->control("POST", "/__emulator/config", R"({"streamChunkChars":3})");
    const std::string agent = connected_agent();
    RestResponse r = send("POST", "/api/cloud/chat", R"({"text":"hello there"})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, R"({"ok":true,"text":"echo: hello there"})");

    r = send("POST", "/api/cloud/chat/stream", R"({"text":"hello there"})");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_TRUE(r.stream);
    EXPECT_EQ(header_of(r, "Content-Type"), "text/event-stream");
    const std::string frames = read_all(*r.stream);
    const auto chunks = texts_of(frames, "chunk");
    ASSERT_GE(chunks.size(), 5u) << frames;  // "echo: hello there" in 3-character pieces
    std::string joined;
    for (const auto &c : chunks) joined += c;
    EXPECT_EQ(joined, "echo: hello there");
    EXPECT_EQ(texts_of(frames, "done"), std::vector<std::string>{"echo: hello there"}) << frames;
    EXPECT_LT(frames.rfind("event: chunk"), frames.find("event: done"));  // done comes last

    // Naming the connected agent is the same conversation.
    r = send("POST", "/api/cloud/chat", R"({"text":"again","agentId":")" + agent + "\"}");
    EXPECT_EQ(r.body, R"({"ok":true,"text":"echo: again"})");
}

TEST_F(RestRoutes, AStreamThatFailsEndsWithAnErrorEvent) {
    connected_agent();
    emulator_->control("POST", "/__emulator/bridge/script",
                       R"({"agentId":"*","replies":[{"error":{"code":-32000,"message":"boom"}}]})");
    RestResponse r = send("POST", "/api/cloud/chat/stream", R"({"text":"hi"})");
    ASSERT_TRUE(r.stream);
    const std::string frames = read_all(*r.stream);
    EXPECT_NE(frames.find("event: error\ndata: {\"error\":"), std::string::npos) << frames;
    EXPECT_EQ(frames.find("event: done"), std::string::npos) << frames;
    EXPECT_EQ(frames.find("boom"), std::string::npos) << frames;  // our words only
}

TEST_F(RestRoutes, AStreamWhoseReaderLeftIsCancelled) {
    emulator_->control("POST", "/__emulator/config",
                       R"({"streamChunkChars":1,"streamChunkDelayMs":100})");
    connected_agent();
    RestOptions one;
    one.max_event_streams = 1;  // one chat stream at a time: a second one tells the first ended
    api_ = std::make_unique<RestApi>(*cloud_, one);
    RestResponse r = send("POST", "/api/cloud/chat/stream", R"({"text":"a long, slow answer"})");
    ASSERT_TRUE(r.stream);
    auto first = r.stream->read(5'000);
    ASSERT_TRUE(first && !first->empty());
    EXPECT_EQ(send("POST", "/api/cloud/chat/stream", R"({"text":"x"})").status, 503);
    const auto left = std::chrono::steady_clock::now();
    r.stream->close();  // what the server does when the client hangs up
    // The whole answer (27 characters, 100 ms each) would hold the slot for about 2.7 s; the
    // next chunk after the close cancels the chat instead.
    RestResponse next;
    do {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        next = send("POST", "/api/cloud/chat/stream", R"({"text":"x"})");
    } while (next.status == 503 &&
             std::chrono::steady_clock::now() - left < std::chrono::seconds(3));
    EXPECT_EQ(next.status, 200) << next.body;
    EXPECT_LT(std::chrono::steady_clock::now() - left, std::chrono::milliseconds(1'500));
    if (next.stream) read_all(*next.stream);
}

TEST_F(RestRoutes, BackupsListSnapshotAndRestoreWithEvents) {
    auto events = send("GET", "/api/cloud/events").stream;
    ASSERT_TRUE(events);
    const std::string agent = connected_agent();
    const std::string base = "/api/cloud/agents/" + agent;

    RestResponse r = send("POST", base + "/snapshot");
    ASSERT_EQ(r.status, 200) << r.body;
    json::Document doc;
    ASSERT_TRUE(json::parse(r.body, doc));
    EXPECT_TRUE(json::get_bool(doc, "ok").value_or(false));
    const json::Value *backup = json::member(doc, "backup");
    ASSERT_TRUE(backup && backup->IsObject()) << r.body;
    const std::string backup_id = json::get_string(*backup, "backupId").value_or("");
    ASSERT_FALSE(backup_id.empty()) << r.body;

    r = send("GET", base + "/backups");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_TRUE(json::parse(r.body, doc));
    const json::Value *list = json::member(doc, "backups");
    ASSERT_TRUE(list && list->IsArray() && list->Size() >= 1) << r.body;
    EXPECT_EQ(json::get_string((*list)[0], "id"), backup_id);

    r = send("POST", base + "/restore", R"({"backupId":")" + backup_id + "\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_TRUE(json::parse(r.body, doc));
    EXPECT_EQ(json::get_string(doc, "agentId"), agent);
    const json::Value *restored = json::member(doc, "restored");
    ASSERT_TRUE(restored) << r.body;
    EXPECT_EQ(json::get_string(*restored, "restoredFromBackupId"), backup_id);
    r = send("POST", base + "/restore");  // no body: the latest
    EXPECT_EQ(r.status, 200) << r.body;

    r = send("POST", base + "/restore", R"({"backupId":5})");
    EXPECT_EQ(r.body, R"({"error":"backupId must be a string"})");
    r = send("POST", base + "/restore", "[]");
    EXPECT_EQ(r.body, R"({"error":"Request body must be a JSON object"})");
    r = send("GET", "/api/cloud/agents/not-a-uuid/backups");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, R"({"error":"Invalid agent ID or cloud not connected"})");

    // The final backup of a disconnect is announced on the event stream.
    r = send("POST", "/api/cloud/disconnect");
    EXPECT_EQ(r.status, 200);
    std::string frames;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (frames.find("event: backup") == std::string::npos &&
           std::chrono::steady_clock::now() < until)
        frames += events->read(200).value_or("");
    EXPECT_NE(frames.find("event: progress\ndata: {\"agentId\":\"" + agent + "\",\"status\":"),
              std::string::npos)
        << frames;
    EXPECT_NE(frames.find("event: backup\ndata: {\"agentId\":\"" + agent +
                          "\",\"ok\":true,\"backupId\":\""),
              std::string::npos)
        << frames;
}

// ---- the dashboard's files (no network) ---------------------------------------------------------

class DashboardFiles : public ::testing::Test {
protected:
    void SetUp() override { cloud_ = make_cloud("http://127.0.0.1:9", ""); }
    RestResponse get(const std::string &target, bool dashboard = true, std::string method = "GET",
                     Headers headers = {}) {
        RestOptions options;
        options.dashboard = dashboard;
        options.token = "a-token-the-pages-do-not-need";
        RestApi api(*cloud_, options);
        return api.dispatch(req(std::move(method), target, {}, std::move(headers)));
    }
    std::unique_ptr<Cloud> cloud_;
};

TEST_F(DashboardFiles, ThePageIsServedWithAStrictPolicyAndNoToken) {
    RestResponse r = get("/");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(header_of(r, "Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(header_of(r, "Content-Security-Policy"), rest::kDashboardCsp);
    EXPECT_NE(header_of(r, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(header_of(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header_of(r, "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(header_of(r, "X-Frame-Options"), "DENY");
    EXPECT_NE(r.body.find("<html"), std::string::npos);
    EXPECT_EQ(get("/dashboard/index.html").body, r.body);
    EXPECT_EQ(get("/", true, "HEAD").status, 200);
    // The API still wants its token.
    EXPECT_EQ(get("/api/cloud/status").status, 401);
}

TEST_F(DashboardFiles, OnlyTheFolderItselfAndOnlyGet) {
    for (const char *path : {"/dashboard/missing.js", "/dashboard/../CMakeLists.txt",
                             "/dashboard/.hidden.js", "/dashboard/a/b.js", "/dashboard/",
                             "/dashboard/index.exe", "/index.html", "/dashboard%2Findex.html"}) {
        RestResponse r = get(path);
        EXPECT_EQ(r.status, 404) << path;
    }
    RestResponse r = get("/", true, "POST");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(header_of(r, "Allow"), "GET, HEAD");
    r = get("/", true, "GET", {{"Host", "evil.example"}});
    EXPECT_EQ(r.status, 403);  // a rebinding page cannot load it under its own name
    r = get("/", false);       // a mounted dispatcher leaves "/" to its host
    EXPECT_EQ(r.status, 404);
    EXPECT_FALSE(r.handled);
}

TEST_F(DashboardFiles, AFolderFromTheEnvironmentReplacesTheEmbeddedFiles) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("ec-dashboard-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "index.html") << "<html>mine</html>";
    ::setenv("ELIZACLOUD_DASHBOARD_DIR", dir.c_str(), 1);
    RestResponse index = get("/");
    RestResponse missing = get("/dashboard/app.js");
    ::unsetenv("ELIZACLOUD_DASHBOARD_DIR");
    std::filesystem::remove_all(dir);
    EXPECT_EQ(index.body, "<html>mine</html>");
    EXPECT_EQ(missing.status, 404);  // no fallback to the embedded file
    EXPECT_NE(get("/").body, "<html>mine</html>");
}

}  // namespace
}  // namespace elizacloud
