// The standalone REST server against misbehaving clients, over raw sockets: bodiless POSTs
// without Content-Length, keep-alive latency, clients that trickle their headers (slowloris),
// deadlines, event-stream slots of clients that left, ambiguous framing (duplicate Host or
// Content-Length, Content-Length with Transfer-Encoding, malformed lengths), and an endless
// chunked body whose leftover bytes must never be read as requests.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "handle/cloud.hpp"
#include "rest/rest_server.hpp"

namespace elizacloud {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const std::string kKey = "eliza_" + std::string(64, 'a');

std::unique_ptr<Cloud> offline_cloud(const char *api_key = nullptr) {
    ec_cloud_options o{};
    o.struct_size = sizeof o;
    o.base_url = "http://127.0.0.1:9";  // nothing listens there: cloud calls fail at once
    o.insecure_local = 1;
    o.no_config_file = 1;
    o.api_key = api_key;
    return std::make_unique<Cloud>(o);
}

RestServerOptions ephemeral() {
    RestServerOptions o;
    o.port = 0;
    return o;
}

// A raw client socket: what it sends is sent as is, what it reads is read as is.
class Raw {
public:
    explicit Raw(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
        int yes = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    }
    ~Raw() { close(); }
    Raw(const Raw &) = delete;
    Raw &operator=(const Raw &) = delete;

    bool connected() const { return connected_; }
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    bool send(const std::string &data) {
        size_t sent = 0;
        while (sent < data.size()) {
            const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return false;
            sent += static_cast<size_t>(n);
        }
        return true;
    }

    // Reads what arrives within timeout; false once the server closed (or reset) the socket.
    bool read_some(std::chrono::milliseconds timeout) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return true;
        char buf[16384];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) {
            closed_ = true;
            return false;
        }
        in_.append(buf, static_cast<size_t>(n));
        return true;
    }

    // One whole response (Content-Length framed), or nullopt when none came within timeout.
    std::optional<std::string> response(std::chrono::milliseconds timeout = 10s) {
        const auto until = Clock::now() + timeout;
        while (true) {
            if (auto r = take_response()) return r;
            if (closed_ || Clock::now() >= until) return std::nullopt;
            read_some(50ms);
        }
    }

    // True when the server closes the connection within timeout (whatever it sent before).
    bool closed_within(std::chrono::milliseconds timeout) {
        const auto until = Clock::now() + timeout;
        while (!closed_ && Clock::now() < until) read_some(50ms);
        return closed_;
    }

    std::string &received() { return in_; }

private:
    std::optional<std::string> take_response() {
        const size_t end = in_.find("\r\n\r\n");
        if (end == std::string::npos) return std::nullopt;
        size_t length = 0;
        const size_t cl = lower(in_.substr(0, end)).find("content-length:");
        if (cl != std::string::npos) length = std::stoul(in_.substr(cl + 15));
        if (in_.size() < end + 4 + length) return std::nullopt;
        std::string r = in_.substr(0, end + 4 + length);
        in_.erase(0, end + 4 + length);
        return r;
    }
    static std::string lower(std::string s) {
        std::transform(s.begin(), s.end(), s.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return s;
    }

    int fd_ = -1;
    bool connected_ = false;
    bool closed_ = false;
    std::string in_;
};

int status_of(const std::optional<std::string> &response) {
    if (!response || response->size() < 12 || !response->starts_with("HTTP/1.")) return 0;
    return std::stoi(response->substr(9, 3));
}

std::string request(const std::string &method, const std::string &path,
                    const std::string &extra_headers = "", const std::string &body = "") {
    return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra_headers + "\r\n" + body;
}

// `curl -X POST URL` sends no Content-Length and no body: the body is empty (RFC 9112 §6.3)
// and the answer comes at once, not after a read timeout as "Malformed request body".
TEST(RestServerHardening, BodilessPostsWithoutContentLengthAreAnsweredAtOnce) {
    auto cloud = offline_cloud(kKey.c_str());
    RestServer server(*cloud, ephemeral());
    const std::string agent = "/api/cloud/agents/123e4567-e89b-12d3-a456-426614174000";
    // The disconnect last: it removes the key that the agent routes need to get past their checks.
    const std::vector<std::string> paths = {"/api/cloud/login", agent + "/connect",
                                            agent + "/provision", agent + "/shutdown",
                                            "/api/cloud/disconnect"};
    for (const std::string &path : paths) {
        Raw client(server.port());
        ASSERT_TRUE(client.send(request("POST", path)));
        const auto start = Clock::now();
        auto r = client.response(10s);
        ASSERT_TRUE(r) << path;
        EXPECT_LT(Clock::now() - start, 3s) << path;
        EXPECT_EQ(r->find("Malformed request body"), std::string::npos) << path << *r;
        EXPECT_NE(status_of(r), 400) << path << *r;
    }
    Raw client(server.port());
    ASSERT_TRUE(client.send(request("POST", "/api/cloud/disconnect")));
    EXPECT_EQ(status_of(client.response()), 200);
}

// Requests on a kept-alive connection are answered without the ~40 ms delayed-ACK stall of a
// response written in two pieces without TCP_NODELAY. The median is compared, so a busy
// machine's outliers do not matter.
TEST(RestServerHardening, KeepAliveRequestsAreNotDelayed) {
    auto cloud = offline_cloud();
    RestServer server(*cloud, ephemeral());
    Raw client(server.port());
    std::vector<double> ms;
    for (int i = 0; i < 21; ++i) {
        const auto start = Clock::now();
        ASSERT_TRUE(client.send(request("GET", "/api/cloud/status")));
        ASSERT_EQ(status_of(client.response()), 200) << i;
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(ms.begin() + 1, ms.end());
    EXPECT_LT(ms[11], 30.0) << "median of the kept-alive requests (ms)";
}

// 256 clients trickling header lines hold no thread: a normal client is answered at once.
TEST(RestServerHardening, TricklingClientsDoNotStarveOthers) {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < 2048) {
        limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 2048);
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    auto cloud = offline_cloud();
    RestServerOptions o = ephemeral();
    o.header_timeout_ms = 60'000;  // the trickle must last the whole test
    o.idle_timeout_ms = 60'000;
    RestServer server(*cloud, o);
    std::vector<std::unique_ptr<Raw>> trickles;
    for (int i = 0; i < 256; ++i) {
        trickles.push_back(std::make_unique<Raw>(server.port()));
        ASSERT_TRUE(trickles.back()->connected()) << i;
        trickles.back()->send("GET /api/cloud/status HTTP/1.1\r\nHost: localhost\r\n");
    }
    int answered = 0;
    for (int probe = 0; probe < 5; ++probe) {
        for (int i = 0; i < 256; ++i)
            trickles[i]->send("X-Trickle-" + std::to_string(probe) + ": 1\r\n");
        Raw client(server.port());
        ASSERT_TRUE(client.send(request("GET", "/api/cloud/status")));
        const auto start = Clock::now();
        auto r = client.response(5s);
        if (status_of(r) == 200 && Clock::now() - start < 3s) ++answered;
        std::this_thread::sleep_for(200ms);
    }
    EXPECT_EQ(answered, 5);
}

// Deadlines: the request line within the idle limit, then the headers and the body within
// theirs, however the bytes are paced.
TEST(RestServerHardening, SlowRequestsAreCutAtTheirDeadlines) {
    auto cloud = offline_cloud(kKey.c_str());
    RestServerOptions o = ephemeral();
    o.idle_timeout_ms = 500;
    o.header_timeout_ms = 500;
    o.body_timeout_ms = 500;
    RestServer server(*cloud, o);
    auto trickle = [&](const std::string &first, const std::string &each) {
        Raw client(server.port());
        client.send(first);
        const auto until = Clock::now() + 6s;
        while (Clock::now() < until) {
            if (!client.send(each) || !client.read_some(150ms)) return true;
        }
        return client.closed_within(100ms);
    };
    EXPECT_TRUE(trickle("GET /api/cloud/status HTTP/1.1\r\n", "X-Slow: 1\r\n")) << "headers";
    EXPECT_TRUE(trickle(request("POST", "/api/cloud/agents", "Content-Length: 100000\r\n"), " "))
        << "body";
    EXPECT_TRUE(trickle("", "")) << "idle";
    Raw idle(server.port());  // a kept-alive connection left idle
    ASSERT_TRUE(idle.send(request("GET", "/api/cloud/status")));
    EXPECT_EQ(status_of(idle.response()), 200);
    EXPECT_TRUE(idle.closed_within(6s));
}

// Opens an event stream, retrying while the server answers 503 (every slot taken) for up to
// `within` (at least one try); nullptr when no slot opened in time.
std::unique_ptr<Raw> open_event_stream(int port, std::chrono::milliseconds within) {
    const auto until = Clock::now() + within;
    do {
        auto stream = std::make_unique<Raw>(port);
        stream->send(request("GET", "/api/cloud/events"));
        const auto wait = Clock::now() + 2s;
        while (stream->received().find("event: snapshot") == std::string::npos &&
               !stream->received().starts_with("HTTP/1.1 503") && Clock::now() < wait)
            stream->read_some(50ms);
        if (stream->received().starts_with("HTTP/1.1 200")) return stream;
        std::this_thread::sleep_for(100ms);
    } while (Clock::now() < until);
    return nullptr;
}

// A client that leaves an event stream frees its slot at once, not when a later write fails.
TEST(RestServerHardening, EventStreamSlotsOfGoneClientsAreFreedPromptly) {
    auto cloud = offline_cloud();
    RestServerOptions o = ephemeral();
    o.threads = 4;  // two event streams at most
    RestServer server(*cloud, o);
    for (int round = 0; round < 3; ++round) {
        // The previous round's probe has just left too: its slot frees within the same bound.
        std::vector<std::unique_ptr<Raw>> streams;
        for (int i = 0; i < 2; ++i) {
            streams.push_back(open_event_stream(server.port(), 3s));
            ASSERT_NE(streams.back(), nullptr) << "round " << round << ": no slot within 3 s";
        }
        EXPECT_EQ(open_event_stream(server.port(), 0ms), nullptr) << "a third stream";
        streams.clear();  // both clients leave
        EXPECT_NE(open_event_stream(server.port(), 3s), nullptr)
            << "round " << round << ": no slot within 3 s";
    }
}

// Framing that two parsers could read differently is refused and the connection closed.
TEST(RestServerHardening, AmbiguousFramingIsRefused) {
    auto cloud = offline_cloud(kKey.c_str());
    RestServer server(*cloud, ephemeral());
    const std::string cases[] = {
        "GET /api/cloud/status HTTP/1.1\r\nHost: localhost\r\nHost: evil.com\r\n\r\n",
        "POST /api/cloud/agents HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n"
        "Content-Length: 20\r\n\r\n{}",
        "POST /api/cloud/agents HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n"
        "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    };
    for (const auto &text : cases) {
        Raw client(server.port());
        ASSERT_TRUE(client.send(text));
        auto r = client.response(5s);
        EXPECT_EQ(status_of(r), 400) << text << (r ? *r : "no response");
        EXPECT_TRUE(client.closed_within(3s)) << text;
    }
}

// A Content-Length that is not a number or is negative is a 400 at once; one too large for any
// integer is a 413 at once (it is larger than the cap whatever its value).
TEST(RestServerHardening, MalformedContentLengthIsAnsweredAtOnce) {
    auto cloud = offline_cloud(kKey.c_str());
    RestServer server(*cloud, ephemeral());
    const std::pair<const char *, int> cases[] = {
        {"abc", 400}, {"-1", 400}, {"12abc", 400}, {"99999999999999999999999", 413}};
    for (const auto &[length, status] : cases) {
        Raw client(server.port());
        ASSERT_TRUE(client.send(request("POST", "/api/cloud/agents",
                                        std::string("Content-Length: ") + length + "\r\n", "{}")));
        const auto start = Clock::now();
        auto r = client.response(10s);
        EXPECT_EQ(status_of(r), status) << length << (r ? *r : "no response");
        EXPECT_LT(Clock::now() - start, 3s) << length;
        EXPECT_TRUE(client.closed_within(3s)) << length;
    }
}

// An endless chunked body gets its 413 (or a plain close) and the connection ends: the rest of
// the stream — here made of requests — is never read as requests.
TEST(RestServerHardening, EndlessChunkedBodyEndsTheConnection) {
    auto cloud = offline_cloud();
    RestServer server(*cloud, ephemeral());
    Raw client(server.port());
    ASSERT_TRUE(client.send(
        "POST /api/cloud/agents HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
        "7fffffff\r\n"));
    std::string smuggled;
    while (smuggled.size() < 64 * 1024) smuggled += request("GET", "/api/cloud/status");
    std::atomic<bool> stop{false};
    std::thread sender([&] {
        for (int i = 0; i < 600 && !stop; ++i)  // ~38 MiB at most
            if (!client.send(smuggled)) break;
    });
    const auto until = Clock::now() + 30s;
    while (!client.closed_within(100ms) && Clock::now() < until) {
    }
    stop = true;
    sender.join();
    const std::string &in = client.received();
    EXPECT_EQ(in.find("HTTP/1.1 200"), std::string::npos) << in.substr(0, 500);
    EXPECT_TRUE(in.empty() || in.starts_with("HTTP/1.1 413")) << in.substr(0, 500);
    size_t responses = 0;
    for (size_t at = in.find("HTTP/1.1 "); at != std::string::npos;
         at = in.find("HTTP/1.1 ", at + 1))
        ++responses;
    EXPECT_LE(responses, 1u) << in.substr(0, 500);
}

// Agent names must be text the cloud accepts: valid UTF-8 without control characters.
TEST(RestServerHardening, AgentNamesMustBeCleanText) {
    auto cloud = offline_cloud(kKey.c_str());
    RestServer server(*cloud, ephemeral());
    const std::string bodies[] = {
        "{\"agentName\":\"bad \xff byte\"}",
        "{\"agentName\":\"overlong \xc0\xaf slash\"}",
        "{\"agentName\":\"surrogate \xed\xa0\x80\"}",
        R"({"agentName":"nul \u0000 char"})",
        R"({"agentName":"bell \u0007"})",
        "{\"agentName\":\"ok\",\"environmentVars\":{\"A\":\"\xe2\x28\xa1\"}}",
    };
    for (const auto &body : bodies) {
        Raw client(server.port());
        ASSERT_TRUE(client.send(request("POST", "/api/cloud/agents",
                                        "Content-Type: application/json\r\nContent-Length: " +
                                            std::to_string(body.size()) + "\r\n",
                                        body)));
        auto r = client.response(10s);
        EXPECT_EQ(status_of(r), 400) << body << (r ? *r : "no response");
        if (r) {
            EXPECT_EQ(r->find("\xc0\xaf"), std::string::npos);
            EXPECT_EQ(r->find('\xff'), std::string::npos);
        }
    }
}

}  // namespace
}  // namespace elizacloud
