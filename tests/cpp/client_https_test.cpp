// The client and the login over HTTPS, trusting the emulator's generated CA (EngineOptions::
// ca_file), and refusing the same server when the CA is not trusted.
#include <gtest/gtest.h>

#include "api/cloud_client.hpp"
#include "blocking_client.hpp"
#include "blocking_login.hpp"
#include "cloud_test_env.hpp"
#include "session/login.hpp"

namespace elizacloud {
namespace {

using test::json_string;

class HttpsTest : public test::EmulatorSuite<HttpsTest> {
public:
    static std::vector<std::string> emulator_flags() {
        return {"--tls", "--auto-approve", "--provision-ms", "150", "--job-poll-interval-ms", "50"};
    }

protected:
    void SetUp() override {
        EmulatorSuite::SetUp();
        ASSERT_EQ(emulator_->url().rfind("https://", 0), 0u);
        ASSERT_FALSE(emulator_->ca_file().empty());
    }
};

TEST_F(HttpsTest, LoginThenAgentLifecycleAndStream) {
    LoginOptions login_options;
    login_options.poll_interval_ms = 50;
    CloudLogin login(engine_, test::emulator_base(*emulator_), login_options);
    LoginResult credentials = test::run_login(login);
    ASSERT_FALSE(credentials.api_key.empty());
    EXPECT_EQ(credentials.user_id, "00000000-0000-4000-8000-000000000001");

    CloudClient client(engine_, test::emulator_base(*emulator_), credentials.api_key);
    std::string id =
        json_string(test::blocking(client).create_agent(R"({"agentName":"Secure"})"), "id");
    EXPECT_EQ(json_string(test::blocking(client).provision(id), "status"), "running");
    EXPECT_EQ(test::blocking(client).send_message(id, "over tls"), "echo: over tls");
    std::string streamed;
    EXPECT_EQ(test::blocking(client).stream(id, "streamed", {},
                                            [&](std::string_view c) { streamed += c; }),
              "echo: streamed");
    EXPECT_EQ(streamed, "echo: streamed");
    EXPECT_TRUE(test::blocking(client).heartbeat(id));
    EXPECT_DOUBLE_EQ(test::blocking(client).credits_balance(), 25.0);
}

TEST_F(HttpsTest, UntrustedCertificateIsTls) {
    auto untrusted = test::make_local_engine();  // system CAs only
    CloudClient client(untrusted, test::emulator_base(*emulator_), emulator_->create_key());
    try {
        test::blocking(client).list_agents();
        ADD_FAILURE() << "an untrusted certificate was accepted";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), Status::Tls) << e.what();
    }
}

}  // namespace
}  // namespace elizacloud
