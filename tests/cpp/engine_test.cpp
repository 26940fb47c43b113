// The HTTP engine over real loopback sockets against an in-process cpp-httplib server.
#include "net/engine.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "blocking_engine.hpp"
#include "net/host_queue.hpp"
#include "net/transfer.hpp"
#include "test_server.hpp"

namespace elizacloud {
namespace {

using Ms = std::chrono::milliseconds;
using test::TestServer;

int64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<Ms>(std::chrono::steady_clock::now() - since).count();
}

EngineOptions local_options(std::shared_ptr<Clock> clock = nullptr) {
    UrlPolicyOptions policy;
    policy.insecure_local = true;
    EngineOptions options;
    options.policy = std::make_shared<UrlPolicy>(policy);
    options.clock = std::move(clock);
    return options;
}

HttpRequest get(std::string url) {
    HttpRequest r;
    r.url = std::move(url);
    r.connect_timeout_ms = 5'000;
    r.total_timeout_ms = 20'000;
    return r;
}

// A one-way gate tests and handlers use to wait for each other without sleeping.
class Gate {
public:
    void open() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            open_ = true;
        }
        cv_.notify_all();
    }
    bool wait(int ms) {
        std::unique_lock<std::mutex> lock(mutex_);
        return cv_.wait_for(lock, Ms(ms), [this] { return open_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool open_ = false;
};

// Counts events and lets a test wait for a number of them.
class Counter {
public:
    void increment() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            ++count_;
        }
        cv_.notify_all();
    }
    bool wait_for(int n, int ms) {
        std::unique_lock<std::mutex> lock(mutex_);
        return cv_.wait_for(lock, Ms(ms), [&] { return count_ >= n; });
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    int count_ = 0;
};

// Collects completions of submitted requests.
class Completions {
public:
    Completion callback() {
        return [this](HttpResponse &&r) {
            std::lock_guard<std::mutex> lock(mutex_);
            responses_.push_back(std::move(r));
            cv_.notify_all();
        };
    }
    bool wait_for(size_t n, int ms) {
        std::unique_lock<std::mutex> lock(mutex_);
        return cv_.wait_for(lock, Ms(ms), [&] { return responses_.size() >= n; });
    }
    std::vector<HttpResponse> take() {
        std::lock_guard<std::mutex> lock(mutex_);
        return std::move(responses_);
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<HttpResponse> responses_;
};

class EngineTest : public ::testing::Test {
protected:
    void SetUp() override {
        httplib::Server &s = server_.server();
        s.Get("/ok", [](const httplib::Request &, httplib::Response &res) {
            res.set_content("hello", "text/plain");
        });
        s.Get("/missing", [](const httplib::Request &, httplib::Response &res) {
            res.status = 404;
            res.set_content(R"({"error":"Not found"})", "application/json");
        });
        s.Get("/boom", [](const httplib::Request &, httplib::Response &res) {
            res.status = 500;
            res.set_content(R"({"error":"boom"})", "application/json");
        });
        s.Get("/redirect", [](const httplib::Request &, httplib::Response &res) {
            res.status = 302;
            res.set_header("Location", "https://evil.example/steal");
            res.set_content("moved", "text/plain");
        });
        s.Get("/redirect-secret", [](const httplib::Request &, httplib::Response &res) {
            res.status = 302;
            res.set_header(
                "Location",
                "https://u:hunter2pass@evil.example/eliza_0123abcdefSECRET?sig=hunter2pass");
            res.set_content("moved", "text/plain");
        });
        s.Get("/slow", [this](const httplib::Request &, httplib::Response &res) {
            slow_started_.increment();
            server_.wait_for_stop(10'000);
            res.set_content("late", "text/plain");
        });
        s.Post("/slow", [this](const httplib::Request &, httplib::Response &res) {
            slow_started_.increment();
            server_.wait_for_stop(10'000);
            res.set_content("late", "text/plain");
        });
        s.Get("/ua", [](const httplib::Request &req, httplib::Response &res) {
            res.set_content(req.get_header_value("User-Agent"), "text/plain");
        });
        s.Get("/ua-count", [](const httplib::Request &req, httplib::Response &res) {
            res.set_content(std::to_string(req.get_header_value_count("User-Agent")), "text/plain");
        });
        s.Post("/echo", [](const httplib::Request &req, httplib::Response &res) {
            res.status = 201;
            res.set_header("X-Seen", req.get_header_value("X-Custom"));
            res.set_content(req.method + ":" + req.body, "text/plain");
        });
        s.Put("/echo", [](const httplib::Request &req, httplib::Response &res) {
            res.set_content(req.method + ":" + req.body, "text/plain");
        });
        s.Get(R"(/echo/(\d+))", [](const httplib::Request &req, httplib::Response &res) {
            res.set_content(req.matches[1].str(), "text/plain");
        });
        // What arrived: method, form or body, and the custom header, for the reuse test.
        auto seen = [](const httplib::Request &req, httplib::Response &res) {
            std::string form;
            for (const auto &[name, file] : req.files) form += name + "=" + file.content + ";";
            res.set_content(
                req.method + "|" + req.body + "|" + form + "|" + req.get_header_value("X-Custom"),
                "text/plain");
        };
        s.Get("/seen", seen);
        s.Get("/many-headers", [](const httplib::Request &, httplib::Response &res) {
            res.status = 429;
            res.set_header("Retry-After", "3");
            res.set_header("x-ratelimit-remaining", "0");
            res.set_header("Access-Control-Allow-Origin", "*");
            res.set_header("X-Other", "dropped");
            res.set_content("{}", "application/json");
        });
        s.Post("/seen", seen);
        s.Put("/seen", seen);
        s.Delete("/seen", seen);
        s.Patch("/seen", seen);
        s.Get("/big", [](const httplib::Request &, httplib::Response &res) {
            res.set_content(std::string(1000, 'x'), "text/plain");
        });
        s.Get("/big-chunked", [](const httplib::Request &, httplib::Response &res) {
            res.set_chunked_content_provider("text/plain",
                                             [](size_t offset, httplib::DataSink &sink) {
                                                 if (offset >= 1000) {
                                                     sink.done();
                                                     return true;
                                                 }
                                                 std::string chunk(100, 'y');
                                                 return sink.write(chunk.data(), chunk.size());
                                             });
        });
        // One chunk, then silence until the server stops.
        s.Get("/stall", [this](const httplib::Request &, httplib::Response &res) {
            res.set_chunked_content_provider("text/plain",
                                             [this](size_t offset, httplib::DataSink &sink) {
                                                 if (offset == 0) return sink.write("first", 5);
                                                 server_.wait_for_stop(10'000);
                                                 return false;
                                             });
        });
        // Ten chunks; after the first it waits until the client has seen it, which proves the
        // client delivers data as it arrives rather than at the end.
        s.Get("/chunks", [this](const httplib::Request &, httplib::Response &res) {
            res.set_chunked_content_provider("text/plain", [this](size_t offset,
                                                                  httplib::DataSink &sink) {
                if (offset > 0 && offset == first_chunk_size_ && !client_saw_first_.wait(10'000))
                    return false;
                int index = chunks_sent_++;
                if (index == 10) {
                    sink.done();
                    return true;
                }
                std::string chunk = "chunk-" + std::to_string(index) + ";";
                if (index == 0) first_chunk_size_ = chunk.size();
                return sink.write(chunk.data(), chunk.size());
            });
        });
        // Eight chunks 100 ms apart: slower overall than an idle timeout of 400 ms, never idle.
        s.Get("/trickle", [this](const httplib::Request &, httplib::Response &res) {
            res.set_chunked_content_provider("text/plain",
                                             [this](size_t offset, httplib::DataSink &sink) {
                                                 if (offset >= 8) {
                                                     sink.done();
                                                     return true;
                                                 }
                                                 if (offset > 0 && server_.wait_for_stop(100))
                                                     return false;
                                                 return sink.write(".", 1);
                                             });
        });
        server_.start();
        engine_ = Engine::create(local_options());
    }

    void TearDown() override {
        engine_.reset();  // before the server, so kept-alive connections close first
        server_.stop();
    }

    TestServer server_{48};
    std::shared_ptr<Engine> engine_;
    Counter slow_started_;
    std::atomic<int> chunks_sent_{0};
    size_t first_chunk_size_ = 0;
    Gate client_saw_first_;
};

TEST_F(EngineTest, SuccessAndErrorBodies) {
    HttpResponse ok = test::perform(*engine_, get(server_.url("/ok")), 10'000);
    ASSERT_TRUE(ok.ok()) << ok.error.message;
    EXPECT_EQ(ok.http_status, 200);
    EXPECT_EQ(ok.body, "hello");
    ASSERT_NE(find_header(ok.headers, "content-type"), nullptr);
    EXPECT_EQ(*find_header(ok.headers, "CONTENT-TYPE"), "text/plain");
    EXPECT_EQ(find_header(ok.headers, "X-Absent"), nullptr);

    // Non-2xx statuses are transport successes: the caller maps them with the body.
    HttpResponse missing = test::perform(*engine_, get(server_.url("/missing")), 10'000);
    ASSERT_TRUE(missing.ok()) << missing.error.message;
    EXPECT_EQ(missing.http_status, 404);
    EXPECT_EQ(missing.body, R"({"error":"Not found"})");

    HttpResponse boom = test::perform(*engine_, get(server_.url("/boom")), 10'000);
    ASSERT_TRUE(boom.ok()) << boom.error.message;
    EXPECT_EQ(boom.http_status, 500);
    EXPECT_EQ(boom.body, R"({"error":"boom"})");
}

TEST_F(EngineTest, SendsMethodBodyHeadersAndUserAgent) {
    HttpRequest post = get(server_.url("/echo"));
    post.method = "POST";
    post.body = R"({"a":1})";
    post.headers = {{"X-Custom", "value-1"}, {"Content-Type", "application/json"}};
    HttpResponse r = test::perform(*engine_, post, 10'000);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.http_status, 201);
    EXPECT_EQ(r.body, R"(POST:{"a":1})");
    ASSERT_NE(find_header(r.headers, "x-seen"), nullptr);
    EXPECT_EQ(*find_header(r.headers, "x-seen"), "value-1");

    HttpRequest put = get(server_.url("/echo"));
    put.method = "PUT";
    put.body = "data";
    r = test::perform(*engine_, put, 10'000);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.body, "PUT:data");

    r = test::perform(*engine_, get(server_.url("/ua")), 10'000);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.body, std::string("elizacloud/") + EC_VERSION_STRING);
    // A request's own User-Agent replaces the engine's (one header, not two).
    HttpRequest own = get(server_.url("/ua"));
    own.headers = {{"user-agent", "mine/1"}};
    r = test::perform(*engine_, own, 10'000);
    EXPECT_EQ(r.body, "mine/1");
    own.url = server_.url("/ua-count");
    EXPECT_EQ(test::perform(*engine_, own, 10'000).body, "1");

    EngineOptions bad = local_options();
    bad.user_agent = "agent/1\r\nX-Injected: 1";
    EXPECT_THROW(Engine::create(bad), Error);
}

// The engine hands each request back with its answer (a retry sends it again without a copy),
// whatever the outcome.
TEST_F(EngineTest, TheAnswerCarriesItsRequestBack) {
    HttpRequest post = get(server_.url("/echo"));
    post.method = "POST";
    post.body = "once more";
    post.headers = {{"X-Custom", "kept"}};
    HttpResponse r = test::perform(*engine_, post, 10'000);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.sent.method, "POST");
    EXPECT_EQ(r.sent.url, post.url);
    EXPECT_EQ(r.sent.body, "once more");
    EXPECT_EQ(r.sent.headers, post.headers);

    HttpRequest refused = get("http://exa mple.com/");
    r = test::perform(*engine_, refused, 10'000);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.sent.url, refused.url);
}

// Easy handles are reused without curl_easy_reset: nothing of one request (method, body, form,
// headers, size limit) may carry over to the next on the same handle.
TEST_F(EngineTest, AReusedHandleSendsEachRequestsOwnMethodBodyAndLimit) {
    auto request = [&](std::string method) {
        HttpRequest r = get(server_.url("/seen"));
        r.method = std::move(method);
        return r;
    };
    auto body_of = [&](const HttpRequest &r) {
        HttpResponse response = test::perform(*engine_, r, 10'000);
        EXPECT_TRUE(response.ok()) << r.method << ": " << response.error.message;
        return response.body;
    };
    HttpRequest head = request("HEAD");
    head.headers = {{"X-Custom", "from-head"}};
    HttpResponse head_response = test::perform(*engine_, head, 10'000);
    ASSERT_TRUE(head_response.ok()) << head_response.error.message;
    EXPECT_EQ(head_response.body, "");
    EXPECT_EQ(body_of(request("GET")), "GET|||");  // not HEAD, no X-Custom

    HttpRequest form = request("PUT");
    form.form = {FormPart{"field", "value", "", "", ""}};
    EXPECT_EQ(body_of(form), "PUT||field=value;|");
    HttpRequest post = request("POST");
    post.body = "posted";
    EXPECT_EQ(body_of(post), "POST|posted||");  // not PUT, no form
    EXPECT_EQ(body_of(request("DELETE")), "DELETE|||");
    EXPECT_EQ(body_of(request("GET")), "GET|||");  // not DELETE, no body
    HttpRequest patch = request("PATCH");
    patch.body = "patched";
    EXPECT_EQ(body_of(patch), "PATCH|patched||");
    HttpRequest bare_post = request("POST");
    EXPECT_EQ(body_of(bare_post), "POST|||");  // not the previous body

    HttpRequest limited = get(server_.url("/big"));
    limited.max_response_bytes = 10;
    EXPECT_EQ(test::perform(*engine_, limited, 10'000).error.status, Status::ResponseTooLarge);
    EXPECT_EQ(test::perform(*engine_, get(server_.url("/big")), 10'000).body.size(), 1000u);
}

// A request that asks for the library's headers only keeps those (whatever their case) and drops
// the rest, and keeps none when it succeeds; by default every header is kept.
TEST_F(EngineTest, AResponseCanKeepOnlyTheHeadersTheLibraryReads) {
    HttpRequest lean = get(server_.url("/many-headers"));
    lean.all_response_headers = false;
    HttpResponse r = test::perform(*engine_, lean, 10'000);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.http_status, 429);
    ASSERT_NE(find_header(r.headers, "Retry-After"), nullptr);
    EXPECT_EQ(*find_header(r.headers, "Retry-After"), "3");
    ASSERT_NE(find_header(r.headers, "X-RateLimit-Remaining"), nullptr);
    EXPECT_NE(find_header(r.headers, "Content-Type"), nullptr);
    EXPECT_EQ(find_header(r.headers, "Access-Control-Allow-Origin"), nullptr);
    EXPECT_EQ(find_header(r.headers, "X-Other"), nullptr);

    r = test::perform(*engine_, get(server_.url("/many-headers")), 10'000);
    EXPECT_NE(find_header(r.headers, "Access-Control-Allow-Origin"), nullptr);
    EXPECT_NE(find_header(r.headers, "X-Other"), nullptr);

    // A lean request's success keeps none (the library reads headers to judge failures).
    HttpRequest lean_ok = get(server_.url("/ok"));
    lean_ok.all_response_headers = false;
    r = test::perform(*engine_, lean_ok, 10'000);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.http_status, 200);
    EXPECT_EQ(r.body, "hello");
    EXPECT_TRUE(r.headers.empty());
    r = test::perform(*engine_, get(server_.url("/ok")), 10'000);
    EXPECT_NE(find_header(r.headers, "Content-Type"), nullptr);
}

// Each context keeps its last URL parsed (CURLOPT_CURLU): a URL libcurl cannot parse fails as
// before (libcurl's own parse of CURLOPT_URL), and the next requests, to one URL and another,
// go where their own URLs say.
TEST_F(EngineTest, EveryRequestGoesToItsOwnUrl) {
    HttpResponse bad = test::perform(*engine_, get("http://exa mple.com/"), 10'000);
    EXPECT_EQ(bad.error.status, Status::InvalidArgument) << bad.error.message;
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(test::perform(*engine_, get(server_.url("/ok")), 10'000).body, "hello");
        EXPECT_EQ(test::perform(*engine_, get(server_.url("/ok")), 10'000).body, "hello");
        EXPECT_EQ(test::perform(*engine_, get(server_.url("/echo/7")), 10'000).body, "7");
    }
    EXPECT_EQ(server_.requests(), 6u);
}

// Each context keeps its last header list: a request whose headers differ from the previous
// one's, by a value, by an added or a missing header, sends its own, and the same headers again
// are sent as they are.
TEST_F(EngineTest, EveryRequestSendsItsOwnHeaders) {
    auto custom_header_seen = [&](Headers headers) {
        HttpRequest r = get(server_.url("/seen"));
        r.headers = std::move(headers);
        HttpResponse response = test::perform(*engine_, r, 10'000);
        EXPECT_TRUE(response.ok()) << response.error.message;
        return response.body;
    };
    EXPECT_EQ(custom_header_seen({{"X-Custom", "a"}}), "GET|||a");
    EXPECT_EQ(custom_header_seen({{"X-Custom", "a"}}), "GET|||a");
    EXPECT_EQ(custom_header_seen({{"X-Custom", "b"}}), "GET|||b");
    EXPECT_EQ(custom_header_seen({}), "GET|||");
    EXPECT_EQ(custom_header_seen({{"X-Other", "1"}, {"X-Custom", "b"}}), "GET|||b");
    EXPECT_EQ(custom_header_seen({{"X-Other", "1"}}), "GET|||");
    EXPECT_EQ(custom_header_seen({{"X-Custom", "c"}}), "GET|||c");
}

// No proxy, not even one the environment names (the connect-time check must see the cloud's
// own address): with every proxy variable pointing at a closed port, requests still arrive.
TEST_F(EngineTest, ProxiesInTheEnvironmentAreIgnored) {
    const char *proxies[] = {"http_proxy",  "HTTP_PROXY", "https_proxy",
                             "HTTPS_PROXY", "ALL_PROXY",  "all_proxy"};
    const char *exemptions[] = {"no_proxy", "NO_PROXY"};
    // The environment as it was, put back afterwards (changed while the engine is idle).
    std::vector<std::pair<std::string, std::optional<std::string>>> saved;
    auto save = [&](const char *name) {
        const char *value = std::getenv(name);
        saved.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
    };
    for (const char *name : proxies) {
        save(name);
        setenv(name, "http://127.0.0.1:9", 1);
    }
    for (const char *name : exemptions) {
        save(name);
        unsetenv(name);
    }
    HttpResponse r = test::perform(*engine_, get(server_.url("/ok")), 10'000);
    HttpResponse again = test::perform(*engine_, get(server_.url("/ok")), 10'000);
    for (const auto &[name, value] : saved) {
        if (value) {
            setenv(name.c_str(), value->c_str(), 1);
        } else {
            unsetenv(name.c_str());
        }
    }
    EXPECT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.body, "hello");
    EXPECT_EQ(again.body, "hello");
}

TEST_F(EngineTest, HeaderInjectionIsRefused) {
    HttpRequest r = get(server_.url("/ok"));
    r.headers = {{"X-Custom", "a\r\nX-Injected: 1"}};
    HttpResponse response = test::perform(*engine_, r, 10'000);
    EXPECT_EQ(response.error.status, Status::InvalidArgument) << response.error.message;
    EXPECT_EQ(server_.requests(), 0u);
}

TEST_F(EngineTest, RedirectIsRefusedWithStatusAndLocation) {
    HttpResponse r = test::perform(*engine_, get(server_.url("/redirect")), 10'000);
    EXPECT_EQ(r.error.status, Status::RedirectRefused);
    EXPECT_EQ(r.http_status, 302);
    EXPECT_EQ(r.error.http_status, 302);
    EXPECT_EQ(r.error.message, "redirect refused: HTTP 302 to https://evil.example/steal");
    EXPECT_EQ(server_.requests(), 1u);  // and nothing was fetched from the Location
}

// A Location may carry credentials or a signed query: the message shows neither.
TEST_F(EngineTest, RedirectLocationIsRedacted) {
    HttpResponse r = test::perform(*engine_, get(server_.url("/redirect-secret")), 10'000);
    EXPECT_EQ(r.error.status, Status::RedirectRefused);
    EXPECT_EQ(r.error.message,
              "redirect refused: HTTP 302 to https://\xE2\x80\xA6@evil.example/"
              "eliza_0123ab\xE2\x80\xA6?\xE2\x80\xA6");
}

TEST_F(EngineTest, TotalTimeout) {
    HttpRequest r = get(server_.url("/slow"));
    r.total_timeout_ms = 300;
    auto start = std::chrono::steady_clock::now();
    HttpResponse response = test::perform(*engine_, r, 10'000);
    int64_t took = elapsed_ms(start);
    EXPECT_EQ(response.error.status, Status::Timeout) << response.error.message;
    EXPECT_GE(took, 290);
    EXPECT_LT(took, 5'000);
}

TEST_F(EngineTest, IdleTimeoutWhenNoByteArrives) {
    HttpRequest r = get(server_.url("/stall"));
    r.total_timeout_ms = 0;
    // Long enough for the first chunk to arrive on a slow machine (ThreadSanitizer under load
    // took more than 300 ms), so that what times out is the stall after it.
    r.idle_timeout_ms = 1'500;
    std::string streamed;
    r.on_data = [&](std::string_view data) { streamed.append(data); };
    auto start = std::chrono::steady_clock::now();
    HttpResponse response = test::perform(*engine_, r, 20'000);
    int64_t took = elapsed_ms(start);
    EXPECT_EQ(response.error.status, Status::Timeout) << response.error.message;
    EXPECT_NE(response.error.message.find("idle"), std::string::npos) << response.error.message;
    EXPECT_EQ(streamed, "first");
    EXPECT_EQ(response.http_status, 200);
    EXPECT_GE(took, 1'490);
    EXPECT_LT(took, 10'000);
}

TEST_F(EngineTest, IdleTimeoutCountsGapsNotTotalTime) {
    HttpRequest r = get(server_.url("/trickle"));
    r.idle_timeout_ms = 400;
    std::string streamed;
    r.on_data = [&](std::string_view data) { streamed.append(data); };
    auto start = std::chrono::steady_clock::now();
    HttpResponse response = test::perform(*engine_, r, 10'000);
    ASSERT_TRUE(response.ok()) << response.error.message;
    EXPECT_EQ(streamed, "........");
    EXPECT_GE(elapsed_ms(start), 650);  // longer than the idle timeout, yet no timeout
}

TEST_F(EngineTest, APausedStreamTakesNoBytesUntilResumedAndIsNeverIdle) {
    HttpRequest r = get(server_.url("/trickle"));
    r.idle_timeout_ms = 300;
    std::atomic<bool> room{false};
    std::atomic<size_t> received{0};
    std::string streamed;  // I/O thread until the completion
    Gate first;
    r.on_data = [&](std::string_view data) {
        streamed.append(data);
        received = streamed.size();
        if (streamed.size() == 1) {
            pause_current_transfer([&room] { return room.load(); });
            first.open();
        }
    };
    std::promise<HttpResponse> done;
    engine_->submit(r, [&](HttpResponse &&response) { done.set_value(std::move(response)); });
    ASSERT_TRUE(first.wait(10'000));
    // Longer than the whole trickle (700 ms) and than the idle timeout: paused, nothing arrives
    // and the transfer is not timed out (the wait is the consumer's).
    std::this_thread::sleep_for(std::chrono::milliseconds(1'000));
    EXPECT_EQ(received.load(), 1u);
    engine_->resume_paused();  // the consumer still has no room: stays paused
    engine_->drain();
    EXPECT_EQ(received.load(), 1u);
    room = true;
    engine_->resume_paused();
    HttpResponse response = done.get_future().get();
    ASSERT_TRUE(response.ok()) << response.error.message;
    EXPECT_EQ(streamed, "........");
}

TEST_F(EngineTest, StreamedChunksArriveInOrderWhileTheResponseIsOpen) {
    HttpRequest r = get(server_.url("/chunks"));
    std::string streamed;
    int calls = 0;
    r.on_data = [&](std::string_view data) {
        streamed.append(data);
        ++calls;
        if (streamed.size() >= first_chunk_size_) client_saw_first_.open();
    };
    HttpResponse response = test::perform(*engine_, r, 15'000);
    ASSERT_TRUE(response.ok()) << response.error.message;
    EXPECT_EQ(streamed,
              "chunk-0;chunk-1;chunk-2;chunk-3;chunk-4;chunk-5;chunk-6;chunk-7;chunk-8;chunk-9;");
    EXPECT_GE(calls, 2);
    EXPECT_TRUE(response.body.empty());  // streamed bytes are not collected as well
}

TEST_F(EngineTest, NonSuccessBodiesAreCollectedNotStreamed) {
    HttpRequest r = get(server_.url("/missing"));
    bool streamed = false;
    r.on_data = [&](std::string_view) { streamed = true; };
    HttpResponse response = test::perform(*engine_, r, 10'000);
    ASSERT_TRUE(response.ok()) << response.error.message;
    EXPECT_EQ(response.http_status, 404);
    EXPECT_EQ(response.body, R"({"error":"Not found"})");
    EXPECT_FALSE(streamed);
}

TEST_F(EngineTest, CancelMidStreamFromAnotherThread) {
    HttpRequest r = get(server_.url("/stall"));
    r.total_timeout_ms = 0;
    Gate got_data;
    std::string streamed;  // written on the I/O thread only until the completion
    r.on_data = [&](std::string_view data) {
        streamed.append(data);
        got_data.open();
    };
    Completions done;
    RequestId id = engine_->submit(std::move(r), done.callback());
    ASSERT_TRUE(got_data.wait(10'000));
    auto start = std::chrono::steady_clock::now();
    engine_->cancel(id);
    ASSERT_TRUE(done.wait_for(1, 2'000));
    EXPECT_LT(elapsed_ms(start), 2'000);
    auto responses = done.take();
    EXPECT_EQ(responses[0].error.status, Status::Cancelled) << responses[0].error.message;
    EXPECT_EQ(streamed, "first");
    engine_->cancel(id);  // unknown by now: ignored
    engine_->drain();
    EXPECT_EQ(engine_->active_requests(), 0u);
}

TEST_F(EngineTest, CancelInsideOnDataStopsDeliveryAtOnce) {
    HttpRequest r = get(server_.url("/big-chunked"));
    int calls = 0;
    auto id = std::make_shared<std::atomic<RequestId>>(0);
    Gate id_known;
    r.on_data = [&, id](std::string_view) {
        ++calls;
        id_known.wait(10'000);
        engine_->cancel(id->load());
    };
    Completions done;
    id->store(engine_->submit(std::move(r), done.callback()));
    id_known.open();
    ASSERT_TRUE(done.wait_for(1, 10'000));
    EXPECT_EQ(done.take()[0].error.status, Status::Cancelled);
    EXPECT_EQ(calls, 1);
}

TEST(EngineConcurrency, TwoHundredConcurrentRequests) {
    constexpr int kCount = 200;
    // Each open connection holds a server thread; the engine opens at most its default cap.
    TestServer server(kDefaultMaxHostConnections + 16);
    server.server().Get(R"(/echo/(\d+))", [](const httplib::Request &req, httplib::Response &res) {
        res.set_content(req.matches[1].str(), "text/plain");
    });
    server.start();
    auto engine = Engine::create(local_options());
    std::mutex mutex;
    std::condition_variable cv;
    int finished = 0;
    int correct = 0;
    std::string first_failure;
    for (int i = 0; i < kCount; ++i) {
        std::string expected = std::to_string(i);
        engine->submit(get(server.url("/echo/" + expected)), [&, expected](HttpResponse &&r) {
            std::lock_guard<std::mutex> lock(mutex);
            if (r.ok() && r.http_status == 200 && r.body == expected) {
                ++correct;
            } else if (first_failure.empty()) {
                first_failure = std::string(status_name(r.error.status)) + " " + r.error.message;
            }
            ++finished;
            cv.notify_all();
        });
    }
    {
        std::unique_lock<std::mutex> lock(mutex);
        ASSERT_TRUE(cv.wait_for(lock, Ms(60'000), [&] { return finished == kCount; }));
        EXPECT_EQ(correct, kCount) << first_failure;
    }
    EXPECT_EQ(server.requests(), static_cast<size_t>(kCount));
    EXPECT_LE(server.connections(), static_cast<size_t>(kDefaultMaxHostConnections));
    EXPECT_EQ(engine->active_requests(), 0u);
    engine.reset();
}

// A burst larger than the per-host cap shares that many connections: the rest wait in libcurl's
// queue and reuse them. Without a cap every request of the burst opened its own socket.
TEST(EngineConnectionCap, BurstUsesAtMostTheCapAndReusesConnections) {
    constexpr int kCount = 120;
    constexpr int kCap = 4;
    TestServer server(kCount + 16);  // enough threads that an uncapped client is not throttled
    server.server().Get(
        R"(/echo/(\d+))", [&server](const httplib::Request &req, httplib::Response &res) {
            server.wait_for_stop(5);  // keep each request open a moment so the burst overlaps
            res.set_content(req.matches[1].str(), "text/plain");
        });
    server.start();
    EngineOptions options = local_options();
    options.max_host_connections = kCap;
    auto engine = Engine::create(options);
    Completions done;
    for (int i = 0; i < kCount; ++i)
        engine->submit(get(server.url("/echo/" + std::to_string(i))), done.callback());
    ASSERT_TRUE(done.wait_for(kCount, 60'000));
    for (const HttpResponse &r : done.take()) EXPECT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(server.requests(), static_cast<size_t>(kCount));
    EXPECT_LE(server.connections(), static_cast<size_t>(kCap));
    engine.reset();
}

// A request waiting for a slot waits at most the engine's queue timeout: the slot here is held
// for a minute, and libcurl's own queue would have kept the request for all of it.
TEST(EngineConnectionCap, WaitForASlotEndsAtTheQueueTimeout) {
    TestServer server(8);
    Counter held;
    server.server().Get("/hold", [&](const httplib::Request &, httplib::Response &res) {
        held.increment();
        server.wait_for_stop(60'000);
        res.set_content("late", "text/plain");
    });
    server.start();
    EngineOptions options = local_options();
    options.max_host_connections = 1;
    options.queue_timeout_ms = 300;
    auto engine = Engine::create(options);
    HttpRequest hold = get(server.url("/hold"));
    hold.total_timeout_ms = 0;
    Completions held_done;
    engine->submit(hold, held_done.callback());
    ASSERT_TRUE(held.wait_for(1, 10'000));  // the only slot is taken

    auto start = std::chrono::steady_clock::now();
    HttpResponse r = test::perform(*engine, get(server.url("/ok")), 0);
    int64_t took = elapsed_ms(start);
    EXPECT_EQ(r.error.status, Status::Timeout) << r.error.message;
    EXPECT_EQ(r.error.message, "request timed out: no connection to http://127.0.0.1:" +
                                   std::to_string(server.port()) + " became free within 300 ms");
    EXPECT_GE(took, 290);
    EXPECT_LT(took, 30'000);           // the slot is held for 60 s: ending before that is the point
    EXPECT_EQ(server.requests(), 1u);  // it never reached the server
    EXPECT_EQ(engine->active_requests(), 1u);
    engine.reset();
    server.stop();
}

// The timeouts of a waiting request start when it runs: waiting longer than its total timeout
// behind a slow request does not fail it. Waiting requests run in the order they came, and a
// cancelled one leaves the queue without reaching the server.
TEST(EngineConnectionCap, WaitingRequestsRunInOrderWithTheirFullTimeouts) {
    TestServer server(8);
    Gate release;
    Counter held;
    server.server().Get("/hold", [&](const httplib::Request &, httplib::Response &res) {
        held.increment();
        release.wait(30'000);
        res.set_content("held", "text/plain");
    });
    server.server().Get(R"(/echo/(\d+))", [](const httplib::Request &req, httplib::Response &res) {
        res.set_content(req.matches[1].str(), "text/plain");
    });
    server.start();
    EngineOptions options = local_options();
    options.max_host_connections = 1;
    auto engine = Engine::create(options);
    Completions held_done;
    engine->submit(get(server.url("/hold")), held_done.callback());
    ASSERT_TRUE(held.wait_for(1, 10'000));

    std::mutex mutex;
    std::vector<std::string> order;
    Counter finished;
    RequestId cancelled_id = 0;
    for (int i = 0; i < 5; ++i) {
        HttpRequest r = get(server.url("/echo/" + std::to_string(i)));
        r.connect_timeout_ms = 200;  // both far shorter than the wait behind /hold
        r.total_timeout_ms = 300;
        RequestId id = engine->submit(r, [&](HttpResponse &&response) {
            std::lock_guard<std::mutex> lock(mutex);
            order.push_back(response.ok() ? response.body
                                          : std::string(status_name(response.error.status)));
            finished.increment();
        });
        if (i == 2) cancelled_id = id;
    }
    engine->cancel(cancelled_id);
    ASSERT_TRUE(finished.wait_for(1, 10'000));  // the cancelled one, at once
    std::this_thread::sleep_for(Ms(600));       // twice the total timeout, spent waiting
    release.open();
    ASSERT_TRUE(finished.wait_for(5, 30'000));
    ASSERT_TRUE(held_done.wait_for(1, 10'000));
    std::vector<std::string> expected{"EC_ERR_CANCELLED", "0", "1", "3", "4"};
    EXPECT_EQ(order, expected);
    EXPECT_EQ(server.requests(), 5u);  // /hold and four echoes
    EXPECT_EQ(server.connections(), 1u);
    engine.reset();
    server.stop();
}

TEST_F(EngineTest, ConnectionsAreReused) {
    constexpr int kCount = 20;
    for (int i = 0; i < kCount; ++i) {
        HttpResponse r = test::perform(*engine_, get(server_.url("/ok")), 10'000);
        ASSERT_TRUE(r.ok()) << r.error.message;
    }
    EXPECT_EQ(server_.requests(), static_cast<size_t>(kCount));
    EXPECT_EQ(server_.connections(), 1u);
}

TEST_F(EngineTest, MaxResponseSize) {
    HttpRequest r = get(server_.url("/big"));  // 1000 bytes with Content-Length
    r.max_response_bytes = 100;
    HttpResponse response = test::perform(*engine_, r, 10'000);
    EXPECT_EQ(response.error.status, Status::ResponseTooLarge) << response.error.message;

    r = get(server_.url("/big-chunked"));  // 1000 bytes, no Content-Length
    r.max_response_bytes = 550;
    response = test::perform(*engine_, r, 10'000);
    EXPECT_EQ(response.error.status, Status::ResponseTooLarge) << response.error.message;

    r = get(server_.url("/big-chunked"));
    r.max_response_bytes = 550;
    size_t streamed = 0;
    r.on_data = [&](std::string_view data) { streamed += data.size(); };
    response = test::perform(*engine_, r, 10'000);
    EXPECT_EQ(response.error.status, Status::ResponseTooLarge) << response.error.message;
    EXPECT_LE(streamed, 550u);

    r = get(server_.url("/big"));
    r.max_response_bytes = 2000;  // headers and body fit
    response = test::perform(*engine_, r, 10'000);
    ASSERT_TRUE(response.ok()) << response.error.message;
    EXPECT_EQ(response.body.size(), 1000u);
}

TEST_F(EngineTest, DestroyWithRequestsInFlightIsPromptAndCancelsThem) {
    constexpr int kCount = 10;
    Completions done;
    for (int i = 0; i < kCount; ++i) {
        HttpRequest r = get(server_.url("/slow"));
        r.total_timeout_ms = 0;
        engine_->submit(std::move(r), done.callback());
    }
    engine_->set_timer(60'000, [] {});
    ASSERT_TRUE(slow_started_.wait_for(kCount, 10'000));  // every request is on the server
    EXPECT_EQ(engine_->active_requests(), static_cast<size_t>(kCount));
    EXPECT_EQ(engine_->active_timers(), 1u);

    auto start = std::chrono::steady_clock::now();
    engine_.reset();
    EXPECT_LT(elapsed_ms(start), 2'000);
    ASSERT_TRUE(done.wait_for(kCount, 0));  // all ran before the destructor returned
    for (const HttpResponse &r : done.take()) {
        EXPECT_EQ(r.error.status, Status::Cancelled) << r.error.message;
    }
}

TEST_F(EngineTest, CancelAfterAWaitEndsTheRequest) {
    HttpRequest r = get(server_.url("/slow"));
    r.total_timeout_ms = 0;
    auto start = std::chrono::steady_clock::now();
    HttpResponse response = test::perform(*engine_, r, 200);
    EXPECT_EQ(response.error.status, Status::Timeout) << response.error.message;
    EXPECT_LT(elapsed_ms(start), 5'000);
    EXPECT_EQ(engine_->active_requests(), 0u);
}

// Easy handles are reused: whatever a request set (method, body, headers, a cancel mid-body, a
// refused address) must not leak into the next request that gets its handle.
TEST_F(EngineTest, ReusedHandlesCarryNothingOfTheirPreviousRequest) {
    HttpRequest post = get(server_.url("/echo"));
    post.method = "POST";
    post.body = "first";
    post.headers = {{"X-Custom", "value-1"}};
    HttpResponse r = test::perform(*engine_, post, 10'000);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.body, "POST:first");

    HttpRequest stall = get(server_.url("/stall"));
    stall.total_timeout_ms = 0;
    Gate got_data;
    stall.on_data = [&](std::string_view) { got_data.open(); };
    Completions cancelled;
    RequestId id = engine_->submit(std::move(stall), cancelled.callback());
    ASSERT_TRUE(got_data.wait(10'000));
    engine_->cancel(id);
    ASSERT_TRUE(cancelled.wait_for(1, 10'000));
    EXPECT_EQ(cancelled.take()[0].error.status, Status::Cancelled);

    r = test::perform(*engine_, get("http://169.254.169.254:80/"), 10'000);
    EXPECT_EQ(r.error.status, Status::UrlBlocked) << r.error.message;
    EXPECT_GE(engine_->idle_handles(), 1u);

    HttpRequest bare_post = get(server_.url("/echo"));
    bare_post.method = "POST";
    r = test::perform(*engine_, bare_post, 10'000);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.body, "POST:");
    const std::string *seen = find_header(r.headers, "X-Seen");
    EXPECT_TRUE(seen == nullptr || seen->empty()) << *seen;
    r = test::perform(*engine_, get(server_.url("/ok")), 10'000);
    ASSERT_TRUE(r.ok()) << r.error.message;
    EXPECT_EQ(r.body, "hello");
    r = test::perform(*engine_, get(server_.url("/ua")), 10'000);
    EXPECT_EQ(r.body, std::string("elizacloud/") + EC_VERSION_STRING);

    // One request at a time takes the handle the previous one left: the pool does not grow.
    const size_t idle = engine_->idle_handles();
    for (int i = 0; i < 5; ++i) test::perform(*engine_, get(server_.url("/ok")), 10'000);
    EXPECT_EQ(engine_->idle_handles(), idle);
}

TEST_F(EngineTest, ConnectionRefusedIsANetworkError) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len), 0);
    int port = ntohs(addr.sin_port);
    ::close(fd);  // bound but never listening: nothing accepts there
    HttpResponse r =
        test::perform(*engine_, get("http://127.0.0.1:" + std::to_string(port) + "/"), 10'000);
    EXPECT_EQ(r.error.status, Status::Network) << r.error.message;
}

TEST_F(EngineTest, TlsHandshakeFailureIsATlsError) {
    // TLS spoken to a plain HTTP server: the handshake fails.
    std::string url = "https://127.0.0.1:" + std::to_string(server_.port()) + "/ok";
    HttpResponse r = test::perform(*engine_, get(url), 10'000);
    EXPECT_EQ(r.error.status, Status::Tls) << r.error.message;
    EXPECT_EQ(r.http_status, 0);
}

TEST_F(EngineTest, BlockedAddressIsRefusedAtConnectTimeEvenWhenLocalIsAllowed) {
    // Link-local metadata address: refused before any packet is sent.
    HttpResponse r =
        test::perform(*engine_, get("http://169.254.169.254:80/latest/meta-data/"), 10'000);
    EXPECT_EQ(r.error.status, Status::UrlBlocked) << r.error.message;
    EXPECT_NE(r.error.message.find("169.254.169.254"), std::string::npos) << r.error.message;
}

TEST(EngineStrictPolicy, PlainHttpIsRefusedWithoutTheOptIn) {
    TestServer server;
    server.server().Get("/ok", [](const httplib::Request &, httplib::Response &res) {
        res.set_content("hello", "text/plain");
    });
    server.start();
    auto engine = Engine::create();
    HttpResponse r = test::perform(*engine, get(server.url("/ok")), 10'000);
    EXPECT_EQ(r.error.status, Status::UrlBlocked) << r.error.message;
    EXPECT_EQ(server.requests(), 0u);
}

// DNS rebinding: the name passes every check, but resolves to loopback at connect time.
TEST(EngineStrictPolicy, RebindingToLoopbackIsRefusedAtConnectTime) {
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ASSERT_GE(listener, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(listener, 16), 0);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len), 0);
    std::string port = std::to_string(ntohs(addr.sin_port));

    auto engine = Engine::create();  // default policy: no insecure_local
    const std::string url = "https://www.elizacloud.ai:" + port + "/";
    ASSERT_TRUE(engine->policy().check_base_url(url).ok());  // the URL itself is fine
    HttpRequest r = get(url);
    r.resolve = {"www.elizacloud.ai:" + port + ":127.0.0.1"};
    HttpResponse response = test::perform(*engine, r, 10'000);
    EXPECT_EQ(response.error.status, Status::UrlBlocked) << response.error.message;
    EXPECT_NE(response.error.message.find("127.0.0.1"), std::string::npos)
        << response.error.message;

    // No connection ever reached the listener.
    int accepted = ::accept(listener, nullptr, nullptr);
    int err = errno;
    EXPECT_EQ(accepted, -1);
    EXPECT_TRUE(err == EAGAIN || err == EWOULDBLOCK);
    if (accepted >= 0) ::close(accepted);
    ::close(listener);
}

TEST(EngineStrictPolicy, Ipv6LoopbackIsRefusedAtConnectTime) {
    auto engine = Engine::create();
    HttpResponse r = test::perform(*engine, get("https://[::1]:9/"), 10'000);
    EXPECT_EQ(r.error.status, Status::UrlBlocked) << r.error.message;
    EXPECT_NE(r.error.message.find("::1"), std::string::npos) << r.error.message;
}

// ---- timers and tasks ----

TEST(EngineTimers, OneShotFiresOnce) {
    auto engine = Engine::create();
    std::promise<void> fired;
    std::atomic<int> count{0};
    engine->set_timer(20, [&] {
        if (count.fetch_add(1) == 0) fired.set_value();
    });
    EXPECT_EQ(engine->active_timers(), 1u);
    ASSERT_EQ(fired.get_future().wait_for(Ms(5'000)), std::future_status::ready);
    engine->drain();
    EXPECT_EQ(count.load(), 1);
    EXPECT_EQ(engine->active_timers(), 0u);
}

TEST(EngineTimers, RepeatingTimerRunsUntilCancelled) {
    auto engine = Engine::create();
    std::mutex mutex;
    std::condition_variable cv;
    int count = 0;
    TimerId id = engine->set_timer(
        5,
        [&] {
            std::lock_guard<std::mutex> lock(mutex);
            ++count;
            cv.notify_all();
        },
        10);
    {
        std::unique_lock<std::mutex> lock(mutex);
        ASSERT_TRUE(cv.wait_for(lock, Ms(5'000), [&] { return count >= 3; }));
    }
    engine->cancel_timer(id);
    engine->drain();
    int after_cancel;
    {
        std::lock_guard<std::mutex> lock(mutex);
        after_cancel = count;
    }
    EXPECT_EQ(engine->active_timers(), 0u);
    // Let several periods pass with the loop awake, then check nothing more ran.
    std::promise<void> later;
    engine->set_timer(60, [&] { later.set_value(); });
    ASSERT_EQ(later.get_future().wait_for(Ms(5'000)), std::future_status::ready);
    std::lock_guard<std::mutex> lock(mutex);
    EXPECT_EQ(count, after_cancel);
}

TEST(EngineTimers, CancelledTimerNeverRuns) {
    auto engine = Engine::create();
    std::atomic<bool> ran{false};
    TimerId id = engine->set_timer(30, [&] { ran = true; });
    engine->cancel_timer(id);
    std::promise<void> later;
    engine->set_timer(80, [&] { later.set_value(); });
    ASSERT_EQ(later.get_future().wait_for(Ms(5'000)), std::future_status::ready);
    EXPECT_FALSE(ran.load());
}

TEST(EngineTimers, TimerMayCancelItselfFromItsCallback) {
    auto clock = std::make_shared<ManualClock>();
    auto engine = Engine::create(local_options(clock));
    int count = 0;
    auto id = std::make_shared<TimerId>(0);
    *id = engine->set_timer(
        10,
        [&, id] {
            if (++count == 2) engine->cancel_timer(*id);
        },
        10);
    clock->advance(100);
    engine->drain();
    EXPECT_EQ(count, 2);
    EXPECT_EQ(engine->active_timers(), 0u);
}

TEST(EngineTimers, ManualClockFiresExactlyWhatIsDueInOrder) {
    auto clock = std::make_shared<ManualClock>(1'000);
    auto engine = Engine::create(local_options(clock));
    std::vector<std::string> log;  // touched on the I/O thread; read after drain()
    engine->set_timer(100, [&] { log.push_back("A@" + std::to_string(clock->now_ms())); });
    engine->set_timer(50, [&] { log.push_back("B@" + std::to_string(clock->now_ms())); });
    TimerId c = engine->set_timer(
        30, [&] { log.push_back("C"); }, 30);
    engine->set_timer(101, [&] { log.push_back("D"); });

    engine->drain();
    EXPECT_TRUE(log.empty());  // no time has passed; wall-clock time does not count

    clock->advance(99);
    engine->drain();
    EXPECT_EQ(log, (std::vector<std::string>{"C", "B@1099", "C", "C"}));

    clock->advance(1);  // A is due exactly now; C's next run is at 1120
    engine->drain();
    EXPECT_EQ(log, (std::vector<std::string>{"C", "B@1099", "C", "C", "A@1100"}));

    engine->cancel_timer(c);
    clock->advance(100);
    engine->drain();
    EXPECT_EQ(log, (std::vector<std::string>{"C", "B@1099", "C", "C", "A@1100", "D"}));
    EXPECT_EQ(engine->active_timers(), 0u);
}

TEST(EngineTimers, DrainRunsTasksPostedByDueTimers) {
    auto clock = std::make_shared<ManualClock>();
    auto engine = Engine::create(local_options(clock));
    std::vector<int> order;
    engine->set_timer(10, [&] { engine->post([&] { order.push_back(2); }); });
    engine->post([&] { order.push_back(1); });
    clock->advance(10);
    engine->drain();
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(EngineTasks, PostedTasksRunInOrderOnTheIoThread) {
    auto engine = Engine::create();
    std::vector<int> order;
    std::atomic<bool> all_on_io{true};
    EXPECT_FALSE(engine->in_io_thread());
    for (int i = 0; i < 100; ++i) {
        engine->post([&, i] {
            order.push_back(i);
            if (!engine->in_io_thread()) all_on_io = false;
        });
    }
    engine->drain();
    ASSERT_EQ(order.size(), 100u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<size_t>(i)], i);
    EXPECT_TRUE(all_on_io.load());
}

// The loop is running whatever hands work in from its own thread (an operation's next step, a
// request of a completion), so that work must not cost a wake-up: before, each one did.
TEST(EngineTasks, WorkHandedInOnTheIoThreadDoesNotWakeTheLoop) {
    auto engine = Engine::create();
    engine->drain();
    std::promise<void> done;
    std::function<void(int)> chain = [&](int left) {
        if (left == 0) return done.set_value();
        engine->post([&chain, left] { chain(left - 1); });
        engine->set_timer(0, [] {});
    };
    const uint64_t before = engine->wakeups();
    engine->post([&chain] { chain(50); });  // the one hand-in from another thread
    done.get_future().wait();
    EXPECT_LE(engine->wakeups() - before, 1u);
}

TEST(EngineTasks, ExceptionsInCallbacksDoNotStopTheLoop) {
    auto engine = Engine::create();
    engine->post([] { throw std::runtime_error("task failure"); });
    std::atomic<bool> ran{false};
    engine->post([&] { ran = true; });
    engine->drain();
    EXPECT_TRUE(ran.load());
}

TEST(EngineLifetime, DestroyedFromItsOwnIoThread) {
    TestServer server;
    server.server().Get("/slow", [&](const httplib::Request &, httplib::Response &res) {
        server.wait_for_stop(10'000);
        res.set_content("late", "text/plain");
    });
    server.start();
    auto engine = Engine::create(local_options());
    std::promise<Status> cancelled;
    HttpRequest r = get(server.url("/slow"));
    r.total_timeout_ms = 0;
    engine->submit(std::move(r),
                   [&](HttpResponse &&response) { cancelled.set_value(response.error.status); });
    // The only reference is dropped inside a task, on the I/O thread.
    auto holder = std::make_shared<std::shared_ptr<Engine>>(std::move(engine));
    (*holder)->post([holder] { holder->reset(); });
    auto future = cancelled.get_future();
    ASSERT_EQ(future.wait_for(Ms(5'000)), std::future_status::ready);
    EXPECT_EQ(future.get(), Status::Cancelled);
}

// A libcurl built on one distribution (the wheel's, from Debian) finds the CAs on another.
TEST(SystemCaFile, LibcurlsOwnBundleWinsWhenItExists) {
    auto only = [](std::vector<std::string> files) {
        return [files](const std::string &path) {
            return std::find(files.begin(), files.end(), path) != files.end();
        };
    };
    const char *debian = "/etc/ssl/certs/ca-certificates.crt";
    const char *rhel = "/etc/pki/tls/certs/ca-bundle.crt";
    EXPECT_EQ(fallback_ca_file(debian, only({debian, rhel})), "");
    EXPECT_EQ(fallback_ca_file(debian, only({rhel})), rhel);
    EXPECT_EQ(fallback_ca_file(debian, only({"/etc/ssl/cert.pem"})), "/etc/ssl/cert.pem");
    EXPECT_EQ(fallback_ca_file(debian, only({})), "");       // nothing better: libcurl decides
    EXPECT_EQ(fallback_ca_file(nullptr, only({rhel})), "");  // no bundle compiled in: its CA path
    EXPECT_EQ(fallback_ca_file("", only({rhel})), "");
}

}  // namespace
}  // namespace elizacloud

// ---- run_inline: a synchronous caller runs its own operation ---------------------------------

namespace elizacloud {
namespace {

// What one run_inline call saw: its request's response and where the completion ran.
struct InlineCall {
    std::mutex mutex;
    std::optional<HttpResponse> response;
    std::thread::id completed_on;
    bool completion_in_io_context = false;
    std::atomic<RequestId> id{0};

    bool done() {
        std::lock_guard<std::mutex> lock(mutex);
        return response.has_value();
    }
    // For a completion that runs on the I/O thread.
    bool wait_done(int ms) {
        for (int waited = 0; !done() && waited < ms; waited += 10)
            std::this_thread::sleep_for(Ms(10));
        return done();
    }
};

// run_inline as OperationTable::run uses it: start posts the first step, which submits r.
void run_inline_request(
    Engine &engine, HttpRequest r, InlineCall &call, int64_t deadline_ms = 0,
    std::function<void()> on_deadline = [] {}) {
    engine.run_inline(
        [&] {
            engine.post([&engine, &call, r = std::move(r)]() mutable {
                call.id = engine.submit(std::move(r), [&](HttpResponse &&response) {
                    std::lock_guard<std::mutex> lock(call.mutex);
                    call.completed_on = std::this_thread::get_id();
                    call.completion_in_io_context = engine.in_io_thread();
                    call.response = std::move(response);
                });
            });
        },
        [&] { return call.done(); }, deadline_ms, on_deadline);
}

TEST_F(EngineTest, InlineRequestRunsOnTheCallersThreadWithoutWakingTheLoop) {
    engine_->drain();
    const uint64_t before = engine_->wakeups();
    InlineCall call;
    run_inline_request(*engine_, get(server_.url("/ok")), call);
    ASSERT_TRUE(call.response.has_value());  // done when run_inline returns: no wait needed
    EXPECT_TRUE(call.response->ok()) << call.response->error.message;
    EXPECT_EQ(call.response->body, "hello");
    EXPECT_EQ(call.completed_on, std::this_thread::get_id());
    EXPECT_TRUE(call.completion_in_io_context);  // its completion runs as the I/O context
    EXPECT_FALSE(engine_->in_io_thread());       // and only while it runs
    EXPECT_EQ(engine_->wakeups(), before);
    EXPECT_EQ(engine_->active_requests(), 0u);
}

TEST_F(EngineTest, InlineRequestsKeepTheirConnectionOpen) {
    for (int i = 0; i < 5; ++i) {
        InlineCall call;
        run_inline_request(*engine_, get(server_.url("/ok")), call);
        ASSERT_TRUE(call.response.has_value() && call.response->ok());
    }
    EXPECT_EQ(server_.requests(), 5u);
    EXPECT_EQ(server_.connections(), 1u);
}

TEST_F(EngineTest, InlineRequestsKeepEveryCheckOfTheLoop) {
    InlineCall redirect;
    run_inline_request(*engine_, get(server_.url("/redirect")), redirect);
    ASSERT_TRUE(redirect.response.has_value());
    EXPECT_EQ(redirect.response->error.status, Status::RedirectRefused);
    InlineCall injected;
    HttpRequest bad = get(server_.url("/ok"));
    bad.headers.emplace_back("X-Bad", "a\r\nInjected: yes");
    run_inline_request(*engine_, bad, injected);
    ASSERT_TRUE(injected.response.has_value());
    EXPECT_EQ(injected.response->error.status, Status::InvalidArgument);
    InlineCall big;
    HttpRequest limited = get(server_.url("/big"));
    limited.max_response_bytes = 100;
    run_inline_request(*engine_, limited, big);
    ASSERT_TRUE(big.response.has_value());
    EXPECT_EQ(big.response->error.status, Status::ResponseTooLarge);
}

TEST_F(EngineTest, InlineCallLeavesStreamsToTheIoThread) {
    HttpRequest r = get(server_.url("/big-chunked"));
    std::string streamed;
    r.on_data = [&](std::string_view data) { streamed.append(data); };
    InlineCall call;
    run_inline_request(*engine_, r, call);
    ASSERT_TRUE(call.wait_done(5'000));
    std::lock_guard<std::mutex> lock(call.mutex);
    EXPECT_TRUE(call.response->ok()) << call.response->error.message;
    EXPECT_EQ(streamed.size(), 1000u);
    EXPECT_NE(call.completed_on, std::this_thread::get_id());
}

TEST_F(EngineTest, InlineRequestIsCancelledFromAnotherThread) {
    InlineCall call;
    std::thread canceller([&] {
        ASSERT_TRUE(slow_started_.wait_for(1, 10'000));
        engine_->cancel(call.id);  // set by the first step, before the request began
    });
    const auto start = std::chrono::steady_clock::now();
    run_inline_request(*engine_, get(server_.url("/slow")), call);
    canceller.join();
    ASSERT_TRUE(call.response.has_value());
    EXPECT_EQ(call.response->error.status, Status::Cancelled) << call.response->error.message;
    EXPECT_LT(elapsed_ms(start), 5'000);
}

TEST_F(EngineTest, InlineRequestStopsAtTheCallersDeadline) {
    InlineCall call;
    bool deadline_ran = false;
    HttpRequest post = get(server_.url("/slow"));
    post.method = "POST";
    post.body = "x";
    const auto start = std::chrono::steady_clock::now();
    run_inline_request(*engine_, post, call, steady_now_ms() + 300, [&] { deadline_ran = true; });
    EXPECT_TRUE(deadline_ran);
    ASSERT_TRUE(call.response.has_value());
    EXPECT_EQ(call.response->error.status, Status::Cancelled);
    EXPECT_GE(elapsed_ms(start), 290);
    EXPECT_LT(elapsed_ms(start), 5'000);
}

// The caller's deadline step throwing (out of memory in it) fails the call, and the lane's easy
// handle leaves the lane's multi handle first: it used to go back to the loop's pool still added
// there, and the next request through the loop failed to add it.
TEST_F(EngineTest, ACallersDeadlineStepThatThrowsLeavesEveryHandleUsable) {
    InlineCall call;
    HttpRequest post = get(server_.url("/slow"));
    post.method = "POST";
    post.body = "x";
    run_inline_request(*engine_, post, call, steady_now_ms() + 200,
                       [] { throw std::runtime_error("the deadline step failed"); });
    ASSERT_TRUE(call.response.has_value());
    EXPECT_EQ(call.response->error.status, Status::Internal) << call.response->error.message;
    for (int i = 0; i < 3; ++i) {
        HttpResponse through_loop = test::perform(*engine_, get(server_.url("/ok")), 10'000);
        EXPECT_TRUE(through_loop.ok()) << through_loop.error.message;
        InlineCall inline_call;
        run_inline_request(*engine_, get(server_.url("/ok")), inline_call);
        ASSERT_TRUE(inline_call.response.has_value());
        EXPECT_TRUE(inline_call.response->ok()) << inline_call.response->error.message;
    }
}

// A GET may be what other operations wait for too (a generation detection several calls
// share): past the caller's time it is not cancelled but starts again on the I/O thread, with the
// same id and completion.
TEST_F(EngineTest, AnIdempotentInlineRequestOutlivingItsCallerMovesToTheIoThread) {
    InlineCall call;
    bool deadline_ran = false;
    run_inline_request(*engine_, get(server_.url("/slow")), call, steady_now_ms() + 300,
                       [&] { deadline_ran = true; });
    EXPECT_TRUE(deadline_ran);
    EXPECT_FALSE(call.done());
    ASSERT_TRUE(slow_started_.wait_for(2, 10'000));  // sent again, by the I/O thread
    EXPECT_EQ(engine_->active_requests(), 1u);
    engine_->cancel(call.id);
    ASSERT_TRUE(call.wait_done(5'000));
    std::lock_guard<std::mutex> lock(call.mutex);
    EXPECT_EQ(call.response->error.status, Status::Cancelled);
    EXPECT_NE(call.completed_on, std::this_thread::get_id());
}

// A step that cancels the request it has just submitted: nothing is sent.
TEST_F(EngineTest, AnInlineRequestCancelledBeforeItStartsIsNeverSent) {
    InlineCall call;
    engine_->run_inline(
        [&] {
            engine_->post([&] {
                call.id = engine_->submit(get(server_.url("/ok")), [&](HttpResponse &&r) {
                    std::lock_guard<std::mutex> lock(call.mutex);
                    call.response = std::move(r);
                });
                engine_->cancel(call.id);
            });
        },
        [&] { return call.done(); }, 0, [] {});
    ASSERT_TRUE(call.done());
    EXPECT_EQ(call.response->error.status, Status::Cancelled);
    EXPECT_EQ(server_.requests(), 0u);
}

TEST_F(EngineTest, InlineRequestHasTheIdleTimeout) {
    HttpRequest r = get(server_.url("/slow"));
    r.idle_timeout_ms = 300;
    InlineCall call;
    run_inline_request(*engine_, r, call);
    ASSERT_TRUE(call.response.has_value());
    EXPECT_EQ(call.response->error.status, Status::Timeout);
    EXPECT_NE(call.response->error.message.find("idle"), std::string::npos);
}

// One caller at a time has the direct connection; another, meanwhile, is served by the I/O
// thread as before (and is not held up by the first).
TEST_F(EngineTest, ASecondInlineCallerMeanwhileGoesThroughTheIoThread) {
    InlineCall slow;
    std::thread first([&] { run_inline_request(*engine_, get(server_.url("/slow")), slow); });
    ASSERT_TRUE(slow_started_.wait_for(1, 10'000));
    InlineCall quick;
    run_inline_request(*engine_, get(server_.url("/ok")), quick);
    ASSERT_TRUE(quick.wait_done(5'000));
    {
        std::lock_guard<std::mutex> lock(quick.mutex);
        EXPECT_TRUE(quick.response->ok());
        EXPECT_NE(quick.completed_on, std::this_thread::get_id());  // the I/O thread's
    }
    engine_->cancel(slow.id);
    first.join();
    ASSERT_TRUE(slow.response.has_value());
    EXPECT_EQ(slow.response->error.status, Status::Cancelled);
}

// A completion that runs as the I/O context may set timers and post work; the loop, asleep in
// its wait, is woken for them.
TEST_F(EngineTest, TimersAndTasksOfAnInlineCompletionRunOnTheIoThread) {
    Counter fired;
    std::thread::id timer_thread, task_thread;
    std::mutex mutex;
    engine_->run_inline(
        [&] {
            engine_->post([&] {
                engine_->submit(get(server_.url("/ok")), [&](HttpResponse &&) {
                    engine_->set_timer(20, [&] {
                        std::lock_guard<std::mutex> lock(mutex);
                        timer_thread = std::this_thread::get_id();
                        fired.increment();
                    });
                });
            });
        },
        [] { return false; }, 0, [] {});
    // A task handed in from the caller afterwards: the usual way again.
    engine_->post([&] {
        std::lock_guard<std::mutex> lock(mutex);
        task_thread = std::this_thread::get_id();
        fired.increment();
    });
    ASSERT_TRUE(fired.wait_for(2, 5'000));
    std::lock_guard<std::mutex> lock(mutex);
    EXPECT_NE(timer_thread, std::this_thread::get_id());
    EXPECT_EQ(timer_thread, task_thread);
}

}  // namespace
}  // namespace elizacloud

namespace elizacloud {
namespace {

TEST(EngineTasks, AtTurnEndRunsAfterTheTurnsCallbacksAndOnlyOnTheIoThread) {
    auto engine = Engine::create();
    EXPECT_FALSE(engine->at_turn_end([] {}));  // not the I/O thread
    std::mutex mutex;
    std::vector<std::string> order;
    auto note = [&](const char *what) {
        std::lock_guard<std::mutex> lock(mutex);
        order.emplace_back(what);
    };
    std::promise<void> done;
    engine->post([&] {
        EXPECT_TRUE(engine->at_turn_end([&] {
            note("end of turn");
            done.set_value();
        }));
        note("task");
    });
    done.get_future().wait();
    std::lock_guard<std::mutex> lock(mutex);
    EXPECT_EQ(order, (std::vector<std::string>{"task", "end of turn"}));
}

TEST(EngineTasks, AtTurnEndIsRefusedToACallerActingAsTheIoContext) {
    auto engine = Engine::create();
    bool accepted = true;
    engine->run_inline([&] { accepted = engine->at_turn_end([] {}); }, [] { return true; }, 0,
                       [] {});
    EXPECT_FALSE(accepted);
}

// A request's Transfer is allocated per request: at most glibc's largest per-thread cached
// block (1032 bytes), else every request made the allocator consolidate its heap. Its request
// is the response's `sent`, and the rare abort error is kept apart, for this.
TEST(TransferSize, FitsTheAllocatorsPerThreadCache) {
    EXPECT_LE(sizeof(Transfer), 1024u);
    Transfer t;
    t.request.url = "https://example.test/";
    EXPECT_EQ(t.response.sent.url, "https://example.test/");
}

// One connection pool per scheme, host and port, whatever the case; the buffer form (what the
// host queue uses on every admission) gives the same key and leaves nothing of a longer one.
TEST(HostKey, SchemeHostAndPortInLowerCase) {
    EXPECT_EQ(host_key("HTTPS://Api.Example:443/x?y"), "https://api.example:443");
    EXPECT_EQ(host_key("http://h:8080?q#f"), "http://h:8080");
    EXPECT_EQ(host_key("http://h#f/x"), "http://h");
    EXPECT_EQ(host_key("https://H:1"), "https://h:1");
    std::string key = "a-much-longer-previous-key-of-another-host";
    host_key("https://B.example/path", key);
    EXPECT_EQ(key, "https://b.example");
}

// A server whose kept-alive connections die under the next request: each connection answers its
// first request (HTTP/1.1, so the client keeps it) and closes without a word on the second. The
// client's reused connection is dead every time, so libcurl silently reconnects for each request.
class DyingKeepAliveServer {
public:
    DyingKeepAliveServer() {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(listener_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
            ::listen(listener_, 16) != 0)
            throw std::runtime_error("listen failed");
        socklen_t len = sizeof addr;
        ::getsockname(listener_, reinterpret_cast<sockaddr *>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~DyingKeepAliveServer() {
        ::shutdown(listener_, SHUT_RDWR);
        ::close(listener_);
        thread_.join();
        for (std::thread &t : connections_) t.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/x"; }
    int connections() const { return accepted_.load(); }

private:
    void serve() {
        for (;;) {
            int fd = ::accept(listener_, nullptr, nullptr);
            if (fd < 0) return;
            ++accepted_;
            connections_.emplace_back([fd] {
                std::string seen;
                char buffer[4096];
                int requests = 0;
                for (;;) {
                    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
                    if (n <= 0) break;
                    seen.append(buffer, static_cast<size_t>(n));
                    if (seen.find("\r\n\r\n") == std::string::npos) continue;
                    seen.clear();
                    if (++requests > 1) break;  // dies under the second request
                    const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
                    if (::send(fd, reply, sizeof reply - 1, MSG_NOSIGNAL) < 0) break;
                }
                ::close(fd);
            });
        }
    }
    int listener_ = -1;
    int port_ = 0;
    std::atomic<int> accepted_{0};
    std::thread thread_;
    std::vector<std::thread> connections_;  // the accept thread's only
};

// libcurl counts the silent reconnects it makes on one easy handle and gives up after five
// (CURLE_SEND_ERROR, "Connection died, tried 5 times"); only curl_easy_reset zeroes the count. A
// reused handle must not carry that count from one request into the next: every request here
// needs one such reconnect, and every one of them succeeds.
TEST(EngineReuse, SilentReconnectsDoNotAddUpAcrossRequests) {
    DyingKeepAliveServer server;
    auto engine = Engine::create(local_options());
    for (int i = 0; i < 12; ++i) {
        HttpResponse r = test::perform(*engine, get(server.url()), 10'000);
        ASSERT_TRUE(r.ok()) << "request " << i << ": " << r.error.message;
        EXPECT_EQ(r.body, "ok");
    }
    EXPECT_GE(server.connections(), 12);  // a new connection for each request after the first
    engine.reset();
}

}  // namespace
}  // namespace elizacloud
