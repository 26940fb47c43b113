// What the REST dispatcher's tests share: a cloud against a given URL with fast timings, request
// and header helpers, and RestEmulator (a RestApi over a logged-out cloud of the emulator).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cloud_test_env.hpp"
#include "handle/cloud.hpp"
#include "rest/rest_api.hpp"
#include "util/json.hpp"

namespace elizacloud::test::rest {

namespace fs = std::filesystem;

inline const std::string kAgent = "123e4567-e89b-42d3-a456-426614174000";
inline const std::string kToken = "0123456789abcdef0123456789abcdef";

inline std::unique_ptr<Cloud> make_cloud(const std::string &base_url,
                                         const std::string &config_path,
                                         const char *api_key = nullptr) {
    ec_cloud_options o{};
    o.struct_size = sizeof o;
    o.base_url = base_url.c_str();
    o.insecure_local = 1;
    o.api_key = api_key;
    if (config_path.empty()) {
        o.no_config_file = 1;
    } else {
        o.config_path = config_path.c_str();
    }
    o.heartbeat_interval_ms = 100;
    o.reconnect_initial_delay_ms = 50;
    o.backup_interval_ms = 60'000;
    o.job_poll_interval_ms = 20;
    return std::make_unique<Cloud>(o);
}

inline RestRequest req(std::string method, std::string target, std::string body = {},
                       Headers headers = {}) {
    return RestRequest{std::move(method), std::move(target), std::move(headers), std::move(body)};
}

inline std::string header_of(const RestResponse &r, std::string_view name) {
    const std::string *v = find_header(r.headers, name);
    return v ? *v : std::string();
}

class RestEmulator : public EmulatorSuite<RestEmulator> {
public:
    static std::vector<std::string> emulator_flags() {
        return {"--auto-approve", "--provision-ms", "60", "--job-poll-interval-ms", "20"};
    }

protected:
    void SetUp() override {
        EmulatorSuite::SetUp();
        char tmpl[] = "/tmp/ec-rest-test-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        config_ = dir_ + "/milady.json";
        cloud_ = make_cloud(emulator_->url(), config_);
        api_ = std::make_unique<RestApi>(*cloud_, RestOptions{});
    }
    void TearDown() override {
        api_.reset();
        cloud_.reset();
        fs::remove_all(dir_);
    }
    RestResponse send(const std::string &method, const std::string &target,
                      const std::string &body = "") {
        return api_->dispatch(req(method, target, body));
    }
    std::string config_text() {
        std::ifstream in(config_);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    // POST login + one status poll (auto-approve hands the key out on the first poll).
    std::string login() {
        RestResponse r = send("POST", "/api/cloud/login");
        EXPECT_EQ(r.status, 200) << r.body;
        const std::string session = json_string(r.body, "sessionId");
        r = send("GET", "/api/cloud/login/status?sessionId=" + session);
        EXPECT_EQ(json_string(r.body, "status"), "authenticated") << r.body;
        return session;
    }

    std::string dir_, config_;
    std::unique_ptr<Cloud> cloud_;
    std::unique_ptr<RestApi> api_;
};

}  // namespace elizacloud::test::rest
