// The cloud's per-route rate limiting (C§7.5), off unless asked for (--rate-limits or config
// rateLimits): the route's preset (STANDARD 60/min, STRICT 10/min, RELAXED 200/min, CRITICAL 5 per
// 5 min), a fixed window per API key (or the shared "public" bucket) and route, the
// X-RateLimit-* headers on every limited route's answer, and the 429 body with Retry-After once
// the window is spent. config rateLimitWindowMs shortens every window (tests).
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "router.hpp"

namespace emu {

class RateLimiter {
public:
    RateLimiter(std::atomic<bool> &enabled, std::atomic<int64_t> &window_override_ms)
        : enabled_(enabled), window_override_ms_(window_override_ms) {}

    // For a request to route template templ: nullopt and headers to add when it may go on, or
    // the 429 reply.
    std::optional<Reply> check(const httplib::Request &req, const std::string &method,
                               const std::string &templ,
                               std::vector<std::pair<std::string, std::string>> &headers);
    void reset();

private:
    struct Window {
        int64_t start_ms = 0;
        int64_t count = 0;
    };
    std::atomic<bool> &enabled_;
    std::atomic<int64_t> &window_override_ms_;
    std::mutex mutex_;
    std::map<std::string, Window> windows_;  // "<key>|<METHOD> <template>"
};

}  // namespace emu
