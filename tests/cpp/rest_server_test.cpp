// The standalone REST server over real sockets: the 413 really reaches a client that is still
// sending (G19) while exactly 1 MiB is accepted, the non-loopback bind rule, event streams that
// end promptly at stop(), many concurrent requests, and the environment export.
#include "rest/rest_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "cloud_test_env.hpp"
#include "handle/cloud.hpp"

namespace elizacloud {
namespace {

using Clock = std::chrono::steady_clock;

std::unique_ptr<Cloud> offline_cloud(const char *api_key = nullptr) {
    ec_cloud_options o{};
    o.struct_size = sizeof o;
    o.base_url = "http://127.0.0.1:9";  // never reached by these tests
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

// One raw HTTP/1.1 exchange: sends everything (ignoring a send failure once the server has
// answered), then reads until the server closes or the response is complete.
std::string raw_exchange(int port, const std::string &request) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return "connect failed";
    }
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    size_t sent = 0;
    while (sent < request.size()) {
        ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<size_t>(n);
    }
    std::string response;
    char buf[4096];
    while (true) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        response.append(buf, static_cast<size_t>(n));
        const size_t end = response.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        const size_t cl = response.find("Content-Length: ");
        if (cl != std::string::npos && cl < end) {
            const size_t length = std::stoul(response.substr(cl + 16));
            if (response.size() >= end + 4 + length) break;
        }
    }
    ::close(fd);
    return response;
}

std::string post_agents(size_t body_size, bool chunked) {
    std::string body = "{}";
    body.resize(body_size, ' ');
    if (chunked) {
        char size[32];
        std::snprintf(size, sizeof size, "%zx", body.size());
        return "POST /api/cloud/agents HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: "
               "chunked\r\n\r\n" +
               std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n";
    }
    return "POST /api/cloud/agents HTTP/1.1\r\nHost: localhost\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST(RestServer, TooLargeBodiesGetARealResponse) {  // R68, G19
    const std::string key = "eliza_" + std::string(64, 'a');
    auto cloud = offline_cloud(key.c_str());
    RestServer server(*cloud, ephemeral());
    for (bool chunked : {false, true}) {
        std::string r = raw_exchange(server.port(), post_agents(kRestMaxBodyBytes + 1, chunked));
        EXPECT_TRUE(r.starts_with("HTTP/1.1 413 ")) << r.substr(0, 200);
        EXPECT_NE(r.find("Connection: close"), std::string::npos);
        EXPECT_TRUE(r.ends_with(R"({"error":"Request body too large"})")) << r;
        r = raw_exchange(server.port(), post_agents(kRestMaxBodyBytes, chunked));  // accepted
        EXPECT_TRUE(r.starts_with("HTTP/1.1 400 ")) << r.substr(0, 200);
        EXPECT_TRUE(r.ends_with(R"({"error":"agentName is required"})")) << r;
    }
    std::string r = raw_exchange(server.port(), post_agents(8 * kRestMaxBodyBytes, false));
    EXPECT_TRUE(r.starts_with("HTTP/1.1 413 ")) << r.substr(0, 200);
}

TEST(RestServer, NonLoopbackNeedsAToken) {  // R190, SPEC §3
    auto cloud = offline_cloud();
    RestServerOptions o = ephemeral();
    o.host = "0.0.0.0";
    try {
        RestServer server(*cloud, o);
        FAIL() << "served 0.0.0.0 without a token";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), Status::InvalidArgument);
    }
    o.rest.token = "t0k3n";
    RestServer server(*cloud, o);
    httplib::Client client("127.0.0.1", server.port());
    auto r = client.Get("/api/cloud/status");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    r = client.Get("/api/cloud/status", {{"Authorization", "Bearer t0k3n"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    // Loopback forms need none.
    for (const char *host : {"127.0.0.1", "localhost", "::1"}) {
        RestServerOptions loop = ephemeral();
        loop.host = host;
        EXPECT_NO_THROW(RestServer(*cloud, loop)) << host;
    }
}

TEST(RestServer, PortInUseIsAnIoError) {
    auto cloud = offline_cloud();
    RestServer first(*cloud, ephemeral());
    RestServerOptions o;
    o.port = first.port();
    try {
        RestServer second(*cloud, o);
        FAIL() << "two servers on one port";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), Status::Io);
    }
}

TEST(RestServer, EventStreamsEndPromptlyAtStop) {
    auto cloud = offline_cloud();
    auto server = std::make_unique<RestServer>(*cloud, ephemeral());
    std::atomic<bool> got_snapshot{false};
    std::atomic<bool> ended{false};
    std::thread reader([&, port = server->port()] {
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(30, 0);
        client.Get("/api/cloud/events", [&](const char *data, size_t size) {
            if (std::string(data, size).find("event: snapshot") != std::string::npos)
                got_snapshot = true;
            return true;
        });
        ended = true;
    });
    const auto until = Clock::now() + std::chrono::seconds(10);
    while (!got_snapshot && Clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_TRUE(got_snapshot);
    const auto start = Clock::now();
    server->stop();
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(4));
    reader.join();
    EXPECT_TRUE(ended);
}

TEST(RestServer, ManyConcurrentRequestsAllSucceed) {
    auto cloud = offline_cloud();
    RestServer server(*cloud, ephemeral());
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 100; ++i) {
        threads.emplace_back([&] {
            httplib::Client client("127.0.0.1", server.port());
            client.set_connection_timeout(10, 0);
            client.set_read_timeout(20, 0);
            auto r = client.Get("/api/cloud/status");
            if (r && r->status == 200) ++ok;
        });
    }
    for (auto &t : threads) t.join();
    EXPECT_EQ(ok, 100);
}

TEST(RestServer, ExportsCredentialsToTheEnvironmentWhenAsked) {
    ::setenv("ELIZAOS_CLOUD_API_KEY", "stale", 1);
    ::setenv("ELIZAOS_CLOUD_ENABLED", "true", 1);
    auto cloud = offline_cloud();
    RestServerOptions o = ephemeral();
    o.export_env = true;
    RestServer server(*cloud, o);
    httplib::Client client("127.0.0.1", server.port());
    auto r = client.Post("/api/cloud/disconnect", "", "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(std::getenv("ELIZAOS_CLOUD_API_KEY"), nullptr);
    EXPECT_EQ(std::getenv("ELIZAOS_CLOUD_ENABLED"), nullptr);
}

TEST(RestServer, RejectsChunkedBodiesWhereNoneBelongAndUnknownHosts) {
    auto cloud = offline_cloud();
    RestServer server(*cloud, ephemeral());
    std::string r = raw_exchange(server.port(),
                                 "GET /api/cloud/status HTTP/1.1\r\nHost: localhost\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    EXPECT_TRUE(r.starts_with("HTTP/1.1 400 ")) << r;
    r = raw_exchange(server.port(), "GET /api/cloud/status HTTP/1.1\r\nHost: evil.com\r\n\r\n");
    EXPECT_TRUE(r.starts_with("HTTP/1.1 403 ")) << r;
    // The raw path decides the route: an encoded one is not a route.
    r = raw_exchange(server.port(), "GET /api/cloud/%73tatus HTTP/1.1\r\nHost: localhost\r\n\r\n");
    EXPECT_TRUE(r.starts_with("HTTP/1.1 404 ")) << r;
}

}  // namespace
}  // namespace elizacloud
