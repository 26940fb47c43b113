#include "rate_limits.hpp"

#include <string_view>

#include "json_util.hpp"
#include "util.hpp"

namespace emu {
namespace {

struct Preset {
    int64_t limit;
    int64_t window_ms;
};

constexpr Preset kStandard{60, 60'000};
constexpr Preset kStrict{10, 60'000};
constexpr Preset kRelaxed{200, 60'000};
constexpr Preset kCritical{5, 300'000};

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// C§7.5's endpoint → preset table; nullopt for routes the cloud does not wrap (milady agents,
// credits/balance, jobs, the CLI session).
std::optional<Preset> preset_for(const std::string &method, const std::string &t) {
    if (t == "/api/v1/chat/completions" || t == "/api/v1/messages" || t == "/api/v1/responses" ||
        t == "/api/v1/embeddings")
        return kRelaxed;
    if (t == "/api/v1/generate-video" || (method == "POST" && t == "/api/v1/containers"))
        return kCritical;
    if (t.ends_with("/regenerate") || t.ends_with("/regenerate-api-key") ||
        starts_with(t, "/api/auto-top-up") || starts_with(t, "/api/v1/credits/auto-top-up"))
        return kStrict;
    if (t == "/api/v1/generate-image" || t == "/api/v1/credits/summary" ||
        t == "/api/v1/billing/settings" || t == "/api/credits/transactions" ||
        t == "/api/v1/user" || starts_with(t, "/api/v1/knowledge") ||
        starts_with(t, "/api/v1/documents") || t == "/api/v1/discovery")
        return kStandard;
    return std::nullopt;
}

// The raw API key, or a Bearer eliza_ key, else the shared bucket.
std::string bucket_key(const httplib::Request &req) {
    if (std::string key = req.get_header_value("X-API-Key"); !key.empty()) return key;
    const std::string auth = req.get_header_value("Authorization");
    if (starts_with(auth, "Bearer eliza_")) return auth.substr(7);
    return "public";
}

}  // namespace

std::optional<Reply> RateLimiter::check(const httplib::Request &req, const std::string &method,
                                        const std::string &templ,
                                        std::vector<std::pair<std::string, std::string>> &headers) {
    if (!enabled_.load()) return std::nullopt;
    std::optional<Preset> preset = preset_for(method, templ);
    if (!preset) return std::nullopt;
    if (const int64_t w = window_override_ms_.load(); w > 0) preset->window_ms = w;
    const int64_t now = now_ms();
    int64_t remaining = 0;
    int64_t reset_ms = 0;
    bool limited = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        Window &win = windows_[bucket_key(req) + "|" + method + " " + templ];
        if (now - win.start_ms >= preset->window_ms) win = Window{now, 0};
        reset_ms = win.start_ms + preset->window_ms;
        limited = win.count >= preset->limit;
        if (!limited) ++win.count;
        remaining = preset->limit - win.count;
    }
    headers.emplace_back("X-RateLimit-Limit", std::to_string(preset->limit));
    headers.emplace_back("X-RateLimit-Remaining", std::to_string(remaining));
    headers.emplace_back("X-RateLimit-Reset", iso_ms(reset_ms));
    headers.emplace_back("X-RateLimit-Policy", "in-memory");
    if (!limited) return std::nullopt;
    const int64_t retry_after = std::max<int64_t>(1, (reset_ms - now + 999) / 1000);
    const int64_t window_s = std::max<int64_t>(1, preset->window_ms / 1000);
    JsonOut o;
    o.begin_obj()
        .f("success", false)
        .f("error", "Too many requests")
        .f("code", "rate_limit_exceeded")
        .f("message", "Rate limit exceeded. Maximum " + std::to_string(preset->limit) +
                          " requests per " + std::to_string(window_s) + " seconds.")
        .f("retryAfter", retry_after)
        .end();
    Reply r = json_reply(429, o.str());
    r.headers = headers;
    r.headers.emplace_back("Retry-After", std::to_string(retry_after));
    return r;
}

void RateLimiter::reset() {
    std::lock_guard<std::mutex> lock(mutex_);
    windows_.clear();
}

}  // namespace emu
