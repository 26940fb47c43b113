// elizacloud-smoke: the engine and the URL policy end to end over a real loopback socket.
// A local server stands in for the cloud; the default policy must refuse it, the development
// opt-in must reach it. Exit status 0 when both hold.
#include <cstdio>
#include <memory>
#include <string>

#include "blocking_engine.hpp"
#include "net/engine.hpp"
#include "net/url_policy.hpp"
#include "test_server.hpp"

using namespace elizacloud;

namespace {

void print_error(const char *step, const ErrorInfo &e) {
    std::printf("  %-28s %s: %s\n", step, status_name(e.status), e.message.c_str());
}

}  // namespace

int main() {
    test::TestServer server(4);
    server.server().Get("/api/v1/health", [](const httplib::Request &, httplib::Response &res) {
        res.set_content(R"({"status":"ok"})", "application/json");
    });
    server.start();
    const std::string base = server.url("");
    const std::string url = server.url("/api/v1/health");
    std::printf("local server: %s\n", base.c_str());
    bool ok = true;

    std::printf("default policy (HTTPS + allow-list only):\n");
    UrlVerdict verdict = UrlPolicy().check_base_url(base);
    print_error("base URL check:", verdict.error);
    ok = ok && verdict.error.status == Status::UrlBlocked;
    {
        HttpRequest request;
        request.url = url;
        auto engine = Engine::create();
        HttpResponse response = test::perform(*engine, request, 10'000);
        print_error("request:", response.error);
        ok = ok && response.error.status == Status::UrlBlocked;
        // An allowed name that resolves to loopback (DNS rebinding) is stopped at connect time.
        const std::string port = std::to_string(server.port());
        request.url = "https://www.elizacloud.ai:" + port + "/api/v1/health";
        request.resolve = {"www.elizacloud.ai:" + port + ":127.0.0.1"};
        response = test::perform(*engine, request, 10'000);
        print_error("rebound www.elizacloud.ai:", response.error);
        ok = ok && response.error.status == Status::UrlBlocked;
    }

    std::printf("development opt-in (ELIZACLOUD_INSECURE_LOCAL=1):\n");
    UrlPolicyOptions local;
    local.insecure_local = true;
    auto policy = std::make_shared<UrlPolicy>(local);
    verdict = policy->check_base_url(base);
    std::printf("  %-28s %s\n", "base URL check:", verdict.ok() ? "accepted" : "refused");
    ok = ok && verdict.ok();
    {
        EngineOptions options;
        options.policy = policy;
        HttpRequest request;
        request.url = url;
        HttpResponse response = test::perform(*Engine::create(options), request, 10'000);
        if (response.ok()) {
            std::printf("  %-28s HTTP %d %s\n", "GET /api/v1/health:", response.http_status,
                        response.body.c_str());
        } else {
            print_error("request:", response.error);
        }
        ok = ok && response.ok() && response.http_status == 200;
    }

    std::printf("%s\n", ok ? "smoke: OK" : "smoke: FAILED");
    return ok ? 0 : 1;
}
