// Every cloud error family mapped to one error model (C§7.4), as a table of responses.
#include "api/cloud_errors.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace elizacloud {
namespace {

HttpResponse response(int status, std::string body, Headers headers = {}) {
    HttpResponse r;
    r.http_status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

TEST(CloudErrors, StatusTable) {
    struct Row {
        int http;
        Status status;
    };
    const Row rows[] = {{400, Status::InvalidRequest},
                        {401, Status::Unauthorized},
                        {402, Status::InsufficientCredits},
                        {403, Status::Forbidden},
                        {404, Status::NotFound},
                        {409, Status::Conflict},
                        {413, Status::InvalidRequest},
                        {422, Status::InvalidRequest},
                        {429, Status::RateLimited},
                        {500, Status::Server},
                        {502, Status::Server},
                        {503, Status::Server},
                        {418, Status::Server},
                        {599, Status::Server}};
    for (const Row &row : rows) {
        ErrorInfo e = error_from_response(response(row.http, R"({"error":"x"})"));
        EXPECT_EQ(e.status, row.status) << row.http;
        EXPECT_EQ(e.http_status, row.http);
    }
    EXPECT_TRUE(error_from_response(response(200, "")).ok());
    EXPECT_TRUE(error_from_response(response(204, "")).ok());
}

TEST(CloudErrors, EveryFamilyGivesTheCloudsMessageAndCode) {
    struct Row {
        ErrorFamily family;
        const char *body;
        const char *message;
        const char *code;
    };
    const Row rows[] = {
        {ErrorFamily::Cloud,
         R"({"success":false,"error":"Agent not found","code":"resource_not_found"})",
         "Agent not found", "resource_not_found"},
        {ErrorFamily::Cloud, R"({"success":false,"error":"Sandbox is not running"})",
         "Sandbox is not running", ""},
        {ErrorFamily::Bare, R"({"error":"Session not found or expired"})",
         "Session not found or expired", ""},
        {ErrorFamily::OpenAI,
         R"({"error":{"message":"Invalid API key","type":"authentication_error","code":"invalid_api_key"}})",
         "Invalid API key", "invalid_api_key"},
        {ErrorFamily::OpenAI,
         R"({"error":{"message":"Bad","type":"invalid_request_error","code":null}})", "Bad",
         "invalid_request_error"},
        {ErrorFamily::Anthropic,
         R"({"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}})",
         "Slow down", "rate_limit_error"},
        {ErrorFamily::JsonRpc,
         R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"Sandbox is not running"}})",
         "Sandbox is not running", "-32000"},
        // Mixed: an OpenAI route's limiter answers in the cloud-native shape.
        {ErrorFamily::OpenAI,
         R"({"success":false,"error":"Too many requests","code":"rate_limit_exceeded"})",
         "Too many requests", "rate_limit_exceeded"},
        {ErrorFamily::Cloud, R"({"success":false,"message":"Only a message"})", "Only a message",
         ""},
    };
    for (const Row &row : rows) {
        ErrorInfo e = error_from_response(response(400, row.body), row.family);
        EXPECT_EQ(e.message, row.message) << row.body;
        EXPECT_EQ(e.cloud_code, row.code) << row.body;
    }
}

TEST(CloudErrors, BodiesWithoutAMessageGiveHttpStatus) {
    for (const char *body : {"", "null", "[]", "42", "<html>oops</html>", "{}", R"({"error":""})",
                             R"({"error":{"type":"x"}})"}) {
        EXPECT_EQ(error_from_response(response(502, body)).message, "HTTP 502") << body;
    }
}

TEST(CloudErrors, MessagesAreBounded) {
    std::string huge(100'000, 'a');
    ErrorInfo e = error_from_response(response(500, R"({"error":")" + huge + R"("})"));
    EXPECT_LE(e.message.size(), kMaxErrorMessageBytes + 3);
    EXPECT_EQ(error_from_response(response(500, huge)).message, "HTTP 500");
    // A cut never splits a UTF-8 character.
    std::string accents;
    for (int i = 0; i < 400; ++i) accents += "\xC3\xA9";
    std::string cut = bounded_message(accents, 11);
    EXPECT_EQ(cut, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\u2026");
}

TEST(CloudErrors, ApiKeysInMessagesAreRedacted) {
    std::string key = "eliza_" + std::string(64, 'a');
    ErrorInfo e = error_from_response(response(401, R"({"error":"bad key )" + key + R"("})"));
    EXPECT_EQ(e.message.find(key), std::string::npos) << e.message;
}

TEST(CloudErrors, InsufficientCreditsFigures) {
    ErrorInfo e = error_from_response(response(
        402,
        R"({"success":false,"error":"Insufficient credits.","requiredBalance":5,"currentBalance":1.25})"));
    EXPECT_EQ(e.status, Status::InsufficientCredits);
    EXPECT_DOUBLE_EQ(e.required_balance, 5.0);
    EXPECT_DOUBLE_EQ(e.current_balance, 1.25);
    ErrorInfo strings = error_from_response(
        response(402, R"({"error":"x","requiredBalance":"5.00","currentBalance":"0.5"})"));
    EXPECT_DOUBLE_EQ(strings.current_balance, 0.5);
    ErrorInfo none = error_from_response(response(402, R"({"error":"x"})"));
    EXPECT_TRUE(std::isnan(none.required_balance));
    EXPECT_TRUE(std::isnan(none.current_balance));
}

TEST(CloudErrors, InsufficientCreditCodeWinsOverTheStatus) {
    // /messages reports insufficient credits as 429 (C§8 item 8).
    ErrorInfo e = error_from_response(
        response(429,
                 R"({"type":"error","error":{"type":"insufficient_credits","message":"Top up"}})"),
        ErrorFamily::Anthropic);
    EXPECT_EQ(e.status, Status::InsufficientCredits);
    ErrorInfo embed = error_from_response(
        response(402, R"({"error":{"message":"m","type":"x","code":"insufficient_balance"}})"),
        ErrorFamily::OpenAI);
    EXPECT_EQ(embed.status, Status::InsufficientCredits);
}

TEST(CloudErrors, RetryAfter) {
    ErrorInfo header = error_from_response(response(429, "{}", {{"retry-after", "7"}}));
    EXPECT_EQ(header.retry_after_ms, 7000);
    ErrorInfo body = error_from_response(
        response(429, R"({"success":false,"error":"Too many requests","retryAfter":3})"));
    EXPECT_EQ(body.retry_after_ms, 3000);
    ErrorInfo details =
        error_from_response(response(429, R"({"error":"x","details":{"retryAfter":1.5}})"));
    EXPECT_EQ(details.retry_after_ms, 1500);
    ErrorInfo both = error_from_response(
        response(429, R"({"error":"x","retryAfter":30})", {{"Retry-After", "2"}}));
    EXPECT_EQ(both.retry_after_ms, 2000);
    EXPECT_EQ(error_from_response(response(429, "{}")).retry_after_ms, -1);

    EXPECT_EQ(parse_retry_after(" 12 ", 0), 12'000);
    EXPECT_EQ(parse_retry_after("-1", 0), -1);
    EXPECT_EQ(parse_retry_after("soon", 0), -1);
    // HTTP-date: Thu, 01 Jan 1970 00:01:40 GMT = 100 s after the epoch.
    EXPECT_EQ(parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 90), 10'000);
    EXPECT_EQ(parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 200), 0);
    // A date centuries ahead is refused like a huge number of seconds (it overflowed the ms
    // before: found by json_envelope_fuzz under UBSan).
    EXPECT_EQ(parse_retry_after("Thu, 21 Oct 444201500 00:00:00 GMT", 0), -1);
    EXPECT_EQ(parse_retry_after("Thu, 01 Jan 2300 00:00:00 GMT", 0), -1);
}

TEST(CloudErrors, TransportErrorsPassThrough) {
    HttpResponse r;
    r.error = ErrorInfo::make(Status::RedirectRefused, "HTTP 302 redirect to https://x refused");
    r.http_status = 302;
    ErrorInfo e = error_from_response(r);
    EXPECT_EQ(e.status, Status::RedirectRefused);
    EXPECT_EQ(e.message, r.error.message);
    r.error = ErrorInfo::make(Status::Timeout, "timed out");
    EXPECT_EQ(error_from_response(r).status, Status::Timeout);
}

TEST(CloudErrors, EnvelopeChecks) {
    json::Document doc;
    EXPECT_TRUE(parse_cloud_envelope(response(200, R"({"success":true,"data":[]})"), doc).ok());
    EXPECT_EQ(parse_cloud_envelope(response(200, R"({"success":true,"data":)"), doc).status,
              Status::Protocol);
    EXPECT_EQ(parse_cloud_envelope(response(200, "[1,2]"), doc).status, Status::Protocol);
    ErrorInfo refused =
        parse_cloud_envelope(response(200, R"({"success":false,"error":"Nope"})"), doc);
    EXPECT_EQ(refused.status, Status::Server);
    EXPECT_EQ(refused.message, "Nope");
    EXPECT_EQ(parse_cloud_envelope(response(401, R"({"error":"x"})"), doc).status,
              Status::Unauthorized);
}

TEST(CloudErrors, JsonRpcError) {
    json::Document doc;
    ASSERT_TRUE(json::parse(
        R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found: x"}})", doc));
    auto e = jsonrpc_error(doc);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->status, Status::Agent);
    EXPECT_EQ(e->message, "Method not found: x");
    EXPECT_EQ(e->cloud_code, "-32601");
    ASSERT_TRUE(json::parse(R"({"jsonrpc":"2.0","result":{"text":"hi"}})", doc));
    EXPECT_FALSE(jsonrpc_error(doc).has_value());
    ASSERT_TRUE(json::parse(R"({"jsonrpc":"2.0","error":null})", doc));
    EXPECT_FALSE(jsonrpc_error(doc).has_value());
}

// The eliza generation's codes name situations their HTTP status does not (E§7.4).
TEST(CloudErrors, ElizaCodesAreTheirOwnStatuses) {
    ErrorInfo price = error_from_response(response(
        428, R"({"success":false,"code":"DEDICATED_PRICE_CONFIRMATION_REQUIRED","error":"Refresh",)"
             R"("pricing":{"currency":"USD","acceptanceValue":"v1:USD:0.1:0.2"}})"));
    EXPECT_EQ(price.status, Status::PriceConfirmation);
    EXPECT_EQ(price.pricing_json, R"({"currency":"USD","acceptanceValue":"v1:USD:0.1:0.2"})");
    ErrorInfo quota = error_from_response(
        response(429, R"({"success":false,"error":"quota","code":"agent_quota_exceeded",)"
                      R"("details":{"currentAgents":3,"maxAgents":3}})"));
    EXPECT_EQ(quota.status, Status::Quota);  // not a rate limit
    EXPECT_EQ(quota.details_json, R"({"currentAgents":3,"maxAgents":3})");
    for (const char *code : {"agent_image_not_allowed", "agent_image_not_digest_pinned"}) {
        ErrorInfo image = error_from_response(response(
            403, std::string(R"({"success":false,"error":"no","code":")") + code + R"("})"));
        EXPECT_EQ(image.status, Status::ImageRefused) << code;
    }
    // A 428 without the code is not a price question.
    EXPECT_EQ(error_from_response(response(428, R"({"error":"x"})")).status, Status::Server);
}

TEST(CloudErrors, RetryableAndDetailsAreKeptWholeOrNotAtAll) {
    ErrorInfo warming = error_from_response(
        response(503,
                 R"({"success":false,"error":"warming","code":"shared_runtime_cache_warming",)"
                 R"("retryable":true})",
                 {{"Retry-After", "1"}}));
    EXPECT_TRUE(warming.retryable);
    EXPECT_EQ(warming.retry_after_ms, 1000);
    EXPECT_FALSE(
        error_from_response(response(409, R"({"error":"c","retryable":false})")).retryable);
    // Details that name a key keep only its prefix; oversized ones are dropped, not cut.
    const std::string key = "eliza_" + std::string(64, 'a');
    ErrorInfo secret = error_from_response(
        response(400, R"({"error":"x","details":{"apiKey":")" + key + R"("}})"));
    EXPECT_EQ(secret.details_json.find(key), std::string::npos) << secret.details_json;
    EXPECT_FALSE(secret.details_json.empty());
    ErrorInfo huge = error_from_response(
        response(400, R"({"error":"x","details":{"blob":")" + std::string(5000, 'b') + R"("}})"));
    EXPECT_TRUE(huge.details_json.empty());
}

TEST(CloudErrors, RetryDelays) {
    ErrorInfo e = ErrorInfo::make(Status::Server, "warming");
    EXPECT_EQ(retry_delay_ms(e, 0, 2), -1);  // not marked retryable
    e.retryable = true;
    e.retry_after_ms = 1000;
    EXPECT_EQ(retry_delay_ms(e, 0, 2), 1000);  // the cloud's wait
    EXPECT_EQ(retry_delay_ms(e, 2, 2), -1);    // retries spent
    e.retry_after_ms = 61'000;
    EXPECT_EQ(retry_delay_ms(e, 0, 2), -1);  // too long: the error surfaces
    e.retry_after_ms = -1;
    for (int n = 0; n < 8; ++n) {
        const int64_t base = std::min<int64_t>(500LL << n, 8000);
        const int64_t wait = retry_delay_ms(e, n, 10);
        EXPECT_GE(wait, base) << n;
        EXPECT_LE(wait, base + base / 4) << n;
    }
    EXPECT_EQ(retry_delay_ms(ErrorInfo{}, 0, 2), -1);
}

}  // namespace
}  // namespace elizacloud
