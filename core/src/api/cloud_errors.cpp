#include "api/cloud_errors.hpp"

#include <curl/curl.h>
#include <sys/random.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <utility>

#include "util/encoding.hpp"
#include "util/log.hpp"

namespace elizacloud {
namespace {

// A member as text: strings as they are, integers (JSON-RPC codes) in decimal.
std::optional<std::string> text_member(const json::Value &v, std::string_view key) {
    const json::Value *m = json::member(v, key);
    if (!m) return std::nullopt;
    if (m->IsString()) return std::string(m->GetString(), m->GetStringLength());
    if (m->IsInt64()) return std::to_string(m->GetInt64());
    return std::nullopt;
}

// A number that may also arrive as a numeric string (Postgres numerics, C§4).
std::optional<double> number_member(const json::Value &v, std::string_view key) {
    const json::Value *m = json::member(v, key);
    if (!m) return std::nullopt;
    if (m->IsNumber()) return m->GetDouble();
    if (m->IsString()) {
        double out = 0;
        const char *begin = m->GetString();
        const char *end = begin + m->GetStringLength();
        auto [ptr, ec] = std::from_chars(begin, end, out);
        if (ec == std::errc() && ptr == end && std::isfinite(out)) return out;
    }
    return std::nullopt;
}

struct Extracted {
    std::optional<std::string> message;
    std::optional<std::string> code;
};

// {error:"msg", code?} — cloud-native and bare.
Extracted flat_shape(const json::Value &body) {
    Extracted e;
    e.message = json::get_string(body, "error");
    if (e.message) e.code = text_member(body, "code");
    return e;
}

// {error:{message, type?, code?}} — OpenAI, Anthropic and JSON-RPC all nest the same way.
Extracted nested_shape(const json::Value &body) {
    Extracted e;
    const json::Value *err = json::member(body, "error");
    if (!err || !err->IsObject()) return e;
    e.message = json::get_string(*err, "message");
    e.code = text_member(*err, "code");
    if (!e.code) e.code = json::get_string(*err, "type");
    return e;
}

Extracted extract(const json::Value &body, ErrorFamily family) {
    bool nested_first = family == ErrorFamily::OpenAI || family == ErrorFamily::Anthropic ||
                        family == ErrorFamily::JsonRpc;
    Extracted first = nested_first ? nested_shape(body) : flat_shape(body);
    Extracted second = nested_first ? flat_shape(body) : nested_shape(body);
    Extracted out = first.message ? first : second;
    if (!out.message) {
        // Some handlers put the text in "message" only ({success:false, message}).
        out.message = json::get_string(body, "message");
        out.code = text_member(body, "code");
    }
    if (!out.code) out.code = text_member(body, "code");
    return out;
}

// Codes that name a situation more precisely than their HTTP status: the code, when present, is
// the better witness. /messages reports insufficient credits as 429 and embeddings spells it
// differently (C§8 item 8); the eliza generation (E§7.4) has a 429 that is a quota, not a rate
// limit, a 403 that is the image policy, and the 428 price consent; the edge's 401 for an API
// key on a session-only route.
void apply_code_status(ErrorInfo &info) {
    static constexpr std::pair<std::string_view, Status> kCodes[] = {
        {"insufficient_credits", Status::InsufficientCredits},
        {"insufficient_balance", Status::InsufficientCredits},
        {"insufficient_quota", Status::InsufficientCredits},
        {"agent_quota_exceeded", Status::Quota},
        {"agent_image_not_allowed", Status::ImageRefused},
        {"agent_image_not_digest_pinned", Status::ImageRefused},
        {"DEDICATED_PRICE_CONFIRMATION_REQUIRED", Status::PriceConfirmation},
        {"session_auth_required", Status::SessionRequired},
    };
    for (const auto &[code, status] : kCodes)
        if (info.cloud_code == code) info.status = status;
    // The cloud's edge refuses API keys on some subtrees (api-keys, C§6): say what would work.
    if (info.status == Status::SessionRequired && !info.message.starts_with("this route needs"))
        info.message =
            "this route needs a browser session (log in on the dashboard), not an API "
            "key (the cloud said: " +
            info.message + ")";
}

// The typed extras of an error body: retryable, the price quote of a 428, the details object.
void read_extras(const json::Value &body, ErrorInfo &info) {
    if (json::get_bool(body, "retryable").value_or(false)) info.retryable = true;
    // Kept whole or not at all (a cut would not be JSON); real ones are a few hundred bytes.
    constexpr size_t kMaxExtraBytes = 4096;
    if (const json::Value *pricing = json::member(body, "pricing");
        pricing && pricing->IsObject()) {
        std::string text = json::stringify(*pricing);
        if (text.size() <= kMaxExtraBytes) info.pricing_json = std::move(text);
    }
    if (const json::Value *details = json::member(body, "details");
        details && details->IsObject()) {
        std::string text = log::redact(json::stringify(*details));
        json::Document check;  // the masking must have left JSON behind
        if (text.size() <= kMaxExtraBytes && json::parse(text, check))
            info.details_json = std::move(text);
    }
}

}  // namespace

Error no_api_key_error() {
    return Error(Status::NotConnected, "no API key: log in first");
}

Status status_for_http(int http_status) {
    switch (http_status) {
        case 400:
        case 413:
        case 422:
            return Status::InvalidRequest;
        case 401:
            return Status::Unauthorized;
        case 402:
            return Status::InsufficientCredits;
        case 403:
            return Status::Forbidden;
        case 404:
            return Status::NotFound;
        case 409:
            return Status::Conflict;
        case 429:
            return Status::RateLimited;
        default:
            return Status::Server;
    }
}

std::string bounded_message(std::string_view text, size_t max_bytes) {
    if (text.size() <= max_bytes) return std::string(text);
    size_t cut = max_bytes;
    // Step back over UTF-8 continuation bytes so no character is split.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return std::string(text.substr(0, cut)) + "\u2026";
}

int64_t parse_retry_after(std::string_view value, int64_t now_epoch_seconds) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (value.empty()) return -1;
    // A wait longer than 1000 days is nonsense, whichever form says it (and would overflow ms).
    constexpr int64_t kMaxSeconds = 86'400'000;
    int64_t seconds = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc() && ptr == value.data() + value.size()) {
        if (seconds < 0 || seconds > kMaxSeconds) return -1;
        return seconds * 1000;
    }
    std::string date(value);
    time_t when = curl_getdate(date.c_str(), nullptr);
    if (when < 0) return -1;
    int64_t delta = static_cast<int64_t>(when) - now_epoch_seconds;
    if (delta > kMaxSeconds) return -1;
    return delta > 0 ? delta * 1000 : 0;
}

ErrorInfo error_from_response(const HttpResponse &response, ErrorFamily family) {
    if (!response.error.ok()) return response.error;
    int code = response.http_status;
    if (code >= 200 && code < 300) return {};

    ErrorInfo info;
    info.status = status_for_http(code);
    info.http_status = code;

    json::Document doc;
    bool is_object = json::parse(response.body, doc) && doc.IsObject();
    if (is_object) {
        Extracted e = extract(doc, family);
        if (e.message && !e.message->empty())
            info.message = bounded_message(log::redact(*e.message));
        if (e.code) info.cloud_code = bounded_message(*e.code, 64);

        if (auto v = number_member(doc, "requiredBalance")) info.required_balance = *v;
        if (auto v = number_member(doc, "currentBalance")) info.current_balance = *v;
        const json::Value *details = json::member(doc, "details");
        std::optional<double> retry = number_member(doc, "retryAfter");
        if (!retry && details) retry = number_member(*details, "retryAfter");
        // Beyond 1000 days a wait is nonsense (and would overflow as ms): ignored.
        if (retry && *retry >= 0 && *retry <= 86'400'000.0)
            info.retry_after_ms = static_cast<int64_t>(*retry * 1000.0);
        read_extras(doc, info);
    }
    if (info.message.empty()) info.message = "HTTP " + std::to_string(code);

    if (const std::string *header = find_header(response.headers, "Retry-After")) {
        int64_t ms = parse_retry_after(*header, static_cast<int64_t>(std::time(nullptr)));
        if (ms >= 0) info.retry_after_ms = ms;  // the header is authoritative over the body
    }
    // The finer form some routes send (OpenAI's convention) wins over whole seconds.
    if (const std::string *header = find_header(response.headers, "retry-after-ms")) {
        int64_t ms = 0;
        auto [ptr, ec] = std::from_chars(header->data(), header->data() + header->size(), ms);
        if (ec == std::errc() && ptr == header->data() + header->size() && ms >= 0 &&
            ms <= 86'400'000LL * 1000)
            info.retry_after_ms = ms;
    }
    info.rate_limit_json = rate_limit_json(response.headers);
    apply_code_status(info);
    return info;
}

std::string rate_limit_json(const Headers &headers) {
    const std::string *limit = find_header(headers, "X-RateLimit-Limit");
    const std::string *remaining = find_header(headers, "X-RateLimit-Remaining");
    const std::string *reset = find_header(headers, "X-RateLimit-Reset");
    if (!limit && !remaining && !reset) return {};
    json::Document doc(rapidjson::kObjectType);
    auto &alloc = doc.GetAllocator();
    auto integer = [&](std::string_view key, const std::string *value) {
        int64_t n = 0;
        const bool ok = value && !value->empty() &&
                        std::from_chars(value->data(), value->data() + value->size(), n).ptr ==
                            value->data() + value->size();
        json::set(doc, key, ok ? json::Value(n) : json::Value(), alloc);
    };
    integer("limit", limit);
    integer("remaining", remaining);
    json::set(doc, "reset",
              reset && valid_utf8(*reset) ? json::string_value(bounded_message(*reset, 64), alloc)
                                          : json::Value(),
              alloc);
    return json::stringify(doc);
}

bool is_transient(const ErrorInfo &error) {
    if (error.retryable) return true;
    if (error.http_status == 0)
        return error.status == Status::Network || error.status == Status::Timeout;
    switch (error.http_status) {
        case 408:
        case 429:
        case 500:
        case 502:
        case 503:
        case 504:
            return true;
        default:
            return false;
    }
}

int64_t retry_delay_ms(const ErrorInfo &error, int retries_done, int max_retries) {
    constexpr int64_t kMaxHonouredWaitMs = 60'000;
    if (error.ok() || !is_transient(error) || retries_done >= max_retries) return -1;
    if (error.retry_after_ms >= 0)
        return error.retry_after_ms <= kMaxHonouredWaitMs ? error.retry_after_ms : -1;
    const int64_t base = std::min<int64_t>(500LL << std::min(retries_done, 5), 8'000);
    unsigned char noise = 0;
    if (getrandom(&noise, 1, 0) != 1) noise = 0;
    return base + base * noise / 255 / 4;
}

ErrorInfo parse_json_body(const HttpResponse &response, json::Document &doc) {
    std::string detail;
    if (json::parse(response.body, doc, &detail)) return {};
    ErrorInfo info = ErrorInfo::make(
        Status::Protocol, bounded_message("malformed JSON in the cloud's response (HTTP " +
                                          std::to_string(response.http_status) + "): " + detail));
    info.http_status = response.http_status;
    return info;
}

ErrorInfo parse_cloud_envelope(const HttpResponse &response, json::Document &doc,
                               ErrorFamily family) {
    ErrorInfo info = error_from_response(response, family);
    if (!info.ok()) return info;
    info = parse_json_body(response, doc);
    if (!info.ok()) return info;
    if (!doc.IsObject()) {
        info = ErrorInfo::make(Status::Protocol, "the cloud's response is not a JSON object");
        info.http_status = response.http_status;
        return info;
    }
    if (auto success = json::get_bool(doc, "success"); success && !*success) {
        Extracted e = extract(doc, family);
        info.status = Status::Server;
        info.http_status = response.http_status;
        info.message = e.message && !e.message->empty() ? bounded_message(log::redact(*e.message))
                                                        : "the cloud reported failure";
        if (e.code) info.cloud_code = bounded_message(*e.code, 64);
        apply_code_status(info);
        read_extras(doc, info);
    }
    return info;
}

std::optional<ErrorInfo> jsonrpc_error(const json::Value &reply) {
    const json::Value *err = json::member(reply, "error");
    if (!err || err->IsNull()) return std::nullopt;
    ErrorInfo info;
    info.status = Status::Agent;
    if (err->IsObject()) {
        if (auto msg = json::get_string(*err, "message"); msg && !msg->empty())
            info.message = bounded_message(log::redact(*msg));
        if (auto c = text_member(*err, "code")) info.cloud_code = *c;
    } else if (err->IsString()) {
        info.message = bounded_message(log::redact(err->GetString()));
    }
    if (info.message.empty()) info.message = "the agent answered a JSON-RPC error";
    return info;
}

}  // namespace elizacloud
