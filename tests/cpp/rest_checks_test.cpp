// The local REST API's pure checks (Host and Origin allow-lists, bearer token, constant-time
// compare, query parsing, JSON depth) and the login-session table (TTL, serialised polls,
// disconnect invalidating a poll in flight).
#include "rest/rest_checks.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "rest/rest_login_sessions.hpp"

namespace elizacloud {
namespace {

using namespace std::chrono_literals;

TEST(RestChecks, HostAllowListAcceptsLoopbackNamesWithOrWithoutPort) {  // R194
    for (const char *host : {"", "localhost", "localhost:2138", "LOCALHOST:2138", "127.0.0.1",
                             "127.0.0.1:2138", "[::1]", "[::1]:2138", "::1", "0:0:0:0:0:0:0:1",
                             "[0:0:0:0:0:0:0:1]:80", "::ffff:127.0.0.1", " localhost "})
        EXPECT_TRUE(rest::host_allowed(host, {})) << host;
}

TEST(RestChecks, HostAllowListRefusesEverythingElse) {  // R194, DNS rebinding
    for (const char *host : {"evil.com", "attacker.localhost", "localhost.evil.com", "0.0.0.0",
                             "192.168.1.10", "10.0.0.1", "127.0.0.2", "localhost:abc", "[::1",
                             "[::1]x", "localhost.", "evil.com:2138"})
        EXPECT_FALSE(rest::host_allowed(host, {})) << host;
}

TEST(RestChecks, HostAllowListTakesTheBindHostAndExtraNames) {
    const std::vector<std::string> extra{"192.168.1.10", "Dashboard.Lan", "[fd00::1]"};
    EXPECT_TRUE(rest::host_allowed("192.168.1.10:2138", extra));
    EXPECT_TRUE(rest::host_allowed("dashboard.lan", extra));
    EXPECT_TRUE(rest::host_allowed("[fd00::1]:2138", extra));
    EXPECT_FALSE(rest::host_allowed("192.168.1.11", extra));
}

TEST(RestChecks, OriginAllowList) {
    for (const char *origin : {"", "http://localhost", "http://localhost:5173", "https://127.0.0.1",
                               "http://[::1]:2138"})
        EXPECT_TRUE(rest::origin_allowed(origin, {})) << origin;
    for (const char *origin : {"https://evil.com", "http://localhost.evil.com", "null",
                               "http://localhost/path", "file://", "http://user@localhost"})
        EXPECT_FALSE(rest::origin_allowed(origin, {})) << origin;
    EXPECT_TRUE(rest::origin_allowed("app://localhost", {"app://localhost"}));
}

TEST(RestChecks, LoopbackBindAddresses) {  // R190
    for (const char *host : {"127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]",
                             "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"})
        EXPECT_TRUE(rest::is_loopback_bind(host)) << host;
    for (const char *host :
         {"0.0.0.0", "::", "192.168.1.2", "example.com", "127.0.0", "1270.0.0.1"})
        EXPECT_FALSE(rest::is_loopback_bind(host)) << host;
}

TEST(RestChecks, BearerToken) {  // R191: scheme case-insensitive, blanks trimmed
    EXPECT_EQ(rest::bearer_token("Bearer abc"), "abc");
    EXPECT_EQ(rest::bearer_token("  bearer   abc  "), "abc");
    EXPECT_EQ(rest::bearer_token("BEARER\tabc"), "abc");
    EXPECT_FALSE(rest::bearer_token("Bearer"));
    EXPECT_FALSE(rest::bearer_token("Bearer    "));
    EXPECT_FALSE(rest::bearer_token("Basic abc"));
    EXPECT_FALSE(rest::bearer_token("Bearerabc"));
    EXPECT_FALSE(rest::bearer_token(""));
}

TEST(RestChecks, ConstantTimeEqual) {
    EXPECT_TRUE(rest::constant_time_equal("secret-token", "secret-token"));
    EXPECT_FALSE(rest::constant_time_equal("secret-tokeX", "secret-token"));  // same length
    EXPECT_FALSE(rest::constant_time_equal("secret", "secret-token"));        // prefix
    EXPECT_FALSE(rest::constant_time_equal("secret-token-and-more", "secret-token"));
    EXPECT_FALSE(rest::constant_time_equal("", "secret-token"));
    EXPECT_TRUE(rest::constant_time_equal("", ""));
}

TEST(RestChecks, QueryParam) {
    EXPECT_EQ(rest::query_param("sessionId=abc", "sessionId"), "abc");
    EXPECT_EQ(rest::query_param("a=1&sessionId=a%2Db+c", "sessionId"), "a-b c");
    EXPECT_EQ(rest::query_param("sessionId=", "sessionId"), "");
    EXPECT_EQ(rest::query_param("sessionId", "sessionId"), "");
    EXPECT_FALSE(rest::query_param("session=abc", "sessionId"));
    EXPECT_FALSE(rest::query_param("sessionId=%zz", "sessionId"));
    EXPECT_FALSE(rest::query_param("sessionId=%4", "sessionId"));
    EXPECT_EQ(rest::query_param("sessionId=1&sessionId=2", "sessionId"), "1");
}

TEST(RestChecks, JsonDepth) {
    EXPECT_TRUE(rest::json_depth_within(R"({"a":[{"b":1}]})", 3));
    EXPECT_FALSE(rest::json_depth_within(R"({"a":[{"b":1}]})", 2));
    EXPECT_TRUE(rest::json_depth_within(R"({"a":"[[[[[[\"]]]"})", 1));  // brackets in strings
    EXPECT_FALSE(rest::json_depth_within(std::string(100000, '['), 128));
}

// ---- login sessions ---------------------------------------------------------------------------

const std::string kId = "123e4567-e89b-42d3-a456-426614174000";

TEST(LoginSessions, OnlyTrackedSessionsCanBeClaimed) {  // G5
    LoginSessions sessions;
    EXPECT_FALSE(sessions.claim(kId));
    sessions.add(kId);
    {
        auto claim = sessions.claim(kId);
        EXPECT_TRUE(claim);
    }  // released without finishing: pollable again
    auto again = sessions.claim(kId);
    ASSERT_TRUE(again);
    int adopted = 0;
    EXPECT_TRUE(again.finish([&] { ++adopted; }));
    EXPECT_EQ(adopted, 1);
    EXPECT_FALSE(sessions.claim(kId));  // finished
    EXPECT_EQ(sessions.size(), 0u);
}

TEST(LoginSessions, ExpireAfterTheirTtl) {
    int64_t now = 1'000;
    LoginSessions sessions(600'000, 64, [&] { return now; });
    sessions.add(kId);
    now += 600'000;
    EXPECT_TRUE(sessions.claim(kId));
    now += 1;
    EXPECT_FALSE(sessions.claim(kId));
    EXPECT_EQ(sessions.size(), 0u);
}

TEST(LoginSessions, ClearInvalidatesAPollInFlight) {
    LoginSessions sessions;
    sessions.add(kId);
    auto claim = sessions.claim(kId);
    ASSERT_TRUE(claim);
    sessions.clear();  // a disconnect while the poll runs
    bool adopted = false;
    EXPECT_FALSE(claim.finish([&] { adopted = true; }));
    EXPECT_FALSE(adopted);
    EXPECT_FALSE(sessions.claim(kId));
}

TEST(LoginSessions, PollsOfOneSessionAreSerialised) {
    LoginSessions sessions;
    sessions.add(kId);
    auto first = sessions.claim(kId);
    ASSERT_TRUE(first);
    std::atomic<int> second_result{-1};
    std::thread waiter([&] {
        auto second = sessions.claim(kId);  // waits for the first poll
        second_result = second ? 1 : 0;
    });
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(second_result, -1);
    first.finish();  // the key was adopted: the session is over for the second poll
    waiter.join();
    EXPECT_EQ(second_result, 0);
}

TEST(LoginSessions, CapacityForgetsTheOldest) {
    int64_t now = 0;
    LoginSessions sessions(600'000, 2, [&] { return now++; });
    sessions.add("a");
    sessions.add("b");
    sessions.add("c");
    EXPECT_EQ(sessions.size(), 2u);
    EXPECT_FALSE(sessions.claim("a"));
    EXPECT_TRUE(sessions.claim("c"));
}

}  // namespace
}  // namespace elizacloud

namespace elizacloud::rest {
namespace {

TEST(RestChecks, Utf8Validation) {
    EXPECT_TRUE(valid_utf8(""));
    EXPECT_TRUE(valid_utf8("plain ascii"));
    EXPECT_TRUE(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));  // é € 😀
    EXPECT_TRUE(valid_utf8("\xf4\x8f\xbf\xbf"));                           // U+10FFFF
    EXPECT_FALSE(valid_utf8("\xff"));
    EXPECT_FALSE(valid_utf8("\x80"));              // continuation without a lead
    EXPECT_FALSE(valid_utf8("\xc3"));              // truncated
    EXPECT_FALSE(valid_utf8("\xc3\x28"));          // bad continuation
    EXPECT_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
    EXPECT_FALSE(valid_utf8("\xe0\x80\xaf"));      // overlong '/'
    EXPECT_FALSE(valid_utf8("\xf0\x80\x80\xaf"));  // overlong '/'
    EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
    EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}

TEST(RestChecks, ControlCharacters) {
    EXPECT_FALSE(has_control_chars("My Agent \xc3\xa9"));
    EXPECT_TRUE(has_control_chars(std::string_view("a\0b", 3)));
    EXPECT_TRUE(has_control_chars("tab\there"));
    EXPECT_TRUE(has_control_chars("del\x7f"));
    EXPECT_TRUE(has_control_chars("c1 \xc2\x85"));  // U+0085
    EXPECT_FALSE(has_control_chars("nbsp \xc2\xa0"));
}

}  // namespace
}  // namespace elizacloud::rest
