// Request routing for the emulator: route templates with {param} segments, per-route request
// counters, CORS for /api/*, fault application, and writing plain or streamed replies
// (including deliberately broken ones) through cpp-httplib.
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "faults.hpp"
#include "json_util.hpp"
#include "util.hpp"

namespace emu {

struct Reply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // Streaming: each element of `events` is written as its own chunk (chunked encoding).
    bool streaming = false;
    std::vector<std::string> events;
    int64_t event_delay_ms = 0;
    bool abort_at_end = false;  // end without the terminating chunk (mid-stream failure)
};

Reply json_reply(int status, std::string body);
// {success:false,error[,code]}
Reply cloud_error(int status, const std::string &error, const char *code = nullptr);
// {error}
Reply bare_error(int status, const std::string &error);
std::string sse_event(const std::string &name, const std::string &data_json);
std::string sse_data(const std::string &data);

struct Ctx {
    const httplib::Request &req;
    std::vector<std::string> params;
    const std::string &param(size_t i) const { return params.at(i); }
};

using Handler = std::function<Reply(Ctx &)>;

class Router {
public:
    using FaultHook = std::function<void(const httplib::Request &, const FaultRule &)>;

    Router(FaultEngine &faults, Sleeper &sleeper, std::atomic<bool> &record_requests);

    void add(const std::string &method, const std::string &templ, Handler handler);
    // The same unless a route of that method and shape (parameter names aside) exists: for the
    // catalogue's generic answers, added after every specific route.
    void add_unless_present(const std::string &method, const std::string &templ, Handler handler);
    void set_fault_hook(FaultHook hook) { fault_hook_ = std::move(hook); }
    // Rate limiting (rate_limits.hpp): headers to add to the route's answer, or the 429 reply.
    using Limiter = std::function<std::optional<Reply>(
        const httplib::Request &, const std::string &method, const std::string &templ,
        std::vector<std::pair<std::string, std::string>> &headers)>;
    void set_limiter(Limiter limiter) { limiter_ = std::move(limiter); }
    void set_verbose(bool v) { verbose_ = v; }
    // Where agent routes live (add_agent_route); set before any route is added.
    void set_agent_prefixes(std::vector<std::string> prefixes) {
        agent_prefixes_ = std::move(prefixes);
    }
    const std::vector<std::string> &agent_prefixes() const { return agent_prefixes_; }
    // An unknown route: the eliza generation's router answers JSON (E§7.4); the milady cloud's
    // Next.js answers its HTML 404 page (the default).
    void set_json_not_found(bool json) { json_not_found_ = json; }

    void dispatch(const httplib::Request &req, httplib::Response &res);

    void write_counts(JsonOut &out) const;
    void write_requests(JsonOut &out) const;
    void reset_counts();

private:
    std::vector<std::string> agent_prefixes_{"/api/v1/milady", "/api/v1/milaidy"};
    bool json_not_found_ = false;
    struct Route {
        std::string method, templ;
        std::vector<std::string> segments;
        bool rest = false;  // last segment {*} captures the remainder
        Handler handler;
        std::unique_ptr<std::atomic<uint64_t>> count;
    };
    struct Recorded {
        std::string method, path, query, auth;
        std::optional<std::string> key_prefix;
        int status = 0;
        int64_t ts = 0;
    };

    static bool match(const Route &r, const std::vector<std::string> &segs,
                      std::vector<std::string> &params);
    Reply fault_reply(const FaultRule &f, const httplib::Request &req) const;
    void write(Reply reply, httplib::Response &res, const FaultRule *fault, uint64_t generation);
    void record(const httplib::Request &req, int status);

    FaultEngine &faults_;
    Sleeper &sleeper_;
    std::atomic<bool> &record_requests_;
    FaultHook fault_hook_;
    Limiter limiter_;
    bool verbose_ = false;
    std::vector<Route> routes_;
    std::atomic<uint64_t> unmatched_[8]{};
    std::atomic<uint64_t> options_count_{0};
    mutable std::mutex rec_mu_;
    std::deque<Recorded> recorded_;
};

}  // namespace emu
