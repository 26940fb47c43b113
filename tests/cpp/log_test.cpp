// Logging: API keys never reach a sink, the level filters, the sink can be redirected.
#include "util/log.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace elizacloud {
namespace {

const std::string kKey = "eliza_0123456789abcdef0123456789abcdef";
const std::string kMasked = "eliza_012345\xE2\x80\xA6";

TEST(LogRedact, BareKeysKeepTwelveCharacters) {
    EXPECT_EQ(log::redact("key " + kKey + " saved"), "key " + kMasked + " saved");
    EXPECT_EQ(log::redact(kKey + "," + kKey), kMasked + "," + kMasked);
    // Already masked text and short tokens are left alone.
    EXPECT_EQ(log::redact(kMasked), kMasked);
    EXPECT_EQ(log::redact("eliza_ab is short"), "eliza_ab is short");
    EXPECT_EQ(log::redact("nothing secret here"), "nothing secret here");
}

TEST(LogRedact, HeaderValues) {
    EXPECT_EQ(log::redact("X-API-Key: sk-secret-value-1234567\r\nAccept: */*"),
              "X-API-Key: sk-secret-va\xE2\x80\xA6\r\nAccept: */*");
    EXPECT_EQ(log::redact("x-api-key:" + kKey), "x-api-key:" + kMasked);
    EXPECT_EQ(log::redact("Authorization: Bearer abcdefghijklmnopqrstuvwxyz"),
              "Authorization: Bearer abcdefghijkl\xE2\x80\xA6");
    EXPECT_EQ(log::redact("authorization: bearer " + kKey), "authorization: bearer " + kMasked);
    // A short secret is hidden completely rather than shown in full.
    EXPECT_EQ(log::redact("X-API-Key: short"), "X-API-Key: \xE2\x80\xA6");
    // Words that merely look like the names are not touched.
    EXPECT_EQ(log::redact("authorization failed: bad key"), "authorization failed: bad key");
}

TEST(LogRedact, JsonAndQueryValues) {
    EXPECT_EQ(log::redact("{\"apiKey\":\"" + kKey + "\",\"ok\":true}"),
              "{\"apiKey\":\"" + kMasked + "\",\"ok\":true}");
    EXPECT_EQ(log::redact("{\"apiKey\" : \"not-an-eliza-key-but-secret\"}"),
              "{\"apiKey\" : \"not-an-eliza\xE2\x80\xA6\"}");
    EXPECT_EQ(log::redact("{\"X-API-Key\": \"abcdefghijklmnopq\"}"),
              "{\"X-API-Key\": \"abcdefghijkl\xE2\x80\xA6\"}");
    EXPECT_EQ(log::redact("GET /x?api_key=abcdefghijklmnopq&y=1"),
              "GET /x?api_key=abcdefghijkl\xE2\x80\xA6&y=1");
    // "apiKeyPrefix" is not "apiKey".
    EXPECT_EQ(log::redact("{\"apiKeyPrefix\":\"eliza_0123\"}"),
              "{\"apiKeyPrefix\":\"eliza_0123\"}");
    // Redaction is idempotent.
    std::string once = log::redact("X-API-Key: " + kKey + " {\"apiKey\":\"" + kKey + "\"}");
    EXPECT_EQ(log::redact(once), once);
    EXPECT_EQ(once.find(kKey), std::string::npos);
}

struct Captured {
    log::Level level;
    std::string line;
};

// URLs in messages: userinfo, query and fragment hidden whole, keys elsewhere cut to 12 chars.
TEST(LogRedact, UrlsLoseUserinfoQueryAndFragment) {
    const std::string key = "eliza_0123abcdefSECRETSECRET";
    const std::string e = "\xE2\x80\xA6";
    EXPECT_EQ(log::redact_url("https://user:pw@host.example/p"),
              "https://" + e + "@host.example/p");
    EXPECT_EQ(log::redact_url("https://" + key + "@host"), "https://" + e + "@host");
    EXPECT_EQ(log::redact_url("https://a@b@host/x"), "https://" + e + "@host/x");
    EXPECT_EQ(log::redact_url("https://host/" + key + "/x"),
              "https://host/eliza_0123ab" + e + "/x");
    EXPECT_EQ(log::redact_url("https://host/p?key=" + key + "#f"), "https://host/p?" + e);
    EXPECT_EQ(log::redact_url("https://host/p#" + key), "https://host/p#" + e);
    EXPECT_EQ(log::redact_url("https://host?"), "https://host?" + e);
    EXPECT_EQ(log::redact_url("https:\\\\u:pw@host"), "https:\\\\" + e + "@host");
    EXPECT_EQ(log::redact_url("u:pw@host"), "u:" + e + "@host");
    EXPECT_EQ(log::redact_url("no url at all"), "no url at all");
    EXPECT_EQ(log::redact_url("https://www.elizacloud.ai/api/v1"),
              "https://www.elizacloud.ai/api/v1");
    EXPECT_EQ(log::redact_url("https://" + key + ".evil.example"),
              "https://eliza_0123ab" + e + ".evil.example");
}

TEST(Log, SinkReceivesRedactedLinesAboveTheLevel) {
    std::vector<Captured> lines;
    log::set_sink([&](log::Level level, std::string_view line) {
        lines.push_back({level, std::string(line)});
    });
    log::set_level(log::Level::Info);
    log::debug("hidden {}", 1);
    log::info("login ok, key {}", kKey);
    log::warn("header X-API-Key: {}", kKey);
    log::set_level(log::Level::Off);
    log::error("not shown");
    log::set_level(log::Level::Info);
    log::set_sink(nullptr);
    log::info("back on stderr");  // must not reach the old sink

    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].level, log::Level::Info);
    EXPECT_EQ(lines[0].line, "login ok, key " + kMasked);
    EXPECT_EQ(lines[1].level, log::Level::Warn);
    EXPECT_EQ(lines[1].line, "header X-API-Key: " + kMasked);
}

TEST(Log, SinkMayLogAgain) {
    int calls = 0;
    log::set_sink([&](log::Level, std::string_view line) {
        if (++calls == 1) log::info("nested after {}", line);
    });
    log::info("first");
    log::set_sink(nullptr);
    EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace elizacloud
